"""distributed: the build's extraction and graph conversion on a Dask cluster.

The same stages as :func:`cheguKG.builder.build`, with the work spread over a Dask
cluster (``dask.distributed``; a researcher's existing cluster, or a LocalCluster)::

    driver: ingest ──► partition k of articles ─────────────► workers: extract
    driver: resolve partition k's entities, in input order ◄── (entities, relations only)
    driver: part-0000k.nq ◄──── workers: graph.doc_quads(doc, canonical IRIs) as N-Quads
    driver: load part files into out/store (or push them to a remote store)

Articles are read on the driver, so workers need not see the input files; the documents
stay in the workers' memory between extraction and graph conversion, and only entities and
relations travel back for resolution. Resolution runs on the driver, partition after
partition in input order, against the same persistent state (out/resolver.sqlite) as the
single-process build, so both give the same graph (tests/test_distributed.py checks it) and
a later ``chegukg build --out OUT`` updates a distributed build incrementally.

Out of the build come ``OUT/nquads/part-NNNNN.nq`` (one per partition, everything its
articles say, each in its own named graph) and ``OUT/nquads/entities.nq`` (the corpus-level
entities graph), loaded into ``OUT/store`` and, with ``push=URL``, sent to a remote store
through the Graph Store Protocol (:func:`cheguKG.push.push`).

>>> report = build_distributed(["corpus/"], "out", scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
>>> report = build_distributed(["corpus/"], "out")   # a LocalCluster on this machine  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import CheguError
from .extract import ExtractConfig
from .types import Article, ArticleDoc

NQUADS_DIR = "nquads"
ENTITIES_FILE = "entities.nq"


# --------------------------------------------------------------------------- worker side
# Top-level functions, so Dask pickles them by reference; each worker process builds the
# extraction pipeline once (cheguKG.extract caches it per config).

@dataclass
class PartitionResult:
    """What travels back from a worker after extraction: small, no article text."""

    index: int
    views: list[ArticleDoc]  # entities and relations, for resolution
    records: list[str]  # the guide's JSON line per article (extraction.jsonl)
    failures: list[str]
    seconds: float


def extract_partition(articles: list[Article], config: ExtractConfig) -> list[ArticleDoc | str]:
    """Each article's ArticleDoc, or a one-line error; one bad article never sinks the rest."""
    from .extract import extract

    out: list[ArticleDoc | str] = []
    for article in articles:
        try:
            out.append(extract(article, config))
        except CheguError as exc:
            out.append(f"{article.path or article.source}: {exc}")
        except Exception as exc:  # a bug in a component: report it with the article
            out.append(f"{article.path or article.source}: extraction failed: {type(exc).__name__}: {exc}")
    return out


def resolution_view(doc: ArticleDoc) -> ArticleDoc:
    """The part of a document resolution reads: the article's metadata (no text), entities,
    relations. Sentences and text stay on the worker."""
    article = replace(doc.article, text="")
    return ArticleDoc(article, (), doc.entities, doc.relations)


def summarise_partition(index: int, results: list[ArticleDoc | str], seconds: float) -> PartitionResult:
    from .export import article_record

    docs = [r for r in results if isinstance(r, ArticleDoc)]
    return PartitionResult(
        index=index,
        views=[resolution_view(d) for d in docs],
        records=[json.dumps(article_record(d), ensure_ascii=False) for d in docs],
        failures=[r for r in results if isinstance(r, str)],
        seconds=seconds,
    )


def _timed_extract(index: int, articles: list[Article], config: ExtractConfig):
    t0 = time.perf_counter()
    results = extract_partition(articles, config)
    return results, summarise_partition(index, results, time.perf_counter() - t0)


def partition_nquads(results: list[ArticleDoc | str], iri_maps: dict[str, dict[str, str]]) -> str:
    """N-Quads of a partition's documents with the canonical IRIs resolution gave them."""
    from pyoxigraph import RdfFormat, serialize

    from .graph import doc_quads

    quads = []
    for doc in results:
        if isinstance(doc, ArticleDoc) and doc.article.source in iri_maps:
            quads.extend(doc_quads(doc, iri_maps[doc.article.source]))
    return serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8") if quads else ""


# --------------------------------------------------------------------------- the cluster

@contextmanager
def dask_client(scheduler: Any = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: ``scheduler`` is a Client (used as is), an address such as
    ``tcp://10.0.0.5:8786``, or None for a LocalCluster of ``workers`` processes on loopback."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise CheguError("the distributed build needs Dask: pip install 'chegukg[dask]'") from exc
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler
        return
    if scheduler:
        try:
            _reachable(scheduler)
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise CheguError(f"cannot reach the Dask scheduler at {scheduler}: {exc}; "
                             f"start one with `dask scheduler` or omit --scheduler") from exc
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast (OSError) when nothing listens at a tcp:// scheduler address, rather than
    after Dask's connection timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        with socket.create_connection((parts.hostname, parts.port), timeout=timeout):
            pass


def worker_setup(config: ExtractConfig) -> tuple[list[str], str | None]:
    """On a worker: the extra lexicon / alias files it cannot see, and the digest of the
    cheguKG version and data it would extract with."""
    missing = [str(p) for p in (*config.lexicons, *config.aliases) if not Path(p).is_file()]
    try:
        from .builder import _fingerprint  # the single-process build's notion of "same settings"
    except ImportError:  # pragma: no cover
        return missing, None
    return missing, (None if missing else _fingerprint(config, ""))


def check_workers(client, config: ExtractConfig) -> None:
    """Refuse to build when a worker lacks the extra lexicons or runs other code or data
    than this machine: its articles would silently come out different."""
    if not client.nthreads():
        raise CheguError("the Dask cluster has no workers: start some with `dask worker ADDRESS`")
    here = worker_setup(config)[1]
    for worker, (missing, digest) in sorted(client.run(worker_setup, config).items()):
        if missing:
            raise CheguError(f"Dask worker {worker} cannot read {missing[0]}: put extra lexicons and "
                             f"alias tables where every worker sees them (a shared folder), same path")
        if here and digest and digest != here:
            raise CheguError(f"Dask worker {worker} runs another cheguKG version or other data/ "
                             f"than this machine: install the same on every worker")


# --------------------------------------------------------------------------- the build

def build_distributed(inputs: Iterable[str | Path] | None = None, out: str | Path = "out", *,
                      scheduler: Any = None, partitions: int | None = None,
                      partition_size: int = 64, workers: int | None = None,
                      config: ExtractConfig | None = None, aliases: Iterable[str | Path] = (),
                      encoding: str | None = None, load: bool = True, push: str | None = None,
                      push_method: str = "gsp", dump: bool | None = None, html: bool | None = None,
                      commit_every: int = 2000, on_error: Callable[[str], None] | None = None):
    """Build ``inputs`` into ``out`` with extraction and graph conversion on a Dask cluster.

    ``scheduler``: a scheduler address, a ``distributed.Client``, or None for a LocalCluster
    of ``workers`` processes. ``partitions``: split the corpus into this many partitions
    (the articles are counted first); otherwise partitions of ``partition_size`` articles
    stream through, at most two per worker thread in flight, so memory stays flat.
    ``load=False`` writes the N-Quads files only; ``push`` also sends them to a remote store.
    Returns a :class:`cheguKG.builder.BuildReport`.
    """
    from .builder import BuildReport
    from .resources import default_corpus

    t_start = time.perf_counter()
    config = config or ExtractConfig()
    inputs = [str(p) for p in inputs] if inputs else [str(default_corpus())]
    out = Path(out)
    report = BuildReport(out=out)

    def failed(line: str) -> None:
        report.failures.append(line)
        if on_error:
            on_error(line)

    with dask_client(scheduler, workers) as client:  # an unreachable cluster touches nothing
        check_workers(client, config)
        _build(client, inputs, out, report, failed, partitions=partitions,
               partition_size=partition_size, config=config, aliases=aliases, encoding=encoding,
               load=load, push=push, push_method=push_method, dump=dump, html=html,
               commit_every=commit_every)
    report.seconds = time.perf_counter() - t_start
    return report


def _build(client, inputs: list[str], out: Path, report, failed: Callable[[str], None], *,
           partitions: int | None, partition_size: int, config: ExtractConfig,
           aliases: Iterable[str | Path], encoding: str | None, load: bool, push: str | None,
           push_method: str, dump: bool | None, html: bool | None, commit_every: int) -> None:
    from .ingest import iter_articles
    from .resolve import AliasTable, Resolver, ResolverState
    from .store import Store

    parts_dir = out / NQUADS_DIR
    parts_dir.mkdir(parents=True, exist_ok=True)
    for old in parts_dir.glob("*.nq"):
        old.unlink()
    stages: dict[str, float] = {}
    table = AliasTable.load([*aliases, *config.aliases])
    state = ResolverState.open(out / "resolver.sqlite")
    store = Store.open(out / "store") if load else None
    pending_records = out / f".extraction.dask-{os.getpid()}.jsonl"
    try:
        state.begin()  # nothing this build resolves is kept unless it commits
        resolver = Resolver(state, table)
        skip = _Skip(store, state, config, table, report)
        articles = (a for a in iter_articles(inputs, lambda e: failed(str(e)), encoding) if not skip(a))
        batches = _batches(articles, partitions, partition_size)
        fresh_store = store is not None and not skip.known
        rebuilt: set[str] = set()
        since_commit = 0
        with open(pending_records, "w+", encoding="utf-8") as records:
            for part, nquads in _run(client, batches, config, resolver, skip.fingerprint, stages, failed):
                t0 = time.perf_counter()
                path = parts_dir / f"part-{part.index:05d}.nq"
                _write_text(path, nquads)
                records.writelines(line + "\n" for line in part.records)
                rebuilt.update(v.article.source for v in part.views)
                report.built += len(part.views)
                if store is not None and nquads:
                    _load_part(store, path, part, fresh_store)
                since_commit += len(part.views)
                if since_commit >= commit_every:  # resolver state first, then the store
                    records.flush()
                    state.commit()
                    if store is not None:
                        store.commit()
                    state.begin()
                    since_commit = 0
                stages["write+load"] = stages.get("write+load", 0.0) + time.perf_counter() - t0
            t0 = time.perf_counter()
            report.merged = state.merged_entities()
            written = _write_entities(state, store, parts_dir / ENTITIES_FILE)
            state.commit()
            if store is not None:
                store.commit()
            state.clean(written)  # only once the store holds them (as the single-process build)
            resolver.settle()
            state.commit()
            stages["entities+commit"] = time.perf_counter() - t0
            _write_records(out, records, rebuilt)
        pending_records.unlink()
        if skip.redo:
            report.notes.append(f"{skip.redo} unchanged article(s) built again: extraction code, settings "
                                f"or alias table changed since they were built")
        report.entities = state.counts()
        report.relations = state.relation_counts()
        report.total_articles = state.article_count()
        report.outputs += [str(parts_dir), str(out / "extraction.jsonl")]
        if store is not None:
            _dump(store, out, report, dump, html)
        if push:
            t0 = time.perf_counter()
            sent = push_parts(parts_dir, push, method=push_method)
            stages["push"] = time.perf_counter() - t0
            report.notes.append(f"pushed {sent} graph(s) to {push}")
    except BaseException:
        state.rollback()
        if store is not None:
            store.abort()
        state.close()
        pending_records.unlink(missing_ok=True)
        raise
    if store is not None:
        store.close()
    state.close()
    report.stage_seconds = stages


def _batches(articles: Iterator[Article], partitions: int | None, size: int) -> Iterator[list[Article]]:
    if partitions:
        items = list(articles)
        size = max(1, -(-len(items) // partitions))
        articles = iter(items)
    from .builder import _chunks  # the single-process build's chunking

    return _chunks(articles, max(1, size))


class _Skip:
    """Which articles a rebuild may skip: the same content hash in the store, built with the
    same extraction code, data and alias table (the single-process build's rule)."""

    def __init__(self, store, state, config: ExtractConfig, table, report):
        from .builder import _fingerprint  # the single-process build's notion of "same settings"

        self.fingerprint = _fingerprint(config, table.digest())
        self.known = store.article_hashes() if store is not None else {}
        self.built_with = state.fingerprints()
        self.report = report
        self.redo = 0

    def __call__(self, article: Article) -> bool:
        if self.known.get(article.source) == article.content_hash:
            if self.built_with.get(article.source) == self.fingerprint:
                self.report.skipped += 1
                return True
            self.redo += 1  # unchanged, but built with other code, lexicons or alias table
        return False


def _run(client, batches: Iterator[list[Article]], config: ExtractConfig, resolver, fingerprint: str,
         stages: dict[str, float], failed: Callable[[str], None]):
    """Yield (PartitionResult, N-Quads text) per partition, in input order.

    Extraction of later partitions overlaps resolution and graph conversion of earlier ones;
    at most ``2 * threads`` partitions are in flight.
    """
    from .graph import local_iris  # noqa: F401  (fail early, on the driver, if graph is broken)

    threads = max(1, sum(client.nthreads().values()))
    pending: deque = deque()  # (results future, summary future)
    converting: deque = deque()  # (PartitionResult, nquads future, results future)
    index = 0
    exhausted = False
    while True:
        while not exhausted and len(pending) + len(converting) < 2 * threads:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
                break
            both = client.submit(_timed_extract, index, batch, config, pure=False)
            results = client.submit(_first, both, pure=False)
            summary = client.submit(_second, both, pure=False)
            del both
            pending.append((results, summary))
            index += 1
        if pending:
            results, summary = pending.popleft()
            part: PartitionResult = summary.result()
            stages["extract (cpu, all workers)"] = stages.get("extract (cpu, all workers)", 0.0) + part.seconds
            for line in part.failures:
                failed(line)
            t0 = time.perf_counter()
            iri_maps = {}
            for view in part.views:
                iri_maps[view.article.source] = resolver.add(view)
                resolver.state.record_article(view, fingerprint)
            stages["resolve"] = stages.get("resolve", 0.0) + time.perf_counter() - t0
            nquads = client.submit(partition_nquads, results, iri_maps, pure=False)
            converting.append((part, nquads, results))
        if converting and (not pending or converting[0][1].done() or len(converting) >= threads):
            part, nquads, results = converting.popleft()
            t0 = time.perf_counter()
            text = nquads.result()
            stages["graph (wait)"] = stages.get("graph (wait)", 0.0) + time.perf_counter() - t0
            del results
            yield part, text
        if exhausted and not pending and not converting:
            return


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _load_part(store, path: Path, part: PartitionResult, fresh: bool) -> None:
    """Load one partition: a fresh store bulk-loads the file; else each article replaces its
    named graph (so an article built before loses its old facts)."""
    if fresh:
        store.bulk_load(path, "nquads")
        return
    from pyoxigraph import RdfFormat, parse

    from . import vocab as V

    by_graph: dict[str, list] = {}
    for quad in parse(path=str(path), format=RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, []).append(quad)
    for view in part.views:
        source = view.article.source
        store.replace_article(source, by_graph.get(V.graph_iri(source), []), _hash_of(view, by_graph))


def _hash_of(view: ArticleDoc, by_graph: dict[str, list]) -> str:
    from . import vocab as V

    for quad in by_graph.get(V.graph_iri(view.article.source), []):
        if quad.predicate.value == V.CONTENT_HASH:
            return quad.object.value
    raise CheguError(f"{view.article.source}: its N-Quads carry no content hash")


def _write_entities(state, store, path: Path) -> list[str]:
    """The corpus-level entities graph, whole, to entities.nq; into the store what changed
    (the single-process build's own step). Returns the IRIs written."""
    from pyoxigraph import RdfFormat, serialize

    from . import graph as G
    from .builder import _write_entities as store_entities

    quads = G.entity_quads(state.entities(max_members=0))
    _write_text(path, serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8") if quads else "")
    return store_entities(store, state, G) if store is not None else state.dirty()


def _write_records(out: Path, records, rebuilt: set[str]) -> None:
    """extraction.jsonl: earlier records of articles not rebuilt, then this build's."""
    from .api import atomic_output

    target = out / "extraction.jsonl"
    with atomic_output(target) as fh:
        if target.exists():
            with open(target, encoding="utf-8") as old:
                for line in old:
                    try:
                        source = json.loads(line).get("source")
                    except ValueError:
                        continue
                    if source not in rebuilt:
                        fh.write(line)
        records.seek(0)
        for line in records:
            fh.write(line)


def _dump(store, out: Path, report, dump: bool | None, html: bool | None) -> None:
    """graph.trig and graph.html, as the single-process build writes them (small stores)."""
    from .builder import DUMP_LIMIT, HTML_LIMIT

    if dump or (dump is None and report.total_articles <= DUMP_LIMIT and report.built):
        report.outputs.append(str(store.export(out / "graph.trig", "trig")))
    if not (html or (html is None and report.total_articles <= HTML_LIMIT and report.built)):
        return
    try:
        from .netx import to_networkx
        from .viz import write_html

        tmp = out / f".graph.html.tmp{os.getpid()}"
        write_html(to_networkx(store), tmp)
        os.replace(tmp, out / "graph.html")
        report.outputs.append(str(out / "graph.html"))
    except Exception as exc:  # the view must never fail a build that stored everything
        report.notes.append(f"graph.html skipped: {type(exc).__name__}: {exc}")


def push_parts(parts_dir: str | Path, endpoint: str, *, method: str = "gsp", **kwargs) -> int:
    """Send every N-Quads file of a distributed build to a remote store, one file at a time
    (each article's named graph replaced); returns the number of graphs sent."""
    from pyoxigraph import RdfFormat, Store as OxStore

    from .push import push

    sent = 0
    for path in sorted(Path(parts_dir).glob("*.nq")):
        if path.stat().st_size == 0:
            continue
        part = OxStore()
        part.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
        sent += push(part, endpoint, method=method, **kwargs).graphs
    return sent
