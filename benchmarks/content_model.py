"""Weighs a compact trained model against the rules for content.professional and comments.inappropriate.

The model is a logistic regression on character 2-5-grams (TF-IDF), trained on the tune half only of each check's
evaluation set, and measured with the rules on the held-out half. It needs scikit-learn, which is not a dependency of
auditor, so run it in a separate environment:

    python -m venv /tmp/textml && /tmp/textml/bin/pip install scikit-learn
    PYTHONPATH=. /tmp/textml/bin/python benchmarks/content_model.py

Prints, per check, precision and recall (95% Wilson intervals) of the rules, the model (p >= 0.5), either, and both,
the model's size once pickled and its speed. docs/content-checks.md records the figures and the decision.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-not-found]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-not-found]
from sklearn.pipeline import make_pipeline  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.accuracy import EVALUATORS, wilson  # noqa: E402

CHECKS = ("content.professional", "comments.inappropriate")


def score(flags: list[bool], labels: list[bool]) -> str:
    tp = sum(f and y for f, y in zip(flags, labels, strict=True))
    fp = sum(f and not y for f, y in zip(flags, labels, strict=True))
    fn = sum(y and not f for f, y in zip(flags, labels, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    p_lo, p_hi = wilson(tp, tp + fp)
    r_lo, r_hi = wilson(tp, tp + fn)
    return f"P {p:.3f} [{p_lo:.3f}, {p_hi:.3f}]  R {r:.3f} [{r_lo:.3f}, {r_hi:.3f}]  (tp {tp}, fp {fp}, fn {fn})"


def main() -> None:
    for check_id in CHECKS:
        lines = (REPO / "tests/data/eval" / f"{check_id}.jsonl").read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
        tune = [i for i in items if i["split"] == "tune"]
        held = [i for i in items if i["split"] == "heldout"]
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True, lowercase=True),
            LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000),
        )
        model.fit([i["text"] for i in tune], [i["label"] for i in tune])
        texts = [i["text"] for i in held]
        labels = [bool(i["label"]) for i in held]
        started = time.perf_counter()
        probs = model.predict_proba(texts)[:, 1]
        per_second = len(texts) / (time.perf_counter() - started)
        single = time.perf_counter()
        for text in texts:
            model.predict_proba([text])
        one_by_one = len(texts) / (time.perf_counter() - single)
        rules = [EVALUATORS[check_id](i) for i in held]
        learned = [bool(p >= 0.5) for p in probs]
        size = len(pickle.dumps(model))
        print(f"{check_id}: trained on {len(tune)} tune items, measured on {len(held)} held-out items")
        print(f"  rules:            {score(rules, labels)}")
        print(f"  model (p >= 0.5): {score(learned, labels)}")
        print(f"  either flags:     {score([a or b for a, b in zip(rules, learned, strict=True)], labels)}")
        print(f"  both flag:        {score([a and b for a, b in zip(rules, learned, strict=True)], labels)}")
        print(
            f"  model: {size / 1024:,.0f} KiB pickled, {per_second:,.0f} texts/s in one batch, "
            f"{one_by_one:,.0f} texts/s one at a time"
        )


if __name__ == "__main__":
    main()
