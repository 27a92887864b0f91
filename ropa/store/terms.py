"""RDF terms for query parameters, and binding them into a query as a ``VALUES`` block.

A parameter's value never becomes query text: it is turned into an RDF term (an IRI checked against RFC 3987's
character rules, or a literal), serialised with Oxigraph's N-Triples writer (which escapes quotes, backslashes
and control characters), and placed in a ``VALUES`` block at the start of the query's outermost ``WHERE`` group
(SPARQL 1.1, section 10.2.1 "VALUES: Providing inline data"). Variable names are checked against the SPARQL
``VARNAME`` production. So ``--bind company='Acme" } ; DROP ALL #'`` is one string literal, whatever it holds.

The same block is used for the embedded store, rdflib and remote endpoints, so a bound query means the same on
all three (Oxigraph's own ``substitutions`` only accept projected variables; rdflib's ``initBindings`` have no
remote equivalent).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ropa.errors import UsageError
from ropa.graph.namespaces import DATA, PREFIXES

Term = ox.NamedNode | ox.Literal | ox.BlankNode
XSD = "http://www.w3.org/2001/XMLSchema#"
VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# --- turning user text into terms ---------------------------------------------------------------------------


def iri_term(text: str) -> ox.NamedNode:
    """``<https://...>``, ``https://...`` or a CURIE with one of ropa's prefixes (``eu-gdpr:A6-1-f``) -> an IRI."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    else:
        prefix, sep, local = t.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            t = str(PREFIXES[prefix]) + local
        elif sep and prefix == "data" and not local.startswith("//"):  # how tables show notice graphs
            t = str(DATA) + local
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", t):
        raise UsageError(f"{text!r} is not an IRI; give an absolute IRI (https://...) or a CURIE "
                         f"({', '.join(sorted(PREFIXES))})")
    try:
        return ox.NamedNode(t)
    except ValueError as err:
        raise UsageError(f"{text!r} is not a valid IRI ({err})") from err


def literal_term(text: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(text, language=language)
    if datatype:
        dt = iri_term(datatype)
        lit = ox.Literal(text, datatype=dt)
        _check_lexical(lit, dt.value)
        return lit
    return ox.Literal(text)


def _check_lexical(lit: ox.Literal, dt: str) -> None:
    """Reject ill-typed numbers, booleans and dates early: a typo would silently match nothing."""
    checks = {XSD + "integer": r"[+-]?\d+", XSD + "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
              XSD + "boolean": r"true|false|1|0", XSD + "date": r"-?\d{4,}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?",
              XSD + "gYear": r"-?\d{4,}",
              XSD + "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"}
    pattern = checks.get(dt)
    if pattern and not re.fullmatch(pattern, lit.value):
        raise UsageError(f"{lit.value!r} is not a valid <{dt}> value")


def parse_term(text: str, kind: str = "any") -> Term:
    """A parameter value -> an RDF term, as the query's header declares the parameter's ``kind``:
    ``literal`` (a plain string), ``iri`` (an IRI or a CURIE), ``lang:en`` (a language-tagged string), a datatype
    (``xsd:date``, ``xsd:integer``, ...), or ``any`` (undeclared): an IRI when the value is written ``<...>``, is an
    absolute http(s)/urn IRI or a CURIE with one of ropa's prefixes, else a plain string."""
    k = (kind or "any").strip()
    if k == "iri":
        return iri_term(text)
    if k in ("literal", "string"):
        return ox.Literal(text)
    if k == "any":
        return iri_term(text) if _looks_like_iri(text) else ox.Literal(text)
    if k.startswith("lang:"):
        return literal_term(text, language=k[5:])
    return literal_term(text, datatype=k)


def _looks_like_iri(text: str) -> bool:
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return True
    if re.fullmatch(r"(https?|urn|mailto|tel):\S+", t):
        return True
    prefix, sep, local = t.partition(":")
    return bool(sep) and prefix in PREFIXES and re.fullmatch(r"[\w.-]+", local) is not None


def to_sparql(term: Term) -> str:
    """A term in SPARQL / N-Triples syntax (Oxigraph's writer does the escaping)."""
    if isinstance(term, ox.BlankNode):
        raise UsageError("a blank node cannot be a query parameter; bind an IRI or a literal")
    return str(term)


def check_varname(name: str) -> str:
    v = name[1:] if name[:1] in "?$" else name
    if not VARNAME.match(v):
        raise UsageError(f"{name!r} is not a SPARQL variable name; use letters, digits and _ (e.g. company)")
    return v


def values_block(bindings: Mapping[str, Sequence[Term]]) -> str:
    """``VALUES ?a { t1 t2 } VALUES ?b { t3 }``: one block per variable (several values = any of them)."""
    parts = []
    for name, terms in bindings.items():
        v = check_varname(name)
        if not terms:
            raise UsageError(f"no value given for ?{v}")
        parts.append(f"VALUES ?{v} {{ {' '.join(to_sparql(t) for t in terms)} }}")
    return " ".join(parts)


# --- finding where the values go ----------------------------------------------------------------------------

# SPARQL 1.1 terminals that may contain braces, '#' or keywords: strings, IRIs, comments (section 19.8).
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<punct>[{}()])
  | (?P<other>.)
""", re.X | re.S)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterable[Token]:
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        yield Token(kind, m.group(), m.start())


def strip_comments(query: str) -> str:
    """The query without its ``#`` comments (strings and IRIs holding ``#`` are kept whole)."""
    out, last = [], 0
    for t in tokens(query):
        if t.kind == "comment":
            out.append(query[last:t.start])
            last = t.start + len(t.text)
    out.append(query[last:])
    return "".join(out).strip() + "\n"


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE for a query; UPDATE for an update (read from the tokens, so comments
    and strings cannot mislead it, unlike SPARQLWrapper's own guess)."""
    for t in tokens(query):
        if t.kind == "word":
            w = t.text.upper()
            if w in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                return w
            if w in ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"):
                return "UPDATE"
    return "SELECT"


def variables(query: str) -> set[str]:
    return {t.text[1:] for t in tokens(query) if t.kind == "var"}


def _where_group(toks: list[Token]) -> int | None:
    """Index of the token ``{`` that opens the outermost WHERE group, or None (e.g. ``DESCRIBE <x>``)."""
    depth = 0
    first_brace = None
    form = None
    for i, t in enumerate(toks):
        word = t.text.upper() if t.kind == "word" else ""
        if depth == 0 and form is None and word in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            form = word
        if t.text in "({" and t.kind == "punct":
            if depth == 0 and t.text == "{" and first_brace is None:
                first_brace = i
            depth += 1
        elif t.text in ")}" and t.kind == "punct":
            depth -= 1
        elif depth == 0 and word == "WHERE":
            if form == "CONSTRUCT" and i and toks[i - 1].text.upper() == "CONSTRUCT":
                return None  # CONSTRUCT WHERE { template }: its group is also the template
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            return i + 1 if nxt is not None and nxt.text == "{" else None
    return None if form == "CONSTRUCT" else first_brace


def _closing(toks: list[Token], open_idx: int) -> int:
    depth = 0
    for i in range(open_idx, len(toks)):
        if toks[i].kind == "punct" and toks[i].text in "({":
            depth += 1
        elif toks[i].kind == "punct" and toks[i].text in ")}":
            depth -= 1
            if depth == 0:
                return i
    raise UsageError("the query's braces are unbalanced; check its WHERE clause")


def substitutable(query: str, names: Iterable[str]) -> bool:
    """May these variables be substituted into the query plan (Oxigraph's ``substitutions``) with the same answers
    as a VALUES join? Not when one occurs in an OPTIONAL or MINUS group (a constant there changes what the group
    matches, where a join would drop the row) or is assigned by ``AS`` (BIND, a projection)."""
    wanted = {check_varname(n) for n in names}
    stack: list[bool] = []
    prev = ""
    for t in tokens(query):
        if t.kind == "comment":
            continue
        if t.kind == "punct" and t.text == "{":
            stack.append((stack[-1] if stack else False) or prev in ("OPTIONAL", "MINUS"))
        elif t.kind == "punct" and t.text == "}":
            if stack:
                stack.pop()
        elif t.kind == "var" and t.text[1:] in wanted and ((stack and stack[-1]) or prev == "AS"):
            return False
        prev = t.text.upper() if t.kind == "word" else t.text
    return True


def check_bindings(query: str, bindings: Mapping[str, Sequence[Term]] | None) -> None:
    """Every bound name is a variable name the query uses (else the binding would silently do nothing)."""
    if not bindings:
        return
    present = variables(query)
    for name, terms in bindings.items():
        v = check_varname(name)
        if v not in present:
            raise UsageError(f"the query has no variable ?{v}; its variables are: "
                             f"{', '.join('?' + x for x in sorted(present)) or 'none'}")
        if not terms:
            raise UsageError(f"no value given for ?{v}")
        for t in terms:
            to_sparql(t)


def bind(query: str, bindings: Mapping[str, Sequence[Term]] | None) -> str:
    """``query`` with ``bindings`` as a VALUES block at the start of its outermost WHERE group.

    A parameter that does not occur in the query is an error (it would silently do nothing)."""
    if not bindings:
        return query
    check_bindings(query, bindings)
    block = values_block(bindings)
    toks = list(tokens(query))
    i = _where_group(toks)
    if i is None:  # no group pattern (DESCRIBE <x>, CONSTRUCT WHERE short form): a trailing VALUES clause
        return f"{query.rstrip()}\n{block}\n"
    brace = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    pos = brace.start + 1
    if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SELECT":  # WHERE { SELECT ... }: wrap it
        end = toks[_closing(toks, i)].start
        return f"{query[:pos]} {block} {{ {query[pos:end]} }} {query[end:]}"
    return f"{query[:pos]} {block} {query[pos:]}"


# --- ordering rows outside the engine -----------------------------------------------------------------------


def split_order(query: str) -> tuple[str, list[tuple[str, bool]]]:
    """``(query without its final ORDER BY, [(variable, descending), ...])`` when the query ends with an ORDER BY
    of plain variables (``?a DESC(?b)``) at the top level; ``(query, [])`` otherwise.

    Oxigraph's ORDER BY compares the terms' strings, which an on-disk store reads back one lookup at a time:
    ordering 140,000 rows took 6 of a query's 9 s at 10,000 companies. :func:`sort_rows` does it on the rows
    instead, with SPARQL 1.1's order (section 15.1) for the terms ropa's queries order by."""
    toks = [t for t in tokens(query) if t.kind != "comment"]
    depth, at = 0, None
    for i, t in enumerate(toks):
        if t.kind == "punct" and t.text in "({":
            depth += 1
        elif t.kind == "punct" and t.text in ")}":
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "ORDER" and i + 1 < len(toks) \
                and toks[i + 1].text.upper() == "BY":
            at = i
    if at is None:
        return query, []
    keys: list[tuple[str, bool]] = []
    i = at + 2
    while i < len(toks):
        t = toks[i]
        if t.kind == "var":
            keys.append((t.text[1:], False))
            i += 1
        elif t.kind == "word" and t.text.upper() in ("ASC", "DESC") and i + 3 < len(toks) \
                and toks[i + 1].text == "(" and toks[i + 2].kind == "var" and toks[i + 3].text == ")":
            keys.append((toks[i + 2].text[1:], t.text.upper() == "DESC"))
            i += 4
        else:
            return query, []  # an expression, LIMIT / OFFSET after it...: the engine orders
    if not keys:
        return query, []
    return query[:toks[at].start].rstrip() + "\n", keys


_NUMERIC = {XSD + n for n in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


def order_key(term) -> tuple:
    """SPARQL 1.1 ORDER BY for one term (rdflib or None): unbound, blank nodes, IRIs, then literals; numbers by
    value, other literals by their lexical form (code point order, as Oxigraph compares strings)."""
    if term is None:
        return (0, 0.0, "")
    if isinstance(term, BNode):
        return (1, 0.0, str(term))
    if isinstance(term, URIRef):
        return (2, 0.0, str(term))
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _NUMERIC:
        try:
            return (3, float(str(term)), "")
        except ValueError:
            pass
    return (4, 0.0, str(term))


def sort_rows(variables: Sequence[str], rows: list, keys: Sequence[tuple[str, bool]]) -> list:
    """``rows`` (tuples in ``variables`` order) sorted by ``keys``; stable, so ties keep the engine's order."""
    out = list(rows)
    cache: dict = {}

    def key(term) -> tuple:
        k = cache.get(term)
        if k is None:
            k = cache[term] = order_key(term)
        return k

    for name, desc in reversed(keys):
        i = list(variables).index(name)
        out.sort(key=lambda r: key(r[i]), reverse=desc)
    return out
