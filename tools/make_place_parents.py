"""Regenerate data/patterns/place_parents.tsv (county -> prefecture -> province) from the
adcode table bundled with the ``cpca`` package. located_in uses it for two places of one
article (江夏区 in 武汉市, 武汉市 in 湖北省).

    .venv/bin/python tools/make_place_parents.py
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import cpca

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main() -> None:
    res = Path(os.path.dirname(cpca.__file__)) / "resources" / "adcodes.csv"
    names: dict[str, str] = {}
    with open(res, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            names[rec["adcode"][:6]] = rec["name"].strip()
    pairs: set[tuple[str, str]] = set()
    for code, name in names.items():
        if name in SKIP or code.endswith("0000"):
            continue
        prefecture = names.get(code[:4] + "00")
        province = names.get(code[:2] + "0000")
        parent = prefecture if code[4:] != "00" and prefecture and prefecture not in SKIP else province
        if parent and parent != name:
            pairs.add((name, parent))
    out = ROOT / "data" / "patterns" / "place_parents.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# child<TAB>parent: China's divisions, county -> prefecture -> province, from the\n"
                 "# cpca adcode table; regenerate with tools/make_place_parents.py. Add zones freely.\n")
        for child, parent in sorted(pairs):
            fh.write(f"{child}\t{parent}\n")
    print(f"{len(pairs)} pairs -> {out}")


if __name__ == "__main__":
    main()
