"""Store bench: pyoxigraph (our Store) against rdflib's in-memory Dataset at ~1M triples.

A synthetic graph shaped like a build's (one named graph per article: the article node,
entity types, labels and mentions, relation triples, a reified assertion per fact with its
sentence and span; an entities graph with canonical labels) is written as N-Quads, then:

* load: ``Store.open(dir).bulk_load(nq)`` + commit (strict and lenient), raw
  ``pyoxigraph.Store(dir).bulk_load``, pyoxigraph's in-memory ``Store().load`` (strict and
  lenient) and parsing alone, against ``rdflib.Dataset().parse(nq, format="nquads")``;
* queries, the same SPARQL on both (default graph = union of all graphs): one entity's
  facts, a two-hop join, a COUNT GROUP BY, a text FILTER (CONTAINS and REGEX).

Where the load time goes (1M quads, 2026-11-24, the shared 2-core machine at load ~10; CPU
seconds, all threads, the steadier figure; walls there were 2-4x the CPU, mostly waiting):
parsing alone 1.6 (lenient 0.7); pyoxigraph's in-memory store 4.2 (lenient 3.1); on disk
12-13, of which ~2.7 in the calling thread (parse, term encoding) and ~10 in pyoxigraph's
loader thread (sorting six quad indexes and the dictionary, writing them as LZ4-compressed
RocksDB SST files, ingesting them). The Store's own share is nil: commit (checkpoint by hard
links, HEAD swap) is 0.04 s, and the Rust ``oxigraph load`` CLI costs the same 11.4 CPU-s
(``--lenient`` 11.0), so the floor is RocksDB's bulk loader, whose threads, batch size and
compression Python cannot set. ``Store.load`` (one transaction) into a directory is worse:
5.7 against 1.6 CPU-s at 200k quads. rdflib: 36 CPU-s. So the on-disk store loads ~3x faster
than rdflib parses, not the issue's 10x; only an in-memory pyoxigraph store gets ~9x
(lenient ~12x, fair: rdflib's N-Quads parser checks IRIs no further than ``<scheme:...>``).

Since then (2026-11-24, quiet machine): one bulk_load call keeps only ~1.1 cores busy, so
``Store.bulk_load`` cuts a big N-Quads/N-Triples file at newlines into ~12 MB chunks and
loads them on cpu_count + 1 threads (store._parallel_bulk_load). At 1M quads: 4.1-4.4 s wall
(7.7-8.2 CPU-s, both cores busy) against 9.3 s for one call and 32 s for rdflib: 7.3x
(lenient 7.8x). Both cores are then full, so the wall time cannot fall much further without
less CPU, and the CPU is the RocksDB loader's (plus compaction of the extra L0 files).

Prints median times and ratios. Run it niced: it takes a few minutes and ~3 GB (rdflib)::

    nice .venv/bin/python bench/bench_store.py                 # 1M triples
    nice .venv/bin/python bench/bench_store.py --triples 100000 --repeat 3
    nice .venv/bin/python bench/bench_store.py --workdir /tmp/bench   # keep the store for bench_endpoint
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cheguKG import vocab as V

TYPES = ["Person", "GovernmentBody", "Enterprise", "Organization", "Place", "Meeting", "Policy",
         "Project", "Industry", "Position"]
SUFFIX = {"Person": "", "GovernmentBody": "党工委", "Enterprise": "有限公司", "Organization": "研究院",
          "Place": "街道", "Meeting": "会议", "Policy": "若干措施", "Project": "基地", "Industry": "产业",
          "Position": "主任"}
CHARS = "武汉车谷经开区新能源汽车智能网联科技集团华中理工大学军山纱帽沌口临空港产业园创新走廊东风岚图绿动富诚"
WORDS = ["推进", "加快", "建设", "发展", "项目", "企业", "产业", "创新", "招商", "调研", "会议", "落实",
         "高质量", "转型", "升级", "平台", "基地", "政策", "投资", "合作", "签约", "开工", "投产", "园区"]
# (relation, head type, tail type)
RELATIONS = [("holds_position", "Person", "Enterprise"), ("convened_by", "Meeting", "GovernmentBody"),
             ("inspects", "Meeting", "Enterprise"), ("adopts", "Meeting", "Policy"),
             ("located_in", "Enterprise", "Place"), ("located_in", "Place", "Place"),
             ("in_industry", "Enterprise", "Industry"), ("undertakes", "Enterprise", "Project"),
             ("comments_on", "Person", "Meeting")]
NEEDLE = "氢能"  # in ~3% of sentences: the text FILTER's target

I = "<" + V.XSD + "integer>"
D = "<" + V.XSD + "double>"


def _lit(text: str, lang: str = "zh") -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@' + lang


class Synthetic:
    """A deterministic graph of about ``triples`` quads; knows entities to ask about."""

    def __init__(self, triples: int = 1_000_000, seed: int = 7):
        self.rng = random.Random(seed)
        self.target = triples
        n_entities = max(200, triples // 20)
        self.entities = {t: [] for t in TYPES}
        for i in range(n_entities):
            type_ = TYPES[i % len(TYPES)]
            name = "".join(self.rng.choice(CHARS) for _ in range(self.rng.randint(2, 5))) + SUFFIX[type_] + str(i)
            self.entities[type_].append((V.entity_iri(type_, name), name))
        self.articles = 0

    def pick(self, type_: str) -> tuple[str, str]:
        pool = self.entities[type_]
        # Zipf-like: a few entities are in many articles, most in few.
        return pool[min(len(pool) - 1, int(self.rng.paretovariate(1.2)) - 1)] if self.rng.random() < 0.3 \
            else self.rng.choice(pool)

    def sentence(self) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(8, 16))]
        if self.rng.random() < 0.03:
            words.insert(self.rng.randrange(len(words)), NEEDLE)
        return "".join(words) + "。"

    def write(self, path: Path) -> int:
        """Write the N-Quads; returns the number of quads."""
        count = 0
        with open(path, "w", encoding="utf-8") as out:
            count += self._entities_graph(out)
            while count < self.target:
                count += self._article(out, self.articles)
                self.articles += 1
        return count

    def _entities_graph(self, out) -> int:
        g = f"<{V.ENTITIES_GRAPH}>"
        lines = []
        for type_, pool in self.entities.items():
            for iri, name in pool:
                lines.append(f"<{iri}> <{V.RDF}type> <{V.CLASS_OF_TYPE[type_]}> {g} .")
                lines.append(f"<{iri}> <{V.SKOS}prefLabel> {_lit(name)} {g} .")
                if len(name) > 4:
                    lines.append(f"<{iri}> <{V.SKOS}altLabel> {_lit(name[:3])} {g} .")
        out.write("\n".join(lines) + "\n")
        return len(lines)

    def _article(self, out, n: int) -> int:
        rng = self.rng
        source = f"{n:06d}_{rng.getrandbits(40):010x}.txt"
        g, art = f"<{V.graph_iri(source)}>", f"<{V.article_iri(source)}>"
        lines = [f"{art} <{V.RDF}type> <{V.ARTICLE}> {g} .",
                 f"{art} <{V.SOURCE_NAME}> \"{source}\" {g} .",
                 f"{art} <{V.DCT}title> {_lit(self.sentence()[:20])} {g} .",
                 f"{art} <{V.DCT}date> \"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\"^^<{V.XSD}date> {g} .",
                 f"{art} <{V.SCHEMA}url> <http://example.org/news/{source}> {g} ."]
        seen = set()
        for k in range(rng.randint(6, 12)):
            relation, head_type, tail_type = rng.choice(RELATIONS)
            (head, head_name), (tail, tail_name) = self.pick(head_type), self.pick(tail_type)
            prop = V.PROPERTY_OF_RELATION[relation]
            sentence, start = self.sentence(), rng.randint(0, 3000)
            for iri, name, type_ in ((head, head_name, head_type), (tail, tail_name, tail_type)):
                if iri not in seen:
                    seen.add(iri)
                    mention = f"<{V.mention_iri(source, start, start + len(name), type_)}>"
                    lines += [f"<{iri}> <{V.RDF}type> <{V.CLASS_OF_TYPE[type_]}> {g} .",
                              f"<{iri}> <{V.RDFS}label> {_lit(name)} {g} .",
                              f"<{iri}> <{V.MENTIONED_IN}> {art} {g} .",
                              f"<{iri}> <{V.HAS_MENTION}> {mention} {g} .",
                              f"{mention} <{V.RDF}type> <{V.MENTION}> {g} .",
                              f"{mention} <{V.START}> \"{start}\"^^{I} {g} .",
                              f"{mention} <{V.SENTENCE_TEXT}> {_lit(sentence)} {g} ."]
            a = f"<{V.assertion_iri(source, head, prop, tail, str(k))}>"
            lines += [f"<{head}> <{prop}> <{tail}> {g} .",
                      f"{a} <{V.RDF}type> <{V.ASSERTION}> {g} .",
                      f"{a} <{V.RDF}subject> <{head}> {g} .",
                      f"{a} <{V.RDF}predicate> <{prop}> {g} .",
                      f"{a} <{V.RDF}object> <{tail}> {g} .",
                      f"{a} <{V.SENTENCE_TEXT}> {_lit(sentence)} {g} .",
                      f"{a} <{V.START}> \"{start}\"^^{I} {g} .",
                      f"{a} <{V.END}> \"{start + len(sentence)}\"^^{I} {g} .",
                      f"{a} <{V.EXTRACTED_BY}> <{V.extractor_iri('rules')}> {g} .",
                      f"{a} <{V.CONFIDENCE}> \"0.9\"^^{D} {g} .",
                      f"{a} <{V.PROV}wasDerivedFrom> {art} {g} ."]
        out.write("\n".join(lines) + "\n")
        return len(lines)

    def busy_entity(self, type_: str = "Enterprise") -> str:
        """An entity in many articles (the head of the Zipf tail)."""
        return self.entities[type_][0][0]

    def sample_entities(self, k: int, type_: str = "Enterprise") -> list[str]:
        rng = random.Random(11)
        return [rng.choice(self.entities[type_])[0] for _ in range(k)]


PREFIX_LINES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in V.PREFIXES.items())


def entity_query(entity: str, prefixes: bool = True) -> str:
    """One entity's facts, from every graph (DISTINCT: the same fact in two articles is one)."""
    return (PREFIX_LINES if prefixes else "") + f"SELECT DISTINCT ?p ?o WHERE {{ <{entity}> ?p ?o }}"


def queries(place: str) -> dict[str, str]:
    """The other queries, with PREFIX lines so rdflib and any endpoint read them alike."""
    p = PREFIX_LINES
    return {
        # The same fact stands in many article graphs; rdflib's union graph is a set, the
        # store's a bag, so the sub-select drops repeats before the join, as rdflib does.
        "two-hop join": p + f"SELECT DISTINCT ?e ?place WHERE {{ {{ SELECT DISTINCT ?place WHERE "
                            f"{{ ?place cg:locatedIn <{place}> }} }} ?e cg:locatedIn ?place }}",
        "two-hop join, plain": p + f"SELECT DISTINCT ?e ?place WHERE {{ ?place cg:locatedIn <{place}> . "
                                   f"?e cg:locatedIn ?place }}",
        "COUNT GROUP BY": p + "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type",
        "text FILTER CONTAINS": p + f'SELECT ?a ?t WHERE {{ ?a cg:sentenceText ?t FILTER(CONTAINS(?t, "{NEEDLE}")) }}',
        "text FILTER REGEX": p + f'SELECT ?a ?t WHERE {{ ?a cg:sentenceText ?t FILTER(REGEX(?t, "{NEEDLE}.{{0,4}}基地")) }}',
    }


def median_seconds(run, sparqls: list[str], repeat: int) -> tuple[float, float, dict[int, int]]:
    """Median wall and CPU time of ``run(sparql)`` (which returns a row count) over ``repeat``
    runs cycling through ``sparqls``, and the rows each query gave (by index). CPU is this
    thread's: both engines answer in the calling thread, and RocksDB's background threads
    are not counted."""
    walls, cpus, rows = [], [], {}
    for i in range(repeat):
        w, c = time.perf_counter(), time.thread_time()
        rows[i % len(sparqls)] = run(sparqls[i % len(sparqls)])
        walls.append(time.perf_counter() - w)
        cpus.append(time.thread_time() - c)
    return statistics.median(walls), statistics.median(cpus), rows


class Clock:
    """Wall and CPU seconds of a block (CPU: this process, all its threads; ``main``: the
    calling thread's share, so ``cpu - main`` is what pyoxigraph's and RocksDB's own
    threads spent)."""

    def __enter__(self):
        self.wall, self.cpu, self.main = time.perf_counter(), time.process_time(), time.thread_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        self.main = time.thread_time() - self.main


def load_store(nq: Path, directory: Path, lenient: bool = False):
    """Our Store: bulk load into the writer's staging copy, then commit a version."""
    from cheguKG.store import Store

    store = Store.open(directory)
    store.bulk_load(nq, lenient=lenient)
    store.commit()
    store.close()
    return Store.open(directory, read_only=True)


def load_raw_pyoxigraph(nq: Path, directory: Path) -> None:
    import pyoxigraph

    store = pyoxigraph.Store(str(directory))
    store.bulk_load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS)
    del store
    gc.collect()


def load_memory_pyoxigraph(nq: Path, lenient: bool = False) -> None:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS, lenient=lenient)
    del store
    gc.collect()


def parse_pyoxigraph(nq: Path) -> int:
    """Parsing alone (no store): the floor under every pyoxigraph loader."""
    import pyoxigraph

    return sum(1 for _ in pyoxigraph.parse(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS))


def load_rdflib(nq: Path):
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(nq), format="nquads")
    return dataset


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs per query on the store (rdflib: fewer)")
    parser.add_argument("--rdflib-repeat", type=int, default=3)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data here (default: a temp dir)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="chegukg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        synthetic = Synthetic(args.triples)
        nq = work / "graph.nq"
        t = time.perf_counter()
        n = synthetic.write(nq)
        print(f"synthetic graph: {n:,} quads, {synthetic.articles:,} articles, "
              f"{sum(map(len, synthetic.entities.values())):,} entities, {nq.stat().st_size / 1e6:.0f} MB "
              f"N-Quads (written in {time.perf_counter() - t:.1f} s)")
        qs = {"one entity's facts": [entity_query(e) for e in synthetic.sample_entities(50)]}
        qs.update({name: [q] for name, q in queries(synthetic.busy_entity("Place")).items()})

        print("\nload (cpu: all threads of this process; threads: the part not in the calling thread)")
        for d in ("store", "store-lenient", "raw"):
            shutil.rmtree(work / d, ignore_errors=True)
        (work / f"store-{args.triples}.ok").unlink(missing_ok=True)
        print(f"  {'':50} {'wall':>12} {'cpu':>12} {'threads':>12}")
        loads: dict[str, Clock] = {}

        def timed(name: str, fn):
            with Clock() as clock:
                result = fn()
            loads[name] = clock
            print(f"  {name:50} {fmt_s(clock.wall)} {fmt_s(clock.cpu)} {fmt_s(clock.cpu - clock.main)}", flush=True)
            return result

        store = timed("cheguKG Store: bulk_load + commit (disk)", lambda: load_store(nq, work / "store"))
        (work / f"store-{args.triples}.ok").touch()  # bench_endpoint.py --workdir reuses it
        timed("cheguKG Store: bulk_load(lenient) + commit (disk)",
              lambda: load_store(nq, work / "store-lenient", lenient=True).close())
        shutil.rmtree(work / "store-lenient", ignore_errors=True)
        timed("pyoxigraph Store(dir).bulk_load (disk)", lambda: load_raw_pyoxigraph(nq, work / "raw"))
        shutil.rmtree(work / "raw", ignore_errors=True)
        timed("pyoxigraph Store().load (in memory)", lambda: load_memory_pyoxigraph(nq))
        timed("pyoxigraph Store().load(lenient) (in memory)", lambda: load_memory_pyoxigraph(nq, lenient=True))
        timed("pyoxigraph.parse only (no store)", lambda: parse_pyoxigraph(nq))
        rd = None
        if not args.no_rdflib:
            rd = timed("rdflib Dataset.parse(nquads) (in memory)", lambda: load_rdflib(nq))
            rd_load = loads.pop("rdflib Dataset.parse(nquads) (in memory)")
            print(f"\n  rdflib's time over each loader's (the issue's target: 10x for the store)")
            for name, clock in loads.items():
                print(f"  {name:50} wall {rd_load.wall / clock.wall:5.1f}x  cpu {rd_load.cpu / clock.cpu:5.1f}x")

        print(f"\nqueries: median of {args.repeat} runs on the store (after one untimed run), "
              f"{args.rdflib_repeat} on rdflib; the one-entity query: 50 entities on the store, 20 on rdflib. "
              "Wall times, and the ratios of wall and of CPU times")
        print(f"  {'query':24} {'store':>12} {'rdflib':>12} {'wall x':>8} {'cpu x':>8}  rows (all runs' queries)")
        warm_up = PREFIX_LINES + "SELECT * WHERE { ?s cg:start ?o } LIMIT 1"  # parsers, caches: once, untimed
        len(list(store.query(warm_up)))
        if rd is not None:
            len(list(rd.query(warm_up)))
        for name, sparqls in qs.items():
            for sparql in sparqls:  # warm the store's caches with each query once, untimed
                len(list(store.query(sparql)))
            ox_runs = max(args.repeat, len(sparqls))
            rd_runs = max(args.rdflib_repeat, min(len(sparqls), 20))
            ox_wall, ox_cpu, ox_by_query = median_seconds(lambda q: len(list(store.query(q))), sparqls, ox_runs)
            ox_rows = sum(ox_by_query.values())
            line = f"  {name:24} {fmt_s(ox_wall)}"
            if rd is not None:
                rd_wall, rd_cpu, rd_by_query = median_seconds(lambda q: len(list(rd.query(q))), sparqls, rd_runs)
                same = all(ox_by_query[i] == n for i, n in rd_by_query.items())
                flag = "" if same else f"  (rdflib differs: {rd_by_query} vs {ox_by_query})"
                line += (f" {fmt_s(rd_wall)} {rd_wall / ox_wall:7.1f}x "
                         f"{rd_cpu / max(ox_cpu, 1e-6):7.1f}x  {ox_rows}{flag}")
            else:
                line += f" {'-':>12} {'-':>8} {'-':>8}  {ox_rows}"
            print(line, flush=True)
        store.close()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
