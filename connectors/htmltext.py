"""HTML that platforms send (Mastodon notes, fields and posts; feed entries) turned into plain text and links.

Markup never reaches the model: checks read text as a reader sees it, and reports escape what they show anyway.

One pass over the markup with the standard library's HTML tokenizer, no tree: each post's three fragments used to be
built into a BeautifulSoup tree and searched a dozen times, the largest cost of a big run (issue 18). The text is
the same as that tree gave (`tests/connectors/test_htmltext.py` compares the two on generated markup): the strings a
reader sees, in document order, with a line break for each `<br>` and a blank line around each block (paragraph,
division, list item, heading, quotation); nothing from scripts, styles, templates, ruby annotations, comments or
declarations; a run of only spaces between two tags read as one space (or one line break if it has one), except
inside `<pre>` and `<textarea>`; character references resolved as BeautifulSoup resolves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from bs4.dammit import EntitySubstitution, UnicodeDammit

# Mastodon marks links to profiles and hashtags on its own server; they are navigation, not links the school chose.
_INTERNAL_LINK_CLASSES = frozenset({"mention", "hashtag"})
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
# Elements that never hold anything, closed as soon as they open (as BeautifulSoup's HTML builder has them).
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta", "param",
        "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex", "nextid", "spacer",
    }
)  # fmt: skip
# Elements whose strings a reader does not see as text (BeautifulSoup keeps them apart from the text too).
_HIDDEN_STRINGS = frozenset({"script", "style", "template", "rt", "rp"})
# Elements whose contents keep their spaces as written.
_PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACES = frozenset("\x20\x0a\x09\x0c\x0d")
_DECIMAL_THEN_DATA = re.compile(r"^([0-9]+)(.*)", re.DOTALL)
_HEX_THEN_DATA = re.compile(r"^([0-9a-f]+)(.*)", re.DOTALL)


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None


@dataclass(frozen=True)
class Parsed:
    text: str
    links: tuple[str, ...]
    images: tuple[Image, ...]


class _Reader(HTMLParser):
    """Collects text, links and images as the tokenizer reads; keeps only the names of the open elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.links: list[str] = []
        self.images: list[Image] = []
        self._open: list[str] = []  # names of the open elements, innermost last
        self._data: list[str] = []  # the text since the last tag, comment or declaration
        self._hidden: list[str] = []  # open elements in _HIDDEN_STRINGS, innermost last
        self._preserve = 0  # open <pre> and <textarea>
        self._dropped = 0  # open <script> and <style>: removed with everything in them

    # A run of text ends at every tag, comment and declaration; it is text only outside hidden elements.
    def _flush(self) -> None:
        if not self._data:
            return
        data = "".join(self._data)
        self._data = []
        if self._dropped or self._hidden:
            return
        if not self._preserve and all(ch in _ASCII_SPACES for ch in data):
            data = "\n" if "\n" in data else " "
        self.out.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open_tag(tag, attrs, closes_itself=tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open_tag(tag, attrs, closes_itself=False)
        self._close(tag)

    def _open_tag(self, tag: str, attrs: list[tuple[str, str | None]], closes_itself: bool) -> None:
        self._flush()
        values = {key: "" if value is None else value for key, value in attrs}  # the last of a repeated one wins
        if self._dropped:
            pass  # inside a script or style: nothing there is read (the tokenizer gives no tags there anyway)
        elif tag == "a":
            self._anchor(values)
        elif tag == "img" and "src" in values:
            alt = values.get("alt")
            self.images.append(Image(values["src"], alt.strip() if alt is not None else None))
        if tag == "br" and not self._dropped:
            self.out.append("\n")
        if tag in _BLOCKS and not self._dropped:
            self.out.append("\n\n")
        if closes_itself:
            return
        self._open.append(tag)
        if tag in _HIDDEN_STRINGS:
            self._hidden.append(tag)
        if tag in _PRESERVE:
            self._preserve += 1
        if tag in ("script", "style"):
            self._dropped += 1

    def _anchor(self, values: dict[str, str]) -> None:
        href = values.get("href")
        classes = set(values.get("class", "").split())
        rel = set(values.get("rel", "").split())
        if href is None or not href.strip() or classes & _INTERNAL_LINK_CLASSES or "tag" in rel:
            return
        href = href.strip()
        if href.lower().startswith(("http://", "https://")) and href not in self.links:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag not in _VOID:  # a void element is never open: its end tag closes nothing
            self._close(tag)

    def _close(self, tag: str) -> None:
        """Close `tag` and every element opened inside it; an end tag with no such element open closes nothing."""
        self._flush()
        if tag not in self._open:
            return
        while self._open:
            name = self._open.pop()
            if name in _HIDDEN_STRINGS:
                self._hidden.pop()
            if name in _PRESERVE:
                self._preserve -= 1
            if name in ("script", "style"):
                self._dropped -= 1
            elif name in _BLOCKS and not self._dropped:
                self.out.append("\n\n")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self._data.append(data)

    def handle_entityref(self, name: str) -> None:
        # A name that is no entity is the literal text "&name" (any semicolon is lost, as BeautifulSoup has it).
        character = EntitySubstitution.HTML_ENTITY_TO_CHARACTER.get(name)
        self._data.append(character if character is not None else f"&{name}")

    def handle_charref(self, name: str) -> None:
        base, pattern = (16, _HEX_THEN_DATA) if name[:1] in ("x", "X") else (10, _DECIMAL_THEN_DATA)
        digits = name[1:] if base == 16 else name
        try:
            number, extra = int(digits, base), ""
        except ValueError:
            match = pattern.search(digits)
            if match is None:
                self._data.append(digits)
                return
            number, extra = int(match.group(1), base), match.group(2)
        character, _ = UnicodeDammit.numeric_character_reference(number)
        self._data.append(character + extra)

    # Comments, declarations and processing instructions end a run of text and are not text; CDATA sections are.
    def handle_comment(self, data: str) -> None:
        self._flush()

    def handle_decl(self, decl: str) -> None:
        self._flush()

    def handle_pi(self, data: str) -> None:
        self._flush()

    def unknown_decl(self, data: str) -> None:
        self._flush()
        if data.upper().startswith("CDATA["):
            self._data.append(data[len("CDATA[") :])
            self._flush_cdata()

    def _flush_cdata(self) -> None:
        """A CDATA section is text even inside a template or ruby annotation, though not inside a script or style."""
        hidden, self._hidden = self._hidden, []
        try:
            self._flush()
        finally:
            self._hidden = hidden

    def finish(self) -> None:
        self.close()
        self._flush()
        while self._open:
            self._close(self._open[0])


def parse_html(html: str | None) -> Parsed:
    if not html:
        return Parsed("", (), ())
    reader = _Reader()
    reader.feed(html)
    reader.finish()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(reader.out).split("\n")]
    return Parsed(_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip(), tuple(reader.links), tuple(reader.images))
