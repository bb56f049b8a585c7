"""located_in, in_industry and undertakes, from names and the sentences about a firm or project.

- ``located_in``: places written one after another (纱帽街道廖家堡社区: 廖家堡社区 in 纱帽街道;
  never a higher level in a lower one), a place in brackets (华容(三江港)), X 位于/落户 Place(s)
  (X close before the cue, or the unit 研究院 refers back to), 位于 Place 的 X, 在 Place(…,)建设 X
  (在园区: the article's zone), 在 Place,… (the units of that segment), the gazetteer (江夏区 in
  武汉市, when written together), a project named after a place (青山氢能产业园; not after
  provinces, roads, rivers), and the projects named beside the zone of an article about one zone;
- ``in_industry``: an industry in the firm's (or its project's) name, firm lists described after
  等 (中创新航、爱机等新能源汽车零部件企业), X是…Y企业, a firm's clause or sentence with a cue
  (聚焦, 从事, 抢占), a sentence about a firm's project (…将具备电动汽车生产…);
- ``undertakes``: a project named after its owner (华科大军山校区; the longest owner name wins), an
  owner right before its project (also across 以下简称…), 公司/企业 + project (the firm referred
  to), the actors right before a cue in its clause (由A与B共同建设的Y, A将在园区设立Y, Y由A建设),
  else the segment's subject that is no partner (与宁德时代…合作), and the organisation of a
  respondent's section (我们将…打造…基地).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..types import Entity
from .relations import MentionIndex, Span, cues, nfkc, respondent_sections
from .workspace import Workspace

LOCATED_TYPES = frozenset({"Place", "Project", "Enterprise", "Organization"})
ACTOR_TYPES = frozenset({"Enterprise", "Organization", "GovernmentBody"})
_CLAUSE = re.compile(r"[^,，。;；!！?？]+")


def _clauses(ws: Workspace, index: MentionIndex, sentence: int):
    """(start, end, text, spans) for each clause of a sentence, offsets into the article; computed
    once a sentence (spans in text order, so one sweep)."""
    return index.memo(("clauses", sentence), lambda: _split_clauses(ws, index, sentence))


def _split_clauses(ws: Workspace, index: MentionIndex, sentence: int):
    s = ws.sentences[sentence]
    spans = index.spans(sentence)
    out = []
    first = 0
    for m in _CLAUSE.finditer(nfkc(s.text)):
        start, end = s.start + m.start(), s.start + m.end()
        while first < len(spans) and spans[first].start < start:
            first += 1
        inside = []
        i = first
        while i < len(spans) and spans[i].start < end:
            if spans[i].end <= end:
                inside.append(spans[i])
            i += 1
        out.append((start, end, m.group(), inside))
    return out


def _short(name: str) -> str:
    name = nfkc(name)
    return name[:-1] if len(name) > 2 and name[-1] in "省市区县" else name


@lru_cache(maxsize=1)
def place_parents() -> frozenset[tuple[str, str]]:
    """(child, parent) short forms from place_parents.tsv (江夏 in 武汉)."""
    from .relations import pattern_file

    pairs = set()
    for line in pattern_file("place_parents.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            child, parent = (x.strip() for x in line.split("\t")[:2])
            if not parent.endswith(("省", "自治区")):  # the guide's gold rarely spells out provinces
                pairs.add((_short(child), _short(parent)))
    return frozenset(pairs)


def _gazetteer(ws: Workspace) -> None:
    """Two places of the article that the gazetteer nests and the text writes together:
    武汉市江夏区 -> 江夏区 in 武汉市."""
    pairs = place_parents()
    places = [e for e in ws.entities if e.type == "Place"]
    forms = {e.id: {_short(e.name)} for e in places}
    written = {e.id: {nfkc(f) for f in (e.name, *e.aliases, *(m.text for m in e.mentions))} for e in places}
    text = nfkc(ws.text)
    zone = re.compile(r"(?:开发区|高新区|新区|园区|新城)$")
    for child in places:
        if zone.search(nfkc(child.name)):
            continue
        for parent in places:
            # written together (武汉市江夏区): the gold rarely spells out what only the map says
            if child is not parent and any((c, p) in pairs for c in forms[child.id] for p in forms[parent.id]) \
                    and any(pf + cf in text for pf in written[parent.id] for cf in written[child.id]):
                ws.relate(child.id, "located_in", parent.id, sentence=child.mentions[0].sentence,
                          extractor="located_in:gazetteer")


def _home_zone(ws: Workspace) -> Entity | None:
    """The zone an article is about: the most mentioned Place named like a zone (武汉经开区)."""
    zones = [e for e in ws.entities if e.type == "Place" and re.search(
        r"(?:开发区|经开区|高新区|新区|园区|试验区|示范区|新城)$", nfkc(e.name))]
    if not zones:
        return None
    best = max(zones, key=lambda e: len(e.mentions))
    return best if len(best.mentions) >= 3 else None


#: Places a project's name may start with that do not hold it: provinces (the gold rarely
#: spells them out), roads, rivers and metropolitan areas (纱帽大道枢纽工程, 长江中游航运中心).
_NOT_A_SITE = re.compile(r"(?:省|自治区|大道|路|高速|公路|铁路|长江|黄河|江|河|都市圈|城市圈|经济带)$")
#: What is left of a project's name after a site it merely names (中航幸福水上机场项目).
_GENERIC_REST = re.compile(r"(?:建设)?(?:项目|工程)(?:[一二三四五六七八九十\d]+期)?")


def _named_after_place(ws: Workspace) -> None:
    """青山氢能产业园 in 青山区: a project named after a place."""
    places = [(e, sorted({nfkc(f) for f in (e.name, *e.aliases, _short(e.name)) if len(f) >= 2},
                         key=len, reverse=True))
              for e in ws.entities if e.type == "Place" and not _NOT_A_SITE.search(nfkc(e.name))]
    placed = {r.head for r in ws.relations if r.relation == "located_in"}
    actors = [[nfkc(f) for f in (e.name, *e.aliases) if len(f) >= 2]
              for e in ws.entities if e.type in ACTOR_TYPES]
    for x in ws.entities:
        if x.type != "Project" or x.id in placed:  # (武汉经开区 is named after, not in, 武汉)
            continue
        name = nfkc(x.name)
        best = None
        for p, forms in places:
            if p is x:
                continue
            form = next((f for f in forms if name.startswith(f) and len(name) - len(f) >= 2
                         and not re.fullmatch(r"[省市区县]", name[len(f):len(f) + 1] or "-")
                         and not _GENERIC_REST.fullmatch(name[len(f):])), None)
            if form and (best is None or len(form) > best[1]):
                best = (p, len(form))
        owner = max((len(f) for a in actors for f in a if name.startswith(f)), default=0)
        if best is not None and owner <= best[1]:  # 武汉理工大学车谷校区: named after its owner
            ws.relate(x.id, "located_in", best[0].id, sentence=x.mentions[0].sentence,
                      extractor="located_in:named")


def _bracketed(ws: Workspace, index: MentionIndex) -> None:
    """华容(三江港), 鄂城(滨江科技新区): the place in brackets lies in the one before them."""
    for s in ws.sentences:
        places = [sp for sp in index.spans(s.index, {"Place"}) if not index.is_nested(sp)]
        for a in places:
            for b in places:
                if b.start == a.end + 1 and ws.text[a.end] in "(（" and ws.text[b.end:b.end + 1] in (")", "）"):
                    ws.relate(b.id, "located_in", a.id, sentence=s.index, extractor="located_in:bracket")


def located_in(ws: Workspace, index: MentionIndex) -> None:
    _gazetteer(ws)
    _bracketed(ws, index)
    zone = _home_zone(ws)
    _located_by_cue(ws, index)
    for s in ws.sentences:
        _built_in_sentence(ws, index, s.index, zone)
        _in_place_then(ws, index, s.index)
    _named_after_place(ws)
    if zone is not None:  # projects of an article about a zone, named beside it, are there
        placed = {r.head for r in ws.relations if r.relation == "located_in"}
        for e in ws.entities:
            if e.id in placed or _COUNTED.match(nfkc(e.name)):  # 13家整车厂, 6大工业项目: no names
                continue
            if _NOT_SITED.search(nfkc(e.name)):  # “交通强国建设”试点, 智慧云平台: no site
                continue
            if e.type == "Project" and _near_zone(ws, e, zone):  # (visited firms: mostly unplaced)
                ws.relate(e.id, "located_in", zone.id, sentence=e.mentions[0].sentence,
                          extractor="located_in:zone")


def _in_place_then(ws: Workspace, index: MentionIndex, sentence: int) -> None:
    """在宜昌高新区,检查组察看了X和Y;: a segment opening with 在 Place, places its units there."""
    s = ws.sentences[sentence]
    text = nfkc(s.text)
    for seg in re.finditer(r"[^。;；!！?？]+", text):
        m = re.match(r"\s*在", seg.group())
        if not m:
            continue
        places = _place_run(ws, index, index.spans(sentence), s.start + seg.start() + m.end())
        if not places or not re.match(r"[,，]", ws.text[places[-1].end:places[-1].end + 1]):
            continue
        place = places[-1]
        for sp in index.spans(sentence, LOCATED_TYPES, top_level=True):
            if place.end < sp.start and sp.end <= s.start + seg.end() and sp.entity is not place.entity \
                    and sp.type != "Place" and not re.match(r"旗下|的", ws.text[sp.end:sp.end + 2]):
                ws.relate(sp.id, "located_in", place.id, sentence=sentence, extractor="located_in:in_place")


def _near_zone(ws: Workspace, project: Entity, zone: Entity) -> bool:
    """A project named in a sentence that also names the zone (the gold places the others, if
    at all, by what their own sentence says)."""
    zone_sentences = {m.sentence for m in zone.mentions}
    return any(m.sentence in zone_sentences for m in project.mentions)


_NOT_SITED = re.compile(r"(?:试点|平台|计划|行动|体系)[”\"]?$")
_COUNTED = re.compile(r"[\d一二三四五六七八九十百千万几多]+[家个大项座批条]")


def _located_by_cue(ws: Workspace, index: MentionIndex) -> None:
    locate = cues()["locate"]
    for s in ws.sentences:
        spans = index.spans(s.index)
        for a in spans:
            if a.type != "Place":
                continue
            for b in index.starting_at(s.index, a.end):  # 纱帽街道廖家堡社区: the second sits in the first
                if b.type in ("Place", "Project", "Enterprise") and b.entity is not a.entity \
                        and not (b.type == "Place" and _level(b.entity.name) < _level(a.entity.name)):
                    ws.relate(b.id, "located_in", a.id, sentence=s.index, extractor="located_in:nested")
        for start, _end, text, cspans in _clauses(ws, index, s.index):
            for m in locate.finditer(text):
                at = start + m.start()
                places = _place_run(ws, index, cspans, start + m.end())
                if not places:
                    continue
                place = places[-1]
                before = [sp for sp in cspans if sp.type in LOCATED_TYPES and sp.end <= at
                          and not index.is_nested(sp) and sp.entity is not place.entity]
                after = [sp for sp in cspans if sp.type in LOCATED_TYPES and sp.start > place.end
                         and not index.is_nested(sp)]
                if before and _NEAR_CUE.fullmatch(nfkc(ws.text[before[-1].end:at])):
                    thing = before[-1]
                elif after and "的" in ws.text[place.end:after[0].start][:2]:
                    thing = after[0]
                elif not before and (referred := _referred_unit(ws, index, s.index, text[:m.start()])):
                    thing = referred
                else:
                    continue
                for p in places:  # 位于武汉经开区汉南纱帽街: in each of them
                    ws.relate(thing.id, "located_in", p.id, sentence=s.index, extractor="located_in:cue")
            _built_in(ws, index, s.index, start, text, cspans)


#: Between a thing and its 位于/落户 cue: a few words, no break (a headline's 签约 …落户: not one).
_NEAR_CUE = re.compile(r"[^\s与签]{0,16}")


def _referred_unit(ws: Workspace, index: MentionIndex, sentence: int, subject: str) -> Span | None:
    """研究院位于光谷科学岛: a clause whose subject is the tail of a unit named before (光谷氢能与储能
    技术研究院) is about that unit."""
    subject = subject.strip()
    if not re.fullmatch(r"(?:该|这个|这一)?[\u4e00-\u9fa5]{2,5}", subject):
        return None
    word = re.sub(r"^(?:该|这个|这一)", "", subject)
    for i in range(sentence, max(-1, sentence - 3), -1):
        found = [sp for sp in index.spans(i, {"Project", "Enterprise", "Organization"})
                 if nfkc(sp.entity.name).endswith(word) and len(sp.entity.name) > len(word)]
        if found:
            return found[-1]
    return None


_LEVELS = ((re.compile(r"(?:社区|村)$"), 5), (re.compile(r"(?:街道|街|镇|乡)$"), 4),
           (re.compile(r"(?:省|自治区|特别行政区)$"), 1), (re.compile(r"市$"), 2),
           (re.compile(r"(?:区|县|新城)$"), 3))  # the longer suffixes first (社区 before 区)


def _level(name: str) -> int:
    """An administrative level by the name's suffix (1 province … 5 community; 3 when unknown):
    a place never sits in one of a lower level (武汉经开区黄冈… is no 黄冈市 in the zone)."""
    name = nfkc(name)
    return next((level for pattern, level in _LEVELS if pattern.search(name)), 3)


def _place_run(ws: Workspace, index: MentionIndex, spans: list[Span], at: int) -> list[Span]:
    """The places written one after another from the first one at or after ``at``."""
    places = [sp for sp in spans if sp.type == "Place" and sp.start >= at and not index.is_nested(sp)]
    if not places or not re.fullmatch(r"[\s于在]*", ws.text[at:places[0].start]):
        return []
    run = [places[0]]
    for sp in places[1:]:
        if sp.start == run[-1].end:
            run.append(sp)
    return run


_PLACE_BUILDS = re.compile(r"规划建设|投资建设|建设|打造|兴建|布局")
_BUILD_IN = re.compile(r"在(?P<gap>[^在。;；!！?？]{0,24}?)(?:规划建设|投资建设|建设|打造|兴建|投建|布局|落地|设立|新建)")


def _built_in(ws: Workspace, index: MentionIndex, sentence: int, start: int, text: str,
              spans: list[Span]) -> None:
    """在蔡甸区建设武汉工业园: the projects a clause builds 在 a place sit in it."""
    subject = next((sp for sp in spans if not index.is_nested(sp)), None)
    m = _PLACE_BUILDS.search(text)
    if subject is not None and subject.type == "Place" and subject.start - start <= 1 and m \
            and not _OPENS_UNIT.match(ws.text, subject.end):
        # 武汉市正…加快建设国家新能源和智能网联汽车基地: a place builds in itself
        for project in (sp for sp in spans if sp.type == "Project" and sp.start >= start + m.end()):
            ws.relate(project.id, "located_in", subject.id, sentence=sentence, extractor="located_in:built")

def _built_in_sentence(ws: Workspace, index: MentionIndex, sentence: int, zone: Entity | None) -> None:
    """在蔡甸区建设武汉工业园, 将在谷城县石花镇投资30亿元,建设…产业园, 将在园区设立…: the projects
    built 在 a place (园区/区内: the article's zone) sit in it."""
    s = ws.sentences[sentence]
    text = nfkc(s.text)
    spans = index.spans(sentence)
    for m in _BUILD_IN.finditer(text):
        at = s.start + m.start()
        clause = _CLAUSE.match(text, m.end())
        end = s.start + (clause.end() if clause else m.end())
        projects = [sp for sp in spans if sp.type == "Project" and s.start + m.end() <= sp.start and sp.end <= end
                    and not index.is_nested(sp)]
        if not projects:
            continue
        places = _place_run(ws, index, spans, at + 1)
        verb_at = s.start + m.start("gap") + len(m.group("gap"))
        if places and (ws.text.find("的", places[-1].end, verb_at) >= 0 or any(
                sp.type == "Place" and places[-1].end <= sp.start < verb_at for sp in spans)):
            continue  # 在襄阳的整车企业…,推动襄阳高新区打造…: not what is built there
        if places and places[-1].end <= verb_at:
            target = places[-1].entity
        elif zone is not None and _ZONE_WORD.match(m.group("gap")):
            target = zone
        else:
            continue
        for project in projects:
            ws.relate(project.id, "located_in", target.id, sentence=sentence, extractor="located_in:built")


#: A place word that refers back to the article's zone (将在园区设立…).
_ZONE_WORD = re.compile(r"(?:园区|区内|我区|本区|开发区|经开区|高新区|新区)(?![\u4e00-\u9fa5]{0,3}(?:街道|镇|社区))")
#: After a place, the rest of a unit's name (苏州纳维新材料有限公司 where only 苏州 was found).
_OPENS_UNIT = re.compile(r"[委政人党]|[\u4e00-\u9fa5()]{2,12}?(?:有限公司|公司|集团|大学|学院|研究院)")


def in_industry(ws: Workspace, index: MentionIndex) -> None:
    """An enterprise works in an industry its name holds (吉麦新能源汽车有限公司), that a project
    named after it holds (中航锂电动力电池…项目), that a list of firms is described by
    (中创新航、爱机等新能源汽车零部件头部企业), or that its clause says with a cue (聚焦氢能源产业)."""
    cue = cues()["industry"]
    _named_industries(ws)
    for s in ws.sentences:
        spans = index.spans(s.index)
        _listed_firms(ws, index, s.index, spans)
        _firm_is(ws, index, s.index, spans)
        _project_subject(ws, index, s.index, spans)
        _subject_firm(ws, index, s.index, spans, cue)
        for _start, _end, text, cspans in _clauses(ws, index, s.index):
            firms = [sp for sp in cspans if sp.type == "Enterprise" and not index.is_nested(sp)]
            industries = [sp for sp in cspans if sp.type == "Industry" and not index.is_nested(sp)]
            if not firms or not industries or not cue.search(text):
                continue
            for ind in industries:
                firm = [f for f in firms if f.end <= ind.start] or firms
                ws.relate(firm[-1].id, "in_industry", ind.id, sentence=s.index, extractor="in_industry")


def _named_industries(ws: Workspace) -> None:
    """An industry of the article that an enterprise's name holds (吉麦新能源汽车有限公司), or the
    name of a project named after the enterprise (中航锂电动力电池及储能电池武汉基地项目)."""
    generic = cues()["industry_generic"]
    industries = [(e, [nfkc(f) for f in (e.name, *e.aliases) if len(f) >= 2 and not generic.fullmatch(nfkc(f))])
                  for e in ws.entities if e.type == "Industry"]
    firms = [e for e in ws.entities if e.type == "Enterprise"]
    projects = [e for e in ws.entities if e.type == "Project"]
    for firm in firms:
        names = [nfkc(firm.name)]
        short = [nfkc(f) for f in (firm.name, *firm.aliases) if len(f) >= 2]
        names += [nfkc(p.name) for p in projects if any(nfkc(p.name).startswith(f) for f in short)]
        for ind, forms in industries:
            if any(f in n for f in forms for n in names):
                ws.relate(firm.id, "in_industry", ind.id, sentence=firm.mentions[0].sentence,
                          extractor="in_industry:name")


_PRODUCES = re.compile(r"生产|研发|制造|重点发展|具备|主营|配套|拓展")


def _project_subject(ws: Workspace, index: MentionIndex, sentence: int, spans: list[Span]) -> None:
    """东风本田新能源工厂项目…将具备电动汽车生产的完整工序: a sentence about a firm's project
    names the firm's industries."""
    top = [sp for sp in spans if not index.is_nested(sp)]
    if not top or top[0].type != "Project" or re.match(r"[、和及与]", ws.text[top[0].end:top[0].end + 1]):
        return
    cue = _PRODUCES.search(ws.text, top[0].end, ws.sentences[sentence].end)
    if cue is None:
        return
    owners = {r.head for r in ws.relations if r.relation == "undertakes" and r.tail == top[0].id}
    by_id = ws.entity_by_id()
    for owner in (by_id[o] for o in sorted(owners)):
        if owner.type != "Enterprise":
            continue
        for ind in (sp for sp in spans if sp.type == "Industry" and sp.start >= cue.start()):
            ws.relate(owner.id, "in_industry", ind.id, sentence=sentence, extractor="in_industry:project")


def _subject_firm(ws: Workspace, index: MentionIndex, sentence: int, spans: list[Span], cue) -> None:
    """未来,岚图汽车将…,积极抢占新能源和智能网联汽车主动权: the one firm a sentence opens with
    works in the industries it names after a cue."""
    top = [sp for sp in spans if not index.is_nested(sp) and sp.type not in ("Position", "Person")]
    firms = [sp for sp in top if sp.type == "Enterprise"]
    if len({f.id for f in firms}) != 1 or top[0] is not firms[0]:
        return
    text = ws.sentences[sentence].text
    offset = ws.sentences[sentence].start
    m = cue.search(nfkc(text), firms[0].end - offset)
    if m is None:
        return
    for ind in (sp for sp in spans if sp.type == "Industry" and sp.start >= offset + m.start()):
        ws.relate(firms[0].id, "in_industry", ind.id, sentence=sentence, extractor="in_industry:subject")


_KIND_THEN_FIRM = re.compile(r"(?:行业)?(?:龙头|领军|骨干|头部|重点|知名|领先)?(?:企业|厂商|制造商|供应商)")
_KIND_OF_FIRM = re.compile(r"(?:企业|品牌|厂商|车企|制造商|供应商|龙头|公司|整车厂)")


def _firm_is(ws: Workspace, index: MentionIndex, sentence: int, spans: list[Span]) -> None:
    """小鹏汽车,是中国领先的智能电动汽车企业: the sentence's firm works in the industry that
    names the kind of firm it is."""
    firms = [sp for sp in spans if sp.type == "Enterprise" and not index.is_nested(sp)]
    for ind in (sp for sp in spans if sp.type == "Industry"):
        if not _KIND_OF_FIRM.match(ws.text, ind.end):
            continue
        before = [f for f in firms if f.end <= ind.start]
        if before and re.search(r"是|为|作为|成为", ws.text[before[0].end:ind.start]):
            ws.relate(before[0].id, "in_industry", ind.id, sentence=sentence, extractor="in_industry:is")
        # 国内汽车蓄电池龙头企业骆驼集团: the kind of firm, then its name
        kind = _KIND_THEN_FIRM.match(ws.text, ind.end)
        after = [f for f in firms if kind and f.start == kind.end()]
        for firm in after:
            ws.relate(firm.id, "in_industry", ind.id, sentence=sentence, extractor="in_industry:is")


def _listed_firms(ws: Workspace, index: MentionIndex, sentence: int, spans: list[Span]) -> None:
    """A、B、C等新能源汽车零部件企业: every listed firm works in the industry after 等."""
    text = ws.text
    # a list may name firms' plants among the firms (岚图汽车、路特斯武汉智能工厂…等新能源整车厂)
    items = [sp for sp in spans if sp.type in ("Enterprise", "Project") and not index.is_nested(sp)]
    for i, last in enumerate(items):
        if not text.startswith("等", last.end):
            continue
        run = [last]
        for prev in reversed(items[:i]):
            # (an item no mention covers may stand between: 岚图汽车、猛士科技、路特斯…)
            if re.fullmatch(r"[、和及与](?:[\u4e00-\u9fa5A-Za-z]{2,6}、)?", text[prev.end:run[0].start]):
                run.insert(0, prev)
            else:
                break
        listed = [sp for sp in run if sp.type == "Enterprise"]
        if not listed:
            continue
        m = _CLAUSE.match(text, last.end)
        end = m.end() if m else last.end
        described = [sp for sp in spans if sp.type == "Industry" and last.end < sp.start and sp.end <= end]
        if not described and re.match(r"等(?:\d+|[一二三四五六七八九十几多]+)家", text[last.end:last.end + 6]):
            # 智能驾驶产业座谈会,萝卜快跑、芯擎科技等7家核心企业: the sentence's industry
            described = [sp for sp in spans if sp.type == "Industry" and sp.end <= listed[0].start][-1:]
        if len(listed) < len(run):  # projects in the list: only a kind of firm describes the firms
            described = [d for d in described if _KIND_OF_FIRM.match(text, d.end) or text.startswith(("整车", "厂"), d.end)]
        for ind in described[:2]:
            for firm in listed:
                ws.relate(firm.id, "in_industry", ind.id, sentence=sentence, extractor="in_industry:list")


def undertakes(ws: Workspace, index: MentionIndex) -> None:
    actors = [e for e in ws.entities if e.type in ACTOR_TYPES]
    for p in ws.entities:  # 华科大军山校区, 小鹏汽车武汉基地: named after its owner
        if p.type != "Project":
            continue
        forms = [nfkc(f) for f in (p.name, *p.aliases)]
        owners = [(max(len(n) for n in (nfkc(x) for x in (a.name, *a.aliases))
                       if len(n) >= 2 and any(f.startswith(n) and len(f) > len(n) for f in forms)), a)
                  for a in actors if any(f.startswith(nfkc(n)) and len(f) > len(n) for f in forms
                                         for n in (a.name, *a.aliases) if len(n) >= 2)]
        if owners:  # the longest name wins: 东风本田新能源工厂 is 东风本田's, not 东风's
            longest = max(length for length, _ in owners)
            for length, a in owners:
                if length == longest:
                    ws.relate(a.id, "undertakes", p.id, sentence=p.mentions[0].sentence,
                              extractor="undertakes:name")
    cue = cues()["undertake"]
    _owner_then_project(ws, index)
    for _speaker, org, sentences in respondent_sections(ws, index):
        for i in sentences if org is not None and org.type in ACTOR_TYPES else ():  # 我们将…打造…基地
            text = nfkc(ws.sentences[i].text)
            m = cue.search(text)
            for project in index.spans(i, {"Project"}) if m else ():
                if project.start >= ws.sentences[i].start + m.start() and not index.is_nested(project):
                    ws.relate(org.id, "undertakes", project.id, sentence=i, extractor="undertakes:section")
    for s in ws.sentences:
        _undertaken_in(ws, index, s.index, cue)


_OWNER_TYPES = frozenset({"Enterprise", "Organization"})
#: What may stand between an owner and its project: a short-name note, 的, 旗下的.
_OWNER_GAP = re.compile(r"(?:[(（]以下简称[“\"]?[^)）]{1,12}[”\"]?[)）])?(?:的|旗下的)?")


def _owner_then_project(ws: Workspace, index: MentionIndex) -> None:
    """好利来(武汉)食品生产工厂 split in two, 恒驰储能科技有限公司(以下简称“恒驰储能”)储能电池超级工厂:
    the owner, then its project."""
    for s in ws.sentences:
        spans = index.spans(s.index)
        for a in spans:
            if a.type not in _OWNER_TYPES or index.is_nested(a):
                continue
            m = _OWNER_GAP.match(ws.text, a.end)
            for p in index.starting_at(s.index, m.end()):
                if p.type == "Project":
                    ws.relate(a.id, "undertakes", p.id, sentence=s.index, extractor="undertakes:adjacent")
        ends = {sp.end for sp in spans}
        for p in spans:  # 公司封装测试基地二期项目, 察看企业新材料产业园: the firm named before
            if p.type != "Project" or p.start in ends or index.is_nested(p):
                continue
            ref = re.search(r"(?:该公司|公司|企业|该企业)$", ws.text[max(0, p.start - 3):p.start])
            owner = _firm_referred_to(ws, index, s.index, p.start - len(ref.group())) if ref else None
            if owner is not None:
                ws.relate(owner.id, "undertakes", p.id, sentence=s.index, extractor="undertakes:referred")
_SEGMENT = re.compile(r"[^。;；!！?？]+")
#: A clause whose subject refers back to a firm named before (公司…, 企业…, 我们…).
_BACK_REFERENCE = re.compile(r"^(?:该公司|公司|企业|该企业|我们|我们公司)")
_JOINED = re.compile(r"[、和与及]|以及")


def _undertaken_in(ws: Workspace, index: MentionIndex, sentence: int, cue: re.Pattern[str]) -> None:
    """The projects after an undertaking cue (投资建设, 设立, 扩建 …) are undertaken by the actors
    of that clause right before the cue (由A与B共同建设的Y, A将在园区设立Y), else by the subject
    opening the clause's segment (其中,X将…,建设Y), or by the firm a clause opening with 公司/企业
    refers back to; Y由A与B共同建设 (the project before 由) too."""
    stext = nfkc(ws.sentences[sentence].text)
    if not cue.search(stext):
        return
    top = [sp for sp in index.spans(sentence) if not index.is_nested(sp)]
    text = ws.text
    base = ws.sentences[sentence].start
    # a project named after its owner is that owner's (中国电子科技集团高端装备产业园)
    named = index.memo(("named_projects",), lambda: {
        r.tail for r in ws.relations if r.relation == "undertakes" and r.extractor == "undertakes:name"})
    segments = [(base + m.start(), base + m.end()) for m in _SEGMENT.finditer(stext)]
    seen: dict[tuple[int, int], tuple[list[Span], Span | None]] = {}

    def segment_of(at: int) -> tuple[list[Span], Span | None]:
        seg = next(((a, b) for a, b in segments if a <= at < b), (at, at))
        if seg not in seen:
            spans = [sp for sp in top if seg[0] <= sp.start and sp.end <= seg[1]]
            seen[seg] = (spans, next((sp for sp in spans if sp.type not in ("Person", "Position")), None))
        return seen[seg]

    for start, _end, ctext, cspans in _clauses(ws, index, sentence):
        if not cue.search(ctext):
            continue
        seg_spans, subject = segment_of(start)
        cspans = [sp for sp in cspans if not index.is_nested(sp)]
        for m in cue.finditer(ctext):
            at = start + m.start()
            projects = [sp for sp in cspans if sp.type == "Project" and sp.start >= at + len(m.group())]
            passive = re.search(r"由", ctext[:m.start()])
            owners = _owners_before(text, [sp for sp in cspans if sp.end <= at], bool(passive))
            if passive and owners and not projects:  # Y由A与B共同建设
                projects = [sp for sp in seg_spans if sp.type == "Project" and sp.end <= start + passive.start()][-1:]
            if not projects:
                continue
            # (推动襄阳高新区打造…: the clause has a subject of its own, a place; 在蔡甸区建设…
            # is where)
            if not owners and not _UNNAMED_SUBJECT.search(ctext[:m.start()]) and not any(
                    sp.type in ("Place", "GovernmentBody") and sp.end <= at
                    and text[sp.start - 1:sp.start] not in _LOCATIVE
                    for sp in cspans):
                owners = _segment_subject(text, seg_spans, subject, at)
            if not owners and _BACK_REFERENCE.match(ctext):
                owners = [o for o in [_firm_referred_to(ws, index, sentence, start)] if o is not None]
            for owner in owners:
                for project in projects:
                    if project.id not in named:
                        ws.relate(owner.id, "undertakes", project.id, sentence=sentence,
                                  extractor="undertakes:cue")
            break


#: Before a place that is where or with whom, not who (在蔡甸区建设, 与武汉经开区签约).
_LOCATIVE = ("在", "于", "到", "赴", "向", "与", "和", "同")
#: A clause with a subject of its own that no mention covers (百济神州将扩建…).
_UNNAMED_SUBJECT = re.compile(r"^[^将拟]{2,}(?:将|拟|计划)")


def _segment_subject(text: str, spans: list[Span], subject: Span | None, at: int) -> list[Span]:
    """The actor the segment opens with, else its first actor before ``at`` that is no partner
    (与宁德时代合作: a partner; 武汉开发区与中国移动签署…: a subject), with those joined to it."""
    actors = [sp for sp in spans if sp.type in _OWNER_TYPES and sp.end <= at]
    if subject is not None and subject.type in _OWNER_TYPES and subject.end <= at \
            and text[subject.start - 1:subject.start] not in ("与", "和", "同"):
        first = subject
    elif subject is not None and subject.type in ("Place", "GovernmentBody") \
            and text[subject.start - 1:subject.start] not in _LOCATIVE:
        # a place or body leads the segment (武汉经开区是…,承担着…试点): the actor is its partner
        # (武汉开发区与中国移动湖北公司签署协议,共建…) or no one
        partner = next((a for a in actors if a.start > subject.end
                        and re.fullmatch(r"[与和同]", text[subject.end:a.start])), None)
        if partner is None:
            return []
        first = partner
    else:
        ends = {sp.end for sp in spans}
        first, partner = None, None
        for a in actors:
            listed = partner is not None and _JOINED.fullmatch(text[partner.end:a.start])
            if listed or (text[a.start - 1:a.start] in ("与", "和", "同") and (a.start - 1) not in ends):
                partner = a
                continue
            first = a
            break
    if first is None:
        return []
    owners = [first]
    for a in actors:
        if a.start > owners[-1].end and _JOINED.fullmatch(text[owners[-1].end:a.start]):
            owners.append(a)
    return owners


def _owners_before(text: str, spans: list[Span], passive: bool) -> list[Span]:
    """The actors right before a cue: the last one and those joined to it (A与B共同建设); a
    government body only beside a firm or after 由 (由区资建局建设)."""
    owners: list[Span] = []
    for sp in reversed(spans):
        if sp.type in ("Person", "Position"):
            break
        if sp.type in ACTOR_TYPES:
            if owners and not _JOINED.fullmatch(text[sp.end:owners[0].start]):
                break
            owners.insert(0, sp)
        elif owners:
            break
    if passive or any(o.type in _OWNER_TYPES for o in owners):
        return owners
    return []


def _firm_referred_to(ws: Workspace, index: MentionIndex, sentence: int, at: int) -> Span | None:
    """公司…: the firm of the sentence's speaker (严斌说,…公司…: their post, wherever it was
    named), else the last firm named before."""
    by_id = ws.entity_by_id()
    for r in ws.relations:
        if r.relation == "holds_position" and r.tail \
                and by_id[r.tail].type in _OWNER_TYPES:
            person = by_id[r.head]
            if any(m.sentence == sentence and m.end <= at for m in person.mentions):
                return Span(at, at, by_id[r.tail])
    for i in (sentence, sentence - 1):
        before = [sp for sp in index.spans(i, {"Enterprise"}) if sp.end <= at and not index.is_nested(sp)]
        if before:
            return before[-1]
    return None
