"""A real client (SPARQLWrapper) against a live ``chegukg serve`` on loopback."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cheguKG import vocab as V
from test_push import free_port, wait_for
from test_server import ASK_PERSON, COMPANY, CONSTRUCT_FACTS, EXPECTED_LABELS, SELECT_LABELS, SLOW_QUERY, ZONE, write_store

pytest.importorskip("SPARQLWrapper")
CHEGUKG = str(Path(sys.executable).parent / "chegukg")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base URL, store dir) of `chegukg serve` over the small graph, 2 s time limit."""
    store = write_store(tmp_path_factory.mktemp("live") / "store")
    port = free_port()
    process = subprocess.Popen([CHEGUKG, "serve", "--store", str(store), "--port", str(port),
                                "--timeout", "2", "--max-rows", "1000", "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/queries.json", process)
        yield base, store
    finally:
        process.terminate()
        process.wait(timeout=15)


def wrapper(base: str, query: str, fmt: str, method: str = "GET"):
    from SPARQLWrapper import SPARQLWrapper

    sparql = SPARQLWrapper(f"{base}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_server_live_select_json(live, method):
    from SPARQLWrapper import JSON

    result = wrapper(live[0], SELECT_LABELS, JSON, method).queryAndConvert()
    assert sorted(b["label"]["value"] for b in result["results"]["bindings"]) == EXPECTED_LABELS


def test_server_live_select_xml_and_csv(live):
    from SPARQLWrapper import CSV, XML

    document = wrapper(live[0], SELECT_LABELS, XML).queryAndConvert()
    assert len(document.getElementsByTagName("result")) == len(EXPECTED_LABELS)
    text = wrapper(live[0], SELECT_LABELS, CSV).queryAndConvert().decode("utf-8")
    assert text.splitlines()[0] == "e,label" and "岚图汽车" in text


def test_server_live_ask_and_construct(live):
    from SPARQLWrapper import JSON, TURTLE

    assert wrapper(live[0], ASK_PERSON, JSON).queryAndConvert()["boolean"] is True
    graph = wrapper(live[0], CONSTRUCT_FACTS, TURTLE).queryAndConvert()
    import pyoxigraph

    triples = list(pyoxigraph.parse(graph, format=pyoxigraph.RdfFormat.TURTLE))
    assert [(t.subject.value, t.object.value) for t in triples] == [(COMPANY, ZONE)]


def test_server_live_errors_and_keeps_serving(live):
    from SPARQLWrapper import JSON
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed):
        wrapper(live[0], "SELECT ?x WHERE {", JSON).queryAndConvert()
    with pytest.raises(QueryBadFormed):  # 400: over the 2 s limit
        wrapper(live[0], SLOW_QUERY, JSON).queryAndConvert()
    assert wrapper(live[0], ASK_PERSON, JSON).queryAndConvert()["boolean"] is True


def test_server_live_refuses_updates(live):
    import httpx

    response = httpx.post(f"{live[0]}/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403 and response.json()["error"]["title"] == "Updates are not allowed"


def test_server_live_concurrent_clients(live):
    from SPARQLWrapper import JSON

    def one(_):
        return len(wrapper(live[0], SELECT_LABELS, JSON).queryAndConvert()["results"]["bindings"])

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(one, range(32))) == {len(EXPECTED_LABELS)}


def test_server_live_reads_while_a_build_writes(live):
    """A writer holds the store and commits a new version: readers never stop, then see it."""
    from SPARQLWrapper import JSON

    from cheguKG.store import Store

    base, store_dir = live
    new = V.entity_iri("Enterprise", "新公司")
    quads_query = f"ASK {{ <{new}> a <{V.CG}Enterprise> }}"
    from pyoxigraph import Literal, NamedNode, Quad

    graph = NamedNode(V.graph_iri("a3.txt"))
    quads = [Quad(NamedNode(new), NamedNode(V.RDF + "type"), NamedNode(V.CG + "Enterprise"), graph),
             Quad(NamedNode(new), NamedNode(V.RDFS + "label"), Literal("新公司", language="zh"), graph)]
    writer = Store.open(store_dir)
    try:
        writer.replace_article("a3.txt", quads, "hash-a3")
        assert wrapper(base, ASK_PERSON, JSON).queryAndConvert()["boolean"] is True
        assert wrapper(base, quads_query, JSON).queryAndConvert()["boolean"] is False  # not committed
        writer.commit()
        assert wrapper(base, quads_query, JSON).queryAndConvert()["boolean"] is True
        writer.remove_article("a3.txt")
    finally:
        writer.close()
    assert wrapper(base, quads_query, JSON).queryAndConvert()["boolean"] is False
