"""The notice's own date ("Last updated 12 October 2023", "Effective: 2021-07-01", "Version 1.1. January 28,
2020") -> an ISO date (or year-month when no day is printed)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MON},?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|{_MON.replace('mon', 'mon2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)"
    r"|(?P<d4>\d{1,2})[./](?P<m4>\d{1,2})[./](?P<y4>(?:19|20)\d\d)"
    rf"|{_MON.replace('mon', 'mon5')},?\s+(?P<y5>(?:19|20)\d\d)",
    re.IGNORECASE,
)
CUE = re.compile(
    r"\b(?:last\s+(?:updated|update|revised|revision|modified|changed|review(?:ed)?(?:\s+date)?|amended)|updated|revised|"
    r"effective(?:\s+(?:date|as of|from))?|valid (?:from|as of)|date(?:d)?|version|as of|published|in force)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NoticeDate:
    iso: str
    start: int
    end: int


def _iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["y1"]:
        y, mo, d = g["y1"], MONTHS[g["mon"].lower()], g["d1"]
    elif g["y2"]:
        y, mo, d = g["y2"], MONTHS[g["mon2"].lower()], g["d2"]
    elif g["y3"]:
        y, mo, d = g["y3"], int(g["m3"]), g["d3"]
    elif g["y4"]:
        y, mo, d = g["y4"], int(g["m4"]), g["d4"]
    else:
        return f"{g['y5']}-{MONTHS[g['mon5'].lower()]:02d}"
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    return f"{y}-{int(mo):02d}-{int(d):02d}"


YEAR = re.compile(r"(?=(?:19|20)\d\d)")  # every date has a year: where one starts


def notice_date(text: str, window: int = 60) -> NoticeDate | None:
    """The first date that follows a date cue ("last updated", "effective", ...) within ``window`` characters.

    A cue is tried only where a year starts within reach of it (most cues, "date" and "version" in running
    text, have none), and the cues are not read at all in a notice that prints no year."""
    years = [y.start() for y in YEAR.finditer(text)]
    for cue in CUE.finditer(text) if years else ():
        i = bisect.bisect_left(years, cue.end())
        if i == len(years):
            return None  # no year after this cue, nor after any later one
        if years[i] > cue.end() + window - 4:
            continue
        m = DATE.search(text, cue.end(), cue.end() + window)
        if m and "\n\n" not in text[cue.end() : m.start()] and (iso := _iso(m)):
            return NoticeDate(iso, cue.start(), m.end())
    return None
