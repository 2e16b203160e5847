"""Throughput of the text checks (posts per second, one core) and of face detection (images per second).

    .venv/bin/python benchmarks/throughput.py [--posts 20000] [--seconds 3]

Text: the real check functions (`safeguarding.personal_info`, `safeguarding.pupil_named`, `content.professional`)
over posts drawn from the shipped evaluation sets, with a synthetic 2,000-pupil roster; then
`comments.inappropriate` over the same texts as comments. Faces: `auditor.faces.detect_faces` over the shipped
synthetic photos (320x240 to 400x300), OpenCV limited to one thread. Goal from issues 5 and 14: >= 5,000 posts/s
through the post checks together, and >= 5,000 comments/s through the comment check.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import itertools
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor import config as config_mod  # noqa: E402
from auditor.checks import CheckContext, all_checks  # noqa: E402
from auditor.faces import detect_faces  # noqa: E402
from auditor.model import Account, AccountData, Comment, Post, Profile, Result  # noqa: E402
from auditor.runner import check_settings, data_source  # noqa: E402
from auditor.services import Services  # noqa: E402
from auditor.text.names import Pupil, Roster  # noqa: E402

EVAL = REPO / "tests" / "data" / "eval"
POST_CHECKS = ("safeguarding.personal_info", "safeguarding.pupil_named", "content.professional")
GOAL = 5000


def roster_of(size: int) -> Roster:
    """`size` distinct synthetic pupils: every forename with every surname of the 300-pupil evaluation roster."""
    with (EVAL / "safeguarding.roster.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    forenames = sorted({r["forename"] for r in rows})
    surnames = sorted({r["surname"] for r in rows})
    pairs = list(itertools.product(forenames, surnames))
    random.Random(5).shuffle(pairs)
    if len(pairs) < size:
        raise SystemExit(f"only {len(pairs)} distinct synthetic names available")
    return Roster([Pupil(f, s, n % 5 != 0) for n, (f, s) in enumerate(pairs[:size])])


def texts() -> list[str]:
    out = []
    for path in sorted(EVAL.glob("*.jsonl")):
        if "photo" in path.name:
            continue
        out.extend(json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def config() -> config_mod.Config:
    folder = Path(tempfile.mkdtemp(prefix="throughput-"))
    path = folder / "config.toml"
    path.write_text(
        '[school]\nname = "Islwyn High School"\naup_url = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"\n'
        'email_domain = "islwynhigh.co.uk"\n\n[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x-archive"\n'
        'department = "History"\nsource = "archive"\n\n[safeguarding]\n'
        'school_contacts = ["01495 200000", "office@islwynhigh.co.uk", "NP12 2BB"]\n',
        encoding="utf-8",
    )
    return config_mod.load(path)


def rate(label: str, count: int, unit: str, work: Callable[[], Iterable[Result]], seconds: float) -> float:
    best = 0.0
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        results = list(work())
        elapsed = time.perf_counter() - start
        best = max(best, count / elapsed)
        if time.perf_counter() > deadline:
            break
    print(f"{label:<44} {best:>10,.0f} {unit}/s  ({count} {unit} a pass, best pass; {len(results)} results)")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)

    cfg = config()
    roster = roster_of(2000)
    corpus = texts()
    now = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    posts = [Post(str(n), corpus[n % len(corpus)], created_at=now) for n in range(args.posts)]
    account = Account("@HistoryIHS", "x-archive", "History")
    data = AccountData(Profile(username="HistoryIHS", bio="History at Islwyn High School."), posts)
    source = data_source(account.platform)
    ctx = CheckContext(
        account, check_settings(cfg), data, source, offline=True, now=now, services=Services(roster=roster)
    )
    checks = all_checks()
    print(f"{len(corpus)} distinct texts, roster of {len(roster)} pupils, one core")

    def all_text_checks() -> list[Result]:
        return [r for cid in POST_CHECKS for r in checks[cid].run(ctx)]

    posts_rate = rate("posts through " + ", ".join(POST_CHECKS), len(posts), "posts", all_text_checks, args.seconds)
    for cid in POST_CHECKS:
        rate(f"  {cid} alone", len(posts), "posts", lambda cid=cid: checks[cid].run(ctx), args.seconds)

    commented = [dataclasses.replace(p, text="", comments=(Comment(f"c{p.id}", p.text),)) for p in posts]
    comment_ctx = dataclasses.replace(ctx, data=AccountData(data.profile, commented))
    comments_rate = rate(
        "comments through comments.inappropriate",
        len(commented),
        "comments",
        lambda: checks["comments.inappropriate"].run(comment_ctx),
        args.seconds,
    )

    photos = sorted((EVAL / "photos").glob("*.jpg"))
    rate("images through face detection", len(photos), "images", lambda: _faces(photos), args.seconds)
    met = posts_rate >= GOAL and comments_rate >= GOAL
    print(f"goal: >= {GOAL:,} posts/s through all text checks, and comments/s: {'met' if met else 'NOT MET'}")
    return 0 if met else 1


def _faces(photos: list[Path]) -> list[Result]:
    for path in photos:
        detect_faces(path)
    return []


if __name__ == "__main__":
    sys.exit(main())
