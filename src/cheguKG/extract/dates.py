"""Dates in an article: 12月9日 / 2022年4月15日 / 2023-11-23 / 今天, with year inference.

The year of a date that does not give one comes from the article's publication date
(``Article.published``, else the date line among its first lines) when the event falls in
it; otherwise it stays unknown and the date is written ``--MM-DD``.

>>> [d.iso for d in find_dates("12月9日,市委常委会召开会议。", published=(2023, 12, 11))]
['2023-12-09']
>>> [d.iso for d in find_dates("1月27日,叶青一行来鄂州调研。")]
['--01-27']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..types import Article
from .pipeline import component
from .workspace import Workspace

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:(?:19|20)\d{2}|[二〇一九零]{4})"

#: 2022年4月15日 / 4月15日 / 4月15号, and 2023-11-23 / 2023.11.23 / 2023/11/23.
DATE_RE = re.compile(
    rf"(?:(?P<y>{_YEAR})\s*年\s*)?(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]"
    r"|(?<![\d.])(?P<y2>(?:19|20)\d{2})\s*[-/.]\s*(?P<m2>\d{1,2})\s*[-/.]\s*(?P<d2>\d{1,2})(?![\d.])"
)
#: Words that date an event relative to the publication day.
RELATIVE_RE = re.compile(r"(?:今天|今日|昨天|昨日|前天)")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2}
#: A line that carries the page's publication date rather than an event.
_DATE_LINE_HINT = re.compile(r"发布|时间|日期|来源|\d{1,2}:\d{2}|浏览|点击|作者|编辑")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written in Chinese digits: 二〇二三
        return int("".join(str(_CN_DIGITS.get(ch, 0)) for ch in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1], 0)
    if text.endswith("十"):
        return 10 * _CN_DIGITS.get(text[0], 0)
    if "十" in text:
        tens, ones = text.split("十", 1)
        return 10 * _CN_DIGITS.get(tens, 0) + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(text, 0)


@dataclass(frozen=True)
class DateMention:
    """A date in the text. ``year`` is None when neither the text nor the article gives it;
    ``stated_year`` tells whether the year stood in the text itself."""

    start: int
    end: int
    month: int
    day: int
    year: int | None = None
    stated_year: bool = False
    sentence: int = -1
    relative: bool = False

    @property
    def iso(self) -> str:
        """``YYYY-MM-DD``, or ``--MM-DD`` when the year is unknown."""
        year = f"{self.year:04d}" if self.year else "-"
        return f"{year}-{self.month:02d}-{self.day:02d}"


def _is_day(year: int, month: int, day: int) -> bool:
    """Whether year-month-day is a calendar day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def infer_year(month: int, day: int, published: tuple[int, int, int] | None) -> int | None:
    """The year of a month/day in an article published on ``published``.

    An event up to the publication day falls in its year; one far after it (a December event
    in an article of January) in the year before; one shortly after it is announced ahead.
    """
    if not published:
        return None
    py, pm, pd = published
    if (month, day) <= (pm, pd) or month - pm <= 3:
        return py
    return py - 1


def find_dates(text: str, published: tuple[int, int, int] | None = None, offset: int = 0,
               sentence: int = -1) -> list[DateMention]:
    """Every date in ``text``; offsets are shifted by ``offset`` (the text's place in the article)."""
    found: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        if m.group("m2"):
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
            stated = True
        else:
            mo, d = _number(m.group("m")), _number(m.group("d"))
            y = _number(m.group("y")) if m.group("y") else None
            stated = y is not None
        if not _is_day(y or 2000, mo, d):  # 2000 is a leap year: --02-29 stays possible
            continue
        if y is None:
            y = infer_year(mo, d, published)
            if y is not None and not _is_day(y, mo, d):
                y = None
        found.append(DateMention(offset + m.start(), offset + m.end(), mo, d, y, stated, sentence))
    found = [d for d in found if not _RANGE_BEFORE.search(text, 0, d.start - offset)]
    try:
        today = date(*published) if published else None
    except ValueError:  # a publication date that is no calendar day (2月30日)
        today = None
    if today:
        found.extend(_days_only(text, today, offset, sentence, found))
    if today:
        for m in RELATIVE_RE.finditer(text):
            day = today + timedelta(days=_RELATIVE_DAYS[m.group()])
            found.append(DateMention(offset + m.start(), offset + m.end(), day.month, day.day,
                                     day.year, False, sentence, relative=True))
    return sorted(found, key=lambda d: d.start)


#: Before the end of a range (7月11日至7月13日, 12月9日至11日): the event began with the first.
_RANGE_BEFORE = re.compile(r"[日号]\s*(?:至|到|—|-|~|～)\s*$")
#: A day alone (20日上午, 12日通过专家评审): news of the publication month.
_DAY_ONLY = re.compile(rf"(?<![\d月年.\-/至到—~～])(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日"
                       r"(?=\s*(?:上午|下午|晚上|晚|早上|凌晨|[,，]|通过|举行|召开|在|电|讯))")


def _days_only(text: str, today: date, offset: int, sentence: int,
               found: list[DateMention]) -> list[DateMention]:
    """Day-only dates: in the publication month, or the month before when the day is later."""
    out = []
    for m in _DAY_ONLY.finditer(text):
        if any(d.start <= offset + m.start() < d.end for d in found):
            continue
        day = _number(m.group("d"))
        year, month = today.year, today.month
        if day > today.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        if _is_day(year, month, day):
            out.append(DateMention(offset + m.start(), offset + m.end(), month, day, year, False, sentence))
    return out


def _date_line(article: Article, lines: int = 10) -> tuple[tuple[int, int, int], int, int] | None:
    """The publication date found on a date line near the top, with its offsets in the article
    (the rest of the line may be article text: 发表时间:2024-01-31 09:38 1月22日,…)."""
    seen, pos = 0, 0
    for raw in article.text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > lines:
            break
        hint = None
        for d in find_dates(line):
            # a body sentence that opens with a date is an event, not the date line
            if d.stated_year and hint is None:
                hint = bool(_DATE_LINE_HINT.search(line))  # once a line: lines can be long
            if d.stated_year and (len(line) < 40 or (hint and d.start > 0)):
                lead = len(raw) - len(raw.lstrip())  # offsets of the date itself in the article
                return (d.year, d.month, d.day), start + lead + d.start, start + lead + d.end  # type: ignore[return-value]
    return None


def publication_date(article: Article, lines: int = 10) -> tuple[int, int, int] | None:
    """The article's publication date: ``Article.published``, else a date line near the top."""
    if article.published:
        try:
            y, m, d = (int(x) for x in article.published[:10].split("-"))
            return (y, m, d)
        except ValueError:
            pass
    found = _date_line(article, lines)
    return found[0] if found else None


@component("dates")
def date_finder(ws: Workspace) -> None:
    """Component: ``ws.notes['dates']`` (event dates, text order) and ``ws.notes['published']``.

    Dates on the page's date line are the publication date, not events, and are left out.
    """
    line = _date_line(ws.article)
    published = publication_date(ws.article) if ws.article.published or not line else line[0]
    skip = (line[1], line[2]) if line else (0, 0)
    ws.notes["published"] = published
    dates: list[DateMention] = []
    for s in ws.sentences:
        dates.extend(d for d in find_dates(s.text, published, s.start, s.index)
                     if not (d.start < skip[1] and skip[0] < d.end))
    ws.notes["dates"] = dates
