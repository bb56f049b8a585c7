"""The SPARQL 1.1 Protocol endpoint and the browser page: an app factory over a store.

Routing and the SPARQL 1.1 Protocol live here; queries run in worker processes
(:mod:`cheguKG.querypool`), results are serialised by :mod:`cheguKG.results`, and entity
pages are drawn by :mod:`cheguKG.entitypage`.

>>> app = create_app("out/store", query_timeout=10, max_rows=10_000)   # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=7878)                      # doctest: +SKIP

Only the standard library (and the modules above, which import only it) is imported here
at module level; Starlette is imported by create_app.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .entitypage import WEB_DIR, entity_response, render_entity  # noqa: F401 (re-exported)
from .querypool import QueryPool, open_reader  # noqa: F401 (re-exported)
from .results import (ACCEPT_OFFERS, FORMAT_ALIASES, MEDIA_TYPE, HTTPProblem, choose_format,  # noqa: F401
                      negotiate, serialize_bindings, serialize_graph)

DEFAULT_TIMEOUT = 10.0  # seconds per query
DEFAULT_MAX_ROWS = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per response
DEFAULT_MAX_BODY = 1_000_000  # bytes of request body


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

