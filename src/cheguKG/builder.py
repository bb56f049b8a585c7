"""build: the main job. Inputs -> ingest -> extract -> resolve -> graph -> store -> out/.

::

    out/store/              the quad store (cheguKG.store: versioned, crash-safe)
    out/resolver.sqlite     what resolution remembers (keys, IRIs, aliases, members)
    out/graph.trig          a TriG dump of the store
    out/extraction.jsonl    the guide's JSON line per article (export.article_record)
    out/graph.html          the interactive view (cheguKG.viz), when that module is present

Articles stream through: nothing holds the corpus. Extraction runs in ``jobs`` worker
processes (jieba is warmed once per worker, by the pool's initializer; at most 4 chunks per
worker are in flight). The workers also turn each document into N-Quads with its entity IRIs
left open (graph.doc_template), so the main process only resolves each document against the
persistent resolver state, fills in the IRIs, and bulk-loads the text into the store in batches.

A rebuild skips an article whose content hash the store already has and whose extraction
fingerprint (code, lexicons, rules, model, alias table) is unchanged; an unchanged input
(file bytes or JSON line) is recognised by its digest without even being parsed, so adding
100 articles to a built corpus costs seconds. The store's hashes come from the resolver state
while store/HEAD is the version this build last committed, else from the store itself.
Articles missing from the inputs are left in the store (use ``chegukg remove``).

Progress is committed every ``commit_every`` articles: JSON lines, resolver state, then the
store (an atomic HEAD swap), so a build killed at any moment leaves the last committed store
intact and the next build picks up where it stopped (an article the state knows but the store
lost is simply resolved again; re-resolving first forgets what the article gave before).

>>> report = build(["corpus/"], out="out", jobs=2)   # doctest: +SKIP
>>> print(report.summary())                        # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CheguError, InputError
from .extract import ExtractConfig
from .types import Article, ArticleDoc

#: Above this many articles in the store, graph.trig and graph.html are not rewritten by
#: default (a dump of a 100k-article store takes minutes; use ``chegukg export``).
DUMP_LIMIT = 5_000
HTML_LIMIT = 2_000
#: New articles are written to the store in bulk, this many at a time (~100 MB of N-Quads).
#: Each bulk load adds SST files that overlap the whole key space (term ids are hashes), so
#: RocksDB's background compaction rewrites what is there: at 64 articles a batch it cost
#: more CPU than the load itself (8.8 ms an article, 1,500 articles); at 512, 5.9 ms (6,000
#: articles), with the whole build ~10% less CPU. At 2,000 compaction fell to 2.6 ms but the
#: load's own cost rose more (bench/bench_build.py; threads' CPU read from /proc).
BATCH = 512
#: Canonical entities are written to the entities graph this many at a time.
ENTITY_CHUNK = 2000


@dataclass
class BuildReport:
    """What a build did: counts, failures, time per stage, what was merged."""

    out: Path
    built: int = 0  # articles extracted and stored in this run
    skipped: int = 0  # unchanged articles (content hash already in the store)
    failures: list[str] = field(default_factory=list)  # one line each: "file: problem"
    total_articles: int = 0  # articles in the store after the build
    entities: Counter = field(default_factory=Counter)  # canonical entities by type, corpus-wide
    relations: Counter = field(default_factory=Counter)  # relations by type, corpus-wide
    merged: list[tuple[str, str, int, tuple[str, ...]]] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)  # main process; workers' in stage_seconds
    seconds: float = 0.0
    main_cpu_seconds: float = 0.0  # CPU time of the main process for the whole build
    outputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def rate(self) -> float:
        return self.built / self.seconds if self.seconds else 0.0

    def summary(self, max_merged: int = 15) -> str:
        lines = [f"built {self.built} article(s), skipped {self.skipped} unchanged, "
                 f"{len(self.failures)} failed; {self.total_articles} in {self.out}/store "
                 f"({self.seconds:.1f} s, {self.rate:.1f} articles/s)"]
        if self.entities:
            lines.append(f"entities ({sum(self.entities.values())}): "
                         + ", ".join(f"{t} {n}" for t, n in _by_type_order(self.entities)))
        if self.relations:
            lines.append(f"relations ({sum(self.relations.values())}): "
                         + ", ".join(f"{r} {n}" for r, n in self.relations.most_common()))
        if self.stage_seconds:
            lines.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.stage_seconds.items()))
        if self.merged:
            lines.append(f"merged ({len(self.merged)}; chegukg build --explain NAME says why):")
            for name, type_, n, aliases in self.merged[:max_merged]:
                forms = f" = {', '.join(aliases[:6])}{' …' if len(aliases) > 6 else ''}" if aliases else ""
                lines.append(f"  {name} [{type_}]{forms} ({n} articles)")
            if len(self.merged) > max_merged:
                lines.append(f"  … and {len(self.merged) - max_merged} more")
        lines.extend(self.notes)
        for failure in self.failures:
            lines.append(f"failed: {failure}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"out": str(self.out), "built": self.built, "skipped": self.skipped,
                "failures": self.failures, "total_articles": self.total_articles,
                "entities": dict(self.entities), "relations": dict(self.relations),
                "merged": [list(m[:3]) + [list(m[3])] for m in self.merged],
                "stage_seconds": self.stage_seconds, "stage_cpu_seconds": self.stage_cpu_seconds,
                "main_cpu_seconds": self.main_cpu_seconds, "seconds": self.seconds, "outputs": self.outputs}


def _by_type_order(counts: Counter):
    from .types import ENTITY_TYPES

    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))


class _Timer:
    """Accumulates seconds per stage (``with timer("extract"): ...``).

    CPU time is the calling thread's, so that a stage is not charged for what other threads
    (pyoxigraph's loader, the pool's result handler) do meanwhile; the stages in ``threaded``
    do their work on pyoxigraph's threads, so they take the whole process's CPU time.
    """

    threaded = frozenset({"store", "commit", "entities"})

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # CPU seconds (the machine may be shared)

    @contextmanager
    def __call__(self, stage: str):
        clock = time.process_time if stage in self.threaded else time.thread_time
        t0, c0 = time.perf_counter(), clock()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0
            self.cpu[stage] = self.cpu.get(stage, 0.0) + clock() - c0


# --------------------------------------------------------------------------- extraction workers

_worker_config: ExtractConfig | None = None


def _init_worker(config: ExtractConfig) -> None:
    """Pool initializer: build (and so warm) the pipeline once per worker process."""
    import signal

    global _worker_config
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker_config = config
    _extract_one(Article("warm-up", "武汉经开区召开会议。"), config)


#: the document, its guide JSON line, its quads before resolution (graph.DocTemplate) and the
#: CPU seconds the graph template took
Extracted = tuple[ArticleDoc, str, object, float]


def _extract_one(article: Article, config: ExtractConfig) -> tuple[Extracted | None, str | float]:
    """-> ((doc, JSON line, template, graph CPU s), extraction CPU s) or (None, error line);
    never raises for one bad article (a failing graph conversion is a bug: it stops the build).

    The guide's JSON line and the article's N-Quads (entity IRIs left open until resolution,
    see graph.doc_template) are made here, in the worker, to spare the main process, which
    would otherwise be as busy as two workers.
    """
    from . import graph as G
    from .export import article_record
    from .extract import extract

    t0 = time.process_time()
    try:
        doc = extract(article, config)
        line = json.dumps(article_record(doc), ensure_ascii=False) + "\n"
    except CheguError as exc:
        return None, f"{article.path or article.source}: {exc}"
    except Exception as exc:  # a bug in a component must not lose the other articles
        return None, f"{article.path or article.source}: extraction failed: {type(exc).__name__}: {exc}"
    t1 = time.process_time()
    template = G.doc_template(doc)
    return (doc, line, template, time.process_time() - t1), t1 - t0


def _extract_chunk(articles: list[Article]) -> list[tuple[Extracted | None, str | float]]:
    assert _worker_config is not None
    return [_extract_one(a, _worker_config) for a in articles]


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Lists of ``size`` items (the last one shorter), read lazily from ``items``."""
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_stream(articles: Iterable[Article], config: ExtractConfig, jobs: int = 1,
                   chunk_size: int = 8) -> Iterator[tuple[Article, Extracted | None, str | float]]:
    """(article, Extracted, CPU seconds) or (article, None, error) per article, in input order.

    With ``jobs > 1`` a process pool extracts; at most ``4 * jobs`` chunks are in flight, so
    memory stays flat however long the stream (``Pool.imap`` would read the whole input).
    (8 * jobs measured no faster: 18.4 vs 20.4 articles/s, within the shared machine's noise.)
    """
    if jobs <= 1:
        for article in articles:
            doc, info = _extract_one(article, config)
            yield article, doc, info
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(config,)) as pool:
        pending: deque = deque()
        chunks = _chunks(articles, chunk_size)
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_extract_chunk, (chunk,))))
            if len(pending) >= 4 * jobs:
                break
        while pending:
            chunk, result = pending.popleft()
            for article, (doc, info) in zip(chunk, result.get()):
                yield article, doc, info
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append((nxt, pool.apply_async(_extract_chunk, (nxt,))))


# --------------------------------------------------------------------------- the build


def _fingerprint(config: ExtractConfig, alias_digest: str) -> str:
    """A digest of everything extraction depends on besides the article: when it changes,
    every article is extracted again."""
    from importlib.metadata import PackageNotFoundError, version

    from .resources import data_dir, lexicon_dir, model_dir

    h = hashlib.sha1()
    try:
        h.update(version("chegukg").encode())
    except PackageNotFoundError:
        pass
    h.update(repr(config.use_ner).encode())
    h.update(alias_digest.encode())
    files: list[Path] = []
    for folder in (lexicon_dir(), data_dir() / "rules", data_dir() / "resolve", model_dir()):
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.is_file())
    files.extend(Path(p) for p in (*config.lexicons, *config.aliases))
    package = Path(__file__).resolve().parent  # the code that turns an article into quads
    for part in ("extract", "ner"):
        files.extend(sorted((package / part).rglob("*.py")))
    files.extend(package / name for name in ("ingest.py", "types.py", "graph.py", "resolve.py", "vocab.py"))
    for path in sorted(files):
        h.update(str(path.name).encode())
        try:
            size = path.stat().st_size
            h.update(path.read_bytes() if size < 8 * 1024 * 1024 else str(size).encode())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


_SOURCE = re.compile(r'^\{"source":\s*("(?:[^"\\]|\\.)*")')


def _record_source(line: str) -> str | None:
    m = _SOURCE.match(line)
    try:
        return json.loads(m.group(1)) if m else json.loads(line).get("source")
    except (ValueError, AttributeError):
        return None  # a line cut short by a killed build


def _ends_with_newline(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) == b"\n"
    except OSError:
        return False


def _merge_jsonl(out: Path, known_before: Iterable[str] | Callable[[str], bool] = (),
                 resolved: Callable[[str], bool] = lambda source: True) -> Path:
    """extraction.jsonl := old records, then pending ones (the newest record per source wins).

    Pending files (``.extraction.pending-*.jsonl``) are written during a build and survive a
    killed one, so an article the store committed always has its record somewhere. When no
    pending record replaces one the file may already hold (``known_before``: the sources built
    before this run), the records are appended instead of rewriting a file of 100k lines.
    Records of articles the resolver state never committed (``resolved`` false: a build killed
    before its commit) are dropped: those articles are not in the store either.
    """
    target = out / "extraction.jsonl"
    pending = sorted(out.glob(".extraction.pending-*.jsonl"), key=lambda p: p.stat().st_mtime_ns)
    if not pending:
        return target
    is_known = known_before if callable(known_before) else set(known_before).__contains__
    last: dict[str, int] = {}
    replaces = False
    for i, path in enumerate(pending):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                source = _record_source(line)
                if source is not None and line.endswith("\n") and resolved(source):
                    replaces = replaces or source in last or is_known(source)
                    last[source] = i
    if target.exists() and not replaces and _ends_with_newline(target):
        with open(target, "a", encoding="utf-8") as dst:
            for i, path in enumerate(pending):
                with open(path, encoding="utf-8") as fh:
                    dst.writelines(line for line in fh if line.endswith("\n") and last.get(_record_source(line)) == i)
            dst.flush()
            os.fsync(dst.fileno())
        for path in pending:
            path.unlink(missing_ok=True)
        return target
    from .api import atomic_output

    with atomic_output(target) as dst:
        if target.exists():
            with open(target, encoding="utf-8") as fh:
                for line in fh:
                    if line.endswith("\n") and _record_source(line) not in last:
                        dst.write(line)
        for i, path in enumerate(pending):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if line.endswith("\n") and last.get(_record_source(line)) == i:
                        dst.write(line)
    os.chmod(target, 0o644)  # a shared result, not a private temporary file
    for path in pending:
        path.unlink(missing_ok=True)
    return target


def _digest(*parts: bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
        h.update(b"\x00")
    return h.hexdigest()


def iter_inputs(inputs: Iterable[str | Path], on_error: Callable[[InputError], None],
                encoding: str | None = None, skip: Callable[[str], bool] = lambda raw: False
                ) -> Iterator[tuple[str | None, Article]]:
    """(raw digest, article) for every article in ``inputs``, as :func:`ingest.iter_articles`
    reads them, except that an input whose raw digest ``skip`` accepts is not even parsed:
    a rebuild of 100,000 unchanged JSON lines costs a read and a SHA-1 each, not a parse.
    """
    from .ingest import JSONL_SUFFIXES, article_from_record, expand, read_path, read_stdin

    enc = (encoding or "").encode()
    for item in expand(inputs):
        if item == "-":
            yield from ((None, a) for a in read_stdin(on_error))
            continue
        path = Path(item)
        if path.suffix.lower() in JSONL_SUFFIXES and path.is_file() and not encoding:
            yield from _iter_jsonl_raw(path, on_error, skip, article_from_record)
            continue
        try:
            raw = _digest(path.name.encode(), enc, path.read_bytes()) if path.is_file() else None
        except OSError:
            raw = None  # read_path reports it
        if raw is not None and skip(raw):
            continue
        yield from ((raw, a) for a in read_path(path, on_error, encoding))


def _iter_jsonl_raw(path: Path, on_error, skip, article_from_record) -> Iterator[tuple[str, Article]]:
    """JSON lines with their digests; the same errors as ingest.iter_jsonl."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        on_error(InputError(str(path), f"cannot open: {exc.strerror}"))
        return
    with fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip(b"\r\n")
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            raw = _digest(line)
            if skip(raw):
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line.decode("utf-8"))
                yield raw, article_from_record(record, where)
            except UnicodeDecodeError:
                on_error(InputError(str(path), "not UTF-8: JSON lines must be UTF-8"))
                return
            except json.JSONDecodeError as exc:
                on_error(InputError(where, f"not valid JSON ({exc.msg}): fix or remove this line"))
            except InputError as exc:
                on_error(exc)


def _count_inputs(inputs: list[str]) -> int | None:
    """How many articles the inputs hold (for the progress bar's time left); None if unknown."""
    from .ingest import JSONL_SUFFIXES, expand

    total = 0
    for item in expand(inputs):
        if item == "-":
            return None
        path = Path(item)
        if path.suffix.lower() in JSONL_SUFFIXES:
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                pass
        else:
            total += 1
    return total


def _progress_bar(show: bool | None, total: int | None):
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True, smoothing=0.05,
                desc="build")


def build(inputs: Iterable[str | Path] | None = None, out: str | Path = "out", jobs: int = 1,
          config: ExtractConfig | None = None, *, aliases: Iterable[str | Path] = (),
          progress: bool | None = None, encoding: str | None = None, commit_every: int = 2000,
          dump: bool | None = None, html: bool | None = None, chunk_size: int = 8,
          on_error: Callable[[str], None] | None = None) -> BuildReport:
    """Build (or update) the knowledge graph of ``inputs`` into ``out``.

    ``inputs``: files, directories or ``-``; ``None`` builds the embedded default corpus.
    ``aliases``: extra alias tables for resolution (as ``config.aliases`` for extraction).
    ``dump``/``html``: write graph.trig / graph.html (default: when the store is small enough).
    Bad inputs are reported (``on_error`` and ``report.failures``), the rest is built.

    >>> build(None, out="out").total_articles          # doctest: +SKIP
    1
    """
    from . import graph as G
    from .resolve import AliasTable, Resolver, ResolverState
    from .resources import default_corpus
    from .store import Store

    t_start, c_start = time.perf_counter(), time.process_time()
    config = config or ExtractConfig()
    inputs = [str(p) for p in inputs] if inputs else [str(default_corpus())]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out=out)
    timer = _Timer()

    def failed(line: str) -> None:
        report.failures.append(line)
        if on_error:
            on_error(line)

    with timer("open"):
        table = AliasTable.load([*aliases, *config.aliases])
        state = ResolverState.open(out / "resolver.sqlite")
        store = Store.open(out / "store")
    pending = None
    committed_at = 0
    try:
        resolver = Resolver(state, table)
        fingerprint = _fingerprint(config, table.digest())
        with timer("open"):
            head = _store_head(out)
            if head is not None and head == state.get_meta("store_head"):
                known = state.stored_hashes()  # the store is as our last commit left it
            else:  # a first build, a killed one, or the store changed behind our back
                known = store.article_hashes()
            built_with = state.fingerprints()
            raw_index = state.raw_index()
        redo = 0
        raw_of: dict[str, str | None] = {}  # source -> raw digest, for articles in flight

        def unchanged_raw(raw: str) -> bool:
            entry = raw_index.get(raw)
            if entry is None:
                return False
            source, content_hash, built = entry
            if known.get(source) != content_hash or built != fingerprint:
                return False
            report.skipped += 1
            if bar is not None:
                bar.update(1)
            return True

        def fresh(article: Article) -> bool:
            nonlocal redo
            if known.get(article.source) == article.content_hash:
                if built_with.get(article.source) == fingerprint:
                    report.skipped += 1
                    if bar is not None:
                        bar.update(1)
                    return False
                redo += 1  # unchanged, but built with other code, lexicons or alias table
            return True

        bar = _progress_bar(progress, _count_inputs(inputs) if progress or (progress is None and sys.stderr.isatty()) else None)
        def articles() -> Iterator[Article]:
            for raw, article in iter_inputs(inputs, lambda e: failed(str(e)), encoding, unchanged_raw):
                if fresh(article):
                    raw_of[article.source] = raw
                    yield article

        pending = open(out / f".extraction.pending-{os.getpid()}-{time.time_ns()}.jsonl", "w", encoding="utf-8")
        seen: set[str] = set()
        state.begin()
        batch: list = []  # new articles, written in bulk
        rebatch: list = []  # changed ones: their graphs dropped, then written in bulk
        t_extract = t_graph = 0.0
        since_commit = 0
        for article, result, info in extract_stream(articles(), config, jobs, chunk_size):
            raw = raw_of.pop(article.source, None)
            if result is None:
                failed(str(info))
                continue
            doc, line, template, graph_cpu = result
            t_extract += float(info)
            t_graph += graph_cpu
            if article.source in seen:
                report.notes.append(f"note: two inputs are named {article.source}: the later one was kept")
            if article.source in seen:  # the same source twice in one run: the slow, exact path
                with timer("store"):
                    _flush(store, batch)
                    _flush(store, rebatch, replace=True)
                target = None
            elif article.source not in known and article.source not in built_with:
                target = batch  # new to the store: bulk insert
            else:
                target = rebatch  # in the store (or may be): drop its graph, then bulk insert
            seen.add(article.source)
            _store_doc(doc, resolver, store, timer, G, target, fingerprint, raw, template)
            with timer("jsonl"):
                pending.write(line)
            if len(batch) + len(rebatch) >= BATCH:
                with timer("store"):
                    _flush(store, batch)
                    _flush(store, rebatch, replace=True)
            report.built += 1
            since_commit += 1
            if bar is not None:
                bar.update(1)
            if since_commit >= commit_every:
                with timer("commit"):
                    _flush(store, batch)
                    _flush(store, rebatch, replace=True)
                    _commit(pending, state, store)
                committed_at = pending.tell()
                since_commit = 0
        if bar is not None:
            bar.close()
        with timer("store"):
            _flush(store, batch)
            _flush(store, rebatch, replace=True)
        with timer("entities"):
            report.merged = state.merged_entities()
            written = _write_entities(store, state, G)
        with timer("commit"):
            _commit(pending, state, store)
            # only now that the store holds the entities graph may the state forget it is dirty
            state.clean(written)
            resolver.settle()
            state.commit()
        if redo:
            report.notes.append(f"{redo} unchanged article(s) built again: extraction code, settings or "
                                f"alias table changed since they were built")
        pending.close()
        report.stage_seconds["extract (cpu, all workers)"] = t_extract
        report.stage_seconds["graph template (cpu, all workers)"] = t_graph
        _summarise(report, state, resolver, seen)
        with timer("jsonl"):
            report.outputs.append(str(_merge_jsonl(out, built_with.__contains__,
                                                   lambda s: s in seen or s in built_with)))
        report.total_articles = state.article_count()
        _write_views(report, store, out, dump, html, timer)
    except BaseException:
        state.rollback()
        store.abort()
        state.close()
        if pending is not None and not pending.closed:  # records of what was not committed go
            pending.truncate(committed_at)
            pending.close()
        raise
    background = _rocksdb_thread_cpu()  # before close(): its threads end with the store
    store.close()
    state.close()
    report.stage_seconds = {**timer.seconds, **report.stage_seconds}
    report.stage_cpu_seconds = dict(timer.cpu)
    if background is not None:
        report.stage_cpu_seconds["rocksdb background (compaction)"] = background
    report.main_cpu_seconds = time.process_time() - c_start
    report.seconds = time.perf_counter() - t_start
    return report


def _rocksdb_thread_cpu() -> float | None:
    """CPU seconds of this process's RocksDB background threads (compactions, flushes), from
    /proc on Linux; None elsewhere. Part of the main process's CPU that no stage timer sees."""
    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        return None
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for task in tasks.iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.find("(") + 1:stat.rfind(")")], stat[stat.rfind(")") + 2:].split()
        if name.startswith("rocksdb"):
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def _store_doc(doc: ArticleDoc, resolver, store, timer: _Timer, G, batch: list | None,
               fingerprint: str = "", raw: str | None = None, template=None) -> None:
    """Resolve one document and write its quads (or queue their N-Quads, when the store has
    the bulk path and the article was not already written in this run)."""

    with timer("resolve"):
        iri_of = resolver.add(doc)
        resolver.state.record_article(doc, fingerprint, raw)
    with timer("graph"):
        text = template.fill(iri_of) if template is not None else None
    if text is not None and batch is not None and hasattr(store, "add_nquads"):
        batch.append((doc.article.source, text.encode("utf-8")))  # bytes: less memory than a str
        return
    with timer("graph"):
        quads = G.doc_quads(doc, iri_of)
    with timer("store"):
        store.replace_article(doc.article.source, quads, doc.article.content_hash)


def _flush(store, batch: list, replace: bool = False) -> None:
    """Write the queued articles in one bulk insert (``replace``: dropping their graphs first;
    the entities graph is the build's to rewrite, from the resolver state)."""
    if batch:
        store.add_nquads(batch, replace=replace)
        batch.clear()


def _commit(pending, state, store) -> None:
    """Make progress durable: JSON lines, then resolver state, then the store (HEAD swap).

    In this order a kill between two steps leaves the store behind the state, never ahead:
    the next build re-extracts what the store lacks, and resolving a document again first
    forgets what it gave before.
    """
    pending.flush()
    os.fsync(pending.fileno())
    state.commit()
    store.commit()
    state.begin()
    state.mark_committed(_store_head(store.path.parent) if store.path is not None else None)
    state.commit()
    state.begin()


def _store_head(out: Path) -> str | None:
    """The store's current version (store/HEAD, see cheguKG.store), or None."""
    try:
        return (Path(out) / "store" / "HEAD").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _write_entities(store, state, G) -> list[str]:
    """The entities graph: canonical labels, aliases, merge reasons of what changed.

    Returns the IRIs written; the caller marks them clean once the store has committed.
    """
    dirty = state.dirty()
    if not dirty:
        return dirty
    update = getattr(store, "update_entities", None)
    if update is not None:
        # in chunks: a first build of 100k articles dirties every entity, and one update
        # holding them all would make the build's memory grow with the corpus
        for i in range(0, len(dirty), ENTITY_CHUNK):
            chunk = dirty[i:i + ENTITY_CHUNK]
            live = [e for e in (state.entity(iri, max_members=0) for iri in chunk) if e is not None
                    and state.member_count(e.iri) > 0]
            update(chunk, G.entity_quads(live))
    else:
        store.replace_entities(G.entity_quads(state.entities(max_members=0)))
    return dirty


def _summarise(report: BuildReport, state, resolver, built: set[str]) -> None:
    report.entities = state.counts()
    report.relations = state.relation_counts()


def _write_views(report: BuildReport, store, out: Path, dump: bool | None, html: bool | None,
                 timer: _Timer) -> None:
    """graph.trig and graph.html, from the committed store (atomically, each)."""
    n = report.total_articles
    trig = out / "graph.trig"
    if dump or (dump is None and (n <= DUMP_LIMIT and (report.built or not trig.exists()))):
        with timer("dump"):
            store.export(trig, "trig")
        report.outputs.append(str(trig))
    elif dump is None and n > DUMP_LIMIT:
        report.notes.append(f"graph.trig not rewritten: {n} articles (export with chegukg export, or pass --dump)")
    page = out / "graph.html"
    if html is False or (html is None and (n > HTML_LIMIT or not (report.built or not page.exists()))):
        return
    try:
        from .netx import to_networkx
        from .viz import write_html
    except ImportError:
        report.notes.append("graph.html skipped: cheguKG.viz is not available")
        return
    with timer("html"):
        tmp = out / f".graph.html.tmp{os.getpid()}"
        try:
            write_html(to_networkx(store), tmp)
            os.replace(tmp, page)
            report.outputs.append(str(page))
        except Exception as exc:  # the view must never fail a build that stored everything
            report.notes.append(f"graph.html skipped: {type(exc).__name__}: {exc}")
        finally:
            tmp.unlink(missing_ok=True)


def explain(name: str, out: str | Path = "out") -> str:
    """Why the entities written ``name`` in the build at ``out`` were merged (or kept apart)."""
    from .resolve import ResolverState, explain as _explain

    path = Path(out) / "resolver.sqlite"
    if not path.exists():
        raise InputError(str(path), "no resolver state here: run chegukg build first")
    state = ResolverState.open(path)
    try:
        return _explain(name, state)
    finally:
        state.close()


def remove(sources: Iterable[str], out: str | Path = "out") -> list[str]:
    """Take articles out of the build at ``out``: their named graphs, the entities no other
    article mentions, their resolver members and their extraction records. Returns the
    sources that were not in the store.

    >>> remove(["d001.txt"], out="out")   # doctest: +SKIP
    []
    """
    from . import graph as G
    from .resolve import ResolverState
    from .store import Store

    out = Path(out)
    state_path = out / "resolver.sqlite"
    missing: list[str] = []
    gone: set[str] = set()
    with Store.open(out / "store", create=False) as store:
        state = ResolverState.open(state_path) if state_path.exists() else None
        try:
            if state is not None:
                state.begin()
            for source in sources:
                if not store.remove_article(source):
                    missing.append(source)
                    continue
                gone.add(source)
                if state is not None:
                    state.remove_source(source)
            if state is not None and gone:
                written = _write_entities(store, state, G)
                state.commit()  # state before store, as in a build (see _commit)
                store.commit()
                state.begin()
                state.clean(written)
                state.mark_committed(_store_head(out))
                state.commit()
        finally:
            if state is not None:
                state.close()
    if gone:
        _drop_records(out / "extraction.jsonl", gone)
    return missing


def _drop_records(path: Path, sources: set[str]) -> None:
    """Rewrite extraction.jsonl without the records of ``sources`` (atomically)."""
    from .api import atomic_output

    if not path.exists():
        return
    with open(path, encoding="utf-8") as src, atomic_output(path) as dst:
        dst.writelines(line for line in src if _record_source(line) not in sources)
