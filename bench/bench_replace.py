"""How the living store's write path scales: doc_quads, replace_article, commit, remove.

Builds N hand-made articles that all mention the same entities (the worst case for the
entity pruning a replace or remove does), then times, at that store size:

* doc_quads per article;
* replace_article of NEW articles (the initial build) and of EXISTING ones (a rebuild);
* remove_article; commit (flush + checkpoint + HEAD swap); opening a reader.

    nice .venv/bin/python bench/bench_replace.py --articles 2000

Measured 2026-11-24 on the shared 2-core machine at load average ~11 (so slow and noisy),
2000 articles, 614k quads: doc_quads 4 ms/article; replace_article 20 ms/article new,
30 ms/article replacing one of 2000; remove_article 12 ms; commit of 614k uncommitted quads
5.6 s (memtable flush + checkpoint; nearly free when little changed); opening a reader
20 ms; Store.bulk_load 48k quads/s against rdflib's N-Quads parser at 14k quads/s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from rdf_docs import make_doc  # noqa: E402

from cheguKG.graph import doc_quads, local_iris  # noqa: E402
from cheguKG.store import Store  # noqa: E402


def timed(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    docs = [make_doc(f"a{i:06d}.txt") for i in range(args.articles)]
    t0 = time.perf_counter()
    quads = [doc_quads(d, local_iris(d)) for d in docs]
    t_graph = (time.perf_counter() - t0) / len(docs)
    n_quads = sum(map(len, quads))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        t0 = time.perf_counter()
        with Store.open(path) as store:
            for d, q in zip(docs, quads):
                store.replace_article(d.article.source, q, d.article.content_hash)
            t_fill = time.perf_counter() - t0
            t0 = time.perf_counter()
            store.commit()
            t_commit = time.perf_counter() - t0
            again = timed(lambda i: store.replace_article(docs[i].article.source, quads[i],
                                                          docs[i].article.content_hash), args.repeat)
            removed = timed(lambda i: store.remove_article(docs[i].article.source), args.repeat)
        t0 = time.perf_counter()
        reader = Store.open(path, read_only=True)
        t_open = time.perf_counter() - t0
        dump = Path(tmp) / "all.nq"
        t0 = time.perf_counter()
        reader.export(dump)
        t_export = time.perf_counter() - t0
        dumped = len(reader)
        reader.close()
        t0 = time.perf_counter()
        with Store.open(Path(tmp) / "copy") as copy:
            copy.bulk_load(dump)
        t_bulk = time.perf_counter() - t0
        t0 = time.perf_counter()
        import rdflib

        rdflib.Dataset().parse(dump, format="nquads")
        t_rdflib = time.perf_counter() - t0
    print(f"articles {args.articles}, quads {n_quads} ({n_quads / len(docs):.0f} per article)")
    print(f"doc_quads                 {t_graph * 1e3:8.2f} ms/article")
    print(f"replace_article (new)     {t_fill / len(docs) * 1e3:8.2f} ms/article  "
          f"({n_quads / t_fill:,.0f} quads/s)")
    print(f"replace_article (rebuild) {again * 1e3:8.2f} ms/article at {args.articles} articles")
    print(f"remove_article            {removed * 1e3:8.2f} ms/article")
    print(f"commit                    {t_commit * 1e3:8.2f} ms")
    print(f"open read-only            {t_open * 1e3:8.2f} ms")
    print(f"export N-Quads            {dumped / t_export:10,.0f} quads/s ({dumped} quads)")
    print(f"Store.bulk_load N-Quads   {dumped / t_bulk:10,.0f} quads/s (incl. commit)")
    print(f"rdflib parse N-Quads      {dumped / t_rdflib:10,.0f} quads/s  -> store is "
          f"{t_rdflib / t_bulk:.1f}x faster")


if __name__ == "__main__":
    main()
