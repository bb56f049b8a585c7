"""query: run_query, formatters, the competency queries and the query/export/remove CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdf_docs import make_doc

from cheguKG import vocab as V
from cheguKG.cli import main
from cheguKG.errors import QueryError
from cheguKG.graph import doc_quads, entity_quads, local_iris
from cheguKG.query import (bind_values, competency_queries, describe_queries, format_rows, resolve_query,
                           run_query)
from cheguKG.store import Store
from cheguKG.types import CanonicalEntity

SEED_QUERIES = ("people", "meetings", "adoptions", "enterprises", "entity", "provenance")


@pytest.fixture(scope="module")
def store() -> Store:
    """Two hand-made articles (one with a year) and a canonical entities graph."""
    store = Store.in_memory()
    docs = [make_doc("a.txt", url="http://www.whkfq.gov.cn/a.html", published="2023-12-11"),
            make_doc("b.txt")]
    for doc in docs:
        store.replace_article(doc.article.source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    store.replace_entities(entity_quads([CanonicalEntity(V.entity_iri("Enterprise", "岚图汽车"), "Enterprise",
                                                         "岚图汽车", ("岚图",), (("a.txt", "E1"),))]))
    return store


def _rows(store, query_name: str, **binds) -> list[dict]:
    sparql = competency_queries()[query_name]
    if binds:
        sparql = bind_values(sparql, **binds)
    variables, rows = run_query(store, sparql)
    return [dict(zip(variables, row)) for row in rows]


def test_query_competency_queries_are_all_there():
    assert set(SEED_QUERIES) <= set(competency_queries())
    assert all(describe_queries()[name] for name in SEED_QUERIES)  # each starts with a comment


def test_query_people_and_their_posts(store):
    rows = _rows(store, "people")
    assert [(r["name"], r["title"], r["organization_name"], r["articles"]) for r in rows] == [
        ("卢放", "CEO", "岚图汽车", 2)]


def test_query_meetings_by_date_with_convener(store):
    rows = _rows(store, "meetings")
    assert [(r["name"], r["date"], r["convener_name"]) for r in rows] == [
        ("市委常委会会议", "--12-09", "市委常委会"), ("市委常委会会议", "2023-12-09", "市委常委会")]


def test_query_adoptions(store):
    rows = _rows(store, "adoptions")
    assert {(r["adopter_name"], r["adopter_type"], r["policy_name"]) for r in rows} == {
        ("市委常委会会议", "Meeting", "《关于支持武汉经开区转型发展的若干措施》")}
    assert all("审议通过" in r["sentence"] for r in rows)


def test_query_enterprises_by_industry(store):
    rows = _rows(store, "enterprises")
    assert [(r["industry_name"], r["enterprise_name"]) for r in rows] == [
        ("新能源汽车", "岚图汽车"), ("氢能", "武汉绿动氢能能源技术有限公司")]


@pytest.mark.parametrize("name, expected", [
    ("岚图", {("in", V.PROPERTY_OF_RELATION["holds_position"], "卢放"),
             ("out", V.PROPERTY_OF_RELATION["in_industry"], "新能源汽车"),
             ("mention", V.HAS_MENTION, "岚图汽车")}),  # found by its alias
    ("卢放", {("out", V.PROPERTY_OF_RELATION["holds_position"], "岚图汽车"),
             ("out", V.PROPERTY_OF_RELATION["comments_on"], "市委常委会会议"),
             ("mention", V.HAS_MENTION, "卢放")}),
    ("没有这个人", set()),
])
def test_query_everything_about_one_entity(store, name, expected):
    rows = _rows(store, "entity", name=name)
    assert {(r["direction"], r["relation"], r["other_name"]) for r in rows} == expected
    assert all(r["sentence"] for r in rows)


def test_query_provenance_of_every_fact(store):
    rows = _rows(store, "provenance")
    docs = {"a.txt": make_doc("a.txt"), "b.txt": make_doc("b.txt")}
    assert len(rows) == sum(len(d.relations) for d in docs.values())
    for r in rows:
        assert docs[r["source"]].article.text[r["start"]:r["end"]] == r["sentence"]
        assert r["extractor"] == "rules"
        if r["source"] == "a.txt":
            assert (r["url"], r["date"]) == ("http://www.whkfq.gov.cn/a.html", "2023-12-11")
        else:
            assert r["url"] is None and r["date"] is None


def test_query_prefixes_need_no_declaration(store):
    variables, rows = run_query(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a cg:Person ; rdfs:label ?l }")
    assert (variables, rows) == (["n"], [(1,)])


def test_query_union_default_graph_and_named_graphs(store):
    _, rows = run_query(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p a cg:Person } } ORDER BY ?g")
    assert rows == [(V.graph_iri("a.txt"),), (V.graph_iri("b.txt"),)]


def test_query_ask_and_construct(store):
    assert run_query(store, "ASK { ?m cg:heldOn ?d }") == (["ask"], [(True,)])
    variables, rows = run_query(store, "CONSTRUCT { ?m cg:convenedBy ?g } WHERE { ?m cg:convenedBy ?g }")
    assert variables == ["subject", "predicate", "object"] and len(rows) == 1


def test_query_raw_keeps_terms(store):
    _, rows = run_query(store, "SELECT ?d WHERE { ?m cg:heldOn ?d } ORDER BY ?d LIMIT 1", raw=True)
    assert rows[0][0].datatype.value == V.XSD + "gMonthDay"


FORMAT_CASES = [
    ("csv", "name,n\n卢放,1\n,"),
    ("json", json.dumps([{"name": "卢放", "n": 1}, {"name": None, "n": None}], ensure_ascii=False, indent=1)),
]


@pytest.mark.parametrize("fmt, expected", FORMAT_CASES)
def test_query_formats(fmt, expected):
    assert format_rows(["name", "n"], [("卢放", 1), (None, None)], fmt) == expected


def test_query_table_aligns_wide_characters_and_shortens_iris():
    table = format_rows(["who", "n"], [(V.entity_iri("Person", "卢放"), 1), ("ab", 22)], "table")
    lines = table.splitlines()
    assert lines[2].startswith("cgr:person/卢放 | 1")
    assert lines[3].index("|") == len("ab") + 14  # 卢放 counts two columns each
    assert lines[-1] == "(2 rows)"


def test_query_unknown_format():
    with pytest.raises(QueryError, match="unknown format"):
        format_rows(["x"], [], "xml")


RESOLVE_CASES = [
    ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }"),
    ("people", competency_queries()["people"]),
]


@pytest.mark.parametrize("text, expected", RESOLVE_CASES)
def test_query_resolve_query(text, expected):
    assert resolve_query(text) == expected


def test_query_resolve_query_from_file(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(f"@{path}") == "ASK { ?s ?p ?o }"


@pytest.mark.parametrize("text, message", [("peple", "neither SPARQL nor a known query"),
                                           ("@/no/such.rq", "no such query file")])
def test_query_resolve_query_errors(text, message):
    with pytest.raises(QueryError, match=message):
        resolve_query(text)


def test_query_bind_values_needs_a_values_line():
    with pytest.raises(QueryError, match="VALUES"):
        bind_values("SELECT * { ?s ?p ?o }", name="卢放")


def test_query_bind_values_escapes_quotes():
    assert bind_values('VALUES ?name { "x" }', name='a"b') == 'VALUES ?name { "a\\"b" }'


# ---------------------------------------------------------------- the CLI
@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    with Store.open(path) as store:
        for source in ("a.txt", "b.txt"):
            doc = make_doc(source)
            store.replace_article(source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    return path


@pytest.mark.parametrize("args, expected", [
    (["people"], "卢放"),
    (["entity", "--bind", "name=卢放", "--format", "csv"], "cg:holdsPositionIn"),
    (["SELECT ?n WHERE { ?a cg:sourceName ?n } ORDER BY ?n", "--format", "json"], '"n": "a.txt"'),
])
def test_query_cli_query(store_dir, args, expected):
    result = CliRunner().invoke(main, ["query", *args, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert expected in result.output or expected.replace("cg:", V.CG) in result.output


@pytest.mark.parametrize("args, message", [
    (["people", "--store", "/no/such/store"], "no store at /no/such/store: run chegukg build first"),
    (["SELECT ?x {"], "malformed SPARQL"),
    (["entity", "--bind", "name"], "VAR=VALUE"),
])
def test_query_cli_errors_are_one_line(store_dir, args, message):
    result = CliRunner().invoke(main, ["query", *args] + ([] if "--store" in args else ["--store", str(store_dir)]))
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_query_cli_export(store_dir, tmp_path, fmt):
    out = tmp_path / "graph.out"
    result = CliRunner().invoke(main, ["export", "--store", str(store_dir), "-o", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_query_cli_remove(tmp_path):
    path = tmp_path / "store"
    with Store.open(path) as store:
        doc = make_doc("a.txt")
        store.replace_article("a.txt", doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    runner = CliRunner()
    missing = runner.invoke(main, ["remove", "zz.txt", "--store", str(path)])
    assert missing.exit_code == 1 and "zz.txt: not in the store" in missing.output
    result = runner.invoke(main, ["remove", "a.txt", "--store", str(path)])
    assert result.exit_code == 0, result.output
    with Store.open(path, read_only=True) as store:
        assert len(store) == 0


# ---------------------------------------------------------------- the real seed
@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from cheguKG.extract import ExtractConfig, extract
    from cheguKG.ingest import iter_articles
    from cheguKG.resources import default_corpus

    store = Store.in_memory()
    for article in iter_articles([default_corpus()], lambda e: None, None):
        doc = extract(article, ExtractConfig())
        store.replace_article(article.source, doc_quads(doc, local_iris(doc)), article.content_hash)
    return store


def test_query_seed_lu_fang_is_ceo_of_voyah(seed_store):
    rows = _rows(seed_store, "people")
    assert any(r["name"] == "卢放" and r["title"] == "CEO" and "岚图汽车" in r["organization_name"] for r in rows), rows


def test_query_seed_standing_committee_meeting_on_12_09(seed_store):
    rows = _rows(seed_store, "meetings")
    assert any("市委常委会" in (r["name"] or "") and (r["date"] or "").endswith("12-09") for r in rows), rows


def test_query_seed_meeting_adopted_the_measures(seed_store):
    rows = _rows(seed_store, "adoptions")
    policy = "关于支持武汉经开区转型发展的若干措施"
    assert any(policy in (r["policy_name"] or "") and "市委常委会" in (r["adopter_name"] or "")
               for r in rows), rows


def test_query_seed_provenance_runs(seed_store):
    rows = _rows(seed_store, "provenance")
    assert rows and all(r["sentence"] and r["extractor"] and r["source"] for r in rows)


def test_query_cli_validate(store_dir):
    result = CliRunner().invoke(main, ["validate", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "conform to the shapes" in result.output


def test_query_cli_validate_fails_on_a_broken_store(tmp_path):
    path = tmp_path / "store"
    doc = make_doc("a.txt")
    with Store.open(path) as store:
        store.replace_article("a.txt", [q for q in doc_quads(doc, local_iris(doc))
                                        if q.predicate.value != V.SENTENCE_TEXT], "h")
    result = CliRunner().invoke(main, ["validate", "--store", str(path)])
    assert result.exit_code == 1 and "does not conform" in result.output


@pytest.mark.parametrize("value, expected", [
    ("卢放", 'VALUES ?e { "卢放" }'),
    ("https://w3id.org/chegukg/id/person/卢放", "VALUES ?e { <https://w3id.org/chegukg/id/person/卢放> }"),
    ("<https://w3id.org/chegukg/id/person/卢放>", "VALUES ?e { <https://w3id.org/chegukg/id/person/卢放> }"),
])
def test_query_bind_values_strings_and_iris(value, expected):
    assert bind_values("VALUES ?e { <urn:x> }", e=value) == expected


@pytest.mark.slow
def test_query_seed_answers_through_the_real_build(tmp_path):
    """The issue's "done when": the built store (with entity resolution) answers the
    competency queries with the seed's facts and passes the shapes."""
    from cheguKG.builder import build
    from cheguKG.graph import validate

    build(None, out=tmp_path, jobs=1, progress=False, html=False, dump=False)
    with Store.open(tmp_path / "store", read_only=True) as built:
        people = _rows(built, "people")
        meetings = _rows(built, "meetings")
        adoptions = _rows(built, "adoptions")
        ok, report = validate(built, per_graph=True)
    assert any(r["name"] == "卢放" and r["title"] == "CEO" and "岚图汽车" in r["organization_name"]
               for r in people), people
    assert any("市委常委会" in (r["name"] or "") and (r["date"] or "").endswith("12-09") for r in meetings)
    assert any("关于支持武汉经开区转型发展的若干措施" in (r["policy_name"] or "")
               and "市委常委会" in (r["adopter_name"] or "") for r in adoptions), adoptions
    assert ok, report
