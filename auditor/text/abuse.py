"""Finds profanity, slurs, insults, threats and unprofessional themes in a text (SMP-2.3 and SMP-2.6).

Matching is on word boundaries over normalised tokens (`auditor.text.normalise`), so "Scunthorpe" is one word and
never "cunt", and `f*cking`, `sh1t`, `fuuuck` and `f u c k` read as what they are. A match is then dropped when the
school allowlist shows the innocent sense: inside an innocent phrase ("blue tit"), or beside words of an innocent
context ("hooker" in a rugby report). Everything is compiled once (`detector()`), then each text costs a few dict
look-ups per word.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor.model import Severity
from auditor.text import patterns, welsh, wordlists
from auditor.text.lang import Language, is_welsh_word, language
from auditor.text.normalise import Token, has_mask, mask_pattern, tokens

_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")
# A word masked with an emoji or a dash, which the tokeniser would split: "F🤬ck", "sh🤬t", "f—", "what the f- is".
_SYMBOL_MASK = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,4})([\U0001f92c\u2014\u2013#-]+)([^\W\d_]*)(?![^\W\d_])")
_MASK_CHARS = frozenset("\U0001f92c\u2014\u2013#-")
_SEEN_LIMIT = 100_000
_UNSEEN = "\x00"  # no category is called this: a form not looked up yet
_MASK = "*"
_SECOND_PERSON = frozenset({"you", "u", "ya", "yourself", "urself", "yaself", "ti", "di", "chi"})
_SPORT = frozenset(wordlists.SPORT_CONTEXT)
_RANK = {category: rank for rank, category in enumerate(wordlists.CATEGORIES)}


@dataclass(frozen=True)
class Match:
    category: str
    term: str  # the normalised words matched ("fucking", "kill you")
    start: int  # span in the original text
    end: int

    @property
    def severity(self) -> Severity:
        return wordlists.CATEGORIES[self.category][0]

    @property
    def description(self) -> str:
        return wordlists.CATEGORIES[self.category][1]


def _expand(entry: str) -> list[str]:
    """ "you {are|re} dead" -> ["you are dead", "you re dead"]."""
    parts = _ALTERNATIVES.split(entry)
    choices = [part.split("|") if i % 2 else [part] for i, part in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*choices)]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokens(phrase))


class Detector:
    """The compiled word lists. Build it once with `detector()`; `find` is then safe to call from any thread."""

    def __init__(
        self,
        lexicon: dict[str, tuple[str, ...]],
        innocent_phrases: Iterable[str],
        innocent_context: dict[str, tuple[str, ...]],
        welsh_only: dict[str, tuple[str, ...]] | None = None,
        category_context: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._words: dict[str, str] = {}
        self._stems: list[tuple[str, str]] = []
        # Phrases by their first two words: most words begin no phrase, and "you" begins many.
        self._phrases: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        # The first category listed wins, so a word in two lists gets the more serious one.
        for category in wordlists.CATEGORIES:
            for entry in lexicon.get(category, ()):
                for text in _expand(entry):
                    if text.endswith("*") and " " not in text:
                        self._stems.append((_words(text[:-1])[0], category))
                        continue
                    words = _words(text)
                    if len(words) == 1:
                        self._words.setdefault(words[0], category)
                    elif words:
                        self._phrases.setdefault((words[0], words[1]), []).append((words, category))
        # Each form's category (or None) once worked out: most words of a school's posts recur.
        self._seen: dict[str, str | None] = {}
        self._phrase_firsts = frozenset(first for first, _ in self._phrases)
        stems = sorted({s for s, _ in self._stems}, key=len, reverse=True)
        self._stem_re = re.compile("|".join(map(re.escape, stems))) if stems else None
        self._stem_category = dict(reversed(self._stems))
        self._innocent: dict[str, list[tuple[str, ...]]] = {}
        for entry in innocent_phrases:
            for text in _expand(entry):
                words = _words(text)
                for word in set(words):
                    self._innocent.setdefault(word, []).append(words)
        self._context = {_words(k)[0]: frozenset(v) for k, v in innocent_context.items()}
        self._category_context = {k: frozenset(_words(" ".join(v))) for k, v in (category_context or {}).items()}
        # Words that count only in Welsh or bilingual text ("hurt", "ast"): looked up after the word lists miss.
        self._welsh_only: dict[str, str] = {}
        for category, entries in (welsh_only or {}).items():
            for entry in entries:
                for form in _words(entry)[:1]:
                    self._welsh_only.setdefault(form, category)

    def _word_category(self, form: str) -> str | None:
        try:
            return self._seen[form]
        except KeyError:
            pass
        category = self._words.get(form)
        if category is None and self._stem_re is not None:
            m = self._stem_re.match(form)
            if m:
                category = self._stem_category[m.group()]
        if category is None and form.startswith("ph") and len(form) > 3:
            # "phuck", "phuk": "ph" for "f" disguises a swear word, and only a swear word ("photo" stays a photo)
            disguised = self._stem_lookup("f" + form[2:])
            category = disguised if disguised == "profanity" else None
        if len(self._seen) >= _SEEN_LIMIT:
            self._seen.clear()  # a bound on memory; the words of ordinary posts come back within a few posts
        self._seen[form] = category
        return category

    def _stem_lookup(self, form: str) -> str | None:
        category = self._words.get(form)
        if category is None and self._stem_re is not None:
            m = self._stem_re.match(form)
            if m:
                category = self._stem_category[m.group()]
        return category

    def _masked(self, form: str) -> tuple[str, str] | None:
        """What a masked word (`f*cking`, `c*nt`) hides, if it hides a listed word."""
        pattern = mask_pattern(form)
        if pattern is None:
            return None
        candidates = [(w, c) for w, c in self._words.items() if len(w) == len(form) and pattern.fullmatch(w)]
        for stem, category in self._stems:
            head = mask_pattern(form[: len(stem)])
            if len(form) >= len(stem) and head is not None and head.fullmatch(stem) and not has_mask(form[len(stem) :]):
                candidates.append((stem + form[len(stem) :], category))
        # "f**k" could hide "feck" or worse; a reader assumes the worse, and so does the finding.
        return min(candidates, key=lambda wc: _RANK[wc[1]], default=None)

    def find(self, text: str, categories: Iterable[str] | None = None) -> list[Match]:
        """Every listed word, phrase or pattern in `text` that the allowlist does not excuse, in reading order."""
        wanted = None if categories is None else frozenset(categories)
        toks = tokens(text)
        vocabulary = {form for t in toks for form in t.forms}
        found: list[tuple[int, int, str, str]] = []  # first token, last token, category, term
        seen_get, word_category, phrase_firsts = self._seen.get, self._word_category, self._phrase_firsts
        last_token = len(toks) - 1
        for i, tok in enumerate(toks):
            if len(tok.forms) == 1 and (tok.text not in phrase_firsts or i == last_token):
                # Most words: one reading, beginning no phrase.
                form = tok.text
                category = seen_get(form, _UNSEEN)
                if category is _UNSEEN:
                    category = word_category(form)
                if category is None and _MASK in form:
                    masked = self._masked(form)
                    if masked:
                        found.append((i, i, masked[1], masked[0]))
                elif category is not None:
                    found.append((i, i, category, form))
                continue
            for form in tok.forms:
                category = seen_get(form, _UNSEEN)
                if category is _UNSEEN:
                    category = word_category(form)
                term = form
                if category is None and _MASK in form:
                    masked = self._masked(form)
                    if masked:
                        term, category = masked
                if category is not None:
                    found.append((i, i, category, term))
                    break
            if i < last_token and not phrase_firsts.isdisjoint(tok.forms):
                for form in tok.forms:
                    for second in toks[i + 1].forms:
                        for words, category in self._phrases.get((form, second), ()):
                            if _matches_at(toks, i, words):
                                found.append((i, i + len(words) - 1, category, " ".join(words)))
        if not vocabulary.isdisjoint(wordlists.THREAT_VERBS):
            found.extend(self._threats(toks))
        found.extend(patterns.find(toks, text))
        spans: dict[tuple[int, str], tuple[int, int]] = {}  # masked words: the span as published ("f—")
        if _letter_then_mask(text):
            found.extend(self._symbol_masked(toks, text, spans))
        if not vocabulary.isdisjoint(self._welsh_only):
            found.extend(self._welsh_only_words(toks))

        matches: list[Match] = []
        seen: set[tuple[int, str]] = set()
        for first, last, category, term in sorted(found):
            if wanted is not None and category not in wanted:
                continue
            if (first, category) in seen or self._excused(toks, first, last, category, term, vocabulary):
                continue
            seen.add((first, category))
            start, end = spans.get((first, category), (toks[first].start, toks[last].end))
            matches.append(Match(category, term, start, end))
        return matches

    def _welsh_only_words(self, toks: Sequence[Token]) -> list[tuple[int, int, str, str]]:
        """Words that are Welsh insults but also English words ("hurt"), where the Welsh reading holds: the text is
        Welsh, or the word follows a Welsh word ("mor hurt", "yn hurt")."""
        welsh_text = language(toks) == "cy"
        return [
            (i, i, self._welsh_only[t.text], t.text)
            for i, t in enumerate(toks)
            if t.text in self._welsh_only and (welsh_text or (i > 0 and is_welsh_word(toks[i - 1].text)))
        ]

    def language(self, text: str) -> Language:
        """The language step on its own, for reports and the benchmark: "en", "cy", "bilingual" or "unknown"."""
        return language(tokens(text))

    def _symbol_masked(
        self, toks: Sequence[Token], text: str, spans: dict[tuple[int, str], tuple[int, int]]
    ) -> list[tuple[int, int, str, str]]:
        """Words masked with an emoji or a dash ("F🤬ck", "f—"), read as `*` masks, on the tokens they cover."""
        out: list[tuple[int, int, str, str]] = []
        # The tokens a mask covers, found by halving (tokens are in order and never overlap): a long comment of
        # masked words costs its length, not its square.
        starts, ends = [t.start for t in toks], [t.end for t in toks]
        for m in _SYMBOL_MASK.finditer(text):
            head, mask, tail = m.group(1).lower(), m.group(2), m.group(3).lower()
            form = head + "*" * len(mask) + tail
            if mask.strip("-") == "" and tail:
                # A hyphen inside a word is a compound ("x-ray", "e-safety"), unless the list has it ("a-hole").
                category = self._words.get(form)
                hidden = (form, category) if category else None
            elif tail:
                hidden = self._masked(form)
            else:
                stub = wordlists.MASKED_STUBS.get(head)
                hidden = (stub, self._word_category(stub) or "profanity") if stub else None
            if hidden is None:
                continue
            first, after = bisect.bisect_right(ends, m.start()), bisect.bisect_left(starts, m.end())
            if first < after:
                out.append((first, after - 1, hidden[1], hidden[0]))
                spans[(first, hidden[1])] = m.span()
        return out

    def _threats(self, toks: Sequence[Token]) -> list[tuple[int, int, str, str]]:
        """An intention, then a violent verb, then who or what it is aimed at: "gonna smash the head's car"."""
        out: list[tuple[int, int, str, str]] = []
        reach = wordlists.THREAT_REACH
        for i, tok in enumerate(toks):
            if tok.text not in wordlists.THREAT_VERBS:
                continue
            if not any(t.text in wordlists.THREAT_INTENT for t in toks[max(0, i - reach) : i]):
                continue
            for j in range(i + 1, min(len(toks), i + 2 + reach)):
                if toks[j].text in wordlists.THREAT_TARGETS:
                    out.append((i, j, "threat", " ".join(t.text for t in toks[i : j + 1])))
                    break
        return out

    def _excused(
        self, toks: Sequence[Token], first: int, last: int, category: str, term: str, vocabulary: set[str]
    ) -> bool:
        category_context = self._category_context.get(category)
        if category_context is not None and not category_context.isdisjoint(vocabulary):
            return True
        # The term's words as the lists spell them: a shape is quoted as published ("You'll"), and read normalised.
        words = list(_words(term)) or term.split()
        # A threat's context is its verb's: "shoot" beside "photo" is a photo shoot.
        # Sport excuses "smash them on Saturday" (the other team), never a threat to the reader: "I'll kill you after
        # the match" is aimed at a person.
        if len(words) == 1 or category == "threat":
            context = self._context.get(words[0])
            if context is not None and category == "threat" and not _SECOND_PERSON.isdisjoint(words):
                context = context - _SPORT
            if context is not None and not context.isdisjoint(vocabulary):
                return True
        for i in range(first, last + 1):
            for phrase in self._innocent.get(toks[i].text, ()):
                for offset in range(len(phrase)):
                    start = i - offset
                    if start <= first and start + len(phrase) - 1 >= last and _matches_at(toks, start, phrase):
                        return True
        return False


def _letter_then_mask(text: str) -> bool:
    """Whether a mask character follows a letter somewhere, as `_SYMBOL_MASK` needs ("F🤬ck", "f—"): a letter as the
    pattern reads one, a word character that is no decimal digit and no underscore."""
    for mask in _MASK_CHARS:
        i = text.find(mask, 1)
        while i != -1:
            before = text[i - 1]
            if before.isalnum() and not before.isdecimal():
                return True
            i = text.find(mask, i + 1)
    return False


def _matches_at(toks: Sequence[Token], start: int, words: tuple[str, ...]) -> bool:
    if start < 0 or start + len(words) > len(toks):
        return False
    return all(word in toks[start + k].forms for k, word in enumerate(words))


@functools.cache
def detector() -> Detector:
    """The school's word lists, compiled once per process."""
    return Detector(
        _with_welsh(),
        wordlists.INNOCENT_PHRASES,
        wordlists.INNOCENT_CONTEXT,
        welsh.WELSH_ONLY,
        wordlists.INNOCENT_CATEGORY_CONTEXT,
    )


def _with_welsh() -> dict[str, tuple[str, ...]]:
    """The English lists with the Welsh ones added, each one-word Welsh entry with its mutated forms."""
    merged = {category: list(entries) for category, entries in wordlists.LEXICON.items()}
    for category, entries in welsh.LEXICON.items():
        for entry in entries:
            forms = [entry] if " " in entry or entry in welsh.NO_MUTATION else welsh.mutations(entry)
            merged.setdefault(category, []).extend(forms)
    return {category: tuple(entries) for category, entries in merged.items()}


def excerpt(text: str, match_start: int, match_end: int, width: int = 60) -> str:
    """The words around text[match_start:match_end], as published, with an ellipsis where the text was cut."""
    start = max(0, match_start - width)
    end = min(len(text), match_end + width)
    if start > 0:
        space = text.find(" ", start, match_start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", match_end, end)
        end = space if space != -1 else end
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")
