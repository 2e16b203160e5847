"""Start-up: how long `auditor checks` and `auditor status` take against a bare `python -c pass`, measured in the same
run (goal: within 5x), and which heavy modules each loads although it does not need them.

    python benchmarks/startup.py [--repeat 11]

Each command runs in a fresh interpreter, as cron runs it, in a copy of the sample config whose history holds one
offline audit (so `auditor status` reads a real history). Compiled bytecode is used as an installed copy uses it: the
children write it to a scratch cache (PYTHONPYCACHEPREFIX) even where PYTHONDONTWRITEBYTECODE is set, and one warm-up
run fills it. Min, median and max wall-clock times are printed; the ratio compares medians. The CPU time the child
used is printed beside it: on a shared, busy machine the wall clock also counts time spent waiting for a core, and
the CPU ratio is the steadier figure. Exit status 1 when a wall-clock ratio is over the goal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 5.0
HEAVY = (
    "pydantic", "requests", "urllib3", "cv2", "numpy", "jinja2", "bs4", "tweepy", "feedparser", "phonenumbers",
    "stdnum", "apscheduler",
)  # fmt: skip


def timed(command: list[str], cwd: Path, env: dict[str, str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user + system of the child) of each run."""
    wall, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def heavy_loaded(args: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    code = (
        "import sys, json\nfrom auditor.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('\\n' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def spread(values: list[float]) -> str:
    return f"min {min(values):.3f} s, median {statistics.median(values):.3f} s, max {max(values):.3f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditor-startup-") as scratch:
        folder = Path(scratch)
        shutil.copy(REPO / "config.toml", folder / "config.toml")
        shutil.copytree(REPO / "examples", folder / "examples")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        # One offline audit, so `status` reads a history as it does on a school's server; it also fills the cache.
        audit = [sys.executable, "-m", "auditor", "run", "--all", "--offline", "--no-email", "--out", "out"]
        subprocess.run(audit, cwd=folder, env=env, capture_output=True, check=False)
        commands = {"auditor checks": ["checks"], "auditor status": ["status"]}
        for cli in commands.values():  # warm-up: bytecode written, files in the page cache
            subprocess.run([sys.executable, "-m", "auditor", *cli], cwd=folder, env=env, capture_output=True)
        bare_wall, bare_cpu = timed([sys.executable, "-c", "pass"], folder, env, args.repeat)
        print(f"python -c pass: {spread(bare_wall)}; CPU median {statistics.median(bare_cpu):.3f} s")
        worst = 0.0
        for name, cli in commands.items():
            wall, cpu = timed([sys.executable, "-m", "auditor", *cli], folder, env, args.repeat)
            ratio = statistics.median(wall) / statistics.median(bare_wall)
            cpu_ratio = statistics.median(cpu) / statistics.median(bare_cpu)
            worst = max(worst, ratio)
            heavy = heavy_loaded(cli, folder, env)
            print(
                f"{name}: {spread(wall)}; {ratio:.1f}x a bare interpreter (goal {GOAL:g}x); CPU median "
                f"{statistics.median(cpu):.3f} s, {cpu_ratio:.1f}x; heavy modules loaded: {', '.join(heavy) or 'none'}"
            )
    print("RESULT: " + ("within the goal" if worst <= GOAL else f"over the goal ({worst:.1f}x)"))
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
