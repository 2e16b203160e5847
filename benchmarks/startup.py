"""Start-up: how long `auditor checks` and `auditor status` take against a bare `python -c pass`, measured in the same
run (goal: within 5x), and which heavy modules each loads although it does not need them.

    python benchmarks/startup.py [--repeat 7]

Each command runs in a fresh interpreter, as cron runs it; min, median and max of the repeats are printed, and the
ratio uses the medians. Exit status 1 when a ratio is over the goal.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 5.0
HEAVY = ("requests", "urllib3", "sqlite3", "cv2", "numpy", "jinja2", "bs4", "tweepy", "feedparser", "phonenumbers")


def timed(command: list[str], cwd: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def heavy_loaded(args: list[str], cwd: Path) -> list[str]:
    code = (
        "import sys, json\nfrom auditor.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('\\n' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditor-startup-") as scratch:
        folder = Path(scratch)
        shutil.copy(REPO / "config.toml", folder / "config.toml")
        shutil.copytree(REPO / "examples", folder / "examples")
        bare = timed([sys.executable, "-c", "pass"], folder, args.repeat)
        print(f"python -c pass: min {min(bare):.3f} s, median {statistics.median(bare):.3f} s, max {max(bare):.3f} s")
        worst = 0.0
        for name, cli in (("auditor checks", ["checks"]), ("auditor status", ["status"])):
            took = timed([sys.executable, "-m", "auditor", *cli], folder, args.repeat)
            ratio = statistics.median(took) / statistics.median(bare)
            worst = max(worst, ratio)
            heavy = heavy_loaded(cli, folder)
            print(
                f"{name}: min {min(took):.3f} s, median {statistics.median(took):.3f} s, max {max(took):.3f} s; "
                f"{ratio:.1f}x a bare interpreter (goal {GOAL:g}x); heavy modules loaded: {', '.join(heavy) or 'none'}"
            )
    print("RESULT: " + ("within the goal" if worst <= GOAL else f"over the goal ({worst:.1f}x)"))
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
