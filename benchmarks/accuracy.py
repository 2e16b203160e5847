"""Precision and recall of each text check on the shipped evaluation set, with 95% Wilson intervals.

    python benchmarks/accuracy.py                    # the held-out part: the figures to report
    python benchmarks/accuracy.py --split tune       # the part word lists may be tuned on
    python benchmarks/accuracy.py --split tune --errors   # and what it gets wrong (never offered for held-out)
    python benchmarks/accuracy.py --by-kind          # and, per kind of item, its recall or false-alarm rate
    python benchmarks/accuracy.py --batch 2          # only the items written in batch 2 (never looked at before)

Each check has an evaluation file `tests/data/eval/<check id>.jsonl`, one JSON object a line:
`{"text": "...", "label": 1 or 0, "split": "tune" or "heldout", ...}` (any other fields are passed to the evaluator
and may be used for the breakdown, e.g. "kind"). Items written later carry `"batch": N` (the first items have none and
are batch 1), so a newer, unseen batch can be measured apart from held-out items already looked at. To add a check,
write its file and add one line to `EVALUATORS`: a function from the item to True when the check would flag it, and,
if it has them, its goals in `GOALS`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.checks.comments import problems  # noqa: E402
from auditor.checks.content import offending, second_opinion  # noqa: E402
from benchmarks.safeguarding_evaluators import BY_KIND as SAFEGUARDING_BY_KIND  # noqa: E402
from benchmarks.safeguarding_evaluators import EVALUATORS as SAFEGUARDING  # noqa: E402
from benchmarks.safeguarding_evaluators import GOALS as SAFEGUARDING_GOALS  # noqa: E402
from benchmarks.safeguarding_evaluators import school_contacts  # noqa: E402

EVAL_DIR = REPO / "tests" / "data" / "eval"

Item = dict[str, object]
EVALUATORS: dict[str, Callable[[Item], bool]] = {
    # The whole of the post check's judgement: the rules, and the trained model on what they pass.
    "content.professional": lambda item: bool(offending(str(item["text"]))) or bool(second_opinion(str(item["text"]))),
    # The whole of the comment check's judgement: abuse, and personal information other than the school's own
    # contacts ("his mobile is ...", a home address). Pupils' names need a roster, which the set does not use.
    "comments.inappropriate": lambda item: bool(problems(str(item["text"]), school_contacts(), None)),
    **SAFEGUARDING,
}
# check id -> (precision at least, recall at least), from issue 14's acceptance.
GOALS: dict[str, tuple[float, float]] = {
    "content.professional": (0.95, 0.90),
    "comments.inappropriate": (0.90, 0.90),
    **SAFEGUARDING_GOALS,
}
# Checks shown kind by kind too, from each item's "kind" field.
BY_KIND: frozenset[str] = SAFEGUARDING_BY_KIND


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion: sound at small counts and at 0 or 1, unlike the normal one."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, flagged: bool, positive: bool) -> None:
        """Count one item: what the check said of it, and what it is."""
        if flagged and positive:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif positive:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


_BATCH: int | None = None  # set by --batch: only items of that batch are read


def batch_of(item: Item) -> int:
    """Which batch of writing an item came from: 1 for the first items, which carry no "batch" field."""
    value = item.get("batch", 1)
    return value if isinstance(value, int) else 1


def load(check_id: str) -> list[Item]:
    path = EVAL_DIR / f"{check_id}.jsonl"
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            if item.get("split") not in ("tune", "heldout") or item.get("label") not in (0, 1, True, False):
                raise SystemExit(f"{path}:{n}: needs label 0/1 and split tune/heldout")
            if _BATCH is None or batch_of(item) == _BATCH:
                items.append(item)
    return items


def evaluate(check_id: str, split: str, kind: str | None = None) -> tuple[Score, list[tuple[str, Item]]]:
    """The score over the split (of one kind of item only, when `kind` is given) and what was wrong."""
    score, errors, _ = evaluate_by_kind(check_id, split, kind)
    return score, errors


def evaluate_by_kind(
    check_id: str, split: str, only: str | None = None
) -> tuple[Score, list[tuple[str, Item]], dict[str, Score]]:
    """The score over the split, what was wrong, and a score per kind of item (its "kind" field)."""
    judge = EVALUATORS[check_id]
    score, errors = Score(), []
    kinds: dict[str, Score] = {}
    for item in load(check_id):
        if split != "all" and item["split"] != split:
            continue
        if only is not None and item.get("kind") != only:
            continue
        flagged, positive = judge(item), bool(item["label"])
        score.add(flagged, positive)
        kinds.setdefault(str(item.get("kind", "-")), Score()).add(flagged, positive)
        if flagged != positive:
            errors.append(("false alarm" if flagged else "missed", item))
    return score, errors, kinds


def kind_lines(kinds: dict[str, Score]) -> list[str]:
    """One line per kind: recall for kinds of positives, false-alarm rate for kinds of negatives, with intervals."""
    lines = []
    for name, s in sorted(kinds.items(), key=lambda kv: (kv[1].tp + kv[1].fn == 0, kv[0])):
        if s.tp + s.fn:
            low, high = wilson(s.tp, s.tp + s.fn)
            counts = f"{s.tp:>3}/{s.tp + s.fn:<3}"
            lines.append(f"    {name:<22} recall       {counts} {s.recall:.3f} [{low:.3f}, {high:.3f}]")
        if s.fp + s.tn:
            low, high = wilson(s.fp, s.fp + s.tn)
            counts, rate = f"{s.fp:>3}/{s.fp + s.tn:<3}", s.fp / (s.fp + s.tn)
            lines.append(f"    {name:<22} false alarms {counts} {rate:.3f} [{low:.3f}, {high:.3f}]")
    return lines


def _figures(score: Score) -> str:
    """Counts, precision and recall; "-" where there is nothing to measure (a kind with no positives)."""
    p_lo, p_hi = wilson(score.tp, score.tp + score.fp)
    r_lo, r_hi = wilson(score.tp, score.tp + score.fn)
    precision = f"{score.precision:.3f} [{p_lo:.3f}, {p_hi:.3f}]" if score.tp + score.fp else "-"
    recall = f"{score.recall:.3f} [{r_lo:.3f}, {r_hi:.3f}]" if score.tp + score.fn else "-"
    return f"{score.tp + score.fn:>4} {score.fp + score.tn:>4}  {precision:<22} {recall}"


def print_by_kind(check_id: str, split: str) -> None:
    """One line a kind of item: where a check misses or over-reaches, not only how much."""
    kinds = sorted({str(i.get("kind")) for i in load(check_id) if split == "all" or i["split"] == split})
    for kind in kinds:
        score, _ = evaluate(check_id, split, kind)
        print(f"  {kind:<32} {_figures(score)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    parser.add_argument("--errors", action="store_true", help="list what was wrong (tune split only)")
    parser.add_argument("--checks", help="comma-separated check ids (default: all with an evaluation file)")
    parser.add_argument("--by-kind", action="store_true", help="recall or false-alarm rate per kind of item")
    parser.add_argument("--batch", type=int, help="only items of this batch (1: the first items, with no batch field)")
    args = parser.parse_args(argv)
    global _BATCH
    _BATCH = args.batch
    if args.errors and args.split != "tune":
        parser.error("--errors is only for --split tune: the held-out part must not be used to tune word lists")
    wanted = args.checks.split(",") if args.checks else [c for c in EVALUATORS if (EVAL_DIR / f"{c}.jsonl").exists()]

    batch = f"; batch {args.batch} only" if args.batch is not None else ""
    print(f"split: {args.split}{batch}; precision and recall with 95% Wilson intervals")
    print(f"{'check':<34} {'pos':>4} {'neg':>4}  {'precision':<22} {'recall':<22} goal")
    all_met = True
    for check_id in wanted:
        score, errors, kinds = evaluate_by_kind(check_id, args.split)
        p_lo, p_hi = wilson(score.tp, score.tp + score.fp)
        r_lo, r_hi = wilson(score.tp, score.tp + score.fn)
        goal = GOALS.get(check_id)
        verdict = "-"
        if goal:
            met = score.precision >= goal[0] and score.recall >= goal[1]
            all_met &= met
            verdict = f"{'met' if met else 'NOT MET'} (P>={goal[0]}, R>={goal[1]})"
        print(
            f"{check_id:<34} {score.tp + score.fn:>4} {score.fp + score.tn:>4}  "
            f"{score.precision:.3f} [{p_lo:.3f}, {p_hi:.3f}]  {score.recall:.3f} [{r_lo:.3f}, {r_hi:.3f}]  {verdict}"
        )
        if check_id in BY_KIND:
            print_by_kind(check_id, args.split)
        elif args.by_kind:
            print("\n".join(kind_lines(kinds)))
        if args.errors:
            for what, item in errors:
                print(f"    {what}: {item['text']}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
