"""The query catalogue (queries/**/*.rq): headers, lookup, and every query running on the sample graph."""
from __future__ import annotations

import pytest

from ropa.errors import UsageError
from ropa.graph.io import save
from ropa.store import catalogue, find_queries, open_store, run_query
from ropa.store.catalogue import Param, parse_header, parse_params


@pytest.fixture(scope="module")
def sample_trig(sample_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "ropa.trig"
    save(sample_build.dataset, path)
    return path


def test_header_of_the_readme_style():
    h = parse_header("# name: x\n# description: Two\n#   lines.\n# parameters: company (literal, required): the name\n"
                     "# gdpr: Art. 13(1)(c)\nPREFIX a: <urn:a#>\n# not header\nSELECT * {}")
    assert h == {"name": "x", "description": "Two\nlines.", "parameters": "company (literal, required): the name",
                 "gdpr": "Art. 13(1)(c)"}


def test_header_with_aligned_keys_and_aliases():
    h = parse_header("# title:    No legal basis\n# article:  Art. 13(1)(c)\n# severity: violation\n"
                     "# law:      \"the purposes\n#           and the legal basis\"\nSELECT * {}")
    assert h["description"] == "No legal basis" and h["gdpr"] == "Art. 13(1)(c)" and h["severity"] == "violation"
    assert h["law"] == '"the purposes\nand the legal basis"'


@pytest.mark.parametrize("text,expected", [
    ("none", []),
    ("company (literal)", [Param("company", "literal")]),
    ("company (literal, required): the name; basis (iri)",
     [Param("company", "literal", True, "the name"), Param("basis", "iri")]),
    ("?g (optional): one notice's named graph; unbound = every notice",
     [Param("g", "any", False, "one notice's named graph; unbound = every notice")]),
    ("?depth (xsd:integer, optional): 1 = top", [Param("depth", "xsd:integer", False, "1 = top")]),
    ("?g1, ?g2 (the two graphs); all required",
     [Param("g1", "any", True), Param("g2", "any", True, "the two graphs, all required")]),
    ("since (xsd:date): a date\nuntil (xsd:date): another", [Param("since", "xsd:date", False, "a date"),
                                                             Param("until", "xsd:date", False, "another")]),
])
def test_parameter_lists(text, expected):
    assert parse_params(text) == expected


def test_lookup_by_id_name_group_and_path():
    q = find_queries("store/notices_in_store")
    assert [x.id for x in q] == ["store/notices_in_store"]
    assert find_queries("notices_in_store")[0].path == q[0].path
    assert find_queries(str(q[0].path))[0].id == "store/notices_in_store"
    assert {x.id for x in find_queries("store")} >= {"store/notices_in_store", "store/triples_per_notice"}
    with pytest.raises(UsageError, match="did you mean store/notices_in_store"):
        find_queries("store/notice_in_store")


def test_every_query_has_a_description_and_an_article():
    for q in catalogue():
        if q.group.endswith("support"):
            continue  # building blocks read by other queries, not questions of their own
        assert q.description, f"{q.path}: no `# description:` header"
        assert q.gdpr, f"{q.path}: no `# gdpr:` header"


def test_every_query_runs_on_the_sample_graph(sample_trig):
    """Each catalogue query is valid SPARQL 1.1 for Oxigraph and answers on a real graph (required parameters
    bound to a real value of the right kind)."""
    store = open_store(sample_trig)
    graph = "https://w3id.org/ropa/data/004_078deb46ad01e314.txt"
    for q in catalogue():
        binds = {p.name: (graph if p.kind in ("any", "iri") and p.name.startswith("g") else
                          "dpv:hasPurpose" if p.kind in ("any", "iri") else "1")
                 for p in q.params if p.required}
        res = run_query(store, q, binds)
        assert res.kind in ("select", "ask", "graph"), q.id


@pytest.fixture(scope="module")
def engines(sample_trig):
    return open_store(sample_trig), open_store(sample_trig, backend="rdflib")


@pytest.mark.parametrize("name,binds", [("store/notices_in_store", {}), ("store/triples_per_notice", {}),
                                        ("store/activities_by_notice", {"source": "004_078deb46ad01e314.txt"}),
                                        ("store/named_graphs", {})])
def test_rdflib_and_oxigraph_agree(engines, name, binds):
    q = find_queries(name)[0]
    a, b = (run_query(engine, q, binds) for engine in engines)
    assert a.variables == b.variables
    assert sorted(map(str, a.rows)) == sorted(map(str, b.rows)) and a.rows
