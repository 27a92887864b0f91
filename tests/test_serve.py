"""``ropa serve``: SPARQL 1.1 Protocol, Graph Store Protocol and the query page, on 127.0.0.1 (ropa/store/server.py)."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from ropa.graph.io import save
from ropa.store.server import serve

G = "https://w3id.org/ropa/data/000_96c7bd9739d54e4c.txt"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def sample_trig(sample_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "ropa.trig"
    save(sample_build.dataset, path)
    return path


def _start(source, writable=False, **kw):
    server = serve(str(source), "127.0.0.1", 0, writable=writable, **kw)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server(sample_trig):
    srv = _start(sample_trig)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def writable(sample_trig):
    srv = _start(sample_trig, writable=True)
    yield srv
    srv.shutdown()
    srv.server_close()


def http(url, data=None, method=None, headers=None, timeout=10):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def test_binds_loopback_by_default(server):
    assert server.server_address[0] == "127.0.0.1"


def test_query_by_get_post_form_and_direct_post(server):
    n = None
    for status, ctype, body in (
        http(f"{server.url}/query?query={urllib.parse.quote(COUNT)}"),
        http(f"{server.url}/query", urllib.parse.urlencode({"query": COUNT}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http(f"{server.url}/query", COUNT.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert status == 200 and ctype.startswith("application/sparql-results+json")
        value = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        assert n is None or value == n
        n = value
    assert n > 1000


@pytest.mark.parametrize("accept,ctype,marker", [
    ("text/csv", "text/csv", b"n\r\n"),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?n"), ("text/html", "text/html", b"<pre>")])
def test_results_are_negotiated(server, accept, ctype, marker):
    status, got, body = http(f"{server.url}/query?query={urllib.parse.quote(COUNT)}", headers={"Accept": accept})
    assert status == 200 and got.startswith(ctype) and marker in body


def test_construct_and_graph_store_get(server):
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
    nt = {"Accept": "application/n-triples"}
    _, ctype, body = http(f"{server.url}/query?query={urllib.parse.quote(q)}", headers=nt)
    _, ctype2, body2 = http(f"{server.url}/store?graph={urllib.parse.quote(G)}", headers=nt)
    assert ctype.startswith("application/n-triples") and ctype2.startswith("application/n-triples")
    a = set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert a and a == set(ox.parse(body2, format=ox.RdfFormat.N_TRIPLES))


def test_query_page_lists_the_catalogue(server):
    status, ctype, body = http(f"{server.url}/")
    assert status == 200 and ctype.startswith("text/html")
    assert b"store/notices_in_store" in body and b"<textarea" in body


def test_catalogue_query_with_a_bound_parameter(server):
    src = urllib.parse.quote("004_078deb46ad01e314.txt")
    status, _, body = http(f"{server.url}/queries/store/notices_in_store?source={src}")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and [r["source"]["value"] for r in rows] == ["004_078deb46ad01e314.txt"]
    evil = urllib.parse.quote('x" } } ; DROP ALL ; #')
    status, _, body = http(f"{server.url}/queries/store/notices_in_store?source={evil}")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_read_only_server_refuses_writes(server):
    upd = "DROP ALL"
    status, _, body = http(f"{server.url}/update", upd.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"--writable" in body
    status, _, _ = http(f"{server.url}/store?graph={urllib.parse.quote(G)}", b"", method="DELETE")
    assert status == 403
    status, _, body = http(f"{server.url}/query?query={urllib.parse.quote(COUNT)}")
    assert status == 200  # still all there


def test_errors_are_clear(server):
    status, _, body = http(f"{server.url}/query?query={urllib.parse.quote('SELEC nothing')}")
    assert status == 400 and b"not valid SPARQL" in body
    assert http(f"{server.url}/nowhere")[0] == 404
    assert http(f"{server.url}/query")[0] == 400


def test_graph_store_put_post_delete(writable):
    url = f"{writable.url}/store?graph={urllib.parse.quote('urn:test:g')}"
    nt = {"Content-Type": "application/n-triples"}
    assert http(url, b'<urn:a> <urn:p> "1" .\n<urn:a> <urn:p> "2" .\n', "PUT", nt)[0] == 201
    assert http(url, b'<urn:a> <urn:p> "3" .\n', "PUT", nt)[0] == 204  # replaces
    assert http(url, b'<urn:a> <urn:p> "4" .\n', "POST", nt)[0] == 204  # merges
    _, _, body = http(url, headers={"Accept": "application/n-triples"})
    assert sorted(t.object.value for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) == ["3", "4"]
    assert http(url, method="DELETE")[0] == 204
    assert http(url)[0] == 404
    assert http(url, b"not n-triples", "PUT", nt)[0] == 400


def test_update_and_body_limit(sample_trig):
    srv = _start(sample_trig, writable=True)
    srv.max_body = 100
    try:
        upd = 'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "x" } }'
        status, _, _ = http(f"{srv.url}/update", upd.encode(), headers={"Content-Type": "application/sparql-update"})
        assert status == 204
        status, _, body = http(f"{srv.url}/update", b"x" * 200, headers={"Content-Type": "application/sparql-update"})
        assert status == 413
    finally:
        srv.shutdown()
        srv.server_close()
