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
AREA = re.compile(f"(?<=[在到从于至和与的、，,])([{HAN}]{{2}})一带")


class PlaceRules:
    """Component: places in lists and areas; drops places that sit in brackets inside a name."""

    name = "places"

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        place_ends = {c.end for c in ws.candidates if c.type == "Place"}
        ws.candidates = [c for c in ws.candidates if not (self._bracketed(text, c) and c.start - 1 not in place_ends)]
        for c in [c for c in ws.candidates if c.type == "Place" and c.text.endswith(UNITS)]:
            self._distribute(ws, c)
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
