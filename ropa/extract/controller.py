"""The controller's identity: name (legal-form suffixes such as A/S, ApS, Ltd, GmbH, SA, BV), registration /
VAT / CVR numbers, address, country, e-mails and phones, and the parent company.

Candidates are scored by where they occur (a controller or contact section, a sentence saying "data
controller", "operated by", "we", the top of the notice) and how often; the best one names the controller.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ropa.model import Evidence, Fact

SUFFIX = (r"A/S|ApS|I/S|K/S|P/S|IVS|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|L\.P\.|Inc\.?|Incorporated|Corp\.?|Corporation|"
          r"GmbH|gGmbH|AG|KG|SE|S\.?A\.?S?|S\.A\.R\.L\.|SARL|S\.?r\.?l\.?|S\.?p\.?A\.?|B\.?V\.?|N\.?V\.?|AB|ASA|AS|Oy|Oyj|"
          r"PLC|plc|Pty\.? Ltd\.?|Pvt\.? Ltd\.?|Private Limited|S\.L\.U?\.?|SLU|Sp\. z o\.o\.|s\.r\.o\.|Kft\.?|"
          r"e\.V\.|UG|Co\.,? Ltd\.?|Company")
_WORD = r"(?:[A-Z0-9][\w&'’.+-]*|of|and|&|de|van|der|for)"
# a suffix ends the word ("Acme A/S,") or runs into a capitalised word where lines were glued ("Acme A/SMain Street");
# "SE" in "SERVICES" is no suffix
SUFFIX_END = r"(?:(?!\w)|(?=[A-Z][a-zæøåäöü]))"
ORG = re.compile(rf"(?<![\w])(?P<name>[A-Z0-9][\w&'’.+-]*(?:[ \t]+{_WORD}){{0,5}}?)[ \t]*,?[ \t]+(?P<sfx>{SUFFIX}){SUFFIX_END}")
SUFFIX_AT = re.compile(rf"(?<=[ \t,])(?:{SUFFIX}){SUFFIX_END}")
NAME_BEFORE = re.compile(rf"(?P<name>[A-Z0-9][\w&'’.+-]*(?:[ \t]+{_WORD}){{0,5}}?)[ \t]*,?[ \t]+$")
BY_LEADS = ("operated", "owned", "provided", "developed", "created", "published", "managed", "run", "offered", "made")
BY_NAME = re.compile(
    r"\b(?:operated|owned|provided|developed|created|published|managed|run|offered|made)\s+by\s+"
    r"(?P<name>(?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|of|and|&)){0,5})")
AT_NAME = re.compile(  # the generated-policy opening "At Acme, accessible from acme.example, ..."
    r"\bAt\s+(?P<name>[\w][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,4}),\s+accessible\s+(?:from|at|via|on)\b")
WHICH_RUNS = re.compile(  # "United Solutions Foundation, which manages and operates the application"
    r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:[A-Z][\w&'’.-]*|of|and|&|for)){0,6}),\s+which\s+"
    r"(?:manages|operates|owns|runs|provides|develops|publishes)\b")
# the fixed words that end AT_NAME and WHICH_RUNS: looked for first, as most notices have neither
AT_NAME_TAIL = re.compile(r",\s+accessible\s+(?:from|at|via|on)\b")
WHICH_RUNS_TAIL = re.compile(r",\s+which\s+(?:manages|operates|owns|runs|provides|develops|publishes)\b")
WE_ALIAS = re.compile(r"\(\s*(?:hereinafter\s+)?(?:referred to as\s+)?(?:together\s+)?[\"“‘'`]+\s*(?:we|us|our|the company|company|"
                      r"(?:the )?(?:developer|operator|owner|provider|controller))\b",
                      re.IGNORECASE)
REFERS_TO = re.compile(  # the generated-policy definition 'Company (referred to as "We", "Us" ...) refers to Acme, 1 Main St.'
    r"\b(?:Company|Controller|Data Controller|Operator|Owner)\s*\([^()]{0,160}\)\s+refers\s+to\s+(?P<name>[^,.;:()\n]{2,60})")
QUOTED_WE = re.compile(  # 'This notice for Acme Ltd (doing business as Acme) ("Acme," "we," "us")': the quoted short name
    r"\(\s*[\"“](?P<name>[^\"”,()]{2,60}),?[\"”],?\s*[\"“]\s*(?:we|us|our)\b", re.IGNORECASE)
BUILT = re.compile(  # the generated app-policy opening "acmesoft built the Acme app as a Free app"
    r"(?:^|(?<=\n)|(?<=\.\s))(?P<name>[^\s.,;:()][^.,;:()\n]{0,50}?)\s+built\s+the\s+[^\n]{1,80}?\s+app\s+as\s+an?\b")
NAME_TAIL = re.compile(r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,5})[ \t]*,?[ \t]*$")
CONTROLLER_CUE = re.compile(r"\b(?:data controller|controller|responsible (?:for|party)|operated by|owned by|we are|"
                            r"this (?:privacy )?(?:policy|notice|statement) (?:applies|is|covers|describes)|"
                            r"registered|company|hereinafter|referred to as)\b", re.IGNORECASE)
PARENT = re.compile(r"(?:(?P<a>[^.;()]{2,80}?)\s+is\s+our\s+parent\s+company|our\s+parent\s+company,?\s+(?P<b>[^.;()]{2,80}))",
                    re.IGNORECASE)
IDENT = re.compile(
    r"\b(?P<label>CVR|VAT|SE|CIN|ABN|ACN|SIREN|SIRET|KvK|HRB|RCS|UID|EIN|GST|NIF|CIF|(?:company|business|org(?:ani[sz]ation)?"
    r"\.?|corporate|trade|commercial)?\s*reg(?:istration|istered|\.)?)\s*(?:no\.?|number|nr\.?|num\.?|#|code|id)?"
    r"(?:\s*\((?P<cc>[A-Za-z]{2})\))?\s*[:.]?\s*(?P<value>(?:[A-Z]{2}\s?)?\d[\d \t.-]{4,16}\d)(?![\d])",
    re.IGNORECASE)
COMPANY_NUMBER = re.compile(r"\bcompany\s+(?:registration\s+)?(?:number|no\.?)\s*(?:\((?P<cc>[A-Za-z]{2})\))?\s*[:.]?\s*"
                            r"(?P<value>(?:[A-Z]{2}\s?)?\d[\d \t.-]{4,16}\d)", re.IGNORECASE)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.])")
PHONE = re.compile(r"\b(?:tel(?:ephone)?|phone(?: number)?|call(?: us)?(?: at| on)?|mobile|ph)\.?\s*(?:no\.?|number)?\s*[:.]?\s*"
                   r"(?P<value>\(?\+?\(?\d[\d ()./-]{6,18}\d)", re.IGNORECASE)
# a public body named right before a contact detail: the contact is that body's ("can be addressed to the Danish
# Business Authority, tel. ..."), not the controller's
OTHER_BODY = re.compile(r"\b(?:authorit(?:y|ies)|agency|commissioner|ombudsman|inspectorate|regulator)\b", re.IGNORECASE)
POSTCODE = re.compile(r"\b(?:\d{4,5}\s+[A-ZÆØÅÄÖÜ][\w-]+|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{5}(?:-\d{4})?)\b")
STREET = re.compile(r"(?:\b\d+\s+\w+\s+(?:street|st\.|road|rd\.|avenue|ave\.|lane|drive|way|boulevard|place|square)\b|"
                    r"(?:vej|gade|allé|alle|straße|strasse|weg|plein|laan|gatan|vägen)\s*\d+|"
                    r"\b(?:street|road|avenue|lane)\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    start: int
    end: int
    score: float


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:the|by|from|of|and|at|for|to|with|is|our|contact|company|name)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"\s+", " ", name).strip(" ,.:;")


def name_candidates(text: str, topics_at, limit: int = 60_000) -> list[Candidate]:
    """Organisation names with a legal-form suffix, and 'operated by X' / 'X ("we")' names, scored."""
    out = []
    head = text[:limit]
    for m in SUFFIX_AT.finditer(head):
        lo = max(0, m.start() - 90, head.rfind("\n", 0, m.start()) + 1)
        before = NAME_BEFORE.search(head, lo, m.start())
        if not before:
            continue
        name = _clean_name(f"{before.group('name')} {m.group(0)}")
        if len(name.split()) < 2 and "/" not in name:
            continue
        out.append(Candidate(name, before.start("name"), m.end(), _score(text, before.start(), topics_at) + 1.0))
    for m in WE_ALIAS.finditer(head):
        before = NAME_TAIL.search(head, max(0, m.start() - 90), m.start())
        if before:
            out += _named(text, before.group("name"), before.start("name"), 3.0, topics_at)
    for m in QUOTED_WE.finditer(head):
        out += _named(text, m.group("name"), m.start("name"), 3.0, topics_at)
    for m in BUILT.finditer(head) if " built the " in head else ():
        out += _named(text, m.group("name"), m.start("name"), 2.0, topics_at)
    for m in REFERS_TO.finditer(head) if "refers to" in head else ():
        out += _named(text, m.group("name"), m.start("name"), 3.0, topics_at)
    for m in finditer_at(BY_NAME, head, BY_LEADS):
        out += _named(text, m.group("name"), m.start("name"), 1.0, topics_at)
    for m in AT_NAME.finditer(head) if AT_NAME_TAIL.search(head) else ():
        out += _named(text, m.group("name"), m.start("name"), 2.0, topics_at)
    for m in WHICH_RUNS.finditer(head) if WHICH_RUNS_TAIL.search(head) else ():
        out += _named(text, m.group("name"), m.start("name"), 1.0, topics_at)
    return out


def finditer_at(rx: re.Pattern[str], text: str, leads: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose every match starts with one of the words ``leads`` (and never
    is empty): the pattern is tried only where a lead starts, as ``str.find`` finds them, not at every position."""
    starts = sorted({i for w in leads for i in _occurrences(text, w)})
    pos = 0
    for i in starts:
        if i >= pos and (m := rx.match(text, i)):
            yield m
            pos = m.end()


def _occurrences(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _named(text: str, raw: str, start: int, bonus: float, topics_at) -> list[Candidate]:
    name = _clean_name(raw)
    if len(name) <= 2 or re.fullmatch(r"(?i)(?:we|us|our|the|this|you|app|application|service)", name) \
            or re.match(r"(?i)(?:we|us|our|you|your|they|it|this|that|these|those)\b", name):  # "operated by Us. If You click"
        return []
    return [Candidate(name, start, start + len(raw.rstrip()), _score(text, start, topics_at) + bonus)]


def _score(text: str, pos: int, topics_at) -> float:
    line_start = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos)) + 1
    window = text[max(0, pos - 200) : pos + 200]
    score = 2.0 if "controller" in topics_at(pos) else 0.0
    score += 2.0 if CONTROLLER_CUE.search(window) else 0.0
    score += 1.0 if pos < 3000 else 0.0
    score -= 3.0 if re.search(r"parent company|subsidiar|processor|authority|commissioner", text[line_start:pos + 120], re.I) else 0
    return score


def best_name(cands: list[Candidate]) -> Candidate | None:
    if not cands:
        return None
    freq = Counter(c.name.casefold() for c in cands)
    return max(cands, key=lambda c: (c.score + 0.5 * min(freq[c.name.casefold()], 6), -c.start))


def _ev(text: str, s: int, e: int) -> Evidence:
    return Evidence(s, e, text[s:e])


def _fact(facet: str, value: str, text: str, s: int, e: int, **detail: str) -> Fact:
    return Fact(facet, value, _ev(text, s, e), tuple(sorted(detail.items())))


def identifiers(text: str, near: int) -> list[Fact]:
    """Company, VAT and CVR numbers as printed, preferring those near the controller's name."""
    out: list[Fact] = []
    windows = _number_windows(text)
    for rx in (IDENT, COMPANY_NUMBER):
        for m in (m for lo, hi in windows for m in rx.finditer(text, lo, hi)):
            value = m.group("value").strip()
            if len(re.sub(r"\D", "", value)) < 6 or re.search(r"(?i)\b(?:tel|phone|fax)\b", text[max(0, m.start() - 15):m.start()]):
                continue
            if any(f.evidence.start <= m.start("value") < f.evidence.end for f in out):
                continue
            label = (m.groupdict().get("label") or "company number").strip()
            out.append(_fact("identifier", value, text, m.start(), m.end(), kind=label, country=m.group("cc") or ""))
    return sorted(out, key=lambda f: abs(f.evidence.start - near))[:3]


NUMBER = re.compile(r"\d[\d \t.-]{4,16}\d")
LABEL_REACH = 80  # characters a number's label may start before it ("organisation registration number (GB):")


def _number_windows(text: str) -> list[tuple[int, int]]:
    """The stretches of text that can hold a labelled number: each long digit run with the label reach before
    it, overlapping ones merged (the number patterns then run there only, not over the whole notice)."""
    out: list[tuple[int, int]] = []
    for m in NUMBER.finditer(text):
        lo, hi = max(0, m.start() - LABEL_REACH), min(len(text), m.end() + 20)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def contacts(text: str, spans: list[tuple[int, int]], exclude) -> list[Fact]:
    """mailto:/tel: contacts inside the given spans (controller/contact sections, not overlapping), skipping authority
    ones. A contact printed in several places gets a fact (an evidence) for each place."""
    out: list[Fact] = []
    for s, e in spans:
        for m in EMAIL.finditer(text, s, e):
            if not exclude(m.start()):
                out.append(_fact("contact", "mailto:" + m.group(0).lower(), text, m.start(), m.end()))
        for m in PHONE.finditer(text, s, e):
            digits = re.sub(r"[^\d+]", "", m.group("value"))
            if 7 <= len(digits.lstrip("+")) <= 15 and not exclude(m.start()):
                out.append(_fact("contact", "tel:" + digits, text, m.start("value"), m.end("value")))
    return out


def address(text: str, name_end: int) -> Fact | None:
    """The postal address printed right after the controller's name (same line or the next few lines)."""
    stop = text.find("\n\n\n", name_end)
    window_end = min(len(text), name_end + 260, stop if stop > 0 else len(text))
    lines, pos = [], name_end
    for raw in text[name_end:window_end].split("\n")[:6]:
        line = raw.strip()
        if line and _address_like(line) and len(line) < 120:
            s = text.index(line, pos)
            lines.append((s, s + len(line)))
        elif lines and line:
            break
        pos += len(raw) + 1
    if not lines:
        return None
    s, e = lines[0][0], lines[-1][1]
    return _fact("address", re.sub(r"\s*\n\s*", ", ", text[s:e]), text, s, e)


def _address_like(line: str) -> bool:
    """A line that reads as part of a postal address: a postcode, a street, or a country on its own."""
    return bool(POSTCODE.search(line) or STREET.search(line) or _is_country_line(line))


HOUSE = re.compile(r"\b(?:\d{1,5}[A-Za-z]?\s+[A-Z][\w’'.-]+|P\.?\s?O\.?\s+Box\s+\d+)")
MAX_ADDRESS = 250


def postal_addresses(text: str, spans: list[tuple[int, int]], limit: int = 2) -> list[Fact]:
    """Postal addresses printed in contact sections ("write to us at: 1 Main Street, Springfield 12345"): a
    line of a contact span with a postcode and a house number (or PO box) or a street word."""
    out: list[Fact] = []
    for s, e in spans:
        lines = [(s + m.start(), s + m.end()) for m in re.finditer(r"[^\n]+", text[s:e])]
        for i, (a, b) in enumerate(lines):
            line = text[a:b]
            if len(line) > MAX_ADDRESS or not POSTCODE.search(line) or not (HOUSE.search(line) or STREET.search(line)):
                continue
            lo, hi = _address_lines(text, lines, i)
            out.append(_fact("address", ", ".join(text[x:y].strip() for x, y in lines[lo:hi + 1]), text,
                             lines[lo][0], lines[hi][1]))
            if len(out) >= limit:
                return out
    return out


def _address_lines(text: str, lines: list[tuple[int, int]], i: int, reach: int = 3) -> tuple[int, int]:
    """The block of adjacent short address-like lines (street, postcode, country) around line ``i``."""
    def addressy(j: int) -> bool:
        line = text[lines[j][0]:lines[j][1]].strip()
        return len(line) < 80 and bool(_address_like(line) or HOUSE.fullmatch(line))
    lo = hi = i
    while lo > 0 and i - lo < reach and lines[lo - 1][1] + 1 == lines[lo][0] and addressy(lo - 1):
        lo -= 1
    while hi + 1 < len(lines) and hi - i < reach and lines[hi][1] + 1 == lines[hi + 1][0] and addressy(hi + 1):
        hi += 1
    return lo, hi


def _is_country_line(line: str) -> bool:
    return bool(re.fullmatch(r"(?i)(?:denmark|danmark|germany|deutschland|united kingdom|uk|england|ireland|sweden|norway|"
                             r"finland|france|spain|italy|netherlands|belgium|austria|switzerland|poland|portugal|"
                             r"united states(?: of america)?|usa|canada|india|australia)\.?", line))


PARENT_AT = re.compile(r"parent\s+company", re.IGNORECASE)


def parent(text: str) -> Fact | None:
    """"X is our parent company" / "our parent company, X" (searched only around the words "parent company")."""
    m = None
    for hit in PARENT_AT.finditer(text):
        lo, hi = max(0, hit.start() - 110), min(len(text), hit.end() + 90)
        m = PARENT.search(text, lo, hi)
        if m:
            break
    if not m:
        return None
    raw = m.group("a") or m.group("b")
    org = list(ORG.finditer(raw))
    name = _clean_name(org[-1].group(0)) if org else _clean_name(raw.split("(")[-1])
    return _fact("parent", name, text, m.start(), m.end()) if name else None
