"""The embedded, persistent, crash-safe quad store (pyoxigraph 0.5 / RocksDB).

>>> with Store.open("out/store") as store:                       # doctest: +SKIP
...     store.replace_article("a.txt", doc_quads(doc, iris), doc.article.content_hash)
>>> Store.open("out/store", read_only=True).query("SELECT * { ?s ?p ?o } LIMIT 3")  # doctest: +SKIP

Why versions and not one RocksDB directory
------------------------------------------
pyoxigraph 0.5 offers a read-write instance (one per directory: RocksDB locks it) and
``Store.read_only(path)``, which is *undefined behaviour while another process writes the
same directory*; 0.5 has no secondary instance. Readers (queries, ``chegukg serve``) must
keep working while a build runs, and a build killed at any point must leave the previous
store intact. So a store directory holds immutable *versions*::

    out/store/HEAD            one line: the name of the current version ("v000007")
    out/store/v000007/        a RocksDB directory nobody writes any more
    out/store/staging-<pid>/  the writer's working copy (exists only during a build)
    out/store/write.lock      POSIX lock of the one writer process (its pid inside; not inherited
                              by the workers it forks, so a killed build never leaves it locked)
    out/store/locks/v*.lock   flock(LOCK_SH) held by each reader of that version

A writer (``Store.open(path)``) takes ``write.lock``; on its first change it makes the
staging copy with RocksDB's checkpoint (``Store.backup``), which *hard-links* the immutable
SST files: O(number of files), not O(data), so it stays cheap for 100k-article stores.
``replace_article``/``remove_article`` write the staging copy directly (a few RocksDB
transactions each; none of it is visible to readers until a commit).
``commit()`` (also run by ``close()`` and a clean ``with`` exit) flushes, checkpoints the
staging copy into a fresh ``vN`` (hard links again), fsyncs, and atomically replaces HEAD
(write + fsync + rename). Until that rename nothing readers see has changed; after it,
readers see the whole new version. A crash (Ctrl-C, SIGKILL, power loss) before the rename
leaves HEAD on the previous version; the next writer deletes the orphaned staging copy and
starts again (incremental builds skip articles whose hash is unchanged). A long build may
call ``commit()`` every N articles to make progress durable.

Readers open HEAD's version read-only under a shared flock, and re-check HEAD before every
query, switching to a newer version when a writer has committed one. Old versions are
deleted by the writer only when no reader holds their lock. (The file side of this lives
in :mod:`cheguKG.storedir`.)

Costs measured with ``bench/bench_replace.py`` are in that script's docstring.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import storedir as D
from . import vocab as V
from .errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph

DEFAULT_STORE = Path("out") / "store"

#: Export formats: name -> (pyoxigraph RdfFormat attribute, holds named graphs).
FORMATS: dict[str, tuple[str, bool]] = {
    "turtle": ("TURTLE", False),
    "ntriples": ("N_TRIPLES", False),
    "trig": ("TRIG", True),
    "nquads": ("N_QUADS", True),
    "jsonld": ("JSON_LD", True),
}
_EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig", ".nq": "nquads",
               ".jsonld": "jsonld", ".json": "jsonld"}


class Store:
    """A cheguKG store directory; open it with :meth:`open` (or :meth:`in_memory` for tests)."""

    def __init__(self, path: Path | None, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._ox: pyoxigraph.Store | None = None  # what queries read
        self._version: str | None = None  # the version ``_ox`` reads (readers / writer base)
        self._reader_lock: Any = None
        self._previous_lock: Any = None  # kept one switch longer, for queries still iterating
        self._head_stamp: tuple[int, int] | None = None
        self._write_lock: Any = None
        self._staging: Path | None = None  # writer's working copy, once it changed something
        self._dirty = False
        self._mutex = threading.RLock()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path = DEFAULT_STORE, read_only: bool = False, *, create: bool = True) -> Store:
        """Open the store at ``path``: read-only for queries, else as its one writer.

        Read-only opening never blocks or disturbs a running build; a writer raises
        :class:`StoreError` if another writer holds the store, and creates a new store
        unless ``create=False``.
        """
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a store directory: pass --store DIR")
        store = cls(path, read_only)
        if not read_only and not create and not (path / "HEAD").is_file():
            raise StoreError(f"no store at {path}: run chegukg build first")
        if read_only:
            store._open_reader()
        else:
            store._open_writer()
        return store

    @classmethod
    def in_memory(cls) -> Store:
        """A throw-away store in memory (tests, notebooks): same API, nothing on disk."""
        from pyoxigraph import Store as OxStore

        store = cls(None, False)
        store._ox = OxStore()
        return store

    def _open_reader(self) -> None:
        from pyoxigraph import Store as OxStore

        path = self.path
        assert path is not None
        if not (path / "HEAD").is_file():
            if (path / "CURRENT").is_file() and (path / "IDENTITY").exists():
                # A plain pyoxigraph directory (e.g. from `oxigraph load`): readable as is.
                self._ox = _ox_call(lambda: OxStore.read_only(str(path)), path)
                return
            raise StoreError(f"no store at {path}: run chegukg build first")
        self._switch_to_head()
        if self._ox is None:
            raise StoreError(f"no store at {path}: run chegukg build first")

    def _switch_to_head(self) -> None:
        """(Re)open the version HEAD names, under a shared lock so no writer deletes it."""
        from pyoxigraph import Store as OxStore

        assert self.path is not None
        for _ in range(50):
            stamp = D.stamp(self.path / "HEAD")
            version = D.read_head(self.path)
            if version is None:
                return
            if version == self._version:
                self._head_stamp = stamp
                return
            lock = D.lock_shared(self.path, version)
            if D.read_head(self.path) == version and (self.path / version).is_dir():
                try:
                    ox = _ox_call(lambda: OxStore.read_only(str(self.path / version)), self.path)
                except BaseException:
                    lock.close()
                    raise
                old_lock, self._reader_lock = self._reader_lock, lock
                self._ox, self._version, self._head_stamp = ox, version, stamp
                if self._previous_lock is not None:
                    self._previous_lock.close()
                self._previous_lock = old_lock
                return
            lock.close()  # a writer committed meanwhile: try the new HEAD
            time.sleep(0.01)
        raise StoreError(f"store {self.path} keeps changing under the reader: try again")

    def _open_writer(self) -> None:
        path = self.path
        assert path is not None
        if (path / "CURRENT").is_file() and not (path / "HEAD").exists():
            raise StoreError(f"{path} is a plain pyoxigraph directory, not a cheguKG store: "
                             "open it read-only, or build into a new --store directory")
        try:
            (path / "locks").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc.strerror}") from None
        self._write_lock = D.lock_writer(path)
        self._collect_garbage()
        if D.read_head(path) is not None:
            self._switch_to_head()
        else:
            self._start_staging()  # a new store: an empty working copy

    # ----------------------------------------------------------------- writing
    def _writable(self) -> pyoxigraph.Store:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        if self._ox is None:
            raise StoreError("store is closed")
        if self.path is not None and self._staging is None:
            self._start_staging()
        self._dirty = True
        return self._ox

    def _start_staging(self) -> None:
        from pyoxigraph import Store as OxStore

        assert self.path is not None
        staging = self.path / f"staging-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        if self._ox is not None:
            _ox_call(lambda: self._ox.backup(str(staging)), self.path)
        self._ox = _ox_call(lambda: OxStore(str(staging)), self.path)
        self._staging = staging
        self._version = None
        if self._reader_lock is not None:  # the base version is no longer read
            self._reader_lock.close()
            self._reader_lock = None

    def replace_article(self, source: str, quads: Iterable[pyoxigraph.Quad], content_hash: str) -> None:
        """Put one article's facts in its named graph, replacing whatever it held.

        Quads go into ``vocab.graph_iri(source)`` whatever graph they name; the article's
        ``cg:contentHash`` is set to ``content_hash``. Entities only the old version of the
        article mentioned leave the entities graph. Readers never see a half-replaced
        article: they read committed versions only (module docstring); if this call fails
        half-way, the article is absent (hash included), so the next build redoes it.
        """
        from pyoxigraph import Literal, NamedNode, Quad

        graph = NamedNode(V.graph_iri(source))
        article = NamedNode(V.article_iri(source))
        hash_quad = Quad(article, NamedNode(V.CONTENT_HASH), Literal(content_hash), graph)
        new = [Quad(q.subject, q.predicate, q.object, graph) for q in quads
               if not (q.predicate.value == V.CONTENT_HASH and q.subject == article)]
        new.append(hash_quad)
        still = {q.subject for q in new if q.predicate.value == V.MENTIONED_IN}
        with self._mutex:
            ox = self._writable()
            self._drop_article(ox, graph, keep=still)
            _ox_call(lambda: ox.extend(new), self.path)

    def remove_article(self, source: str) -> bool:
        """Take an article out; entities that no other article mentions go with it.

        Returns False when the article was not in the store.
        """
        from pyoxigraph import NamedNode

        graph = NamedNode(V.graph_iri(source))
        with self._mutex:
            if self._ox is None:
                raise StoreError("store is closed")
            if not self._ox.contains_named_graph(graph):
                return False
            self._drop_article(self._writable(), graph)
        return True

    def _drop_article(self, ox: pyoxigraph.Store, graph: pyoxigraph.NamedNode, keep=frozenset()) -> None:
        """Remove an article's graph and the entities-graph triples of entities only it
        mentions (except ``keep``: those its new version mentions again)."""
        from pyoxigraph import NamedNode

        if not ox.contains_named_graph(graph):
            return
        entities = NamedNode(V.ENTITIES_GRAPH)
        doomed = []
        for q in ox.quads_for_pattern(None, NamedNode(V.MENTIONED_IN), None, graph):
            entity = q.subject
            if entity in keep:
                continue
            about = list(ox.quads_for_pattern(entity, None, None, entities))
            if about and not any(x.graph_name not in (graph, entities)
                                 for x in ox.quads_for_pattern(entity, None, None, None)):
                doomed.extend(about)
        for q in doomed:
            _ox_call(lambda q=q: ox.remove(q), self.path)
        _ox_call(lambda: ox.remove_graph(graph), self.path)

    def replace_entities(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Rewrite the corpus-level entities graph (canonical labels, aliases, merges)."""
        from pyoxigraph import NamedNode, Quad

        graph = NamedNode(V.ENTITIES_GRAPH)
        new = [Quad(q.subject, q.predicate, q.object, graph) for q in quads]
        with self._mutex:
            ox = self._writable()
            _ox_call(lambda: ox.remove_graph(graph), self.path)
            _ox_call(lambda: ox.extend(new), self.path)

    def update_entities(self, iris: Iterable[str], quads: Iterable[pyoxigraph.Quad]) -> None:
        """Rewrite only some entities in the entities graph (atomic): every triple about each
        of ``iris`` goes, then ``quads`` come in. For big corpora where a build touches few."""
        graph = V.ENTITIES_GRAPH
        values = " ".join(f"<{iri}>" for iri in iris)
        lines = [f"{q.subject} {q.predicate} {q.object} ." for q in quads]
        parts = []
        if values:
            parts.append(f"DELETE {{ GRAPH <{graph}> {{ ?e ?p ?o }} }} WHERE {{ VALUES ?e {{ {values} }} "
                         f"GRAPH <{graph}> {{ ?e ?p ?o }} }}")
        if lines:
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }")
        if parts:
            with self._mutex:
                _ox_call(lambda: self._writable().update(" ;\n".join(parts)), self.path)

    def add_nquads(self, articles: Iterable[tuple[str, str | bytes]], replace: bool = False) -> None:
        """Write (source, N-Quads text) pairs whose text (str, or UTF-8 bytes) holds the
        article's whole graph (content hash included, as graph.doc_quads writes it) in one
        bulk load: a build's fast path (one parse in Rust, no Python quad objects, no
        per-article SPARQL update). Safe under SIGKILL: it writes to the staging copy only.
        ``replace=True`` first drops each article's graph, WITHOUT pruning the entities graph
        (for callers that rewrite it themselves, as the build does from its resolver state);
        replace_article is the general path."""
        from pyoxigraph import NamedNode, RdfFormat

        parts = []
        with self._mutex:
            ox = self._writable()
            for source, text in articles:
                if replace:
                    graph = NamedNode(V.graph_iri(source))
                    _ox_call(lambda: ox.remove_graph(graph), self.path)
                parts.append(text.encode("utf-8") if isinstance(text, str) else text)
            data = b"".join(parts)
            parts.clear()
            if data:
                _ox_call(lambda: ox.bulk_load(input=data, format=RdfFormat.N_QUADS, lenient=True), self.path)

    def bulk_load(self, path: str | Path, format: str | None = None, *, lenient: bool = False) -> None:
        """Load a big RDF file (N-Quads, TriG, ...) fast, bypassing transactions.

        ``lenient=True`` skips IRI validation (no more than rdflib's N-Quads parser checks),
        for files this project wrote itself: ~6% less CPU at 1M quads (bench/bench_store.py).
        """
        from pyoxigraph import RdfFormat

        name = format or _format_of(path)
        fmt = getattr(RdfFormat, FORMATS[name][0])
        with self._mutex:
            ox = self._writable()
            if (name in LINE_FORMATS and self.path is not None
                    and Path(path).stat().st_size >= PARALLEL_LOAD_MIN and not _has_blank_nodes(path)):
                _parallel_bulk_load(ox, Path(path), fmt, lenient, self.path)
            else:
                try:
                    _ox_call(lambda: ox.bulk_load(path=str(path), format=fmt, lenient=lenient), self.path)
                except SyntaxError as exc:
                    raise StoreError(f"{path}: not valid {name}: {one_line(exc)}") from None

    def commit(self) -> None:
        """Make every change so far durable and visible to readers (atomic HEAD swap)."""
        with self._mutex:
            if self.path is None or self.read_only or self._ox is None:
                return
            if not self._dirty and D.read_head(self.path) is not None:
                return  # nothing changed (a new store still gets its first, empty version)
            if self._staging is None:
                self._start_staging()
            version = D.next_version(self.path)
            _ox_call(self._ox.flush, self.path)
            _ox_call(lambda: self._ox.backup(str(self.path / version)), self.path)
            D.fsync_dir(self.path / version)
            D.write_head(self.path, version)
            self._dirty = False
            self._collect_garbage()

    def abort(self) -> None:
        """Drop uncommitted changes and close; the previous version stays as it was."""
        with self._mutex:
            self._dirty = False
            self._release()

    # ----------------------------------------------------------------- reading
    def article_hashes(self) -> dict[str, str]:
        """{source: content hash} of every article in the store (incremental builds)."""
        rows = self.query(
            "SELECT ?source ?hash WHERE { GRAPH ?g { ?a cg:sourceName ?source ; cg:contentHash ?hash } }")
        return {row["source"].value: row["hash"].value for row in rows}

    def sources(self) -> list[str]:
        return sorted(self.article_hashes())

    def query(self, sparql: str, *, union: bool = True, **kwargs):
        """Run SPARQL; cg:, cgr:, skos:, prov:, org:, ... need no PREFIX lines.

        ``union=True`` makes the default graph the union of all graphs (no GRAPH clause
        needed); GRAPH ?g still names the article graphs. Returns pyoxigraph's results.
        """
        from pyoxigraph import NamedNode  # noqa: F401  (keeps import errors here, not later)

        with self._mutex:
            ox = self._reader()
            try:
                return ox.query(sparql, prefixes=V.PREFIXES, use_default_graph_as_union=union, **kwargs)
            except SyntaxError as exc:
                from .errors import QueryError

                raise QueryError(f"malformed SPARQL: {one_line(exc)}") from None
            except OSError as exc:
                raise StoreError(f"store {self.path}: {exc}") from None

    def _reader(self) -> pyoxigraph.Store:
        if self._ox is None:
            raise StoreError("store is closed")
        if self.read_only and self._version is not None and self.path is not None:
            if D.stamp(self.path / "HEAD") != self._head_stamp:
                self._switch_to_head()
        return self._ox

    def refresh(self) -> bool:
        """Readers: switch to the newest committed version now; True if it changed."""
        with self._mutex:
            before = self._version
            if self.read_only and self.path is not None and self._version is not None:
                self._switch_to_head()
            return self._version != before

    def __len__(self) -> int:
        with self._mutex:
            return len(self._reader())

    def quads(self, graph: str | None = None) -> list[pyoxigraph.Quad]:
        """All quads, or those of one named graph."""
        from pyoxigraph import NamedNode

        with self._mutex:
            ox = self._reader()
            return list(ox.quads_for_pattern(None, None, None, NamedNode(graph) if graph else None))

    def export(self, path: str | Path, format: str | None = None) -> Path:
        """Write the store as turtle | trig | nquads | jsonld | ntriples (atomically).

        Turtle and N-Triples hold no named graphs: they get the union, deduplicated.
        """
        import pyoxigraph as ox

        path = Path(path)
        name = format or _format_of(path)
        if name not in FORMATS:
            raise StoreError(f"unknown export format {name!r}: use one of {', '.join(FORMATS)}")
        rdf_format = getattr(ox.RdfFormat, FORMATS[name][0])
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        prefixes = {k: v for k, v in V.PREFIXES.items()}
        with self._mutex:
            store = self._reader()
            try:
                if FORMATS[name][1]:
                    kwargs = {"prefixes": prefixes} if name == "trig" else {}
                    store.dump(str(tmp), rdf_format, **kwargs)
                else:
                    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT DISTINCT ?s ?p ?o "
                                          "WHERE { ?s ?p ?o } } }", use_default_graph_as_union=True)
                    kwargs = {"prefixes": prefixes} if name == "turtle" else {}
                    ox.serialize(triples, str(tmp), rdf_format, **kwargs)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
        return path

    def to_rdflib(self):
        """The whole store as an rdflib ``Dataset`` (one graph per article, entities graph)."""
        import pyoxigraph as ox
        import rdflib

        with self._mutex:
            data = self._reader().dump(format=ox.RdfFormat.N_QUADS)
        dataset = rdflib.Dataset()
        dataset.parse(data=data.decode("utf-8"), format="nquads")
        return dataset

    # ----------------------------------------------------------------- closing
    def close(self) -> None:
        """Commit pending changes (writers) and release the store."""
        with self._mutex:
            if self._ox is not None and not self.read_only:
                self.commit()
            self._release()

    def _release(self) -> None:
        self._ox = None
        gc.collect()  # pyoxigraph closes RocksDB when the object is freed
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        for lock in (self._reader_lock, self._previous_lock, self._write_lock):
            if lock is not None:
                lock.close()
        self._reader_lock = self._previous_lock = self._write_lock = None
        self._version = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:  # an error or Ctrl-C inside the block: keep the previous version untouched
            self.abort()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "writer"
        return f"<cheguKG Store {self.path or ':memory:'} {mode} version={self._version}>"

    def _collect_garbage(self) -> None:
        """Delete staging copies of dead writers and versions that are neither HEAD nor read."""
        assert self.path is not None
        head = D.read_head(self.path)
        for entry in self.path.iterdir():
            if entry.name.startswith(("staging-", ".trash-")) and entry != self._staging:
                shutil.rmtree(entry, ignore_errors=True)
            elif D.VERSION.match(entry.name) and entry.name not in (head, self._version):
                D.remove_unread(self.path, entry.name)
        for lock in (self.path / "locks").glob("v*.lock"):
            if not (self.path / lock.stem).exists():
                D.remove_unread(self.path, lock.stem)


# --------------------------------------------------------------------- helpers
#: Formats with one statement per line: a file of them may be cut at any newline.
LINE_FORMATS = frozenset({"nquads", "ntriples"})
#: Line-format files from this size load as chunks on parallel threads (see _parallel_bulk_load).
PARALLEL_LOAD_MIN = 32 << 20
LOAD_CHUNK_BYTES = 12 << 20


def _line_chunks(path: Path, size: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(number of the chunk's first line, bytes) for ``path`` cut after a newline every ~size bytes."""
    size = size or LOAD_CHUNK_BYTES
    line, rest = 1, b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(size)
            if not block:
                if rest:
                    yield line, rest
                return
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield line, block[:cut]
            line += block.count(b"\n", 0, cut)


def _has_blank_nodes(path: str | Path) -> bool:
    """Whether ``_:`` occurs anywhere in the file (maybe only inside a literal): blank-node
    labels are scoped to one parse, so such a file must load in one piece."""
    tail = b""
    with open(path, "rb") as fh:
        while block := fh.read(LOAD_CHUNK_BYTES):
            if b"_:" in tail + block[:1] or b"_:" in block:
                return True
            tail = block[-1:]
    return False


def _parallel_bulk_load(ox, path: Path, fmt, lenient: bool, store_path: Path | None,
                        threads: int | None = None) -> None:
    """Bulk-load a big N-Quads/N-Triples file as line-aligned chunks on parallel threads.

    pyoxigraph's bulk loader releases the GIL but keeps most of one core busy per call
    (sorting six indexes, writing RocksDB SST files); one call on a 1M-quad file used 1.1
    cores here. Chunks of ~12 MB on ``cpu_count + 1`` threads keep every core busy: 4.1-4.4 s
    with the commit against 9.3 s for one call at 1M quads on this 2-core machine
    (bench/bench_store.py).
    At most ``threads + 1`` chunks are held in memory.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    threads = threads or (os.cpu_count() or 2) + 1

    def load(first_line: int, data: bytes) -> None:
        try:
            _ox_call(lambda: ox.bulk_load(input=data, format=fmt, lenient=lenient), store_path)
        except SyntaxError as exc:  # the parser counts lines from the chunk's start
            raise StoreError(f"{path}: not valid RDF in the lines from {first_line} on: {one_line(exc)}") from None

    with ThreadPoolExecutor(threads, thread_name_prefix="bulk-load") as pool:
        running: set = set()
        for first_line, data in _line_chunks(path):
            running.add(pool.submit(load, first_line, data))
            if len(running) > threads:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
        for future in running:
            future.result()


def _ox_call(fn, path):
    try:
        return fn()
    except OSError as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreError(f"store {path} is locked by another process: {text}") from None
        raise StoreError(f"store {path}: {text}") from None


def one_line(exc: BaseException, limit: int = 160) -> str:
    """The first line of an error message, cut to ``limit`` characters (pyoxigraph's parser
    errors list every expected token over several lines)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"expected one of .*", "unexpected input", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise StoreError(f"{path}: cannot tell the RDF format from {suffix or 'no extension'!r}: "
                         f"pass a format ({', '.join(FORMATS)})")
    return _EXTENSIONS[suffix]
