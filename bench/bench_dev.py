"""Articles per second for extracting the dev corpus (../shared/corpus/dev), one process.

    .venv/bin/python bench/bench_dev.py [--no-ner] [--repeat 3] [--dir ../shared/corpus/dev/articles]

Prints articles/s and characters/s of ``cheguKG.extract.extract`` after the pipeline is warm
(jieba and the model load once per process; that start-up is reported separately).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev" / "articles"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=DEV)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the corpus; the best is reported")
    args = ap.parse_args(argv)
    if not args.dir.is_dir():
        print(f"{args.dir} is absent: pass --dir", file=sys.stderr)
        return 2
    from cheguKG.extract import ExtractConfig, extract
    from cheguKG.ingest import iter_articles

    config = ExtractConfig(use_ner=not args.no_ner)
    articles = list(iter_articles([args.dir], on_error=lambda e: print(f"skipped: {e}", file=sys.stderr)))
    chars = sum(len(a.text) for a in articles)
    t0 = time.perf_counter()
    extract(articles[0], config)
    warm = time.perf_counter() - t0
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for a in articles:
            extract(a, config)
        best = min(best, time.perf_counter() - t0)
    print(f"dev corpus: {len(articles)} articles, {chars} characters (mean {chars // len(articles)})")
    print(f"start-up (first article, pipeline warm-up): {warm:.2f} s")
    print(f"extraction ({'rules only' if args.no_ner else 'with NER'}): {len(articles) / best:.1f} articles/s, "
          f"{chars / best / 1000:.1f} k chars/s, one process, best of {args.repeat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
