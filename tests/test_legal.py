"""Article citations in their many spellings map to eu-gdpr: concepts."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ropa.extract.legal import citations, right_citations


@pytest.mark.parametrize("text, concept", [
    ("Article 6(1)(f) GDPR", "eu-gdpr:A6-1-f"),
    ("Art. 6 (1) lit. b DSGVO", "eu-gdpr:A6-1-b"),
    ("Article 6, paragraph 1 point b", "eu-gdpr:A6-1-b"),
    ("GDPR 6.1.a", "eu-gdpr:A6-1-a"),
    ("art 6.1.c", "eu-gdpr:A6-1-c"),
    ("Article 9(2)(a)", "eu-gdpr:A9-2-a"),
    ("Article 46(2)(c)", "eu-gdpr:A46-2-c"),
    ("Art. 49(1)(a) GDPR", "eu-gdpr:A49-1-a"),
    ("Article 6(1) (e)", "eu-gdpr:A6-1-e"),
    ("Article 6 (1) letter d", "eu-gdpr:A6-1-d"),
])
def test_citation_spellings(text, concept):
    found = citations(text)
    assert [c.concept for c in found] == [concept]
    assert found[0].defect is None


def test_wrong_paragraph_is_flagged_but_mapped():
    [c] = citations("pursuant to Article 6, paragraph 2 point f of the GDPR")
    assert c.concept == "eu-gdpr:A6-1-f"
    assert "6(2)(f) does not exist" in c.defect


def test_no_letter_no_concept():
    assert citations("Article 6 of the GDPR sets out the legal bases") == []
    assert citations("Article 12 GDPR") == []


def test_right_citations():
    assert [c.concept for c in right_citations("your rights under Art. 15 and Article 77 GDPR")] == [
        "eu-gdpr:A15", "eu-gdpr:A77"]


@given(st.text(max_size=300))
def test_citations_never_crash_and_stay_inside(text):
    for c in citations(text) + right_citations(text):
        assert 0 <= c.start < c.end <= len(text)
