"""Dates: Chinese and ISO forms, year inference from the publication date, the date line."""

from __future__ import annotations

import pytest

from cheguKG.extract.dates import find_dates, infer_year, publication_date
from cheguKG.types import Article

FIND_CASES = [
    ("12月9日,市委常委会召开会议。", None, ["--12-09"]),
    ("12月9日,市委常委会召开会议。", (2023, 12, 11), ["2023-12-09"]),
    ("2022年4月15日晚,唐超主持召开会议。", (2024, 1, 1), ["2022-04-15"]),
    ("5月15号,市委书记胡亚波会见张建宏。", None, ["--05-15"]),
    ("发布时间:2023-11-23 09:12", None, ["2023-11-23"]),
    ("十二月九日召开会议", None, ["--12-09"]),
    ("12月9日至11日举行", None, ["--12-09"]),  # a multi-day event: its first day
    ("没有日期的句子。", (2023, 1, 1), []),
    ("13月40日不是日期", None, []),
    ("2023年2月30日不是日期", None, []),
    ("2月29日", (2023, 3, 1), ["--02-29"]),  # no 2023-02-29: the year stays unknown
    ("7月11日至7月13日,巡查组开展了专项巡查。", None, ["--07-11"]),  # a range: its first day
    ("20日上午,首款汽车量产下线。", (2020, 4, 21), ["2020-04-20"]),  # a day alone: the month of publication
    ("测试道路12日通过专家评审。", (2023, 1, 13), ["2023-01-12"]),
    ("28日,项目签约。", (2023, 3, 2), ["2023-02-28"]),  # later than the publication day: the month before
    ("20日上午,项目开工。", None, []),
    ("要在30日内办结,每月15日公布。", (2023, 3, 31), []),
]


@pytest.mark.parametrize("text, published, expected", FIND_CASES)
def test_dates_find_dates(text, published, expected):
    assert [d.iso for d in find_dates(text, published)] == expected


@pytest.mark.parametrize("month, day, published, expected", [
    (12, 9, (2023, 12, 11), 2023),
    (12, 24, (2021, 1, 21), 2020),   # a December event in a January article: the year before
    (1, 28, (2026, 1, 30), 2026),
    (3, 1, (2026, 1, 30), 2026),     # shortly after: announced ahead, same year
    (5, 1, None, None),
])
def test_dates_infer_year(month, day, published, expected):
    assert infer_year(month, day, published) == expected


def test_dates_relative_words_need_publication_date():
    assert [d.iso for d in find_dates("昨日,项目开工。", (2022, 8, 12))] == ["2022-08-11"]
    assert find_dates("昨日,项目开工。") == []


@pytest.mark.parametrize("text, published, expected", [
    ("标题\n中共武汉市委统一战线工作部 http://x.gov.cn/  2019-03-11 09:32:56\n正文。", None, (2019, 3, 11)),
    ("标题\n正文。", "2022-04-29", (2022, 4, 29)),
    ("2025年10月17日,位于武汉经开区南太子湖创新谷3期会场内气氛庄重而热烈,协会在此隆重召开大会。", None, None),
])
def test_dates_publication_date(text, published, expected):
    assert publication_date(Article("a.txt", text, published=published)) == expected


def test_dates_date_line_keeps_the_rest_of_its_line():
    from cheguKG.extract.dates import date_finder
    from cheguKG.extract.sentences import sentence_splitter
    from cheguKG.extract.workspace import Workspace

    ws = Workspace(Article("a.txt", "标题\n发表时间:2024-01-31 09:38 1月22日,经开区与天猫签署协议。"))
    sentence_splitter(ws)
    date_finder(ws)
    assert ws.notes["published"] == (2024, 1, 31)
    assert [d.iso for d in ws.notes["dates"]] == ["2024-01-22"]
