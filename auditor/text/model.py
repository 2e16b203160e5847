"""A trained second opinion for the text checks: a linear model over words, shipped as weights, never downloaded.

The rules (`auditor.text.abuse`, `auditor.text.patterns`, `auditor.text.judgement`) find what their word lists and
shapes describe; a writer who says the same thing in other words slips past them. Each check that uses a model
(comments.inappropriate, content.professional) asks it about a text the rules pass. The model is a logistic
regression trained by `benchmarks/text_model.py build` on labelled school comments and posts (the training corpus in
`benchmarks/data/train/` and the tune half of `tests/data/eval/`; never the held-out half) and kept as weights in
`auditor/text/data/text_model.json`. No machine-learning library is needed to use it.

The features of a text (`features`), each counted once, built from the tokens the rules have already made (lower
case, accents and look-alike letters folded, leetspeak read as letters):

- `w:<word>` every word ("w:div");
- `b:<word> <word>` every pair of neighbouring words ("b:you are");
- `p:<first five letters>` every word longer than five letters, a crude stem ("p:pathe" for "pathetic");
- `e:<emoji>` every pictograph ("e:🙄").

A text's score is the sum of the weights of its features divided by the square root of how many it has, plus a bias,
through the logistic function. Above the check's threshold the model flags it, and a second set of weights per policy
category (threat, hate, sexual, mockery...) says which category it reads as, so that the finding can name it. The
evidence is the words that weighed most toward the verdict.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from auditor.text.normalise import tokens
from auditor.text.wordlists import CATEGORIES

DATA = Path(__file__).resolve().parent / "data" / "text_model.json"
FORMAT = 2
_STEM = 5
_EVIDENCE = 3  # words named in a finding
# Pictographs: emoji and the symbol blocks they live in (U+2190 to U+2BFF, arrows and dingbats included, and U+1F000
# to U+1FAFF); variation selectors, joiners and skin-tone modifiers (U+1F3FB to U+1F3FF) are not features of their own.
_PICTOGRAPH = re.compile("[\u2190-\u2bff\U0001f000-\U0001f3fa\U0001f400-\U0001faff]")


def _pictographs(text: str) -> list[str]:
    """The pictographs of `text`, in order, repeats kept."""
    return _PICTOGRAPH.findall(text) if not text.isascii() else []


def features(text: str) -> list[str]:
    """The distinct features of `text`, in the order first met (see the module docstring)."""
    found: dict[str, None] = {}
    previous = ""
    for token in tokens(text):
        word = token.text
        found[f"w:{word}"] = None
        if len(word) > _STEM:
            found[f"p:{word[:_STEM]}"] = None
        if previous:
            found[f"b:{previous} {word}"] = None
        previous = word
    for ch in _pictographs(text):
        found[f"e:{ch}"] = None
    return list(found)


@dataclass(frozen=True)
class Linear:
    """A weight per feature and a bias: the linear part of a logistic regression."""

    weights: dict[str, float]
    bias: float

    def margin(self, found: list[str]) -> float:
        if not found:
            return self.bias
        # (a missing feature weighs nothing: `get` gives None, and `filter` drops it)
        return self.bias + sum(filter(None, map(self.weights.get, found))) / math.sqrt(len(found))


@dataclass(frozen=True)
class Opinion:
    """What the model says of a text it flags: its score (0 to 1), the policy category it reads as, and the words
    that weighed most, with the span of the first of them in the text."""

    score: float
    category: str
    words: tuple[str, ...]
    start: int
    end: int

    @property
    def description(self) -> str:
        return CATEGORIES[self.category][1]

    @property
    def quoted(self) -> str:
        """The words that weighed most, each in quotation marks, for a finding's reason."""
        return ", ".join(f'"{w}"' for w in self.words)


@dataclass(frozen=True)
class TextModel:
    """One check's model: whether (`verdict`, above `threshold`) and which category (`categories`)."""

    verdict: Linear
    threshold: float
    categories: dict[str, Linear]

    def score(self, text: str) -> float:
        """The model's probability (0 to 1) that `text` is what the check looks for."""
        return _logistic(self.verdict.margin(features(text)))

    def judge(self, text: str) -> Opinion | None:
        """An `Opinion` when the model flags `text`, else None."""
        found = features(text)
        score = _logistic(self.verdict.margin(found))
        if score < self.threshold:
            return None
        category = max(sorted(self.categories), key=lambda name: self.categories[name].margin(found))
        weights = self.verdict.weights
        ranked = sorted((f for f in found if weights.get(f, 0.0) > 0.0), key=lambda f: (-weights[f], f))
        words = tuple(dict.fromkeys(_shown(f) for f in ranked))[:_EVIDENCE]
        start, end = _span(text, ranked[0] if ranked else "")
        return Opinion(round(score, 2), category, words, start, end)


def _shown(feature: str) -> str:
    """A feature as a reader would recognise it: the word, the pair, the stem with an ellipsis, the emoji."""
    kind, _, value = feature.partition(":")
    return f"{value}…" if kind == "p" else value


def _span(text: str, feature: str) -> tuple[int, int]:
    """Where in `text` the words of `feature` are (the whole text when it is not a word of it)."""
    kind, _, value = feature.partition(":")
    words = value.split(" ")
    toks = tokens(text)
    if kind in ("w", "b", "p"):
        for i, token in enumerate(toks):
            if kind == "p":
                if token.text.startswith(value):
                    return token.start, token.end
            elif [t.text for t in toks[i : i + len(words)]] == words:
                return token.start, toks[i + len(words) - 1].end
    if kind == "e":
        at = text.find(value)
        if at != -1:
            return at, at + len(value)
    return 0, len(text)


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _linear(entry: object, where: str) -> Linear:
    if not isinstance(entry, dict) or not isinstance(entry.get("weights"), dict) or "bias" not in entry:
        raise ValueError(f"text model: {where} has no weights")
    return Linear({str(k): float(v) for k, v in entry["weights"].items()}, float(entry["bias"]))


def parse(document: dict[str, object]) -> dict[str, TextModel]:
    """The models of a `text_model.json` document, by check id; a clear error if its shape is not the one written."""
    if document.get("format") != FORMAT:
        raise ValueError(f"text model: format {document.get('format')!r}, expected {FORMAT}")
    models = document.get("models")
    if not isinstance(models, dict) or not models:
        raise ValueError("text model: no models")
    out: dict[str, TextModel] = {}
    for check_id, entry in models.items():
        if not isinstance(entry, dict):
            raise ValueError(f"text model: {check_id} has no weights")
        categories = entry.get("categories")
        if not isinstance(categories, dict) or not categories:
            raise ValueError(f"text model: {check_id} has no categories")
        unknown = sorted(set(categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"text model: {check_id} has unknown categories {', '.join(unknown)}")
        out[str(check_id)] = TextModel(
            _linear(entry.get("verdict"), check_id),
            float(entry["threshold"]),
            {str(name): _linear(weights, f"{check_id} {name}") for name, weights in categories.items()},
        )
    return out


@functools.cache
def models() -> dict[str, TextModel]:
    """The shipped models, read once per process."""
    return parse(json.loads(DATA.read_text(encoding="utf-8")))


def model(check_id: str) -> TextModel | None:
    """The shipped model of `check_id`, or None when it has none."""
    return models().get(check_id)
