"""Names found by their suffix: a run of name-like words ending in 有限公司, 大学, 街道, 党工委….

data/rules/suffix_rules.tsv lists, per type, the suffixes and how far a name may reach to the
left; the walk goes back over jieba tokens and stops at punctuation, verbs, prepositions and
the words of data/rules/left_stops.txt (在|武汉经开区, 与|岚图汽车科技股份有限公司).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..errors import ConfigError
from .organizations import gov_ok
from .textutil import is_han, place_forms, token_at
from .wordlists import alternation, word_set
from .segment import ZONE_WORDS
from .workspace import Token, Workspace

#: POS tags (first letter) of words that end a name when walking left over them.
STOP_POS = ("v", "p", "c", "d", "r", "u", "y", "o", "q", "m", "t", "i", "l")
ADMIN_END = ("省", "市", "区", "县", "街道", "镇", "乡", "街")
#: Suffixes whose names are proper without further evidence (纱帽街道, 廖家堡社区); 路 and 街 need some.
PROPER_SUFFIXES = frozenset({"街道", "社区", "村", "镇", "乡", "大道", "大街", "高速", "收费站", "片区", "新城"})
SINGLE_STOP_POS = ("p", "c", "u", "r")
MEASURES = frozenset("次届台个项位名批年级")
ROADS = frozenset({"路", "大道", "街", "大街"})
NUMERALS = frozenset("一二三四五六七八九十百千万亿两几多第每各")
FUNCTION_POS = ("m", "q", "d", "p", "c", "u", "r", "f")
WEAK_PROJECT_SUFFIXES = frozenset({"中心", "平台", "总部"})
#: What a named 中心 being built does (华东|研发|中心, 社区嵌入式养老|服务|中心).
FACILITIES = ("研发", "服务", "创新", "运营", "制造", "物流", "结算", "展示", "体验", "检测", "孵化", "数据", "营销",
              "交付", "会展", "培训", "营运", "分拨", "转化")
#: Evaluative words before 的 that make what follows a designation (全省重要的汽车零部件产业基地), unlike
#: 由X投资建设的|创新药产业化基地.
DESIGNATION = re.compile(r"(?:重要|最大|最强|领先|一流|知名|著名|主要|首个|首家|唯一|重点|先进|核心|标杆|国家级|省级|全国性|区域性)的$")
PHASE = re.compile(r"[一二三四五六七八九十\d]期")
COUNT_HEAD = re.compile(r"(?:\d+(?:\.\d+)?|第[一二三四五六七八九十\d]+)(?:[家个大项座台批]|万台|万吨)")
COMPANY_TAILS = ("有限", "公司", "科技", "学会", "股份", "技术", "集团")
UNIT_ENDS = ("公司", "集团", "会", "委", "大学", "学院", "院", "所", "台", "局", "厅", "办", "部", "处", "政府", "中心",
             "区", "市", "县", "省")
PROJECT_ENDS = ("项目", "工程", "基地", "产业园", "工业园", "园区", "工厂", "校区", "中心")
ZONES = ("开发区", "经开区", "高新区", "新区", "园区", "街道", "社区", "新城")
STREETS = ("街道", "街", "社区", "村", "路", "大道", "大街")
#: Words jieba tags as proper that are generic in names (国家级示范区, 中部地区).
GENERIC_PROPER = frozenset({"国家", "国家级", "中国", "全国", "国际", "中部", "中西部", "内陆", "东部", "西部"})


@dataclass(frozen=True)
class SuffixRule:
    type: str
    pattern: re.Pattern[str]
    min_prefix: int
    max_len: int
    stop_at_admin: bool


def load_rules() -> list[SuffixRule]:
    from ..resources import data_dir

    rules = []
    path = data_dir() / "rules" / "suffix_rules.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        try:
            type_, suffixes, min_prefix, max_len, admin = line.split("\t")
            int(min_prefix), int(max_len)
        except ValueError as exc:
            raise ConfigError(f"{path}: expected 'type<TAB>suffixes<TAB>min<TAB>max<TAB>yes|no', got {line!r}") from exc
        pattern = re.compile(f"(?:{alternation(suffixes.split('|'))})")
        rules.append(SuffixRule(type_, pattern, int(min_prefix), int(max_len), admin.strip() == "yes"))
    return rules


class TokenIndex:
    """Token lookups by offset for one article."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.starts = [t.start for t in tokens]

    def at(self, offset: int) -> int:
        """Index of the token covering ``offset`` (-1 if none)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i if i >= 0 and self.tokens[i].end > offset else -1


class SpanIndex:
    """Spans of candidates of some types, sorted by start, kept in step with ``ws.candidates``.

    Rules ask "is there a company inside this name" once per suffix match; scanning every
    candidate each time is quadratic on long texts. Components only append while one runs, so
    the index catches up on the new tail of the list (and starts again if the list was replaced).
    """

    def __init__(self, types: frozenset[str]):
        self.types = types
        self.source: list | None = None
        self.seen = 0
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def sync(self, ws: Workspace) -> SpanIndex:
        if ws.candidates is not self.source or len(ws.candidates) < self.seen:
            self.source, self.seen, self.spans, self.longest = ws.candidates, 0, [], 0
        for c in ws.candidates[self.seen:]:
            if c.type in self.types:
                bisect.insort(self.spans, (c.start, c.end))
                self.longest = max(self.longest, c.end - c.start)
        self.seen = len(ws.candidates)
        return self

    def within(self, begin: int, end: int) -> list[tuple[int, int]]:
        """Spans lying inside ``begin:end``."""
        i = bisect.bisect_left(self.spans, (begin, begin))
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] <= end:
                out.append(self.spans[i])
            i += 1
        return out

    def starts_at(self, begin: int) -> bool:
        i = bisect.bisect_left(self.spans, (begin, 0))
        return i < len(self.spans) and self.spans[i][0] == begin

    def covering(self, begin: int, end: int) -> bool:
        """Does a span cover ``begin:end``?"""
        i = bisect.bisect_left(self.spans, (begin - self.longest, 0))
        while i < len(self.spans) and self.spans[i][0] <= begin:
            if self.spans[i][1] >= end:
                return True
            i += 1
        return False


def span_index(ws: Workspace, *types: str) -> SpanIndex:
    key = ("_spans", frozenset(types))
    idx = ws.notes.get(key)
    if idx is None:
        idx = ws.notes[key] = SpanIndex(frozenset(types))
    return idx.sync(ws)


def token_index(ws: Workspace) -> TokenIndex:
    idx = ws.notes.get("_token_index")
    if idx is None:
        idx = ws.notes["_token_index"] = TokenIndex(ws.tokens)
    return idx


def _stops() -> frozenset[str]:
    return word_set("left_stops")


def extend_left(ws: Workspace, start: int, max_len: int, end: int, *, stop_at_admin: bool = False,
                title: bool = False, organ: bool = False, project: bool = False, company: bool = False,
                joined: bool = False) -> int:
    """The leftmost offset a name ending at ``end`` whose suffix starts at ``start`` may reach.

    ``title``: a document title, which may hold verbs (扩容改造方案); only the words of
    data/rules/title_left_stops.txt and punctuation end it.
    """
    idx = token_index(ws)
    suffix_start = start
    stops = word_set("title_left_stops") if title else _stops()
    if project or company:  # 研发制造及运营项目, 新乡立白实业: verbs may sit inside; stop words end it
        stops = stops | (word_set("title_left_stops") - word_set("company_descriptors"))
    name_words = word_set("name_words") | (word_set("organ_words") if organ else frozenset()) | (
        word_set("company_descriptors") if company else frozenset())
    if organ or company:
        stops = stops - name_words
    text = ws.text
    i = idx.at(start)
    if i < 0:
        return start
    tok = idx.tokens[i]
    if tok.start < start:  # the suffix ends a longer word: 汉南区, 经信局, 江|三路
        numbered = all(ch in NUMERALS for ch in text[tok.start:start])
        head_ok = numbered or (organ and text[tok.start:start] in name_words)  # 发展|局 in 发展局
        if (not title and not head_ok and tok.pos[:1] in STOP_POS and tok.text not in name_words) or (
                text[tok.start:start] in stops):
            return start
        start = tok.start
    i -= 1
    while i >= 0:
        tok = idx.tokens[i]
        if (company or project) and tok.text in (")", "）") and tok.end == start:  # 华砺智行(武汉)科技有限公司
            opening = max(text.rfind("(", max(0, start - 9), start), text.rfind("（", max(0, start - 9), start))
            if opening > 0 and all(is_han(ch) for ch in text[opening + 1:start - 1]) and is_han(text[opening - 1]):
                start = opening
                i = idx.at(opening - 1)
                continue
        if project and tok.text == "”" and tok.end == start:  # 塘江村“旱改水”项目
            opening = text.rfind("“", max(0, start - 12), start)
            if opening >= 0 and all(is_han(ch) for ch in text[opening + 1:start - 1]):
                start = opening
                i = idx.at(opening - 1)
                continue
        if tok.end == start and (_project_part(idx, i) if project else joined and _conjunction(idx, i) and (
                not idx.tokens[i - 1].text.endswith(UNIT_ENDS))):  # 管委会|与|武汉大学 are two units
            start = tok.start  # 日产90万支, 30GWh, 氢能研发和生产基地, 第三工厂
            i -= 1
            continue
        if tok.end != start or not all(is_han(ch) or ch in "·•" for ch in tok.text):
            break
        if tok.text in stops or end - tok.start > max_len:
            break
        if len(tok.text) == 1 and (tok.pos[:1] in SINGLE_STOP_POS or tok.text in MEASURES) and (
                tok.text not in name_words):
            break  # 按|省水利厅, 第1次|党工委
        if organ and "政府" in text[start:end] and tok.text.endswith("委"):
            break  # 省委|省政府
        if organ and tok.text == "和" and (not text[start:end].endswith(("局", "厅")) or (
                i > 0 and idx.tokens[i - 1].text.endswith(("局", "厅", "委", "办", "部", "处")))):
            break  # 市政府|和|工委, 产业促进局|和|…发展局, but 经济和信息化局
        if not title and len(tok.text) > 1 and tok.pos[:1] in STOP_POS and not tok.pos.startswith("vn") and (
                tok.text not in name_words) and not (project and tok.pos[:1] in ("v", "l", "i")) and not (
                company and tok.pos[:1] == "v" and _after_place(idx, i)) and not (
                organ and tok.pos[:1] == "l" and tok.text.endswith("区")):
            break
        if stop_at_admin and tok.text in ZONE_WORDS:
            break  # 武汉经开区|军山新城: a zone's towns and areas are named without it
        if stop_at_admin and tok.text.endswith(ADMIN_END) and (
                len(tok.text) >= 3 or len(tok.text) == 1 or tok.text.endswith(("街道", "镇", "乡", "街"))):  # 都市 is no city
            # a zone keeps the city that names it (汕头市|华侨经济文化合作试验区, 大冶市|高新开发区)
            # unless it already starts with a place of its own (湖北省|武汉经开区)
            zone = not text[end - 2:end].endswith(STREETS) and (text[end - 1:end] not in "村镇乡路街" or text.endswith(
                "小镇", 0, end))  # 德清县|地理信息小镇 is a themed town, not a township
            if zone and tok.text.endswith(("市", "县", "区")) and not any(
                    text[start:start + n] in place_forms() for n in (2, 3, 4)) and not _proper_run(
                    idx, start, suffix_start):
                start = tok.start
            break
        if company and tok.text.endswith(ZONES):
            break  # 江汉经济开发区|湖北电信工程有限公司
        start = tok.start
        i -= 1
    return start


def _candidates_within(ws: Workspace, begin: int, end: int) -> list:
    """Candidates inside ``begin:end`` (through a start-sorted index of all candidates)."""
    key = "_cands_by_start"
    cached = ws.notes.get(key)
    if cached is None or cached[0] is not ws.candidates or cached[1] != len(ws.candidates):
        ordered = sorted(ws.candidates, key=lambda c: c.start)
        cached = ws.notes[key] = (ws.candidates, len(ws.candidates), ordered, [c.start for c in ordered])
    ordered, starts = cached[2], cached[3]
    i = bisect.bisect_left(starts, begin)
    out = []
    while i < len(ordered) and ordered[i].start < end:
        if ordered[i].end <= end:
            out.append(ordered[i])
        i += 1
    return out


def _composed_of(text: str, words: frozenset[str]) -> bool:
    """Can ``text`` be cut into ``words`` only (宜居宜业现代化 = 宜居+宜业+现代化)?"""
    ok = [True] + [False] * len(text)  # ok[i]: text[:i] can be cut into words
    for i in range(1, len(text) + 1):
        ok[i] = any(ok[j] and text[j:i] in words for j in range(max(0, i - 8), i))
    return ok[-1]


def _proper_run(idx: TokenIndex, begin: int, end: int) -> bool:
    """Does ``begin:end`` hold a proper name (葛店, 东湖) rather than description (高新, 华侨经济)?"""
    i = idx.at(begin)
    run = 0
    while 0 <= i < len(idx.tokens) and idx.tokens[i].start < end:
        tok = idx.tokens[i]
        if tok.pos.startswith(("ns", "nr", "nz")):
            return True
        run = run + 1 if len(tok.text) == 1 and is_han(tok.text) else 0
        if run >= 2:
            return True
        i += 1
    return False


def _project_part(idx: TokenIndex, i: int) -> bool:
    """Numbers, ordinals and a conjunction between two nouns may sit inside a project's name."""
    tok = idx.tokens[i]
    if tok.text.replace(".", "").isascii() and tok.text.replace(".", "").isalnum():
        return True
    if tok.text == "." and i > 0 and idx.tokens[i - 1].text.isdigit():
        return True
    if (tok.pos.startswith("m") and (tok.text.startswith("第") or tok.text[-1] in "期批")) or PHASE.fullmatch(tok.text):
        return True  # 第三工厂, 成都|一期|项目
    if tok.text in ("万", "万支", "万吨", "万台", "万辆", "亿", "支", "吨", "台", "辆", "套") and i > 0 and (
            idx.tokens[i - 1].text.replace(".", "").isdigit()):
        return True
    if tok.text == "级" and i > 0 and idx.tokens[i - 1].pos.startswith("m"):
        return True  # 千亿级新能源汽车产业基地
    if tok.pos.startswith("m") and i + 1 < len(idx.tokens) and idx.tokens[i + 1].text == "级":
        return True
    return _conjunction(idx, i)


def _after_place(idx: TokenIndex, i: int) -> bool:
    """苏州|纳|维新|材料有限公司, 湖北|三环|锻造|有限公司: a "verb" right after a place or a brand and
    a syllable is part of the company's name."""
    prev = idx.tokens[i - 1] if i > 0 else None
    if prev is not None and prev.pos.startswith(("ns", "nz", "nt")) and prev.end == idx.tokens[i].start:
        return True
    return (prev is not None and len(prev.text) == 1 and prev.end == idx.tokens[i].start and i > 1
            and idx.tokens[i - 2].pos.startswith("ns") and idx.tokens[i - 2].end == prev.start)


def _conjunction(idx: TokenIndex, i: int) -> bool:
    """氢能研发|和|生产基地, 光谷氢能|与|储能技术研究院: a conjunction between two nouns of one name."""
    tok = idx.tokens[i]
    if tok.text in ("和", "与", "及") and i > 0:
        prev = idx.tokens[i - 1]
        after = idx.tokens[i + 1] if i + 1 < len(idx.tokens) else None
        if after is not None and after.pos.startswith("v") and after.pos != "vn":
            return False  # 全力支持和|保障华科大军山校区: the conjunction joins verbs
        return (len(prev.text) > 1 and (prev.pos[:1] in ("n", "j") or prev.pos == "vn") and prev.end == tok.start
                and prev.text not in word_set("left_stops") and not prev.text.endswith((*PROJECT_ENDS, "区")))
    return False


class SuffixRules:
    """Component: candidates for names ending in a type's suffix (data/rules/suffix_rules.tsv)."""

    name = "suffixes"

    def __init__(self) -> None:
        self.rules = load_rules()

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        places = place_forms()
        persons = span_index(ws, "Person")
        person_ends = sorted(e for _, e in persons.spans)
        for rule in self.rules:
            for m in rule.pattern.finditer(text):
                s, e = m.span()
                if persons.covering(s, s + 1):  # 孙殿镇 is a person, not a 镇
                    continue
                if e < len(text) and is_han(text[e]) and not self._end_ok(ws, e):
                    continue
                begin = extend_left(ws, s, rule.max_len, e, stop_at_admin=rule.stop_at_admin,
                                    title=rule.type == "Policy", organ=rule.type == "GovernmentBody",
                                    project=rule.type == "Project", company=rule.type == "Enterprise",
                                    joined=rule.type == "Organization")
                k = bisect.bisect_right(person_ends, s) - 1  # 程用文会见|香港中华厂商联合会
                if k >= 0 and person_ends[k] > begin:
                    begin = person_ends[k]
                    while begin < s and text[begin] in "会见接拜访谈":
                        begin += 1
                if s - begin < rule.min_prefix:
                    continue
                if rule.type == "Organization" and self._generic(ws, begin, s):
                    continue
                if rule.type == "Place" and self._bad_place(ws, begin, s, e):
                    continue
                if rule.type in ("Place", "Project") and (self._generic(ws, begin, s) or (
                        text[s:e] not in PROPER_SUFFIXES and not self._specific(ws, begin, s) and not (
                            rule.type == "Project" and self._named_by_field(ws, begin, s)) and not (
                            rule.type == "Project" and text[s:e] == "项目" and self._descriptive(ws, begin, s)) and not (
                            text[s:e] in ROADS and text[s - 1] in NUMERALS))):
                    continue  # (江三路, 高新六路: a numbered road is a name)
                if rule.type == "Project" and DESIGNATION.search(text, max(0, begin - 8), begin) and not self._specific(
                        ws, begin, s):
                    continue  # 全省重要的|汽车零部件产业基地: a designation, not a name
                if rule.type == "Project" and text[s:e] in WEAK_PROJECT_SUFFIXES and not self._owned(ws, begin, s) and (
                        not text.endswith(FACILITIES, begin, s) or not self._specific(ws, begin, s)):
                    continue  # 城市商业中心, 国家科创中心: a 中心 needs its owner (航盛电子技术中心)
                if rule.type == "Project" and text[s:e] in WEAK_PROJECT_SUFFIXES and self._generic_before(ws, s) and (
                        not text.endswith(FACILITIES, begin, s) or self._generic(ws, begin, s - 2)):
                    continue  # 武汉经开区融媒体中心, 东湖高新区地理中心
                if rule.type == "Place":
                    begin = self._trim_to_place(ws, begin, s, places)  # 民建|武汉东湖新技术开发区
                elif rule.type == "GovernmentBody" and not gov_ok(text, begin, s, e):
                    continue
                elif rule.type == "Enterprise" and (self._only_descriptors(text[begin:s]) or self._generic(
                        ws, begin, s, extra="company_generic")):
                    continue
                if rule.type == "Enterprise":
                    begin = self._after_description(text, begin, s)
                if rule.type == "Enterprise" and text[begin] in "区市县" and any(
                        text[begin + 1:begin + 1 + n] in places for n in (2, 3)):
                    begin += 1  # 我区|新乡立白实业有限公司
                if rule.type == "Project":
                    begin = self._trim_project_head(ws, begin, s)
                    if begin is None or self._generic(ws, begin, s) or text.startswith(COMPANY_TAILS, e):
                        continue
                name = None
                if rule.type == "GovernmentBody" and text.startswith("中共", begin) and not text.startswith(
                        "中共中央", begin):
                    name = text[begin + 2:e]  # 中共鄂州市委 is also written 鄂州市委
                ws.add(rule.type, begin, e, self.name, confidence=0.6, name=name)

    @staticmethod
    def _after_description(text: str, begin: int, suffix_start: int) -> int:
        """国内汽车蓄电池龙头企业|骆驼集团股份有限公司: a company starts after a describing head noun
        (but 企业管理有限公司 keeps its 企业: what follows is only descriptors)."""
        prefix = text[begin:suffix_start]
        best = -1
        for w in word_set("company_heads"):
            at = prefix.rfind(w)
            if at >= 0:
                best = max(best, at + len(w))
        if best <= 0:
            return begin
        rest = prefix[best:]
        if len(rest) < 2 or SuffixRules._only_descriptors(rest):
            return begin
        return begin + best

    @staticmethod
    def _owned(ws: Workspace, begin: int, end: int) -> bool:
        """Does a company, organisation or gazetteer place stand inside ``begin:end``?"""
        if span_index(ws, "Enterprise", "Organization").within(begin, end):
            return True
        return any(c.type == "Place" and c.extractor == "lexicon" and begin <= c.start and c.end <= end
                   for c in _candidates_within(ws, begin, end))

    @staticmethod
    def _trim_project_head(ws: Workspace, begin: int, suffix_start: int) -> int | None:
        """和农文旅项目 -> 农文旅项目; 13家整车厂, 6大工业项目 are counts, not names; 保障|华科大军山校区."""
        text = ws.text
        while begin < suffix_start and text[begin] in "和与及":
            begin += 1
        tok = token_at(ws, begin)
        while tok is not None and tok.start == begin and tok.end < suffix_start and tok.pos.startswith("v") and (
                tok.pos != "vn" and len(tok.text) > 1 and tok.text not in word_set("name_words")):
            begin = tok.end  # a verb at the left edge governs the name
            tok = token_at(ws, begin)
        m = COUNT_HEAD.match(text, begin, suffix_start)
        if m:
            begin = m.end()
        if begin >= suffix_start - 1 or (text[begin] == "“" and text[suffix_start - 1] == "”"):
            return None  # “中国车谷”中心: a slogan, not a name
        return begin

    @staticmethod
    def _generic_before(ws: Workspace, s: int) -> bool:
        tok = token_at(ws, s - 1)
        return tok is not None and tok.end == s and tok.text in word_set("generic_prefixes")

    @staticmethod
    def _bad_place(ws: Workspace, begin: int, s: int, e: int) -> bool:
        """香港 holds no 港, 思路 no 路; a 示范区 named by an industry is a Project."""
        if e - s == 1:
            tok = token_at(ws, s)
            if tok is not None and tok.start == s - 1 and tok.end == e and tok.text in word_set("place_word_stop"):
                return True
        if ws.text[s:e] in ("示范区", "试验区"):
            return SuffixRules._named_by_field(ws, begin, s)
        return False

    @staticmethod
    def _named_by_field(ws: Workspace, begin: int, end: int) -> bool:
        """国家智能网联汽车测试示范区, 燃料电池中外合资项目: a long name built on an industry."""
        fields = span_index(ws, "Industry").within(begin, end)
        if end - begin < 6 or not fields:
            return False
        generic = word_set("generic_prefixes")
        idx = token_index(ws)
        i = idx.at(begin)
        while 0 <= i < len(idx.tokens) and idx.tokens[i].start < end:  # something beyond field + 产业
            tok = idx.tokens[i]
            if not any(a <= tok.start and tok.end <= b for a, b in fields) and tok.text not in generic and (
                    len(tok.text) > 1):
                return True
            i += 1
        return False

    @staticmethod
    def _descriptive(ws: Workspace, begin: int, end: int) -> bool:
        """智能座舱域控制器|项目: a technical description of two or more nouns names a project."""
        generic = word_set("generic_prefixes")
        idx = token_index(ws)
        i = idx.at(begin)
        if end - begin < 6 or i < 0 or idx.tokens[i].start != begin:
            return False
        content = 0
        while i < len(idx.tokens) and idx.tokens[i].start < end:
            tok = idx.tokens[i]
            if not (tok.pos.startswith(("n", "b", "j", "eng")) or tok.pos == "vn") or tok.pos.startswith("nr"):
                return False
            content += len(tok.text) >= 2 and tok.text not in generic
            i += 1
        return content >= 2

    @staticmethod
    def _only_descriptors(prefix: str) -> bool:
        """科技有限公司, 石油化工有限公司: no brand before the legal suffix."""
        words = sorted(word_set("company_descriptors") | {"石油", "城建", "旅游", "高科技"}, key=len, reverse=True)
        rest = prefix
        while rest:
            for w in words:
                if rest.startswith(w):
                    rest = rest[len(w):]
                    break
            else:
                return False
        return True

    @staticmethod
    def _generic(ws: Workspace, begin: int, end: int, extra: str | None = None) -> bool:
        """Is the part before the suffix only generic words (生态|新城, 重点|项目)?"""
        generic = word_set("generic_prefixes") | (word_set(extra) if extra else frozenset())
        if ws.text[begin:end] in generic or _composed_of(ws.text[begin:end], generic):
            return True
        idx = token_index(ws)
        i = idx.at(begin)
        while 0 <= i < len(idx.tokens) and idx.tokens[i].start < end:
            if idx.tokens[i].text not in generic:
                return False
            i += 1
        return True

    @staticmethod
    def _specific(ws: Workspace, begin: int, end: int) -> bool:
        """Does the name before its suffix hold something proper (a place, a brand, a number)?

        测试示范区, 特色小镇, 民生项目 are generic; 纱帽片区, 岚图黄金工厂, 5G测试基地 are not.
        """
        idx = token_index(ws)
        text = ws.text
        if any(ch.isascii() and ch.isalnum() for ch in text[begin:end]) or "“" in text[begin:end]:
            return True
        if PHASE.search(text, begin, end):
            return True  # 封装测试基地二期项目: a project's phase
        if span_index(ws, "Enterprise", "Organization", "Place", "Person").within(begin, end):
            return True  # 东风本田|第二工厂, 华科大|军山校区
        i = idx.at(begin)
        run = 0
        fields = span_index(ws, "Industry")
        while 0 <= i < len(idx.tokens) and idx.tokens[i].start < end:
            tok = idx.tokens[i]
            if fields.covering(tok.start, tok.end):  # 农/文/旅 is a field, not a brand
                run = 0
                i += 1
                continue
            if tok.pos.startswith(("ns", "nr", "nz", "nt", "j")) and tok.text not in GENERIC_PROPER:
                return True
            single = (len(tok.text) == 1 and is_han(tok.text) and tok.text not in NUMERALS
                      and (tok.pos.startswith("m") or not tok.pos.startswith(FUNCTION_POS)))
            run = run + 1 if single else 0
            if run >= 2:
                return True
            i += 1
        return False

    @staticmethod
    def _end_ok(ws: Workspace, end: int) -> bool:
        idx = token_index(ws)
        i = idx.at(end)
        return i >= 0 and idx.tokens[i].start == end

    @staticmethod
    def _trim_to_place(ws: Workspace, begin: int, suffix_start: int, places: frozenset[str]) -> int:
        """民建武汉东湖新技术开发区 -> 武汉东湖新技术开发区: a Place starts at a place name if it has one
        (but an abbreviation before it stays: 中法|武汉生态示范城)."""
        text = ws.text
        tok = token_at(ws, begin)
        if tok is not None and tok.start == begin and tok.pos == "j" and len(tok.text) == 2:
            return begin
        second = token_at(ws, begin + 1)
        if tok is not None and second is not None and tok.pos == "f" and second.pos == "j" and (
                len(tok.text) == len(second.text) == 1):
            return begin  # 中/法 武汉生态示范城
        for b in range(begin, suffix_start - 1):
            if ")" in text[b:suffix_start] or "）" in text[b:suffix_start]:
                continue
            for n in (3, 2):
                if text[b:b + n] in places:
                    if text[suffix_start:suffix_start + 3].startswith(STREETS) and suffix_start - (b + n) >= 2:
                        return b + n  # 汉南|纱帽街: the street, not the district
                    return b
        return begin
