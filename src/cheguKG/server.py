"""The SPARQL 1.1 Protocol endpoint and the browser page: an app factory over a store.

Queries run in worker processes that open the store read-only, so a query over the time
limit is stopped by ending its worker (pyoxigraph cannot interrupt a query) and the server
keeps serving; results are read lazily, so the row limit stops a big query early.

>>> app = create_app("out/store", query_timeout=10, max_rows=10_000)   # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=7878)                      # doctest: +SKIP

Only the standard library is imported here at module level: worker processes import this
module, and they should start fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import deque
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from .vocab import PREFIXES

DEFAULT_TIMEOUT = 10.0  # seconds per query
DEFAULT_MAX_ROWS = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per response
DEFAULT_MAX_BODY = 1_000_000  # bytes of request body
WEB_DIR = Path(__file__).resolve().parent / "web"


class HTTPProblem(Exception):
    """An error answered with the one JSON shape: {"error": {"status", "title", "detail"}}."""

    def __init__(self, status: int, title: str, detail: str = ""):
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail = status, title, detail

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"status": self.status, "title": self.title, "detail": self.detail}}


# --------------------------------------------------------------------------- the store side
def open_reader(store_dir: str | Path):
    """The store opened read-only (``store.Store``): it follows the versions a running
    build publishes, re-checking before every query, and never disturbs the writer."""
    from .store import Store

    return Store.open(store_dir, read_only=True)


def _term(term) -> tuple | None:
    """A pyoxigraph term as a plain tuple that pickles small and cheaply."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return ("uri", term.value)
    if kind == "BlankNode":
        return ("bnode", term.value)
    if kind == "Literal":
        return ("literal", term.value, term.datatype.value, term.language)
    if kind == "Triple":
        return ("triple", _term(term.subject), _term(term.predicate), _term(term.object))
    return ("literal", str(term), None, None)


def _collect(result, max_rows: int) -> dict[str, Any]:
    kind = type(result).__name__
    if kind == "QueryBoolean":
        return {"kind": "boolean", "value": bool(result)}
    rows: list = []
    truncated = False
    if kind == "QuerySolutions":
        width = len(result.variables)
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(_term(solution[i]) for i in range(width)))
        return {"kind": "bindings", "vars": [v.value for v in result.variables], "rows": rows,
                "truncated": truncated}
    for triple in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append(triple)
    return {"kind": "triples", "triples": rows, "truncated": truncated}


def _run_one(store, request: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    kwargs: dict[str, Any] = {"union": request["union"]}
    if request.get("default_graphs"):
        kwargs = {"union": False, "default_graph": [pyoxigraph.NamedNode(g) for g in request["default_graphs"]]}
    if request.get("named_graphs"):
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request["named_graphs"]]
    return _collect(store.query(request["query"], **kwargs), request["max_rows"])


def _worker_main(conn, store_dir: str) -> None:
    """A worker process: open the store read-only, answer queries until told to stop."""
    from .errors import QueryError, StoreError

    store = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            if store is None:
                store = open_reader(store_dir)
            conn.send(("ok", _run_one(store, request)))
        except (QueryError, SyntaxError) as exc:
            conn.send(("syntax", str(exc)))
        except (StoreError, OSError) as exc:
            store = None  # reopen next time: the store may have been replaced under us
            conn.send(("store", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _worker_entry(fd: int, store_dir: str) -> None:
    """Entry point of a worker process (``python -c``), talking over the socket ``fd``."""
    import signal
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle: it stops us

    _worker_main(Connection(fd), store_dir)


class _Worker:
    """One worker process. Started with subprocess rather than multiprocessing, so it never
    re-imports the caller's ``__main__`` (a notebook or a script without a main guard)."""

    def __init__(self, store_dir: str):
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        code = "import sys; from cheguKG.server import _worker_entry; _worker_entry(int(sys.argv[1]), sys.argv[2])"
        self.process = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), store_dir],
                                        pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())

    def stop(self, kill: bool = False) -> None:
        import subprocess

        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=2)
        self.conn.close()


class QueryPool:
    """Worker processes, each with the store open read-only; one query at a time each.

    Used from the server's event loop only: it waits on a worker's socket directly (no
    thread in between, fewer wake-ups per query). A query over its deadline costs its
    worker (killed and replaced), never the server.
    """

    def __init__(self, store_dir: str | Path, size: int = 2):
        self.store_dir = str(Path(store_dir).resolve())
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._waiters: deque = deque()  # futures of requests waiting for a worker
        self._all: list[_Worker] = []
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_dir)
        self._all.append(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        if worker in self._all:
            self._all.remove(worker)
        if self._started:
            self._add_worker()

    def close(self) -> None:
        self._started = False
        workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()

    async def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run one query request; raises HTTPProblem on a syntax error or timeout."""
        import asyncio

        self.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(loop, deadline, timeout)
        try:
            status, payload = await self._ask(worker, request, loop, deadline, timeout)
        except BaseException:  # over time, cancelled or broken: its state is unknown
            self._retire(worker)
            raise
        self._release(worker)
        if status == "syntax":
            raise HTTPProblem(400, "Malformed query", payload)
        if status == "store":
            raise HTTPProblem(503, "Store unavailable", payload)
        if status == "error":
            raise HTTPProblem(500, "Query failed", payload)
        return payload

    async def _acquire(self, loop, deadline: float, timeout: float) -> _Worker:
        import asyncio

        if self._idle:
            return self._idle.pop()
        waiter = loop.create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise _timeout_problem(timeout) from None

    async def _ask(self, worker: _Worker, request: dict[str, Any], loop, deadline: float, timeout: float):
        import asyncio

        try:
            worker.conn.send(request)
            fd = worker.conn.fileno()
            ready = loop.create_future()
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                raise _timeout_problem(timeout) from None
            finally:
                loop.remove_reader(fd)
            return worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise HTTPProblem(500, "Query worker failed", f"{type(exc).__name__}: {exc}") from None


def _timeout_problem(timeout: float) -> HTTPProblem:
    return HTTPProblem(400, "Query timeout",
                       f"the query ran over the time limit of {timeout:g} s and was stopped; "
                       "narrow it (LIMIT, more specific patterns) or raise --timeout")


# --------------------------------------------------------------------------- result formats
FORMAT_ALIASES: dict[str, str] = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json",
    "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
    "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "jsonld": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld",
}
BINDINGS_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
# Media types a client may ask for, per kind of result, in our order of preference.
ACCEPT_OFFERS = {
    "bindings": ["application/sparql-results+json", "application/json", "application/sparql-results+xml",
                 "application/xml", "text/xml", "text/csv", "text/tab-separated-values"],
    "graph": ["text/turtle", "application/x-turtle", "application/n-triples", "text/plain",
              "application/ld+json", "application/json"],
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q values, best first (stable for equal q)."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The first offer the Accept header allows (offers[0] for none or */*), else None."""
    if not accept or not accept.strip():
        return offers[0]
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return offers[0]
        for offer in offers:
            if media == offer or (media.endswith("/*") and offer.startswith(media[:-1])):
                return offer
    return None


def choose_format(kind: str, fmt: str | None, accept: str | None) -> str:
    """The result format for a kind ('bindings' or 'graph') from ?format= or Accept."""
    allowed = BINDINGS_FORMATS if kind == "bindings" else GRAPH_FORMATS
    if fmt:
        key = FORMAT_ALIASES[fmt.lower()]  # checked earlier: unknown names are a 400
        if kind == "graph" and key == "json":
            key = "jsonld"
        if key not in allowed:
            raise HTTPProblem(406, "Format not available for this query",
                              f"format {fmt!r} does not fit a {_kind_name(kind)} result; use one of "
                              + ", ".join(allowed))
        return key
    media = negotiate(accept, ACCEPT_OFFERS[kind])
    if media is None:
        raise HTTPProblem(406, "Not acceptable",
                          f"no result format matches Accept: {accept!r}; a {_kind_name(kind)} result "
                          "comes as " + ", ".join(MEDIA_TYPE[f].split(";")[0] for f in allowed))
    key = FORMAT_ALIASES[media]
    return "jsonld" if kind == "graph" and key == "json" else key


def _kind_name(kind: str) -> str:
    return "SELECT/ASK" if kind == "bindings" else "CONSTRUCT/DESCRIBE"


def _json_term(term: tuple) -> dict[str, Any]:
    kind = term[0]
    if kind == "literal":
        out: dict[str, Any] = {"type": "literal", "value": term[1]}
        if term[3]:
            out["xml:lang"] = term[3]
        elif term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term[2]
        return out
    if kind == "triple":
        return {"type": "triple", "value": {k: _json_term(t) for k, t in
                                            zip(("subject", "predicate", "object"), term[1:])}}
    return {"type": kind, "value": term[1]}


def _nt_term(term: tuple) -> str:
    """A term in N-Triples syntax (TSV results)."""
    kind = term[0]
    if kind == "uri":
        return f"<{term[1]}>"
    if kind == "bnode":
        return f"_:{term[1]}"
    if kind == "triple":
        return "<< " + " ".join(_nt_term(t) for t in term[1:]) + " >>"
    text = (term[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term[3]:
        return f'"{text}"@{term[3]}'
    if term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{text}"^^<{term[2]}>'
    return f'"{text}"'


def _xml_term(term: tuple) -> str:
    kind = term[0]
    if kind == "uri":
        return f"<uri>{xml_escape(term[1])}</uri>"
    if kind == "bnode":
        return f"<bnode>{xml_escape(term[1])}</bnode>"
    if kind == "triple":
        parts = "".join(f"<{k}>{_xml_term(t)}</{k}>" for k, t in zip(("subject", "predicate", "object"), term[1:]))
        return f"<triple>{parts}</triple>"
    attr = ""
    if term[3]:
        attr = f' xml:lang="{xml_escape(term[3])}"'
    elif term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
        attr = f' datatype="{xml_escape(term[2])}"'
    return f"<literal{attr}>{xml_escape(term[1])}</literal>"


def _csv_value(term: tuple | None) -> str:
    if term is None:
        return ""
    if term[0] == "bnode":
        return f"_:{term[1]}"
    if term[0] == "triple":
        return _nt_term(term)
    return term[1]


def serialize_bindings(result: dict[str, Any], fmt: str) -> bytes:
    """SELECT/ASK results in SPARQL 1.1 JSON, XML, CSV or TSV."""
    if result["kind"] == "boolean":
        value = "true" if result["value"] else "false"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result["value"]}).encode()
        if fmt == "xml":
            return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{value}</boolean></sparql>\n").encode()
        return f"_askResult\r\n{value}\r\n".encode() if fmt == "csv" else f"?_askResult\n{value}\n".encode()
    variables, rows = result["vars"], result["rows"]
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f'<variable name="{xml_escape(v)}"/>' for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f'<binding name="{xml_escape(v)}">{_xml_term(t)}</binding>'
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else _nt_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_graph(triples: list, fmt: str) -> bytes:
    import pyoxigraph

    rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
    prefixes = dict(PREFIXES) if fmt == "turtle" else None
    return pyoxigraph.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


# --------------------------------------------------------------------------- requests
_UPDATE_START = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_PROLOGUE = re.compile(r"^\s*((BASE\s*<[^>]*>)|(PREFIX\s+[^\s:]*:\s*<[^>]*>)|(#[^\n]*\n?))", re.I)


def looks_like_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update rather than a query (after its prologue)."""
    rest = text
    while True:
        match = _PROLOGUE.match(rest)
        if not match or not match.group(0):
            break
        rest = rest[match.end():]
    return bool(_UPDATE_START.match(rest))


UPDATE_REFUSED = ("Updates are not allowed",
                  "this endpoint is read-only; change the graph with `chegukg build` or `chegukg remove`, "
                  "or push it to a writable store with `chegukg push`")


async def read_body(request, max_body: int) -> bytes:
    """The request body, refusing (413) anything over ``max_body`` bytes before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body:
        raise _too_large(max_body)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise _too_large(max_body)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_body: int) -> HTTPProblem:
    return HTTPProblem(413, "Request body too large",
                       f"the body is over the limit of {max_body} bytes; send a shorter query")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPProblem(400, "Body is not UTF-8", "send the query encoded as UTF-8") from None


async def protocol_params(request, max_body: int) -> dict[str, list[str]]:
    """The SPARQL 1.1 Protocol parameters of a GET or POST, as name -> values."""
    from urllib.parse import parse_qs

    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        return params
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, max_body)
    if media == "application/x-www-form-urlencoded":
        for key, values in parse_qs(_decode(body), keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif media == "application/sparql-query":
        params["query"] = [_decode(body)]
    elif media == "application/sparql-update":
        raise HTTPProblem(403, *UPDATE_REFUSED)
    else:
        raise HTTPProblem(415, "Unsupported content type",
                          f"POST a query as application/x-www-form-urlencoded (query=...) or "
                          f"application/sparql-query, not {media or 'no content type'!r}")
    return params


def query_request(params: dict[str, list[str]], max_rows: int, union: bool) -> dict[str, Any]:
    if "update" in params:
        raise HTTPProblem(403, *UPDATE_REFUSED)
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPProblem(400, "Missing query",
                          "pass exactly one SPARQL query as the query parameter or the POST body")
    if looks_like_update(queries[0]):
        raise HTTPProblem(403, *UPDATE_REFUSED)
    fmt = (params.get("format") or [None])[0]
    if fmt and fmt.lower() not in FORMAT_ALIASES:
        raise HTTPProblem(400, "Unknown format",
                          f"format {fmt!r} is not one of json, xml, csv, tsv, turtle, ntriples, jsonld")
    return {"query": queries[0], "max_rows": max_rows, "union": union,
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []), "format": fmt}


def result_response(result: dict[str, Any], fmt: str | None, accept: str | None):
    from starlette.responses import Response

    kind = "graph" if result["kind"] == "triples" else "bindings"
    chosen = choose_format(kind, fmt, accept)
    if kind == "graph":
        body = serialize_graph(result["triples"], chosen)
    else:
        body = serialize_bindings(result, chosen)
    headers = {"Vary": "Accept"}
    if result.get("truncated"):
        headers["X-Result-Truncated"] = "true"
    return Response(body, media_type=MEDIA_TYPE[chosen], headers=headers)


def competency_queries() -> dict[str, str]:
    """The ready queries for the editor: the query module's, or data/queries/*.rq directly."""
    try:
        from .query import competency_queries as load

        return dict(load())
    except (ImportError, AttributeError):
        pass
    from .resources import queries_dir

    try:
        folder = queries_dir()
    except FileNotFoundError:
        return {}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.rq"))}


EXAMPLE_QUERY = """PREFIX cg: <https://w3id.org/chegukg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label ?type WHERE {
  ?entity a ?type ; skos:prefLabel ?label .
} LIMIT 100
"""


def create_app(store_dir: str | Path, *, query_timeout: float = DEFAULT_TIMEOUT,
               max_rows: int = DEFAULT_MAX_ROWS, max_body: int = DEFAULT_MAX_BODY,
               workers: int | None = None, union_default_graph: bool = True):
    """The Starlette app serving ``store_dir``: /sparql, the browser page at /, entity pages.

    >>> from starlette.testclient import TestClient                       # doctest: +SKIP
    >>> TestClient(create_app("out/store")).get("/sparql", params={"query": "ASK {}"})  # doctest: +SKIP
    """
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, RedirectResponse
    from starlette.routing import Route

    pool = QueryPool(store_dir, workers or max(2, os.cpu_count() or 2))

    async def run(request_dict: dict[str, Any]) -> dict[str, Any]:
        return await pool.run(request_dict, query_timeout)

    async def sparql(request: Request):
        params = await protocol_params(request, max_body)
        if not params and "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/", status_code=303)
        query = query_request(params, max_rows, union_default_graph)
        if query["format"] is None and request.headers.get("accept") is not None:
            choose_format_early(request.headers.get("accept"))
        result = await run(query)
        return result_response(result, query["format"], request.headers.get("accept"))

    def choose_format_early(accept: str) -> None:
        # Refuse an Accept no result kind could satisfy before spending a query on it.
        if (negotiate(accept, ACCEPT_OFFERS["bindings"]) is None
                and negotiate(accept, ACCEPT_OFFERS["graph"]) is None):
            choose_format("bindings", None, accept)

    async def index(request: Request):
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def static(request: Request):
        name = request.path_params["name"]
        path = WEB_DIR / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise HTTPProblem(404, "Not found", f"no asset named {name!r}")
        return FileResponse(path)

    async def queries(request: Request):
        found = competency_queries() or {"example": EXAMPLE_QUERY}
        return JSONResponse(found)

    async def entity(request: Request):
        iri = request.query_params.get("iri")
        if not iri:
            raise HTTPProblem(400, "Missing iri", "pass the entity's IRI as ?iri=...")
        return await entity_response(request, iri, run, max_rows)

    async def entity_by_path(request: Request):
        from .vocab import CGR

        return await entity_response(request, CGR + request.path_params["rest"], run, max_rows)

    async def problem(request: Request, exc: Exception):
        if isinstance(exc, HTTPProblem):
            return JSONResponse(exc.to_dict(), status_code=exc.status)
        if isinstance(exc, HTTPException):
            titles = {404: "Not found", 405: "Method not allowed"}
            shaped = HTTPProblem(exc.status_code, titles.get(exc.status_code, "HTTP error"),
                                 f"{request.method} {request.url.path}: {exc.detail}")
            return JSONResponse(shaped.to_dict(), status_code=exc.status_code, headers=exc.headers)
        shaped = HTTPProblem(500, "Internal server error", f"{type(exc).__name__}: {exc}")
        return JSONResponse(shaped.to_dict(), status_code=500)

    @asynccontextmanager
    async def lifespan(app):
        pool.start()
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries.json", queries),
        Route("/static/{name}", static),
        Route("/entity", entity),
        Route("/id/{rest:path}", entity_by_path),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["*"], expose_headers=["X-Result-Truncated"], max_age=86400)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPProblem: problem, HTTPException: problem, Exception: problem})
    app.state.pool = pool
    app.state.store_dir = str(store_dir)
    return app


# --------------------------------------------------------------------------- entity pages
_ENTITY_PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())
_OUT_QUERY = _ENTITY_PREFIXES + """
SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  <IRI> ?p ?o . FILTER(?p != cg:hasMention)
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?l }
} GROUP BY ?p ?o ORDER BY ?p ?o"""
_IN_QUERY = _ENTITY_PREFIXES + """
SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {
  ?s ?p <IRI> . FILTER(?p NOT IN (rdf:subject, rdf:object))
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?l }
} GROUP BY ?s ?p ORDER BY ?p ?s"""
_SOURCES_QUERY = _ENTITY_PREFIXES + """
SELECT DISTINCT ?text ?start ?article ?url ?title ?source ?extractor ?relation WHERE {
  { ?n rdf:subject <IRI> } UNION { ?n rdf:object <IRI> } UNION { <IRI> cg:hasMention ?n }
  ?n cg:sentenceText ?text .
  OPTIONAL { ?n cg:start ?start }
  OPTIONAL { ?n rdf:predicate ?relation }
  OPTIONAL { ?n cg:extractedBy ?extractor }
  OPTIONAL { ?n prov:wasDerivedFrom ?article .
             OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article dcterms:title ?title }
             OPTIONAL { ?article cg:sourceName ?source } }
} ORDER BY ?source ?start"""
_DESCRIBE_QUERY = """CONSTRUCT { <IRI> ?p ?o . ?s ?q <IRI> } WHERE { { <IRI> ?p ?o } UNION { ?s ?q <IRI> } }"""
ENTITY_OFFERS = ["text/html", "application/xhtml+xml", "text/turtle", "application/n-triples",
                 "application/ld+json"]


def _entity_query(template: str, iri: str, max_rows: int) -> dict[str, Any]:
    if any(ch in iri for ch in '<>"{}|^`\\ \n\r\t'):
        raise HTTPProblem(400, "Bad IRI", f"{iri!r} is not an IRI: it contains a character IRIs forbid")
    return {"query": template.replace("IRI", iri), "max_rows": max_rows, "union": True}


async def entity_response(request, iri: str, run, max_rows: int):
    """The entity page: HTML for people, Turtle (or N-Triples, JSON-LD) for machines."""
    from starlette.responses import HTMLResponse, Response

    fmt = request.query_params.get("format")
    if fmt:
        if fmt.lower() not in FORMAT_ALIASES and fmt.lower() != "html":
            raise HTTPProblem(400, "Unknown format", f"format {fmt!r}: use html, turtle, ntriples or jsonld")
        wanted = "html" if fmt.lower() == "html" else choose_format("graph", fmt, None)
    else:
        media = negotiate(request.headers.get("accept"), ENTITY_OFFERS)
        if media is None:
            raise HTTPProblem(406, "Not acceptable", "an entity comes as text/html, text/turtle, "
                              "application/n-triples or application/ld+json")
        wanted = "html" if "html" in media else FORMAT_ALIASES[media]
    if wanted != "html":
        result = await run(_entity_query(_DESCRIBE_QUERY, iri, max_rows))
        if not result["triples"]:
            raise _no_entity(iri)
        return Response(serialize_graph(result["triples"], wanted), media_type=MEDIA_TYPE[wanted],
                        headers={"Vary": "Accept"})
    out = await run(_entity_query(_OUT_QUERY, iri, max_rows))
    into = await run(_entity_query(_IN_QUERY, iri, max_rows))
    if not out["rows"] and not into["rows"]:
        raise _no_entity(iri)
    sources = await run(_entity_query(_SOURCES_QUERY, iri, max_rows))
    page = render_entity(iri, out["rows"], into["rows"], sources["rows"])
    return HTMLResponse(page, headers={"Vary": "Accept"})


def _no_entity(iri: str) -> HTTPProblem:
    return HTTPProblem(404, "Unknown entity", f"the graph says nothing about <{iri}>")


def short_iri(iri: str) -> str:
    """``cgr:person/卢放`` for a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def entity_href(iri: str) -> str:
    from urllib.parse import quote

    return "/entity?iri=" + quote(iri, safe="")


def _h(text: Any) -> str:
    import html

    return html.escape(str(text), quote=True)


def _term_html(term: tuple | None, label: tuple | None = None) -> str:
    if term is None:
        return ""
    if term[0] == "uri":
        shown = label[1] if label else short_iri(term[1])
        return f'<a href="{_h(entity_href(term[1]))}" title="{_h(term[1])}">{_h(shown)}</a>'
    if term[0] == "literal":
        lang = f' <span class="lang">@{_h(term[3])}</span>' if term[3] else ""
        return f"<span class=\"literal\">{_h(term[1])}</span>{lang}"
    return f"<span class=\"bnode\">{_h(_nt_term(term))}</span>"


def render_entity(iri: str, out_rows: list, in_rows: list, source_rows: list) -> str:
    """The entity page's HTML; every value from the graph is escaped."""
    from .vocab import RDF, RDFS, SKOS

    values: dict[str, list[tuple]] = {}
    for p, o, _label in out_rows:
        values.setdefault(p[1], []).append(o)
    label = next((t[1] for key in (SKOS + "prefLabel", RDFS + "label") for t in values.get(key, [])), None)
    types = values.get(RDF + "type", [])
    aliases = sorted({t[1] for t in values.get(SKOS + "altLabel", [])} - {label})
    shown = {RDF + "type", SKOS + "prefLabel", SKOS + "altLabel", RDFS + "label"}
    facts = "".join(f"<tr><td>{_term_html(p)}</td><td>{_term_html(o, lbl)}</td></tr>"
                    for p, o, lbl in out_rows if p[1] not in shown)
    links_in = "".join(f"<tr><td>{_term_html(s, lbl)}</td><td>{_term_html(p)}</td></tr>"
                       for s, p, lbl in in_rows)
    template = (WEB_DIR / "entity.html").read_text(encoding="utf-8")
    fields = {
        "title": _h(label or short_iri(iri)),
        "iri": _h(iri),
        "turtle_href": _h(entity_href(iri) + "&format=turtle"),
        "types": ", ".join(_term_html(t) for t in types) or "—",
        "aliases": "、".join(_h(a) for a in aliases) or "—",
        "facts": facts or '<tr><td colspan="2">none</td></tr>',
        "links_in": links_in or '<tr><td colspan="2">none</td></tr>',
        "sources": _sources_html(source_rows),
    }
    # One pass, so a value that happens to contain "{{facts}}" is never expanded.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields.get(m.group(1), ""), template)


def _sources_html(rows: list) -> str:
    """One item per (article, sentence): the facts it gave, who found them, links to the
    article (its URL where known, and its node in the graph)."""
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row[2] and row[2][1], row[0][1]), []).append(row)
    items = []
    for group in groups.values():
        text, _start, article, url, title, source, _extractor, _relation = group[0]
        found = sorted({short_iri(r[7][1]) for r in group if r[7]} or {"mention"})
        by = sorted({short_iri(r[6][1]).rsplit("/", 1)[-1] for r in group if r[6]})
        name = (title or source or article or ("", ""))[1] or "article"
        links = []
        if url and re.match(r"https?://", url[1]):
            links.append(f'<a class="article" href="{_h(url[1])}" rel="noopener noreferrer">{_h(name)}</a>')
        if article:
            links.append(f'<a class="article-node" href="{_h(entity_href(article[1]))}">'
                         f'{_h(short_iri(article[1]) if url else name)}</a>')
        facts = ", ".join(found) + (f" by {', '.join(by)}" if by else "")
        items.append(f"<li><q>{_h(text[1])}</q> — {' · '.join(links) or _h(name)} "
                     f"<span class=\"how\">({_h(facts)})</span></li>")
    return "<ul class=\"sources\">" + "".join(items) + "</ul>" if items else "<p>none</p>"
