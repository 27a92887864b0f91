"""``ropa push`` and remote queries against real SPARQL servers started here on 127.0.0.1: ``ropa serve`` and, when
the ``oxigraph`` package is installed, Oxigraph's own server. Also: a refused connection and a silent server."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ropa.cli import main
from ropa.graph.io import save
from ropa.store import EmbeddedStore, EndpointError, GraphData, RemoteStore, open_store, push, run_query
from ropa.store.catalogue import find
from ropa.store.server import serve

G0 = "https://w3id.org/ropa/data/000_96c7bd9739d54e4c.txt"


def _oxigraph_bin() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"server on port {port} did not start within {timeout} s")


@pytest.fixture(scope="module")
def sample_trig(sample_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("push") / "ropa.trig"
    save(sample_build.dataset, path)
    return path


@pytest.fixture
def ropa_server(tmp_path, sample_trig):
    """A writable ``ropa serve`` of an empty store: (query URL, update URL, graph store URL)."""
    store = tmp_path / "remote"
    EmbeddedStore(store).close()  # an empty store
    srv = serve(str(store), "127.0.0.1", 0, writable=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"{srv.url}/query", f"{srv.url}/update", f"{srv.url}/store"
    srv.shutdown()
    srv.server_close()
    srv.store.close()


@pytest.fixture
def oxigraph_server(tmp_path):
    """``oxigraph serve`` (the server of the `oxigraph` PyPI package) on a free 127.0.0.1 port."""
    exe = _oxigraph_bin()
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_listening(port, proc)
        base = f"http://127.0.0.1:{port}"
        yield f"{base}/query", f"{base}/update", f"{base}/store"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _rows(store, name, **binds):
    return run_query(store, find(name)[0], binds).dicts()


def _roundtrip(urls, sample_trig, capsys):
    query_url, update_url, gsp_url = urls
    local = open_store(sample_trig)
    assert main(["push", str(sample_trig), "--endpoint", gsp_url]) == 0
    remote = RemoteStore(query_url, gsp_url=gsp_url, update_url=update_url, timeout=10)
    want = _rows(local, "store/triples_per_notice")
    assert _rows(remote, "store/triples_per_notice") == want and len(want) == 5
    # the same query with a parameter, bound as a term: a hostile value is one literal
    src = "004_078deb46ad01e314.txt"
    assert [str(r["source"]) for r in _rows(remote, "store/notices_in_store", source=src)] == [src]
    assert _rows(remote, "store/notices_in_store", source='x" } } ; DROP ALL ; #') == []
    assert len(_rows(remote, "store/notices_in_store")) == 5
    # a second push that knows what the server holds skips every unchanged notice
    capsys.readouterr()
    assert main(["push", str(sample_trig), "--endpoint", gsp_url, "--query-endpoint", query_url]) == 0
    assert "5 unchanged skipped" in capsys.readouterr().out
    # delete one notice's graph, then put it back with SPARQL UPDATE instead of the Graph Store Protocol
    assert main(["push", "--endpoint", gsp_url, "--delete", "000_96c7bd9739d54e4c.txt"]) == 0
    assert G0 not in remote.graph_names() and len(_rows(remote, "store/notices_in_store")) == 4
    remote.gsp_url = None  # the same replacement through SPARQL UPDATE (what --method update does)
    remote.replace([GraphData(G0, local.export_graph(G0))])
    assert _rows(remote, "store/triples_per_notice") == want
    assert set(ox.parse(remote.export_graph(G0), format=ox.RdfFormat.N_TRIPLES)) == \
        set(ox.parse(local.export_graph(G0), format=ox.RdfFormat.N_TRIPLES))
    # ropa query --endpoint prints the same table as the local query
    capsys.readouterr()
    assert main(["query", "--endpoint", query_url, "store/notices_in_store", "--format", "csv"]) == 0
    remote_csv = capsys.readouterr().out
    assert main(["query", str(sample_trig), "store/notices_in_store", "--format", "csv"]) == 0
    assert capsys.readouterr().out == remote_csv


def test_push_query_delete_against_ropa_serve(ropa_server, sample_trig, capsys):
    _roundtrip(ropa_server, sample_trig, capsys)


def test_push_query_delete_against_oxigraph_server(oxigraph_server, sample_trig, capsys):
    _roundtrip(oxigraph_server, sample_trig, capsys)


def test_push_from_a_store_folder(ropa_server, sample_trig, tmp_path):
    store = tmp_path / "local"
    assert main(["push", str(sample_trig), "--store", str(store), "-q"]) == 0
    query_url, _, gsp_url = ropa_server
    report = push(store, RemoteStore(query_url, gsp_url=gsp_url, timeout=10))
    assert len(report.pushed) == 6  # five notices and the ontology
    assert len(_rows(RemoteStore(query_url), "store/notices_in_store")) == 5


def test_a_refused_connection_is_a_clear_error(sample_trig, capsys):
    url = f"http://127.0.0.1:{free_port()}/store"
    t0 = time.monotonic()
    assert main(["push", str(sample_trig), "--endpoint", url, "--timeout", "5"]) == 2
    err = capsys.readouterr().err
    assert "connection refused" in err and url in err and time.monotonic() - t0 < 5
    with pytest.raises(EndpointError, match="connection refused"):
        RemoteStore(url.replace("/store", "/query"), timeout=2).query("ASK {}")


def test_a_silent_server_times_out(sample_trig, capsys):
    """A server that accepts connections and never answers: the request gives up after --timeout."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    port = sock.getsockname()[1]
    try:
        t0 = time.monotonic()
        assert main(["query", "--endpoint", f"http://127.0.0.1:{port}/query", "--sparql", "ASK {}",
                     "--timeout", "1"]) == 2
        assert "no answer within 1 s" in capsys.readouterr().err
        assert main(["push", str(sample_trig), "--endpoint", f"http://127.0.0.1:{port}/store", "--timeout", "1"]) == 2
        assert "no answer within 1 s" in capsys.readouterr().err
        assert time.monotonic() - t0 < 15
    finally:
        sock.close()
    assert sample_trig.stat().st_size > 0  # the source is never touched


def test_a_read_only_server_refuses_with_a_hint(sample_trig, capsys):
    srv = serve(str(sample_trig), "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        assert main(["push", str(sample_trig), "--endpoint", f"{srv.url}/store"]) == 2
        err = capsys.readouterr().err
        assert "403" in err and "writable" in err
    finally:
        srv.shutdown()
        srv.server_close()


def test_push_by_update_from_the_command_line(ropa_server, sample_trig, capsys):
    query_url, update_url, _ = ropa_server
    assert main(["push", str(sample_trig), "--endpoint", update_url, "--method", "update"]) == 0
    assert "pushed 6 graph(s)" in capsys.readouterr().out
    assert len(_rows(RemoteStore(query_url), "store/notices_in_store")) == 5


def test_bad_endpoint_urls(sample_trig, capsys):
    assert main(["push", str(sample_trig), "--endpoint", "ftp://x/store"]) == 2
    assert "http" in capsys.readouterr().err
    assert main(["push", str(sample_trig)]) == 2


def test_update_replacement_holds_only_parsed_terms():
    """--method update builds its update from parsed and re-serialised terms: a hostile literal stays data."""
    from ropa.store.remote import replace_update

    nt = b'<urn:a> <urn:p> "x\\" } } ; DROP ALL ; INSERT DATA { <urn:e> <urn:v> \\"1\\" } #" .\n'
    upd = replace_update(GraphData("urn:g", nt))
    st = ox.Store()
    st.add(ox.Quad(ox.NamedNode("urn:keep"), ox.NamedNode("urn:p"), ox.Literal("1"), ox.NamedNode("urn:other")))
    st.update(upd)
    assert len(st) == 2 and len(list(st.quads_for_pattern(None, None, None, ox.NamedNode("urn:g")))) == 1
    with pytest.raises(SyntaxError):
        replace_update(GraphData("urn:g", b"<urn:a> <urn:p> oops } DROP ALL .\n"))
