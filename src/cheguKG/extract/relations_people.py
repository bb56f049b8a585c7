"""holds_position: a person and the bodies of the titles before their name.

A title chain is the run of mentions right before a Person joined only by 、/兼/spaces (or
commas between runs that are titles only): ``市委常委、武汉经开区工委书记刘子清``. Each Position
in it takes the body that stands before it or inside it (武汉经开区工委 / 工委书记); a title
without one takes the body of the title before it (董事长兼总经理). A person on a line that
holds only their title and name takes the organisation named alone on the line above
(``武汉绿动氢能能源技术有限公司`` / ``总经理 刘真``).

>>> # 纱帽街道廖家堡社区党委书记 刘莉 -> (刘莉, holds_position, 廖家堡社区党委, title 党委书记)
"""

from __future__ import annotations

import re

from .relations import BODY_TYPES, MentionIndex, Span, nfkc
from .workspace import Workspace

_JOIN = re.compile(r"[\s、兼及和与/]*(?:第[一二三四五六七八九十\d]+届)?")
#: An untagged unit between a body and a title (研发总院, “爱飞客”事业部): the title is the body's.
_GAP_UNIT = re.compile(r"[“”\"\u4e00-\u9fa5A-Za-z]{1,10}?(?:院|部|中心|处|室|所|分公司|事业部|工厂)")
_JOIN_COMMA = re.compile(r"[\s、兼及和与/,，]*")
#: Titles whose body the text does not name (区长, 副市长): they inherit no body.
_LOCAL_TITLE = re.compile(r"^[副常务代]*[省市区县镇乡村]长$|^副?[省市区县]长")


#: A title the entity rules left untagged right after a body (中共湖北省委副书记、, 集团领导).
_GAP_TITLE = re.compile(
    r"((?:常务|专职|执行)?副?(?:书记|主任|主席|部长|局长|处长|院长|校长|董事长|总经理|经理|秘书长|"
    r"委员|常委|会长|理事长|主委|领导|主要负责人|负责人))[\s、兼]*")
#: A body the entity rules missed between two titles (县人大常委会副主任、财政局局长).
_GAP_BODY = re.compile(r"[\s、]*(?:[\u4e00-\u9fa5]{1,8}(?:局|委|办|部|厅|院|处|室|中心)|[\u4e00-\u9fa5]{0,8}(?:委员会|居委会|村委会))")
#: A rank the entity rules leave out between a body and its title (三一集团高级副总裁).
_GAP_RANK = re.compile(r"(?:高级|资深|首席|专职|驻会|名誉|常驻)")
#: A title the entity rules left untagged inside a chain (华擎生物创始人、首席执行官赵思琪).
_GAP_CHAIN_TITLE = re.compile(
    r"[\s、兼]*(?:首席[\u4e00-\u9fa5]{1,4}官|[\u4e00-\u9fa5]{0,4}?(?:总裁|总经理|董事长|董事|总监|理事长|秘书长))[\s、兼]*")


def _chain(index: MentionIndex, sentence: int, person: Span,
           gap_titles: dict[tuple[int, int], str] | None = None) -> list[Span]:
    """The mentions before ``person`` that form its title chain, in text order; untagged titles
    right after a body in it go to ``gap_titles`` (body span -> title)."""
    text = index.ws.text
    chain: list[Span] = []
    left = person.start
    for sp in index.ending_by(sentence, person.end):
        if sp is person:
            continue
        if sp.type == "Person" or sp.type in ("Meeting", "Policy", "Industry"):
            if sp.end <= left:
                break
            continue
        if sp.end > left:  # nested in or overlapping a mention already in the chain
            if sp.start < left or any(c.start <= sp.start and sp.end <= c.end for c in chain):
                chain.append(sp)
                left = min(left, sp.start)
            continue
        gap = nfkc(text[sp.end:left])
        # across a comma only into a run of titles (中国宝武武汉总部总代表,武钢集团董事长周忠明)
        if _JOIN.fullmatch(gap) or (_JOIN_COMMA.fullmatch(gap) and chain and sp.type == "Position") \
                or (sp.type in BODY_TYPES and chain and chain[-1].type == "Position" and _GAP_RANK.fullmatch(gap)) \
                or (sp.type == "Position" and _GAP_CHAIN_TITLE.fullmatch(gap)):
            chain.append(sp)
            left = min(left, sp.start)
        elif sp.type in BODY_TYPES and (m := _GAP_TITLE.fullmatch(gap)):
            if gap_titles is not None:
                gap_titles[(sp.start, sp.end)] = m.group(1)
            chain.append(sp)
            left = min(left, sp.start)
        elif sp.type in BODY_TYPES and chain and chain[-1].type == "Position" and _GAP_UNIT.fullmatch(gap):
            chain.append(sp)
            left = min(left, sp.start)
        elif sp.type == "Position" and chain and _GAP_BODY.fullmatch(gap):
            chain.append(sp)
            left = min(left, sp.start)
        else:
            break
    return sorted(chain, key=lambda s: (s.start, -s.end))


def _body_for(position: Span, chain: list[Span]) -> Span | None:
    """The body before or inside ``position``: the nearest one starting before it ends."""
    best = None
    for sp in chain:
        if sp.type in BODY_TYPES and sp.start < position.end and sp.end <= position.end:
            if best is None or sp.end > best.end or (sp.end == best.end and sp.start < best.start):
                best = sp
    if best is not None:
        between = [s for s in chain if s.type == "Person" and best.end <= s.start < position.start]
        if between:
            return None
    return best


_BARE_ORGAN = re.compile(r"^(?:党委|党组|党总支|党支部|纪委|工会|团委)$")


def _company_for(body: Span | None, chain: list[Span], title: str) -> Span | None:
    """东风公司党委常委、副总经理: titles in a company's 党委 go to the company (as the gold has
    them); a bare 党委 (东风集团董事长、党委书记) is the company's committee."""
    if body is None or body.type != "GovernmentBody":
        return body
    name = nfkc(body.entity.name)
    firms = [c for c in chain if c.type in ("Enterprise", "Organization") and c.end <= body.end]
    if _BARE_ORGAN.match(name):  # a 党委 of no named company is of no use
        return firms[-1] if firms and firms[-1].end <= body.start else None
    inner = [f for f in firms if f.start == body.start and f.end < body.end]
    return inner[-1] if inner else body  # 武钢集团党委书记: the gold names the company


def _committee_of(ws: Workspace, firm: Span, title: str) -> Span:
    """东风公司总经理、党委副书记: a party title after a company's goes to its 党委 if named."""
    if firm.type not in ("Enterprise", "Organization") or not re.match(r"党委|党组|纪委", title):
        return firm
    names = {nfkc(f) for f in (firm.entity.name, *firm.entity.aliases, ws.text[firm.start:firm.end])}
    for e in ws.entities:
        if e.type == "GovernmentBody" and any(
                re.fullmatch(re.escape(n) + r"(?:党委|党组|纪委)", nfkc(f)) for n in names for f in (e.name, *e.aliases)):
            return Span(firm.start, firm.end, e)
    return firm


def _government_of(ws: Workspace, title: str, pos: Span) -> Span | None:
    """区长何建文 in an article that names 黄陂区政府 elsewhere: the one government of that level."""
    level = re.search(r"[省市区县]", title)
    if level is None:
        return None
    found = {e.id: e for e in ws.entities if e.type == "GovernmentBody"
             and re.search(level.group() + r"(?:人民)?政府$", nfkc(e.name))}
    if len(found) != 1:
        return None
    return Span(pos.start, pos.end, next(iter(found.values())))


def _zone_body(ws: Workspace, title: str, pos: Span) -> Span | None:
    """经济开发区常务副主任 in an article naming 经济开发区管委会: the zone's committee (党工委 for
    party titles)."""
    organ = r"(?:党工委|工委)" if re.search(r"书记|党|纪|委员", title) else r"管委会"
    for e in ws.entities:
        m = re.fullmatch(r"(.+?)" + organ, nfkc(e.name)) if e.type == "GovernmentBody" else None
        if m and len(m.group(1)) >= 2 and nfkc(ws.text[pos.start - len(m.group(1)):pos.start]) == m.group(1):
            return Span(pos.start, pos.end, e)
    return None


def _line_above_body(index: MentionIndex, sentence: int) -> Span | None:
    """An organisation alone on the line before a title line (武汉绿动氢能能源技术有限公司)."""
    if sentence <= 0:
        return None
    prev = index.ws.sentences[sentence - 1]
    text = prev.text.strip()
    for sp in index.spans(prev.index, BODY_TYPES):
        if sp.start - prev.start <= 1 and prev.end - sp.end <= 1 and len(text) <= 40:
            return sp
    return None


def _described_firm(ws: Workspace, index: MentionIndex, sentence: int, pos: Span) -> Span | None:
    """翔宇航空是一家…企业,总经理蒋海峰介绍: a title that opens a clause after the sentence has
    described one firm (X是一家…) is a post in that firm."""
    if not re.search(r"[,，]\s*$", ws.text[max(0, pos.start - 2):pos.start]):
        return None
    spans = [sp for sp in index.spans(sentence) if sp.end <= pos.start and not index.is_nested(sp)]
    s = ws.sentences[sentence]
    if not spans or spans[0].type not in ("Enterprise", "Organization") or spans[0].start - s.start > 1:
        return None
    rest = nfkc(ws.text[spans[0].end:pos.start])
    if not re.match(r"(?:是|作为|系)(?:一家|一所|一个|国内|全国|全球|我国)", rest) or re.search(r"[。;；]", rest):
        return None
    if any(sp.type in BODY_TYPES | {"Person"} and sp.entity is not spans[0].entity for sp in spans[1:]):
        return None
    return spans[0]


def holds_position(ws: Workspace, index: MentionIndex) -> None:
    for s in ws.sentences:
        spans = index.spans(s.index)
        previous: tuple[Span, list[tuple[Span, str]]] | None = None
        last_body: Span | None = None
        for person in (sp for sp in spans if sp.type == "Person"):
            found = _posts(ws, index, s.index, person, last_body, previous[0] if previous else None)
            if not found and previous is not None and _listed_after(ws, previous[0], person):
                found = previous[1]  # 副主席张柏青、郭跃进: the title before the list
            if not found:
                found = _posts_after(ws, spans, person)
            if found:
                last_body = found[-1][0]
            for body, title in found:
                ws.relate(person.id, "holds_position", body.id, title=title, sentence=s.index,
                          extractor="holds_position")
            previous = (person, found)
        _appointments(ws, index, s.index, spans)


def _posts_after(ws: Workspace, spans: list[Span], person: Span) -> list[tuple[Span, str]]:
    """卢放(岚图汽车CEO), 刘真,武汉绿动公司总经理。: a name then its titles, in brackets or as a
    clause of titles only."""
    text = ws.text
    m = re.match(r"\s*(?:[(（]|[,，]\s*)", text[person.end:person.end + 3])
    if not m:
        return []
    start = person.end + m.end()
    close = re.search(r"[)）]" if m.group().strip() in "(（" else r"[,，。;；)）]|$", text[start:start + 60])
    end = start + (close.start() if close else 0)
    inside = [sp for sp in spans if start <= sp.start and sp.end <= end]
    covered = "".join(ch for i, ch in enumerate(text[start:end], start)
                      if not any(sp.start <= i < sp.end for sp in inside))
    if not inside or inside[-1].type != "Position" or re.sub(r"[\s、兼]", "", covered):
        return []
    found: list[tuple[Span, str]] = []
    last: Span | None = None
    for pos in (sp for sp in inside if sp.type == "Position"):
        body = _body_for(pos, inside) or last
        if body is not None:
            found.append((body, text[pos.start:pos.end]))
            last = body
    return found


_APPOINTED = re.compile(r"(?:为|任|担任|出任|当选为|当选|兼任)")


def _appointments(ws: Workspace, index: MentionIndex, sentence: int, spans: list[Span]) -> None:
    """任命陈美杉为民进…委员会主委,王作燕、陈英明为副主委: the person before 为 holds the title
    after it, in the body after it (or the body of the appointment before)."""
    body: Span | None = None
    people: list[Span] = []
    for sp in spans:
        if sp.type == "Person":
            people = people + [sp] if people and re.fullmatch(r"[、和及]", ws.text[people[-1].end:sp.start]) else [sp]
            continue
        if sp.type != "Position" or not people:
            continue
        between = ws.text[people[-1].end:sp.start]
        m = _APPOINTED.match(between)
        if not m or re.search(r"[,，。;；]", between):
            continue
        inner = [b for b in spans if b.type in BODY_TYPES and people[-1].end + m.end() <= b.start
                 and b.end <= sp.end and not index.is_nested(b)]
        body = inner[-1] if inner else body
        if body is None:
            continue
        for p in people:
            ws.relate(p.id, "holds_position", body.id, title=ws.text[sp.start:sp.end], sentence=sentence,
                      extractor="holds_position:appointed")
        people = []


def _listed_after(ws: Workspace, previous: Span, person: Span) -> bool:
    return bool(re.fullmatch(r"[\s、和及]*", ws.text[previous.end:person.start]))


def _posts(ws: Workspace, index: MentionIndex, sentence: int, person: Span,
           body_before: Span | None = None, person_before: Span | None = None) -> list[tuple[Span, str]]:
    """(body, title) for each post in ``person``'s title chain; a chain that names no body
    takes ``body_before``, the body of the person listed before (省政协常务副主席李兵,副主席张柏青)."""
    s = ws.sentences[sentence]
    gap_titles: dict[tuple[int, int], str] = {}
    chain = _chain(index, sentence, person, gap_titles)
    positions = [c for c in chain if c.type == "Position" and not index.is_nested(c)]
    if not positions:
        positions = [c for c in chain if c.type == "Position"]
    found: list[tuple[Span, str]] = []
    last_body: Span | None = None
    if (body_before is not None and person_before is not None and chain
            and all(c.type == "Position" for c in chain)
            and re.fullmatch(r"[\s,，、;；]*", ws.text[person_before.end:chain[0].start])):
        last_body = body_before
    for pos in positions:
        title = nfkc(pos.entity.name)
        raw = _body_for(pos, chain)
        body = _company_for(raw, chain, title)
        if body is not None and body is raw:
            body = _committee_of(ws, body, title)
        if body is None and last_body is not None and not _LOCAL_TITLE.search(title):
            body = _committee_of(ws, last_body, title)
        if body is None and _LOCAL_TITLE.search(title):
            body = _government_of(ws, title, pos)
        if body is None:
            body = _zone_body(ws, title, pos)
        if body is None and chain and chain[0] is pos and pos.start - s.start <= 1:
            body = _line_above_body(index, sentence)
        if body is None and chain and chain[0] is pos and not _LOCAL_TITLE.search(title):
            body = _described_firm(ws, index, sentence, pos)
        if body is None:
            continue
        last_body = body
        found.append((body, ws.text[pos.start:pos.end]))
    for c in chain:
        title = gap_titles.get((c.start, c.end))
        if title and c.id not in {b.id for b, _ in found}:
            found.append((c, title))
    return found
