"""Property tests from bytes or text to the graph: ingestion + ``rules.v4`` extraction + graph building never crash,
and every piece of evidence points inside the ingested text at exactly its quote.

tests/test_ingest_properties.py covers ingestion alone (blocks and sentences); this file goes end to end, with
text built from notice phrases the extractor reacts to, mixed with hostile characters: controls, zero-width and
bidi marks, right-to-left scripts, huge lines, nested or broken HTML and bytes in mixed encodings.
bench/fuzz.py runs the same properties at high example counts for a bounded time.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ropa.errors import NoticeError
from ropa.extract import get
from ropa.graph.build import build_dataset
from ropa.graph.io import serialize
from ropa.ingest import HTML, MARKDOWN, PLAIN, from_text, read
from ropa.model import Document, Fact, NoticeRecord

# Phrases that fire the extractor's rules (controller, data, purposes, legal bases, transfers, retention, rights).
PHRASES = [
    "Privacy Policy", "Evil Ltd", "Acme A/S, CVR 12345678, is the data controller", "info@example.com",
    "+45 12 34 56 78", "If you are a customer", "Job applicants", "We collect your name and email address",
    "IP address", "health data", "to provide our services", "for marketing", "based on your consent",
    "legitimate interest", "Art. 6(1)(f)", "GDPR 6.1.a", "Article 6, paragraph 1 point b", "performance of a contract",
    "legal obligation", "We keep your data for 5 years", "up to 10 years", "after the end of the contract",
    "United States", "outside the EU/EEA", "standard contractual clauses", "Privacy Shield", "we never",
    "except", "we do not transfer", "the right to access", "right to object", "Datatilsynet", "supervisory authority",
    "Last updated: 1 January 2020", "our service providers", "group companies", "e.g.", "Art.", "No.",
]
HOSTILE = list("\n\n\n\r\t \x00\x01\x0b\x0c\x1b\x1f\x7f\x85\xa0\u2028\u2029\u200b\u200c\u200d\u2060\ufeff"
               "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069\u0301\ud7ff\uffff"
               "-*•·◦–#>|`_~[]()<>/!=\"'“”.,;:?0123456789")
RTL = ["مرحبا بكم في سياسة الخصوصية", "שלום עולם", "البريد الإلكتروني", "\u202eLtd Evil\u202c", "ﷺ", "ﻻ"]
MARKUP = ["<p>", "</p>", "<div>", "</div>", "<h2>", "</h2>", "<ul>", "<li>", "</li>", "</ul>", "<br>", "<script>",
          "</script>", "<nav>", "</nav>", "<table><tr><td>", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<!--", "-->",
          "<![CDATA[", "]]>", "<a href='", "'>", "<", "</", "<b", "<svg><foreignObject>", "<style>", "</style>",
          "- ", "* ", "1. ", "# ", "## ", "**", "[x](", ")", "> ", "```", "\n---\n"]

PIECE = st.one_of(st.sampled_from(PHRASES), st.sampled_from(HOSTILE), st.sampled_from(RTL), st.sampled_from(MARKUP),
                  st.text(max_size=12))
TEXT = st.lists(PIECE, max_size=150).map(" ".join) | st.lists(PIECE, max_size=150).map("".join)
MEDIA = st.sampled_from([PLAIN, MARKDOWN, HTML])
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))

EXTRACTOR = get("rules.v4")


def all_facts(rec: NoticeRecord) -> list[Fact]:
    facts = [*rec.controller.facts, *rec.notice_facts]
    for act in rec.activities:
        facts += act.facts
        for tr in act.transfers:
            facts += [*tr.destinations, *tr.safeguards, *tr.statements]
    return facts


def read_or_refused(path: Path) -> Document | None:
    """Read a notice file; a refusal must be one line naming the file (then None). Shared with bench/fuzz.py."""
    try:
        return read(path)
    except NoticeError as err:
        assert path.name in str(err) and "\n" not in str(err), str(err)
        return None


def check_record(doc: Document) -> NoticeRecord:
    """Extract ``doc`` and assert the evidence properties; also build and serialise its graph."""
    rec = EXTRACTOR.extract(doc)
    text = doc.text
    for act in rec.activities:
        assert 0 <= act.span[0] <= act.span[1] <= len(text), act.span
    for fact in all_facts(rec):
        ev = fact.evidence
        assert 0 <= ev.start < ev.end <= len(text), (fact, len(text))
        assert text[ev.start : ev.end] == ev.quote, fact
        assert fact.value.strip(), fact
    ds = build_dataset([rec])
    assert serialize(ds, "n-quads") and serialize(ds, "trig")
    return rec


@SETTINGS
@given(TEXT, MEDIA)
def test_extraction_never_crashes_and_evidence_quotes_hold(text: str, media: str) -> None:
    check_record(from_text(text, "fuzz.txt", media))


@SETTINGS
@given(st.text(max_size=600), MEDIA)
def test_arbitrary_unicode_end_to_end(text: str, media: str) -> None:
    check_record(from_text(text, "any.txt", media))


def _nested(depth: int, tag: str, inner: str, close: bool) -> str:
    return f"<{tag}>" * depth + inner + (f"</{tag}>" * depth if close else "")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 3000), st.sampled_from(["div", "ul><li", "p", "span", "table><tr><td", "b", "li"]), TEXT,
       st.booleans())
def test_deeply_nested_and_unclosed_html(depth: int, tag: str, inner: str, close: bool) -> None:
    check_record(from_text("<html><body>" + _nested(depth, tag, inner, close), "deep.html", HTML))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["We collect your email address ", "a", "\u200b", "مرحبا ", "x. ", "- item\n", "<li>x"]),
       st.integers(2_000, 40_000), MEDIA)
def test_huge_lines_end_to_end(unit: str, repeat: int, media: str) -> None:
    check_record(from_text("Privacy Policy\n" + unit * repeat + "\nWe keep it for 5 years.", "huge.txt", media))


ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "iso8859-15", "koi8-r",
             "shift_jis", "gb18030", "cp1256"]


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(TEXT, st.sampled_from(ENCODINGS)), min_size=1, max_size=4),
       st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><meta charset='utf-8'>", b"%PDF-1.4\n"]),
       st.binary(max_size=64), st.sampled_from([".txt", ".md", ".html", ".pdf", ""]))
def test_mixed_encoding_bytes_are_read_or_refused_with_a_notice_error(parts, prefix, noise, suffix) -> None:
    data = prefix + b"".join(t.encode(enc, "replace") for t, enc in parts) + noise
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mixed{suffix}"
        path.write_bytes(data)
        doc = read_or_refused(path)
        if doc is not None:
            check_record(doc)
