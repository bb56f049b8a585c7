"""Projects named in enumerations: "调研A、B、“C”文化服务设施等重点项目" makes A, B and C Projects.

The suffix walk (data/rules/suffix_rules.tsv) finds names ending in 项目/基地/产业园/工厂…; this
component adds the items of a list that the text itself calls projects, whatever they end in.
"""

from __future__ import annotations

import re

from .suffixes import SuffixRules, extend_left, span_index, token_index
from .workspace import Workspace

OWNED = ("项目", "基地", "总部", "工厂", "生产线")
COMPANY_WORDS = ("科技", "数科", "智行", "电子", "智能", "动力", "股份", "集团", "公司", "汽车")
CLAUSE = re.compile(r"[^，,。；;：:！？!?\n]+")
COUNT = r"(?:[0-9一二三四五六七八九十百]+(?:多|余)?[个批项家])?"
#: (list ending, type of its items): 等26个项目 -> Project, 等国内外新能源汽车零部件头部企业 -> Enterprise
LIST_ENDS = (
    (re.compile(f"等{COUNT}[\u4e00-\u9fff]{{0,12}}?(?:项目|工程)"), "Project"),
    (re.compile(f"等{COUNT}[\u4e00-\u9fff]{{0,16}}?(?:企业|公司|车企|厂商|品牌)"), "Enterprise"),
    (re.compile(r"等[0-9一二三四五六七八九十]+个(?:副中心|片区|街道|社区|乡镇|城区|区县|组团|板块)"), "Place"),
)
ITEM_SPLIT = re.compile(r"[、,，]")
#: “交通强国建设”试点: a quoted programme name before 试点/项目 (named without the quotes).
QUOTED_PROGRAMME = re.compile(r"“([\u4e00-\u9fff（）()·]{2,30})”(试点|示范项目|项目)")
#: A list the text announces as projects: 签约项目包括A、B、C; 重点项目有：A、B.
FACILITY_ENDS = ("研究院", "中心", "基地", "产业园", "园区", "校区", "医院", "学校", "工厂", "综合体", "实验室")
MAX_ITEMS = 30  # a longer "list" is no list (and would make the reading quadratic)
LIST_OPENS = re.compile(r"项目(?:主要)?(?:包括|包含|涵盖|有|分别是|分别为)[:：]?")
LEAD_VERBS = re.compile(
    r"(?:.*?(?:先后|分别|实地|深入)?(?:调研|察看|查看|参观|考察|视察|走访了解|走访|来到|包括|有|集中开工|开工|签约|服务|集聚|聚集|引进|落地|共建|"
    r"落户|建设|推进|督导|检查|了解))+了?")


class ProjectLists:
    """Component: Project (Enterprise) candidates from enumerations ending in 等…项目 (等…企业)."""

    name = "project_lists"

    def __call__(self, ws: Workspace) -> None:
        taken = {(c.start, c.end) for c in ws.candidates if c.type in (
            "Enterprise", "Organization", "Person", "GovernmentBody") or (c.type == "Place" and c.confidence >= 0.7)}
        for pattern, type_ in LIST_ENDS:
            for m in pattern.finditer(ws.text):
                self._list(ws, m, type_, taken)
        self._opened_lists(ws, taken)
        for m in QUOTED_PROGRAMME.finditer(ws.text):
            ws.add("Project", m.start(), m.end(), self.name, confidence=0.7, name=m.group(1) + m.group(2))
        self._owners(ws)
        self._company_enumerations(ws)

    def _opened_lists(self, ws: Workspace, taken: set[tuple[int, int]]) -> None:
        """签约项目包括博雷顿管理总部及生产基地、综合智慧零碳电厂、…: the items named after the opener."""
        text = ws.text
        done = 0
        for m in LIST_OPENS.finditer(text):
            if m.start() < done:
                continue  # inside a list already read
            clause = CLAUSE.match(text, m.end())
            if not clause or "、" not in clause.group(0):
                continue
            done = clause.end()
            pos = clause.start()
            for part in clause.group(0).split("、")[:MAX_ITEMS]:
                begin, end = pos, pos + len(part)
                pos = end + 1
                cut = re.search("等", part)
                if cut:
                    end = begin + cut.start()
                if not 3 <= end - begin <= 30 or (begin, end) in taken or not all(
                        "\u4e00" <= ch <= "\u9fff" or ch.isalnum() or ch in "·()（）" for ch in text[begin:end]):
                    continue
                if SuffixRules._generic(ws, begin, end) or text.endswith(COMPANY_WORDS, begin, end):
                    continue
                ws.add("Project", begin, end, self.name, confidence=0.65)

    def _company_enumerations(self, ws: Workspace) -> None:
        """德勤、武汉移动、湖北邮电规划设计有限公司、火凤凰、湖北铁塔等: a list that is mostly companies
        is all companies."""
        text = ws.text
        spans = {}
        for c in ws.candidates:
            spans.setdefault((c.start, c.end), set()).add(c.type)
        for clause in CLAUSE.finditer(text):
            if clause.group(0).count("、") < 2:
                continue
            items = []
            pos = clause.start()
            for part in clause.group(0).split("、"):
                items.append((pos, pos + len(part)))
                pos += len(part) + 1
            first_b, first_e = items[0]
            items[0] = (max(first_b, extend_left(ws, first_e, 12, first_e, company=True)), first_e)
            last_b, last_e = items[-1]
            cut = re.search("[等和及与]", text[last_b:last_e])
            items[-1] = (last_b, last_b + cut.start() if cut else last_e)
            known = sum("Enterprise" in spans.get(it, ()) for it in items)
            typed = sum(bool(spans.get(it)) for it in items)
            if known < 2 or 3 * known < 2 * typed or 3 * known < len(items):
                continue
            for b, e in items:
                if (b, e) not in spans and 2 <= e - b <= 8 and all("\u4e00" <= ch <= "\u9fff" for ch in text[b:e]):
                    ws.add("Enterprise", b, e, self.name, confidence=0.5)

    def _owners(self, ws: Workspace) -> None:
        """泰歌|燃料电池动力系统项目, 博雷顿|管理总部: an unknown brand heading a project owns it."""
        from .suffixes import NUMERALS, token_index

        idx = token_index(ws)
        text = ws.text
        named = [(c.start, c.end) for c in ws.candidates if c.type != "Project"]
        for c in [c for c in ws.candidates if c.type == "Project"]:
            i = idx.at(c.start)
            if i < 0 or idx.tokens[i].start != c.start:
                continue
            end = c.start
            while i < len(idx.tokens) and idx.tokens[i].end <= c.end and len(idx.tokens[i].text) == 1 and (
                    idx.tokens[i].text not in NUMERALS and "\u4e00" <= idx.tokens[i].text <= "\u9fff"):
                end = idx.tokens[i].end
                i += 1
            if not 2 <= end - c.start <= 4 or i >= len(idx.tokens) or len(idx.tokens[i].text) < 2:
                continue
            if any(a < end and c.start < b for a, b in named) or not c.text.endswith(OWNED):
                continue  # 丰元工业园 is a park, 兰岛都市田园综合体 a place, whoever runs them
            if text[end:end + 2] in ("科技", "电子", "智能", "集团", "股份") and text[end + 2:end + 3] not in (
                    "有", "股"):
                end += 2  # 思赢科技|武汉显示
            ws.add("Enterprise", c.start, end, self.name, confidence=0.55)

    def _list(self, ws: Workspace, m: re.Match[str], type_: str, taken: set[tuple[int, int]]) -> None:
        text = ws.text
        institutes = {(c.start, c.end) for c in ws.candidates if c.type == "Organization" and c.extractor == "suffixes"}
        sent = ws.sentence_index(m.start())
        if sent < 0:
            return
        s0 = ws.sentences[sent].start
        clause_start = max(text.rfind(ch, s0, m.start()) for ch in ";；:：")
        clause_start = max(clause_start + 1, s0)
        pos = m.start()
        items = []
        while pos > clause_start and len(items) < MAX_ITEMS:
            seps = ("、", ",", "，", "和", "及") if type_ == "Enterprise" else ("、", ",", "，")
            sep = max(text.rfind(ch, clause_start, pos) for ch in seps)
            begin = sep + 1 if sep >= clause_start else clause_start
            lead = LEAD_VERBS.match(text, max(begin, pos - 60), pos)  # bounded: an item is short
            verb = token_index(ws).at(lead.end() - 1) if lead else -1
            if lead and (verb < 0 or token_index(ws).tokens[verb].end != lead.end()):
                lead = None  # 文化|服务设施: the "verb" is part of a word
            if lead and lead.end() < pos:  # 唐超调研|天源合源广场: the list starts here
                items.append((lead.end(), pos))
                break
            if sep < clause_start or text[sep] not in "、和及":
                items.append((max(begin, extend_left(ws, pos, 30, pos)), pos))
                break
            items.append((begin, pos))
            pos = sep
        items = [part for item in items for part in _split_also(text, *item)]
        if len(items) < 2:
            return
        seen = ws.notes.setdefault("_list_items", set())  # lists overlap: judge each item once
        for begin, end in items:
            if (type_, begin, end) in seen:
                continue
            seen.add((type_, begin, end))
            shortest = 2 if type_ in ("Enterprise", "Place") else 3
            if not shortest <= end - begin <= 30 or (begin, end) in taken and not (
                    type_ == "Project" and (begin, end) in institutes):
                continue  # (an institute the text lists among projects is being built: 未来技术创新研究院)
            if SuffixRules._generic(ws, begin, end) or not SuffixRules._specific(ws, begin, end) and not (
                    type_ == "Project" and end - begin >= 5 and text.endswith(FACILITY_ENDS, begin, end)):
                continue  # (未来技术创新研究院, 高端医疗中心 among 重大项目: named by what they are)
            if type_ == "Enterprise" and (span_index(ws, "Enterprise").covering(begin, end) or span_index(
                    ws, "Industry", "Project").starts_at(begin)):
                continue  # already a company, or a field (人工智能研发) rather than a firm
            if type_ == "Enterprise" and text[end - 1] in "园区厂目地心":
                continue  # 金地煤焦循环经济产业园 is a park, not a firm
            if type_ == "Project" and (text.endswith(COMPANY_WORDS, begin, end) or text.startswith("招商", begin)):
                continue  # 丰匠数科, 环宇智行: firms brought in as "projects"
            ws.add(type_, begin, end, self.name, confidence=0.65)


def _split_also(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """A and B joined by 以及 inside one list item are two items."""
    at = text.find("以及", begin, end)
    if at <= begin or at + 2 >= end:
        return [(begin, end)]
    return [(begin, at), (at + 2, end)]
