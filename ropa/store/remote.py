"""A remote SPARQL 1.1 server behind the store interface: queries and updates through SPARQLWrapper (SPARQL 1.1
Protocol), notice graphs written with the Graph Store Protocol (``PUT``/``DELETE ?graph=``) or, for servers
without it, with SPARQL UPDATE. docs/stores.md lists the URLs of Oxigraph, Fuseki, GraphDB, Virtuoso, QLever and
Neptune.

Every request has a timeout; a refused connection, a timeout or an HTTP error becomes an ``EndpointError`` that
names the URL and says what to try. Nothing local is changed by a failed request, and graph writes are PUTs
(replace), so re-running an interrupted push is safe.
"""
from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ropa import resources
from ropa.store.base import Bindings, GraphData, Store
from ropa.store.errors import EndpointError
from ropa.store.results import QueryResult, from_json
from ropa.store.terms import bind, query_form, strip_comments

PASSWORD_ENV = "ROPA_SPARQL_PASSWORD"
TOKEN_ENV = "ROPA_SPARQL_TOKEN"  # sent as `Authorization: Bearer ...` (QLever's access token, API gateways)
DEFAULT_TIMEOUT = 60.0
_HINTS = {
    401: "the server wants credentials: pass --user and set ROPA_SPARQL_PASSWORD (or set ROPA_SPARQL_TOKEN)",
    403: "the server refused this user or operation: check the account's rights (or start the server writable)",
    404: "no service at this URL: check the path (Oxigraph /query /update /store, Fuseki /DATASET/query "
         "/DATASET/update /DATASET/data; see docs/stores.md)",
    405: "the server does not accept this method here: it may be read-only, or lack the Graph Store Protocol "
         "(try --method update with its update URL)",
    413: "the request is too large for the server: raise its request-size limit",
}


def endpoint_error(url: str, err: BaseException, timeout: float) -> EndpointError:
    """An HTTP / socket failure -> one line saying what happened and what to do."""
    reason = getattr(err, "reason", err)
    if isinstance(err, urllib.error.HTTPError):
        body = ""
        try:
            body = err.read().decode("utf-8", "replace").strip().replace("\n", " ")[:200]
        except Exception:  # noqa: BLE001  (the body is only a hint)
            pass
        hint = _HINTS.get(err.code, "see the server's log")
        return EndpointError(f"the server answered {err.code} {err.reason}{': ' + body if body else ''}; {hint}", url)
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return EndpointError(f"no answer within {timeout:g} s; check the server, or raise --timeout", url)
    if isinstance(reason, ConnectionRefusedError) or "Connection refused" in str(reason):
        return EndpointError("connection refused; is the server running, and is the URL (host, port) right?", url)
    if isinstance(reason, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return EndpointError(f"the server closed the connection ({reason}); check its log and retry", url)
    if isinstance(err, SPARQLWrapperException):
        text = " ".join(str(err).split())[:300]
        return EndpointError(f"the server rejected the request: {text}", url)
    return EndpointError(f"request failed ({reason}); check the URL and the server", url)


class RemoteStore(Store):
    """A SPARQL 1.1 server: ``query_url`` for queries, ``update_url`` for updates, ``gsp_url`` for the Graph Store
    Protocol. Any may be None; an operation that needs a missing one says which option to give."""

    kind = "remote"

    def __init__(self, query_url: str | None = None, *, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, user: str | None = None, password: str | None = None):
        for u in (query_url, update_url, gsp_url):
            if u is not None and urllib.parse.urlsplit(u).scheme not in ("http", "https"):
                raise EndpointError("not an http(s) URL; give the endpoint as http://host:port/path", u)
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.location = query_url or gsp_url or update_url or ""
        self.writable = bool(update_url or gsp_url)
        self.timeout = timeout
        self.user = user
        self.password = password if password is not None else os.environ.get(PASSWORD_ENV)
        self.token = os.environ.get(TOKEN_ENV)

    # --- SPARQL 1.1 Protocol ----------------------------------------------------------------------------------

    def _wrapper(self, url: str) -> SPARQLWrapper:
        sw = SPARQLWrapper(url)
        sw.setTimeout(int(max(1, round(self.timeout))))
        sw.setOnlyConneg(True)  # no `format=` / `output=` parameters: some servers reject unknown ones
        sw.setMethod(POST)
        if self.user:
            sw.setCredentials(self.user, self.password or "")
        elif self.token:
            sw.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        return sw

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryResult:
        url = self._need(self.query_url, "a query endpoint (--endpoint URL of the server's query service)")
        sw = self._wrapper(url)
        text = strip_comments(bind(sparql, bindings))
        form = query_form(text)
        if form == "UPDATE":
            raise EndpointError("this is a SPARQL update, not a query; send it to the update endpoint", url)
        sw.setQuery(text)
        sw.queryType = form  # SPARQLWrapper guesses the form with a regex that words in comments can fool
        graph = form in ("CONSTRUCT", "DESCRIBE")
        sw.setReturnFormat(TURTLE if graph else JSON)
        try:
            res = sw.query()
            if graph:
                data = res.response.read()
                triples = ox.parse(data, format=ox.RdfFormat.TURTLE)
                return QueryResult("graph", triples=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
            doc = res.convert()
        except (urllib.error.URLError, OSError, SPARQLWrapperException) as err:
            raise endpoint_error(url, err, self.timeout) from err
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"the server's answer is not a readable SPARQL result ({err})", url) from err
        if not isinstance(doc, dict):
            raise EndpointError("the server did not answer with SPARQL JSON results; is this its query URL?", url)
        return from_json(doc)

    def update(self, sparql: str) -> None:
        url = self._need(self.update_url, "an update endpoint (--endpoint URL of the server's update service)")
        sw = self._wrapper(url)
        sw.setQuery(sparql)
        sw.queryType = "INSERT"  # any update form: SPARQLWrapper then sends `update=`
        try:
            sw.query().response.read()
        except (urllib.error.URLError, OSError, SPARQLWrapperException) as err:
            raise endpoint_error(url, err, self.timeout) from err

    # --- Graph Store Protocol ---------------------------------------------------------------------------------

    def _gsp(self, method: str, graph_iri: str, data: bytes | None = None, accept: str | None = None) -> bytes:
        base = self._need(self.gsp_url, "a Graph Store Protocol endpoint (--endpoint, e.g. http://host:7878/store)")
        sep = "&" if urllib.parse.urlsplit(base).query else "?"
        url = f"{base}{sep}graph={urllib.parse.quote(graph_iri, safe='')}"
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/n-triples")
        if accept:
            req.add_header("Accept", accept)
        if self.user:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        elif self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310  (http(s) checked above)
                return resp.read()
        except urllib.error.HTTPError as err:
            if method == "DELETE" and err.code == 404:
                return b""  # already absent
            raise endpoint_error(base, err, self.timeout) from err
        except (urllib.error.URLError, OSError) as err:
            raise endpoint_error(base, err, self.timeout) from err

    def replace(self, graphs: Iterable[GraphData]) -> int:
        n = 0
        for gd in graphs:
            if self.gsp_url:
                self._gsp("PUT", gd.iri, gd.ntriples)  # PUT replaces the graph: repeating it is harmless
            else:
                self.update(replace_update(gd))
            n += gd.triples
        return n

    def drop(self, graph_iris: Iterable[str]) -> None:
        for iri in graph_iris:
            if self.gsp_url:
                self._gsp("DELETE", iri)
            else:
                self.update(f"DROP SILENT GRAPH {ox.NamedNode(iri)}")

    def graph_names(self) -> list[str]:
        text = (resources.queries_dir() / "store" / "named_graphs.rq").read_text(encoding="utf-8")
        return sorted(str(r["graph"]) for r in self.query(text).dicts() if "graph" in r)

    def export_graph(self, graph_iri: str) -> bytes:
        if self.gsp_url:
            data = self._gsp("GET", graph_iri, accept="application/n-triples")
            return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) or b""
        text = (resources.queries_dir() / "store" / "graph_triples.rq").read_text(encoding="utf-8")
        return self.query(text, {"graph": [ox.NamedNode(graph_iri)]}).triples

    @staticmethod
    def _need(url: str | None, what: str) -> str:
        if not url:
            raise EndpointError(f"this operation needs {what}")
        return url


def replace_update(gd: GraphData) -> str:
    """``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` for servers without the Graph Store Protocol.

    The triples are parsed and written back by Oxigraph (escaped terms only), so the update holds data, not text
    taken from the input."""
    g = ox.NamedNode(gd.iri)
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ."
                     for t in ox.parse(gd.ntriples, format=ox.RdfFormat.N_TRIPLES))
    return f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"
