"""Benchmark: the UT1 lists at full size. Generates an adult list of 4.6 million domains (plus smaller lists for the
other default categories, at roughly their real sizes), then measures:

- building the lookup index once (what `auditor blocklists update`, or the first run after it, pays);
- opening the lists as a nightly run does (index already built): time and memory;
- lookups per second.

    .venv/bin/python benchmarks/blocklists.py [--adult 4600000] [--folder /tmp/ut1-bench]
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.links.blocklists import INDEX_NAME, Blocklists
from auditor.links.settings import DEFAULT_CATEGORIES, ut1_name

# Approximate sizes of the other default categories in the UT1 lists.
OTHER_SIZES = {"gambling": 30_000, "drogue": 2_000, "agressif": 400, "dating": 8_000, "malware": 80_000,
               "phishing": 60_000}  # fmt: skip
TLDS = ("com", "net", "org", "info", "xyz", "fr", "de", "ru", "co.uk", "io")


def generate(folder: Path, adult: int) -> None:
    rng = random.Random(4_600_000)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    for category, count in {"adult": adult, **OTHER_SIZES}.items():
        (folder / category).mkdir(parents=True, exist_ok=True)
        with (folder / category / "domains").open("w", encoding="utf-8") as out:
            for n in range(count):
                name = "".join(rng.choice(letters) for _ in range(rng.randint(6, 14)))
                sub = "www." if n % 7 == 0 else ""
                out.write(f"{sub}{name}{n}.{TLDS[n % len(TLDS)]}\n")
        with (folder / category / "urls").open("w", encoding="utf-8") as out:
            for n in range(count // 50):
                out.write(f"host{n}.example/{category}/page{n}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adult", type=int, default=4_600_000)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="ut1-bench-"))
    try:
        started = time.perf_counter()
        generate(folder, args.adult)
        raw_mb = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024
        print(f"generated {args.adult:,} adult domains + other default categories ({raw_mb:.0f} MB of list files) "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

        categories = [ut1_name(c) for c in DEFAULT_CATEGORIES]
        tracemalloc.start()
        started = time.perf_counter()
        Blocklists(folder, categories).close()
        build = time.perf_counter() - started
        _, build_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        index_mb = (folder / INDEX_NAME).stat().st_size / 1024 / 1024
        build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"index build (once per list update): {build:.1f} s; peak Python memory {build_peak / 1024 / 1024:.1f} "
              f"MB; max RSS so far {build_rss:.0f} MB; index file {index_mb:.0f} MB")  # fmt: skip

        tracemalloc.start()
        started = time.perf_counter()
        lists = Blocklists(folder, categories)
        load = time.perf_counter() - started
        _, load_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"nightly load (index already built): {load * 1000:.1f} ms; peak traced memory "
              f"{load_peak / 1024:.0f} KB")  # fmt: skip

        hosts = [f"www.sub{n}.example{n}.com" for n in range(5000)]
        with (folder / "adult/domains").open() as listed:
            sample = [line.strip() for line in itertools.islice(listed, 0, 50_000, 10)]
        hosts += [f"www.{h}" for h in sample]
        known = sample[0]
        assert lists.match(f"deep.sub.{known}") is not None
        started = time.perf_counter()
        for host in hosts:
            lists.match(host, "/some/page")
        per = (time.perf_counter() - started) / len(hosts)
        lists.close()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"lookups: {per * 1e6:.0f} µs each ({1 / per:,.0f} per second); max RSS of this whole benchmark "
              f"{rss:.0f} MB")  # fmt: skip
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
