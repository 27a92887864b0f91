"""The query catalogue: ``queries/<group>/<name>.rq``, each with a comment header (see queries/README.md)::

    # name: legal_bases_by_company
    # description: The legal bases each controller cites, one row per controller and basis.
    # parameters: company (literal): the controller's name as printed; basis (iri, optional)
    # gdpr: Art. 13(1)(c), Art. 30(1)(b)

The header is the comment block at the top of the file; ``# key: value`` lines, and indented comment lines that
continue the previous key. Only ``name`` is implied (the file stem); other keys (``severity``, ``fix``, ...) are
kept in ``QueryFile.meta`` for the commands that use them.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ropa import resources
from ropa.errors import UsageError

_KEY = re.compile(r"#\s?(?P<key>[A-Za-z][A-Za-z _-]{0,30}):\s*(?P<value>.*)$")
_ALIASES = {"params": "parameters", "parameter": "parameters", "article": "gdpr", "gdpr article": "gdpr",
            "title": "description", "summary": "description"}
_PARAM = re.compile(r"^[?$]?(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<spec>[^)]*)\))?\s*(?:(?::|\s[-–—])\s*(?P<desc>.*))?$",
                    re.S)
_LOOSE = re.compile(r"^[?$]?(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<spec>[^)]*)\))?\s*(?:[:–—-]\s*)?(?P<desc>.*)$", re.S)
_KIND = re.compile(r"(literal|string|iri|any|lang:[A-Za-z-]+|xsd:[A-Za-z]+)\Z")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str = "any"  # literal | iri | lang:xx | a datatype CURIE (xsd:date) | any (IRI-looking -> IRI)
    required: bool = False
    description: str = ""


@dataclass
class QueryFile:
    path: Path
    name: str
    group: str
    text: str
    description: str = ""
    gdpr: str = ""
    params: list[Param] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.group}/{self.name}" if self.group else self.name

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_header(text: str) -> dict[str, str]:
    """The ``# key: value`` header at the top of a query file (keys lower-cased, aliases resolved)."""
    fields: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if fields:
                break
            continue
        if not s.startswith("#"):
            break
        m = _KEY.match(s)
        if m and not s.startswith("#  "):
            key = m.group("key").strip().lower()
            last = _ALIASES.get(key, key)
            fields[last] = (fields[last] + "\n" if last in fields else "") + m.group("value").strip()
        elif last is not None and s.strip("# "):
            fields[last] = (fields[last] + "\n" + s.lstrip("#").strip()).strip()
    return fields


def _is_param(frag: str) -> bool:
    """Does this fragment start a parameter (``?name``, ``name (kind...)``, ``name: text``)?"""
    m = _PARAM.match(frag)
    if not m:
        return False
    if frag.startswith(("?", "$")):
        return True
    spec = m.group("spec")
    if spec is None:
        return bool(m.group("desc")) or re.fullmatch(r"\w+", frag) is not None
    return any(_KIND.match(t.strip()) or t.strip().lower() in ("required", "optional") for t in spec.split(","))


def parse_params(value: str) -> list[Param]:
    """``company (literal, required): the name; basis (iri)`` -> Params, leniently: parameters are separated by
    ``;``, by new header lines, or by commas when every piece starts a parameter (``?g1, ?g2 (...)``); text that
    does not start a parameter continues the previous one's description. A kind or ``required`` inside the
    parentheses is read; other words there are description. Never fails: unreadable text is description."""
    value = value.strip()
    if not value or value.lower() in ("none", "-", "no", "n/a"):
        return []
    items: list[str] = []
    all_required = False
    for line in value.splitlines():
        for k, raw in enumerate(line.split(";")):
            frag = raw.strip().lstrip("-*").strip()
            if not frag:
                continue
            pieces = [p.strip() for p in _split_outside_parens(frag)]
            if len(pieces) > 1 and all(_is_param(p) for p in pieces):
                items.extend(pieces)
            elif items and not _is_param(frag):
                all_required |= bool(re.match(r"all (are )?required", frag, re.I))
                items[-1] += (" " if k == 0 else "; ") + frag  # a description running on
            else:
                items.append(frag)
    out = []
    for item in items:
        m = _LOOSE.match(item)
        if not m:
            continue
        kind, required, extra = "any", all_required, []
        for tok in (t.strip() for t in re.split(r"[,;]", m.group("spec") or "")):
            low = tok.lower()
            if low == "required" or low.startswith("required "):
                required = True
                extra.append(tok[8:].strip()) if len(tok) > 8 else None
            elif low == "optional" or not tok:
                continue
            elif _KIND.match(tok):
                kind = "literal" if low == "string" else tok
            else:
                extra.append(tok)
        rest = (m.group("desc") or "").lstrip(";:, ")
        desc = " ".join(", ".join(x for x in [*extra, rest] if x).split())
        out.append(Param(m.group("name"), kind, required, desc))
    return out


def _split_outside_parens(s: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]


def load(path: Path, group: str | None = None) -> QueryFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read the query file ({err}); check the path", path) from err
    h = parse_header(text)
    params = parse_params(h.pop("parameters", ""))
    name = h.pop("name", "").strip() or path.stem
    return QueryFile(path, name, path.parent.name if group is None else group, text,
                     description=" ".join(h.pop("description", "").split()), gdpr=h.pop("gdpr", "").strip(),
                     params=params, meta=h)


def catalogue(root: Path | None = None) -> list[QueryFile]:
    """Every ``.rq`` file under ``queries/`` (or ``root``), sorted by group and name."""
    base = Path(root) if root is not None else resources.queries_dir()
    if not base.is_dir():
        return []
    out = []
    for p in sorted(base.rglob("*.rq")):
        rel = p.relative_to(base).parent.as_posix()
        out.append(load(p, "" if rel == "." else rel))
    return sorted(out, key=lambda q: (q.group, q.name))


def find(ref: str, root: Path | None = None) -> list[QueryFile]:
    """A query file path, a folder of them, a catalogue id (``gaps/art13_1_c_legal_basis``), a group
    (``gaps``) or a bare name -> the query files it names."""
    p = Path(ref)
    if p.suffix == ".rq" and p.is_file():
        return [load(p)]
    if p.is_dir() and any(p.rglob("*.rq")):
        return catalogue(p) if p.resolve() != (Path(root) if root else resources.queries_dir()).resolve() \
            else catalogue(root)
    queries = catalogue(root)
    key = ref.removesuffix(".rq").strip("/")
    hits = [q for q in queries if key in (q.id, f"{q.group}/{q.path.stem}")]
    hits = hits or [q for q in queries if key in (q.name, q.path.stem)]
    if len(hits) > 1:
        raise UsageError(f"{ref!r} names {len(hits)} queries ({', '.join(q.id for q in hits)}); give its group too")
    if not hits:
        hits = [q for q in queries if q.group == key or q.group.startswith(key + "/")]
    if hits:
        return hits
    close = difflib.get_close_matches(key, [q.id for q in queries] + [q.name for q in queries], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `ropa query --list` shows them"
    raise UsageError(f"no query named {ref!r}{hint}")
