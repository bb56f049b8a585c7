"""Government bodies, enterprises and other organisations beyond what the suffix walk finds.

- government bodies: the suffix walk proposes them (data/rules/suffix_rules.tsv); here they are
  checked (a 局/办/部/处 needs an administrative head: 区农业局, 市委外办; 格局 and 中部 are
  words, data/rules/gov_generic_stop.txt);
- democratic parties' committees (民进湖北省委会, 九三学社武汉市委员会) are Organizations;
- a company's short names (岚图汽车, 武汉绿动公司, 绿动) are derived from its full name
  (岚图汽车科技股份有限公司) and found again in the article.
"""

from __future__ import annotations

import bisect
import re

from .textutil import HAN, boundaries, is_han, place_forms
from .wordlists import alternation, word_list, word_set
from .workspace import Workspace

LEGAL = re.compile(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司)$")
PAREN = re.compile(r"[(（][^()（）]{1,6}[)）]")
ADMIN_HEADS = ("中共", "中央", "国家", "国务院", "全国", "省", "市", "区", "县", "州", "镇", "乡", "街道", "社区", "村")
ADMIN_SUFFIXES = frozenset("局厅办部处") | {"办公室", "委员会", "大队", "支队", "政府", "法院", "人民法院",
                                             "检察院", "人民检察院"}


LEVEL_COMMITTEES = frozenset({"市委", "区委", "省委", "县委", "州委", "镇委", "乡委"})


def gov_ok(text: str, begin: int, suffix_start: int, end: int) -> bool:
    """Is ``text[begin:end]`` (ending in the suffix at ``suffix_start``) a government body?"""
    name = text[begin:end]
    for w in word_set("gov_generic_stop"):
        if name.endswith(w) and len(w) > end - suffix_start:
            return False
    suffix = text[suffix_start:end]
    if suffix in LEVEL_COMMITTEES and suffix_start - begin == 1:
        return False  # 对|标市委: no city or county has a one-character name before its 市委
    if suffix not in ADMIN_SUFFIXES:
        return True
    if name.startswith(ADMIN_HEADS):
        return True
    places = place_forms()
    if any(name[:n] in places for n in (2, 3, 4)):
        return True
    return suffix == "局" and len(name) >= 3


class OrganizationRules:
    """Component: party committees as Organizations; company short names."""

    name = "organizations"

    def __init__(self) -> None:
        parties = alternation(word_list("parties"))
        self.party_re = re.compile(
            f"(?:{parties})(?:(?!主任|主委|传达|出席|召开|参加|会见|率|和|与)[{HAN}]){{0,14}}(?:基层委员会|委员会|省委会|市委会|区委会|委会|省委|市委|区委|"
            f"工委|支社|支部|总支)(?:办公室)?")
        self.bare_party_re = re.compile(f"(?:{parties})(?![党员])")
        self.descriptors = tuple(sorted(word_set("company_descriptors"), key=len, reverse=True))
        self.brand_re = re.compile(
            f"(?<=[、，,：:“])(?:武汉)?(([{HAN}]{{2,3}})(汽车电子|股份|智能|重工|科技|数科|汽车|电子|动力|锂能|氢能|集团|智行|光电|微电子))(?=[、，,等和与”])")

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        committees = []
        for m in self.party_re.finditer(text):
            ws.add("Organization", m.start(), m.end(), self.name, confidence=0.85)
            committees.append(m.start())
        heads = set(committees)
        for m in self.bare_party_re.finditer(text):
            # 民建 alone names the party; at the head of 民建武汉市委 it is that committee's name, and
            # 民进网 is a website
            if m.start() not in heads and text[m.end():m.end() + 1] != "网":
                ws.add("Organization", m.start(), m.end(), self.name, confidence=0.8)
        self._brands_in_lists(ws)
        self._investing_brands(ws)
        fulls = {c.text for c in ws.candidates if c.type == "Enterprise" and LEGAL.search(c.text)}
        for full in fulls:
            self._short_names(ws, full)

    def _brands_in_lists(self, ws: Workspace) -> None:
        """开特股份、极目智能、程力重工: an unknown brand plus a company word, in an enumeration."""
        text = ws.text
        from .suffixes import token_index

        idx = token_index(ws)
        for m in self.brand_re.finditer(text):
            s, e = m.span(1)
            brand_end = m.end(2)
            i = idx.at(s)
            singles = 0
            while 0 <= i < len(idx.tokens) and idx.tokens[i].start < brand_end:
                singles += len(idx.tokens[i].text) == 1
                i += 1
            if idx.at(s) < 0 or idx.tokens[idx.at(s)].start != s or idx.tokens[idx.at(s)].pos[:1] in "pcurd":
                continue  # 为|市政集团: a preposition opens the clause, not the name
            if singles >= 2 or self._next_to_company(ws, s, e):  # 岚图汽车、猛士科技
                ws.add("Enterprise", s, e, self.name, confidence=0.55)

    @staticmethod
    def _next_to_company(ws: Workspace, start: int, end: int) -> bool:
        """Is the list item before or after ``start:end`` (across one 、) a known company?"""
        from .suffixes import span_index

        text = ws.text
        companies = span_index(ws, "Enterprise")
        before = text[start - 1:start] == "、" and any(
            b == start - 1 for _, b in companies.within(max(0, start - 1 - 40), start - 1))
        return before or text[end:end + 1] == "、" and companies.starts_at(end + 1)

    def _investing_brands(self, ws: Workspace) -> None:
        """百济神州将扩建…, 华为拟在武汉设立…: an unknown name opening a clause whose verb is a firm's
        investment is a company."""
        text = ws.text
        taken = sorted((c.start, c.end) for c in ws.candidates)
        generic = word_set("generic_prefixes") | word_set("company_generic") | word_set("name_stop")
        places = place_forms()
        for m in INVESTING.finditer(text):
            b, e = m.span(1)
            name = m.group(1)
            if name in generic or name in places or name.endswith(NOT_BRAND_ENDS) or name.startswith(NOT_BRAND_HEADS):
                continue
            i = bisect.bisect_left(taken, (b - 40, 0))  # names are short: only those starting near
            if any(a < e and b < z for a, z in taken[i:bisect.bisect_left(taken, (e, 0))]):
                continue
            ws.add("Enterprise", b, e, self.name, confidence=0.5)

    def short_forms(self, full: str) -> list[str]:
        """岚图汽车科技股份有限公司 -> [岚图汽车科技, 岚图汽车, 岚图]; 武汉绿动… -> 武汉绿动公司, 绿动…"""
        base = LEGAL.sub("", PAREN.sub("", full))
        place = ""
        places = place_forms()
        for n in (4, 3, 2):
            if base[:n] in places and len(base) - n >= 2:
                place, base = base[:n], base[n:]
                break
        forms = []
        core = base
        while True:
            for d in self.descriptors:
                if core.endswith(d) and len(core) - len(d) >= 2:
                    core = core[: -len(d)]
                    forms.append(core)
                    break
            else:
                break
        brand = forms[-1] if forms else base
        out = {base, *forms}
        if place:
            out |= {place + brand, place + brand + "公司", place + base}
        out.add(brand + "公司")
        return sorted((f for f in out if 2 <= len(f) < len(full)), key=len, reverse=True)

    def _short_names(self, ws: Workspace, full: str) -> None:
        text = ws.text
        starts, _ = boundaries(ws)
        for form in self.short_forms(full):
            pos = text.find(form)
            while pos >= 0:
                end = pos + len(form)
                if (pos in starts or not is_han(text[pos - 1:pos])) and text[pos:pos + len(full)] != full:
                    ws.add("Enterprise", pos, end, self.name, confidence=0.7, name=full)
                pos = text.find(form, end)


INVESTING = re.compile(
    rf"(?:^|(?<=[，,。；;：:\n]))\s*([{HAN}]{{2,6}}?)(?:将|拟|计划|还将|也将)(?:在[{HAN}]{{2,8}}?)?"
    r"(?:投资|扩建|新建|建设|设立|布局|追加投资|增资)", re.M)
NOT_BRAND_ENDS = ("区", "市", "县", "省", "镇", "乡", "街道", "局", "委", "部", "办", "会", "公司", "企业", "项目",
                  "园区", "政府", "中心", "基地", "期", "我们", "他们", "双方", "同时", "今年", "明年", "下一步", "未来", "目前")
NOT_BRAND_HEADS = ("我", "该", "本", "其", "各", "全", "这", "那", "此", "每", "今", "明", "后", "近", "年", "月", "一", "二", "三",
                   "四", "五", "六", "七", "八", "九", "十", "第", "首", "新", "老", "原", "现")

#: FULL（以下简称“SHORT”）, FULL(简称SHORT), FULL，下称“SHORT”: the text declares an alias.
DECLARED = re.compile(
    r"\s*[(（]?\s*[,，]?\s*(?:以下简称|以下称|下称|简称|下简称)\s*[:：]?\s*[“\"「『《']?"
    rf"([{HAN}A-Za-z0-9·]{{2,12}}?)[”\"」』》']?\s*(?:[)）]|(?=[,，。；;、]))")
ALIAS_TYPES = ("Enterprise", "Organization", "GovernmentBody", "Project", "Policy", "Place", "Meeting")


class DeclaredAliases:
    """Component: a short name the text declares (以下简称“骆驼股份”) is the same entity as the
    name before it, wherever it appears in the article."""

    name = "declared_aliases"

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        if "称" not in text:
            return
        by_end: dict[int, list] = {}
        for c in ws.candidates:
            if c.type in ALIAS_TYPES:
                by_end.setdefault(c.end, []).append(c)
        declared: set[tuple[str, str, str]] = set()
        for m in DECLARED.finditer(text):
            owners = by_end.get(m.start()) or by_end.get(m.start() - 1 if text[m.start() - 1:m.start()] in "》”\"" else -1)
            if not owners:
                continue
            owner = max(owners, key=lambda c: (c.end - c.start, c.confidence))
            short = m.group(1)
            full = owner.name or owner.text
            if short == full or short in ("公司", "集团", "本公司", "该公司") or (owner.type, short, full) in declared:
                continue
            declared.add((owner.type, short, full))  # each declaration's mentions are found once
            pos = text.find(short)
            while pos >= 0:
                ws.add(owner.type, pos, pos + len(short), self.name, confidence=0.85, name=full)
                pos = text.find(short, pos + len(short))
