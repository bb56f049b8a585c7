"""Places the gazetteer and the suffix walk miss, and place mentions that are parts of names.

- ``邓南、湘口、东荆街道``: the last item's unit (街道) applies to the items before it;
- ``九峰一带``: a short name before 一带 (one area) is a place;
- ``中国地质大学(武汉)``, ``好利来(武汉)食品生产工厂``: a place in brackets inside a name is part of
  that name, not a Place of its own.
"""

from __future__ import annotations

import re

from .textutil import HAN, is_han
from .workspace import Workspace

UNITS = ("街道", "社区", "村", "镇", "乡", "区", "县", "片区")
LOCATING = re.compile(r"位于|坐落|地处|毗邻|临近|靠近|沿线|落户|在")
#: 长江中游, 长江大保护: a river named as a region or a campaign, not as a place.
RIVER_QUALIFIERS = ("中游", "上游", "下游", "大保护", "流域经济", "沿线")
ROADS = ("路", "大道", "大街", "快速路", "高速", "隧道", "大桥", "桥", "公园")
#: A road in a sentence about its building is a Project (the guide: roads being built).
BUILDING = re.compile(r"在建|新建|续建|开工|完工|竣工|施工|修建|动工|建成|建设|改造|拓宽|打通|贯通|铺设|通车")
AREA = re.compile(f"(?<=[在到从于至和与的、，,])([{HAN}]{{2}})一带")


class PlaceRules:
    """Component: places in lists and areas; drops places that sit in brackets inside a name."""

    name = "places"

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        place_ends = {c.end for c in ws.candidates if c.type == "Place"}
        ws.candidates = [c for c in ws.candidates if not (self._bracketed(text, c) and c.start - 1 not in place_ends)
                         and not (c.type == "Place" and text.startswith(RIVER_QUALIFIERS, c.end))]
        for c in [c for c in ws.candidates if c.type == "Place" and c.text.endswith(UNITS)]:
            self._distribute(ws, c)
        self._roads_being_built(ws)
        starts = {c.start for c in ws.candidates}
        for m in AREA.finditer(text):
            if m.start(1) not in starts:
                ws.add("Place", m.start(1), m.end(1), self.name, confidence=0.6)

    @staticmethod
    def _bracketed(text: str, c) -> bool:
        return (c.type == "Place" and c.start >= 2 and text[c.start - 1] in "(（" and
                text[c.end:c.end + 1] in (")", "）") and is_han(text[c.start - 2]))

    def _distribute(self, ws: Workspace, c) -> None:
        """邓南、湘口、东荆街道 -> 邓南(街道), 湘口(街道) as well as 东荆街道."""
        text = ws.text
        unit = next(u for u in UNITS if c.text.endswith(u))
        pos = c.start
        while pos >= 3 and text[pos - 1] == "、":
            m = re.search(f"[{HAN}]{{2,3}}$", text[max(0, pos - 4):pos - 1])
            if not m:
                break
            begin = pos - 1 - len(m.group(0))
            if begin > 0 and is_han(text[begin - 1]) and text[begin - 1] != "、":
                if not text[begin - 2:begin] in ("深入", "走访", "前往", "来到") and text[begin - 1] not in "入访往到赴在":
                    break
            ws.add("Place", begin, pos - 1, self.name, confidence=0.6, name=text[begin:pos - 1] + unit)
            pos = begin

    def _roads_being_built(self, ws: Workspace) -> None:
        """高新六路、高新七路等N条道路基本完工: roads (and parks) in a sentence about building them are Projects."""
        building: dict[int, bool] = {}
        for c in [c for c in ws.candidates if c.type == "Place" and c.text.endswith(ROADS)]:
            if c.extractor == "lexicon" or c.sentence < 0:
                continue  # a road the gazetteer knows is in use
            if c.sentence not in building:
                building[c.sentence] = bool(BUILDING.search(ws.sentences[c.sentence].text))
            lo = max(0, c.start - 200)  # a clause is short; never search the whole text
            clause = max(lo - 1, *(ws.text.rfind(ch, lo, c.start) for ch in "，,；;。"))
            if building[c.sentence] and not LOCATING.search(ws.text, clause + 1, c.start):
                ws.add("Project", c.start, c.end, self.name, confidence=max(c.confidence, 0.6) + 0.05, name=c.name)
