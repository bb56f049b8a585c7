"""The resolver's memory: keys, IRIs, forms, members and merge reasons, in SQLite.

Kept in the build's out/ folder (out/resolver.sqlite), so articles added later map onto the
IRIs already given and a corpus of 100,000 articles does not live in memory. Split from
:mod:`cheguKG.resolve`, which holds the rules.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .types import ArticleDoc, CanonicalEntity

STATE_VERSION = "4"
MAX_REASONS = 40  # reasons kept per entity: enough to explain, bounded at 100k articles

_STRIP = re.compile(r"[\s《》〈〉“”\"'‘’「」]")


def norm(name: str) -> str:
    """The comparison form of a name: NFKC (full-width = half-width), no white space or quotes.

    >>> norm("《岚图汽车》 ＣＥＯ")
    '岚图汽车CEO'
    """
    return _STRIP.sub("", unicodedata.normalize("NFKC", name))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS entities (iri TEXT PRIMARY KEY, type TEXT, name TEXT, pinned TEXT,
    members INTEGER DEFAULT 0, dirty INTEGER DEFAULT 1);
CREATE INDEX IF NOT EXISTS entities_dirty ON entities(dirty);
CREATE TABLE IF NOT EXISTS keys (type TEXT, key TEXT, iri TEXT, PRIMARY KEY (type, key));
CREATE TABLE IF NOT EXISTS forms (iri TEXT, form TEXT, norm TEXT, n INTEGER, PRIMARY KEY (iri, form));
CREATE INDEX IF NOT EXISTS forms_norm ON forms(norm);
CREATE TABLE IF NOT EXISTS reasons (iri TEXT, reason TEXT, PRIMARY KEY (iri, reason));
CREATE TABLE IF NOT EXISTS members (source TEXT, local TEXT, iri TEXT, PRIMARY KEY (source, local));
CREATE INDEX IF NOT EXISTS members_iri ON members(iri);
CREATE TABLE IF NOT EXISTS people (name TEXT, iri TEXT, orgs TEXT, titles TEXT, PRIMARY KEY (name, iri));
CREATE TABLE IF NOT EXISTS meetings (convener TEXT, mmdd TEXT, kind TEXT, year TEXT, iri TEXT);
CREATE INDEX IF NOT EXISTS meetings_key ON meetings(convener, mmdd, kind);
CREATE TABLE IF NOT EXISTS articles (source TEXT PRIMARY KEY, entities INTEGER, fingerprint TEXT,
    content_hash TEXT, raw TEXT, committed INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS relations (source TEXT, relation TEXT, n INTEGER, PRIMARY KEY (source, relation));
"""


class ResolverState:
    """What resolution remembers between builds: keys, IRIs, forms, members, reasons.

    SQLite, so a corpus of 100,000 articles does not live in memory, and a build killed at any
    moment leaves the last committed state. ``ResolverState()`` is an in-memory state.

    >>> state = ResolverState.open("out/resolver.sqlite")   # doctest: +SKIP
    """

    def __init__(self, path: str | Path | None = None):
        self.path = str(path) if path else ":memory:"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._upgrade()
        self.db.executescript(_SCHEMA)
        self.set_meta("version", STATE_VERSION)
        self._in_tx = False

    def _upgrade(self) -> None:
        """A state written by another version of the schema is dropped: every article then
        lacks its fingerprint, so the next build resolves all of them again."""
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            return
        row = self.db.execute("SELECT v FROM meta WHERE k='version'").fetchone()
        if row is None or row[0] != STATE_VERSION:
            for table in tables:
                self.db.execute(f"DROP TABLE IF EXISTS {table}")

    @classmethod
    def open(cls, path: str | Path) -> ResolverState:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(path)

    # transactions: a batch of documents is committed together (or not at all)
    def begin(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    def rollback(self) -> None:
        if self._in_tx:
            self.db.execute("ROLLBACK")
            self._in_tx = False

    def close(self) -> None:
        self.commit()
        self.db.close()

    def get_meta(self, k: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k=?", (k,)).fetchone()
        return row[0] if row else None

    def set_meta(self, k: str, v: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, v))

    def reset(self) -> None:
        """Forget everything (the alias table changed: every key must be recomputed)."""
        for table in ("entities", "keys", "forms", "reasons", "members", "people", "meetings",
                      "articles", "relations"):
            self.db.execute(f"DELETE FROM {table}")

    # lookups
    def iri_for_key(self, type_: str, key: str) -> str | None:
        row = self.db.execute("SELECT iri FROM keys WHERE type=? AND key=?", (type_, key)).fetchone()
        return row[0] if row else None

    def sources(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT source FROM members")}

    def members_of(self, source: str) -> dict[str, str]:
        return dict(self.db.execute("SELECT local, iri FROM members WHERE source=?", (source,)))

    def entity(self, iri: str, max_members: int | None = None) -> CanonicalEntity | None:
        row = self.db.execute("SELECT type, name, pinned FROM entities WHERE iri=?", (iri,)).fetchone()
        if row is None:
            return None
        type_, name, pinned = row
        forms = [f for f, in self.db.execute(
            "SELECT form FROM forms WHERE iri=? AND n>0 ORDER BY n DESC, form", (iri,))]
        name = pinned or _fullest(forms) or name
        aliases = tuple(sorted({f for f in forms if f != name}))
        sql = "SELECT source, local FROM members WHERE iri=? ORDER BY source, local"
        if max_members is not None:
            sql += f" LIMIT {int(max_members)}"
        members = tuple((s, loc) for s, loc in self.db.execute(sql, (iri,)))
        reasons = tuple(r for r, in self.db.execute(
            "SELECT reason FROM reasons WHERE iri=? ORDER BY rowid", (iri,)))
        return CanonicalEntity(iri, type_, name, aliases, members, reasons)

    def entities(self, max_members: int | None = None) -> Iterator[CanonicalEntity]:
        """Every canonical entity that still has members."""
        iris = [r[0] for r in self.db.execute("SELECT iri FROM entities WHERE members>0 ORDER BY iri")]
        for iri in iris:
            ent = self.entity(iri, max_members)
            if ent is not None:
                yield ent

    def dirty(self) -> list[str]:
        """IRIs whose name, aliases, members or reasons changed since :meth:`clean`."""
        return [r[0] for r in self.db.execute("SELECT iri FROM entities WHERE dirty=1 ORDER BY iri")]

    def clean(self, iris: Iterable[str] | None = None) -> None:
        if iris is None:
            self.db.execute("UPDATE entities SET dirty=0 WHERE dirty=1")
        else:
            self.db.executemany("UPDATE entities SET dirty=0 WHERE iri=?", [(i,) for i in iris])

    def explain(self, name: str) -> list[CanonicalEntity]:
        """Every canonical entity one of whose forms is ``name`` (after NFKC), with its reasons."""
        iris = [r[0] for r in self.db.execute(
            "SELECT DISTINCT iri FROM forms WHERE norm=? AND n>0 ORDER BY iri", (norm(name),))]
        return [e for e in (self.entity(i, max_members=50) for i in iris) if e is not None]

    def counts(self) -> Counter:
        return Counter(dict(self.db.execute("SELECT type, COUNT(*) FROM entities WHERE members>0 GROUP BY type")))

    def name_of(self, iri: str) -> str:
        """An entity's canonical name, cheaply (no members)."""
        row = self.db.execute("SELECT pinned, name FROM entities WHERE iri=?", (iri,)).fetchone()
        if row is None:
            return iri.rsplit("/", 1)[-1]
        if row[0]:
            return row[0]
        forms = [f for f, in self.db.execute("SELECT form FROM forms WHERE iri=? AND n>0", (iri,))]
        return _fullest(forms) or row[1]

    def member_count(self, iri: str) -> int:
        row = self.db.execute("SELECT members FROM entities WHERE iri=?", (iri,)).fetchone()
        return row[0] if row else 0

    def article_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def relation_counts(self) -> Counter:
        return Counter(dict(self.db.execute("SELECT relation, SUM(n) FROM relations GROUP BY relation")))

    def merged_entities(self, dirty_only: bool = True, limit: int = 200) -> list[tuple[str, str, int, tuple[str, ...]]]:
        """(name, type, articles, other forms) of entities drawn from several articles or
        written in several forms, most articles first.

        The article count is the entity's member count, kept up to date by the resolver (one
        member per article unless an article names it as two separate entities). Counting
        DISTINCT sources over the members table instead took 5.6 s of a 12 s build adding
        100 articles to 100,000: 武汉经开区 alone has 100,000 members.
        """
        where = "e.dirty=1 AND e.members>0" if dirty_only else "e.members>0"
        rows = self.db.execute(
            f"SELECT e.iri, e.members AS n, (SELECT COUNT(*) FROM forms f "
            f"WHERE f.iri=e.iri AND f.n>0) AS nf FROM entities e "
            f"WHERE {where} AND (n>1 OR nf>1) ORDER BY n DESC, e.iri LIMIT ?",
            (limit,)).fetchall()
        found = []
        for iri, n, _nf in rows:
            ent = self.entity(iri, max_members=0)
            if ent is not None:
                found.append((ent.name, ent.type, n, ent.aliases))
        return found

    def fingerprints(self) -> dict[str, str]:
        """{source: fingerprint of the extraction settings it was built with}."""
        return dict(self.db.execute("SELECT source, fingerprint FROM articles"))

    def mark_committed(self, store_head: str | None) -> None:
        """The store has committed every article recorded so far (as version ``store_head``)."""
        self.db.execute("UPDATE articles SET committed=1 WHERE committed=0")
        if store_head:
            self.set_meta("store_head", store_head)

    def stored_hashes(self) -> dict[str, str]:
        """{source: content hash} of the articles the store committed, as this state knows them
        (trust it only while the store's HEAD is the one :meth:`mark_committed` saw)."""
        return dict(self.db.execute("SELECT source, content_hash FROM articles WHERE committed=1"))

    def raw_index(self) -> dict[str, tuple[str, str, str]]:
        """{digest of the raw input (file bytes or JSON line): (source, content hash, fingerprint)},
        so a rebuild can skip an unchanged input without even parsing it."""
        return {raw: (source, h, fp) for raw, source, h, fp in self.db.execute(
            "SELECT raw, source, content_hash, fingerprint FROM articles WHERE raw IS NOT NULL")}

    def record_article(self, doc: ArticleDoc, fingerprint: str = "", raw: str | None = None) -> None:
        """Per-article counts for the build summary (kept here, not recomputed from the store),
        the fingerprint of the settings it was built with (a rebuild redoes it when they change)
        and the digest of its raw input."""
        source = doc.article.source
        self.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, 0)",
                        (source, len(doc.entities), fingerprint, doc.article.content_hash, raw))
        self.db.execute("DELETE FROM relations WHERE source=?", (source,))
        counts = Counter(r.relation for r in doc.relations)
        self.db.executemany("INSERT INTO relations VALUES (?, ?, ?)",
                            [(source, rel, n) for rel, n in counts.items()])

    # updates
    def _touch(self, iri: str, type_: str, name: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO entities (iri, type, name) VALUES (?, ?, ?)", (iri, type_, name))

    def _reason(self, iri: str, reason: str) -> None:
        n = self.db.execute("SELECT COUNT(*) FROM reasons WHERE iri=?", (iri,)).fetchone()[0]
        if n < MAX_REASONS:
            self.db.execute("INSERT OR IGNORE INTO reasons VALUES (?, ?)", (iri, reason))

    def remove_source(self, source: str) -> int:
        """Forget the members drawn from ``source`` (a changed or deleted article)."""
        rows = self.db.execute("SELECT local, iri FROM members WHERE source=?", (source,)).fetchall()
        for _local, iri in rows:
            self.db.execute("UPDATE entities SET members=members-1, dirty=1 WHERE iri=?", (iri,))
        self.db.execute("DELETE FROM members WHERE source=?", (source,))
        self.db.execute("DELETE FROM articles WHERE source=?", (source,))
        self.db.execute("DELETE FROM relations WHERE source=?", (source,))
        forms = self.db.execute("SELECT v FROM meta WHERE k=?", ("forms:" + source,)).fetchone()
        if forms:
            for iri, form in json.loads(forms[0]):
                self.db.execute("UPDATE forms SET n=n-1 WHERE iri=? AND form=?", (iri, form))
            self.db.execute("DELETE FROM meta WHERE k=?", ("forms:" + source,))
        return len(rows)


def _fullest(forms: Iterable[str]) -> str:
    forms = list(forms)
    return max(forms, key=lambda f: (len(norm(f)), f)) if forms else ""


