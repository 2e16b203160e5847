"""The language of the reports and emails: English, Welsh, or both (`[school] language`).

The copy is in gettext catalogues (reports/locale/cy/LC_MESSAGES/auditor.po, compiled to auditor.mo and shipped in
the package), read with Babel. Templates mark their copy with `{% trans %}` and `_()`; Python code asks a `Language`.
Check titles, failure titles and the vocabulary's words are looked up by their English text (their msgid), so the
check modules carry no markers. What a check writes about one finding (its reason) stays English.

Bilingual ("en+cy") puts the Welsh first, then the English, as the Welsh Language Standards ask: "Welsh / English"
for a heading, a badge or a subject; a sentence of body copy becomes the Welsh sentence then the English one.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "auditor"
ENGLISH, WELSH, BILINGUAL = "en", "cy", "en+cy"
# A translation at least this long, or holding a full stop, is body copy: in bilingual mode the two languages go on
# separate lines rather than side by side with a slash.
_LONG = 60
_SEPARATOR = " / "


@cache
def welsh() -> _gettext.NullTranslations:
    """The Welsh catalogue. Without its .mo (a broken install), the copy falls back to English rather than failing."""
    return Translations.load(str(LOCALE_DIR), ["cy"], DOMAIN)


def _is_body(text: str) -> bool:
    return len(text) >= _LONG or ". " in text.strip() or text.rstrip().endswith(".")


@dataclass(frozen=True)
class Language:
    """One report language: its gettext, the `lang` of its pages and the Content-Language of its emails."""

    code: str = ENGLISH
    catalogue: _gettext.NullTranslations = field(default_factory=NullTranslations, compare=False)

    @property
    def bilingual(self) -> bool:
        return self.code == BILINGUAL

    @property
    def html_lang(self) -> str:
        """The page's `lang`: English pages are en-GB; a bilingual page is Welsh first, its English parts marked."""
        return "en-GB" if self.code == ENGLISH else "cy"

    @property
    def content_language(self) -> str:
        """The emails' Content-Language header (RFC 3282): both languages for a bilingual message."""
        return {ENGLISH: "en-GB", WELSH: "cy", BILINGUAL: "cy, en-GB"}[self.code]

    def parts(self) -> list[Language]:
        """The single languages this one is made of, in the order they are shown: Welsh first."""
        if not self.bilingual:
            return [self]
        return [Language(WELSH, self.catalogue), Language()]

    def each(self, make: Callable[[Language], str]) -> str:
        """Text built piece by piece (a subject, a card's heading), made in each language and joined."""
        texts = list(dict.fromkeys(make(part) for part in self.parts()))
        return _SEPARATOR.join(texts)

    def _(self, message: str) -> str:
        """`message` in this language; in bilingual mode the Welsh, then the English."""
        welsh_text = self.catalogue.gettext(message)
        if not self.bilingual or welsh_text == message:
            return welsh_text
        return welsh_text + ("\n" if _is_body(message) else _SEPARATOR) + message

    def gettext(self, message: str) -> str:
        return self._(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        welsh_text = self.catalogue.ngettext(singular, plural, n)
        english = singular if n == 1 else plural
        if not self.bilingual or welsh_text == english:
            return welsh_text
        return welsh_text + ("\n" if _is_body(english) else _SEPARATOR) + english

    def html_gettext(self, message: str) -> str:
        """For the pages: in bilingual mode the English part is marked `lang="en-GB"` (the page itself is Welsh).
        The catalogue's text is the project's own; it is escaped all the same, so the result is safe markup."""
        welsh_text = self.catalogue.gettext(message)
        return self._html_pair(welsh_text, message)

    def html_ngettext(self, singular: str, plural: str, n: int) -> str:
        welsh_text = self.catalogue.ngettext(singular, plural, n)
        return self._html_pair(welsh_text, singular if n == 1 else plural)

    def _html_pair(self, welsh_text: str, english: str) -> str:
        if not self.bilingual or welsh_text == english:
            return welsh_text
        return str(_pair(welsh_text, english))

    def html_text(self, message: str) -> Markup:
        """Copy looked up by its English text, as safe markup for a page (bilingual: its English part marked)."""
        welsh_text = self.catalogue.gettext(message)
        if not self.bilingual or welsh_text == message:
            return escape(welsh_text)
        return _pair(welsh_text, message)


def _pair(welsh_text: str, english: str) -> Markup:
    """Welsh, then English marked as English: side by side for a label, on a new line for a sentence. The
    catalogue's text is the project's own; it is escaped all the same. A literal % stays a %: a template formats the
    pair with its placeholders afterwards."""
    joint = Markup("<br>") if _is_body(english) else Markup(" / ")
    return escape(welsh_text) + joint + Markup('<span lang="en-GB">') + escape(english) + Markup("</span>")


def language(code: str = ENGLISH) -> Language:
    """The `Language` for a `[school] language` value ("en", "cy" or "en+cy")."""
    if code == ENGLISH:
        return Language()
    return Language(code, welsh())


def N_(message: str) -> str:
    """Marks copy held in a constant for the catalogue; it is translated where it is shown."""
    return message
