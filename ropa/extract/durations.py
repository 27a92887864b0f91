"""Retention periods -> ISO 8601 durations, with their bound, trigger and legal reference.

"for 5 years" -> P5Y; "up to 10 years" -> P10Y (bound max); "a minimum of 5 years" -> P5Y (bound min);
"6 months after the end of the financial year" -> P6M, trigger "the end of the financial year";
"as long as necessary" / "until you unsubscribe" -> an event-bound duration with its description.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
           "fifteen": 15, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60, "ninety": 90}
UNITS = {"year": "Y", "yr": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "MIN"}
_NUM = r"(?P<num>\d{1,4}(?:[.,]5)?|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_BOUND = (r"(?P<bound>up to|a maximum of|maximum of|max\.?|at most|no longer than|not (?:be )?(?:more|longer) than|"
          r"within|a minimum of|minimum of|at least|no less than|not less than|min\.?|more than|over)?\s*")
DURATION = re.compile(
    rf"(?<![\w.]){_BOUND}{_NUM}\s*(?:\(\s*\d+\s*\)\s*)?(?:-|\s)?(?P<unit>year|yr|month|week|day|hour|minute)s?\b",
    re.IGNORECASE,
)
MAX_WORDS = ("up to", "maximum", "max", "at most", "no longer", "not more", "not longer", "not be more",
             "not be longer", "within")
MIN_WORDS = ("minimum", "min", "at least", "no less", "not less", "more than", "over")
TRIGGER = re.compile(
    r"\b(?:after|from|following|since|of|beyond)\s+(?P<trigger>(?:the\s+)?(?:end|termination|expiry|expiration|"
    r"close|closure|completion|conclusion|date|last|time|collection|cessation|deletion|receipt|submission|"
    r"your last|our last|the last|you(?:r)?|when)[^.;:()]{0,80})",
    re.IGNORECASE,
)
LAW = re.compile(
    r"\b(?:(?:the\s+)?(?:[A-Z][\w-]*\s+){0,4}(?:Act|Law|Code|Regulations?|Ordinance)\b|"
    r"(?:bookkeeping|accounting|tax|anti-money laundering|money laundering|employment|limitation)\s+(?:act|law|"
    r"legislation|rules|requirements?|regulations?))",
)
UNTIL_EVENT = re.compile(
    r"\b(?:(?:for\s+)?as long as|until|for the (?:duration|period|time) (?:of|that|necessary|needed|required|in which)|"
    r"no longer than (?:is )?(?:necessary|needed|required)|while|during)\b[^.;:]{3,120}"
    # unquantified periods ("generally retained for a shorter period of time") and deletion right after use
    r"|\bfor (?:a |an )?(?:shorter|longer|limited|reasonable|certain|short|brief) (?:period|amount) of time\b"
    r"|\b(?:immediately|right|directly|promptly) after "
    r"(?:use|processing|(?:the )?(?:request|purpose) (?:is|has been) (?:fulfilled|completed))\b",
    re.IGNORECASE,
)
INDEFINITE = re.compile(r"\b(?:indefinitely|forever|permanently|for an unlimited (?:time|period)|without (?:a )?time limit)\b",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Duration:
    """A parsed period: ``iso`` ("P5Y") or ``kind`` "until_event"/"indefinite" with a description."""

    start: int
    end: int
    iso: str | None
    kind: str  # "temporal" | "until_event" | "indefinite"
    bound: str | None = None  # "max" | "min"
    trigger: str | None = None
    law: str | None = None
    description: str | None = None


def _iso(num: str, unit: str) -> str | None:
    n = NUMBERS.get(num.lower()) if not num[0].isdigit() else None
    value = float(num.replace(",", ".")) if n is None else float(n)
    code = UNITS[unit.lower()]
    if value <= 0:
        return None
    if value != int(value):  # 1.5 years -> P18M; 2.5 months -> P75D is overkill: keep years/months only
        return f"P{int(value * 12)}M" if code == "Y" else None
    v = int(value)
    return f"PT{v}H" if code == "H" else f"PT{v}M" if code == "MIN" else f"P{v}{code}"


def _bound(words: str | None) -> str | None:
    if not words:
        return None
    w = words.lower().removeprefix("a ")
    return "max" if w.startswith(MAX_WORDS) else "min" if w.startswith(MIN_WORDS) else None


UNIT_WORD = re.compile(r"year|yr|month|week|day|hour|minute", re.IGNORECASE)  # in every DURATION match


def temporal(text: str, start: int, end: int) -> list[Duration]:
    """Fixed periods in ``text[start:end]`` (none where no unit word is printed, which is cheap to see)."""
    if not UNIT_WORD.search(text, start, end):
        return []
    out = []
    for m in DURATION.finditer(text, start, end):
        iso = _iso(m.group("num"), m.group("unit"))
        if not iso:
            continue
        after = text[m.end() : end]
        trig = TRIGGER.match(after.lstrip()) if after.strip() else None
        trigger = re.split(r",|;| so | and | or | unless | in order ", trig.group("trigger"))[0].strip() if trig else None
        law = LAW.search(text, start, end)
        out.append(Duration(m.start(), m.end(), iso, "temporal", _bound(m.group("bound")),
                            trigger, law.group(0).strip() if law else None))
    return out


def event_bound(text: str, start: int, end: int) -> list[Duration]:
    """"as long as necessary", "until you unsubscribe", "indefinitely"."""
    out = []
    for m in UNTIL_EVENT.finditer(text, start, end):
        out.append(Duration(m.start(), m.end(), None, "until_event", description=m.group(0).strip()))
    for m in INDEFINITE.finditer(text, start, end):
        out.append(Duration(m.start(), m.end(), None, "indefinite", description=m.group(0)))
    return out
