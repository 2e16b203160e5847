"""A compact trained text model, weighed against the rules of comments.inappropriate and content.professional.

Not called by the checks, and not part of the installed package: `benchmarks/text_model.py compare` measured it by
leave-one-batch-out, and it is not wired in (docs/content-checks.md, "Decision": it flagged a parent's grumble and a
plain school notice). It is kept beside the benchmark so the next round of training data can be measured against the
same code.

The model is a logistic regression over the words of a text as the rules read them (`auditor.text.normalise.tokens`:
lower case, accents and look-alike letters folded, leetspeak read as letters), trained by `benchmarks/text_model.py`
on the tune half of the evaluation set and kept as weights in `benchmarks/data/text_model.json`. Nothing is
downloaded and no machine-learning library is needed here: a text's score is the sum of the weights of the features
it has, divided by the square root of how many it has, plus a bias, through the logistic function.

The features of a text (`features`), each counted once:

- `w:<word>` every word in canonical spelling ("w:div");
- `b:<word> <word>` every pair of neighbouring words ("b:you are");
- `p:<first five letters>` every word longer than five letters, a crude stem ("p:pathe" for "pathetic");
- `e:<emoji>` every pictograph ("e:🙄").

Features are built from the tokens the rules have already made (they are cached per text), so a score costs one pass
over the words and a dict look-up per feature: a few microseconds for a comment.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from auditor.text.normalise import tokens

DATA = Path(__file__).resolve().parent / "data" / "text_model.json"
FORMAT = 1
_STEM = 5
# Pictographs: emoji and the symbol blocks they live in (arrows and dingbats included); variation selectors and
# skin-tone modifiers are not features of their own.
_PICTOGRAPH_RANGES = ((0x2190, 0x2BFF), (0x1F000, 0x1FAFF))
_MODIFIERS = frozenset(range(0x1F3FB, 0x1F400)) | {0xFE0F, 0x200D}


def _is_pictograph(ch: str) -> bool:
    code = ord(ch)
    return code not in _MODIFIERS and any(low <= code <= high for low, high in _PICTOGRAPH_RANGES)


def features(text: str) -> list[str]:
    """The distinct features of `text`, in the order first met (see the module docstring)."""
    words = [t.text for t in tokens(text)]
    found: dict[str, None] = {}
    previous = ""
    for word in words:
        found[f"w:{word}"] = None
        if len(word) > _STEM:
            found[f"p:{word[:_STEM]}"] = None
        if previous:
            found[f"b:{previous} {word}"] = None
        previous = word
    if not text.isascii():
        for ch in text:
            if ord(ch) >= 0x2190 and _is_pictograph(ch):
                found[f"e:{ch}"] = None
    return list(found)


@dataclass(frozen=True)
class LinearModel:
    """One check's model: `weights` by feature, `bias`, and the `threshold` on the score above which it flags."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, text: str) -> float:
        """The model's probability (0 to 1) that `text` is what the check looks for."""
        return self.score_features(features(text))

    def score_features(self, found: list[str]) -> float:
        if not found:
            return _logistic(self.bias)
        get = self.weights.get
        total = sum(get(f, 0.0) for f in found)
        return _logistic(self.bias + total / math.sqrt(len(found)))

    def flags(self, text: str) -> bool:
        return self.score(text) >= self.threshold


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def parse(document: dict[str, object]) -> dict[str, LinearModel]:
    """The models of a `text_model.json` document, by check id; a clear error if its shape is not the one written."""
    if document.get("format") != FORMAT:
        raise ValueError(f"text model: format {document.get('format')!r}, expected {FORMAT}")
    models = document.get("models")
    if not isinstance(models, dict):
        raise ValueError("text model: no models")
    out: dict[str, LinearModel] = {}
    for check_id, entry in models.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("weights"), dict):
            raise ValueError(f"text model: {check_id} has no weights")
        weights = {str(k): float(v) for k, v in entry["weights"].items()}
        out[str(check_id)] = LinearModel(weights, float(entry["bias"]), float(entry["threshold"]))
    return out


@functools.cache
def models() -> dict[str, LinearModel]:
    """The shipped models, read once per process."""
    return parse(json.loads(DATA.read_text(encoding="utf-8")))


def model(check_id: str) -> LinearModel:
    return models()[check_id]
