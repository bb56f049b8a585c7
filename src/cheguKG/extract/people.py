"""People and their posts: titles before names, title chains, names with spaces, 同志 forms.

A Position is ``[level][organ]{0,2}[modifier]*core`` built from data/rules/position_*.txt
(市委常委, 区人大常委会主任, 常务副主任); a Person is a surname (data/rules/surnames.txt)
with one or two given characters right after a title (``市委书记胡昊``,
``总经理 刘真``, ``党委书记 刘 誓 保``) or before 同志/总书记. Every name found that way is then
looked up again in the whole article (``胡昊在启动仪式上表示``).
"""

from __future__ import annotations

import re

from .textutil import HAN, SPACES, boundaries, is_han, place_forms, token_at
from .wordlists import alternation, word_list, word_set
from .workspace import Workspace


def position_pattern() -> re.Pattern[str]:
    level = alternation(word_list("position_level"))
    organ = alternation(word_list("position_organ"))
    mod = alternation(word_list("position_modifier"))
    core = alternation(word_list("position_core"))
    return re.compile(f"(?:(?:(?:{level})委|(?:{level})?(?:{organ}))){{0,2}}(?:{mod})*(?:{core})")


class PeopleRules:
    """Component: Position and Person candidates from titles and surnames."""

    name = "people"

    def __init__(self) -> None:
        self.position_re = position_pattern()
        self.surnames = word_set("surnames")
        self.compound = frozenset(s for s in self.surnames if len(s) == 2)
        self.followers = tuple(sorted(word_set("name_followers"), key=len, reverse=True))
        self.stop = word_set("name_stop")
        self.after_name_title = re.compile(r"(?:同志|总书记)")
        self._tags = None

    # -- names ---------------------------------------------------------------------------
    def _word_tag(self, word: str) -> str | None:
        if self._tags is None:
            from .segment import tokenizer

            self._tags = tokenizer().word_tag_tab
        return self._tags.get(word)

    def _ends_name(self, text: str, pos: int) -> bool:
        if pos >= len(text) or not is_han(text[pos]):
            return True
        return text.startswith(self.followers, pos)

    def _given(self, text: str, j: int) -> list[int]:
        """End offsets after 1 and 2 given characters at ``j`` (single spaces allowed)."""
        ends = []
        k = j
        for _ in range(2):
            if k < len(text) and text[k] in SPACES and k + 1 < len(text) and is_han(text[k + 1]) and ends:
                k += 1
            if k < len(text) and is_han(text[k]):
                k += 1
                ends.append(k)
            else:
                break
        return ends

    def parse_name(self, text: str, j: int) -> tuple[int, int] | None:
        """The span of a person name starting at ``j``, or None."""
        sn = text[j:j + 2] if text[j:j + 2] in self.compound else text[j:j + 1]
        if sn not in self.surnames:
            return None
        k = j + len(sn)
        if k < len(text) and text[k] in SPACES:  # 刘 誓 保
            k += 1
        ends = self._given(text, k)
        if not ends:
            return None
        if len(ends) == 2 and self._ends_name(text, ends[1]) and not text.startswith(self.followers, ends[0]):
            end = ends[1]
        elif self._ends_name(text, ends[0]):
            end = ends[0]
        elif len(ends) == 2 and self._ends_name(text, ends[1]):
            end = ends[1]
        else:
            return None
        name = re.sub(f"[{SPACES}]", "", text[j:end])
        if name in self.stop:
            return None
        tag = self._word_tag(name)
        if tag is not None and not tag.startswith("nr"):
            return None
        return j, end

    # -- positions -----------------------------------------------------------------------
    def _position_ok(self, ws: Workspace, start: int, end: int) -> bool:
        starts, ends = boundaries(ws)
        if end not in ends:
            return False
        if start in starts:
            return True
        tok = token_at(ws, start)  # 湖北省委/常委: the place before the level char is fine
        return tok is not None and ws.text[tok.start:start + 1] in place_forms()

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        names: dict[str, float] = {}
        for m in self.position_re.finditer(text):
            start, end = m.span()
            if not self._position_ok(ws, start, end):
                continue
            ws.add("Position", start, end, self.name, confidence=0.8)
            j = end
            while j < len(text) and text[j] in SPACES:
                j += 1
            span = self.parse_name(text, j) if j < len(text) else None
            if span:
                self._add_person(ws, *span, names)
        for m in self.after_name_title.finditer(text):
            for length in (3, 2):
                j = m.start() - length
                if j >= 0 and (j == 0 or not is_han(text[j - 1]) or text[j - 1] in "、和与及"):
                    span = self.parse_name(text, j)
                    if span and span[1] == m.start():
                        self._add_person(ws, *span, names)
                        break
        self._add_repeats(ws, names)

    def _add_person(self, ws: Workspace, start: int, end: int, names: dict[str, float]) -> None:
        name = re.sub(f"[{SPACES}]", "", ws.text[start:end])
        ws.add("Person", start, end, self.name, confidence=0.85, name=name)
        names[name] = 0.85

    def _add_repeats(self, ws: Workspace, names: dict[str, float]) -> None:
        """Every other occurrence of a name already found next to a title."""
        text = ws.text
        starts, ends = boundaries(ws)
        seen = {(c.start, c.end) for c in ws.candidates if c.type == "Person"}
        for name in names:
            pos = text.find(name)
            while pos >= 0:
                end = pos + len(name)
                if (pos, end) not in seen and (pos in starts or not is_han(text[pos - 1:pos])) and (
                        end in ends or self._ends_name(text, end)):
                    ws.add("Person", pos, end, self.name, confidence=0.75, name=name)
                pos = text.find(name, end)


HAN_CLASS = f"[{HAN}]"
