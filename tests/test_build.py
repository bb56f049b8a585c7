"""The main job: build into out/, bad inputs, incremental rebuilds, a whole corpus as one graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cheguKG.builder import build, explain
from cheguKG.cli import main
from cheguKG.extract import ExtractConfig
from cheguKG.resolve import ResolverState
from cheguKG.store import Store

from conftest import SEED

FAST = ExtractConfig(use_ner=False)


def hashes(out: Path) -> dict[str, str]:
    store = Store.open(out / "store", read_only=True)
    try:
        return store.article_hashes()
    finally:
        store.close()


def jsonl_sources(out: Path) -> list[str]:
    with open(out / "extraction.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["source"] for line in fh]


@pytest.fixture
def stable_code(monkeypatch):
    """Pin the extraction fingerprint to the settings alone: in a shared working tree someone
    may edit extraction code between two builds of a test, which rightly rebuilds everything."""
    from cheguKG import builder as build_module

    monkeypatch.setattr(build_module, "_fingerprint", lambda config, digest: f"{config.use_ner}:{digest}")


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    report = build(None, out=out, config=FAST, html=False)
    assert report.ok and report.built == 1
    return out


def test_build_default_builds_the_seed(seed_out):
    assert (seed_out / "store" / "HEAD").is_file()
    assert jsonl_sources(seed_out) == [SEED.name]
    assert list(hashes(seed_out)) == [SEED.name]
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(seed_out / "graph.trig", format="trig")
    assert len(ds) > 0


def test_build_summary_lists_counts_and_stages(tmp_path):
    report = build([SEED], out=tmp_path / "out", config=FAST, html=False)
    text = report.summary()
    assert "built 1 article" in text and "entities (" in text and "time:" in text
    assert sum(report.entities.values()) > 0 and report.stage_seconds["resolve"] >= 0


def test_build_rebuild_skips_unchanged_and_replaces_changed(tmp_path, stable_code):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "b.txt").write_text(text.replace("岚图", "东风"), encoding="utf-8")
    out = tmp_path / "out"
    assert build([corpus], out=out, config=FAST, html=False).built == 2
    again = build([corpus], out=out, config=FAST, html=False)
    assert (again.built, again.skipped) == (0, 2)
    before = hashes(out)
    (corpus / "b.txt").write_text(text.replace("岚图", "小鹏"), encoding="utf-8")
    changed = build([corpus], out=out, config=FAST, html=False)
    assert (changed.built, changed.skipped) == (1, 1)
    after = hashes(out)
    assert after["a.txt"] == before["a.txt"] and after["b.txt"] != before["b.txt"]
    assert sorted(jsonl_sources(out)) == ["a.txt", "b.txt"]
    store = Store.open(out / "store", read_only=True)
    try:  # nothing of the old version is left in the article's graph
        from cheguKG.vocab import graph_iri

        quads = store.quads(graph_iri("b.txt"))
        assert quads and not any("东风" in str(q) for q in quads)
        assert any("小鹏" in str(q) for q in quads)
    finally:
        store.close()


def bad_corpus(root: Path) -> tuple[Path, dict[str, str]]:
    """A folder of good and bad inputs; returns it and {file name: expected problem}."""
    corpus = root / "inputs"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (corpus / "good.txt").write_text(text, encoding="utf-8")
    (corpus / "gbk.txt").write_bytes(text.replace("岚图", "东风").encode("gbk", errors="replace"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "records.jsonl").write_text(
        json.dumps({"id": "rec1", "text": "12月9日,武汉经开区召开党工委会议。"}, ensure_ascii=False)
        + "\n{not json\n", encoding="utf-8")
    return corpus, {"empty.txt": "empty", "binary.txt": "binary", "records.jsonl:2": "JSON",
                    "missing.txt": "no such file"}


def test_build_cli_bad_inputs_reported_others_built(tmp_path):
    corpus, problems = bad_corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), str(tmp_path / "missing.txt"), "--out", str(out),
                                       "--no-ner", "--no-html", "--no-progress"])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(problems)
    for name, problem in problems.items():
        assert any(name in line and problem in line for line in errors), (name, errors)
    assert set(hashes(out)) == {"good.txt", "gbk.txt", "rec1"}  # the GBK file is built


def test_build_failed_run_leaves_previous_out_intact(tmp_path, seed_out):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    trig = (out / "graph.trig").read_bytes()
    lines = (out / "extraction.jsonl").read_bytes()
    corpus, _ = bad_corpus(tmp_path)
    for name in ("good.txt", "gbk.txt", "records.jsonl"):
        (corpus / name).unlink()
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--no-ner", "--no-progress"])
    assert result.exit_code == 1
    assert list(hashes(out)) == [SEED.name]
    assert (out / "graph.trig").read_bytes() == trig and (out / "extraction.jsonl").read_bytes() == lines


def test_build_crash_midway_keeps_previous_store(tmp_path, seed_out, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    lines = (out / "extraction.jsonl").read_bytes()
    from cheguKG import graph

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(graph, "doc_template", broken)  # the build's graph step (in the worker)
    corpus = tmp_path / "more"
    corpus.mkdir()
    (corpus / "x.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RuntimeError):
        build([corpus], out=out, config=FAST, html=False)
    assert list(hashes(out)) == [SEED.name]
    assert (out / "extraction.jsonl").read_bytes() == lines
    monkeypatch.undo()
    report = build([corpus], out=out, config=FAST, html=False)
    assert report.built == 1 and set(hashes(out)) == {SEED.name, "x.txt"}
    assert sorted(jsonl_sources(out)) == sorted([SEED.name, "x.txt"])


def test_build_parallel_equals_serial(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i, company in enumerate(("岚图", "东风", "小鹏", "小米")):
        (corpus / f"{i}.txt").write_text(text.replace("岚图", company), encoding="utf-8")
    serial = build([corpus], out=tmp_path / "one", config=FAST, html=False, dump=False)
    parallel = build([corpus], out=tmp_path / "two", jobs=2, config=FAST, html=False, dump=False, chunk_size=1)
    assert serial.built == parallel.built == 4
    assert hashes(tmp_path / "one") == hashes(tmp_path / "two")
    assert serial.entities == parallel.entities and serial.relations == parallel.relations


def test_build_cli_explain(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--no-ner", "--no-html", "--explain", "武汉"])
    assert result.exit_code == 0, result.output
    assert "武汉" in result.output and "articles:" in result.output


# --------------------------------------------------------------------------- the dev corpus


@pytest.fixture(scope="module")
def dev_out(dev_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dev") / "out"
    report = build([dev_dir / "articles"], out=out, jobs=2, config=FAST, html=False, dump=False)
    assert report.built == len(list((dev_dir / "articles").glob("*.txt")))
    return out


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("name,type_", [("岚图汽车", "Enterprise"), ("武汉经开区", "Place")])
def test_build_dev_corpus_one_node_per_entity(dev_out, name, type_):
    state = ResolverState.open(dev_out / "resolver.sqlite")
    try:
        found = [e for e in state.explain(name) if e.type == type_]
        assert len(found) == 1, [e.iri for e in found]
        ent = found[0]
        assert len({s for s, _ in ent.members}) >= 2
        assert ent.aliases
    finally:
        state.close()
    assert name in explain(name, dev_out)


@pytest.mark.slow
@pytest.mark.shared
def test_build_dev_corpus_keeps_same_name_people_apart(dev_out):
    """No canonical person joins members whose organisations are known and disjoint."""
    state = ResolverState.open(dev_out / "resolver.sqlite")
    try:
        orgs: dict[tuple[str, str], set[str]] = {}
        with open(dev_out / "extraction.jsonl", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                iri_of = state.members_of(rec["source"])
                for r in rec["relations"]:
                    if r["relation"] == "holds_position" and r.get("tail") in iri_of:
                        if "@" not in iri_of[r["tail"]]:  # 工委@d029.txt: which 工委 is unknown
                            orgs.setdefault((rec["source"], r["head"]), set()).add(iri_of[r["tail"]])
        people = [e for e in state.entities() if e.type == "Person"]
        checked = 0
        for person in people:
            known = [orgs[m] for m in person.members if orgs.get(m)]
            if len(known) < 2:
                continue
            checked += 1
            # members are one person only if shared organisations chain them all together
            reach, todo = set(), [0]
            while todo:
                i = todo.pop()
                if i not in reach:
                    reach.add(i)
                    todo.extend(j for j in range(len(known)) if j not in reach and known[i] & known[j])
            assert len(reach) == len(known), (person.name, person.members)
        assert checked > 0  # some people of the corpus do appear in several articles with posts
    finally:
        state.close()


def test_build_entities_graph_has_canonical_labels_and_aliases(seed_out):
    store = Store.open(seed_out / "store", read_only=True)
    try:
        rows = list(store.query(
            "SELECT ?e ?pref ?alt WHERE { GRAPH cgr:graph\\/_entities { ?e skos:prefLabel ?pref ; "
            "skos:altLabel ?alt } }"))
    finally:
        store.close()
    assert rows, "no entity of the seed has an alias in the entities graph"
    labels = {(r["pref"].value, r["alt"].value) for r in rows}
    assert any("经开区" in alt and "武汉经开区" in pref for pref, alt in labels), labels


def test_build_rebuild_does_not_parse_unchanged_json_lines(tmp_path, stable_code, monkeypatch):
    from cheguKG import ingest

    records = [{"id": f"r{i}", "text": f"{i + 1}月9日,武汉经开区召开党工委会议。"} for i in range(3)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    assert build([corpus], out=out, config=FAST, html=False).built == 3
    parsed = []
    real = ingest.article_from_record
    monkeypatch.setattr(ingest, "article_from_record", lambda rec, where: parsed.append(where) or real(rec, where))
    records[1]["text"] += "岚图汽车参加。"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report = build([corpus], out=out, config=FAST, html=False)
    assert (report.built, report.skipped) == (1, 2)
    assert parsed == [f"{corpus}:2"]


def test_build_notices_a_store_changed_behind_its_back(tmp_path, stable_code):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "b.txt").write_text(text.replace("岚图", "东风"), encoding="utf-8")
    out = tmp_path / "out"
    build([corpus], out=out, config=FAST, html=False, dump=False)
    store = Store.open(out / "store")
    assert store.remove_article("b.txt")
    store.close()
    report = build([corpus], out=out, config=FAST, html=False, dump=False)
    assert (report.built, report.skipped) == (1, 1)
    assert set(hashes(out)) == {"a.txt", "b.txt"}


def test_build_changed_lexicon_rebuilds_unchanged_articles(tmp_path):
    lexicon = tmp_path / "extra.tsv"
    lexicon.write_text("# type\tname\taliases\nEnterprise\t岚图汽车\t岚图\n", encoding="utf-8")
    config = ExtractConfig(lexicons=(lexicon,), use_ner=False)
    out = tmp_path / "out"
    assert build([SEED], out=out, config=config, html=False, dump=False).built == 1
    lexicon.write_text("# type\tname\taliases\nEnterprise\t岚图汽车\t岚图|岚图公司\n", encoding="utf-8")
    again = build([SEED], out=out, config=config, html=False, dump=False)
    assert again.built == 1 and any("built again" in note for note in again.notes)


def test_build_remove_keeps_store_state_and_records_in_step(tmp_path):
    """Removing an article drops its graph, its resolver members and its extraction record;
    a rebuild of the same input then builds it again (nothing stale says it is still there)."""
    from cheguKG.builder import remove
    from cheguKG.resolve import ResolverState
    from cheguKG.store import Store

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("岚图汽车CEO卢放表示,将加快新能源汽车发展。", encoding="utf-8")
    (corpus / "b.txt").write_text("2024年5月6日,武汉经开区召开党工委会议。", encoding="utf-8")
    out = tmp_path / "out"
    build([corpus], out=out, progress=False)
    assert remove(["a.txt", "nope.txt"], out) == ["nope.txt"]
    with Store.open(out / "store", read_only=True) as store:
        assert set(store.article_hashes()) == {"b.txt"}
    state = ResolverState.open(out / "resolver.sqlite")
    try:
        assert "a.txt" not in state.sources()
    finally:
        state.close()
    records = (out / "extraction.jsonl").read_text(encoding="utf-8")
    assert '"a.txt"' not in records and '"b.txt"' in records
    assert build([corpus], out=out, progress=False).built == 1
