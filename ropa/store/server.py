"""``ropa serve``: a store (or graph file) over HTTP, with the standard W3C protocols, on the standard library.

* ``/query``  SPARQL 1.1 Protocol (section 2.1): ``GET ?query=``, ``POST`` form (``query=``) or
  ``application/sparql-query``; results as JSON, XML, CSV or TSV (``Accept`` or ``?format=``), HTML for people.
* ``/update`` SPARQL 1.1 Protocol (section 2.2): ``POST`` form (``update=``) or ``application/sparql-update``.
* ``/store``  SPARQL 1.1 Graph Store Protocol: ``GET``/``HEAD``/``PUT``/``POST``/``DELETE`` with ``?graph=IRI``
  (or ``?default``); ``PUT`` replaces a notice's graph in one transaction.
* ``/queries/<group>/<name>?param=value``: a catalogue query with its parameters bound as RDF terms.
* ``/``       a query page listing the catalogue.

The paths are Oxigraph's, so a client configured for ``oxigraph serve`` works unchanged. Read-only unless
``writable``; binds 127.0.0.1 unless told otherwise. The default graph is the union of the named graphs.
"""
from __future__ import annotations

import html
import json
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from ropa.errors import RopaError
from ropa.store.catalogue import QueryFile, catalogue
from ropa.store.embedded import EmbeddedStore
from ropa.store.errors import StoreError
from ropa.store.ops import terms_for
from ropa.store.results import from_oxigraph, table

RESULT_TYPES = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
}
GRAPH_TYPES = {
    "n-triples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "n-quads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
}
UPLOAD_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
}
MAX_BODY = 256 * 2**20


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class RopaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store: EmbeddedStore, *, writable: bool = False,
                 request_timeout: float = 60.0, max_body: int = MAX_BODY):
        self.store = store
        self.writable = writable
        self.request_timeout = request_timeout
        self.max_body = max_body
        self.write_lock = threading.Lock()
        self.queries = {q.id: q for q in _safe_catalogue()}
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def _safe_catalogue() -> list[QueryFile]:
    try:
        return catalogue()
    except (RopaError, OSError):
        return []


class Handler(BaseHTTPRequestHandler):
    server: RopaServer
    protocol_version = "HTTP/1.1"
    server_version = "ropa-serve"

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # a silent client cannot hold a thread forever
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the stdlib's signature)
        pass  # quiet: the CLI prints the address; errors go back to the client

    # --- dispatch ---------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        self._body_read = False
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path in ("/", "/index.html") and method in ("GET", "HEAD"):
                body = page(self.server.queries, self.server.writable).encode()
                self._send(200, "text/html; charset=utf-8", body, method)
            elif url.path == "/query" and method in ("GET", "POST", "HEAD"):
                self._query(method, params)
            elif url.path == "/update" and method == "POST":
                self._update(params)
            elif url.path == "/store":
                self._gsp(method, params)
            elif url.path.startswith("/queries/") and method in ("GET", "HEAD"):
                self._catalogue_query(method, url.path[len("/queries/"):], params)
            else:
                raise HttpError(HTTPStatus.NOT_FOUND if method in ("GET", "HEAD") else HTTPStatus.METHOD_NOT_ALLOWED,
                                f"no {method} {url.path} here; use /query, /update, /store or /queries/NAME")
        except HttpError as err:
            self._drain()
            self._send(err.status, "text/plain; charset=utf-8", (str(err) + "\n").encode(), method)
        except RopaError as err:
            self._drain()
            self._send(400, "text/plain; charset=utf-8", (str(err) + "\n").encode(), method)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as err:  # noqa: BLE001  (a bug must answer 500, not drop the connection)
            self._drain()
            self._send(500, "text/plain; charset=utf-8", f"internal error: {type(err).__name__}: {err}\n".encode(),
                       method)

    # --- SPARQL 1.1 Protocol ----------------------------------------------------------------------------------

    def _drain(self) -> None:
        """Read an unread request body before answering an error, so the client gets the answer (not a broken
        pipe); a body over the limit is not read and the connection is closed after the answer."""
        length = int(self.headers.get("Content-Length") or 0)
        if self._body_read or not length:
            return
        if length > self.server.max_body:
            self.close_connection = True
            return
        self.rfile.read(length)
        self._body_read = True

    def _body(self) -> bytes:
        self._body_read = True
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length (chunked bodies are not read)")
            return b""
        n = int(length)
        if n > self.server.max_body:
            self.close_connection = True
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {n} bytes is over the limit of "
                            f"{self.server.max_body}; split the data into one request per graph")
        return self.rfile.read(n)

    def _form_or_body(self, method: str, params: dict[str, list[str]], field: str, direct_type: str) -> str:
        if method == "POST":
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            body = self._body()
            if ctype == direct_type:
                return body.decode("utf-8")
            if ctype == "application/x-www-form-urlencoded":
                params = {**params, **urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)}
            else:
                raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                f"send {direct_type} or an application/x-www-form-urlencoded form")
        if field not in params:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"no {field!r} parameter")
        if "default-graph-uri" in params or "named-graph-uri" in params or "using-graph-uri" in params:
            raise HttpError(HTTPStatus.BAD_REQUEST, "dataset parameters (default-graph-uri, named-graph-uri) are "
                            "not supported; use GRAPH in the query (the default graph is the union of all graphs)")
        return params[field][0]

    def _query(self, method: str, params: dict[str, list[str]]) -> None:
        text = self._form_or_body(method, params, "query", "application/sparql-query")
        self._answer(method, text, params)

    def _answer(self, method: str, text: str, params: dict[str, list[str]], bindings: Any = None) -> None:
        try:
            res = self.server.store.raw_query(text, bindings)
        except StoreError as err:
            status = HTTPStatus.BAD_REQUEST if "not valid SPARQL" in str(err) else HTTPStatus.INTERNAL_SERVER_ERROR
            raise HttpError(status, str(err)) from err
        fmt = self._negotiate(params, graph=isinstance(res, ox.QueryTriples))
        if fmt == "html":
            body = result_page(text, from_oxigraph(res)).encode()
            self._send(200, "text/html; charset=utf-8", body, method)
            return
        if isinstance(res, ox.QueryTriples):
            ctype, rdf_fmt = GRAPH_TYPES[fmt]
            self._send(200, ctype, ox.serialize(res, format=rdf_fmt) or b"", method)
            return
        ctype, res_fmt = RESULT_TYPES[fmt]
        self._send(200, ctype, res.serialize(format=res_fmt) or b"", method)

    def _negotiate(self, params: dict[str, list[str]], graph: bool) -> str:
        table_ = GRAPH_TYPES if graph else RESULT_TYPES
        wanted = (params.get("format") or [""])[0].lower()
        if wanted:
            if wanted == "html" or wanted in table_:
                return wanted
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE, f"format {wanted!r}; choose html, {', '.join(table_)}")
        accept = self.headers.get("Accept", "")
        for part in (p.split(";")[0].strip().lower() for p in accept.split(",")):
            for name, (ctype, _) in table_.items():
                if part and part == ctype.split(";")[0]:
                    return name
            if part == "text/html":
                return "html"
        return "turtle" if graph else "json"

    def _need_writable(self) -> None:
        if not self.server.writable:
            raise HttpError(HTTPStatus.FORBIDDEN, "this server is read-only; start it with `ropa serve --writable`")

    def _update(self, params: dict[str, list[str]]) -> None:
        self._need_writable()
        text = self._form_or_body("POST", params, "update", "application/sparql-update")
        with self.server.write_lock:
            try:
                self.server.store._store.update(text)  # noqa: SLF001
            except SyntaxError as err:
                raise HttpError(HTTPStatus.BAD_REQUEST, f"not valid SPARQL 1.1 Update: {err}") from err
        self._send(204, None, b"", "POST")

    # --- Graph Store Protocol ---------------------------------------------------------------------------------

    def _target(self, params: dict[str, list[str]]) -> ox.NamedNode | ox.DefaultGraph:
        if "default" in params:
            return ox.DefaultGraph()
        if "graph" not in params:
            raise HttpError(HTTPStatus.BAD_REQUEST, "give ?graph=IRI (or ?default)")
        try:
            return ox.NamedNode(params["graph"][0])
        except ValueError as err:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"?graph= is not an IRI ({err})") from err

    def _gsp(self, method: str, params: dict[str, list[str]]) -> None:
        st = self.server.store._store  # noqa: SLF001
        g = self._target(params)
        exists = isinstance(g, ox.DefaultGraph) or st.contains_named_graph(g)
        if method in ("GET", "HEAD"):
            if not exists:
                raise HttpError(HTTPStatus.NOT_FOUND, f"no graph {g}")
            fmt = self._negotiate(params, graph=True)
            ctype, rdf_fmt = GRAPH_TYPES["turtle" if fmt == "html" else fmt]
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in st.quads_for_pattern(None, None, None, g))
            self._send(200, ctype, ox.serialize(triples, format=rdf_fmt) or b"", method)
            return
        self._need_writable()
        if method == "DELETE":
            if not exists:
                raise HttpError(HTTPStatus.NOT_FOUND, f"no graph {g}")
            with self.server.write_lock:
                st.clear_graph(g) if isinstance(g, ox.DefaultGraph) else st.remove_graph(g)
            self._send(204, None, b"", method)
            return
        ctype = self.headers.get("Content-Type", "application/n-triples").split(";")[0].strip().lower()
        fmt = UPLOAD_TYPES.get(ctype)
        if fmt is None:
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read {ctype}; send N-Triples or Turtle")
        body = self._body()
        try:
            quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(body, format=fmt)]
        except SyntaxError as err:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"not readable {ctype}: {err}") from err
        with self.server.write_lock:
            if method == "PUT" and isinstance(g, ox.NamedNode):
                self.server.store.replace_quads(g, quads)  # one transaction
            elif method == "PUT":
                st.update("CLEAR DEFAULT")
                st.extend(quads)
            else:
                st.extend(quads)  # POST merges, in one transaction
        self._send(201 if not exists else 204, None, b"", method)

    # --- catalogue ----------------------------------------------------------------------------------------------

    def _catalogue_query(self, method: str, name: str, params: dict[str, list[str]]) -> None:
        qf = self.server.queries.get(name.strip("/"))
        if qf is None:
            raise HttpError(HTTPStatus.NOT_FOUND, f"no query {name!r}; GET / lists them")
        raw = {k: v for k, v in params.items() if k != "format"}
        self._answer(method, qf.text, params, terms_for(raw, qf) or None)

    # --- output -------------------------------------------------------------------------------------------------

    def _send(self, status: int, ctype: str | None, body: bytes, method: str) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and body:
            self.wfile.write(body)


def page(queries: dict[str, QueryFile], writable: bool = False) -> str:
    """The query page: a form for SPARQL text and the catalogue, each entry loading its query into the form."""
    texts = json.dumps({k: q.text for k, q in queries.items()}).replace("</", "<\\/")
    items = "".join(f'<li><a href="#" onclick="load({html.escape(json.dumps(k))});return false">{html.escape(k)}</a>'
                    f' <small>{html.escape(q.gdpr)}</small><br><small>{html.escape(q.description)}</small></li>'
                    for k, q in queries.items())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ropa SPARQL</title>
<style>body{{font:14px sans-serif;margin:1.5em;max-width:80em}}textarea{{width:100%;height:16em;font:13px monospace}}
li{{margin:.3em 0}}</style></head><body><h1>ropa SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code>{' and <code>/update</code>' if writable else ' (read-only)'},
Graph Store Protocol at <code>/store</code>; the default graph is the union of the notice graphs.</p>
<form action="/query" method="post"><textarea name="query" id="q">SELECT ?g (COUNT(*) AS ?triples)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g</textarea><br>
<select name="format"><option>html</option><option>json</option><option>csv</option><option>tsv</option>
<option>xml</option></select> <button>Run</button></form>
<h2>Queries</h2><ul>{items}</ul>
<script>const Q={texts};function load(k){{document.getElementById('q').value=Q[k];}}</script></body></html>"""


def result_page(query: str, res: Any) -> str:
    body = table(res, max_width=200) if res.kind == "select" else (
        ("yes" if res.boolean else "no") if res.kind == "ask" else res.triples.decode("utf-8"))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ropa result</title></head><body>'
            f"<pre>{html.escape(query)}</pre><hr><pre>{html.escape(body)}</pre></body></html>")


def serve(source: str, host: str = "127.0.0.1", port: int = 7878, *, writable: bool = False,
          request_timeout: float = 60.0) -> RopaServer:
    """Open ``source`` (a store folder, or a graph file loaded into memory) and return a server bound to
    ``host:port`` (port 0 picks a free one); call ``serve_forever()`` on it, ``shutdown()`` to stop."""
    from pathlib import Path

    from ropa.store.ops import open_store

    path = Path(source)
    store = open_store(path, writable=writable and path.is_dir())
    if not isinstance(store, EmbeddedStore):
        raise StoreError("ropa serve serves a store folder or a graph file", source)
    if writable:
        store.writable = True
    try:
        return RopaServer((host, port), store, writable=writable, request_timeout=request_timeout)
    except OSError as err:
        store.close()
        raise StoreError(f"cannot listen on {host}:{port} ({err.strerror}); choose another --port", source) from err
