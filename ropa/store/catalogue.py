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
_PARAM = re.compile(r"^[?$]?(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<spec>[^)]*)\))?\s*(?:(?:[:=]|\s[-–—])\s*(?P<desc>.*))?$",
                    re.S)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str = "literal"  # literal | iri | lang:xx | a datatype CURIE (xsd:date)
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


def parse_params(value: str) -> list[Param]:
    """``company (literal, required): the name; basis (iri)`` -> Params. Items are separated by ``;`` or new
    lines (or by commas when every piece is a parameter)."""
    value = value.strip()
    if not value or value.lower() in ("none", "-", "no", "n/a"):
        return []
    items = [i.strip().lstrip("-*").strip() for i in re.split(r"[;\n]", value) if i.strip()]
    if len(items) == 1:
        pieces = [p.strip() for p in _split_outside_parens(items[0])]
        if len(pieces) > 1 and all(_PARAM.match(p) and " " not in p.split("(")[0].strip() for p in pieces):
            items = pieces
    out = []
    for item in items:
        m = _PARAM.match(item)
        if not m:
            raise ValueError(f"cannot read parameter {item!r}; write `name (kind): description`")
        kind, required = "literal", False
        for tok in (t.strip() for t in (m.group("spec") or "").split(",")):
            low = tok.lower()
            if low == "required":
                required = True
            elif low in ("optional", "", "several", "repeatable"):
                continue
            elif low in ("literal", "string", "iri", "any") or ":" in tok:
                kind = "literal" if low == "string" else tok
        out.append(Param(m.group("name"), kind, required, (m.group("desc") or "").strip()))
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
    try:
        params = parse_params(h.pop("parameters", ""))
    except ValueError as err:
        raise UsageError(f"{err} in its `# parameters:` header (see queries/README.md)", path) from err
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
