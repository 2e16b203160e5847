"""The compact trained text model (`benchmarks/textmodel.py`): trains it, ships it, and weighs it against the rules.

    .venv/bin/python benchmarks/text_model.py compare   # leave-one-batch-out: rules, model, rules OR model
    .venv/bin/python benchmarks/text_model.py build     # train on every tune item, write benchmarks/data/
    .venv/bin/python benchmarks/text_model.py check     # rebuild in memory; exit 1 unless the shipped file is identical

Reads the TUNE half of `tests/data/eval/{comments.inappropriate,content.professional}.jsonl` only: held-out items are
dropped as the files are read and never reach a model, a threshold or a printout. scikit-learn (a `test` extra, never
imported by auditor) fits the logistic regression; the features are `benchmarks.textmodel.features`, the same
function the shipped model scores with, so training and use cannot drift apart.

**Leave-one-batch-out** (`compare`): each batch of the evaluation set was written in its own sitting (batch 3 and 5
by engineers who had not read the rules), so holding a whole batch out asks how the model meets a writer, or a
sitting, it has never seen. For each batch k: the model is trained on the tune items of every other batch, its
regularisation C and its threshold are chosen on those batches alone (an inner leave-one-batch-out: the highest
recall of rules OR model with precision at the check's goal), then it is scored on batch k's tune items. Printed per
fold and pooled: the rules alone, the model alone at 0.5 and at the chosen threshold, rules OR model.

Read the rules' figures with care: the rules were tuned on these same tune items (`accuracy.py --split tune
--errors`) for batches 1 to 4, so for those folds the rules have seen the test items and the model has not. A batch
the rules were never tuned on (batch 5, if present and not tuned on) is the one fold where both meet it fresh.

The content model learns from the content items and, as extra positives, the abusive comments of the same batches
(a threat or an insult in a comment is unprofessional in a post too); `compare` prints the model trained on content
items alone as well.

Deterministic: the solver is lbfgs (no random state), features and vocabulary are sorted, weights rounded to four
places, and the file is JSON with sorted keys, so `build` twice writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.checks.comments import abusive  # noqa: E402
from auditor.checks.content import offending  # noqa: E402
from benchmarks import textmodel  # noqa: E402
from benchmarks.accuracy import GOALS, batch_of, wilson  # noqa: E402
from benchmarks.accuracy import Score as Counts  # noqa: E402

EVAL = REPO / "tests" / "data" / "eval"
CHECKS = ("comments.inappropriate", "content.professional")
# The models whose weights ship (`build`). The comments model is shipped for the next round but not wired into the
# check (docs/content-checks.md, "Decision"); the content model is compared, not shipped: it added nothing.
SHIPPED = ("comments.inappropriate",)
C_GRID = (1.0, 4.0, 16.0)
THRESHOLDS = tuple(round(0.30 + 0.025 * i, 3) for i in range(28))  # 0.30 .. 0.975
MIN_DF = 2  # a feature seen in one training text only is not kept
NEVER = 1.01  # the threshold when no threshold meets the precision goal in the training folds: the model never flags


@dataclass(frozen=True)
class Item:
    text: str
    label: bool
    batch: int
    source: str  # which file it came from
    features: tuple[str, ...]


def load_tune() -> dict[str, list[Item]]:
    """The tune items of both checks; held-out items are skipped as each line is read."""
    out: dict[str, list[Item]] = {}
    for check_id in CHECKS:
        items = []
        for line in (EVAL / f"{check_id}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            if raw.get("split") != "tune":
                continue
            text = str(raw["text"])
            items.append(Item(text, bool(raw["label"]), batch_of(raw), check_id, tuple(textmodel.features(text))))
        out[check_id] = items
    return out


def training_items(check_id: str, data: dict[str, list[Item]], batches: set[int], extra: bool = True) -> list[Item]:
    """What the model of `check_id` learns from, among `batches`: its own items (and, for content, the abusive
    comments)."""
    own = [i for i in data[check_id] if i.batch in batches]
    if check_id == "content.professional" and extra:
        own += [i for i in data["comments.inappropriate"] if i.batch in batches and i.label]
    return own


@dataclass(frozen=True)
class Fitted:
    weights: dict[str, float]
    bias: float

    def score(self, item: Item) -> float:
        return textmodel.LinearModel(self.weights, self.bias, 0.5).score_features(list(item.features))


def fit(items: Sequence[Item], c: float) -> Fitted:
    """A logistic regression over the items' features (L2-normalised presence), balanced classes."""
    counts = Counter(f for item in items for f in item.features)
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_DF)
    index = {f: n for n, f in enumerate(vocabulary)}
    rows, cols, values = [], [], []
    for r, item in enumerate(items):
        if not item.features:
            continue
        value = 1.0 / math.sqrt(len(item.features))  # as the shipped scorer divides: by all features, known or not
        for f in item.features:
            if f in index:
                rows.append(r)
                cols.append(index[f])
                values.append(value)
    x = csr_matrix((values, (rows, cols)), shape=(len(items), len(vocabulary)), dtype=np.float64)
    y = np.array([int(i.label) for i in items])
    model = LogisticRegression(C=c, class_weight="balanced", solver="lbfgs", max_iter=10000, tol=1e-8)
    model.fit(x, y)
    weights = {f: round(float(w), 4) for f, w in zip(vocabulary, model.coef_[0], strict=True)}
    return Fitted({f: w for f, w in weights.items() if w != 0.0}, round(float(model.intercept_[0]), 4))


@dataclass
class Score(Counts):
    """The accuracy benchmark's counts, pooled over folds, with a line of their own."""

    def __iadd__(self, other: Score) -> Score:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        return self

    def line(self) -> str:
        p_lo, _ = wilson(self.tp, self.tp + self.fp)
        r_lo, r_hi = wilson(self.tp, self.tp + self.fn)
        p = f"P {self.precision:.3f} (lo {p_lo:.3f})" if self.tp + self.fp else "P   -           "
        r = f"R {self.recall:.3f} [{r_lo:.3f}, {r_hi:.3f}]" if self.tp + self.fn else "R   -"
        return f"{p}  {r}  tp {self.tp:>3} fp {self.fp:>3} fn {self.fn:>3} tn {self.tn:>3}"


_RULES: dict[tuple[str, str], bool] = {}


def rules_flag(check_id: str, item: Item) -> bool:
    key = (check_id, item.text)
    if key not in _RULES:
        judge = abusive if check_id == "comments.inappropriate" else offending  # the rules alone, never the model
        _RULES[key] = bool(judge(item.text))
    return _RULES[key]


def choose(check_id: str, data: dict[str, list[Item]], batches: set[int], extra: bool = True) -> tuple[float, float]:
    """C and the threshold, chosen on `batches` alone by an inner leave-one-batch-out: the threshold with the highest
    recall of the model alone whose precision meets the check's goal (the higher threshold on a tie), then the C
    with the highest such recall (the smaller C on a tie). NEVER when no threshold meets the goal. The rules play no
    part: they were tuned on these items, and the model's threshold must not lean on that."""
    goal = GOALS[check_id][0]
    best: tuple[float, float, float] = (-1.0, 0.0, NEVER)  # recall, -C, threshold
    inner = sorted(b for b in batches if any(i.batch == b for i in data[check_id]))
    for c in C_GRID:
        scored: list[tuple[float, bool]] = []  # model score, label
        for held in inner:
            train = training_items(check_id, data, batches - {held}, extra)
            if len({i.label for i in train}) < 2:
                continue
            fitted = fit(train, c)
            scored += [(fitted.score(i), i.label) for i in data[check_id] if i.batch == held]
        for threshold in sorted(THRESHOLDS, reverse=True):
            s = Score()
            for p, label in scored:
                s.add(p >= threshold, label)
            if s.tp and s.precision >= goal and (s.recall, -c) > best[:2]:
                best = (s.recall, -c, threshold)
    recall, neg_c, threshold = best
    return (-neg_c if recall >= 0 else C_GRID[0]), threshold


# The rules as they stood before a batch was tuned on (a commit of this repository): batch 2 as it was added, batch 3
# before it was merged (its writer had not read the rules), batch 4 as its first wave was written. Batch 1 was written
# with the first rules; there is no version of the rules that had not met it.
FRESH_RULES = {
    2: "4eba2f1",
    3: "60f5402",
    4: "6f577ae",
}
# Batches the rules were never tuned on: the rules as they stand meet them fresh. Batch 5 was written by an engineer
# who had not read the rules, and merged after the rules for batches 1 to 4; nobody tuned on it.
UNTUNED = frozenset({5})
_FRESH: dict[tuple[str, str], list[bool]] = {}


def fresh_rules(commit: str, check_id: str, texts: list[str]) -> list[bool] | None:
    """The flags of the rules at `commit` on `texts`, run from a copy of that commit's package in a temporary
    folder (`git archive`); None when the history is not there (a shallow clone)."""
    key = (commit, check_id)
    if key in _FRESH:
        return _FRESH[key]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "auditor", "connectors", "reports"],
            capture_output=True,
            check=False,
        )
        if archive.returncode:
            return None
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        program = (
            "import json, sys\n"
            "from auditor.checks.comments import abusive\n"
            "from auditor.checks.content import offending\n"
            f"judge = abusive if {check_id!r} == 'comments.inappropriate' else offending\n"
            "print(json.dumps([bool(judge(t)) for t in json.load(sys.stdin)]))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", program],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            cwd=folder,
            env={**os.environ, "PYTHONPATH": folder},
            check=True,
        )
    flags = [bool(f) for f in json.loads(done.stdout)]
    _FRESH[key] = flags
    return flags


def compare(extra_variant: bool) -> None:
    data = load_tune()
    for check_id in CHECKS:
        batches = sorted({i.batch for i in data[check_id]})
        goal_p, goal_r = GOALS[check_id]
        print(f"\n{check_id}: leave-one-batch-out over the tune half (goal P >= {goal_p}, R >= {goal_r})")
        variants = [True, False] if check_id == "content.professional" and extra_variant else [True]
        for extra in variants:
            if check_id == "content.professional":
                print(f"  model trained on {'content items + abusive comments' if extra else 'content items only'}")
            names = ("rules", "model@0.5", "model@t", "rules OR model@t", "fresh rules", "fresh rules OR model@t")
            pooled = {name: Score() for name in names}
            for k in batches:
                test = [i for i in data[check_id] if i.batch == k]
                train_batches = set(batches) - {k}
                if check_id == "content.professional":
                    train_batches |= {i.batch for i in data["comments.inappropriate"]} - {k}
                c, threshold = choose(check_id, data, train_batches, extra)
                fitted = fit(training_items(check_id, data, train_batches, extra), c)
                fold = {name: Score() for name in pooled}
                commit = FRESH_RULES.get(k)
                fresh = fresh_rules(commit, check_id, [i.text for i in test]) if commit else None
                if k in UNTUNED:
                    commit, fresh = "as they stand", [rules_flag(check_id, i) for i in test]
                for n, item in enumerate(test):
                    p, rule = fitted.score(item), rules_flag(check_id, item)
                    if fresh is not None:
                        fold["fresh rules"].add(fresh[n], item.label)
                        fold["fresh rules OR model@t"].add(fresh[n] or p >= threshold, item.label)
                    fold["rules"].add(rule, item.label)
                    fold["model@0.5"].add(p >= 0.5, item.label)
                    fold["model@t"].add(p >= threshold, item.label)
                    fold["rules OR model@t"].add(rule or p >= threshold, item.label)
                pos = sum(i.label for i in test)
                shown = "never" if threshold >= NEVER else f"{threshold:.3f}"
                print(f"  batch {k} held out ({pos} pos, {len(test) - pos} neg; C {c:g}, threshold {shown}):")
                for name, s in fold.items():
                    if name.startswith("fresh") and fresh is None:
                        continue
                    label = f"{name} ({commit})" if name == "fresh rules" else name
                    print(f"    {label:<30} {s.line()}")
                    pooled[name] += s
            print("  pooled over the folds (the fresh rows: over the folds with a fresh version of the rules):")
            for name, s in pooled.items():
                print(f"    {name:<30} {s.line()}")


def document() -> tuple[str, dict[str, object]]:
    """The shipped file's text: the adopted models (`SHIPPED`), each trained on every tune item, C and threshold
    chosen by leave-one-batch-out over all batches."""
    data = load_tune()
    models: dict[str, object] = {}
    for check_id in SHIPPED:
        batches = {i.batch for i in data[check_id]}
        if check_id == "content.professional":
            batches |= {i.batch for i in data["comments.inappropriate"]}
        c, threshold = choose(check_id, data, batches)
        train = training_items(check_id, data, batches)
        fitted = fit(train, c)
        models[check_id] = {
            "bias": fitted.bias,
            "threshold": threshold,
            "C": c,
            "trained_on": {"items": len(train), "positives": sum(i.label for i in train), "batches": sorted(batches)},
            "weights": fitted.weights,
        }
    doc: dict[str, object] = {
        "format": textmodel.FORMAT,
        "about": "Logistic regression weights by feature (benchmarks/textmodel.py); rebuilt by "
        "benchmarks/text_model.py build from the tune half of tests/data/eval only.",
        "models": models,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    return text, doc


def speed() -> None:
    data = load_tune()
    texts = [i.text for items in data.values() for i in items]
    for check_id, m in textmodel.models().items():
        for text in texts:
            textmodel.features(text)  # the tokens are cached by the rules in a real run; warm them here too
        started = time.process_time()
        for _ in range(20):
            for text in texts:
                m.score(text)
        per = (time.process_time() - started) / (20 * len(texts)) * 1e6
        print(f"{check_id}: {per:.1f} microseconds a text (tokens cached), {len(m.weights):,} weights")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("compare", "build", "check", "speed"))
    parser.add_argument("--content-only-too", action="store_true", help="compare: also content items alone")
    args = parser.parse_args(argv)
    if args.command == "compare":
        compare(args.content_only_too)
        return 0
    if args.command == "speed":
        speed()
        return 0
    text, _ = document()
    if args.command == "build":
        textmodel.DATA.parent.mkdir(exist_ok=True)
        textmodel.DATA.write_text(text, encoding="utf-8")
        print(f"wrote {textmodel.DATA.relative_to(REPO)} ({len(text.encode()):,} bytes)")
        return 0
    shipped = textmodel.DATA.read_text(encoding="utf-8") if textmodel.DATA.exists() else ""
    if shipped != text:
        print(f"{textmodel.DATA.relative_to(REPO)} differs from what the tune half builds: run `build`")
        return 1
    print(f"{textmodel.DATA.relative_to(REPO)} is what the tune half builds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
