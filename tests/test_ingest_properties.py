"""Property tests: ingestion never crashes and its offsets always hold, whatever the input text."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ropa.errors import NoticeError
from ropa.ingest import HTML, MARKDOWN, PLAIN, from_text, read, sentences
from ropa.model import Document

# Characters that stress the parsers: line breaks of every kind, controls, zero-width and RTL marks,
# bullets, markup, sentence punctuation and a sprinkle of letters in several scripts.
_SPECIAL = list(
    "\n\n\n\r\t \x00\x01\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x85\xa0\u2028\u2029\u200b\u200e\u200f\u202e\ufeff"
    "-*•·◦–#>|`_~[]()<>/!=\"'“”‘’.,;:?1234567890aAeEzZæøåÆØÅßéאבعربيةпривет中文"
)
_WORDS = ["Privacy", "Policy", "we", "the", "data", "e.g.", "Art.", "No.", "U.S.", "6.1.a", "If you are", "1.", "(a)"]
_PIECE = st.one_of(st.sampled_from(_SPECIAL), st.sampled_from(_WORDS), st.text(max_size=8))
_TEXT = st.lists(_PIECE, max_size=300).map("".join)
_SHORT_TEXT = st.lists(_PIECE, max_size=12).map("".join)
_TAGS = ["<p>", "</p>", "<div class='cookie-banner'>", "</div>", "<h2>", "</h2>", "<ul>", "<li>", "</ul>", "<br>",
         "<script>", "</script>", "<nav>", "</nav>", "<head>", "<body>", "&amp;", "&#0;", "&#xD800;", "<!--", "-->",
         "<![CDATA[", "]]>", "<!doctype html>", "<a href='x'>", "</a>", "<svg>", "<input class=consent>", "<", "<!",
         "<?", "</", "<![if", "&#", "&#x", "<a b='", "<p/", "<style>", "</style>", "<li", "=", "'", '"']
_HTMLISH = st.lists(st.one_of(st.sampled_from(_TAGS), _SHORT_TEXT), max_size=60).map("".join)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_blocks(doc: Document) -> None:
    text = doc.text
    previous_end = 0
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(text)
        piece = text[block.start : block.end]
        assert piece == piece.strip() != ""
        assert block.start >= previous_end, "blocks overlap or are out of order"
        previous_end = block.end


def _check_sentences(text: str, start: int, end: int) -> None:
    last = start
    for s, e in sentences(text, start, end):
        assert start <= s < e <= end
        assert s >= last
        piece = text[s:e]
        assert piece == piece.strip() != ""
        last = e


@_SETTINGS
@given(_TEXT)
def test_plain_text_never_crashes_and_offsets_hold(text: str) -> None:
    doc = from_text(text, "fuzz.txt")
    _check_blocks(doc)
    for block in doc.blocks:
        _check_sentences(doc.text, block.start, block.end)


@_SETTINGS
@given(_TEXT, st.integers(-5, 400), st.integers(-5, 400))
def test_sentences_stay_inside_any_range(text: str, start: int, end: int) -> None:
    lo = max(0, start)
    hi = min(len(text), end)
    for s, e in sentences(text, start, end):
        assert lo <= s < e <= hi
        assert text[s:e] == text[s:e].strip() != ""


@_SETTINGS
@given(_HTMLISH)
def test_html_never_crashes_and_offsets_hold(text: str) -> None:
    doc = from_text(text, "fuzz.html", HTML)
    _check_blocks(doc)


@_SETTINGS
@given(_HTMLISH)
def test_markdown_never_crashes_and_offsets_hold(text: str) -> None:
    doc = from_text(text, "fuzz.md", MARKDOWN)
    _check_blocks(doc)


@_SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_unicode_in_every_format(text: str) -> None:
    for media_type in (PLAIN, MARKDOWN, HTML):
        _check_blocks(from_text(text, "any", media_type))


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["a", "x. ", "\u200b", "مرحبا ", "Privacy Policy ", "*", " "]), st.integers(5_000, 60_000))
def test_huge_lines(unit: str, repeat: int) -> None:
    text = "Title\n" + unit * repeat + "\nEnd."
    doc = from_text(text, "huge.txt")
    _check_blocks(doc)
    _check_sentences(doc.text, 0, len(doc.text))


@_SETTINGS
@given(_TEXT)
def test_plain_text_is_never_rewritten(text: str) -> None:
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert from_text(text, "same.txt").text == expected


_PREFIXES = st.sampled_from([b"", b"%PDF-1.4\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"# Title\n"])


@settings(max_examples=120, deadline=None)
@given(_PREFIXES, st.binary(max_size=600), st.sampled_from([".txt", ".md", ".html", ".pdf", ".dat"]))
def test_read_of_arbitrary_bytes_returns_or_raises_notice_error(prefix: bytes, body: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"notice{suffix}"
        path.write_bytes(prefix + body)
        try:
            doc = read(path)
        except NoticeError as e:
            assert path.name in str(e)
        else:
            _check_blocks(doc)
