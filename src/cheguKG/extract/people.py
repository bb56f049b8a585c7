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
    # modifiers bounded: (?:mod)* backtracks quadratically over runs like 项目项目项目…
    return re.compile(f"(?:(?:(?:{level})委|(?:{level})?(?:{organ}))){{0,2}}(?:{mod}){{0,4}}(?:{core})")


def organ_pattern() -> re.Pattern[str]:
    """The body named at the head of a Position (市委 in 市委常委, 区人大常委会 in 区人大常委会主任)."""
    level = alternation(word_list("position_level"))
    organ = alternation(w for w in word_list("position_organ") if w not in NOT_BODIES)
    return re.compile(f"(?:(?:{level})委|(?:{level})?(?:{organ})){{1,2}}")


#: Characters that do not occur in given names here but often follow a title (干部要, 来我区).
NOT_GIVEN = frozenset("我你他她们的了要是与及等")

#: Surnames that are also function words; after them a dictionary word is no given name.
FUNCTION_SURNAMES = frozenset("和于向从及对将以为在自由同")

PLACE_ENDS = ("省", "市", "区", "县", "街道", "社区", "村", "镇", "乡", "新区", "开发区", "高新区", "经开区")

PARTY_CELLS = frozenset({"党委", "纪委", "党支部", "党总支", "办公室", "监委", "董事会"})

#: Organs of a title that are not government bodies of their own.
NOT_BODIES = frozenset({"工会", "董事会", "监事会", "理事会", "团委", "妇联", "党组", "常委会"})


class PeopleRules:
    """Component: Position and Person candidates from titles and surnames."""

    name = "people"

    def __init__(self) -> None:
        self.position_re = position_pattern()
        self.organ_re = organ_pattern()
        self.surnames = word_set("surnames")
        self.compound = frozenset(s for s in self.surnames if len(s) == 2)
        self.followers = tuple(sorted(word_set("name_followers"), key=len, reverse=True))
        self.stop = word_set("name_stop")
        self.cue_re = re.compile(alternation(word_list("person_cues")))
        self.weak = word_set("position_weak")
        self.ranks = sorted(word_set("position_rank"), key=len, reverse=True)
        self._tags = None

    # -- names ---------------------------------------------------------------------------
    def _word_tag(self, word: str) -> str | None:
        if self._tags is None:
            from .segment import tokenizer

            self._tags = tokenizer().word_tag_tab
        return self._tags.get(word)

    def _ends_name(self, ws: Workspace, pos: int) -> bool:
        """Can a name end right before ``pos``? (punctuation, a follower word, a real word)."""
        text = ws.text
        if pos >= len(text) or not is_han(text[pos]):
            return True
        if text.startswith(self.followers, pos):
            return True
        tok = token_at(ws, pos)
        return tok is not None and tok.start == pos and len(tok.text) >= 2 and not tok.pos.startswith("nr")

    def _given(self, text: str, j: int) -> list[int]:
        """End offsets after 1 and 2 given characters at ``j`` (single spaces allowed)."""
        ends: list[int] = []
        k = j
        for _ in range(2):
            if ends and k + 1 < len(text) and text[k] in SPACES and is_han(text[k + 1]):
                k += 1
            if k < len(text) and is_han(text[k]):
                k += 1
                ends.append(k)
            else:
                break
        return ends

    def parse_name(self, ws: Workspace, j: int) -> tuple[int, int] | None:
        """The span of a person name starting at ``j``, or None."""
        text = ws.text
        sn = text[j:j + 2] if text[j:j + 2] in self.compound else text[j:j + 1]
        if sn not in self.surnames:
            return None
        k = j + len(sn)
        if k + 1 < len(text) and text[k] in SPACES and is_han(text[k + 1]):  # 刘 誓 保
            k += 1
        ends = self._given(text, k)
        if not ends:
            return None
        if len(ends) == 2 and self._ends_name(ws, ends[1]) and not text.startswith(self.followers, ends[0]):
            end = ends[1]
        elif self._ends_name(ws, ends[0]):
            end = ends[0]
        else:
            return None
        name = re.sub(f"[{SPACES}]", "", text[j:end])
        if name in self.stop or name[len(sn):] in self.stop or any(ch in NOT_GIVEN for ch in name[len(sn):]):
            return None
        if len(name) == 2 and name[0] == name[1]:  # 殷殷嘱托
            return None
        if sn in FUNCTION_SURNAMES and self._word_tag(name[len(sn):]) is not None:
            return None  # 委员和专家: 和 is a conjunction here
        tag = self._word_tag(name)
        if tag is not None and not tag.startswith("nr"):
            return None
        return j, end

    # -- positions -----------------------------------------------------------------------
    def _position_span(self, ws: Workspace, start: int, end: int) -> tuple[int, int] | None:
        """The Position in a regex match, trimmed to token boundaries (城市长远 is no 市长)."""
        text = ws.text
        starts, ends = boundaries(ws)
        if end not in ends:
            return None
        levels = "省市区县州"
        zone = re.match("(?:经济)?开发区", text[start:end])
        if zone and is_han(text[start - 1:start]) and self.organ_re.match(text, start + zone.end()):
            start += zone.end()  # 武汉开发区|管委会主任
        if text[start] in levels:
            rest = self.position_re.fullmatch(text, start + 1, end)
            if rest and is_han(text[start - 1:start]) and text[start + 1] != "委":
                return start + 1, end  # 经开区工委书记 -> 工委书记, 汉南区政协主席 -> 政协主席
            if start in starts:
                return start, end
            tok = token_at(ws, start)  # 湖北省委/常委, 中共湖北省委/副书记: a place before the level
            places = place_forms()
            if tok is not None and any(text[b:start + 1] in places for b in range(tok.start, start - 1)):
                return start, end
            return None
        for s in range(start, end):
            if (s == start or s in starts) and self.position_re.fullmatch(text, s, end):
                return s, end
        return None

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        names: dict[str, float] = {}
        positions = []
        for m in self.position_re.finditer(text):
            span = self._position_span(ws, *m.span())
            if span:
                span = self._rank_only(text, *span)
                span = self._after_party_committee(text, *span)
                cand = ws.add("Position", *span, self.name, confidence=0.8)
                self._body_of_title(ws, span[0])
                anchored = self._names_after(ws, span[1], names)
                if text[span[0] - 1:span[0]] == "为":  # 王作燕、陈英明为副主委
                    anchored = self._names_before(ws, span[0] - 1, names) or anchored
                positions.append((cand, anchored))
        for m in self.cue_re.finditer(text):
            self._names_after(ws, m.end(), names)
        for tok in ws.tokens:  # 习近平总书记, 王志勇同志
            if tok.pos.startswith("nr") and 2 <= len(tok.text) <= 4 and text.startswith(("同志", "总书记"), tok.end):
                self._add_person(ws, tok.start, tok.end, names)
        self._add_repeats(ws, names)
        self._drop_unheld(ws, positions)

    @staticmethod
    def _after_party_committee(text: str, start: int, end: int) -> tuple[int, int]:
        """民盟西安市委|主委: after a democratic party's committee the title is the core alone."""
        level = re.match("[省市区县州]委(?=.)", text[start:end])
        if not level:
            return start, end
        clause = max(text.rfind(ch, max(0, start - 16), start) for ch in "，,。、；;：: \n")
        if any(p in text[clause + 1:start] for p in word_list("parties")):
            return start + level.end(), end
        return start, end

    def _body_of_title(self, ws: Workspace, start: int) -> None:
        """市委常委 -> 市委; 武汉经开区工委书记 -> 武汉经开区工委; 中共鄂州市委常委 -> 中共鄂州市委."""
        from .suffixes import extend_left

        m = self.organ_re.match(ws.text, start)
        if not m:
            return
        text = ws.text
        begin = extend_left(ws, start, 16, m.end())
        places = place_forms()
        head = start
        if begin < start and text[begin:start].endswith(PLACE_ENDS):  # 纱帽街道廖家堡社区|党委
            head = begin
        for b in range(begin, start - 1):
            if head != start:
                break
            if text.startswith("中共", b) or any(text[b:b + n] in places for n in (2, 3, 4)):
                head = b
                break
        if head == start and m.group(0) in PARTY_CELLS:
            return  # a bare 党委 of 党委书记 names no body the reader can tell
        name = text[head + 2:m.end()] if text.startswith("中共", head) else None  # 中共鄂州市委 = 鄂州市委
        ws.add("GovernmentBody", head, m.end(), self.name, confidence=0.75, name=name)

    def _names_after(self, ws: Workspace, j: int, names: dict[str, float]) -> bool:
        """A name right after a title or cue, and the names listed after it with 、 (any found?)."""
        text = ws.text
        found = False
        while j < len(text) and text[j] in SPACES:
            j += 1
        while j < len(text):
            span = self.parse_name(ws, j)
            if not span:
                return found
            self._add_person(ws, *span, names)
            found = True
            j = span[1]
            if text[j:j + 1] in ("与", "和") and found and re.match(f"[^、，,。]{{2,4}}?[、等]", text[j + 1:j + 6]):
                j += 1  # 彭浩与蒋伯雄、王远昌等
                continue
            if not (j + 1 < len(text) and text[j] == "、") or self.position_re.match(text, j + 1):
                return found  # 党委书记谢先启、党委副书记…: the next item is a title, not a name
            j += 1
        return found

    def _names_before(self, ws: Workspace, end: int, names: dict[str, float]) -> bool:
        """The 、-list of names that ends at ``end`` (…，王作燕、陈英明为副主委)."""
        text = ws.text
        found = False
        while end > 0:
            for length in (3, 2):
                j = end - length
                if j >= 0 and (j == 0 or not is_han(text[j - 1])):
                    span = self.parse_name(ws, j)
                    if span and span[1] == end:
                        self._add_person(ws, *span, names)
                        found = True
                        break
            else:
                return found
            end = j - 1
            if end <= 0 or text[end] != "、":
                return found
        return found

    def _rank_only(self, text: str, start: int, end: int) -> tuple[int, int]:
        """市委统战部调研员 -> 调研员, 区政府副区长 -> 副区长 (data/rules/position_rank.txt)."""
        for rank in self.ranks:
            if text.endswith(rank, start, end) and end - start > len(rank):
                m = self.organ_re.match(text, start, end - len(rank))
                cut = m.end() if m else start
                dept = re.match(f"[{HAN}]{{0,4}}?(?:部|政府|工会)", text[cut:end - len(rank)])
                if dept:
                    cut += dept.end()
                if cut > start and self.position_re.fullmatch(text, cut, end):
                    return cut, end  # 工会|四级调研员, 市委统战部|调研员
        return start, end

    def _drop_unheld(self, ws: Workspace, positions: list) -> None:
        """Bare weak titles (委员, 主任) count only when someone holds them: a name follows."""
        text = ws.text
        person_ends = {c.end for c in ws.candidates if c.type == "Person"}
        held = {c.start for c, anchored in positions if anchored or c.start in person_ends}  # 霍好勇组长
        for c, anchored in reversed(positions):  # 党委书记、董事长卢放: the chain shares the name
            if not anchored and text[c.end:c.end + 1] == "、" and any(
                    c.end + 1 <= h <= c.end + 8 and not re.search(r"[，,。；;]", text[c.end + 1:h]) for h in held):
                held.add(c.start)  # 区安委办主任、应急管理局局长高海东
        drop = {id(c) for c, _ in positions if c.start not in held and c.text in self.weak}
        if drop:
            ws.candidates = [c for c in ws.candidates if id(c) not in drop]

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
                        end in ends or self._ends_name(ws, end)):
                    ws.add("Person", pos, end, self.name, confidence=0.75, name=name)
                pos = text.find(name, end)

