"""GDPR article citations in their many spellings -> eu-gdpr: concepts.

"Article 6(1)(f)", "Art. 6 (1) lit. f", "Article 6, paragraph 1 point b", "GDPR 6.1.a", "Art 9(2)(a)",
"Article 46(2)(c)", "Art. 49(1)(a)". A citation with a wrong paragraph for its letter (e.g. "Article 6,
paragraph 2 point f" meant as legitimate interests) maps to the article's letter and is flagged as defective.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Which paragraph holds the lettered points of each article GDPR notices cite.
LETTER_PARAGRAPH = {"6": "1", "9": "2", "46": "2", "49": "1"}
LETTERS = {"6": "abcdef", "9": "abcdefghij", "46": "abcdef", "49": "abcdefg"}
_ART = r"(?:art(?:icle)?s?\.?|§)\s*"
_PARA = r"(?:\s*\(\s*(?P<p1>\d)\s*\)|\s*,?\s*(?:para(?:graph)?\.?|section|sub-?section|stk\.?|no\.?|nr\.?)\s*(?P<p2>\d)|\.(?P<p3>\d))"
_LETTER = (r"(?:\s*\(\s*(?P<l1>[a-j])\s*\)|\s*,?\s*(?:lit(?:era|t)?\.?|point|letter|sub-?paragraph|item)\s*\(?"
           r"(?P<l2>[a-j])\b\)?|\.(?P<l3>[a-j])\b|\s+(?P<l4>[a-j])\))")
CITATION = re.compile(
    rf"(?:{_ART}(?P<art>6|9|46|49)(?!\d)|(?:gdpr|dsgvo|rgpd)\s*(?:art(?:icle)?\.?\s*)?(?P<art2>6|9|46|49)(?!\d))"
    rf"(?:{_PARA})?(?:{_LETTER})?",
    re.IGNORECASE,
)
RIGHT_ARTICLES = {"15", "16", "17", "18", "20", "21", "22", "77"}
RIGHT_CITATION = re.compile(rf"{_ART}(?P<art>1[5-8]|2[0-2]|77)(?!\d)(?!\s*\()", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Citation:
    concept: str  # e.g. "eu-gdpr:A6-1-f"
    start: int
    end: int
    defect: str | None = None  # why the citation as written is wrong, when it is


def _group(m: re.Match[str], *names: str) -> str | None:
    return next((m.group(n) for n in names if m.group(n)), None)


def _concept(m: re.Match[str]) -> Citation | None:
    art = m.group("art") or m.group("art2")
    para, letter = _group(m, "p1", "p2", "p3"), _group(m, "l1", "l2", "l3", "l4")
    if letter is None:
        return None
    letter = letter.lower()
    if letter not in LETTERS[art]:
        return None
    expected = LETTER_PARAGRAPH[art]
    defect = None
    if para and para != expected:
        defect = f"Article {art}({para})({letter}) does not exist; Article {art}({expected})({letter}) was probably meant"
    return Citation(f"eu-gdpr:A{art}-{expected}-{letter}", m.start(), m.end(), defect)


def citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Art. 6 / 9 / 46 / 49 citations with a point letter inside ``text[start:end]``."""
    end = len(text) if end is None else end
    if not _has_digit(text, "69", start, end):  # every citation has a 6 or a 9 (most sentences have neither)
        return []
    found = (_concept(m) for m in CITATION.finditer(text, start, end))
    return [c for c in found if c]


def right_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Bare citations of the rights articles ("Art. 15 GDPR") -> eu-gdpr:A15 ..."""
    end = len(text) if end is None else end
    if not _has_digit(text, "127", start, end):  # 15-18, 20-22, 77
        return []
    out = []
    for m in RIGHT_CITATION.finditer(text, start, end):
        out.append(Citation(f"eu-gdpr:A{m.group('art')}", m.start(), m.end()))
    return out


def _has_digit(text: str, digits: str, start: int, end: int) -> bool:
    """Is one of ``digits`` in ``text[start:end]``? A cheap test run before the citation patterns."""
    start, end = max(start, 0), max(end, 0)  # as the pattern methods read a negative start or end
    return any(text.find(d, start, end) >= 0 for d in digits)
