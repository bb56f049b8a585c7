"""Meetings and events: named sessions, meetings by their noun, inspections and ceremonies.

Three kinds of mention become ``Meeting`` candidates (the words live in
data/patterns/meetings.tsv, the referenced-event patterns in data/patterns/meeting_refs.txt):

- a meeting noun with the qualifier before it (管委会主任办公会议, 全区共同缔造试点扩面工作推进会),
  the qualifier cut at a stop word (召开, 举行, 参加, …) or punctuation; a bare 会议 after
  召开 takes its convener's name (市委常委会…召开会议 -> 市委常委会会议);
- events the guide counts as meetings: 调研, 视察, 考察, 座谈, 会见, 签约, 揭牌, 奠基, …;
- events only referred to: 党的二十大, 十九届五中全会, 市委七届八次全会, 全国两会.

>>> from cheguKG.extract.meetings import meeting_spans
>>> [name for _, _, name, _ in meeting_spans("4月15日,唐超主持召开管委会主任办公会议。")]
['管委会主任办公会议']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .workspace import Workspace

_NAME_CHAR = r"[\u4e00-\u9fa5A-Za-z0-9“”\"·•()\-—、]"
_NAME_RUN = re.compile(_NAME_CHAR + "+$")
_BODY_SUFFIX = re.compile(
    r"(?:常委会|党工委|工委|管委会|党委|党组|政府|政协|人大常委会|人大|委员会|办公室|指挥部|领导小组|"
    r"中心组|[市区县省]委|协会|商会|学会|联合会|总工会|支部|[^\W\d_]{1,6}局)$"
)
#: Bodies before 召开 (…召开会议): government bodies and organisations.
_CONVENER_TYPES = frozenset({"GovernmentBody", "Organization"})


@dataclass(frozen=True)
class MeetingWords:
    """The word lists of data/patterns/meetings.tsv, as compiled patterns."""

    nouns: tuple[str, ...]
    generic: frozenset[str]
    events: tuple[str, ...]
    stops: tuple[str, ...]
    not_after: tuple[str, ...]
    refs: tuple[re.Pattern[str], ...]
    families: tuple[tuple[str, str], ...] = ()

    def family(self, name: str) -> str | None:
        """The event family (inspect, sign, …) whose word ``name`` holds, if any."""
        return next((fam for fam, word in self.families if word in name), None)

    @classmethod
    def load(cls, path: Path, refs_path: Path) -> MeetingWords:
        kinds: dict[str, list[str]] = {"noun": [], "generic": [], "event": [], "stop": [], "notafter": []}
        families: list[tuple[str, str]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, _, word = line.partition("\t")
            if kind == "family" and "\t" in word:
                fam, _, fword = word.partition("\t")
                families.append((fam.strip(), unicodedata.normalize("NFKC", fword.strip())))
            elif kind in kinds and word.strip():
                kinds[kind].append(unicodedata.normalize("NFKC", word.strip()))
        refs = tuple(re.compile(unicodedata.normalize("NFKC", ln.strip()))
                     for ln in refs_path.read_text(encoding="utf-8").splitlines()
                     if ln.strip() and not ln.startswith("#"))
        by_length = lambda words: tuple(sorted(words, key=len, reverse=True))  # noqa: E731
        return cls(by_length(kinds["noun"] + kinds["generic"]), frozenset(kinds["generic"]),
                   by_length(kinds["event"]), by_length(kinds["stop"]), tuple(kinds["notafter"]), refs,
                   tuple(families))

    @property
    def noun_re(self) -> re.Pattern[str]:
        return _noun_re(self.nouns)

    @property
    def event_re(self) -> re.Pattern[str]:
        return _event_re(self.events, self.not_after)

    @property
    def stop_re(self) -> re.Pattern[str]:
        return _alternation(self.stops)


@lru_cache(maxsize=8)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


@lru_cache(maxsize=8)
def _noun_re(nouns: tuple[str, ...]) -> re.Pattern[str]:
    # 会议室, 活动中心, 会议厅: rooms and buildings, not meetings
    # 主席会议成员: the members of a council, not a meeting
    return re.compile("(?:" + "|".join(re.escape(w) for w in nouns) + ")(?![室厅楼桌]|中心|服务|成员)")


@lru_cache(maxsize=8)
def _event_re(events: tuple[str, ...], not_after: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(w) for w in events)
    bad = "|".join(re.escape(w) for w in not_after)
    return re.compile(rf"(?:{alt})(?:活动)?(?!{bad})" if bad else rf"(?:{alt})(?:活动)?")


@lru_cache(maxsize=1)
def default_words() -> MeetingWords:
    """meetings.tsv and meeting_refs.txt from $CHEGUKG_PATTERNS or data/patterns/."""
    from .relations import pattern_file

    return MeetingWords.load(pattern_file("meetings.tsv"), pattern_file("meeting_refs.txt"))


def _qualifier(text: str, end: int, words: MeetingWords, limit: int = 40) -> tuple[int, str]:
    """Where the name of a meeting whose noun starts at ``end`` begins, and the stop word before it."""
    run = _NAME_RUN.search(text, max(0, end - limit), end)
    start = run.start() if run else end
    left = text[start:end]
    # cut at the rightmost stop word (召开, 参加, 的, …); what is left of it is not the name
    stop, cut = "", 0
    for m in words.stop_re.finditer(left):
        if m.end() > cut or (m.end() == cut and len(m.group()) > len(stop)):
            stop, cut = m.group(), m.end()
    left = left[cut:]
    # 、 separates list items (市委常委、区委书记) except inside names (十九届二中、三中全会)
    if "、" in left:
        parts = left.split("、")
        if any(len(p) > 5 for p in parts[1:]):
            left = parts[-1]
    left = left.lstrip("”\"·•)—-、")
    if left.count("“") < left.count("”"):
        left = left[left.index("”") + 1:]
    return end - len(left), stop


def meeting_spans(text: str, words: MeetingWords | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, name, kind) of every meeting mention in one sentence of NFKC text; ``kind``
    is ``ref`` (an event referred to), ``noun`` (a meeting by its noun) or ``event``."""
    words = words or default_words()
    found: list[tuple[int, int, str, str]] = []
    for pattern in words.refs:
        # a pattern with a group named "event" finds events reported (…项目正式启动), others
        # events referred to (党的二十大)
        kind = "event" if "event" in pattern.groupindex else "ref"
        for m in pattern.finditer(text):
            start = m.start()
            if kind == "event":
                start = _qualifier(text, m.end("event"), words)[0]
                if start < m.start() or start >= m.end("event") - 2:
                    start = m.start()
            name = text[start:m.end()]
            if kind == "event" and "trigger" in pattern.groupindex:
                name = text[start:m.end("event")] + m.group("trigger")
            found.append((start, m.end(), name, kind))
    for m in words.noun_re.finditer(text):
        start, stop = _qualifier(text, m.start(), words)
        name = text[start:m.end()]
        if m.group() in words.generic and start == m.start():
            continue  # 会议 alone refers back to a meeting named before (会议强调)
        if m.group() in words.generic and (len(name) - len(m.group()) < 2 or "、" in name):
            continue
        if name.startswith(("各", "该", "全国各", "多场", "每")):
            continue
        if m.group() in _NEEDS_EDITION and not re.search(r"第|届|\d", name[:-len(m.group())]):
            continue  # 综合性运动会, 名家论坛: a kind of event; 第十二届运动会 is one
        found.append((start, m.end(), name, "noun"))
    # 在考察内蒙古…时的重要讲话精神: a leader's past visit, quoted for its speech
    quoted_speech = _SPEECH_OF.search(text) is not None
    for m in words.event_re.finditer(text):
        if not quoted_speech and not _NOT_EVENT_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            # 慰问人民子弟兵, 检查安全生产工作: these events are named with what they are about
            if m.group() == "奠基" and text.startswith(("人", "石"), m.end()):
                continue  # 奠基人, 奠基石
            obj = _EVENT_OBJECT.match(text, m.end()) if m.group() in ("慰问", "检查") else None
            if m.group() == "检查" and obj is None:
                continue  # 检查 alone is an everyday word (安全检查); 检查安全生产工作 is an event
            end = obj.end() if obj else m.end()
            found.append((m.start(), end, text[m.start():end], "event"))
    return _drop_nested(found)


def _drop_nested(spans: Iterable[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Keep the longest of overlapping spans (a noun inside a referenced event's name)."""
    kept: list[tuple[int, int, str, str]] = []
    for s in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


def _convener_before(ws: Workspace, clause_start: int, verb_start: int) -> tuple[int, int, str] | None:
    """The body named in a clause before its 召开 (市委常委会…召开会议), from candidates or suffixes."""
    best = None
    for c in ws.candidates:
        if c.type in _CONVENER_TYPES and clause_start <= c.start and c.end <= verb_start:
            if best is None or c.start < best[0] or (c.start == best[0] and c.end > best[1]):
                best = (c.start, c.end, c.text)
    if best:
        return best
    m = re.match(r"[\u4e00-\u9fa5()]{2,20}", ws.text[clause_start:verb_start])
    if m:
        head = m.group()
        for end in range(len(head), 1, -1):
            if _BODY_SUFFIX.search(head[:end]):
                return (clause_start, clause_start + end, head[:end])
    return None


_SPEECH_OF = re.compile(r"时的(?:重要)?讲话|时的重要指示")
_NEEDS_EDITION = frozenset({"运动会", "博览会", "论坛", "展览会", "交易会"})
_EVENT_OBJECT = re.compile(r"(?![了过着])[\u4e00-\u9fa5]{2,8}?(?:工作|子弟兵|官兵|群众|老党员|困难户|家庭|职工)")
#: Before an event word, these make it a common noun (课题调研, 据我们调研), not an event.
_NOT_EVENT_BEFORE = re.compile(r"(?:课题|我们|据|通过|经过|跟踪)$")
_CLAUSE = re.compile(r"[^,，。；;！？!?\n]+")


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause (between commas or stops) holding ``text[start:end]``."""
    left = max(text.rfind(p, 0, start) for p in ",，。；;！？!?\n")
    right = min((i for i in (text.find(p, end) for p in ",，。；;！？!?\n") if i >= 0), default=len(text))
    return text[left + 1:right]
_HELD = re.compile(r"召开|举行|举办|主持|出席|参加|列席|开幕|闭幕|现场|会上|会议指出|会议强调|会议要求")
_CONVENE_MEETING = re.compile(r"(召开|举行)(?:了)?((?:专题|全体|扩大)?会议)")


class MeetingFinder:
    """Component: proposes ``Meeting`` candidates; runs after the entity rules, before consolidate."""

    name = "meetings"

    def __init__(self, words: MeetingWords | None = None):
        self.words = words or default_words()

    def __call__(self, ws: Workspace) -> None:
        kinds = ws.notes.setdefault("meeting_kinds", {})
        found: list[tuple[int, int, str, str]] = []
        for s in ws.sentences:
            text = unicodedata.normalize("NFKC", s.text)
            if len(text) != len(s.text):
                text = s.text
            found.extend((s.start + a, s.start + b, name, kind)
                         for a, b, name, kind in meeting_spans(text, self.words))
        people = [(c.start, c.end) for c in ws.candidates if c.type == "Person"]
        actors = {c.end: c for c in ws.candidates if c.type in _CONVENER_TYPES and c.end - c.start >= 3}
        found = [self._without_people(ws, people, a, b, name, kind) for a, b, name, kind in found]
        found = [(a, b, self._with_actor(ws, actors, a, name)
                  if kind == "event" and self.words.family(name) == "inspect" else name, kind)
                 for a, b, name, kind in found]
        names = self._family_names(found)
        for start, end, name, kind in found:
            name = names.get((start, end), name)
            ws.add("Meeting", start, end, self.name, confidence=0.8,
                   name=name if name != ws.text[start:end] else None)
            # 学习领会…会议精神: a meeting referred to, not reported; a meeting noun is reported
            # (held) where its sentence says so (召开, 举行, 出席 …)
            if ws.text.startswith("精神", end):
                kind = "ref"
            elif kind == "noun" and _HELD.search(_clause_around(ws.text, start, end)):
                kind = "held"
            kinds[(start, end)] = kind
        for s in ws.sentences:
            text = unicodedata.normalize("NFKC", s.text)
            self._convened_meetings(ws, s.start, text if len(text) == len(s.text) else s.text)

    @staticmethod
    def _without_people(ws: Workspace, people: list[tuple[int, int]], start: int, end: int, name: str,
                        kind: str):
        """市长李强现场办公会 -> 现场办公会: a person is no part of a meeting's name (a title is:
        局长会议, 主任办公会议)."""
        if kind != "noun" or name != ws.text[start:end]:
            return (start, end, name, kind)
        cut = max((e for s, e in people if start <= s and e < end - 1), default=start)
        if end - cut < 4:
            return (start, end, name, kind)
        return (cut, end, ws.text[cut:end], kind)

    @staticmethod
    def _with_actor(ws: Workspace, actors: dict, start: int, name: str) -> str:
        """市委常委会专题调研: an event right after the body doing it is named with that body."""
        c = actors.get(start)
        return ws.text[c.start:c.end] + name if c is not None else name

    def _family_names(self, found: list[tuple[int, int, str, str]]) -> dict[tuple[int, int], str]:
        """Event words of one family (调研, 考察, 察看 …) in an article are one meeting: named by
        the family's first meeting noun (会前集中视察活动), else its first event word."""
        first: dict[str, str] = {}
        for _start, _end, name, kind in found:
            fam = self.words.family(name)
            if fam and kind == "noun" and fam not in first:
                first[fam] = name
        for _start, _end, name, kind in found:
            fam = self.words.family(name)
            if fam and kind == "event" and fam not in first:
                first[fam] = name
        return {(start, end): first[fam] for start, end, name, kind in found
                if kind == "event" and (fam := self.words.family(name)) in first}

    def _convened_meetings(self, ws: Workspace, offset: int, text: str) -> None:
        """市委常委会…召开会议 -> a Meeting named 市委常委会会议 over the words 召开会议."""
        for clause in _CLAUSE.finditer(text):
            for m in _CONVENE_MEETING.finditer(clause.group()):
                body = _convener_before(ws, offset + clause.start(), offset + clause.start() + m.start())
                if body is None:
                    continue
                start = offset + clause.start() + m.start(2)
                ws.notes["meeting_kinds"][(start, start + len(m.group(2)))] = "convened"
                ws.add("Meeting", start, start + len(m.group(2)), self.name, confidence=0.8,
                       name=body[2] + m.group(2))
