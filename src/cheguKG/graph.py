"""ArticleDoc + canonical entities -> RDF quads, with provenance on every fact.

Layout (one named graph per article, see ontology/chegukg.ttl):

* ``vocab.graph_iri(source)`` holds *everything one article contributes*: the article node
  (title, date, URL, source name, content hash), each entity's type and labels as seen in
  that article, its mentions with offsets, one triple per relation, a reified
  ``cg:Assertion`` per fact (rdf:subject/predicate/object, sentence, span, extractor,
  confidence, prov:wasDerivedFrom the article) and, for ``holds_position``, a
  ``cg:PositionHolding`` (⊑ org:Membership) with org:member, org:organization, org:role and
  cg:title. Nothing an article says lives outside its graph, so dropping the graph removes
  exactly what the article contributed, and an entity no other graph mentions is gone.
* ``vocab.ENTITIES_GRAPH`` holds the corpus-level view written by :func:`entity_quads`:
  canonical skos:prefLabel, skos:altLabel per alias, merge reasons. The build rewrites it
  after every change (``Store.replace_entities``).

>>> quads = doc_quads(doc, local_iris(doc))   # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from . import vocab as V
from .types import ArticleDoc, CanonicalEntity, Entity, Relation

if TYPE_CHECKING:  # pyoxigraph is imported inside the functions (light imports)
    import pyoxigraph


def local_iris(doc: ArticleDoc) -> dict[str, str]:
    """IRIs for a doc without corpus resolution: ``vocab.entity_iri(type, name)`` per entity.

    >>> from cheguKG.types import Article
    >>> local_iris(ArticleDoc(article=Article("a.txt", "卢放"), entities=(Entity("E1", "Person", "卢放"),)))
    {'E1': 'https://w3id.org/chegukg/id/person/卢放'}
    """
    return {e.id: V.entity_iri(e.type, e.name) for e in doc.entities}


def xsd_date_literal(value: str) -> pyoxigraph.Literal:
    """A guide date as a typed literal: ``2023-12-09`` -> xsd:date, ``--12-09`` -> xsd:gMonthDay,
    ``2023-12`` -> xsd:gYearMonth, ``2023`` -> xsd:gYear; anything else a plain string."""
    import re

    from pyoxigraph import Literal, NamedNode

    patterns = (
        (r"\d{4}-\d{2}-\d{2}", "date"),
        (r"--\d{2}-\d{2}", "gMonthDay"),
        (r"\d{4}-\d{2}", "gYearMonth"),
        (r"\d{4}", "gYear"),
    )
    for pattern, datatype in patterns:
        if re.fullmatch(pattern, value):
            if _real_date(value, datatype):
                return Literal(value, datatype=NamedNode(V.XSD + datatype))
            break  # e.g. 2023-02-30: keep it, untyped, rather than a wrong typed literal
    return Literal(value)


def _real_date(value: str, datatype: str) -> bool:
    import datetime

    probe = {"date": value, "gMonthDay": "2000" + value[1:], "gYearMonth": value + "-01",
             "gYear": value + "-01-01"}[datatype]
    try:
        datetime.date.fromisoformat(probe)
    except ValueError:
        return False
    return True


class _Builder:
    """Accumulates the quads of one named graph, without duplicates, in insertion order."""

    def __init__(self, graph: str):
        from pyoxigraph import BlankNode, Literal, NamedNode, Quad

        self._Literal, self._NamedNode, self._Quad, self._BlankNode = Literal, NamedNode, Quad, BlankNode
        self.graph = NamedNode(graph)
        self.quads: dict[object, None] = {}
        self.mentions: set[str] = set()
        self.mint = _mint_real

    def iri(self, value: str):
        return self._NamedNode(value)

    def add(self, s: str, p: str, o) -> None:
        obj = self._NamedNode(o) if isinstance(o, str) else o
        self.quads[self._Quad(self._NamedNode(s), self._NamedNode(p), obj, self.graph)] = None

    def text(self, s: str, p: str, value: str, lang: str | None = None) -> None:
        self.add(s, p, self._Literal(value, language=lang) if lang else self._Literal(value))

    def integer(self, s: str, p: str, value: int) -> None:
        self.add(s, p, self._Literal(str(int(value)), datatype=self._NamedNode(V.XSD + "integer")))

    def confidence(self, s: str, value: float) -> None:
        """cg:confidence as an xsd:double, clamped to [0, 1] (a score, not a probability, for
        some extractors)."""
        value = min(max(float(value), 0.0), 1.0)
        self.add(s, V.CONFIDENCE, self._Literal(repr(value), datatype=self._NamedNode(V.XSD + "double")))


#: N-Triples escapes, as oxrdf writes them: the short forms, else \uXXXX for control chars.
_NT_ESCAPE = {ord(ch): {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
                        "\\": "\\\\"}.get(ch) or f"\\u{ord(ch):04X}"
              for ch in ('"', "\\", *map(chr, range(0x20)), "\x7f")}


class _TextBuilder(_Builder):
    """A :class:`_Builder` writing N-Quads lines instead of pyoxigraph quads: several times
    faster for the build's graph step, and byte for byte what ``pyoxigraph.serialize`` writes
    for the same quads (tests/test_graph.py checks it). Subjects and predicates are IRIs this
    project minted (vocab), so they need no escaping; literals are escaped as oxrdf does."""

    def __init__(self, graph: str):
        super().__init__(graph)
        self._tail = f" <{graph}> .\n"
        self.lines: dict[str, None] = {}

    def add(self, s: str, p: str, o) -> None:
        self.lines[f"<{s}> <{p}> {f'<{o}>' if isinstance(o, str) else o}{self._tail}"] = None

    def _literal(self, s: str, p: str, term: str) -> None:
        self.lines[f"<{s}> <{p}> {term}{self._tail}"] = None

    def text(self, s: str, p: str, value: str, lang: str | None = None) -> None:
        literal = '"' + value.translate(_NT_ESCAPE) + '"'
        self._literal(s, p, f"{literal}@{lang}" if lang else literal)

    def integer(self, s: str, p: str, value: int) -> None:
        self._literal(s, p, f'"{int(value)}"^^<{V.XSD}integer>')

    def confidence(self, s: str, value: float) -> None:
        value = min(max(float(value), 0.0), 1.0)
        self._literal(s, V.CONFIDENCE, f'"{value!r}"^^<{V.XSD}double>')


def doc_quads(doc: ArticleDoc, iri_of: Mapping[str, str], *, strict: bool = True) -> list[pyoxigraph.Quad]:
    """Every fact drawn from one article, in ``vocab.graph_iri(source)``.

    ``iri_of`` maps the doc's local entity ids ("E1") to canonical IRIs (from resolve, or
    :func:`local_iris`). Relations whose head or tail has no entity are skipped, and with
    ``strict`` (the default) so are relations whose head/tail types break the guide's
    signature (``vocab.SIGNATURES``), so the graph always passes ontology/shapes.ttl.
    """
    b = _Builder(V.graph_iri(doc.article.source))
    _doc_facts(b, doc, iri_of, strict)
    return list(b.quads)


#: Placeholder IRIs of a :class:`DocTemplate` (``e<i>``: the i-th entity; ``m<k>``: a minted
#: assertion or holding IRI, whose hash needs the canonical IRIs).
_TOKEN = "urn:x-chegukg-template-3f9c:"
_TOKEN_RE = re.compile(re.escape(_TOKEN) + r"([em]\d+)")  # the brackets stay in the text around it


class DocTemplate:
    """An article's N-Quads with its entities' IRIs left open: :func:`doc_quads` done before
    resolution (in an extraction worker), finished by :meth:`fill` once the canonical IRIs are
    known. ``template.fill(iri_of)`` equals ``doc_quads(doc, iri_of)`` serialised as N-Quads.

    >>> doc_template(doc).fill(local_iris(doc))   # doctest: +SKIP
    """

    __slots__ = ("source", "ids", "minted", "parts")

    def __init__(self, source: str, ids: tuple[str, ...], minted: list, parts: list[str]):
        # parts: N-Quads text cut at the placeholders: [text, key, text, key, ..., text]
        self.source, self.ids, self.minted, self.parts = source, ids, minted, parts

    def fill(self, iri_of: Mapping[str, str]) -> str | None:
        """The N-Quads text with ``iri_of``'s IRIs; None when ``iri_of`` does not cover
        exactly the template's entities (the caller then uses :func:`doc_quads`)."""
        if len(iri_of) != len(self.ids) or any(i not in iri_of for i in self.ids):
            return None
        real = {f"e{n}": iri_of[i] for n, i in enumerate(self.ids)}
        by_token = {_TOKEN + k: v for k, v in real.items()}
        for k, (kind, parts) in enumerate(self.minted):
            real[f"m{k}"] = _mint_real(kind, self.source, *(by_token.get(p, p) for p in parts))
        filled = list(self.parts)
        filled[1::2] = [real[key] for key in filled[1::2]]
        return "".join(filled)


def doc_template(doc: ArticleDoc, *, strict: bool = True) -> DocTemplate:
    """:func:`doc_quads` of ``doc`` before resolution, as a :class:`DocTemplate`."""
    ids = tuple(e.id for e in doc.entities)
    minted: list[tuple[str, tuple[str, ...]]] = []

    def mint(kind: str, source: str, *parts: str) -> str:
        minted.append((kind, parts))
        return f"{_TOKEN}m{len(minted) - 1}"

    iri_of = {i: f"{_TOKEN}e{n}" for n, i in enumerate(ids)}
    b = _TextBuilder(V.graph_iri(doc.article.source))
    b.mint = mint
    _doc_facts(b, doc, iri_of, strict)
    return DocTemplate(doc.article.source, ids, minted, _TOKEN_RE.split("".join(b.lines)))


def _mint_real(kind: str, source: str, *parts: str) -> str:
    return (V.assertion_iri if kind == "a" else V.holding_iri)(source, *parts)


def _doc_facts(b: _Builder, doc: ArticleDoc, iri_of: Mapping[str, str], strict: bool) -> None:
    source = doc.article.source
    article = V.article_iri(source)
    _article_node(b, doc, article)
    extractors: set[str] = set()
    for entity in doc.entities:
        if entity.id in iri_of:
            extractors |= _entity_nodes(b, doc, entity, iri_of[entity.id], article)
    for relation in doc.relations:
        if strict and not fits_signature(doc, relation):
            continue
        if _relation_nodes(b, doc, relation, iri_of, article):
            extractors.add(relation.extractor or "unknown")
    for name in sorted(extractors):
        agent = V.extractor_iri(name)
        b.add(agent, V.RDF_TYPE, V.EXTRACTOR)
        b.add(agent, V.RDF_TYPE, V.PROV_SOFTWARE_AGENT)
        b.text(agent, V.RDFS_LABEL, name)


def fits_signature(doc: ArticleDoc, relation: Relation) -> bool:
    """Whether the relation's head and tail types are ones the guide allows for it."""
    signature = V.SIGNATURES.get(relation.relation)
    if signature is None:
        return False
    types = {e.id: e.type for e in doc.entities}
    heads, tails = signature
    if types.get(relation.head) not in heads:
        return False
    return relation.relation == "held_on" or types.get(relation.tail or "") in tails


def _article_node(b: _Builder, doc: ArticleDoc, article: str) -> None:
    a = doc.article
    b.add(article, V.RDF_TYPE, V.ARTICLE)
    b.text(article, V.SOURCE_NAME, a.source)
    b.text(article, V.DCT_IDENTIFIER, a.source)
    b.text(article, V.CONTENT_HASH, a.content_hash)
    if a.title:
        b.text(article, V.DCT_TITLE, a.title, "zh")
    if a.published:
        b.add(article, V.DCT_DATE, xsd_date_literal(a.published))
    if a.url:
        try:
            b.add(article, V.SCHEMA_URL, b.iri(a.url))
        except ValueError:  # not a valid IRI: keep it as text
            b.text(article, V.SCHEMA_URL, a.url)
    if a.publisher:
        b.text(article, V.PUBLISHER_NAME, a.publisher, "zh")


def _entity_nodes(b: _Builder, doc: ArticleDoc, entity: Entity, iri: str, article: str) -> set[str]:
    """Type, labels and mentions of one entity as this article shows it; returns extractors."""
    source = doc.article.source
    b.add(iri, V.RDF_TYPE, V.CLASS_OF_TYPE.get(entity.type, V.CG + entity.type))
    b.text(iri, V.RDFS_LABEL, entity.name, "zh")
    for alias in entity.aliases:
        if alias != entity.name:
            b.text(iri, V.SKOS_ALT_LABEL, alias, "zh")
    b.add(iri, V.MENTIONED_IN, article)
    extractors = set()
    for m in entity.mentions:
        node = V.mention_iri(source, m.start, m.end, entity.type)
        extractor = m.extractor or "unknown"
        extractors.add(extractor)
        b.add(iri, V.HAS_MENTION, node)
        if node in b.mentions:  # one span, one mention node, whichever entities share it
            continue
        b.mentions.add(node)
        b.add(node, V.RDF_TYPE, V.MENTION)
        b.text(node, V.SURFACE_FORM, m.text, "zh")
        b.integer(node, V.START, m.start)
        b.integer(node, V.END, m.end)
        sentence = _sentence(doc, m.sentence, m.start)
        if sentence is not None:
            b.integer(node, V.SENTENCE_INDEX, sentence.index)
            b.text(node, V.SENTENCE_TEXT, sentence.text, "zh")
        b.add(node, V.EXTRACTED_BY, V.extractor_iri(extractor))
        b.confidence(node, m.confidence)
        b.add(node, V.PROV_DERIVED_FROM, article)
    return extractors


def _sentence(doc: ArticleDoc, index: int, offset: int):
    if 0 <= index < len(doc.sentences) and doc.sentences[index].index == index:
        return doc.sentences[index]
    for s in doc.sentences:
        if s.index == index:
            return s
    return doc.sentence_of(offset)


def _relation_nodes(b: _Builder, doc: ArticleDoc, r: Relation, iri_of: Mapping[str, str],
                    article: str) -> bool:
    """The direct triple and its reified assertion; False when the relation is unusable."""
    prop = V.PROPERTY_OF_RELATION.get(r.relation)
    head = iri_of.get(r.head)
    if prop is None or head is None:
        return False
    if r.relation == "held_on":
        obj = xsd_date_literal(r.value or "")
        if obj.datatype.value not in (V.XSD + "date", V.XSD + "gMonthDay"):
            return False  # the guide's held_on is a day: YYYY-MM-DD or --MM-DD
        obj_key = r.value
    else:
        tail = iri_of.get(r.tail) if r.tail else None
        if tail is None:
            return False
        obj, obj_key = b.iri(tail), tail
    source = doc.article.source
    b.add(head, prop, obj)
    node = b.mint("a", source, head, prop, obj_key, str(r.start), str(r.end), r.title or "")
    b.add(node, V.RDF_TYPE, V.ASSERTION)
    b.add(node, V.RDF_SUBJECT, head)
    b.add(node, V.RDF_PREDICATE, prop)
    b.add(node, V.RDF_OBJECT, obj)
    _span(b, doc, node, r)
    extractor = V.extractor_iri(r.extractor or "unknown")
    b.add(node, V.EXTRACTED_BY, extractor)
    b.add(node, V.PROV_ATTRIBUTED_TO, extractor)
    b.confidence(node, r.confidence)
    b.add(node, V.PROV_DERIVED_FROM, article)
    if r.title:
        b.text(node, V.TITLE, r.title, "zh")
    if r.relation == "holds_position":
        _holding(b, doc, r, head, obj_key, node, iri_of)
    return True


def _span(b: _Builder, doc: ArticleDoc, node: str, r: Relation) -> None:
    """Sentence and character span of the evidence; falls back to the head's first mention."""
    start, end = r.start, r.end
    sentence = _sentence(doc, r.sentence, start) if (r.sentence >= 0 or end > start) else None
    if sentence is None:
        try:
            first = doc.entity(r.head).mentions[0]
        except (KeyError, IndexError):
            first = None
        if first is not None:
            sentence = _sentence(doc, first.sentence, first.start)
    if end <= start and sentence is not None:
        start, end = sentence.start, sentence.end
    b.integer(node, V.START, start)
    b.integer(node, V.END, end)
    if sentence is not None:
        b.integer(node, V.SENTENCE_INDEX, sentence.index)
        b.text(node, V.SENTENCE_TEXT, sentence.text, "zh")
    else:
        b.text(node, V.SENTENCE_TEXT, doc.article.text[start:end], "zh")


def _holding(b: _Builder, doc: ArticleDoc, r: Relation, person: str, organization: str,
             assertion: str, iri_of: Mapping[str, str]) -> None:
    """The org:Membership-like node: who holds which office where, as this article says."""
    title = r.title or ""
    node = b.mint("h", doc.article.source, person, organization, title)
    b.add(node, V.RDF_TYPE, V.POSITION_HOLDING)
    b.add(node, V.ORG_MEMBER, person)
    b.add(node, V.ORG_ORGANIZATION, organization)
    b.add(person, V.HOLDING, node)
    b.add(assertion, V.ASSERTS_HOLDING, node)
    b.add(node, V.PROV_DERIVED_FROM, V.article_iri(doc.article.source))
    if title:
        b.text(node, V.TITLE, title, "zh")
        role = _position_iri(doc, title, iri_of)
        b.add(node, V.ROLE, role)
        b.add(role, V.RDF_TYPE, V.CLASS_OF_TYPE["Position"])
        b.text(role, V.RDFS_LABEL, title, "zh")


def _position_iri(doc: ArticleDoc, title: str, iri_of: Mapping[str, str]) -> str:
    """The Position entity named ``title`` in this doc, or the local IRI for that title."""
    for e in doc.entities:
        if e.type == "Position" and (e.name == title or title in e.aliases) and e.id in iri_of:
            return iri_of[e.id]
    return V.entity_iri("Position", title)


def entity_quads(entities: Iterable[CanonicalEntity]) -> list[pyoxigraph.Quad]:
    """Corpus-level facts in ``vocab.ENTITIES_GRAPH``: type, prefLabel, altLabels, merge reasons.

    Everything hangs off the entity IRI as literals, so pruning an entity is one pattern.
    """
    b = _Builder(V.ENTITIES_GRAPH)
    for e in entities:
        b.add(e.iri, V.RDF_TYPE, V.CLASS_OF_TYPE.get(e.type, V.CG + e.type))
        b.text(e.iri, V.SKOS_PREF_LABEL, e.name, "zh")
        for alias in e.aliases:
            if alias != e.name:
                b.text(e.iri, V.SKOS_ALT_LABEL, alias, "zh")
        for reason in e.reasons:
            b.text(e.iri, V.MERGE_REASON, reason)
    return list(b.quads)


def validate(source, *, per_graph: bool = False) -> tuple[bool, str]:
    """Check a Store, rdflib Dataset/Graph or list of quads against ontology/shapes.ttl.

    Returns (conforms, report text). pyshacl ignores the named graphs of a Dataset, so the
    quads are validated as their union, or one named graph at a time with ``per_graph``
    (stricter: each article graph must stand alone; slower, about 0.1 s a graph).

    >>> validate(store)          # doctest: +SKIP
    (True, 'Validation Report\\nConforms: True\\n')
    """
    import pyshacl
    import rdflib

    from .resources import ontology_dir

    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl")
    graphs: dict[str, rdflib.Graph] = {}
    for s, p, o, g in _rdflib_quads(source):
        key = str(g) if per_graph else ""
        graphs.setdefault(key, rdflib.Graph()).add((s, p, o))
    reports = []
    conforms = True
    for name, graph in sorted(graphs.items()):
        ok, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
        conforms &= bool(ok)
        if not ok:
            reports.append(f"{name or 'union'}:\n{text}")
    return conforms, "\n".join(reports) or "Validation Report\nConforms: True\n"


def _rdflib_quads(source):
    """(s, p, o, graph) rdflib terms from a Store, pyoxigraph quads or an rdflib graph."""
    import rdflib

    if not isinstance(source, rdflib.Graph):
        import pyoxigraph as ox

        quads = source.quads() if hasattr(source, "quads") else source
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        source = rdflib.Dataset()
        source.parse(data=data.decode("utf-8"), format="nquads")
    graphs = list(source.graphs()) if isinstance(source, rdflib.ConjunctiveGraph | rdflib.Dataset) else [source]
    for graph in graphs:
        yield from ((s, p, o, graph.identifier) for s, p, o in graph)
