"""The ontology declares every term the code writes; built graphs pass the SHACL shapes."""

from __future__ import annotations

import pytest
import rdflib
from rdf_docs import make_doc
from rdflib import OWL, RDF, RDFS

from cheguKG import vocab as V
from cheguKG.graph import doc_quads, entity_quads, local_iris, validate
from cheguKG.resources import ontology_dir
from cheguKG.types import CanonicalEntity

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "chegukg.ttl")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl")


def _external_terms() -> set[str]:
    """The other vocabularies' terms vocab.py names (RDF_TYPE, ORG_MEMBER, ROLE, ...)."""
    own = set(V.OWN_TERMS)
    namespaces = tuple(ns for prefix, ns in V.PREFIXES.items() if prefix not in ("cg", "cgr"))
    return {value for name, value in vars(V).items()
            if name.isupper() and isinstance(value, str) and value.startswith(namespaces)
            and value not in own and value not in namespaces}


@pytest.mark.parametrize("term", V.OWN_TERMS)
def test_ontology_declares_every_term_vocab_names(ontology, term):
    kinds = set(ontology.objects(rdflib.URIRef(term), RDF.type))
    assert kinds & DECLARATIONS, f"{term} is not declared in ontology/chegukg.ttl"


@pytest.mark.parametrize("term", V.OWN_TERMS)
def test_ontology_labels_in_chinese_and_english_with_a_comment(ontology, term):
    node = rdflib.URIRef(term)
    languages = {label.language for label in ontology.objects(node, RDFS.label)}
    assert {"zh", "en"} <= languages, term
    assert any(ontology.objects(node, RDFS.comment)), term


def test_ontology_declares_nothing_vocab_does_not_name(ontology):
    declared = {str(s) for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind)
                if str(s).startswith(V.CG)}
    assert declared == set(V.OWN_TERMS)


@pytest.mark.parametrize("term", sorted(_external_terms()))
def test_ontology_aligns_or_constrains_every_external_term(ontology, shapes, term):
    node = rdflib.URIRef(term)
    both = ontology + shapes
    used = any(node in triple for triple in both)
    assert used, f"{term} appears in neither ontology/chegukg.ttl nor ontology/shapes.ttl"


ALIGNMENTS = [
    ("Person", "http://xmlns.com/foaf/0.1/Person"),
    ("Person", "https://schema.org/Person"),
    ("Organization", "http://www.w3.org/ns/org#Organization"),
    ("Position", "http://www.w3.org/ns/org#Role"),
    ("Meeting", "https://schema.org/Event"),
    ("Place", "https://schema.org/Place"),
    ("Industry", "http://www.w3.org/2004/02/skos/core#Concept"),
    ("PositionHolding", "http://www.w3.org/ns/org#Membership"),
    ("Article", "https://schema.org/NewsArticle"),
    ("Article", "http://www.w3.org/ns/prov#Entity"),
    ("Assertion", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"),
    ("Extractor", "http://www.w3.org/ns/prov#SoftwareAgent"),
]


@pytest.mark.parametrize("local, superclass", ALIGNMENTS)
def test_ontology_alignments(ontology, local, superclass):
    assert (rdflib.URIRef(V.CG + local), RDFS.subClassOf, rdflib.URIRef(superclass)) in ontology


def test_ontology_extracted_by_is_prov_attribution(ontology):
    assert (rdflib.URIRef(V.EXTRACTED_BY), RDFS.subPropertyOf, rdflib.URIRef(V.PROV_ATTRIBUTED_TO)) in ontology


@pytest.mark.parametrize("relation", sorted(V.SIGNATURES))
def test_ontology_shapes_check_each_relation_signature(shapes, relation):
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    prop = rdflib.URIRef(V.PROPERTY_OF_RELATION[relation])
    targets = set(shapes.subjects(sh.targetSubjectsOf, prop))
    assert len(targets) >= 2, relation  # the signature shape and the "reified" shape


def _seed_quads():
    doc = make_doc("a.txt", published="2023-12-11", url="http://www.whkfq.gov.cn/a.html")
    quads = doc_quads(doc, local_iris(doc))
    entities = [CanonicalEntity(iri, e.type, e.name, ("别名",), (("a.txt", e.id),), ("same name",))
                for e in doc.entities for iri in [local_iris(doc)[e.id]]]
    return quads + entity_quads(entities)


def test_ontology_built_graph_conforms_to_the_shapes():
    ok, report = validate(_seed_quads(), per_graph=True)
    assert ok, report


def _drop(predicate: str):
    return lambda quads: [q for q in quads if q.predicate.value != predicate]


def _retype_dates(quads):
    from pyoxigraph import Literal, Quad

    held = V.PROPERTY_OF_RELATION["held_on"]
    return [Quad(q.subject, q.predicate, Literal("12月9日"), q.graph_name) if q.predicate.value == held else q
            for q in quads]


def _untype_people(quads):
    return [q for q in quads if not (q.predicate.value == V.RDF_TYPE and q.object.value == V.CG + "Person")]


BREAKAGES = [
    ("assertion without its sentence", _drop(V.SENTENCE_TEXT)),
    ("assertion without its article", _drop(V.PROV_DERIVED_FROM)),
    ("facts without an extractor", _drop(V.EXTRACTED_BY)),
    ("mentions without offsets", _drop(V.START)),
    ("article without a content hash", _drop(V.CONTENT_HASH)),
    ("held_on not a date", _retype_dates),
    ("holder not a Person", _untype_people),
    ("relations not reified", lambda qs: [q for q in qs if q.predicate.value != V.RDF_SUBJECT]),
]


@pytest.mark.parametrize("what, breakage", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_ontology_shapes_catch_broken_graphs(what, breakage):
    ok, report = validate(breakage(_seed_quads()))
    assert not ok, what


def test_ontology_declares_every_term_the_competency_queries_use(ontology):
    import re

    from cheguKG.query import competency_queries

    used = {f"{V.CG}{local}" for text in competency_queries().values()
            for local in re.findall(r"\bcg:([A-Za-z]+)", text)}
    declared = {str(s) for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind)}
    assert used and used <= declared, sorted(used - declared)
