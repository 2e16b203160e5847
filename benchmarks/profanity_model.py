"""Measures alt-profanity-check (a trained model shipped in its wheel) as a second opinion to the word lists.

Run on the tune split only, in an environment that has the package (it is not a dependency of auditor):

    python -m venv /tmp/apc && /tmp/apc/bin/pip install alt-profanity-check
    PYTHONPATH=. /tmp/apc/bin/python benchmarks/profanity_model.py

Prints, for each text check, precision and recall of the word lists alone, the model alone (probability >= 0.5), and
the two combined (flag when either flags), plus the model's speed. docs/content-checks.md records the decision.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from profanity_check import predict_prob  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.text.abuse import detector  # noqa: E402

COMMENT_CATEGORIES = ("threat", "hate", "sexual", "profanity", "mockery", "spam", "mild-profanity")
CHECKS = {"content.professional": None, "comments.inappropriate": COMMENT_CATEGORIES}


def score(flags: list[bool], labels: list[bool]) -> str:
    tp = sum(f and y for f, y in zip(flags, labels, strict=True))
    fp = sum(f and not y for f, y in zip(flags, labels, strict=True))
    fn = sum(y and not f for f, y in zip(flags, labels, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"


def main() -> None:
    for check_id, categories in CHECKS.items():
        lines = (REPO / "tests/data/eval" / f"{check_id}.jsonl").read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
        items = [i for i in items if i["split"] == "tune"]
        texts = [i["text"] for i in items]
        labels = [bool(i["label"]) for i in items]
        words = [bool(detector().find(t, categories)) for t in texts]
        started = time.perf_counter()
        probs = predict_prob(texts)
        per_second = len(texts) / (time.perf_counter() - started)
        model = [p >= 0.5 for p in probs]
        print(f"{check_id} (tune, {sum(labels)} positive, {len(labels) - sum(labels)} negative)")
        print(f"  word lists:         {score(words, labels)}")
        print(f"  model (p >= 0.5):   {score(model, labels)}   {per_second:,.0f} texts/s in one batch")
        print(f"  either:             {score([w or m for w, m in zip(words, model, strict=True)], labels)}")
        for text, label, w, p in zip(texts, labels, words, probs, strict=True):
            if (p >= 0.5) != label:
                what = "missed" if label else "false alarm"
                print(f"    model {what} (p={p:.2f}, lists {'flag' if w else 'pass'}): {text}")


if __name__ == "__main__":
    main()
