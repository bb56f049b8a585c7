"""Plain data types passed between the pipeline stages.

ingest -> Article -> extract -> ArticleDoc -> resolve -> CanonicalEntity -> graph/store.

Every type is a frozen dataclass with ``to_dict``/``from_dict`` so it can travel as a JSON
line. Character offsets (``start``/``end``, end-exclusive) always index ``Article.text``:
they survive every stage so any fact can show the sentence it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: The guide's entity types (../shared/annotation/GUIDE.md), in display order.
ENTITY_TYPES: tuple[str, ...] = (
    "Person",
    "GovernmentBody",
    "Enterprise",
    "Organization",
    "Place",
    "Meeting",
    "Policy",
    "Project",
    "Industry",
    "Position",
)

#: The guide's relations. ``held_on`` has a ``value`` (ISO date or ``--MM-DD``), no tail.
RELATION_TYPES: tuple[str, ...] = (
    "holds_position",
    "convened_by",
    "held_on",
    "inspects",
    "adopts",
    "located_in",
    "in_industry",
    "undertakes",
    "comments_on",
)


def _from_dict(cls, data: dict[str, Any]):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Article:
    """One input article. ``source`` is its file's base name or its JSON-lines record id.

    >>> Article(source="a.txt", text="12月9日,市委常委会召开会议。").source
    'a.txt'
    """

    source: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" when known
    url: str | None = None
    path: str | None = None  # the file it was read from, when it came from a file
    publisher: str | None = None  # 信息来源 / 来源 line, when the page gives one

    @property
    def content_hash(self) -> str:
        """A digest of everything extraction depends on; incremental builds compare it."""
        h = hashlib.sha256()
        for part in (self.source, self.title or "", self.published or "", self.url or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published and self.published[:4].isdigit() else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Sentence:
    """A sentence (or headline line) of an article: ``text == article.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the text, with the component that found it."""

    start: int
    end: int
    text: str
    sentence: int
    extractor: str
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Entity:
    """An entity within one article: all its mentions, its fullest name and other forms.

    ``id`` is local to the article ("E1"); resolution gives the corpus-wide IRI.
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            type=data["type"],
            name=data["name"],
            aliases=tuple(data.get("aliases", ())),
            mentions=tuple(Mention.from_dict(m) for m in data.get("mentions", ())),
        )


@dataclass(frozen=True)
class Relation:
    """A relation between two entities of one article (``tail`` is None for ``held_on``).

    ``start``/``end`` span the evidence (usually the sentence); ``title`` is the office as
    written for ``holds_position``; ``value`` the ISO or ``--MM-DD`` date for ``held_on``.
    """

    head: str
    relation: str
    tail: str | None = None
    value: str | None = None
    title: str | None = None
    sentence: int = -1
    start: int = 0
    end: int = 0
    extractor: str = ""
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class ArticleDoc:
    """What extraction knows about one article."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()

    def entity(self, local_id: str) -> Entity:
        for e in self.entities:
            if e.id == local_id:
                return e
        raise KeyError(local_id)

    def sentence_of(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleDoc:
        return cls(
            article=Article.from_dict(data["article"]),
            sentences=tuple(Sentence.from_dict(s) for s in data.get("sentences", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            relations=tuple(Relation.from_dict(r) for r in data.get("relations", ())),
        )


@dataclass(frozen=True)
class CanonicalEntity:
    """One real-world thing across the corpus: a stable IRI, its best name and all aliases.

    ``members`` lists the (article source, local entity id) pairs resolved to it.
    """

    iri: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()
    reasons: tuple[str, ...] = field(default=(), compare=False)  # why members were merged

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "type": self.type,
            "name": self.name,
            "aliases": list(self.aliases),
            "members": [list(m) for m in self.members],
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CanonicalEntity:
        return cls(
            iri=data["iri"],
            type=data["type"],
            name=data["name"],
            aliases=tuple(data.get("aliases", ())),
            members=tuple(tuple(m) for m in data.get("members", ())),  # type: ignore[misc]
            reasons=tuple(data.get("reasons", ())),
        )
