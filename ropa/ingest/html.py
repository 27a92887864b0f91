"""HTML to plain text with the stdlib ``html.parser`` (tolerant of malformed markup).

Page furniture is dropped (scripts, styles, head, nav, header, footer, aside, hidden elements, cookie
banners); block elements end a block; ``h1``-``h6`` become headings and ``li`` list items (level = list
nesting); entities are decoded and whitespace inside a block collapsed to single spaces. Blocks are
separated by a blank line in the resulting text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ropa.ingest.builder import TextBuilder
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH, Block

SKIP_TAGS = frozenset(
    "script style noscript template svg head nav footer header aside iframe object canvas button select "
    "dialog math".split()
)
BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 tr br section article td th dt dd ul ol dl table thead tbody tfoot caption "
    "blockquote pre figure figcaption address fieldset legend form main hr details summary center body html "
    "option menu".split()
)
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
_HEAD_TAGS = frozenset("title meta link style script noscript base template".split())
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTENT_TAGS = frozenset("article main".split())
_BANNER_MARKS = ("consent", "gdpr-banner", "cookiebot", "onetrust", "cookieyes", "cc-banner", "cc-window")
_COOKIE_CONTENT_MARKS = ("policy", "section", "content", "declaration", "table", "list", "info")
_COOKIE_KEEP_TAGS = frozenset("section article main table ul ol li tr td h1 h2 h3 h4 h5 h6".split())
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE_RE = re.compile(r"\s+")
_ANY_TAG_RE = re.compile(r"<[^<>]*>")
_LONE_LT_RE = re.compile(r"<(?=[^<>]*(?:<|\Z))")


def parse(text: str) -> tuple[str, list[Block]]:
    """The visible text of an HTML document and its blocks."""
    text = _defuse(text)
    try:
        return _parse(text)
    except AssertionError:  # html.parser still asserts on a few malformed declarations
        return _parse(_ANY_TAG_RE.sub(" ", text).replace("<", "&lt;"))


def _defuse(text: str) -> str:
    """Escape ``<`` that no ``>`` closes and cut the text at an unterminated comment.

    ``html.parser`` rescans the rest of the document for each of them, which is quadratic on long inputs;
    browsers show such a ``<`` as text and hide an unterminated comment, as this does.
    """
    if "<" not in text:
        return text
    text = _LONE_LT_RE.sub("&lt;", text)
    last_close = text.rfind("-->")
    unclosed = text.find("<!--", last_close + 3 if last_close >= 0 else 0)
    return text[:unclosed] if unclosed >= 0 else text


def _parse(text: str) -> tuple[str, list[Block]]:
    parser = _NoticeParser()
    parser.feed(text)
    parser.close()
    return parser.out.build()


def is_banner(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """True for an element that looks like a cookie or consent banner (by its id or class)."""
    for name, value in attrs:
        if name not in ("id", "class") or not value:
            continue
        value = value.lower()
        if any(mark in value for mark in _BANNER_MARKS):
            return True
        if "cookie" in value and tag not in _COOKIE_KEEP_TAGS:
            if not any(mark in value for mark in _COOKIE_CONTENT_MARKS):
                return True
    return False


def is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    """True for an element hidden from readers (``hidden``, ``aria-hidden="true"``, ``display: none``)."""
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and (value or "").strip().lower() == "true"):
            return True
        if name == "style" and value and _HIDDEN_STYLE_RE.search(value):
            return True
    return False


class _NoticeParser(HTMLParser):
    """Collects visible text into blocks; see the module docstring for the rules."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = TextBuilder()
        self._buf: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._context: list[tuple[str, int]] = []  # open headings ("h", level) and list items ("li", depth)
        self._list_depth = 0
        self._content_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None and not self._leaves_head(tag):
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if self._skips(tag, attrs):
            self._flush()
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in BLOCK_TAGS:
            self._flush()
        self._open(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth <= 0:
                    self._skip_tag = None
            return
        if tag in BLOCK_TAGS:
            self._flush()
        self._close_tag(tag)

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Skip an unknown ``<![keyword`` section opener instead of failing on it."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3

    def _leaves_head(self, tag: str) -> bool:
        """A body element inside an unclosed ``<head>`` ends it, as browsers do."""
        if self._skip_tag == "head" and tag not in _HEAD_TAGS:
            self._skip_tag = None
            return True
        return False

    def _skips(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in VOID_TAGS:
            return False
        if tag == "header" and self._content_depth:
            return False  # an article's own header holds its title
        return tag in SKIP_TAGS or is_banner(tag, attrs) or is_hidden(attrs)

    def _open(self, tag: str) -> None:
        if tag in ("ul", "ol", "menu"):
            self._list_depth += 1
        elif tag == "li":
            self._pop_items(self._list_depth)
            self._context.append(("li", max(1, self._list_depth)))
        elif tag in _HEADINGS:
            self._context = [c for c in self._context if c[0] != "h"]
            self._context.append(("h", _HEADINGS[tag]))
        elif tag in _CONTENT_TAGS:
            self._content_depth += 1

    def _close_tag(self, tag: str) -> None:
        if tag in ("ul", "ol", "menu"):
            self._pop_items(self._list_depth)
            self._list_depth = max(0, self._list_depth - 1)
        elif tag == "li":
            self._pop_items(max(1, self._list_depth))
        elif tag in _HEADINGS:
            self._context = [c for c in self._context if c[0] != "h"]
        elif tag in _CONTENT_TAGS:
            self._content_depth = max(0, self._content_depth - 1)

    def _pop_items(self, depth: int) -> None:
        """Close list items at ``depth`` or deeper (an ``li`` may be left unclosed in HTML)."""
        while self._context and self._context[-1][0] == "li" and self._context[-1][1] >= depth:
            self._context.pop()

    def _flush(self) -> None:
        if not self._buf:
            return
        content = _SPACE_RE.sub(" ", "".join(self._buf)).strip()
        self._buf.clear()
        kind, level = self._context[-1] if self._context else ("p", 0)
        if kind == "h":
            self.out.add(content, HEADING, level)
        elif kind == "li":
            self.out.add(content, LIST_ITEM, level)
        else:
            self.out.add(content, PARAGRAPH)
