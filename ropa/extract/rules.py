"""``rules.v4``: a rule-based extractor driven by the lexicons in ``ontology/lexicon/``.

Section context decides the data subjects of an activity (sections.py); sentence cues and the topic of the
heading above decide which lexicon matches are facts; negations are honoured ("we never store card data"),
exceptions re-open them ("... except with our service providers"). Every fact points at its sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ropa.extract import controller as ctl
from ropa.extract import cues as cue_mod
from ropa.extract import dates, durations, legal, register, sections
from ropa.extract import lexicon as lex_mod
from ropa.extract.sections import Unit
from ropa.model import Activity, Controller, Document, Evidence, Fact, NoticeRecord, Transfer

NAME = "rules.v4"  # bumped whenever the lexicons or rules change what is extracted (STYLE: version what changes output)
GENERAL = "general"
# EU/EEA member states: a transfer to one of them is not a third-country transfer.
EEA = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())
SCOPE_HEAD = 1500  # the opening of a notice usually says whom it covers
MAX_SCOPE_SENTENCE = 500
NO_DATA_TOPICS = frozenset({"rights", "children", "changes", "complaint", "dpo", "controller", "security"})
# sources that the sentence itself makes directional ("you provide", "automatically", "we derive")
SELF_SOURCES = frozenset({"dpv:DataSubjectDataSource", "dpv:DataPublishedByDataSubject", "ropa:AutomatedCollectionSource",
                          "dpv:DataControllerDataSource"})
DIRECTION_REACH = 60
INBOUND_REACH = 80  # characters from a "from" to the party it names
# between such a "from" and the party, these make the party a recipient after all ("data from you is shared with
# partners"); a pattern run on that short stretch only, not a document-wide cue (its words are among the commonest)
OUTBOUND = re.compile(r"\b(?:to|with|by|shar(?:e|es|ed|ing)|disclos\w*|transfer\w*|sell\w*|sold|send\w*|pass\w*)\b", re.IGNORECASE)
ORIGIN_REACH = 40
NO_PURPOSE_TOPICS = frozenset({"rights", "children", "changes", "complaint", "dpo", "controller", "security"})
SCOPE = re.compile(r"\b(?:appl(?:y|ies) to|covers?|if you are|whether you are|relationship with us|in (?:your|their) (?:role|capacity) as|"
                   r"this (?:privacy )?(?:policy|notice|statement|declaration) (?:applies|covers|describes|explains|is for|"
                   r"sets out|tells))\b", re.IGNORECASE)


@dataclass
class _Builder:
    """Facts collected per activity key while the notice is read."""

    doc: Document
    activities: dict[str, Activity] = field(default_factory=dict)
    notice: list[Fact] = field(default_factory=list)
    passing_bases: list[tuple[Activity, Fact]] = field(default_factory=list)  # see _passing_bases
    _context_key: tuple[object, str] = field(default=(None, GENERAL), repr=False, compare=False)  # the last context, its key

    def activity(self, unit: Unit, disclosure: bool = False) -> Activity:
        ctx = unit.context
        if self._context_key[0] is not ctx:
            self._context_key = (ctx, ctx.key if ctx else GENERAL)
        key = self._context_key[1] + ("/disclosure" if disclosure else "")
        if key not in self.activities:
            title = ctx.title.strip() if ctx else "Processing described by the notice"
            act = Activity(key, ("Disclosure: " if disclosure else "") + title,
                           (ctx.evidence.start, ctx.evidence.end) if ctx else (0, len(self.doc.text)))
            act.discloses = disclosure
            if ctx:
                act.facts += [Fact("data_subjects", s, ctx.evidence) for s in ctx.subjects]
            self.activities[key] = act
        return self.activities[key]

    def transfer(self, act: Activity) -> Transfer:
        if not act.transfers:
            act.transfers.append(Transfer(act.key + "/transfer"))
        return act.transfers[0]


class Rules:
    name = NAME

    def __init__(self, lexicon: lex_mod.Lexicon | None = None):
        self.lex = lexicon or lex_mod.default()
        self.cues = cue_mod.load()

    # -- entry point ---------------------------------------------------------------------------------------
    def extract(self, doc: Document) -> NoticeRecord:
        units = list(sections.units(doc, self.lex))
        b = _Builder(doc)
        self.doc_text = doc.text
        as_processor = self._processor_sections(units)
        for unit in units:
            if unit.heading is not None and unit.heading in as_processor:
                self._roles(b, unit, _fact_at(doc.text, unit), lambda n, u=unit: self.cues.has(n, doc.text, u.start, u.end))
                continue
            self._unit(b, unit)
        _passing_bases(b)
        for act in b.activities.values():
            _drop_generic(act)
        self._scope_subjects(b, units)
        self._notice_date(b)
        control = self._controller(doc, units)
        if not any(f.facet == "country" for f in control.facts):
            control.facts += _country_from_authority(b.notice)
        acts = [a for a in b.activities.values() if a.facts or a.transfers]
        return NoticeRecord(doc, NAME, control, acts, b.notice)

    def _processor_sections(self, units: list[Unit]) -> set:
        """Headings whose section says the company acts as a processor there: its facts are the customers'."""
        return {u.heading for u in units if u.heading is not None
                and self.cues.has("processor_role", self.doc_text, u.start, u.end)}

    # -- one sentence --------------------------------------------------------------------------------------
    def _hits(self, facet: str, unit: Unit) -> list[lex_mod.Match]:
        text = self.doc_text
        return [lex_mod.Match(v, m.start, m.end) if "|" in m.value else m
                for m in self.lex[facet].within(text, unit.start, unit.end)
                if not self.cues.negated(text, unit.start, m.start) for v in lex_mod.values(m.value)]

    def _unit(self, b: _Builder, unit: Unit) -> None:
        text = self.doc_text = b.doc.text
        s, e, topics = unit.start, unit.end, unit.topics
        has = self.cues.present(text, s, e).__contains__  # the cues of this sentence, looked up once
        ev = Evidence(s, e, text[s:e])
        fact = _fact_at(text, unit, ev)

        recipients = []
        if ("recipients" in topics or has("share")) and not unit.is_heading or "recipients" in topics:
            recipients = [m for m in self._hits("recipients", unit) if not self._inbound(m, unit.start)]
        main = b.activity(unit)
        target = b.activity(unit, disclosure=True) if recipients else main
        target.facts += [fact("recipients", m.value) for m in recipients]
        if recipients:
            target.facts.append(fact("processing", "dpv:Disclose"))

        if not unit.is_heading and (topics & {"personal_data", "cookies"} or (not topics & NO_DATA_TOPICS and has("collect"))):
            target.facts += [fact("personal_data", m.value) for m in self._hits("personal_data", unit)]
        if topics & {"purposes", "legal_bases"} or (not topics & NO_PURPOSE_TOPICS and has("purpose")):
            target.facts += [fact("purposes", m.value) for m in self._hits("purposes", unit)]
        if "sources" in topics or has("source"):
            main.facts += [fact("sources", m.value) for m in self._hits("sources", unit)
                           if "sources" in topics or not self._needs_direction(m)]
        if not has("cookie_control") or has("collect"):  # "you can block cookies in your browser" states no processing
            target.facts += [fact("technologies", m.value) for m in self._hits("technologies", unit)]
        if "security" in topics or has("security"):
            main.facts += [fact("measures", m.value) for m in self._hits("measures", unit)]
        self._statements(b, unit, fact, has)
        self._legal_bases(b, unit, main, fact, has)
        self._rights(b, unit, fact, has)
        self._transfers(b, unit, main, fact, has)
        if not unit.is_heading and ("retention" in topics or has("retention")):
            if not has("not_retention"):
                self._retention(unit, main, ev)
            if not ("rights" in topics or has("right")):
                # where data is kept and how it is disposed of; not "you can ask us to delete it" (that is a right)
                main.facts += [fact("storage", v) for v in dict.fromkeys(m.value for m in self._hits("storage", unit))]
        self._roles(b, unit, fact, has)

    def _origin(self, m: lex_mod.Match) -> bool:
        """Art. 13(1)(f): "data collected in the UK and Switzerland is transferred outside those areas" names
        where the data comes from, not the third country it goes to (regions such as "outside the EEA" excepted)."""
        if not m.value.removeprefix("loc:").isalpha() or len(m.value) != 6:
            return False
        lo = max(0, m.start - ORIGIN_REACH)
        return any(e >= m.start - 2 for _, e in self.cues.spans("transfer_origin", self.doc_text, lo, m.start))

    def _inbound(self, m: lex_mod.Match, start: int) -> bool:
        """Art. 13(1)(e): a party named after "from" is where the data comes from, not a recipient ("we receive
        information from other sources, including our partners and service providers"); "data from you is shared
        with our partners" still names a recipient."""
        text = self.doc_text
        froms = self.cues.spans("inbound", text, max(start, m.start - INBOUND_REACH), m.start)
        if not froms:
            return False
        between = text[froms[-1][1]:m.start]
        return not (cue_mod.CLAUSE_BREAK.search(between) or OUTBOUND.search(between))

    def _needs_direction(self, m: lex_mod.Match) -> bool:
        """Art. 14(2)(f): outside a section about sources, a party (partners, affiliates, social networks) is a
        source only where the data comes from it ("we receive data from partners", "partners share it with us");
        "we collect your email and share it with partners" names a recipient."""
        if m.value in SELF_SOURCES:
            return False
        return not self.cues.has("source_direction", self.doc_text, max(0, m.start - DIRECTION_REACH), m.end + DIRECTION_REACH)

    def _statements(self, b: _Builder, unit: Unit, fact, has) -> None:
        """Art. 13(2)(e) provision requirement and 13(2)(f) automated decision-making statements."""
        if has("provision_requirement"):
            b.notice.append(fact("provision", "stated"))
        if has("automated_decisions_none"):
            b.notice.append(fact("adm", "none"))
        elif has("automated_decisions") and has("we_use") and "rights" not in unit.topics:
            spans = self.cues.spans("automated_decisions", self.doc_text, unit.start, unit.end)
            if not self.cues.negated(self.doc_text, unit.start, spans[0][0]):
                b.notice.append(fact("adm", "used"))

    def _legal_bases(self, b: _Builder, unit: Unit, act: Activity, fact, has) -> None:
        text = self.doc_text
        for c in legal.citations(text, unit.start, unit.end):
            if c.concept.startswith(("eu-gdpr:A6", "eu-gdpr:A9")):
                act.facts.append(fact("legal_bases", c.concept, citation=text[c.start:c.end], defect=c.defect))
            else:  # Art. 46 / 49: a transfer safeguard or derogation
                b.transfer(act).safeguards.append(fact("safeguards", c.concept, citation=text[c.start:c.end]))
        if has("consent_from_use"):
            b.notice.append(fact("defects", "consent-from-use"))
        if unit.topics & {"rights", "complaint"} or not ("legal_bases" in unit.topics or has("legal_basis")):
            return
        stated = "legal_bases" in unit.topics or has("legal_basis_strong")
        for m in self._hits("legal_bases", unit):
            if stated or not _in_passing(unit, m.value, has):
                act.facts.append(fact("legal_bases", m.value))
            else:
                b.passing_bases.append((act, fact("legal_bases", m.value)))

    def _rights(self, b: _Builder, unit: Unit, fact, has) -> None:
        if unit.topics & {"rights", "complaint"} or has("right"):
            b.notice += [fact("rights", m.value) for m in self._hits("rights", unit)]
            b.notice += [fact("rights", c.concept) for c in legal.right_citations(self.doc_text, unit.start, unit.end)]
            for m in self.lex["authorities"].within(self.doc_text, unit.start, unit.end):
                b.notice.append(fact("authority", m.value, name=self.lex["authorities"].labels.get(m.value)))

    def _transfers(self, b: _Builder, unit: Unit, act: Activity, fact, has) -> None:
        if not ("transfers" in unit.topics or has("transfer")):
            return
        places = [m for m in self._hits("countries", unit) if m.value.removeprefix("loc:") not in EEA
                  and not self._origin(m)]
        guards = [m for m in self._hits("safeguards", unit) if not _not_a_derogation(m.value, unit, has)]
        if places or guards:
            t = b.transfer(act)
            t.destinations += [fact("third_countries", m.value) for m in places]
            t.safeguards += [fact("safeguards", m.value) for m in guards]
        if has("safeguard_copy") and act.transfers:
            act.transfers[0].statements.append(fact("safeguard_copy", "available"))

    def _retention(self, unit: Unit, act: Activity, ev: Evidence) -> None:
        text = self.doc_text
        for d in durations.temporal(text, unit.start, unit.end):
            act.facts.append(Fact("retention", d.iso or "", ev, _detail(bound=d.bound, trigger=d.trigger, law=d.law)))
        if not any(f.facet == "retention" and f.evidence == ev for f in act.facts):
            for d in durations.event_bound(text, unit.start, unit.end)[:1]:
                act.facts.append(Fact("retention", d.kind, ev, _detail(description=d.description)))

    def _roles(self, b: _Builder, unit: Unit, fact, has) -> None:
        text, s, e = self.doc_text, unit.start, unit.end
        if has("dpo_none"):
            b.notice.append(fact("dpo", "none"))
        elif has("dpo") and not self.cues.negated(text, s, self.cues.spans("dpo", text, s, e)[0][0]):
            emails = [m.group(0).lower() for m in ctl.EMAIL.finditer(text, unit.block.start, unit.block.end)]
            b.notice.append(fact("dpo", "named", contact=emails[0] if emails else None))
        if has("processor_role"):
            b.notice.append(fact("roles", "processor"))
        if has("joint_controller") and not self.cues.negated(text, s, self.cues.spans("joint_controller", text, s, e)[0][0]):
            b.notice.append(fact("roles", "joint-controller"))

    # -- notice-wide ---------------------------------------------------------------------------------------
    def _scope_subjects(self, b: _Builder, units: list[Unit]) -> None:
        """Without any subject context, the data subjects named where the notice says whom it covers."""
        if any(a.values("data_subjects") for a in b.activities.values()):
            return
        text = b.doc.text
        general = next((a for a in b.activities.values() if a.key == GENERAL), None)
        for u in units:
            if u.end - u.start > MAX_SCOPE_SENTENCE:
                continue
            named = self.lex["data_subjects"].within(text, u.start, u.end)  # none in most sentences: asked first
            if named and (u.start < SCOPE_HEAD or SCOPE.search(text, u.start, u.end)
                          or sections.starts_lead_in(text, u.start, u.end, self.lex)):
                for m in named:
                    general = general or b.activity(u)
                    general.facts.append(Fact("data_subjects", m.value, Evidence(u.start, u.end, text[u.start:u.end])))

    def _notice_date(self, b: _Builder) -> None:
        d = dates.notice_date(b.doc.text)
        if d:
            b.notice.append(Fact("modified", d.iso, Evidence(d.start, d.end, b.doc.text[d.start:d.end])))

    def _controller(self, doc: Document, units: list[Unit]) -> Controller:
        text = doc.text
        topic_at = _topic_lookup(units)
        c = Controller()
        best = ctl.best_name(ctl.name_candidates(text, topic_at))
        if best:
            c.facts.append(Fact("name", best.name, Evidence(best.start, best.end, text[best.start:best.end])))
            if (addr := ctl.address(text, best.end)) is not None:
                c.facts.append(addr)
        near = best.start if best else 0
        c.facts += ctl.identifiers(text, near)
        spans = [(u.start, u.end) for u in units if u.topics & {"controller", "dpo"} or (best and abs(u.start - best.start) < 400)
                 or self._contact_sentence(u)]
        authority = self.lex["authorities"]
        c.facts += ctl.contacts(text, _merge(spans), lambda pos: bool(authority.find(text, max(0, pos - 200), pos + 50))
                                or ctl.OTHER_BODY.search(text, max(0, pos - 120), pos) is not None)
        if not any(f.facet == "address" for f in c.facts):
            topical = [(u.start, u.end) for u in units if "controller" in u.topics and not u.topics & {"dpo", "complaint"}]
            c.facts += ctl.postal_addresses(text, _merge(topical), limit=1)
        if (p := ctl.parent(text)) is not None:
            c.facts.append(p)
        c.facts += self._controller_country(doc, c)
        return c

    def _contact_sentence(self, u: Unit) -> bool:
        """Art. 13(1)(a): "contact us at privacy@example.com" gives the controller's contact details wherever it
        stands (a DPO's own contact sentence excepted)."""
        text = self.doc_text
        return (self.cues.has("contact_us", text, u.start, u.end) and not self.cues.has("dpo", text, u.start, u.end)
                and ("@" in text[u.start:u.end] or ctl.PHONE.search(text, u.start, u.end) is not None))

    def _controller_country(self, doc: Document, c: Controller) -> list[Fact]:
        text = doc.text
        for f in c.facts:
            if f.facet == "address":
                hits = self.lex["countries"].find(text, f.evidence.start, f.evidence.end)
                if hits:
                    return [Fact("country", hits[-1].value, f.evidence)]
        for f in c.facts:
            if f.facet == "identifier":
                cc = (f.get("country") or "").upper() or (f.value[:2] if f.value[:2].isalpha() else "")
                cc = "GB" if cc == "UK" else cc
                if cc:
                    return [Fact("country", f"loc:{cc}", f.evidence)]
        m = _registered_in(text)
        if m:
            hits = self.lex["countries"].find(text, m.start(1), m.end(1))
            if hits:
                return [Fact("country", hits[0].value, Evidence(m.start(), m.end(), m.group(0)))]
        return []


REGISTERED_LEADS = ("registered", "incorporated", "established", "headquartered", "based")
REGISTERED_IN = re.compile(r"\b(?:registered|incorporated|established|headquartered|based) (?:\w+ ){0,3}in ([A-Z][\w ]{2,30})")


def _registered_in(text: str) -> re.Match[str] | None:
    """``REGISTERED_IN.search(text)``, tried only where one of its lead words starts."""
    return next(ctl.finditer_at(REGISTERED_IN, text, REGISTERED_LEADS), None)


def _passing_bases(b: _Builder) -> None:
    """Art. 13(1)(c): bases named only in passing (see _in_passing) count only in a notice that states no
    legal basis elsewhere; a notice with a legal-basis section or statements says there which bases it uses."""
    if any(f.facet == "legal_bases" for a in b.activities.values() for f in a.facts):
        return
    for act, f in b.passing_bases:
        act.facts.append(f)


def _not_a_derogation(concept: str, unit: Unit, has) -> bool:
    """Art. 49: the derogations are worded like Art. 6 / 9 bases ("explicit consent", "performance of a contract
    with you"), so they count only in a sentence about the transfer itself; consent implied from using a site
    ("by using our services you consent to the transfer") is no explicit consent under Art. 49(1)(a)."""
    if not concept.startswith("eu-gdpr:A49"):
        return False
    if concept == "eu-gdpr:A49-1-a" and has("consent_from_use"):
        return True
    return not has("transfer_stated")


def _in_passing(unit: Unit, concept: str, has) -> bool:
    """A sentence without a legal-basis statement of its own ("based on", "legal basis", a citation) that only
    names consent or the law as a condition of disclosing data ("we share it with your consent", "we disclose it
    where required by law"), the law as a reason to keep data ("we keep it as long as the law requires"), or
    consent declared by conduct ("by using the app you consent to ..."), names a legal basis only in passing."""
    return bool(unit.topics & {"recipients", "retention"} or has("share") or has("consent_declared")
                or concept == "eu-gdpr:A6-1-c" and has("retention"))


def _country_from_authority(notice: list[Fact]) -> list[Fact]:
    """No country printed for the controller: the one national supervisory authority the notice sends
    complaints to is, as a rule, the controller's own (marked as inferred)."""
    countries = {f.value for f in notice if f.facet == "authority"}
    if len(countries) != 1:
        return []
    f = next(f for f in notice if f.facet == "authority")
    return [Fact("country", f"loc:{f.value}", f.evidence, (("inferred", "from the supervisory authority"),))]


def _fact_at(text: str, unit: Unit, ev: Evidence | None = None):
    ev = Evidence(unit.start, unit.end, text[unit.start:unit.end]) if ev is None else ev

    def fact(facet: str, value: str, **d: object) -> Fact:
        return Fact(facet, value, ev, _detail(**{k: str(v) for k, v in d.items() if v}) if d else ())
    return fact


GENERIC = {"personal_data": "dpv:PersonalData"}
GENERIC_SAFEGUARD = "eu-gdpr:DataTransferTool"


def _drop_generic(act: Activity) -> None:
    """Drop "personal data" in general when the activity names specific categories, and "appropriate
    safeguards" when its transfer names the safeguard."""
    for facet, generic in GENERIC.items():
        if any(f.facet == facet and f.value != generic for f in act.facts):
            act.facts = [f for f in act.facts if not (f.facet == facet and f.value == generic)]
    for t in act.transfers:
        if any(f.value != GENERIC_SAFEGUARD for f in t.safeguards):
            t.safeguards = [f for f in t.safeguards if f.value != GENERIC_SAFEGUARD]


def _detail(**kw: str | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in kw.items() if v))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _topic_lookup(units: list[Unit]):
    import bisect

    starts = [u.start for u in units]

    def at(pos: int) -> frozenset[str]:
        i = bisect.bisect_right(starts, pos) - 1
        return units[i].topics if i >= 0 else frozenset()
    return at


@register(NAME)
def _factory() -> Rules:
    return Rules()
