"""graph: ArticleDoc -> quads in the article's named graph, provenance on every fact."""

from __future__ import annotations

import pytest
import rdflib
from rdf_docs import make_doc

from cheguKG import vocab as V
from cheguKG.graph import doc_quads, entity_quads, fits_signature, local_iris, validate, xsd_date_literal
from cheguKG.query import run_query
from cheguKG.store import Store
from cheguKG.types import Article, ArticleDoc, CanonicalEntity, Entity, Mention, Relation, Sentence


def _store(*docs: ArticleDoc) -> Store:
    store = Store.in_memory()
    for doc in docs:
        store.replace_article(doc.article.source, doc_quads(doc, local_iris(doc)), doc.article.content_hash)
    return store


def test_graph_all_quads_in_the_article_graph():
    doc = make_doc("a.txt")
    quads = doc_quads(doc, local_iris(doc))
    assert quads
    assert {q.graph_name.value for q in quads} == {V.graph_iri("a.txt")}
    assert len(set(quads)) == len(quads)


def test_graph_is_deterministic():
    doc = make_doc("a.txt", published="2023-12-11")
    assert doc_quads(doc, local_iris(doc)) == doc_quads(doc, local_iris(doc))


def test_graph_local_iris_use_type_and_name():
    doc = make_doc()
    iris = local_iris(doc)
    assert iris["R1"] == V.entity_iri("Person", "卢放") == "https://w3id.org/chegukg/id/person/卢放"
    assert len(set(iris.values())) == len(iris)


def test_graph_every_relation_is_reified_with_provenance():
    doc = make_doc("a.txt", url="http://www.whkfq.gov.cn/a.html")
    store = _store(doc)
    _, rows = run_query(store, """
        SELECT ?a ?s ?p ?o ?text ?start ?end ?agent ?article WHERE {
          ?a a cg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; cg:sentenceText ?text ;
             cg:start ?start ; cg:end ?end ; cg:extractedBy ?agent ; prov:wasAttributedTo ?agent ;
             prov:wasDerivedFrom ?article .
          ?agent a prov:SoftwareAgent .
          ?s ?p ?o .
        }""")
    assert len(rows) == len(doc.relations)
    for _, _, _, _, text, start, end, _, article in rows:
        assert doc.article.text[start:end] == text
        assert article == V.article_iri("a.txt")


def test_graph_article_node_carries_metadata():
    doc = make_doc("a.txt", published="2023-12-11", url="http://www.whkfq.gov.cn/a.html")
    _, rows = run_query(_store(doc), """
        SELECT ?source ?hash ?title ?date ?url WHERE {
          ?a a cg:Article ; cg:sourceName ?source ; cg:contentHash ?hash ; dcterms:title ?title ;
             dcterms:date ?date ; schema:url ?url }""")
    assert rows == [("a.txt", doc.article.content_hash, doc.article.title, "2023-12-11",
                     "http://www.whkfq.gov.cn/a.html")]


DATES = [
    ("2023-12-09", "date"),
    ("--12-09", "gMonthDay"),
    ("2023-12", "gYearMonth"),
    ("2023", "gYear"),
    ("12月9日", "string"),
    ("2023-02-30", "string"),
]


@pytest.mark.parametrize("value, datatype", DATES)
def test_graph_dates_are_typed_literals(value, datatype):
    literal = xsd_date_literal(value)
    assert literal.value == value
    assert literal.datatype.value == V.XSD + datatype


@pytest.mark.parametrize("published, expected", [(None, "--12-09"), ("2023-12-11", "2023-12-09")])
def test_graph_held_on_value(published, expected):
    doc = make_doc(published=published)
    _, rows = run_query(_store(doc), "SELECT ?d WHERE { ?m cg:heldOn ?d }")
    assert rows == [(expected,)]


def test_graph_holds_position_is_an_org_membership():
    doc = make_doc()
    _, rows = run_query(_store(doc), """
        SELECT ?person ?org ?role ?title WHERE {
          ?h a cg:PositionHolding ; org:member ?person ; org:organization ?org ; org:role ?role ;
             cg:title ?title .
          ?person cg:holding ?h ; cg:holdsPositionIn ?org .
          ?role a cg:Position .
          ?a cg:assertsHolding ?h ; rdf:predicate cg:holdsPositionIn .
        }""")
    iris = local_iris(doc)
    assert rows == [(iris["R1"], iris["E1"], iris["T1"], "CEO")]


def test_graph_mentions_keep_offsets():
    doc = make_doc()
    _, rows = run_query(_store(doc), """
        SELECT ?form ?start ?end ?sentence WHERE {
          ?e cg:hasMention ?m . ?m cg:surfaceForm ?form ; cg:start ?start ; cg:end ?end ;
          cg:sentenceText ?sentence ; prov:wasDerivedFrom ?a }""")
    assert len(rows) == sum(len(e.mentions) for e in doc.entities)
    for form, start, end, sentence in rows:
        assert doc.article.text[start:end] == form
        assert form in sentence


def _doc_with(relation: Relation) -> ArticleDoc:
    text = "卢放在岚图汽车。"
    entities = (Entity("R1", "Person", "卢放", (), (Mention(0, 2, "卢放", 0, "ner"),)),
                Entity("E1", "Enterprise", "岚图汽车", (), (Mention(3, 7, "岚图汽车", 0, "lexicon"),)),
                Entity("L1", "Place", "武汉", ()))
    return ArticleDoc(Article("x.txt", text), (Sentence(0, 0, len(text), text),), entities, (relation,))


SIGNATURE_CASES = [
    (Relation("R1", "holds_position", "E1", title="CEO"), True),
    (Relation("R1", "holds_position", "L1"), False),  # a Place holds no posts
    (Relation("E1", "located_in", "L1"), True),
    (Relation("L1", "in_industry", "E1"), False),
    (Relation("R1", "no_such_relation", "E1"), False),
]


@pytest.mark.parametrize("relation, fits", SIGNATURE_CASES)
def test_graph_keeps_only_relations_that_fit_the_guide(relation, fits):
    doc = _doc_with(relation)
    assert fits_signature(doc, relation) is fits
    quads = doc_quads(doc, local_iris(doc))
    assert any(q.predicate.value == V.RDF + "subject" for q in quads) is fits


def test_graph_relation_to_unknown_entity_is_skipped():
    doc = _doc_with(Relation("R1", "holds_position", "E9"))
    quads = doc_quads(doc, local_iris(doc), strict=False)
    assert not any(q.predicate.value == V.PROPERTY_OF_RELATION["holds_position"] for q in quads)


def test_graph_relation_without_span_gets_its_sentence():
    doc = _doc_with(Relation("R1", "holds_position", "E1", title="CEO"))  # sentence -1, span 0:0
    _, rows = run_query(_store(doc), "SELECT ?s ?e ?t WHERE { ?a cg:start ?s ; cg:end ?e ; cg:sentenceText ?t ; "
                                     "a cg:Assertion }")
    assert rows == [(0, len(doc.article.text), doc.article.text)]


GOLDEN = """
@prefix cg: <https://w3id.org/chegukg/ontology#> .
@prefix cgr: <https://w3id.org/chegukg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/chegukg/id/article/g.txt> a cg:Article ; cg:sourceName "g.txt" ; dcterms:identifier "g.txt" ;
    cg:contentHash "%(hash)s" .
<https://w3id.org/chegukg/id/meeting/市委常委会会议> a cg:Meeting ; rdfs:label "市委常委会会议"@zh ;
    cg:mentionedIn <https://w3id.org/chegukg/id/article/g.txt> ;
    cg:heldOn "--12-09"^^xsd:gMonthDay .
<%(assertion)s> a cg:Assertion ; rdf:subject <https://w3id.org/chegukg/id/meeting/市委常委会会议> ; rdf:predicate cg:heldOn ;
    rdf:object "--12-09"^^xsd:gMonthDay ; cg:start 0 ; cg:end %(end)d ; cg:sentenceIndex 0 ;
    cg:sentenceText "12月9日,市委常委会会议召开。"@zh ; cg:extractedBy <https://w3id.org/chegukg/id/extractor/dates> ;
    prov:wasAttributedTo <https://w3id.org/chegukg/id/extractor/dates> ; cg:confidence "1.0"^^xsd:double ;
    prov:wasDerivedFrom <https://w3id.org/chegukg/id/article/g.txt> .
<https://w3id.org/chegukg/id/extractor/dates> a cg:Extractor , prov:SoftwareAgent ; rdfs:label "dates" .
"""


def test_graph_golden_held_on():
    from pyoxigraph import RdfFormat, serialize

    text = "12月9日,市委常委会会议召开。"
    doc = ArticleDoc(Article("g.txt", text), (Sentence(0, 0, len(text), text),),
                     (Entity("M1", "Meeting", "市委常委会会议"),),
                     (Relation("M1", "held_on", value="--12-09", sentence=0, start=0, end=len(text),
                               extractor="dates"),))
    quads = doc_quads(doc, local_iris(doc))
    got = rdflib.Graph().parse(data=serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES),
                               format="nt")
    assertion = next(q.subject.value for q in quads if q.object.value == V.ASSERTION)
    expected = rdflib.Graph().parse(data=GOLDEN % {"hash": doc.article.content_hash, "assertion": assertion, "end": len(text)},
                                    format="turtle")
    from rdflib.compare import graph_diff, isomorphic

    _, only_got, only_expected = graph_diff(got, expected)
    assert isomorphic(got, expected), (only_got.serialize(format="nt"), only_expected.serialize(format="nt"))


def test_graph_entity_quads_labels_aliases_reasons():
    entity = CanonicalEntity(V.entity_iri("Enterprise", "岚图汽车"), "Enterprise", "岚图汽车",
                             ("岚图", "岚图汽车"), (("a.txt", "E1"),), ("alias table",))
    quads = entity_quads([entity])
    assert {q.graph_name.value for q in quads} == {V.ENTITIES_GRAPH}
    triples = {(q.predicate.value, q.object.value) for q in quads}
    assert triples == {(V.RDF_TYPE, V.CG + "Enterprise"), (V.SKOS_PREF_LABEL, "岚图汽车"),
                       (V.SKOS_ALT_LABEL, "岚图"), (V.MERGE_REASON, "alias table")}


def test_graph_hand_made_doc_passes_the_shapes():
    doc = make_doc("a.txt", published="2023-12-11", url="http://www.whkfq.gov.cn/a.html")
    ok, report = validate(doc_quads(doc, local_iris(doc)), per_graph=True)
    assert ok, report


def test_graph_real_extraction_of_the_seed_passes_the_shapes(seed_path):
    from cheguKG.extract import ExtractConfig, extract
    from cheguKG.ingest import iter_articles

    article = next(iter(iter_articles([seed_path], lambda e: None, None)))
    doc = extract(article, ExtractConfig())
    if not doc.relations:
        pytest.skip("the extractor finds no relations yet")
    quads = doc_quads(doc, local_iris(doc))
    ok, report = validate(quads, per_graph=True)
    assert ok, report
    store = Store.in_memory()
    store.replace_article(article.source, quads, article.content_hash)
    _, rows = run_query(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a cg:Assertion }")
    assert rows[0][0] == sum(fits_signature(doc, r) for r in doc.relations if r.head in local_iris(doc))


def _serialised(quads) -> str:
    import pyoxigraph

    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")


@pytest.mark.parametrize("texts", [
    None,  # the hand-made doc
    ("引号\"与反斜杠\\、制表\t回车\r换行\n和控制字符\x01\x7f都要转义。", "卢放表示,岚图汽车\u2028加快研发。",
     "武汉绿动氢能能源技术有限公司在武汉经开区建设氢能研发和生产基地。"),
])
def test_graph_template_fill_equals_doc_quads_serialised(texts):
    """The build writes doc_template(doc).fill(iris) (N-Quads made in the worker as text):
    it must be exactly what serialising doc_quads(doc, iris) gives."""
    from cheguKG.graph import doc_template

    doc = make_doc("a \"odd\" source.txt", url="http://example.org/a?b=1", published="2023-12-11",
                   **({"texts": texts} if texts else {}))
    iris = local_iris(doc)
    assert doc_template(doc).fill(iris) == _serialised(doc_quads(doc, iris))


def test_graph_template_fill_equals_doc_quads_on_extracted_seed():
    from cheguKG.extract import extract
    from cheguKG.graph import doc_template
    from cheguKG.ingest import read
    from cheguKG.resources import default_corpus

    doc = extract(read(default_corpus())[0])
    iris = {e.id: V.entity_iri(e.type, e.name + "~x") for e in doc.entities}
    text = doc_template(doc).fill(iris)
    assert text.count("\n") > 100
    assert text == _serialised(doc_quads(doc, iris))
    assert doc_template(doc).fill({}) is None  # not covering the doc: the caller falls back
