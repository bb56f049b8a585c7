"""Make a SYNTHETIC corpus for benchmarks: recombined sentences of the embedded data.

The articles are not real news. Each is a title line, a publication-date line and sentences
drawn at random (with replacement) from the embedded corpus (data/corpus: the seed article)
until it holds about ``--chars`` characters; the people the seed names (found by cheguKG's
own extractor) are renamed at random and the month/day dates shifted, so the corpus has many
people and meetings, as a real archive does, while keeping the genre's sentence shapes.

    .venv/bin/python bench/make_corpus.py --articles 10000 -o /tmp/corpus-10k.jsonl
    .venv/bin/python bench/make_corpus.py --articles 100000 -o /tmp/corpus-100k.jsonl
    .venv/bin/python bench/make_corpus.py --articles 100 --start 100000 -o /tmp/add-100.jsonl

Output is JSON lines (``id``, ``title``, ``date``, ``text``), which ``chegukg build`` reads;
``--format txt`` writes one .txt file per article into a folder instead.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉宇浩凯健波斌飞峰婷雪琳晨阳"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"


def seed_material() -> tuple[list[str], list[str]]:
    """The embedded corpus's sentences and the person names cheguKG finds in it."""
    from cheguKG.extract import ExtractConfig, extract, split_sentences
    from cheguKG.ingest import iter_articles
    from cheguKG.resources import default_corpus

    sentences: list[str] = []
    people: set[str] = set()
    for article in iter_articles([default_corpus()]):
        for s in split_sentences(article.text):
            text = s.text.strip()
            if len(text) >= 8:
                sentences.append(text)
        doc = extract(article, ExtractConfig(use_ner=False))
        people |= {e.name for e in doc.entities if e.type == "Person" and 2 <= len(e.name) <= 4}
    return sentences, sorted(people, key=len, reverse=True)


def make_article(i: int, rng: random.Random, sentences: list[str], people: list[str], chars: int) -> dict:
    year = rng.choice((2021, 2022, 2023, 2024))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    names = {p: rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))) for p in people}
    body: list[str] = []
    size = 0
    while size < chars:
        s = rng.choice(sentences)
        for old, new in names.items():
            s = s.replace(old, new)
        s = re.sub(r"(\d{1,2})月(\d{1,2})日", lambda _m: f"{month}月{rng.randint(1, 28)}日", s)
        body.append(s)
        size += len(s)
    title = body[0][:24].rstrip("，。,")
    return {"id": f"syn{i:06d}", "title": title, "date": f"{year}-{month:02d}-{day:02d}",
            "text": f"{title}\n发布时间：{year}-{month:02d}-{day:02d}\n" + "\n".join(body)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--chars", type=int, default=1000, help="about this many characters an article")
    ap.add_argument("--start", type=int, default=0, help="first article number (to make additions)")
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    ap.add_argument("-o", "--out", required=True)
    args = ap.parse_args(argv)
    sentences, people = seed_material()
    rng = random.Random(args.seed + args.start)
    out = Path(args.out)
    if args.format == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            for i in range(args.start, args.start + args.articles):
                fh.write(json.dumps(make_article(i, rng, sentences, people, args.chars), ensure_ascii=False) + "\n")
    else:
        out.mkdir(parents=True, exist_ok=True)
        for i in range(args.start, args.start + args.articles):
            rec = make_article(i, rng, sentences, people, args.chars)
            (out / f"{rec['id']}.txt").write_text(rec["text"], encoding="utf-8")
    print(f"wrote {args.articles} synthetic articles to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
