"""store: a living, versioned, crash-safe pyoxigraph store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from rdf_docs import make_doc

from cheguKG import vocab as V
from cheguKG.errors import QueryError, StoreError
from cheguKG.graph import doc_quads, entity_quads, local_iris
from cheguKG.store import Store
from cheguKG.types import CanonicalEntity

TESTS = Path(__file__).resolve().parent


def _put(store: Store, source: str, **kwargs) -> int:
    doc = make_doc(source, **kwargs)
    quads = doc_quads(doc, local_iris(doc))
    store.replace_article(source, quads, doc.article.content_hash)
    return len(quads)


def _graph_size(store: Store, source: str) -> int:
    return len(store.quads(V.graph_iri(source)))


def _entities_of(docs) -> list[CanonicalEntity]:
    by_iri: dict[str, CanonicalEntity] = {}
    for doc in docs:
        for entity in doc.entities:
            iri = local_iris(doc)[entity.id]
            old = by_iri.get(iri)
            members = (old.members if old else ()) + ((doc.article.source, entity.id),)
            by_iri[iri] = CanonicalEntity(iri, entity.type, entity.name, entity.aliases, members, ("same name",))
    return list(by_iri.values())


@pytest.fixture
def store_dir(tmp_path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as store:
        for source in ("a.txt", "b.txt"):
            _put(store, source)
    return path


def test_store_replace_article_leaves_no_duplicates_or_stale_facts():
    store = Store.in_memory()
    full = _put(store, "a.txt")
    assert _put(store, "a.txt") == full and _graph_size(store, "a.txt") == full
    smaller = _put(store, "a.txt", drop=("R1", "T1"))
    assert _graph_size(store, "a.txt") == smaller < full
    assert not store.query("ASK { ?p a cg:Person }")


def test_store_replace_article_sets_the_content_hash():
    store = Store.in_memory()
    doc = make_doc("a.txt")
    store.replace_article("a.txt", doc_quads(doc, local_iris(doc)), "abc123")
    assert store.article_hashes() == {"a.txt": "abc123"}


def test_store_remove_article_takes_only_entities_no_other_article_mentions():
    store = Store.in_memory()
    _put(store, "a.txt")
    _put(store, "b.txt", drop=("R1",))  # 卢放 only in a.txt
    docs = [make_doc("a.txt"), make_doc("b.txt", drop=("R1",))]
    store.replace_entities(entity_quads(_entities_of(docs)))
    person = V.entity_iri("Person", "卢放")
    company = V.entity_iri("Enterprise", "岚图汽车")
    assert store.remove_article("a.txt") is True
    assert store.remove_article("a.txt") is False
    assert set(store.article_hashes()) == {"b.txt"}
    assert not store.query(f"ASK {{ <{person}> ?p ?o }}")
    assert store.query(f"ASK {{ GRAPH <{V.ENTITIES_GRAPH}> {{ <{company}> skos:prefLabel ?l }} }}")


def test_store_update_entities_rewrites_only_the_given_ones():
    store = Store.in_memory()
    docs = [make_doc("a.txt")]
    store.replace_entities(entity_quads(_entities_of(docs)))
    person = V.entity_iri("Person", "卢放")
    before = len(store.quads(V.ENTITIES_GRAPH))
    store.update_entities([person], entity_quads([CanonicalEntity(person, "Person", "卢放", ("卢总",))]))
    labels = {q.object.value for q in store.quads(V.ENTITIES_GRAPH) if q.subject.value == person}
    assert labels == {V.CG + "Person", "卢放", "卢总"}
    assert len(store.quads(V.ENTITIES_GRAPH)) == before  # +1 alias, -1 merge reason


def test_store_reader_sees_changes_only_after_commit(store_dir):
    reader = Store.open(store_dir, read_only=True)
    assert set(reader.article_hashes()) == {"a.txt", "b.txt"}
    with Store.open(store_dir) as writer:
        _put(writer, "c.txt")
        writer.remove_article("a.txt")
        assert set(reader.article_hashes()) == {"a.txt", "b.txt"}
        writer.commit()
        assert set(reader.article_hashes()) == {"b.txt", "c.txt"}
    reader.close()


def test_store_error_inside_with_keeps_the_previous_version(store_dir):
    with pytest.raises(KeyboardInterrupt), Store.open(store_dir) as writer:
        _put(writer, "c.txt")
        writer.remove_article("a.txt")
        raise KeyboardInterrupt
    with Store.open(store_dir, read_only=True) as reader:
        assert set(reader.article_hashes()) == {"a.txt", "b.txt"}
    assert not list(store_dir.glob("staging-*"))


def test_store_second_writer_is_refused_with_a_clear_message(store_dir):
    with Store.open(store_dir):
        with pytest.raises(StoreError, match=r"locked by another build \(pid \d+"):
            Store.open(store_dir)
        with Store.open(store_dir, read_only=True) as reader:  # readers are never refused
            assert len(reader) > 0


@pytest.mark.parametrize("read_only, create", [(True, True), (False, False)])
def test_store_missing_store_says_to_build(tmp_path, read_only, create):
    with pytest.raises(StoreError, match="no store at .*run chegukg build first"):
        Store.open(tmp_path / "nothing", read_only=read_only, create=create)
    assert not (tmp_path / "nothing").exists()


@pytest.mark.parametrize("read_only", [True, False])
def test_store_path_that_is_a_file(tmp_path, read_only):
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a store directory"):
        Store.open(tmp_path / "f", read_only=read_only)


def test_store_plain_pyoxigraph_directory_is_readable_not_writable(tmp_path):
    import pyoxigraph

    raw = pyoxigraph.Store(str(tmp_path / "raw"))
    raw.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p"),
                            pyoxigraph.Literal("o"), pyoxigraph.NamedNode("http://e/g")))
    raw.flush()
    del raw
    with Store.open(tmp_path / "raw", read_only=True) as store:
        assert len(store) == 1
    with pytest.raises(StoreError, match="plain pyoxigraph directory"):
        Store.open(tmp_path / "raw")


def test_store_new_empty_store_is_readable(tmp_path):
    Store.open(tmp_path / "s").close()
    with Store.open(tmp_path / "s", read_only=True) as reader:
        assert len(reader) == 0 and reader.article_hashes() == {}


def test_store_old_versions_are_collected_unless_read(store_dir):
    reader = Store.open(store_dir, read_only=True)
    held = reader._version
    for source in ("c.txt", "d.txt"):
        with Store.open(store_dir) as writer:
            _put(writer, source)
    versions = sorted(p.name for p in store_dir.glob("v*"))
    assert held in versions and len(versions) == 2  # HEAD and the one the reader holds
    reader.close()
    with Store.open(store_dir) as writer:
        _put(writer, "e.txt")
    assert len(list(store_dir.glob("v*"))) == 1


def test_store_malformed_sparql_is_a_query_error():
    with pytest.raises(QueryError, match="malformed SPARQL"):
        Store.in_memory().query("SELECT ?x {")


@pytest.mark.parametrize("fmt, suffix, named_graphs", [
    ("turtle", ".ttl", False), ("trig", ".trig", True), ("nquads", ".nq", True), ("jsonld", ".jsonld", True),
])
def test_store_export_formats_parse_with_rdflib(store_dir, tmp_path, fmt, suffix, named_graphs):
    out = tmp_path / f"graph{suffix}"
    with Store.open(store_dir, read_only=True) as store:
        store.export(out)
        total = len(store)
    parser = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    if named_graphs:
        dataset = rdflib.Dataset()
        dataset.parse(out, format=parser)
        assert sum(len(g) for g in dataset.graphs()) == total
        assert rdflib.URIRef(V.graph_iri("a.txt")) in {g.identifier for g in dataset.graphs()}
    else:
        graph = rdflib.Graph().parse(out, format=parser)
        assert 0 < len(graph) <= total


def test_store_export_unknown_format(store_dir, tmp_path):
    with Store.open(store_dir, read_only=True) as store, pytest.raises(StoreError, match="RDF format"):
        store.export(tmp_path / "graph.xyz")


def test_store_to_rdflib_has_one_graph_per_article(store_dir):
    with Store.open(store_dir, read_only=True) as store:
        dataset = store.to_rdflib()
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {V.graph_iri("a.txt"), V.graph_iri("b.txt")}


def test_store_bulk_load_nquads(store_dir, tmp_path):
    dump = tmp_path / "all.nq"
    with Store.open(store_dir, read_only=True) as store:
        store.export(dump)
        total = len(store)
    with Store.open(tmp_path / "copy") as copy:
        copy.bulk_load(dump)
    with Store.open(tmp_path / "copy", read_only=True) as copy:
        assert len(copy) == total


def _quads(store_path):
    with Store.open(store_path, read_only=True) as store:
        return {tuple(str(t) for t in q) for q in store.query("SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } }")}


def test_store_bulk_load_in_parallel_chunks_equals_one_load(store_dir, tmp_path, monkeypatch):
    """A big N-Quads file loads as line-aligned chunks on threads: the same quads as one load."""
    import cheguKG.store as S

    dump = tmp_path / "all.nq"
    with Store.open(store_dir, read_only=True) as store:
        store.export(dump)
    with Store.open(tmp_path / "one") as one:
        one.bulk_load(dump)
    chunks = []
    real = S._parallel_bulk_load
    monkeypatch.setattr(S, "PARALLEL_LOAD_MIN", 1)
    monkeypatch.setattr(S, "LOAD_CHUNK_BYTES", 2048)  # many chunks, cut at newlines
    monkeypatch.setattr(S, "_parallel_bulk_load", lambda *a, **k: chunks.append(1) or real(*a, **k))
    with Store.open(tmp_path / "many") as many:
        many.bulk_load(dump)
    assert chunks, "the parallel path was not taken"
    assert len(list(S._line_chunks(dump))) > 3
    assert _quads(tmp_path / "many") == _quads(tmp_path / "one") != set()


def test_store_bulk_load_keeps_blank_nodes_in_one_piece(tmp_path, monkeypatch):
    """Blank-node labels are scoped to one parse: a file with them is never cut."""
    import cheguKG.store as S

    monkeypatch.setattr(S, "PARALLEL_LOAD_MIN", 1)
    monkeypatch.setattr(S, "LOAD_CHUNK_BYTES", 64)
    nq = tmp_path / "b.nq"
    nq.write_text("".join(f"_:x <http://e.org/p> \"{i}\" <http://e.org/g> .\n" for i in range(50)), encoding="utf-8")
    with Store.open(tmp_path / "s") as store:
        store.bulk_load(nq)
    with Store.open(tmp_path / "s", read_only=True) as store:
        rows = list(store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s ?p ?o } }"))
    assert int(rows[0][0].value) == 1


def test_store_bulk_load_names_the_file_and_line_of_bad_rdf(tmp_path, monkeypatch):
    import cheguKG.store as S

    monkeypatch.setattr(S, "PARALLEL_LOAD_MIN", 1)
    monkeypatch.setattr(S, "LOAD_CHUNK_BYTES", 256)
    good = "".join(f"<http://e.org/s{i}> <http://e.org/p> \"{i}\" <http://e.org/g> .\n" for i in range(40))
    nq = tmp_path / "bad.nq"
    nq.write_text(good + "<http://e.org/s> this is not rdf .\n" + good, encoding="utf-8")
    with Store.open(tmp_path / "s") as store:
        with pytest.raises(StoreError, match=r"bad\.nq: not valid RDF in the lines from \d+ on"):
            store.bulk_load(nq)
        store.abort()


# ------------------------------------------------------------------ crash safety
WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
from rdf_docs import make_doc
from cheguKG.graph import doc_quads, local_iris
from cheguKG.store import Store

with Store.open({store!r}) as store:
    for i in range(100000):
        doc = make_doc(f"new-{{i}}.txt")
        store.replace_article(doc.article.source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
        changed = make_doc("a.txt", drop=("R1",), title=f"v{{i}}")
        store.replace_article("a.txt", doc_quads(changed, local_iris(changed)), changed.article.content_hash)
        if i % 3 == 2:
            store.commit()
        print(i, flush=True)
"""


def _start_writer(store_dir: Path) -> subprocess.Popen:
    code = WRITER.format(tests=str(TESTS), store=str(store_dir))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _check_consistent(store_dir: Path) -> set[str]:
    """Every article in the store is whole: exactly the quads one of its versions has."""
    full = len(doc_quads(make_doc("x.txt"), local_iris(make_doc("x.txt"))))
    changed_doc = make_doc("a.txt", drop=("R1",))
    changed = len(doc_quads(changed_doc, local_iris(changed_doc)))
    with Store.open(store_dir, read_only=True) as store:
        sources = set(store.article_hashes())
        for source in sources:
            assert _graph_size(store, source) in ({full, changed} if source == "a.txt" else {full}), source
    new = sorted(int(s[4:-4]) for s in sources if s.startswith("new-"))
    assert new == list(range(len(new))) and len(new) % 3 == 0  # only whole commits
    return sources


@pytest.mark.slow
@pytest.mark.parametrize("sig, after_lines", [(signal.SIGKILL, 1), (signal.SIGKILL, 7), (signal.SIGINT, 4)])
def test_store_writer_killed_midway_leaves_a_readable_store_and_the_next_build_completes(
        store_dir, sig, after_lines):
    reader = Store.open(store_dir, read_only=True)  # a reader open throughout, like `chegukg serve`
    writer = _start_writer(store_dir)
    seen = 0
    deadline = time.monotonic() + 120
    while seen < after_lines and time.monotonic() < deadline:
        line = writer.stdout.readline()
        assert line, writer.stderr.read()
        seen += 1
        assert len(reader.article_hashes()) >= 2  # queries keep working during the build
    time.sleep(0.01 * after_lines)  # land the signal at varying points of the next step
    os.kill(writer.pid, sig)
    writer.wait(timeout=60)
    sources = _check_consistent(store_dir)
    assert {"a.txt", "b.txt"} <= sources
    assert set(reader.article_hashes()) == sources  # the open reader follows the last commit
    reader.close()
    with Store.open(store_dir) as store:  # the next build is not locked out and completes
        for i in range(3):
            _put(store, f"new-{i}.txt")
        _put(store, "c.txt")
    assert "c.txt" in _check_consistent(store_dir)
    assert not list(store_dir.glob("staging-*"))


FORKING_WRITER = """
import os, sys, time
sys.path.insert(0, {tests!r})
from cheguKG.store import Store
store = Store.open({store!r})
child = os.fork()
if child == 0:  # a worker, as a build's process pool forks them: it outlives its parent
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_store_killed_writer_forked_workers_do_not_keep_the_lock(store_dir):
    code = FORKING_WRITER.format(tests=str(TESTS), store=str(store_dir))
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(writer.stdout.readline())
    try:
        with pytest.raises(StoreError, match="locked by another build"):
            Store.open(store_dir)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        with Store.open(store_dir) as store:  # the orphaned worker still runs, holding the fd
            _put(store, "c.txt")
    finally:
        os.kill(child, signal.SIGKILL)


def test_store_add_then_remove_restores_exactly_the_previous_quads():
    store = Store.in_memory()
    docs = [make_doc("a.txt", drop=("R1", "T1")), make_doc("b.txt", drop=("E2", "J1"))]
    for doc in docs:
        store.replace_article(doc.article.source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    store.replace_entities(entity_quads(_entities_of(docs)))
    before = set(store.quads())
    extra = make_doc("c.txt", published="2024-01-02")  # brings 卢放 and CEO, which a and b lack
    store.replace_article("c.txt", doc_quads(extra, local_iris(extra)), extra.article.content_hash)
    store.update_entities([local_iris(extra)["R1"], local_iris(extra)["T1"]],
                          entity_quads([e for e in _entities_of([extra]) if e.type in ("Person", "Position")]))
    assert len(store.quads()) > len(before)
    store.remove_article("c.txt")
    assert set(store.quads()) == before


def test_store_replace_keeps_the_entities_the_new_version_still_mentions():
    store = Store.in_memory()
    doc = make_doc("a.txt")
    store.replace_article("a.txt", doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    store.replace_entities(entity_quads(_entities_of([doc])))
    before = set(store.quads(V.ENTITIES_GRAPH))
    changed = make_doc("a.txt", drop=("R1",), title="改")
    store.replace_article("a.txt", doc_quads(changed, local_iris(changed)), changed.article.content_hash)
    after = set(store.quads(V.ENTITIES_GRAPH))
    person = V.entity_iri("Person", "卢放")
    assert {q for q in before - after} == {q for q in before if q.subject.value == person}


COMMITTING_WRITER = """
import sys
sys.path.insert(0, {tests!r})
from rdf_docs import make_doc
from cheguKG.graph import doc_quads, local_iris
from cheguKG.store import Store
with Store.open({store!r}) as store:
    for i in range(12):
        doc = make_doc(f"w{{i}}.txt")
        store.replace_article(doc.article.source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
        store.commit()
"""

POLLING_READER = """
import sys, time
from cheguKG.store import Store
store = Store.open({store!r}, read_only=True)
seen, errors = [], 0
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        seen.append(len(store.article_hashes()))
    except Exception as exc:
        errors += 1
        print("error", exc, file=sys.stderr)
    if seen and seen[-1] == {final}:
        break
print(errors, min(seen), max(seen), int(all(a <= b for a, b in zip(seen, seen[1:]))))
"""


@pytest.mark.slow
def test_store_reader_process_keeps_answering_while_a_writer_commits(store_dir):
    reader = subprocess.Popen([sys.executable, "-c", POLLING_READER.format(store=str(store_dir), final=14)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer = subprocess.run([sys.executable, "-c", COMMITTING_WRITER.format(tests=str(TESTS), store=str(store_dir))],
                            capture_output=True, text=True, timeout=300)
    assert writer.returncode == 0, writer.stderr
    out, err = reader.communicate(timeout=180)
    errors, low, high, monotonic = map(int, out.split())
    assert (errors, high, monotonic) == (0, 14, 1), err
    assert low >= 2
    assert len(list(store_dir.glob("v*"))) <= 3  # old versions are collected as readers move on
