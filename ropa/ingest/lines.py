"""Line-level cues for recovering structure from plain text: bullets, numbering, heading look, continuation.

Every function here looks at one stripped line (or a pair of neighbouring lines) and knows nothing about
the rest of the document; the state machine in :mod:`ropa.ingest.plain` combines the cues.
"""
from __future__ import annotations

import re

# A list marker followed by whitespace and content: symbol bullets, "1." "1)" "(1)", "a)" "a." "(a)" "A)",
# lowercase roman "i." "iv)". Group "num" is set for "1." markers, which may also number headings.
BULLET_RE = re.compile(
    r"(?:[-*+•·◦▪▫‣○●■□–—➢►▶✓✔→]"
    r"|(?P<num>[0-9]{1,3})\."
    r"|\(?[0-9]{1,3}\)"
    r"|\(?[a-z][.)]|\([A-Za-z]\)|[A-Z]\)"
    r"|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)])"
    r"\s+(?=\S)"
)
# A line holding only a marker (common in PDF text layers, where the item follows on the next line).
MARKER_ONLY_RE = re.compile(r"(?:[-*+•·◦▪▫‣○●■□–—➢►▶✓✔→]|\(?[0-9]{1,3}[.)]|\(?[a-z][.)]|\([A-Za-z]\))")

# Heading numbering: "Section 4", "Article 13:", "1.", "2.3", "4.2.1.", "A.", "IV.".
_NUMBERING_RE = re.compile(
    r"(?:(?i:section|article|chapter|part|clause|appendix|annex|schedule)\s+"
    r"(?P<word>\d{1,3}(?:\.\d{1,3})*|[A-Z]|[IVX]{1,5})\b[.:]?"
    r"|(?P<dotted>\d{1,2}(?:\.\d{1,2})+)\.?(?=\s)"
    r"|(?P<single>\d{1,2})\.(?=\s)"
    r"|[A-Z]\.(?=\s)"
    r"|[IVX]{1,5}\.(?=\s))"
    r"\s*"
)
_MD_HEADING_RE = re.compile(r"(#{1,6})\s+(?=\S)")
_LEAD_IN_RE = re.compile(
    r"(?:If\s+(?:you|your|we)\b|As\s+(?:a|an|our)\s|When\s+(?:you|using)\b|Where\s+you\b"
    r"|For\s+(?:our\s+|the\s+|all\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:customers?|clients?|visitors?|users?|applicants?|candidates?|employees?|suppliers?|partners?|members?"
    r"|subscribers?|contacts?|vendors?|participants?|patients?|students?|investors?|shareholders?"
    r"|representatives?|individuals?|persons?|people|job\s+seekers?)\b)"
)
_DIGIT_RUN_RE = re.compile(r"\d{4,}")
_DIGIT_RE = re.compile(r"\d")
_ADDRESS_START_RE = re.compile(r"www\.|https?:|[^\s@]{1,64}@[^\s@]{1,255}\.\w")
_MID_COLON_RE = re.compile(r":\s+\S")
_QUOTES = "\"'“‘«(["
_SENTENCE_END = ".!?"
_NO_HEADING_END = ".;,:"
_SENTENCE_SUBJECTS = frozenset({"We", "I", "You", "They", "He", "She", "It", "There", "Please"})
# Words a line does not end on unless the sentence goes on in the next line.
MID_SENTENCE_WORDS = frozenset(
    "a an the of to and or nor but by in on at from into onto under than that which whose is are was were be been "
    "being has have had our your their its his her my this these those such including via if when where while "
    "whether because will would can could may might must shall should not please e.g i.e per".split()
)

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
MAX_LEAD_IN_WORDS = 16
MAX_LEAD_IN_CHARS = 110


def bullet_end(content: str) -> int:
    """Length of the list marker (with its trailing whitespace) at the start of ``content``, 0 if none."""
    m = BULLET_RE.match(content)
    return m.end() if m else 0


def is_numbered_marker(content: str) -> bool:
    """True for an ordered-list style "1. " marker, which may also number a heading."""
    m = BULLET_RE.match(content)
    return bool(m and m.group("num"))


def is_marker_only(content: str) -> bool:
    """True for a line that is nothing but a list marker (its item follows on the next line)."""
    return MARKER_ONLY_RE.fullmatch(content) is not None


def numbering(content: str) -> tuple[int, int]:
    """Heading numbering at the start of ``content`` as ``(depth, length)``; ``(0, 0)`` when unnumbered."""
    m = _NUMBERING_RE.match(content)
    if not m or m.end() == 0:
        return 0, 0
    if m.group("dotted"):
        depth = m.group("dotted").count(".") + 1
    elif m.group("word"):
        depth = m.group("word").count(".") + 1
    else:
        depth = 1
    return depth, m.end()


def markdown_heading(content: str) -> tuple[int, int]:
    """``#`` heading marker in plain text as ``(level, length)``; ``(0, 0)`` when absent."""
    m = _MD_HEADING_RE.match(content)
    return (len(m.group(1)), m.end()) if m else (0, 0)


def last_word(content: str) -> str:
    """The line's last word, lowercased, without trailing brackets or quotes."""
    tail = content.rsplit(None, 1)[-1] if content else ""
    return tail.rstrip(")]\"'”’").lower()


def ends_mid_sentence(content: str) -> bool:
    """True when a line stops where a sentence cannot: on a comma, a hyphen, an article or a preposition."""
    if not content:
        return False
    if content[-1] in ",-–(/&":
        return True
    return last_word(content) in MID_SENTENCE_WORDS


def continues(prev: str, nxt: str) -> bool:
    """True when ``nxt`` is the wrapped continuation of the sentence ``prev`` stopped in."""
    if ends_mid_sentence(prev):
        return True
    return prev[-1] not in _SENTENCE_END + ":;" and _starts_lower(nxt) and not _ADDRESS_START_RE.match(nxt)


def ends_sentence(content: str) -> bool:
    """True when a line ends like a sentence (final ``.``, ``!`` or ``?``, perhaps before a quote)."""
    stripped = content.rstrip(")]\"'”’»")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_lead_in(content: str) -> bool:
    """A short context line such as "If you are our customer", "As a job applicant:" or "For website visitors"."""
    if not _LEAD_IN_RE.match(content) or content[-1] in ".;,":
        return False
    return len(content) <= MAX_LEAD_IN_CHARS and len(content.split()) <= MAX_LEAD_IN_WORDS


def is_all_caps(content: str) -> bool:
    """ALL-CAPS line with at least one real word (3+ letters), e.g. "YOUR RIGHTS"."""
    return content.isupper() and any(len(w) >= 3 and w.isalpha() for w in content.split())


def heading_shape(text: str, numbered: bool = False) -> bool:
    """True when ``text`` (a line without its numbering) is shaped like a title.

    Short (<= 12 words, <= 90 characters), no final ``. ; , :``, starts with a capital, does not end
    mid-sentence and carries none of the marks of contact details (e-mail, URL, long digit runs).
    """
    if not text or len(text) > MAX_HEADING_CHARS or text[-1] in _NO_HEADING_END:
        return False
    words = text.split()
    if len(words) > MAX_HEADING_WORDS or not _starts_title(text):
        return False
    if ends_mid_sentence(text) or _looks_like_contact(text):
        return False
    if not numbered and _MID_COLON_RE.search(text):
        return False
    if "," in text and len(words) > 6:
        return False
    return not _starts_like_sentence(words, text)


def _starts_title(text: str) -> bool:
    first = text[0]
    if first in _QUOTES and len(text) > 1:
        first = text[1]
    return first.isupper() or (first.isdigit() and any(c.isalpha() for c in text))


def _starts_lower(text: str) -> bool:
    first = text[0]
    if first in _QUOTES and len(text) > 1:
        first = text[1]
    return first.islower()


def _looks_like_contact(text: str) -> bool:
    if "@" in text or "://" in text or "www." in text:
        return True
    if _DIGIT_RUN_RE.search(text):
        return True
    return len(_DIGIT_RE.findall(text)) > 6


def _starts_like_sentence(words: list[str], text: str) -> bool:
    """A line opening with a subject pronoun ("We always use ...") is a sentence unless title-cased or a question."""
    if words[0] not in _SENTENCE_SUBJECTS or text.endswith("?"):
        return False
    content_words = [w for w in words[1:] if len(w) >= 4]
    capitalised = sum(w[0].isupper() for w in content_words)
    return capitalised * 2 < len(content_words) or not content_words
