"""Relations between the article's entities, from the structure of each sentence.

Components run after ``consolidate`` (they need ``ws.entities``) and work sentence by sentence
over the entity mentions in text order (:class:`MentionIndex`):

- ``people_relations`` (relations_people.py): ``holds_position`` from title chains;
- ``meeting_relations``: ``held_on`` (the date before the meeting in its sentence, else, for a
  meeting held rather than referred to, the nearest date before it; the year from the meeting's
  name or the publication date), ``convened_by`` (the body in the meeting's name, the subject of
  召开/举行, the chair's body; none for ceremonies), ``inspects`` (the places and units a
  调研/视察/考察 visits), ``adopts`` (审议通过/印发/出台 + a Policy), ``comments_on`` (a person's
  statement on a meeting or policy; respondents' sections under title lines);
- ``place_relations`` (relations_places.py): ``located_in``, ``undertakes``, ``in_industry``.

Cue words live in data/patterns/relation_cues.tsv; set $CHEGUKG_PATTERNS to a directory holding
your own relation_cues.tsv, meetings.tsv, meeting_refs.txt or place_parents.tsv to use those.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..types import Entity
from .dates import DateMention, _is_day
from .workspace import Workspace

BODY_TYPES = frozenset({"GovernmentBody", "Organization", "Enterprise"})
CONVENER_TYPES = frozenset({"GovernmentBody", "Organization"})
INSPECTED_TYPES = frozenset({"Place", "Organization", "Enterprise", "Project"})


@dataclass(frozen=True)
class Span:
    """One mention of an entity: where it stands and what it is."""

    start: int
    end: int
    entity: Entity

    @property
    def type(self) -> str:
        return self.entity.type

    @property
    def id(self) -> str:
        return self.entity.id


class MentionIndex:
    """Mentions by sentence, in text order; nested mentions marked (华科大 in 华科大军山校区)."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        by_sentence: dict[int, list[Span]] = defaultdict(list)
        for e in ws.entities:
            for m in e.mentions:
                by_sentence[m.sentence].append(Span(m.start, m.end, e))
        self.by_sentence = {i: sorted(v, key=lambda s: (s.start, -s.end)) for i, v in by_sentence.items()}
        self.nested: set[tuple[int, int, str]] = set()
        self._cache: dict[tuple, list[Span]] = {}
        self._starts: dict[int, dict[int, list[Span]]] = {}
        self._by_end: dict[int, tuple[list[Span], list[int]]] = {}
        for spans in self.by_sentence.values():
            self._mark_nested(spans)

    def _mark_nested(self, spans: list[Span]) -> None:
        """One sweep in (start, -end) order: a span is nested when a longer span (not a meeting's
        or policy's name: inside those a thing is still itself) starting at or before it reaches
        its end. Spans of equal extent come together and do not nest in each other."""
        reach = -1  # the furthest end of the spans of earlier extents
        group: tuple[int, int] | None = None
        group_reach = -1
        for a in spans:
            if (a.start, a.end) != group:
                reach = max(reach, group_reach)
                group, group_reach = (a.start, a.end), -1
            if reach >= a.end:
                self.nested.add((a.start, a.end, a.id))
            if a.type not in ("Meeting", "Policy"):
                group_reach = a.end

    def spans(self, sentence: int, types: frozenset[str] | set[str] | None = None,
              top_level: bool = False) -> list[Span]:
        """The sentence's mentions (of ``types``; not nested ones with ``top_level``), in text
        order. Cached: rules ask again for every mention, and long sentences hold thousands."""
        key = (sentence, frozenset(types) if types is not None else None, top_level)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        out = self.by_sentence.get(sentence, [])
        if types is not None:
            out = [s for s in out if s.type in types]
        if top_level:
            out = [s for s in out if not self.is_nested(s)]
        self._cache[key] = out
        return out

    def memo(self, key: tuple, compute):
        """``compute()`` once per key: rules keep per-sentence work here (long sentences)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def starting_at(self, sentence: int, start: int) -> list[Span]:
        """The sentence's mentions that start at ``start``."""
        if sentence not in self._starts:
            by_start: dict[int, list[Span]] = defaultdict(list)
            for sp in self.by_sentence.get(sentence, []):
                by_start[sp.start].append(sp)
            self._starts[sentence] = by_start
        return self._starts[sentence].get(start, [])

    def ending_by(self, sentence: int, end: int) -> list[Span]:
        """The sentence's mentions ending at or before ``end``, the latest end first."""
        import bisect

        if sentence not in self._by_end:
            ordered = sorted(self.by_sentence.get(sentence, []), key=lambda s: (-s.end, s.start))
            self._by_end[sentence] = (ordered, [-s.end for s in ordered])
        ordered, keys = self._by_end[sentence]
        return ordered[bisect.bisect_left(keys, -end):]

    def is_nested(self, span: Span) -> bool:
        return (span.start, span.end, span.id) in self.nested

    def sentence_text(self, i: int) -> str:
        return self.ws.sentences[i].text

    def first_sentence(self, entity: Entity) -> int:
        return min(m.sentence for m in entity.mentions)


def pattern_file(name: str):
    """A pattern file: from $CHEGUKG_PATTERNS (a directory a researcher points to) when it holds
    one of that name, else from the package's data/patterns/."""
    import os
    from pathlib import Path

    from ..resources import data_dir

    override = os.environ.get("CHEGUKG_PATTERNS")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return data_dir() / "patterns" / name


@lru_cache(maxsize=1)
def cues() -> dict[str, re.Pattern[str]]:
    """Cue-word alternations by kind, from relation_cues.tsv (see :func:`pattern_file`)."""
    words: dict[str, list[str]] = defaultdict(list)
    path = pattern_file("relation_cues.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, word = line.partition("\t")
            if word.strip():
                words[kind.strip()].append(unicodedata.normalize("NFKC", word.strip()))
    return {k: re.compile("|".join(re.escape(w) for w in sorted(v, key=len, reverse=True)))
            for k, v in words.items()}


def nfkc(text: str) -> str:
    out = unicodedata.normalize("NFKC", text)
    return out if len(out) == len(text) else text


# -- meetings ------------------------------------------------------------------------------

_YEAR_IN_NAME = re.compile(r"((?:19|20)\d{2})(?:年|(?=[\u4e00-\u9fa5“\"]))")


def _meeting_kind(ws: Workspace, e: Entity) -> str:
    kinds = ws.notes.get("meeting_kinds", {})
    found = {kinds.get((m.start, m.end)) for m in e.mentions}
    if found & {"event", "held", "convened"}:
        return "current"
    return "ref"


def _date_for(ws: Workspace, e: Entity, dates_by_sentence: dict[int, list[DateMention]],
              all_dates: list[DateMention], current: bool) -> DateMention | None:
    for m in sorted(e.mentions, key=lambda m: m.start):
        in_sentence = dates_by_sentence.get(m.sentence, [])
        before = [d for d in in_sentence if d.end <= m.start]
        if before:
            d = before[-1]
            if current or (m.start - d.end <= 12):
                return d
        elif current and in_sentence:
            return in_sentence[0]
    if not current:
        return None
    for m in sorted(e.mentions, key=lambda m: m.start):  # a headline mention has no date before it
        before = [d for d in all_dates if d.end <= m.start]
        if before:
            # 9月6日至7日…视察; 在随后召开的汇报会上: which of the days is not known
            if _RANGE_AFTER.match(ws.text, before[-1].end) and before[-1].sentence != m.sentence:
                return None
            return before[-1]
    return None


_RANGE_AFTER = re.compile(r"\s*(?:至|到|—|-|~|～)\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日")


def held_on(ws: Workspace, index: MentionIndex) -> None:
    dates: list[DateMention] = ws.notes.get("dates", [])
    by_sentence: dict[int, list[DateMention]] = defaultdict(list)
    for d in dates:
        by_sentence[d.sentence].append(d)
    for e in ws.entities:
        if e.type != "Meeting":
            continue
        d = _date_for(ws, e, by_sentence, dates, _meeting_kind(ws, e) == "current")
        if d is None:
            continue
        year = d.year
        if not d.stated_year:
            m = _YEAR_IN_NAME.search(e.name) or next(
                (y for y in (_YEAR_IN_NAME.search(a) for a in e.aliases) if y), None)
            if m:
                year = int(m.group(1))
        if year and not _is_day(year, d.month, d.day):
            year = None
        value = f"{year:04d}-{d.month:02d}-{d.day:02d}" if year else f"--{d.month:02d}-{d.day:02d}"
        ws.relate(e.id, "held_on", value=value, sentence=d.sentence, extractor="held_on")


def _strip_ordinals(name: str) -> str:
    return re.sub(r"(?:19|20)\d{2}年?|第[\d一二三四五六七八九十]+[次届]|[一二三四五六七八九十]+届[一二三四五六七八九十]+次",
                  "", nfkc(name))


_CEREMONY = re.compile(r"签约|签署|签订|签字|开工|启动|揭牌|奠基|投产|下线|协议")


def convened_by(ws: Workspace, index: MentionIndex) -> None:
    """The body whose name the meeting's name holds (市委常委会会议), the subject of 召开, or the
    body of the chair (X主席Y主持召开); a 座谈会 during an inspection is the inspectors'."""
    bodies = [e for e in ws.entities if e.type in CONVENER_TYPES
              and not cues()["not_convener"].fullmatch(nfkc(e.name))]
    convene = cues()["convene"]
    conveners: dict[str, Entity] = {}
    for e in ws.entities:
        if e.type != "Meeting":
            continue
        found = None
        # a 成立大会 founds the body it names; ceremonies and reported events are named after
        # what they open or sign, not who holds them
        if "成立大会" not in e.name and not _CEREMONY.search(e.name):
            found = _named_convener(e, bodies, ws)
        if found is None:
            found = _subject_convener(ws, index, e, convene)
        if found is None and not _CEREMONY.search(e.name):
            found = _chair_body(ws, index, e)
        if found is None and any(cues()["inspect_event"].search(nfkc(f)) for f in (e.name, *e.aliases)):
            found = _leader_body(ws, index, e)
        if found is not None and not cues()["not_convener"].fullmatch(nfkc(found.name)):
            conveners[e.id] = found
    _session_sittings(ws, index, conveners)
    inspections = [e for e in _inspection_meetings(ws) if e.id in conveners]
    for e in ws.entities:  # 随后召开座谈会: the inspectors' talk
        if e.type == "Meeting" and e.id not in conveners and inspections and re.search(r"座谈", e.name):
            conveners[e.id] = conveners[inspections[0].id]
    for mid, body in conveners.items():
        ws.relate(mid, "convened_by", body.id, sentence=index.first_sentence(ws.entity_by_id()[mid]),
                  extractor="convened_by")


def _session_sittings(ws: Workspace, index: MentionIndex, conveners: dict[str, Entity]) -> None:
    """省政协十二届三次会议举行第二次全体会议: a sitting held by a session has the session's convener."""
    for e in ws.entities:
        if e.type != "Meeting" or e.id in conveners:
            continue
        for m in e.mentions:
            before = [sp for sp in index.spans(m.sentence, {"Meeting"}) if sp.end <= m.start
                      and sp.id in conveners and sp.entity is not e]
            if before and re.fullmatch(r"(?:举行|召开)(?:了)?", nfkc(ws.text[before[-1].end:m.start])):
                conveners[e.id] = conveners[before[-1].id]
                break


def _named_convener(meeting: Entity, bodies: list[Entity], ws: Workspace | None = None) -> Entity | None:
    names = [_strip_ordinals(n) for n in (meeting.name, *meeting.aliases)]
    for body in sorted(bodies, key=lambda b: -len(b.name)):
        forms = [nfkc(f) for f in (body.name, *body.aliases) if len(f) >= 2]
        if any(n.startswith(f) and len(n) > len(f) for n in names for f in forms):
            return body
    # 武汉经开区召开党工委(扩大)会议: the article's only 党工委
    m = _ORGAN.match(names[0])
    if m:
        same = [b for b in bodies if nfkc(b.name).endswith(m.group())]
        if len({b.id for b in same}) > 1 and ws is not None:  # the one of the place before 召开
            first = min(meeting.mentions, key=lambda x: x.start)
            s = ws.sentences[first.sentence]
            left = nfkc(ws.text[s.start:first.start])
            same = [b for b in same if len(nfkc(b.name)) > len(m.group())
                    and nfkc(b.name)[:-len(m.group())] in left]
        if len({b.id for b in same}) == 1:
            return same[0]
    return None


_ORGAN = re.compile(r"(?:党工委|工委|管委会|党委|党组|常委会|人大常委会|政协|政府)(?=\(|（|扩大|会议|全体|常务|专题)")


def _subject_convener(ws: Workspace, index: MentionIndex, meeting: Entity,
                      convene: re.Pattern[str]) -> Entity | None:
    """市政协调研组来我区调研 / 江汉区政协召开…座谈会: a body right before 召开/组织/调研组."""
    for m in meeting.mentions:
        spans = index.spans(m.sentence, CONVENER_TYPES, top_level=True)
        for b in reversed([b for b in spans if b.end <= m.start]):
            between = nfkc(ws.text[b.end:m.start])
            if re.search(r"[,，。;；]", between):
                break
            if ws.text[max(0, b.start - 1):b.start] in ("在", "于", "与", "和"):  # a venue, a partner
                continue
            if convene.match(between) or (between == "" and not _CEREMONY.search(meeting.name)):
                if _followed_by_title(index, m.sentence, b):
                    break
                return b.entity
    return None


def _chair_body(ws: Workspace, index: MentionIndex, meeting: Entity) -> Entity | None:
    """市政协主席杨智主持召开…专题协商会: the body of the chair's title convenes the meeting."""
    posts: dict[str, list[str]] = defaultdict(list)
    for r in ws.relations:
        if r.relation == "holds_position" and r.tail:
            posts[r.head].append(r.tail)
    by_id = ws.entity_by_id()
    for m in meeting.mentions:
        chairs = index.memo(("chairs", m.sentence), lambda i=m.sentence: [  # people followed by 主持
            p for p in index.spans(i, {"Person"}) if ws.text.startswith("主持", p.end)])
        for p in chairs:
            between = nfkc(ws.text[p.end:m.start])
            if p.end <= m.start and re.match(r"主持(?:召开)?", between) and not re.search(r"[,，。;；]", between):
                bodies = [by_id[t] for t in posts.get(p.id, ()) if by_id[t].type in CONVENER_TYPES]
                if bodies:
                    return bodies[-1]
    return None


#: A leader heading a body's group (率执法检查组, 带领调研组): the gold names the body as holding
#: the visit; a leader's own visit (县委书记X带队调研, X一行调研) has no convener.
_LEADS = re.compile(r"(?:率领|率|带领)[^,，。;；]{0,10}?(?:调研组|检查组|视察组|考察组|督导组|巡查组)")


def _leader_body(ws: Workspace, index: MentionIndex, meeting: Entity) -> Entity | None:
    """省人大常委会副主任黄建民率执法检查组来宜昌视察: the body of the leader of the group that
    visits (their first post) holds the visit."""
    posts: dict[str, list[str]] = defaultdict(list)
    for r in ws.relations:
        if r.relation == "holds_position" and r.tail:
            posts[(r.head, r.sentence)].append(r.tail)
    by_id = ws.entity_by_id()
    for m in sorted(meeting.mentions, key=lambda m: m.start):
        s = ws.sentences[m.sentence]
        people = [p for p in index.spans(m.sentence, {"Person"}) if p.end <= m.start]
        if not people:
            continue
        lead = people[0]
        between = nfkc(ws.text[lead.end:m.start])
        if not _LEADS.match(between) or re.search(r"[。;；]", between) or lead.start - s.start > 40:
            continue
        bodies = [by_id[t] for t in posts.get((lead.id, m.sentence), ()) if by_id[t].type in CONVENER_TYPES]
        return bodies[0] if bodies else None
    return None


def _followed_by_title(index: MentionIndex, sentence: int, body: Span) -> bool:
    return any(s.type in ("Position", "Person")
               for at in (body.end, body.end + 1) for s in index.starting_at(sentence, at))


# -- inspections ---------------------------------------------------------------------------

def _inspection_meetings(ws: Workspace) -> list[Entity]:
    visit = cues()["inspect_event"]
    return [e for e in ws.entities if e.type == "Meeting" and
            any(visit.search(nfkc(f)) for f in (e.name, *e.aliases))]


def inspects(ws: Workspace, index: MentionIndex) -> None:
    """Places and units visited: after the first 赴/到/深入/调研/察看 … of a clause (what stands
    before it is the visitor), in an article with an inspection meeting."""
    meetings = _inspection_meetings(ws)
    if not meetings:
        return
    first_at = {e.id: min(m.start for m in e.mentions) for e in meetings}
    visit, move = cues()["inspect_verb"], cues()["inspect_move"]
    press = cues()["not_target"]
    for s in ws.sentences:
        text = nfkc(s.text)
        for clause in re.finditer(r"[^,，。;；!！?？]+(?:[,，][^,，。;；!！?？]*?(?=[,，。;；]|$))?", text):
            vm = next((m for m in visit.finditer(clause.group()) if not _NOT_VISIT.match(clause.group(), m.end())),
                      None)
            if not vm:
                continue
            mm = move.search(clause.group(), 0, vm.start())
            trigger = s.start + clause.start() + (mm.start() if mm else vm.start())
            head = _current(meetings, first_at, s.start + clause.start())
            if head is None:
                continue
            cend = s.start + clause.end()
            for sp in index.spans(s.index, INSPECTED_TYPES, top_level=True):
                if not (trigger <= sp.start and sp.end <= cend) or _is_modifier(ws, index, s.index, sp):
                    continue
                if sp.type == "Organization" and press.search(nfkc(sp.entity.name)):
                    continue
                ws.relate(head.id, "inspects", sp.id, sentence=s.index, extractor="inspects")


_NOT_VISIT = re.compile(r"员|组|成果|报告|汇报|课题")


def _is_modifier(ws: Workspace, index: MentionIndex, sentence: int, span: Span) -> bool:
    """A place that opens a body's or a title's name (蔡甸区委书记, 新乡市政协), one inside a
    policy's name (视察《湖北省优化营商环境条例》贯彻情况) or one that locates the unit visited
    (来到位于常州经开区的恒驰储能) is not visited."""
    if span.type == "Place" and (ws.text[max(0, span.start - 2):span.start] == "位于"
                                 and ws.text.startswith("的", span.end)):
        return True
    if any(o.type == "Policy" and o.start <= span.start and span.end <= o.end
           for o in index.spans(sentence, {"Policy"})):
        return True
    if any(o.type in ("GovernmentBody", "Position", "Person", "Organization", "Enterprise")
           and o.start <= span.start and span.end <= o.end and o is not span
           for o in _containers(index, sentence, span)):
        return True
    if _followed_by_title(index, sentence, span):
        return True
    # 山西浩海陶瓷科技有限公司 where only 山西 was found: the place opens a unit's name
    return span.type == "Place" and bool(re.match(r"[委政人党]|[\u4e00-\u9fa5]{2,12}?(?:有限公司|公司|集团)",
                                                  ws.text[span.end:span.end + 16]))


def _containers(index: MentionIndex, sentence: int, span: Span) -> list[Span]:
    """Mentions that may hold ``span``: any for a nested one, those of its extent for the rest."""
    if index.is_nested(span):
        return index.spans(sentence)
    return index.starting_at(sentence, span.start)


def _current(meetings: list[Entity], first_at: dict[str, int], offset: int) -> Entity | None:
    """The inspection meeting the text at ``offset`` belongs to: the last one named before it."""
    before = [e for e in meetings if first_at[e.id] <= offset]
    if before:
        return max(before, key=lambda e: first_at[e.id])
    return min(meetings, key=lambda e: first_at[e.id])


# -- policies and statements ---------------------------------------------------------------

def adopts(ws: Workspace, index: MentionIndex) -> None:
    """审议通过/印发/出台 + Policy: headed by the meeting of the sentence (or the one 会议 refers
    back to), else the body before the verb."""
    verb = cues()["adopt"]
    meetings = sorted((e for e in ws.entities if e.type == "Meeting"),
                      key=lambda e: min(m.start for m in e.mentions))
    for s in ws.sentences:
        text = nfkc(s.text)
        # 新近出台的《…》: a policy adopted before, not by the sentence's meeting
        vm = next((v for v in verb.finditer(text) if not text.startswith(("的", "了的"), v.end())), None)
        if not vm:
            continue
        policies = [p for p in index.spans(s.index, {"Policy"}) if p.start >= s.start + vm.start()]
        if not policies:
            continue
        head = _adopting_head(ws, index, s.index, s.start + vm.start(), meetings)
        for p in policies:
            if head is not None:
                ws.relate(head.id, "adopts", p.id, sentence=s.index, extractor="adopts")
    for p in ws.entities:  # X关于印发Y的通知: X adopts the notice
        if p.type == "Policy":
            _issuer_adopts(ws, p)


def _adopting_head(ws: Workspace, index: MentionIndex, sentence: int, verb_at: int,
                   meetings: list[Entity]) -> Entity | None:
    # a meeting held in the sentence adopts; one referred to (根据…会议精神) does not
    in_sentence = [sp for sp in index.spans(sentence, {"Meeting"}) if sp.start < verb_at
                   and _meeting_kind(ws, sp.entity) == "current" and not ws.text.startswith("精神", sp.end)]
    if in_sentence:
        return in_sentence[-1].entity
    # the body before the verb is its subject: not a title's (黄埔区委副书记、区长X介绍,…出台)
    people = [sp.start for sp in index.spans(sentence, {"Person", "Position"})]
    bodies = [sp for sp in index.spans(sentence, CONVENER_TYPES, top_level=True) if sp.end <= verb_at
              and not _followed_by_title(index, sentence, sp)
              and not any(sp.end <= p < verb_at for p in people)
              and not re.search(r"[。;；]", ws.text[sp.end:verb_at])]
    text = nfkc(ws.sentences[sentence].text)
    if re.match(r"(?:会议|会上|此次会议|本次会议|会议还|会议原则)", text):
        # 会议 refers back to the article's meeting: the first one held (not referred to)
        held = [e for e in meetings if _meeting_kind(ws, e) == "current"
                and min(m.start for m in e.mentions) <= verb_at]
        if held:
            return held[0]
    return bodies[-1].entity if bodies else None


def _issuer_adopts(ws: Workspace, policy: Entity) -> None:
    """X关于印发Y的通知: X adopts the notice and Y (X named in it or right before it)."""
    name = nfkc(policy.name)
    m = re.match(r"(.*?)关于印发(.+?)的通知", name)
    if not m:
        return
    issuers = [e for e in ws.entities if e.type == "GovernmentBody" and (
        (m.group(1) and nfkc(e.name) == m.group(1))
        or any(ws.text[x.end:x.end + 2] == "关于" and any(pm.start == x.end for pm in policy.mentions)
               for x in e.mentions))]
    inner = [e for e in ws.entities if e.type == "Policy" and e is not policy
             and nfkc(e.name).strip("《》") == m.group(2).strip("《》")]
    for body in issuers[:1]:
        for target in (policy, *inner):
            ws.relate(body.id, "adopts", target.id, sentence=policy.mentions[0].sentence, extractor="adopts")


def respondent_sections(ws: Workspace, index: MentionIndex) -> list[tuple[Entity, Entity | None, list[int]]]:
    """Articles made of several respondents, each under a title line (岚图汽车CEO 卢放):
    (speaker, their organisation or None, the sentences of their section)."""
    if "respondents" in ws.notes:
        return ws.notes["respondents"]
    sections: list[tuple[Entity, Entity | None, list[int]]] = []
    for s in ws.sentences:
        spans = index.spans(s.index)
        people = [sp for sp in spans if sp.type == "Person"]
        if people and _is_title_line(nfkc(s.text), spans, s.start):
            speaker = people[-1].entity
            orgs = [r.tail for r in ws.relations if r.relation == "holds_position" and r.head == speaker.id
                    and r.sentence == s.index]
            org = ws.entity_by_id().get(orgs[0]) if orgs else None
            sections.append((speaker, org, []))
        elif sections:
            sections[-1][2].append(s.index)
    ws.notes["respondents"] = sections = sections if len(sections) >= 2 else []
    return sections


#: Words quoted as speech, not as a term (“卡脖子”): “… opening the sentence, 说:“…, or “…”X说.
_QUOTED = re.compile(r"^[“\"]|(?:说|表示|介绍|认为|谈到|坦言)[:：,，]?[“\"]|[”\"][^“”\"]{0,30}(?:说|表示|介绍|认为|坦言)")


def comments_on(ws: Workspace, index: MentionIndex) -> None:
    """A person's statement (X表示, “…”X说, X在启动仪式上表示) on the meetings and policies of
    its sentence, or on the article's meeting where the words are quoted; and, in articles made
    of several respondents under title lines (岚图汽车CEO 卢放), their words below it (a meeting's
    convener named there stands for the meeting: 市委常委会审议通过了…)."""
    say = cues()["say"]
    meetings = [e for e in ws.entities if e.type == "Meeting" and _meeting_kind(ws, e) == "current"]
    main = min(meetings, key=lambda e: min(m.start for m in e.mentions)) if meetings else None
    held = {e.id for e in meetings}
    convened: dict[str, list[str]] = defaultdict(list)
    for r in ws.relations:
        if r.relation == "convened_by" and r.head in held:
            convened[r.tail].append(r.head)
    sections = respondent_sections(ws, index)
    intro = _section_intro(ws, index, sections, held)
    for speaker, _org, sentences in sections:
        if intro is not None:  # 市委常委会会议精神在企业和基层引发热烈反响。 then the respondents
            ws.relate(speaker.id, "comments_on", intro.id, sentence=sentences[0] if sentences else 0,
                      extractor="comments_on:section")
        for i in sentences:
            spans = index.spans(i)
            targets = {sp.id for sp in spans if sp.id in held or sp.type == "Policy"}
            if targets:
                targets |= {m for sp in spans for m in convened.get(sp.id, ())}
            for t in sorted(targets):
                ws.relate(speaker.id, "comments_on", t, sentence=i, extractor="comments_on:section")
    for s in ws.sentences:
        spans = index.spans(s.index)
        people = [sp for sp in spans if sp.type == "Person"]
        if not people:
            continue
        text = nfkc(s.text)
        targets = [sp.entity for sp in spans if sp.entity.id in held or sp.type == "Policy"]
        quoted = bool(_QUOTED.search(text)) or (
            s.index > 0 and nfkc(ws.sentences[s.index - 1].text).rstrip("。").endswith(("”", "\"")))
        for p in people:
            clause = re.match(r"[^,，。;；:：]*", text[p.end - s.start:]).group()
            if not say.search(clause):
                continue
            speech = quoted or "致辞" in clause  # 程用文致辞说: a speech at the article's event
            for t in targets or ([main] if main and speech else []):
                ws.relate(p.id, "comments_on", t.id, sentence=s.index, extractor="comments_on")
            for t in _policies_said_next(ws, index, s.index):
                ws.relate(p.id, "comments_on", t.id, sentence=s.index + 1, extractor="comments_on:next")


def _policies_said_next(ws: Workspace, index: MentionIndex, sentence: int) -> list[Entity]:
    """X表示,…。园区将认真落实《…若干政策》: the speech goes on in the next sentence of the
    paragraph when no one else speaks there; the policies it names are commented on."""
    i = sentence + 1
    if i >= len(ws.sentences) or "\n" in ws.text[ws.sentences[sentence].end:ws.sentences[i].start]:
        return []
    spans = index.spans(i)
    if any(sp.type == "Person" for sp in spans) or re.match(r"[“\"]?(?:会议|会上)", nfkc(ws.sentences[i].text)):
        return []
    return [sp.entity for sp in spans if sp.type == "Policy"]


def _section_intro(ws: Workspace, index: MentionIndex, sections, held: set[str]) -> Entity | None:
    """The held meeting named in the line right before respondents' sections, when that line
    tells of reactions (…会议精神在企业和基层引发热烈反响)."""
    if not sections:
        return None
    first = min((i for _speaker, _org, sentences in sections for i in sentences), default=None)
    if first is None:
        return None
    title_line = first - 1  # the first respondent's title line
    for i in range(title_line - 1, max(-1, title_line - 3), -1):
        text = nfkc(ws.sentences[i].text)
        if not re.search(r"反响|热议|反应|共鸣|振奋", text):
            continue
        found = [sp.entity for sp in index.spans(i, {"Meeting"}) if sp.id in held]
        if found:
            return found[0]
    return None


def _is_title_line(text: str, spans: list[Span], offset: int) -> bool:
    """A short line holding only a title chain and a name (总经理 刘真)."""
    if len(text) > 40 or re.search(r"[,，。;；!?！？]", text):
        return False
    covered = [False] * len(text)
    for sp in spans:
        for i in range(max(0, sp.start - offset), min(len(text), sp.end - offset)):
            covered[i] = True
    rest = "".join(ch for ch, c in zip(text, covered, strict=False) if not c)
    return len(re.sub(r"[\s、兼]", "", rest)) <= 1


# -- the components ------------------------------------------------------------------------

class RelationComponent:
    """Runs a list of relation rules over the workspace (after ``consolidate``)."""

    def __init__(self, name: str, rules):
        self.name = name
        self.rules = tuple(rules)

    def __call__(self, ws: Workspace) -> None:
        index = ws.notes.get("mention_index")
        if index is None or index.ws is not ws:
            index = MentionIndex(ws)
            ws.notes["mention_index"] = index
        for rule in self.rules:
            rule(ws, index)


def relation_components() -> list[RelationComponent]:
    """The relation components in pipeline order."""
    from .relations_people import holds_position
    from .relations_places import in_industry, located_in, undertakes

    return [  # people first: a meeting's chair names its convener
        RelationComponent("people_relations", (holds_position,)),
        RelationComponent("meeting_relations", (held_on, convened_by, inspects, adopts, comments_on)),
        RelationComponent("place_relations", (located_in, undertakes, in_industry)),
    ]
