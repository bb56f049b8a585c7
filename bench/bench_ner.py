"""Tagging speed of the NER model in characters per second on one core, and the ratio to bare
jieba.posseg (HMM off, as the pipeline segments) on the same text.

    .venv/bin/python bench/bench_ner.py [--model MODEL] [--file CLUENER.json] [--repeat 3]

Text: the CLUENER sentences in --file (default ../shared/data/cluener/train.json, last 2,000
lines), else the seed article's sentences. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "data" / "cluener" / "train.json"


def sentences(path: Path, limit: int) -> list[str]:
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
        return [json.loads(line)["text"] for line in lines if line.strip()]
    from cheguKG.extract import split_sentences

    seed = REPO / "data" / "corpus" / "000_9dcdb9a84830e439.txt"
    return [s.text for s in split_sentences(seed.read_text(encoding="utf-8"))]


def best_rate(fn, texts: list[str], repeat: int) -> float:
    chars = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return chars / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from cheguKG.extract.segment import tokenizer
    from cheguKG.ner import NerModel

    texts = sentences(args.file, args.limit)
    model = NerModel.load(args.model)
    model.tag("预热")
    pos = tokenizer()
    jieba_rate = best_rate(lambda t: list(pos.cut(t, HMM=False)), texts, args.repeat)
    ner_rate = best_rate(model.tag, texts, args.repeat)
    print(f"text: {len(texts)} sentences, {sum(map(len, texts))} chars")
    print(f"jieba.posseg (HMM off): {jieba_rate:,.0f} chars/s")
    print(f"NerModel.tag:           {ner_rate:,.0f} chars/s")
    print(f"ratio ner / jieba.posseg: {ner_rate / jieba_rate:.3f}  "
          f"(jieba is {jieba_rate / ner_rate:.1f}x faster)")
    print(f"model: {model.path} ({model.path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
