"""Send the graph to any SPARQL 1.1 store, one article's named graph at a time.

Two ways, since stores differ in what they accept:

* ``method="gsp"``: the Graph Store Protocol, ``PUT <graph-store>?graph=<named graph>`` with
  the graph as Turtle: each PUT replaces that graph, so pushing again after a rebuild
  leaves no stale facts (Oxigraph ``/store``, Fuseki ``/ds/data``, GraphDB
  ``/repositories/R/rdf-graphs/service``, Virtuoso ``/sparql-graph-crud``).
* ``method="update"``: SPARQL Update, ``DROP SILENT GRAPH`` then ``INSERT DATA`` in batches,
  for stores that only open an update endpoint (QLever, Virtuoso ``/sparql``).

>>> push("out/store", "http://127.0.0.1:7878/store")                    # doctest: +SKIP
PushReport(target='http://127.0.0.1:7878/store', graphs=12, triples=4810)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import CheguError

DEFAULT_BATCH = 5000


class PushError(CheguError):
    """The remote store refused or could not be reached; says which graph and what to do."""


@dataclass(frozen=True)
class PushReport:
    target: str
    graphs: int
    triples: int


def push(store: Any, endpoint: str, *, method: str = "gsp", user: str | None = None,
         password: str | None = None, token: str | None = None, graph_store: str | None = None,
         batch_size: int = DEFAULT_BATCH, timeout: float = 120.0, transport: Any = None) -> PushReport:
    """Send every named graph of ``store`` (a directory, a Store or a pyoxigraph Store).

    ``endpoint`` is the Graph Store Protocol URL for ``gsp`` (or pass ``graph_store``) and
    the SPARQL Update URL for ``update``. ``user``/``password`` send basic auth, ``token`` a
    bearer token. ``transport`` is an httpx transport (tests).
    """
    import httpx

    if method not in ("gsp", "update"):
        raise PushError(f"unknown push method {method!r}: use 'gsp' or 'update'")
    if token and (user or password):
        raise PushError("pass either user and password or a token, not both")
    auth = httpx.BasicAuth(user, password or "") if user is not None else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    target = graph_store or endpoint
    graphs = triples = 0
    with httpx.Client(auth=auth, headers=headers, timeout=timeout, transport=transport) as client:
        for graph, lines in _graphs(store):
            if method == "gsp":
                _put_graph(client, target, graph, lines)
            else:
                _insert_graph(client, endpoint, graph, lines, batch_size)
            graphs += 1
            triples += len(lines)
    return PushReport(target if method == "gsp" else endpoint, graphs, triples)


def _quads(store: Any) -> list:
    """Every quad of ``store``: a store directory (opened read-only), a Store or a pyoxigraph Store."""
    if isinstance(store, (str, Path)):
        from .store import Store

        path = Path(store)
        if not path.is_dir():
            raise PushError(f"{path}: no store here: build one with `chegukg build` or pass --store")
        reader = Store.open(path, read_only=True)
        try:
            return reader.quads()
        finally:
            reader.close()
    if hasattr(store, "quads_for_pattern"):  # a pyoxigraph Store
        return list(store.quads_for_pattern(None, None, None, None))
    return store.quads()


def _graphs(store: Any) -> Iterator[tuple[str | None, list[str]]]:
    """(graph IRI or None for the default graph, N-Triples lines), default graph first if any."""
    from pyoxigraph import NamedNode

    by_graph: dict[str | None, list] = {}
    for quad in _quads(store):
        name = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else None
        by_graph.setdefault(name, []).append(quad)
    for name in sorted(by_graph, key=lambda g: (g is not None, g or "")):
        yield name, _ntriples_lines(by_graph[name])


def _ntriples_lines(quads: list) -> list[str]:
    from pyoxigraph import RdfFormat, Triple, serialize

    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    text = serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def _graph_url(base: str, graph: str | None) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}default" if graph is None else f"{base}{joiner}graph={quote(graph, safe='')}"


def _put_graph(client, url: str, graph: str | None, lines: list[str]) -> None:
    # N-Triples is Turtle, and every Graph Store accepts Turtle.
    body = ("\n".join(lines) + "\n").encode("utf-8")
    response = _send(client, "PUT", _graph_url(url, graph), graph, content=body,
                     headers={"Content-Type": "text/turtle; charset=utf-8"})
    _check(response, graph, url)


def _insert_graph(client, url: str, graph: str | None, lines: list[str], batch_size: int) -> None:
    """DROP the graph, then INSERT DATA its triples in batches (the first with the DROP)."""
    target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
    start = f"DROP SILENT {target} ;\n"
    for i in range(0, max(len(lines), 1), max(1, batch_size)):
        batch = "\n".join(lines[i:i + batch_size])
        inner = batch if graph is None else f"GRAPH <{graph}> {{\n{batch}\n}}"
        update = f"{start}INSERT DATA {{\n{inner}\n}}"
        start = ""
        response = _send(client, "POST", url, graph, content=update.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        _check(response, graph, url)


def _send(client, method: str, url: str, graph: str | None, **kwargs):
    import httpx

    try:
        return client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise PushError(f"{url}: cannot reach the store while sending {_name(graph)} "
                        f"({type(exc).__name__}: {exc}); check the URL and that the store is running") from None


def _check(response, graph: str | None, url: str) -> None:
    if response.status_code < 300:
        return
    snippet = " ".join(response.text.split())[:300]
    if response.status_code in (401, 403):
        hint = "the store refused our credentials: pass --user and --password, or --token"
    elif response.status_code in (404, 405):
        hint = ("this URL does not take that request: for --method gsp give the Graph Store URL "
                "(e.g. Oxigraph /store, Fuseki /ds/data), for --method update the update URL")
    else:
        hint = "the store rejected the data"
    raise PushError(f"{url}: HTTP {response.status_code} for {_name(graph)}: {hint}"
                    + (f" (the store said: {snippet})" if snippet else ""))


def _name(graph: str | None) -> str:
    return "the default graph" if graph is None else f"graph <{graph}>"
