"""The IRIs cheguKG writes: one place, so graph, queries, views and tests agree.

The ontology itself (classes, properties, labels, alignments) is ontology/chegukg.ttl;
a test checks that every term named here is declared there.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

#: The ontology namespace (prefix ``cg:``).
CG = "https://w3id.org/chegukg/ontology#"
#: Data namespace (prefix ``cgr:``): entities, articles, assertions, named graphs.
CGR = "https://w3id.org/chegukg/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
DCT = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    "cg": CG,
    "cgr": CGR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "schema": SCHEMA,
    "foaf": FOAF,
    "dcterms": DCT,
}

#: Guide entity type -> ontology class (local names equal the guide's type names).
CLASS_OF_TYPE: dict[str, str] = {
    t: CG + t
    for t in (
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
}
TYPE_OF_CLASS: dict[str, str] = {v: k for k, v in CLASS_OF_TYPE.items()}

#: Guide relation -> ontology property (camelCase of the guide's name).
PROPERTY_OF_RELATION: dict[str, str] = {
    "holds_position": CG + "holdsPositionIn",
    "convened_by": CG + "convenedBy",
    "held_on": CG + "heldOn",
    "inspects": CG + "inspects",
    "adopts": CG + "adopts",
    "located_in": CG + "locatedIn",
    "in_industry": CG + "inIndustry",
    "undertakes": CG + "undertakes",
    "comments_on": CG + "commentsOn",
}
RELATION_OF_PROPERTY: dict[str, str] = {v: k for k, v in PROPERTY_OF_RELATION.items()}

# Other terms of our own ontology.
ARTICLE = CG + "Article"  # a news article (⊑ schema:NewsArticle, prov:Entity)
ASSERTION = CG + "Assertion"  # a reified extracted fact (⊑ rdf:Statement, prov:Entity)
POSITION_HOLDING = CG + "PositionHolding"  # ⊑ org:Membership: person, organisation, role, title
EXTRACTOR = CG + "Extractor"  # a pipeline component (⊑ prov:SoftwareAgent)
MENTION = CG + "Mention"  # one occurrence of an entity in an article
MENTIONED_IN = CG + "mentionedIn"  # entity -> article
HAS_MENTION = CG + "hasMention"  # entity -> mention
SOURCE_NAME = CG + "sourceName"  # article -> its file base name / record id
CONTENT_HASH = CG + "contentHash"  # article -> sha256 of its content
SENTENCE_TEXT = CG + "sentenceText"  # assertion/mention -> the source sentence
START = CG + "start"  # assertion/mention -> character offset (inclusive)
END = CG + "end"  # assertion/mention -> character offset (exclusive)
EXTRACTED_BY = CG + "extractedBy"  # assertion/mention -> extractor
CONFIDENCE = CG + "confidence"
TITLE = CG + "title"  # office as written, on a PositionHolding
HOLDING = CG + "holding"  # person -> PositionHolding
ROLE = ORG + "role"  # PositionHolding -> Position entity


def slug(text: str) -> str:
    """A readable, IRI-safe local name: NFKC, spaces dropped, percent-encoded if needed."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return quote(text, safe="")


def short_hash(*parts: str, length: int = 12) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def entity_iri(type_: str, key: str) -> str:
    """The stable IRI of a canonical entity: the same type and key give the same IRI.

    >>> entity_iri("Enterprise", "岚图汽车")
    'https://w3id.org/chegukg/id/enterprise/岚图汽车'
    """
    return f"{CGR}{type_.lower()}/{key_slug(key)}"


def key_slug(key: str) -> str:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", key))
    # Keep CJK and word characters readable; encode anything an IRI forbids.
    return quote(key, safe="@-_.~" + "".join(ch for ch in key if ord(ch) > 127))


def article_iri(source: str) -> str:
    return f"{CGR}article/{key_slug(source)}"


def graph_iri(source: str) -> str:
    """The named graph that holds every fact drawn from one article."""
    return f"{CGR}graph/{key_slug(source)}"


#: The named graph holding corpus-level facts: canonical labels, aliases, merges.
ENTITIES_GRAPH = CGR + "graph/_entities"
