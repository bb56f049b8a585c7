"""Benchmark the main job on a SYNTHETIC corpus (bench/make_corpus.py): speed, memory, stages,
the ratio to bare jieba.posseg over the same text, and adding 100 articles to the built corpus.
(graph.trig and graph.html are not written: ``chegukg export`` / ``viz`` make them on demand.)

    .venv/bin/python bench/bench_build.py --articles 10000 --jobs 2
    .venv/bin/python bench/bench_build.py --articles 100000 --jobs 2 --work /tmp/bench100k
    .venv/bin/python bench/bench_build.py --articles 2000 --no-ner      # quick look

Prints: articles/s of the whole build; peak memory (the build process tree, sampled with psutil,
and the largest single process from getrusage); time per stage (from the build's JSON report);
bare ``jieba.posseg`` articles/s with the same number of processes over a sample of the same
texts, and the ratio; then the time to add 100 new articles, both by rebuilding the whole
input (unchanged articles skipped by content hash) and by building only the new file.

Measured 2026-11-24, --jobs 2, NER on (the machine's speed drifts: compare with the bare
posseg figure of the same run):

    articles  articles/s  bare posseg  ratio  peak MB (tree)  RocksDB compaction ms/article
       2,000        48.5         97.2   0.50            1113                           1.2
      10,000        39.7         91.8   0.43            1302                           8.7
     100,000        30.9         98.3   0.31            1586                          18.4

(100,000 ran before the NER screening and the resolver-summary fix; its add-100 times then
were 14.8 s / 8.2 s, and 5.7 s after that fix.) The workers' CPU per article stays ~24 ms;
what grows is RocksDB's background compaction in the main process: every bulk load adds SST
files spanning the whole key space (term ids are hashes), so leveled compaction rewrites
more of the store per article as it grows, and the main process becomes the bottleneck.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHEGUKG = str(Path(sys.executable).parent / "chegukg")


def make(path: Path, n: int, start: int = 0, chars: int = 1000) -> Path:
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), "--articles", str(n), "--start", str(start),
                        "--chars", str(chars), "-o", str(path)], check=True)
    return path


def run(args: list[str]) -> tuple[float, int, dict]:
    """Run chegukg; -> (seconds, peak RSS of the process tree in bytes, JSON report)."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen([CHEGUKG, *args, "--json", "--no-progress"], stdout=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            stop.wait(0.5)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    stop.set()
    watcher.join()
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"chegukg {' '.join(args)} failed with status {proc.returncode}")
    start = out.index("{")
    return seconds, peak, json.loads(out[start:out.rindex("}") + 1])


_tk = None


def _init_posseg() -> None:
    global _tk
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    _tk = jieba.posseg
    _tk.lcut("武汉经开区")


def _posseg(text: str) -> int:
    return len(_tk.lcut(text))


def bare_posseg(corpus: Path, jobs: int, sample: int) -> float:
    """Articles/s of bare jieba.posseg with ``jobs`` warm processes over the first ``sample`` texts."""
    texts = []
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= sample:
                break
    with mp.get_context("fork").Pool(jobs, initializer=_init_posseg) as pool:
        pool.map(_posseg, texts[:jobs * 2])  # make sure every worker is warm
        t0 = time.perf_counter()
        pool.map(_posseg, texts, chunksize=8)
        return len(texts) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and out/ (default /tmp/chegukg-bench-N)")
    ap.add_argument("--posseg-sample", type=int, default=1000)
    args = ap.parse_args(argv)
    work = args.work or Path(f"/tmp/chegukg-bench-{args.articles}")
    work.mkdir(parents=True, exist_ok=True)
    n = args.articles
    corpus = make(work / f"corpus-{n}.jsonl", n)
    add1 = make(work / "add-100-a.jsonl", 100, start=n)
    add2 = make(work / "add-100-b.jsonl", 100, start=n + 100)
    out = work / "out"
    if out.exists():
        import shutil

        shutil.rmtree(out)
    common = ["--out", str(out), "--jobs", str(args.jobs), "--no-html", "--no-dump"] + (["--no-ner"] if args.no_ner else [])

    seconds, peak, report = run(["build", str(corpus), *common])
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    rate = report["built"] / seconds
    print(f"synthetic corpus: {n} articles of ~1,000 characters ({corpus})")
    print(f"full build, --jobs {args.jobs}{' --no-ner' if args.no_ner else ''}: {seconds:.1f} s wall, "
          f"{rate:.1f} articles/s (start-up included)")
    print(f"peak memory: {peak / 2**20:.0f} MB for the process tree, {largest / 2**20:.0f} MB largest process")
    print("time per stage (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report["stage_seconds"].items()))
    built = max(report["built"], 1)
    cpu = {k: v for k, v in report["stage_seconds"].items() if "(cpu" in k}
    cpu.update({f"{k} (cpu, main)": v for k, v in report.get("stage_cpu_seconds", {}).items()})
    print("CPU ms per article: " + ", ".join(f"{k} {v * 1e3 / built:.1f}" for k, v in cpu.items())
          + (f"; main process in all {report['main_cpu_seconds'] * 1e3 / built:.1f}" if "main_cpu_seconds" in report else ""))
    posseg = bare_posseg(corpus, args.jobs, min(n, args.posseg_sample))
    print(f"bare jieba.posseg, {args.jobs} processes: {posseg:.1f} articles/s; "
          f"whole build / bare posseg = {rate / posseg:.2f} (speed ratio)")

    seconds, peak, report = run(["build", str(corpus), str(add1), *common])
    print(f"add 100 (rebuild whole input, {report['skipped']} unchanged skipped): {seconds:.1f} s, "
          f"peak {peak / 2**20:.0f} MB")
    seconds, peak, report = run(["build", str(add2), *common])
    print(f"add 100 (build only the new file): {seconds:.1f} s; {report['total_articles']} articles in the store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
