"""Extraction quality on the team's own held-out articles (tests/data/heldout), beside dev.

    .venv/bin/python bench/heldout.py [--errors 50] [--dev] [--no-ner] [--json]

The held-out set is 15 articles written by the team in the genre's style (places and bodies
across China, not only Wuhan) and annotated by hand per ../shared/annotation/GUIDE.md; see
tests/data/heldout/make_gold.py. None of it was looked at while tuning rules on
../shared/corpus/dev, so a rule that only fits the dev articles shows up as a gap between the
two columns. The same numbers from the command line:

    .venv/bin/chegukg extract tests/data/heldout/articles -o /tmp/heldout.jsonl
    .venv/bin/chegukg evaluate tests/data/heldout/gold.jsonl /tmp/heldout.jsonl --errors 50

``--dev`` also scores ../shared/corpus/dev (when present) and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HELDOUT = REPO / "tests" / "data" / "heldout"
DEV = REPO.parent / "shared" / "corpus" / "dev"


def score(articles: Path, gold: Path, use_ner: bool = True):
    """Extract every article under ``articles`` and score it against ``gold`` (a Report)."""
    from cheguKG.evaluate import evaluate, read_jsonl
    from cheguKG.export import article_record
    from cheguKG.extract import ExtractConfig, extract
    from cheguKG.ingest import iter_articles

    config = ExtractConfig(use_ner=use_ner)
    records = [article_record(extract(a, config)) for a in iter_articles([articles])]
    return evaluate(list(read_jsonl(gold)), records)


def side_by_side(reports: dict) -> str:
    """One table, a column block (P R F1) per corpus, rows for totals, types and relations."""
    from cheguKG.types import ENTITY_TYPES, RELATION_TYPES

    names = list(reports)
    head = f"{'':18}" + "".join(f" | {n:^22}" for n in names)
    sub = f"{'':18}" + "".join(f" | {'P':>6} {'R':>6} {'F1':>6}  " for _ in names)
    lines = [head, sub]

    def row(label: str, pick) -> str:
        cells = []
        for r in reports.values():
            c = pick(r)
            cells.append(f" | {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  " if c and c.gold
                         else f" | {'-':>6} {'-':>6} {'-':>6}  ")
        return f"{label:18}" + "".join(cells)

    lines.append(row("ENTITIES", lambda r: r.entities))
    lines.append(row("RELATIONS", lambda r: r.relations))
    lines += [row("  " + t, lambda r, t=t: r.by_type.get(t)) for t in ENTITY_TYPES]
    lines += [row("  " + k, lambda r, k=k: r.by_relation.get(k)) for k in RELATION_TYPES]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="list this many misses and false hits")
    ap.add_argument("--dev", action="store_true", help="also score ../shared/corpus/dev, side by side")
    ap.add_argument("--no-ner", action="store_true", help="rules only")
    ap.add_argument("--json", action="store_true", help="print the held-out report as JSON")
    args = ap.parse_args(argv)
    from cheguKG.evaluate import format_report

    held = score(HELDOUT / "articles", HELDOUT / "gold.jsonl", use_ner=not args.no_ner)
    if args.json:
        print(json.dumps(held.to_dict(), ensure_ascii=False, indent=1))
        return 0
    if args.dev:
        if not DEV.is_dir():
            print(f"{DEV} is absent: held-out only", file=sys.stderr)
        else:
            dev = score(DEV / "articles", DEV / "gold.jsonl", use_ner=not args.no_ner)
            print(side_by_side({f"held-out ({held.articles})": held, f"dev ({dev.articles})": dev}))
            print()
    print(format_report(held, errors=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
