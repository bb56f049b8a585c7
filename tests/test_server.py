"""The SPARQL endpoint in-process (starlette TestClient): formats, errors, limits, CORS, pages.

The store is a small hand-written graph shaped like the build's (one named graph per
article, reified assertions with sentences, an entities graph), so these tests do not
depend on extraction quality.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest

from cheguKG import vocab as V

CG, CGR = V.CG, V.CGR
SCRIPT = "<script>alert('x')</script>"
PERSON = V.entity_iri("Person", "卢放")
COMPANY = V.entity_iri("Enterprise", "岚图汽车")
ZONE = V.entity_iri("Place", "武汉经开区")
MEETING = V.entity_iri("Meeting", "市委常委会会议")
BODY = V.entity_iri("GovernmentBody", "市委常委会")
INDUSTRY = V.entity_iri("Industry", "新能源汽车")
ARTICLES = {  # source -> (title, url, sentence, facts)
    "a1.txt": (f"车谷新闻{SCRIPT}", "http://example.org/news/a1",
               f"岚图汽车CEO卢放表示{SCRIPT}，将加快发展。",
               [(PERSON, CG + "holdsPositionIn", COMPANY), (MEETING, CG + "convenedBy", BODY),
                (MEETING, CG + "inspects", ZONE)]),
    "a2.txt": ("岚图汽车落户经开区", "http://example.org/news/a2", "岚图汽车位于武汉经开区，专注新能源汽车。",
               [(COMPANY, CG + "locatedIn", ZONE), (COMPANY, CG + "inIndustry", INDUSTRY)]),
}
LABELS = {PERSON: ("Person", "卢放", []), COMPANY: ("Enterprise", "岚图汽车", ["岚图"]),
          ZONE: ("Place", "武汉经开区", ["经开区", "中国车谷"]), MEETING: ("Meeting", "市委常委会会议", []),
          BODY: ("GovernmentBody", "市委常委会", []), INDUSTRY: ("Industry", "新能源汽车", [])}


def _lit(text: str, lang: str | None = "zh", datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def small_graph_nquads() -> str:
    """N-Quads of the test graph: two articles, six entities, five facts with provenance."""
    lines = []

    def q(s, p, o, g):
        obj = o if o.startswith('"') else f"<{o}>"
        lines.append(f"<{s}> <{p}> {obj} <{g}> .")

    for source, (title, url, sentence, facts) in ARTICLES.items():
        g, article = V.graph_iri(source), V.article_iri(source)
        q(article, V.RDF + "type", V.ARTICLE, g)
        q(article, V.SOURCE_NAME, _lit(source, None), g)
        q(article, V.DCT + "title", _lit(title), g)
        q(article, V.SCHEMA + "url", url, g)
        for n, (s, p, o) in enumerate(facts):
            for entity in (s, o):
                type_, name, _aliases = LABELS[entity]
                q(entity, V.RDF + "type", V.CLASS_OF_TYPE[type_], g)
                q(entity, V.RDFS + "label", _lit(name), g)
                q(entity, V.MENTIONED_IN, article, g)
            q(s, p, o, g)
            node = f"{CGR}assertion/{source}/{n}"
            q(node, V.RDF + "type", V.ASSERTION, g)
            q(node, V.RDF + "subject", s, g)
            q(node, V.RDF + "predicate", p, g)
            q(node, V.RDF + "object", o, g)
            q(node, V.SENTENCE_TEXT, _lit(sentence), g)
            q(node, V.START, _lit(str(10 * n), None, V.XSD + "integer"), g)
            q(node, V.END, _lit(str(10 * n + 9), None, V.XSD + "integer"), g)
            q(node, V.EXTRACTED_BY, CGR + "extractor/rules", g)
            q(node, V.PROV + "wasDerivedFrom", article, g)
    for entity, (type_, name, aliases) in LABELS.items():
        q(entity, V.RDF + "type", V.CLASS_OF_TYPE[type_], V.ENTITIES_GRAPH)
        q(entity, V.SKOS + "prefLabel", _lit(name), V.ENTITIES_GRAPH)
        for alias in aliases:
            q(entity, V.SKOS + "altLabel", _lit(alias), V.ENTITIES_GRAPH)
    return "\n".join(lines) + "\n"


def write_store(path: Path) -> Path:
    """A cheguKG store directory holding :func:`small_graph_nquads`, written as a build does."""
    import pyoxigraph

    from cheguKG.store import Store

    by_graph: dict[str, list] = {}
    for quad in pyoxigraph.parse(small_graph_nquads().encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, []).append(quad)
    with Store.open(path) as store:
        for source in ARTICLES:
            store.replace_article(source, by_graph[V.graph_iri(source)], f"hash-{source}")
        store.replace_entities(by_graph[V.ENTITIES_GRAPH])
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("kg") / "store")


@pytest.fixture(scope="module")
def client(store_dir):
    from starlette.testclient import TestClient

    from cheguKG.server import create_app

    with TestClient(create_app(store_dir, workers=1)) as c:
        yield c


@pytest.fixture(scope="module")
def strict(store_dir):
    """An app with tight limits: 1.5 s per query, 5 rows, 2 kB bodies."""
    from starlette.testclient import TestClient

    from cheguKG.server import create_app

    with TestClient(create_app(store_dir, workers=1, query_timeout=1.5, max_rows=5, max_body=2000)) as c:
        yield c


SELECT_LABELS = f"SELECT ?e ?label WHERE {{ ?e <{V.SKOS}prefLabel> ?label }} ORDER BY ?label"
ASK_PERSON = f"ASK {{ <{PERSON}> a <{CG}Person> }}"
CONSTRUCT_FACTS = f"CONSTRUCT {{ ?s <{CG}locatedIn> ?o }} WHERE {{ ?s <{CG}locatedIn> ?o }}"
DESCRIBE_PERSON = f"DESCRIBE <{PERSON}>"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def _labels_from(content_type: str, body: bytes) -> list[str]:
    """The ?label column of SELECT_LABELS, read back from any result format."""
    text = body.decode("utf-8")
    if content_type.startswith("application/sparql-results+json"):
        return [b["label"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if content_type.startswith("application/sparql-results+xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(text)
        return [b.find("r:literal", ns).text for b in root.iterfind(".//r:binding[@name='label']", ns)]
    if content_type.startswith("text/csv"):
        return [row["label"] for row in csv.DictReader(io.StringIO(text))]
    if content_type.startswith("text/tab-separated-values"):
        rows = [line.split("\t") for line in text.splitlines()]
        assert rows[0] == ["?e", "?label"]
        return [json.loads(r[1].rsplit("@", 1)[0]) for r in rows[1:]]
    raise AssertionError(content_type)


EXPECTED_LABELS = sorted(name for _t, name, _a in LABELS.values())

SELECT_FORMATS = [  # (Accept header, format parameter, expected content type)
    ("application/sparql-results+json", None, "application/sparql-results+json"),
    ("application/json", None, "application/sparql-results+json"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("*/*", None, "application/sparql-results+json"),
    (None, None, "application/sparql-results+json"),
    ("text/html;q=0.9, text/csv;q=0.5", None, "text/csv"),
    (None, "xml", "application/sparql-results+xml"),
    (None, "tsv", "text/tab-separated-values"),
    ("text/csv", "json", "application/sparql-results+json"),
]


@pytest.mark.parametrize("accept, fmt, expected", SELECT_FORMATS)
def test_server_select_in_every_format(client, accept, fmt, expected):
    params = {"query": SELECT_LABELS} | ({"format": fmt} if fmt else {})
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)
    assert sorted(_labels_from(response.headers["content-type"], response.content)) == EXPECTED_LABELS


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_server_accepts_get_form_and_direct_post(client, how):
    if how == "get":
        response = client.get("/sparql", params={"query": ASK_PERSON})
    elif how == "form":
        response = client.post("/sparql", data={"query": ASK_PERSON})
    else:
        response = client.post("/sparql", content=ASK_PERSON.encode(),
                               headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("accept, expected", [("application/sparql-results+xml", "<boolean>true</boolean>"),
                                              ("text/csv", "true"), ("text/tab-separated-values", "true")])
def test_server_ask_in_other_formats(client, accept, expected):
    response = client.get("/sparql", params={"query": ASK_PERSON}, headers={"Accept": accept})
    assert response.status_code == 200 and expected in response.text


GRAPH_FORMATS = [  # (Accept, format parameter, content type, pyoxigraph format name)
    ("text/turtle", None, "text/turtle", "TURTLE"),
    ("application/n-triples", None, "application/n-triples", "N_TRIPLES"),
    ("application/ld+json", None, "application/ld+json", "JSON_LD"),
    (None, None, "text/turtle", "TURTLE"),
    (None, "jsonld", "application/ld+json", "JSON_LD"),
    (None, "nt", "application/n-triples", "N_TRIPLES"),
]


@pytest.mark.parametrize("query", [CONSTRUCT_FACTS, DESCRIBE_PERSON])
@pytest.mark.parametrize("accept, fmt, expected, parse_as", GRAPH_FORMATS)
def test_server_graph_results_in_every_format(client, query, accept, fmt, expected, parse_as):
    import pyoxigraph

    params = {"query": query} | ({"format": fmt} if fmt else {})
    response = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)
    triples = list(pyoxigraph.parse(response.content, format=getattr(pyoxigraph.RdfFormat, parse_as)))
    if query == CONSTRUCT_FACTS:
        assert {(t.subject.value, t.object.value) for t in triples} == {(COMPANY, ZONE)}
    else:
        assert triples and all(t.subject.value == PERSON for t in triples)


def test_server_csv_escapes_and_keeps_chinese(client):
    query = f'SELECT ?t WHERE {{ <{V.article_iri("a1.txt")}> <{V.DCT}title> ?t }}'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(response.text))) == [["t"], [ARTICLES["a1.txt"][0]]]


ERRORS = [  # (request kwargs, status, title)
    ({"params": {"query": "SELEC ?x WHERE {"}}, 400, "Malformed query"),
    ({"params": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}}, 403, "Updates are not allowed"),
    ({"params": {"query": "PREFIX x: <http://x/>\n# c\nDELETE WHERE { ?s ?p ?o }"}}, 403, "Updates are not allowed"),
    ({"params": {"update": "CLEAR ALL"}}, 403, "Updates are not allowed"),
    ({"params": {"query": ASK_PERSON, "format": "yaml"}}, 400, "Unknown format"),
    ({"params": {"query": ASK_PERSON}, "headers": {"Accept": "image/png"}}, 406, "Not acceptable"),
    ({"params": {"query": ASK_PERSON, "format": "turtle"}}, 406, "Format not available for this query"),
    ({"params": {}}, 400, "Missing query"),
]


@pytest.mark.parametrize("kwargs, status, title", ERRORS)
def test_server_errors_have_one_json_shape(client, kwargs, status, title):
    response = client.get("/sparql", **kwargs)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["title"] == title and error["detail"]


@pytest.mark.parametrize("content_type, body", [
    ("application/sparql-update", b"CLEAR ALL"),
    ("application/x-www-form-urlencoded", b"update=CLEAR+ALL"),
])
def test_server_refuses_posted_updates(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 403
    assert response.json()["error"]["title"] == "Updates are not allowed"
    assert client.get("/sparql", params={"query": ASK_PERSON}).json()["boolean"] is True


def test_server_unknown_path_and_content_type_have_the_json_shape(client):
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404
    odd = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert odd.status_code == 415 and odd.json()["error"]["title"] == "Unsupported content type"


def test_server_stops_a_query_over_the_time_limit_and_keeps_serving(strict):
    response = strict.get("/sparql", params={"query": SLOW_QUERY})
    assert response.status_code == 400
    assert response.json()["error"]["title"] == "Query timeout"
    after = strict.get("/sparql", params={"query": ASK_PERSON})
    assert after.status_code == 200 and after.json()["boolean"] is True


def test_server_refuses_a_body_over_the_limit(strict):
    query = SELECT_LABELS + "#" + "x" * 3000
    response = strict.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.json()["error"]["title"] == "Request body too large"
    assert strict.post("/sparql", data={"query": ASK_PERSON}).json()["boolean"] is True


@pytest.mark.parametrize("query, kind", [("SELECT * WHERE { ?s ?p ?o }", "rows"),
                                         ("CONSTRUCT WHERE { ?s ?p ?o }", "triples")])
def test_server_cuts_results_at_the_row_limit(strict, query, kind):
    import pyoxigraph

    response = strict.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    if kind == "rows":
        assert len(response.json()["results"]["bindings"]) == 5
    else:
        assert len(list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE))) == 5


def test_server_small_results_are_not_marked_truncated(strict):
    response = strict.get("/sparql", params={"query": ASK_PERSON})
    assert "x-result-truncated" not in response.headers


def test_server_default_and_named_graph_parameters(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = client.get("/sparql", params={"query": count}).json()
    only_entities = client.get("/sparql", params={"query": count, "default-graph-uri": V.ENTITIES_GRAPH}).json()
    n_union = int(union["results"]["bindings"][0]["n"]["value"])
    n_entities = int(only_entities["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_entities < n_union


def test_server_cors_on_answers_and_preflight(client):
    response = client.get("/sparql", params={"query": ASK_PERSON}, headers={"Origin": "http://yasgui.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "http://yasgui.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    error = client.get("/sparql", params={"query": "SELEC"}, headers={"Origin": "http://yasgui.example"})
    assert error.headers["access-control-allow-origin"] == "*"


def test_server_index_page_and_assets_are_local(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for asset in ("app.js", "style.css"):
        assert client.get(f"/static/{asset}").status_code == 200
    assert client.get("/static/..%2Fserver.py").status_code == 404


def test_server_lists_queries_for_the_editor(client):
    queries = client.get("/queries.json").json()
    assert queries and all(isinstance(text, str) and text.strip() for text in queries.values())


def test_server_entity_page_html_escapes_article_text(client):
    response = client.get("/entity", params={"iri": PERSON}, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1 id=\"label\">卢放</h1>" in page
    assert "岚图汽车" in page and "holdsPositionIn" in page  # relation out, with the object's label
    assert "<script>" not in page and "&lt;script&gt;" in page  # the sentence, escaped
    assert 'href="http://example.org/news/a1"' in page  # link to the article


def test_server_entity_page_shows_aliases_and_incoming_relations(client):
    page = client.get("/entity", params={"iri": ZONE}).text
    assert "经开区" in page and "中国车谷" in page
    assert quote(COMPANY, safe="") in page  # located_in from the company points here


def test_server_entity_turtle_by_content_negotiation(client):
    import pyoxigraph

    response = client.get("/entity", params={"iri": COMPANY}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE))
    assert any(t.subject.value == COMPANY and t.object.value == ZONE for t in triples)
    assert any(t.object.value == COMPANY and t.subject.value == PERSON for t in triples)


def test_server_entity_under_id_path(client):
    path = "/id/" + COMPANY[len(CGR):]
    assert "岚图汽车" in client.get(path).text
    assert client.get(path, params={"format": "nt"}).headers["content-type"].startswith("application/n-triples")


@pytest.mark.parametrize("iri, status", [("https://w3id.org/chegukg/id/person/nobody", 404),
                                         ("http://x/<script>", 400)])
def test_server_entity_errors(client, iri, status):
    response = client.get("/entity", params={"iri": iri})
    assert response.status_code == status and response.json()["error"]["status"] == status


@pytest.mark.parametrize("args, words", [
    (["serve", "--store", "/nonexistent/store"], "no store here"),
    (["push", "--endpoint", "http://127.0.0.1:1/store", "--store", "/nonexistent/store"], "no store here"),
    (["push", "--endpoint", "http://127.0.0.1:1/store", "--user", "u"], "--user and --password go together"),
])
def test_server_cli_errors_are_one_line(args, words):
    from click.testing import CliRunner

    from cheguKG.cli import main

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output
