"""HTML that platforms send (Mastodon notes, fields and posts; feed entries) turned into plain text and links.

Markup never reaches the model: checks read text as a reader sees it, and reports escape what they show anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

# Mastodon marks links to profiles and hashtags on its own server; they are navigation, not links the school chose.
_INTERNAL_LINK_CLASSES = frozenset({"mention", "hashtag"})
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None


@dataclass(frozen=True)
class Parsed:
    text: str
    links: tuple[str, ...]
    images: tuple[Image, ...]


def parse_html(html: str | None) -> Parsed:
    if not html:
        return Parsed("", (), ())
    soup = BeautifulSoup(html, "html.parser")
    for dropped in soup.find_all(["script", "style"]):
        dropped.decompose()
    links: list[str] = []
    for anchor in soup.find_all("a"):
        if not isinstance(anchor, Tag):
            continue
        href = anchor.get("href")
        classes = set(anchor.get_attribute_list("class") or [])
        rel = set(anchor.get_attribute_list("rel") or [])
        if not isinstance(href, str) or not href.strip() or classes & _INTERNAL_LINK_CLASSES or "tag" in rel:
            continue
        href = href.strip()
        if href.lower().startswith(("http://", "https://")) and href not in links:
            links.append(href)
    images = []
    for img in soup.find_all("img"):
        if isinstance(img, Tag) and isinstance(img.get("src"), str):
            alt = img.get("alt")
            images.append(Image(str(img.get("src")), alt.strip() if isinstance(alt, str) else None))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = soup.get_text()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return Parsed(_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip(), tuple(links), tuple(images))
