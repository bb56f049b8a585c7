"""Turn overlapping candidate mentions into the article's entities (within-article aliases).

Same-type overlaps keep the longest, most confident candidate; nested entities of different
types both stay (the guide annotates 华科大 inside 华科大军山校区). Mentions whose names are
the same after normalisation, or one a short form of the other (岚图 / 岚图汽车), become one
entity named by its fullest form.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict

from ..types import Entity, Mention
from .workspace import Candidate, Workspace

_PREFIX = {"Person": "P", "GovernmentBody": "G", "Enterprise": "EN", "Organization": "O",
           "Place": "PL", "Meeting": "M", "Policy": "PO", "Project": "PJ", "Industry": "IN",
           "Position": "PS"}


def norm(name: str) -> str:
    """The comparison key of a name: NFKC, no white space, no 《》 or quotes."""
    name = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s《》〈〉“”\"'‘’「」]", "", name)


#: Types whose names nest whole inside longer names of the same type and are entities of their
#: own there (武汉科技大学 in 武汉科技大学国际钢铁研究院, 民建 in 民建武汉市委).
NESTABLE = frozenset({"Organization"})


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Per type, drop candidates overlapped by a longer (or equally long, more confident) one.

    Candidates are taken longest first, so a taken span is never shorter than the one being
    tested: it clashes exactly when one of its ends falls strictly inside the new span (or,
    for types that do not nest, when it covers the new span). Sorted lists of the taken starts
    and ends make each test two binary searches, not a scan of everything taken.
    """
    kept: list[Candidate] = []
    by_type: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if c.end > c.start:
            by_type[c.type].append(c)
    for type_, group in by_type.items():
        group.sort(key=lambda c: (-(c.end - c.start), -c.confidence, c.start))
        nests = type_ in NESTABLE
        starts: list[int] = []  # of taken spans, sorted
        ends: list[int] = []
        for c in group:
            if _clashes(starts, ends, c.start, c.end, nests):
                continue
            bisect.insort(starts, c.start)
            bisect.insort(ends, c.end)
            kept.append(c)
    # The same span claimed by two types: keep the more confident claim.
    best: dict[tuple[int, int], Candidate] = {}
    for c in kept:
        other = best.get(c.span)
        if other is None or c.confidence > other.confidence:
            best[c.span] = c
    return sorted(best.values(), key=lambda c: (c.start, c.end))


def _clashes(starts: list[int], ends: list[int], start: int, end: int, nests: bool) -> bool:
    """Does a taken span (each at least as long as ``start:end``) overlap it other than by
    containing it (``nests``) or at all (otherwise)?"""
    i = bisect.bisect_right(starts, start)
    if i < len(starts) and starts[i] < end:
        return True  # a taken span starts inside
    j = bisect.bisect_right(ends, start)
    if j < len(ends) and ends[j] < end:
        return True  # a taken span ends inside
    if nests:
        return False
    # Not nesting, taken spans are disjoint and so sorted alike by start and end: the last one
    # starting at or before ``start`` is the only one that can cover it.
    return i > 0 and ends[i - 1] > start


#: (inner, outer) type pairs: an inner mention inside an outer one is part of its name, not an
#: entity (the guide: a place inside a company's or university's name is not a Place).
SUPPRESSED_INSIDE = frozenset({
    ("Place", "Enterprise"), ("Place", "Organization"), ("Place", "Meeting"),
    ("Industry", "Enterprise"), ("Industry", "Organization"), ("Industry", "GovernmentBody"),
    ("Industry", "Policy"), ("Industry", "Meeting"), ("Industry", "Place"),
    ("GovernmentBody", "Organization"), ("GovernmentBody", "Policy"), ("GovernmentBody", "Enterprise"),
    ("Person", "Enterprise"), ("Person", "Organization"), ("Person", "GovernmentBody"),
    ("Person", "Place"), ("Person", "Project"), ("Person", "Policy"),
    ("Position", "GovernmentBody"), ("Position", "Organization"), ("Position", "Meeting"),
    ("Enterprise", "Policy"), ("Project", "Policy"), ("Organization", "Policy"),
    ("Project", "Enterprise"), ("Project", "Organization"), ("Place", "Person"),
})


#: A place inside a school's name is part of it; inside an association's (湖北省汽车工程学会) it
#: still names the place.
SCHOOLS = ("大学", "学院", "学校", "中学", "小学", "研究院", "医院")


def _suppress_nested(cands: list[Candidate]) -> list[Candidate]:
    """Drop mentions lying strictly inside a longer mention of a type that absorbs them.

    Per kind of outer mention, a prefix maximum of ends over spans sorted by start answers
    "does one of them cover this span" with a binary search.
    """
    def kind(o: Candidate) -> str:
        if o.type == "Organization":
            return "Organization/school" if o.text.endswith(SCHOOLS) else "Organization"
        return o.type

    covers: dict[str, _Cover] = {}
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for o in cands:
        groups[kind(o)].append(o)
    for k, group in groups.items():
        covers[k] = _Cover(group)
    kept = []
    for c in cands:
        inside = False
        for k, cover in covers.items():
            outer = k.split("/")[0]
            if (c.type, outer) not in SUPPRESSED_INSIDE or (c.type == "Place" and k == "Organization"):
                continue  # a place inside an association's name still names the place
            if cover.covers(c.start, c.end):
                inside = True
                break
        if not inside:
            kept.append(c)
    return kept


class _Cover:
    """Spans sorted by start with the running maximum of their ends."""

    def __init__(self, spans: list[Candidate]):
        spans = sorted(spans, key=lambda o: (o.start, o.end))
        self.starts = [o.start for o in spans]
        self.max_end: list[int] = []
        best = -1
        for o in spans:
            best = max(best, o.end)
            self.max_end.append(best)
        self.ends_at = {}  # start -> longest end of spans starting there
        for o in spans:
            self.ends_at[o.start] = max(self.ends_at.get(o.start, -1), o.end)

    def covers(self, start: int, end: int) -> bool:
        """Is ``start:end`` strictly inside (covered by and longer than) one of the spans?"""
        i = bisect.bisect_left(self.starts, start)  # spans starting before ``start``
        if i > 0 and self.max_end[i - 1] >= end:
            return True
        return self.ends_at.get(start, -1) > end


SECTOR_AFTER = ("产业", "行业", "业", "领域", "经济", "企业", "项目", "技术", "融合", "发展", "集聚", "等产业", "等行业",
                "等领域", "等新兴")


def _weak_industries(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Drop everyday-noun industries (金融系统, 降低物流成本) unless named as a sector or listed."""
    from .wordlists import word_set

    weak = word_set("industry_weak")
    industries = [c for c in cands if c.type == "Industry"]
    ends = {c.end for c in industries}
    starts = {c.start for c in industries}
    kept = []
    for c in cands:
        if c.type == "Industry" and c.text in weak and not (
                text.startswith(SECTOR_AFTER, c.end) or text[c.end:c.end + 1] in "、和与及" and c.end + 1 in starts
                or text[c.start - 1:c.start] in "、和与及" and c.start - 1 in ends):
            continue
        kept.append(c)
    return kept


def _furniture_sentences(ws: Workspace) -> set[int]:
    """Sentences on lines that are site furniture (地址:…, 来源:…, 【上一篇】…, 版权所有)."""
    from .wordlists import word_list

    starts = tuple(word_list("boilerplate_lines"))
    text = ws.text
    out = set()
    for s in ws.sentences:
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.start)
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
        if line.startswith(starts) or any(k in line for k in ("版权所有", "网站标识码", "ICP备")):
            out.add(s.index)
    return out


def _is_short_form(short: str, full: str, type_: str = "") -> bool:
    if len(short) < 2 or len(short) >= len(full):
        return False
    if type_ == "GovernmentBody":  # 工委 / 武汉经开区工委, 区委 / 汉南区委; 市委 / 市委宣传部 differ
        return full.endswith(short)
    if type_ == "Place":  # 经开区 / 武汉经开区; but 武汉 is no short form of 武汉经开区
        return len(short) >= 3 and full.endswith(short)
    return full.startswith(short)


#: Heads that name the firms or people of a field, not the field (汽车零部件企业 -> 汽车零部件).
INDUSTRY_HEADS = ("企业", "公司", "厂商", "厂家", "企业家", "从业者")


def _industry_core(form: str) -> str:
    for head in INDUSTRY_HEADS:
        if form.endswith(head) and len(form) - len(head) >= 2:
            return form[: -len(head)]
    return form


class Consolidator:
    """Component: candidates -> entities (one per real-world thing within the article)."""

    name = "consolidate"
    # Organizations nest (民建 / 民建武汉市委, 武汉科技大学 / …国际钢铁研究院): no prefix merging
    # Industries nest too (新能源 / 新能源汽车, 燃料电池 / 燃料电池汽车 are different fields)
    short_form_types = frozenset({"Enterprise", "Place", "GovernmentBody", "Meeting", "Policy", "Project"})

    def __call__(self, ws: Workspace) -> None:
        furniture = _furniture_sentences(ws)
        cands = [c for c in ws.candidates if c.sentence not in furniture]
        chosen = _weak_industries(ws.text, _suppress_nested(_select(cands)))
        clusters: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for c in chosen:
            clusters[(c.type, norm(c.name or c.text))].append(c)
        keys = sorted(clusters, key=lambda k: -len(k[1]))
        parent: dict[tuple[str, str], tuple[str, str]] = {}
        for i, short in enumerate(keys):
            if short[0] not in self.short_form_types:
                continue
            for full in keys[:i]:
                if full[0] == short[0] and _is_short_form(short[1], full[1], short[0]):
                    parent[short] = parent.get(full, full)
                    break
        merged: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for key, cands in clusters.items():
            merged[parent.get(key, key)].extend(cands)
        counters: dict[str, int] = defaultdict(int)
        entities = []
        for (type_, _), cands in sorted(merged.items(), key=lambda kv: min(c.start for c in kv[1])):
            counters[type_] += 1
            forms = {c.name or c.text for c in cands} | {c.text for c in cands}
            # a lexicon's canonical name beats a longer surface form (汽车零部件, not 汽车零部件企业)
            canonical = {c.name for c in cands if c.name and c.name != c.text}
            if type_ == "Industry":
                forms = {_industry_core(f) for f in forms}
                canonical = {_industry_core(f) for f in canonical}
            name = max(canonical or forms, key=lambda f: (len(norm(f)), f))
            aliases = tuple(sorted(f for f in forms if f != name and not (
                type_ == "Industry" and name in f)))  # 高端新能源汽车 is 新能源汽车, not a second name
            mentions = tuple(Mention(c.start, c.end, c.text, c.sentence, c.extractor, c.confidence)
                             for c in sorted(cands, key=lambda c: c.start))
            entities.append(Entity(f"{_PREFIX.get(type_, 'X')}{counters[type_]}", type_, name,
                                   aliases, mentions))
        ws.entities = entities
