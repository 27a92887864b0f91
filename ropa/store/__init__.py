"""Stores: the embedded Oxigraph store (default), an rdflib Dataset, and remote SPARQL 1.1 servers, behind one
interface (``Store``). See docs/stores.md.

    from ropa.store import open_store, run_query, find_queries
    with open_store("build/store") as st:
        for q in find_queries("compare/legal_bases_by_company"):
            print(run_query(st, q, {"company": "Acme A/S"}).dicts())
"""
from __future__ import annotations

from ropa.store.base import GraphData, NoticeState, Store
from ropa.store.catalogue import QueryFile, catalogue
from ropa.store.catalogue import find as find_queries
from ropa.store.embedded import EmbeddedStore, bulk_create, is_store
from ropa.store.errors import EndpointError, StoreError, StoreLockedError
from ropa.store.memory import RdflibStore
from ropa.store.ops import PushReport, open_store, push, run_query, terms_for
from ropa.store.remote import RemoteStore
from ropa.store.results import QueryResult
from ropa.store.sources import ONTOLOGY_GRAPH, ontology_graph

__all__ = [
    "ONTOLOGY_GRAPH", "EmbeddedStore", "EndpointError", "GraphData", "NoticeState", "PushReport", "QueryFile",
    "QueryResult", "RdflibStore", "RemoteStore", "Store", "StoreError", "StoreLockedError", "bulk_create",
    "catalogue", "find_queries", "is_store", "ontology_graph", "open_store", "push", "run_query", "terms_for",
]
