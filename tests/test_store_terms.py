"""Binding parameters as RDF terms (ropa/store/terms.py): values never become query text."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ropa.errors import UsageError
from ropa.store.base import GraphData
from ropa.store.embedded import EmbeddedStore
from ropa.store.results import from_oxigraph
from ropa.store.terms import bind, order_key, parse_term, query_form, split_order, strip_comments, variables

NAME = ox.NamedNode("https://w3id.org/dpv#hasName")
Q = """PREFIX dpv: <https://w3id.org/dpv#>
# a comment with { a brace, WHERE and "quotes"
SELECT ?c ?company WHERE { ?c dpv:hasName ?company . FILTER(?company != "}") }"""


def test_values_go_into_the_outer_where_group():
    out = bind(Q, {"company": [ox.Literal("Acme A/S")]})
    assert 'WHERE { VALUES ?company { "Acme A/S" }' in out
    assert out.count("VALUES") == 1


def test_sub_select_is_wrapped_and_short_construct_gets_a_trailing_values():
    sub = bind("SELECT ?x WHERE { SELECT ?x WHERE { ?x ?p ?o } }", {"x": [ox.NamedNode("http://a")]})
    assert "WHERE { VALUES ?x { <http://a> } {  SELECT ?x" in sub
    short = bind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": [ox.NamedNode("http://a")]})
    assert short.rstrip().endswith("VALUES ?s { <http://a> }")
    for q in (sub, short):
        ox.Store().query(q)  # still valid SPARQL


def test_unknown_variables_and_bad_names_are_refused():
    with pytest.raises(UsageError, match="no variable [?]nope"):
        bind(Q, {"nope": [ox.Literal("x")]})
    with pytest.raises(UsageError, match="not a SPARQL variable name"):
        bind(Q, {"company } DROP ALL #": [ox.Literal("x")]})


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_company_name_is_one_literal(name):
    """Quotes, braces, '#', newlines or a whole SPARQL update in a name match exactly that name."""
    store = ox.Store()
    g = ox.NamedNode("https://w3id.org/ropa/data/x")
    store.add(ox.Quad(ox.NamedNode("urn:c1"), NAME, ox.Literal(name), g))
    store.add(ox.Quad(ox.NamedNode("urn:c2"), NAME, ox.Literal(name + "x"), g))
    q = bind(Q, {"company": [parse_term(name, "literal")]})
    rows = list(store.query(q, use_default_graph_as_union=True))
    expected = [] if name == "}" else ["urn:c1"]
    assert [r["c"].value for r in rows] == expected
    assert variables(q) == {"c", "company"}


@pytest.mark.parametrize("value,kind,expected", [
    ("Acme A/S", "literal", '"Acme A/S"'),
    ("eu-gdpr:A6-1-f", "iri", "<https://w3id.org/dpv/legal/eu/gdpr#A6-1-f>"),
    ("eu-gdpr:A6-1-f", "any", "<https://w3id.org/dpv/legal/eu/gdpr#A6-1-f>"),
    ("Acme:Foo", "any", '"Acme:Foo"'),
    ("<urn:x>", "any", "<urn:x>"),
    ("data:acme.txt", "iri", "<https://w3id.org/ropa/data/acme.txt>"),
    ("2024-01-31", "xsd:date", '"2024-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'),
    ("3", "xsd:integer", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("Hej", "lang:da", '"Hej"@da'),
])
def test_parameter_kinds(value, kind, expected):
    assert str(parse_term(value, kind)) == expected


@pytest.mark.parametrize("value,kind", [("31/01/2024", "xsd:date"), ("three", "xsd:integer"),
                                        ("https://a b", "iri"), ("no scheme", "iri"), ("<a>b>", "iri")])
def test_bad_values_are_refused_before_the_query_runs(value, kind):
    with pytest.raises(UsageError):
        parse_term(value, kind)


def test_the_query_form_is_read_from_tokens_not_guessed():
    q = "# name: x\n# description: e.g. to COPY it elsewhere; INSERT here\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert query_form(q) == "CONSTRUCT"
    assert query_form('SELECT ("DROP" AS ?x) {}') == "SELECT"
    assert query_form("DROP SILENT GRAPH <urn:g>") == "UPDATE"
    stripped = strip_comments('SELECT * WHERE { ?s <http://x#y> "a # b" } # gone')
    assert "gone" not in stripped and "<http://x#y>" in stripped and '"a # b"' in stripped


@pytest.mark.parametrize("query,names,ok", [
    ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { GRAPH ?g { ?s a ?t } } }", ["g"], True),
    ("SELECT ?c WHERE { ?a ?p ?b OPTIONAL { ?b <urn:name> ?c } }", ["c"], False),
    ("SELECT ?c WHERE { ?a ?p ?c MINUS { ?c ?q ?d } }", ["c"], False),
    ("SELECT ?x WHERE { ?a ?p ?b BIND(1 AS ?x) }", ["x"], False),
    ("SELECT ?a WHERE { ?a ?p ?b OPTIONAL { ?b <urn:name> ?c } }", ["a"], True),
])
def test_when_substitution_gives_the_same_answers_as_a_join(query, names, ok):
    from ropa.store.terms import substitutable

    assert substitutable(query, names) is ok


def test_a_bound_optional_variable_joins_instead_of_substituting():
    """With ?c bound inside an OPTIONAL of a GRAPH group, substituting would report every row as "Acme"; the
    VALUES join keeps only the rows whose ?c is Acme -- the same answer rdflib gives."""
    from rdflib import Dataset

    from ropa.store import EmbeddedStore, RdflibStore

    data = "".join(f"<{s}> <urn:p> \"x\" <urn:g> .\n<{s}> <{NAME.value}> \"{n}\" <urn:g> .\n"
                   for s, n in (("urn:a", "Acme"), ("urn:b", "Beta")))
    ox_store = EmbeddedStore()
    ox_store._store.load(data.encode(), format=ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    q = f"SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s <urn:p> ?o OPTIONAL {{ ?s <{NAME.value}> ?c }} }} }}"
    for engine in (ox_store, RdflibStore(ds)):
        rows = engine.query(q, {"c": [ox.Literal("Acme")]}).dicts()
        assert [(str(r["s"]), str(r["c"])) for r in rows] == [("urn:a", "Acme")]


# --- ORDER BY applied to the rows instead of by the engine ----------------------------------------------------


@pytest.mark.parametrize("query, keys", [
    ("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a ?b", [("a", False), ("b", False)]),
    ("SELECT * WHERE { ?a ?p ?b }\nORDER BY DESC(?b) ?a  # newest first\n", [("b", True), ("a", False)]),
    ("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 3 } }", []),  # inside a sub-select
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 10", []),  # LIMIT needs the engine's order
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY STR(?a)", []),  # an expression
    ('SELECT ?a WHERE { ?a ?p "ORDER BY ?x" }', []),  # a string is not a clause
])
def test_only_a_final_order_by_of_variables_is_split_off(query, keys):
    text, got = split_order(query)
    assert got == keys
    assert ("ORDER" not in text.upper().split("}")[-1]) if keys else text == query


IRIS = st.text(alphabet="abcxyz", min_size=1, max_size=5).map(lambda s: ox.NamedNode(f"http://ex/{s}"))
# A column holds one kind of literal (SPARQL leaves the order of a number and a string to the engine, and
# Oxigraph's is not a total order across kinds); unbound values and IRIs mix with either.
NUMBERS = st.one_of(st.none(), IRIS, st.integers(-10**6, 10**6).map(ox.Literal),
                    st.decimals(-1000, 1000, places=2).map(lambda d: ox.Literal(str(d), datatype=ox.NamedNode(
                        "http://www.w3.org/2001/XMLSchema#decimal"))))
STRINGS = st.one_of(st.none(), IRIS, st.text(max_size=8).map(ox.Literal))


@given(st.lists(st.tuples(NUMBERS, STRINGS), max_size=40), st.booleans(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_rows_sorted_here_come_in_the_engines_order(rows, desc_a, desc_b):
    """Whatever the values (numbers, strings, IRIs, unbound), ropa's ordering equals Oxigraph's ORDER BY, up to ties."""
    store = EmbeddedStore()
    graphs = []
    for i, (a, b) in enumerate(rows):
        node = f"<http://ex/row{i}>"
        lines = [f'{node} <http://ex/is> "row" .']
        lines += [f"{node} <http://ex/{p}> {v} ." for p, v in (("a", a), ("b", b)) if v is not None]
        graphs.append(GraphData(f"http://ex/row{i}", "\n".join(lines + [""]).encode()))
    store.replace(graphs)
    order = f"{'DESC(?a)' if desc_a else '?a'} {'DESC(?b)' if desc_b else '?b'}"
    q = ("SELECT ?a ?b WHERE { GRAPH ?g { ?r <http://ex/is> \"row\" "
         "OPTIONAL { ?r <http://ex/a> ?a } OPTIONAL { ?r <http://ex/b> ?b } } } ORDER BY " + order)
    ours = store.query(q)
    engine = from_oxigraph(store.raw_query(q))
    assert len(ours) == len(engine) == len(rows)
    assert [tuple(order_key(t) for t in r) for r in ours.rows] == [tuple(order_key(t) for t in r) for r in engine.rows]
