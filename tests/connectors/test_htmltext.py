"""`parse_html` reads markup in one pass (issue 18) and gives what the BeautifulSoup tree it replaced gave: the old
implementation is kept here as the reference, and generated markup (blocks, line breaks, links, images, scripts,
templates, comments, CDATA, character references, stray end tags, unclosed elements) must come out the same."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.connectors.htmltext import Image, Parsed, parse_html

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def reference(html: str | None) -> Parsed:
    """The tree-based implementation this module had before issue 18."""
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
        if not isinstance(href, str) or not href.strip() or classes & {"mention", "hashtag"} or "tag" in rel:
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


_TAGS = ["p", "div", "li", "h2", "blockquote", "span", "a", "b", "pre", "template", "rt", "ul", "script", "style"]
_PIECES = [
    "Well done",
    " Year 9 ",
    "\n",
    "  \n\n ",
    " ",
    "\t",
    "&amp;",
    "&nbsp;",
    "&foo;",
    "&copy",
    "&#233;",
    "&#150;",
    "&#x41;",
    "&#X1F600;",
    "&#0;",
    "a < b",
    "<br>",
    "<br/>",
    "</br>",
    "<hr>",
    "<!-- note -->",
    "<!DOCTYPE html>",
    "<?php x ?>",
    "<![CDATA[ raw <b> ]]>",
    '<img src="https://files.example/a.jpg" alt=" A pupil ">',
    "<img src>",
    "<img alt=x>",
    '<a href="https://school.example/x">link</a>',
    '<a href=" HTTPS://school.example/y " class="u-url mention">@h</a>',
    '<a href="https://t.example/tag" rel="nofollow tag">#tag</a>',
    '<a href="https://a.example" href="https://b.example">dup</a>',
    '<a href="mailto:x@y.example">mail</a>',
    "<p/>",
    "</p>",
    "</div>",
    "<p>",
]


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            inner = draw(markup(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))
            parts.append(f"<{tag}>{inner}{close}")
        else:
            parts.append(draw(st.sampled_from(_PIECES)))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(markup())
def test_one_pass_reads_generated_markup_as_the_tree_did(html):
    assert parse_html(html) == reference(html)


def test_examples_read_as_the_tree_did():
    examples = [
        None,
        "",
        "<p>Well done Year 9!</p><p>Second   line<br>third</p>",
        '<p>Trip to <a href="https://museum.example/visit">the museum</a> &amp; park</p><script>alert(1)</script>',
        "<div><p>nested<p>unclosed</div>after",
        "<ul><li>one</li><li>two<li>three</ul>",
        "<pre>  keep   spaces  </pre>   <span>  </span>x",
        "<template><p>hidden</p></template>shown<ruby>漢<rt>kan</rt></ruby>",
        "a&#150;b &#x2019; &unknown; &lt;tag&gt;",
        '<p>Photo: <img src="https://cdn.example/1.jpg" alt="Pupils at the fair"></p>',
        "<style>p { color: red }</style><p>styled</p><script>never",
    ]
    for html in examples:
        assert parse_html(html) == reference(html), html
    parsed = parse_html('<p>See <a href="https://school.example/news">news</a></p><p>Bye<br>now</p>')
    assert parsed.text == "See news\n\nBye\nnow"
    assert parsed.links == ("https://school.example/news",)
