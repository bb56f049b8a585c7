"""The mutable working state that extraction components share while one article is processed.

Components read the text, sentences and tokens and append candidates (entity mentions) and
relations. ``freeze()`` turns the finished workspace into the plain, immutable ArticleDoc.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import Article, ArticleDoc, Entity, Relation, Sentence


def covering(spans, offset: int) -> int:
    """Index of the span (sorted, non-overlapping ``start``/``end``) holding ``offset``, or -1."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        span = spans[mid]
        if offset < span.start:
            hi = mid - 1
        elif offset >= span.end:
            lo = mid + 1
        else:
            return mid
    return -1


@dataclass(frozen=True)
class Token:
    """A jieba word with its part of speech and its offsets into the article text."""

    start: int
    end: int
    text: str
    pos: str


@dataclass
class Candidate:
    """A proposed entity mention. ``name`` is the fullest form it stands for, when known
    (e.g. 华科大 -> 华中科技大学 from the alias table); otherwise its own text."""

    type: str
    start: int
    end: int
    text: str
    extractor: str
    sentence: int = -1
    confidence: float = 1.0
    name: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Workspace:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: Free-form notes components leave for later ones (e.g. dates found per sentence).
    notes: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (binary search), -1 if none."""
        return covering(self.sentences, offset)

    def add(self, type_: str, start: int, end: int, extractor: str, *, confidence: float = 1.0,
            name: str | None = None) -> Candidate:
        """Propose an entity mention at ``text[start:end]``."""
        cand = Candidate(type_, start, end, self.text[start:end], extractor,
                         self.sentence_index(start), confidence, name)
        self.candidates.append(cand)
        return cand

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.start >= start and t.end <= end]

    def entity_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    def entities_in_sentence(self, index: int) -> list[tuple[Entity, int, int]]:
        """(entity, start, end) for every mention in sentence ``index``, in text order."""
        found = [(e, m.start, m.end) for e in self.entities for m in e.mentions if m.sentence == index]
        return sorted(found, key=lambda x: (x[1], x[2]))

    def relate(self, head: str, relation: str, tail: str | None = None, *, value: str | None = None,
               title: str | None = None, sentence: int = -1, extractor: str = "",
               confidence: float = 1.0) -> Relation:
        """Record a relation between local entity ids; the evidence span is the sentence."""
        if 0 <= sentence < len(self.sentences):
            s = self.sentences[sentence]
            start, end = s.start, s.end
        else:
            start = end = 0
        rel = Relation(head, relation, tail, value, title, sentence, start, end, extractor, confidence)
        self.relations.append(rel)
        return rel

    def freeze(self) -> ArticleDoc:
        seen: set[tuple] = set()
        relations = []
        for r in self.relations:
            key = (r.head, r.relation, r.tail, r.value)
            if key not in seen:
                seen.add(key)
                relations.append(r)
        return ArticleDoc(self.article, tuple(self.sentences), tuple(self.entities), tuple(relations))
