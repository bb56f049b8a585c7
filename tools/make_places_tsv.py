"""Regenerate data/lexicons/places.tsv from the adcode table bundled with the ``cpca`` package.

Every province, prefecture and county-level division becomes a Place; its short form (suffix
removed: 湖北省 -> 湖北, 汉南区 -> 汉南) is an alias when it keeps at least two characters and
is not on data/rules/place_short_stop.txt (short forms that are everyday words); county-level
short forms only for Hubei, the genre's home province.

    .venv/bin/python tools/make_places_tsv.py
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import cpca

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|"
    r"[省市区县旗盟州])$")


def stop_forms() -> set[str]:
    path = ROOT / "data" / "rules" / "place_short_stop.txt"
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")}


def short_form(name: str) -> str | None:
    base = SUFFIX.sub("", name)
    # minority prefixes of autonomous units: 恩施土家族苗族自治州 -> 恩施
    m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+$", base)
    if m and name.endswith(("自治州", "自治县", "自治旗")):
        base = m.group(1)
    return base if 2 <= len(base) < len(name) else None


def main() -> None:
    res = Path(os.path.dirname(cpca.__file__)) / "resources" / "adcodes.csv"
    stop = stop_forms()
    rows: dict[str, set[str]] = {}
    with open(res, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            name = rec["name"].strip()
            if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            if len(name) <= 2 and name in stop:  # 城区, 郊区, 矿区 are words before they are counties
                continue
            short = short_form(name)
            forms = rows.setdefault(name, set())
            code = rec["adcode"]
            # county-level short forms (汉南, 江夏) are everyday words elsewhere (新建, 大关):
            # keep them only in Hubei, the genre's home province
            county = code[4:6] != "00"
            if short and short not in stop and (not county or code.startswith("42")):
                forms.add(short)
    out = ROOT / "data" / "lexicons" / "places.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# China's administrative divisions (province, prefecture, county) from the adcode\n"
                 "# table bundled with the cpca package; regenerate with tools/make_places_tsv.py.\n"
                 "# type\tname\taliases (short forms, '|'-separated)\n")
        for name in sorted(rows):
            fh.write(f"Place\t{name}\t{'|'.join(sorted(rows[name]))}\n")
    print(f"{len(rows)} places -> {out}")


if __name__ == "__main__":
    main()
