"""The Python facade: build, open, query, tables, graphs, add/remove, export."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import cheguKG
from cheguKG.errors import QueryError, StoreError


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "out"
    return cheguKG.build(out=out)


def test_api_import_is_light():
    code = "import sys, cheguKG; print(sorted(m for m in ('jieba','pyoxigraph','pandas','pyvis','rdflib') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_api_open_needs_a_store(tmp_path):
    with pytest.raises(StoreError, match="chegukg build"):
        cheguKG.open(tmp_path)


def test_api_query_rows_and_dataframe(kg):
    rows = kg.query("SELECT ?n WHERE { ?e a cg:Person ; skos:prefLabel ?n } ORDER BY ?n")
    names = [r["n"] for r in rows]
    assert "卢放" in names
    df = kg.query_df("people")
    assert len(df) >= len(set(names)) - 1 and "卢放" in df.to_string()


def test_api_entities_by_type(kg):
    firms = kg.entities(type="Enterprise")
    assert set(firms["type"]) == {"Enterprise"}
    assert any(n.startswith("岚图") for n in firms["name"])
    with pytest.raises(QueryError, match="unknown entity type"):
        kg.entities(type="Company")


def test_api_facts_keep_sources(kg):
    facts = kg.facts("卢放")
    assert len(facts) >= 1
    assert facts["sentence"].str.contains("卢放").all() or facts["sentence"].str.contains("岚图").any()
    with pytest.raises(QueryError, match="no entity named"):
        kg.facts("不存在的名字")


def test_api_to_networkx_and_rdflib(kg):
    g = kg.to_networkx(types=["Person", "Enterprise"])
    assert {d["type"] for _, d in g.nodes(data=True)} <= {"Person", "Enterprise"}
    assert g.number_of_edges() >= 1
    ds = kg.to_rdflib()
    assert len(ds) > 100


def test_api_export_add_remove(kg, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(kg.out, out)
    local = cheguKG.open(out)
    path = local.export(tmp_path / "g.nq")
    assert path.stat().st_size > 0
    extra = tmp_path / "extra.txt"
    extra.write_text("2024年5月6日,武汉经开区召开党工委会议,审议通过《车谷人才十条》。", encoding="utf-8")
    report = local.add([extra])
    assert report.built == 1
    assert "extra.txt" in local.query_df("SELECT ?s { ?a cg:sourceName ?s }")["s"].tolist()
    assert local.remove("extra.txt") is True
    assert "extra.txt" not in local.query_df("SELECT ?s { ?a cg:sourceName ?s }")["s"].tolist()


def test_api_entities_count_articles_across_many_graphs(tmp_path):
    """An entity named in many articles: one row, its article count, the union of its
    aliases (the union default graph repeats its triples once per article graph)."""
    from cheguKG.ingest import read
    from cheguKG.resources import default_corpus

    seed = read(default_corpus())[0].text
    corpus = tmp_path / "c.jsonl"
    import json

    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": seed + f"第{i}篇。"}, ensure_ascii=False) + "\n"
                              for i in range(12)), encoding="utf-8")
    kg = cheguKG.build([corpus], out=tmp_path / "out")
    table = kg.entities()
    assert table["iri"].is_unique
    lantu = table[table["name"].str.startswith("岚图")].iloc[0]
    assert lantu["articles"] == 12 and lantu["type"] == "Enterprise"
    assert set(kg.entities(type="Person")["name"]) >= {"卢放"}
