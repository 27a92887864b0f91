"""``ropa serve``: serve a store (or a graph file) over the SPARQL 1.1 Protocol and Graph Store Protocol, with a
query page. Binds 127.0.0.1 and is read-only unless told otherwise.

    ropa serve build/store --port 7878
    ropa serve build/store --writable            # accept /update and Graph Store PUT/POST/DELETE
"""
from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
from pathlib import Path

from ropa.errors import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("serve", help="serve a store over SPARQL 1.1 (query, update, graph store) with a query page",
                       description=__doc__.split("\n\n")[0])
    s.add_argument("source", type=Path, help="a store folder (ropa build --store) or a graph file")
    s.add_argument("--port", type=int, default=7878, help="TCP port (default 7878; 0 picks a free one)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1, this machine only; 0.0.0.0 exposes the store)")
    s.add_argument("--writable", action="store_true", help="accept updates and Graph Store writes")
    s.add_argument("--timeout", type=float, default=60.0, help="seconds a client may stay silent (default 60)")
    s.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from ropa.store.server import serve

    server = serve(str(args.source), args.host, args.port, writable=args.writable, request_timeout=args.timeout)
    if not _loopback(args.host):
        sys.stderr.write(f"ropa: warning: listening on {args.host}: other machines can reach this store"
                         f"{' and change it' if args.writable else ''}\n")
    mode = "read-write" if args.writable else "read-only"
    sys.stdout.write(f"serving {args.source} ({mode}) at {server.url}/  (query: {server.url}/query, graph store: "
                     f"{server.url}/store); Ctrl-C stops\n")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.store.close()
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
