"""resolve: ArticleDoc* -> one CanonicalEntity (stable IRI) per real-world thing in a corpus.

Rules, in the order they apply:

1. the user-editable alias table (data/lexicons/aliases.tsv plus ``--aliases FILE``,
   ``type<TAB>name<TAB>alias|alias``) maps a form onto its canonical name, overriding
   every heuristic (华科大 -> 华中科技大学, 经开区 -> 武汉经开区);
2. names are compared after NFKC (full-width = half-width), without white space or 《》;
3. companies by their core name, legal and generic suffixes dropped (岚图汽车科技股份有限公司
   = 岚图汽车 = 岚图; the suffix list is data/resolve/enterprise_suffixes.txt);
   places without 省/市 (武汉市 = 武汉); bodies without 中共 / 人民 (中共湖北省委 = 湖北省委);
4. a body named relative to its place (市委, 区政协, 工委) is read as the fuller body the same
   article names (武汉市委), or as the article's most mentioned place of that level + name
   (武汉市 + 市委); otherwise it stays a node of its own article rather than being merged with
   every other 市委 in China;
5. people with one name are one person unless their organisations (or, lacking those, their
   posts, from ``holds_position``) differ;
6. a meeting reported by two articles is one node when convener and date agree (and the
   kind of event: a 调研 is not the 座谈会 of the same day); meetings with neither are merged
   by name only when the name is specific (党的十九大), else stay with their article.

Resolution is incremental: a :class:`ResolverState` (SQLite, kept in the build's out/ folder)
remembers every key and IRI, so articles added later map onto the IRIs already given. A batch
:func:`resolve` is the same process over the documents sorted by source, so the result does not
depend on the order the articles arrive in.

>>> res = resolve(docs)                       # doctest: +SKIP
>>> res.entity("a.txt", "EN1").iri            # doctest: +SKIP
'https://w3id.org/chegukg/id/enterprise/岚图'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .resolver_state import MAX_REASONS, STATE_VERSION, ResolverState, _fullest, norm
from .types import ArticleDoc, CanonicalEntity, Entity
from .vocab import entity_iri

__all__ = ["AliasTable", "MAX_REASONS", "STATE_VERSION", "Resolution", "Resolver", "ResolverState",
           "body_key", "enterprise_core", "explain", "is_relative_body", "meeting_kind", "norm",
           "place_key", "resolve"]


# --------------------------------------------------------------------------- alias table


@dataclass
class AliasTable:
    """(type, normalised form) -> canonical name, from TSV files a researcher edits."""

    canonical: dict[tuple[str, str], str] = field(default_factory=dict)
    paths: tuple[str, ...] = ()

    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), default: bool = True) -> AliasTable:
        """The project's alias table (when present) plus ``extra`` files; later files win."""
        from .extract.lexicon import Lexicon
        from .resources import lexicon_dir

        paths = [lexicon_dir() / "aliases.tsv"] if default else []
        paths = [p for p in paths if p.is_file()] + [Path(p) for p in extra]
        table = cls(paths=tuple(str(p) for p in paths))
        for path in paths:
            lex = Lexicon.load([path])
            for form, pairs in lex.entries.items():
                for type_, name in pairs:
                    table.add(type_, name, [form])
        return table

    def add(self, type_: str, name: str, aliases: Iterable[str] = ()) -> None:
        for form in (name, *aliases):
            if norm(form):
                self.canonical[(type_, norm(form))] = name

    def lookup(self, type_: str, form: str) -> str | None:
        return self.canonical.get((type_, norm(form)))

    def digest(self) -> str:
        import hashlib

        items = sorted(f"{t}\t{f}\t{n}" for (t, f), n in self.canonical.items())
        return hashlib.sha1("\n".join(items).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- name keys


def _suffix_words() -> tuple[str, ...]:
    from .resources import data_dir

    path = data_dir() / "resolve" / "enterprise_suffixes.txt"
    words: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.append(norm(line))
    return tuple(sorted(set(words), key=len, reverse=True))


_SUFFIXES: tuple[str, ...] | None = None


def enterprise_core(name: str) -> str:
    """A company's core name: legal and generic suffixes dropped while two characters remain.

    >>> enterprise_core("岚图汽车科技股份有限公司"), enterprise_core("岚图")
    ('岚图', '岚图')
    """
    global _SUFFIXES
    if _SUFFIXES is None:
        _SUFFIXES = _suffix_words()
    core = norm(name)
    core = re.sub(r"\([^)]*\)$", "", core) or core  # 富诚汽车零部件(武汉)有限公司
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                core = core[: -len(suffix)]
                changed = True
                break
    return core


_BODY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
_RELATIVE_BODY = re.compile(r"^(?:[省市区县镇乡](?!场)|街道|社区|党工委|工委|管委会|党委|党组|人大|政协|政府|开发区)")


def body_key(name: str) -> str:
    """中共湖北省委 = 湖北省委; 武汉市人民政府 = 武汉市政府; 武汉市委员会 = 武汉市委."""
    key = _BODY_PREFIX.sub("", norm(name)) or norm(name)
    key = key.replace("人民政府", "政府").replace("人民代表大会常务委员会", "人大常委会")
    if key.endswith("委员会") and len(key) > 4:
        key = key[:-2]
    return key


def is_relative_body(name: str) -> bool:
    """市委, 区政协, 工委, 管委会: a body named relative to a place the article assumes."""
    return bool(_RELATIVE_BODY.match(body_key(name)))


def place_key(name: str) -> str:
    key = norm(name)
    if len(key) >= 3 and key[-1] in "省市" and not key.endswith(("城市", "都市")):
        key = key[:-1]
    return key


_SPECIFIC_MEETING = re.compile(r"[0-9〇零一二三四五六七八九十百]+(?:届|次|大|中全会|年|周年)|第[0-9一二三四五六七八九十百]")
_MEETING_KINDS = (
    ("调研", ("调研", "视察", "考察", "检查", "走访", "巡查", "督导", "察看", "暗访")),
    ("仪式", ("仪式", "签约", "开工", "揭牌", "投产", "奠基", "签署", "启动", "竣工", "下线", "授牌")),
    ("座谈", ("座谈会", "座谈", "恳谈会", "见面会", "茶话会")),
    ("会议", ("会议", "会", "全会", "大会", "论坛", "峰会", "博览会", "学习")),
)


def meeting_kind(name: str) -> str:
    """The kind of event a meeting name ends with: 调研, 仪式, 座谈, 会议, or its last two characters."""
    key = norm(name)
    best = ("", "")
    for kind, words in _MEETING_KINDS:
        for w in words:
            if key.endswith(w) and len(w) > len(best[1]):
                best = (kind, w)
    if best[0]:
        return best[0]
    for kind, words in _MEETING_KINDS:
        if any(w in key for w in words):
            return kind
    return key[-2:]


def is_specific_meeting(name: str) -> bool:
    """党的十九大, 第九届人民代表大会第五次会议: a name that is one event, not a kind of event."""
    return len(norm(name)) >= 3 and bool(_SPECIFIC_MEETING.search(norm(name)))


def _date_parts(value: str) -> tuple[str, str] | None:
    """'2022-04-15' -> ('2022', '04-15'); '--12-09' -> ('', '12-09')."""
    m = re.fullmatch(r"(\d{4}|-)-(\d{2}-\d{2})", value or "")
    if not m:
        return None
    return ("" if m.group(1) == "-" else m.group(1), m.group(2))


# --------------------------------------------------------------------------- the resolver


@dataclass
class Resolution:
    """The result of resolving some documents: (source, local id) -> CanonicalEntity."""

    state: ResolverState
    assigned: dict[tuple[str, str], str] = field(default_factory=dict)
    _cache: dict[str, CanonicalEntity] = field(default_factory=dict)

    def iri(self, source: str, local: str) -> str:
        return self.assigned[(source, local)]

    def iri_of(self, source: str) -> dict[str, str]:
        """local id -> IRI for one article, what graph.doc_quads takes."""
        found = {loc: iri for (src, loc), iri in self.assigned.items() if src == source}
        return found or self.state.members_of(source)

    def entity(self, source: str, local: str) -> CanonicalEntity:
        iri = self.assigned[(source, local)]
        if iri not in self._cache:
            self._cache[iri] = self.state.entity(iri)  # type: ignore[assignment]
        return self._cache[iri]

    @property
    def entities(self) -> list[CanonicalEntity]:
        """The canonical entities these documents resolved to."""
        iris = sorted(set(self.assigned.values()))
        return [e for e in (self.state.entity(i) for i in iris) if e is not None]

    def merged(self) -> list[CanonicalEntity]:
        """Entities drawn from several articles or written in several forms."""
        return [e for e in self.entities if len({s for s, _ in e.members}) > 1 or e.aliases]

    def explain(self, name: str) -> list[CanonicalEntity]:
        return self.state.explain(name)


class Resolver:
    """Maps each document's local entities onto canonical IRIs, updating a state."""

    def __init__(self, state: ResolverState | None = None, aliases: AliasTable | None = None):
        self.state = state if state is not None else ResolverState()
        self.aliases = aliases if aliases is not None else AliasTable.load()
        digest = self.aliases.digest()
        self._digest = digest
        self._keys: dict[tuple[str, str], str] = {}

    def settle(self) -> None:
        """Record the alias table the state now reflects (call once every input is resolved,
        so a build killed before that re-resolves with the table again)."""
        self.state.set_meta("aliases", self._digest)

    # the key of one entity, without context
    def base_key(self, e: Entity) -> tuple[str, str, str | None]:
        """(key, canonical name or '', reason) for a non-person, non-meeting entity."""
        for form in (e.name, *e.aliases):
            canon = self.aliases.lookup(e.type, form)
            if canon is not None:
                return self._heuristic_key(e.type, canon), canon, f"alias table: {form} → {canon}"
        key = self._heuristic_key(e.type, e.name)
        reason = None
        if key != norm(e.name):
            reason = f"{e.name} → key {key} ({_RULE_OF_TYPE.get(e.type, 'NFKC name')})"
        elif e.name != norm(e.name):
            reason = f"{e.name} → {key} (NFKC, white space and quotes dropped)"
        return key, "", reason

    @staticmethod
    def _heuristic_key(type_: str, name: str) -> str:
        if type_ == "Enterprise":
            return enterprise_core(name)
        if type_ == "Place":
            return place_key(name)
        if type_ == "GovernmentBody":
            return body_key(name)
        return norm(name)

    def add(self, doc: ArticleDoc) -> dict[str, str]:
        """Resolve one document (replacing what an earlier version of it gave); local id -> IRI."""
        source = doc.article.source
        st = self.state
        st.remove_source(source)
        assigned: dict[str, str] = {}
        ents = doc.entities
        by_id = {e.id: e for e in ents}
        order = {"Person": 1, "Meeting": 2}
        forms_done: list[tuple[str, str]] = []
        self._vague: set[str] = set()
        for e in sorted(ents, key=lambda e: order.get(e.type, 0)):
            if e.type == "Person":
                iri, reason = self._person(e, doc, assigned)
            elif e.type == "Meeting":
                iri, reason = self._meeting(e, doc, assigned, by_id)
            else:
                iri, reason = self._plain(e, doc)
            assigned[e.id] = iri
            self._attach(iri, e, source, reason, forms_done)
        st.set_meta("forms:" + source, json.dumps(forms_done, ensure_ascii=False))
        return assigned

    def _new_iri(self, type_: str, key: str) -> str:
        """The IRI for ``key``; a key whose IRI is taken by another thing gets a suffix."""
        iri = entity_iri(type_, key)
        n = 1
        while self.state.db.execute("SELECT 1 FROM entities WHERE iri=?", (iri,)).fetchone():
            n += 1
            iri = entity_iri(type_, f"{key}~{n}")
        return iri

    def _keyed(self, type_: str, key: str, name: str) -> tuple[str, bool]:
        iri = self._keys.get((type_, key)) or self.state.iri_for_key(type_, key)
        if iri is not None:
            self._remember(type_, key, iri)
            return iri, False
        iri = self._new_iri(type_, key)
        self.state.db.execute("INSERT INTO keys VALUES (?, ?, ?)", (type_, key, iri))
        self.state._touch(iri, type_, name)
        self._remember(type_, key, iri)
        return iri, True

    def _remember(self, type_: str, key: str, iri: str) -> None:
        """Keys never change their IRI (until a reset): a bounded in-memory cache of them."""
        if len(self._keys) > 200_000:  # ~60 MB: bounded, whatever the corpus
            self._keys.clear()
        self._keys[(type_, key)] = iri

    def _plain(self, e: Entity, doc: ArticleDoc) -> tuple[str, str | None]:
        key, canon, reason = self.base_key(e)
        if e.type == "GovernmentBody" and not canon and is_relative_body(e.name):
            absolute = [f for f in e.aliases if not is_relative_body(f)]
            if absolute:  # the article itself wrote the full form (市委 / 武汉市委)
                full = _fullest(absolute)
                key, reason = body_key(full), f"{e.name} in {doc.article.source} is {full} (same article)"
            else:
                key, reason = self._relative_body(e, doc, key)
        if e.type == "Enterprise" and not canon:
            found = self._company_prefix(key)
            if found is not None:
                other, iri = found
                self.state.db.execute("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)", (e.type, key, iri))
                self._remember(e.type, key, iri)
                return iri, f"{e.name} in {doc.article.source}: company name {key} extends {other} (or is its short form)"
        iri, _ = self._keyed(e.type, key, canon or e.name)
        if canon:
            self.state.db.execute("UPDATE entities SET pinned=? WHERE iri=?", (canon, iri))
        if "@" in key:  # a body kept to its article: it cannot tell two people apart
            self._vague.add(iri)
        return iri, reason

    def _company_prefix(self, key: str) -> tuple[str, str] | None:
        """武汉绿动 / 武汉绿动氢能能源: one company core name that starts another (at least four
        characters, the rest short and not itself a company: 武汉钢铁集团鄂城钢铁 is another)."""
        if self._keys.get(("Enterprise", key)) or self.state.iri_for_key("Enterprise", key):
            return None

        def fits(short: str, long: str) -> bool:
            rest = long[len(short):]
            return len(short) >= 4 and 0 < len(rest) <= 6 and not any(w in rest for w in ("集团", "公司", "分"))

        for n in range(len(key) - 1, 3, -1):
            iri = self.state.iri_for_key("Enterprise", key[:n])
            if iri is not None and fits(key[:n], key):
                return key[:n], iri
        if len(key) >= 4:
            rows = self.state.db.execute(
                "SELECT key, iri FROM keys WHERE type='Enterprise' AND key > ? AND key < ? LIMIT 2",
                (key, key + "\U0010ffff")).fetchall()
            if len({iri for _, iri in rows}) == 1 and fits(key, rows[0][0]):
                return rows[0]
        return None

    def _relative_body(self, e: Entity, doc: ArticleDoc, key: str) -> tuple[str, str]:
        """市委 -> 武汉市委 when the article names it, or names the city 武汉市."""
        source = doc.article.source
        fuller = [b for b in doc.entities if b.type == "GovernmentBody" and b.id != e.id
                  and not is_relative_body(b.name) and body_key(b.name).endswith(key)]
        if fuller:
            best = max(fuller, key=lambda b: (len(b.mentions), -len(b.name), b.name))
            bkey, canon, _ = self.base_key(best)
            return bkey, f"{e.name} in {source} read as {canon or best.name} (named in the same article)"
        places = sorted((p for p in doc.entities if p.type == "Place"),
                        key=lambda p: (-len(p.mentions), p.name))
        for p in places:
            for form in (p.name, *p.aliases):
                form = norm(form)
                # only what the article itself says: a body known from other articles would make
                # the result depend on the order articles arrive in
                if form.endswith(key[0]) and key[0] in "省市区县镇乡":
                    candidate = form + key[1:]
                    return candidate, f"{e.name} in {source} read as {candidate} (the article's place {p.name})"
        return f"{key}@{source}", f"{e.name} is named relative to a place {source} leaves unsaid: kept to that article"

    def _person(self, e: Entity, doc: ArticleDoc, assigned: Mapping[str, str]) -> tuple[str, str | None]:
        name = norm(e.name)
        orgs, titles = set(), set()
        for r in doc.relations:
            if r.head == e.id and r.relation == "holds_position":
                if r.tail and r.tail in assigned and assigned[r.tail] not in self._vague:
                    orgs.add(assigned[r.tail])
                if r.title:
                    titles.add(norm(r.title))
        st = self.state
        clusters = [(iri, set(json.loads(o)), set(json.loads(t))) for iri, o, t in st.db.execute(
            "SELECT iri, orgs, titles FROM people WHERE name=? ORDER BY rowid", (name,))]
        chosen = None
        reason = None
        for iri, corgs, ctitles in clusters:
            if orgs and corgs:
                if orgs & corgs:
                    chosen, reason = iri, f"{e.name}: same name and organisation in {doc.article.source}"
                    break
                continue
            if titles and ctitles and not (titles & ctitles):
                continue
            if not (orgs or titles) and len(clusters) > 1:
                # no post to tell them apart: the person known by the bare name
                if iri != entity_iri("Person", name):
                    continue
            chosen = iri
            shared = titles & ctitles
            reason = (f"{e.name}: same name and post {sorted(shared)[0]} in {doc.article.source}" if shared
                      else f"{e.name}: same name, no organisation or post in {doc.article.source} that differs")
            break
        if chosen is None:
            if not clusters:
                key = name
            else:
                label = min((st.name_of(o) for o in orgs), default="") if orgs else min(titles, default="")
                key = f"{name}@{label}" if label else f"{name}@{doc.article.source}"
            chosen, _ = self._keyed("Person", key, e.name)
            st.db.execute("INSERT OR IGNORE INTO people VALUES (?, ?, '[]', '[]')", (name, chosen))
            if clusters:
                reason = f"{e.name} in {doc.article.source} kept apart from other people named {e.name}: organisations or posts differ"
            else:
                reason = None
        row = st.db.execute("SELECT orgs, titles FROM people WHERE name=? AND iri=?", (name, chosen)).fetchone()
        corgs = set(json.loads(row[0])) | orgs
        ctitles = set(json.loads(row[1])) | titles
        st.db.execute("UPDATE people SET orgs=?, titles=? WHERE name=? AND iri=?",
                      (json.dumps(sorted(corgs), ensure_ascii=False),
                       json.dumps(sorted(ctitles), ensure_ascii=False), name, chosen))
        return chosen, reason

    def _meeting(self, e: Entity, doc: ArticleDoc, assigned: Mapping[str, str],
                 by_id: Mapping[str, Entity]) -> tuple[str, str | None]:
        source = doc.article.source
        convener = date = None
        for r in doc.relations:
            if r.head != e.id:
                continue
            if r.relation == "convened_by" and r.tail in assigned and convener is None:
                convener = assigned[r.tail]
            elif r.relation == "held_on" and r.value and date is None:
                date = _date_parts(r.value)
        st = self.state
        if convener and date:
            year, mmdd = date
            kind = meeting_kind(e.name)
            same_article = set(assigned.values())
            for iri, y in st.db.execute("SELECT iri, year FROM meetings WHERE convener=? AND mmdd=? AND kind=?",
                                        (convener, mmdd, kind)).fetchall():
                if (not year or not y or year == y) and iri not in same_article:
                    return iri, (f"{e.name} in {source}: same convener ({st.name_of(convener)}), "
                                 f"date ({year or '--'}-{mmdd}) and kind ({kind})")
            key = f"{body_or(st, convener)}/{year or '-'}-{mmdd}/{kind}"
            iri, fresh = self._keyed("Meeting", key, e.name)
            if not fresh:  # two meetings of one kind, convener and day in one article
                iri, _ = self._keyed("Meeting", f"{key}/{norm(e.name)}", e.name)
            st.db.execute("INSERT INTO meetings VALUES (?, ?, ?, ?, ?)", (convener, mmdd, kind, year, iri))
            return iri, None
        if is_specific_meeting(e.name):
            key, canon, reason = self.base_key(e)
            iri, _ = self._keyed("Meeting", key, canon or e.name)
            return iri, reason
        iri, _ = self._keyed("Meeting", f"{norm(e.name)}@{source}", e.name)
        return iri, None

    def _attach(self, iri: str, e: Entity, source: str, reason: str | None, forms_done: list) -> None:
        db = self.state.db
        db.execute("INSERT OR IGNORE INTO entities (iri, type, name) VALUES (?, ?, ?)", (iri, e.type, e.name))
        had = db.execute("SELECT members FROM entities WHERE iri=?", (iri,)).fetchone()[0]
        db.execute("INSERT OR REPLACE INTO members VALUES (?, ?, ?)", (source, e.id, iri))
        db.execute("UPDATE entities SET members=members+1, dirty=1 WHERE iri=?", (iri,))
        for form in sorted({e.name, *e.aliases}):
            forms_done.append((iri, form))
            new = db.execute("INSERT OR IGNORE INTO forms VALUES (?, ?, ?, 1)", (iri, form, norm(form))).rowcount
            if not new:
                db.execute("UPDATE forms SET n=n+1 WHERE iri=? AND form=?", (iri, form))
            elif form != e.name:
                self.state._reason(iri, f"{form} = {e.name}: both written in {source}")
            elif had and not reason:
                self.state._reason(iri, f"{form} in {source}: the same name as in earlier articles (after NFKC)")
        if reason:
            self.state._reason(iri, reason)


def body_or(state: ResolverState, iri: str) -> str:
    return norm(state.name_of(iri))


_RULE_OF_TYPE = {
    "Enterprise": "company core name: legal and generic suffixes dropped",
    "Place": "administrative suffix 省/市 dropped",
    "GovernmentBody": "中共/人民/委员会 forms read as one",
}


def resolve(docs: Iterable[ArticleDoc], aliases: AliasTable | None = None,
            state: ResolverState | None = None) -> Resolution:
    """One CanonicalEntity per real-world thing across ``docs``.

    With a ``state`` the documents are added to what it already knows (incremental); the
    documents are taken in source order, so the result does not depend on their order.

    >>> res = resolve(docs); res.iri_of("a.txt")["EN1"]   # doctest: +SKIP
    """
    resolver = Resolver(state, aliases)
    result = Resolution(resolver.state)
    resolver.state.begin()
    try:
        for doc in sorted(docs, key=lambda d: d.article.source):
            for local, iri in resolver.add(doc).items():
                result.assigned[(doc.article.source, local)] = iri
        resolver.settle()
        resolver.state.commit()
    except BaseException:
        resolver.state.rollback()
        raise
    return result


def explain(name: str, state: ResolverState) -> str:
    """Why the entities written ``name`` are what they are: forms, articles, merge reasons."""
    found = state.explain(name)
    if not found:
        return f"{name}: no entity of that name in this build"
    lines = []
    for ent in found:
        sources = sorted({s for s, _ in ent.members})
        lines.append(f"{ent.name} [{ent.type}] {ent.iri}")
        if ent.aliases:
            lines.append(f"  aliases: {', '.join(ent.aliases)}")
        more = "" if len(sources) <= 10 else f" … ({len(sources)} articles)"
        lines.append(f"  articles: {', '.join(sources[:10])}{more}")
        default = (f"the same name in {len(sources)} articles",) if len(sources) > 1 else (
            "one form in one article: nothing merged",)
        for reason in ent.reasons or default:
            lines.append(f"  - {reason}")
    return "\n".join(lines)
