"""The regex sentence splitter: punctuation, abbreviations, numbering and line structure."""
from __future__ import annotations

import pytest

from ropa.ingest import from_text, sentences


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text, 0, len(text))]


def test_splits_at_sentence_punctuation() -> None:
    assert _split("We collect data. Do we sell it? No! \"We never do.\" 2 copies are kept.") == [
        "We collect data.", "Do we sell it?", "No!", "\"We never do.\"", "2 copies are kept."]


@pytest.mark.parametrize("text", [
    "We collect contact data, e.g. Name and e-mail.",
    "That is, i.e. The data you give us.",
    "Names, addresses etc. Are stored.",
    "See Art. 6(1)(f) GDPR.",
    "Under Art. 13 and No. 5 of the Act.",
    "Acme Inc. And Acme Ltd. Are controllers.",
    "We transfer data to the U.S. Where it is safe.",
    "We keep approx. 20 records.",
    "Contact J. Smith for details.",
    "Section 6.1.a applies here.",
])
def test_abbreviations_and_numbers_do_not_end_sentences(text: str) -> None:
    assert _split(text) == [text]


def test_enumerators_start_sentences() -> None:
    assert _split("Our purpose is to: 1. Offer products. 2. Deliver them.") == [
        "Our purpose is to: 1. Offer products.", "2. Deliver them."]


def test_lowercase_after_a_full_stop_does_not_split() -> None:
    assert _split("Version 2. of the text. Next one.") == ["Version 2. of the text.", "Next one."]


def test_newlines_between_blocks_split_and_wrapped_lines_do_not() -> None:
    text = "Confidentiality\nRead more about the subject on the\nDanish website\n- first item\n- second item"
    assert _split(text) == ["Confidentiality", "Read more about the subject on the\nDanish website",
                            "- first item", "- second item"]


def test_blank_lines_always_split() -> None:
    assert _split("No punctuation here\n\nnor here") == ["No punctuation here", "nor here"]


def test_spans_are_inside_the_range_and_trimmed() -> None:
    text = "xx  First one.   Second one.  yy"
    start, end = 2, len(text) - 2
    spans = sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]
    assert all(start <= s < e <= end for s, e in spans)


def test_empty_and_inverted_ranges() -> None:
    assert sentences("Some text.", 5, 5) == []
    assert sentences("Some text.", 8, 2) == []
    assert sentences("   \n\n  ", 0, 7) == []
    assert sentences("Clamped.", -4, 100) == [(0, 8)]


def test_sentences_of_each_block() -> None:
    doc = from_text("Privacy Policy\n\nWe collect data. We keep it for 5 years.\n", "x.txt")
    para = doc.blocks[1]
    assert [doc.text[s:e] for s, e in sentences(doc.text, para.start, para.end)] == [
        "We collect data.", "We keep it for 5 years."]
