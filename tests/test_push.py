"""chegukg push to a real Oxigraph server (PyPI ``oxigraph``, started here on loopback).

The remote must answer the competency queries exactly as the local store does, after a
Graph Store Protocol push and after a SPARQL Update push (which also checks that pushing
again replaces graphs rather than doubling them).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cheguKG import vocab as V
from test_server import write_store

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
PREFIX_LINES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in V.PREFIXES.items())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.stderr.read()!r}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def oxigraph_server(tmp_path):
    """The base URL of a fresh Oxigraph server (union default graph, as our store queries)."""
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server (PyPI oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    """The seed article built by the real pipeline: a graph of the build's true shape."""
    from cheguKG.builder import build

    out = tmp_path_factory.mktemp("seed")
    build(None, out=out, dump=False, html=False)
    return out / "store"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("small") / "store")


def _rows(solutions) -> Counter:
    variables = [v.value for v in solutions.variables]
    return Counter(tuple(None if s[v] is None else str(s[v]) for v in variables) for s in solutions)


def local_answers(store_dir: Path, sparql: str) -> Counter:
    from cheguKG.store import Store

    store = Store.open(store_dir, read_only=True)
    try:
        return _rows(store.query(sparql))
    finally:
        store.close()


def remote_answers(base: str, sparql: str) -> Counter:
    import httpx
    import pyoxigraph

    response = httpx.post(f"{base}/query", content=(PREFIX_LINES + sparql).encode("utf-8"),
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return _rows(pyoxigraph.parse_query_results(response.content, format=pyoxigraph.QueryResultsFormat.JSON))


COUNT_QUADS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def assert_same_answers(store_dir: Path, base: str) -> int:
    """Every competency query (and a per-graph count) answers alike; returns rows compared."""
    from cheguKG.query import competency_queries

    queries = {"count per graph": COUNT_QUADS, **competency_queries()}
    compared = 0
    for name, sparql in queries.items():
        local = local_answers(store_dir, sparql)
        assert remote_answers(base, sparql) == local, name
        compared += sum(local.values())
    return compared


@pytest.mark.slow
def test_push_gsp_remote_answers_competency_queries_like_local(seed_store, oxigraph_server):
    from cheguKG.push import push

    report = push(seed_store, f"{oxigraph_server}/store")
    assert report.graphs >= 2 and report.triples > 100
    assert assert_same_answers(seed_store, oxigraph_server) > report.graphs


@pytest.mark.slow
def test_push_update_in_batches_and_again_replaces(seed_store, oxigraph_server):
    from cheguKG.push import push

    push(seed_store, f"{oxigraph_server}/update", method="update", batch_size=50)
    push(seed_store, f"{oxigraph_server}/update", method="update", batch_size=50)  # no doubles
    assert assert_same_answers(seed_store, oxigraph_server) > 0


def test_push_gsp_then_update_on_the_small_graph(small_store, oxigraph_server):
    from cheguKG.push import push

    gsp = push(small_store, f"{oxigraph_server}/store")
    update = push(small_store, f"{oxigraph_server}/update", method="update", batch_size=7)
    assert (gsp.graphs, gsp.triples) == (update.graphs, update.triples) == (3, gsp.triples)
    assert remote_answers(oxigraph_server, COUNT_QUADS) == local_answers(small_store, COUNT_QUADS)


def test_push_cli(small_store, oxigraph_server):
    from click.testing import CliRunner

    from cheguKG.cli import main

    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph_server}/store", "--store", str(small_store)])
    assert result.exit_code == 0, result.output
    assert "pushed 3 graph(s)" in result.output
    assert remote_answers(oxigraph_server, COUNT_QUADS) == local_answers(small_store, COUNT_QUADS)


AUTH = [  # (push keyword arguments, expected Authorization header)
    ({"user": "alice", "password": "s3cret"}, "Basic YWxpY2U6czNjcmV0"),
    ({"token": "tok-123"}, "Bearer tok-123"),
    ({}, None),
]


@pytest.mark.parametrize("kwargs, header", AUTH)
def test_push_sends_credentials(small_store, kwargs, header):
    import httpx

    from cheguKG.push import push

    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.headers.get("authorization"), request.url.params.get("graph")))
        return httpx.Response(204)

    push(small_store, "http://remote.example/store", transport=httpx.MockTransport(handler), **kwargs)
    assert {auth for _m, auth, _g in seen} == {header}
    assert {m for m, _a, _g in seen} == {"PUT"}
    assert V.ENTITIES_GRAPH in {g for _m, _a, g in seen}


ERRORS = [  # (status the remote answers, words the error must contain)
    (401, "--user and --password, or --token"),
    (404, "Graph Store URL"),
    (400, "rejected the data"),
]


@pytest.mark.parametrize("status, words", ERRORS)
def test_push_errors_say_what_to_do(small_store, status, words):
    import httpx

    from cheguKG.push import PushError, push

    transport = httpx.MockTransport(lambda request: httpx.Response(status, text="nope"))
    with pytest.raises(PushError, match=r"HTTP %d .*graph <" % status) as error:
        push(small_store, "http://remote.example/store", transport=transport)
    assert words in str(error.value) and "nope" in str(error.value)


def test_push_unreachable_store_and_missing_store(small_store, tmp_path):
    from cheguKG.push import PushError, push

    with pytest.raises(PushError, match="cannot reach the store"):
        push(small_store, f"http://127.0.0.1:{free_port()}/store", timeout=5)
    with pytest.raises(PushError, match="no store here"):
        push(tmp_path / "nothing", "http://127.0.0.1:1/store")
