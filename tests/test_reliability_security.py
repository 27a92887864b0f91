"""Security: notice text never becomes markup in an HTML report (gaps, compare, viz), notice file names never steer
an output path, SPARQL parameters are bound as terms whatever their text, and ``ropa serve`` defaults to loopback
and read-only.

Elsewhere: tests/test_query_cli.py (a hostile --bind is one literal), tests/test_serve.py (the server binds
127.0.0.1 and refuses writes without --writable), tests/test_gaps_cli.py (the gaps report escapes notice text).
"""
from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ropa.cli import main, parser
from ropa.graph.build import graph_iri
from ropa.graph.namespaces import DATA
from ropa.store.terms import bind, iri_term, literal_term

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "notices" / "003_5f355bfe8382d069.txt"
HOSTILE_NAME = "<script>alert(0)<!--.txt"
HOSTILE_TEXT = """Privacy Policy <script>alert(1)</script>

<script>alert(2)</script> Evil Ltd, CVR 12345678, is the data controller. Contact us at evil@example.com.

If you are a customer <img src=x onerror=alert(3)>

We collect your name and email address <script>alert(4)</script> to provide our services, based on the performance
of a contract (Art. 6(1)(b) GDPR).

We keep your data for 5 years <!--<script> after the end of the contract.

We transfer your data to the United States under standard contractual clauses </script><script>alert(5)</script>.

You have the right to access your data and to complain to the Datatilsynet.
"""


class Page(HTMLParser):
    """What a browser would make of a page: its tags, attributes, script bodies and visible text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.scripts: list[tuple[str, str]] = []  # (type, body)
        self.text: list[str] = []
        self._script: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = dict(attrs).get("type") or "text/javascript"
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            kind, body = self.scripts[-1]
            self.scripts[-1] = (kind, body + data)
        else:
            self.text.append(data)


def assert_inert(html: str) -> Page:
    """No tag, attribute or script the notice injected; the hostile text is there only as text or JSON data."""
    page = Page(html)
    for tag, attrs in page.tags:
        if tag == "img":  # the report's own pictures are data: URLs; the notice's <img src=x> is not
            assert dict(attrs).get("src", "").startswith("data:image/"), "an <img> from the notice became markup"
        for name, value in attrs:
            assert "alert" not in name and "alert" not in (value or ""), (tag, name, value)
    for kind, body in page.scripts:
        if kind == "application/json":
            assert "<" not in body  # every "<" is \u003c: nothing can close or re-open the data block
            json.loads(body)
        else:
            assert "alert" not in body, "notice text ended up in an executable script"
    return page


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    notices = base / "notices"
    notices.mkdir()
    (notices / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    shutil.copy(SAMPLE, notices / SAMPLE.name)
    assert main(["build", str(notices), "-o", str(base / "g.trig"), "-q"]) == 0
    return base / "g.trig"


def test_gaps_html_escapes_a_hostile_notice(hostile_graph, tmp_path):
    out = tmp_path / "gaps.html"
    assert main(["gaps", str(hostile_graph), "--format", "html", "-o", str(out), "--reasoner", "none", "-q"]) == 1
    page = assert_inert(out.read_text(encoding="utf-8"))
    visible = "".join(page.text)
    assert HOSTILE_NAME in visible  # the name is shown, as text


def test_compare_html_escapes_a_hostile_notice(hostile_graph, tmp_path):
    out = tmp_path / "compare.html"
    assert main(["compare", str(hostile_graph), "--format", "html", "-o", str(out), "-q",
                 "--facet", "data_subjects", "--facet", "personal_data"]) == 0
    page = assert_inert(out.read_text(encoding="utf-8"))
    assert "onerror=alert(3)" in "".join(page.text)


@pytest.mark.parametrize("view", ["network", "companies"])
def test_viz_html_escapes_a_hostile_notice(hostile_graph, tmp_path, view):
    out = tmp_path / "viz.html"
    assert main(["viz", str(hostile_graph), "--view", view, "-o", str(out), "-q"]) == 0
    page = assert_inert(out.read_text(encoding="utf-8"))
    data = next(json.loads(body) for kind, body in page.scripts if kind == "application/json")
    labels = " ".join(n["label"] for n in data["nodes"])
    assert "Evil Ltd" in labels or "onerror=alert(3)" in labels  # the hostile notice is drawn, as data


NASTY_NAMES = ["...txt", "..%2F..%2Fescape.txt", "a;b$(touch x).txt", "x\\..\\..\\y.txt", " lead space.txt",
               "é\u202egnp.txt", "-o.txt", "CON.txt"]


def test_notice_names_never_steer_an_output_path(tmp_path, monkeypatch):
    notices = tmp_path / "in"
    notices.mkdir()
    for name in NASTY_NAMES:
        shutil.copy(SAMPLE, notices / name)
    monkeypatch.chdir(tmp_path)
    before = {p for p in tmp_path.rglob("*")}
    assert main(["build", str(notices), "-o", "out/g.trig", "-q"]) == 0
    assert main(["build", str(notices), "--store", "out/store", "-q"]) == 0
    assert main(["gaps", "out/g.trig", "--format", "csv", "-o", "out/gaps.csv", "--reasoner", "none", "-q"]) == 1
    assert main(["compare", "out/g.trig", "--format", "csv", "-o", "out/csv/", "-q"]) == 0
    assert main(["viz", "out/g.trig", "-o", "out/v.html", "--export", "out/v.graphml", "-q"]) == 0
    new = {p for p in tmp_path.rglob("*")} - before
    assert new and all(p.relative_to(tmp_path).parts[0] == "out" for p in new), sorted(map(str, new))
    for name in NASTY_NAMES:
        iri = str(graph_iri(name))
        local = iri[len(str(DATA)) :]
        assert iri.startswith(str(DATA)) and "/" not in local and local not in ("", ".", "..")


def test_two_notices_never_share_a_graph(tmp_path, capsys):
    """'a b.txt' and 'a-b.txt' slug to the same graph IRI: refuse instead of merging two notices' facts."""
    notices = tmp_path / "in"
    notices.mkdir()
    (notices / "a b.txt").write_text("Privacy Policy\n\nWe collect your email address for marketing.\n")
    (notices / "a-b.txt").write_text("Privacy Policy\n\nWe collect your name for security.\n")
    assert main(["build", str(notices), "-o", str(tmp_path / "g.trig"), "-q"]) == 2
    assert "a b.txt" in capsys.readouterr().err


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_a_bound_literal_is_one_term_whatever_its_text(text):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal("o")))
    query = bind("SELECT ?x WHERE { ?s ?p ?o }", {"x": [literal_term(text)]})
    rows = list(store.query(query))
    assert [r["x"].value for r in rows] == [text]
    assert len(store) == 1


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT)
def test_a_hostile_iri_is_refused_or_bound_as_one_term(text):
    try:
        term = iri_term("http://ex/" + text)
    except Exception as err:  # noqa: BLE001
        assert type(err).__name__ in ("UsageError", "ValueError", "SyntaxError"), err
        return
    rows = list(ox.Store().query(bind("SELECT ?x WHERE { }", {"x": [term]})))
    assert [r["x"] for r in rows] == [term]


def test_serve_defaults_to_loopback_and_read_only():
    args = parser().parse_args(["serve", "some-store"])
    assert args.host == "127.0.0.1" and args.writable is False
