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

_ORGS = ("GovernmentBody", "Enterprise", "Organization")
#: The guide's relation signatures: relation -> (head types, tail types); held_on has no tail
#: type. graph.doc_quads keeps only relations that fit, so every graph passes the shapes.
SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "holds_position": (("Person",), _ORGS),
    "convened_by": (("Meeting",), ("GovernmentBody", "Organization")),
    "held_on": (("Meeting",), ()),
    "inspects": (("Meeting", "GovernmentBody"), ("Place", "Organization", "Enterprise", "Project")),
    "adopts": (("Meeting", "GovernmentBody"), ("Policy",)),
    "located_in": (("Enterprise", "Organization", "Project", "Place"), ("Place",)),
    "in_industry": (("Enterprise",), ("Industry",)),
    "undertakes": (_ORGS, ("Project",)),
    "comments_on": (("Person",), ("Meeting", "Policy")),
}

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
SURFACE_FORM = CG + "surfaceForm"  # mention -> the text as written at that span
SENTENCE_INDEX = CG + "sentenceIndex"  # assertion/mention -> index of the source sentence
MERGE_REASON = CG + "mergeReason"  # canonical entity -> why its mentions were merged
PUBLISHER_NAME = CG + "publisherName"  # article -> 信息来源/来源 as printed
ASSERTS_HOLDING = CG + "assertsHolding"  # holds_position assertion -> its PositionHolding

# External terms the graph writes (declared by their own vocabularies; aligned in the ontology).
RDF_TYPE = RDF + "type"
RDF_SUBJECT = RDF + "subject"
RDF_PREDICATE = RDF + "predicate"
RDF_OBJECT = RDF + "object"
RDFS_LABEL = RDFS + "label"
SKOS_PREF_LABEL = SKOS + "prefLabel"
SKOS_ALT_LABEL = SKOS + "altLabel"
PROV_DERIVED_FROM = PROV + "wasDerivedFrom"
PROV_ATTRIBUTED_TO = PROV + "wasAttributedTo"
PROV_SOFTWARE_AGENT = PROV + "SoftwareAgent"
ORG_MEMBER = ORG + "member"
ORG_ORGANIZATION = ORG + "organization"
DCT_TITLE = DCT + "title"
DCT_DATE = DCT + "date"
DCT_IDENTIFIER = DCT + "identifier"
SCHEMA_URL = SCHEMA + "url"

#: Every cg: term the code writes; tests/test_ontology.py checks each is declared.
OWN_TERMS: tuple[str, ...] = (
    *CLASS_OF_TYPE.values(),
    *PROPERTY_OF_RELATION.values(),
    ARTICLE, ASSERTION, POSITION_HOLDING, EXTRACTOR, MENTION, MENTIONED_IN, HAS_MENTION,
    SOURCE_NAME, CONTENT_HASH, SENTENCE_TEXT, START, END, EXTRACTED_BY, CONFIDENCE, TITLE,
    HOLDING, SURFACE_FORM, SENTENCE_INDEX, MERGE_REASON, PUBLISHER_NAME, ASSERTS_HOLDING,
)


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
    """NFKC, white space dropped; CJK and other IRI-legal characters kept readable, the rest
    (ASCII reserved characters, controls, private use) percent-encoded.

    >>> key_slug("岚图 汽车/x")
    '岚图汽车%2Fx'
    """
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", key))
    return "".join(ch if _iri_char(ch) else quote(ch, safe="") for ch in key)


def _iri_char(ch: str) -> bool:
    if ord(ch) < 128:
        return ch.isalnum() or ch in "@-_.~"
    # RFC 3987 ucschar: most of Unicode, minus controls, surrogates, private use, specials.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp") \
        and not 0xFFF0 <= ord(ch) <= 0xFFFF


def article_iri(source: str) -> str:
    return f"{CGR}article/{key_slug(source)}"


def graph_iri(source: str) -> str:
    """The named graph that holds every fact drawn from one article."""
    return f"{CGR}graph/{key_slug(source)}"


#: The named graph holding corpus-level facts: canonical labels, aliases, merges.
ENTITIES_GRAPH = CGR + "graph/_entities"


def extractor_iri(name: str) -> str:
    """The agent IRI of a pipeline component (``cgr:extractor/rules``)."""
    return f"{CGR}extractor/{key_slug(name or 'unknown')}"


def mention_iri(source: str, start: int, end: int, type_: str) -> str:
    """One occurrence of an entity of ``type_`` at ``start:end`` of one article."""
    return f"{CGR}mention/{key_slug(source)}/{start}-{end}-{type_.lower()}"


def assertion_iri(source: str, *parts: str) -> str:
    """A reified fact of one article; ``parts`` (subject, property, object, span) make it unique."""
    return f"{CGR}assertion/{key_slug(source)}/{short_hash(*parts)}"


def holding_iri(source: str, *parts: str) -> str:
    """A position holding (person, organisation, title) as one article states it."""
    return f"{CGR}holding/{key_slug(source)}/{short_hash(*parts)}"
