"""The knowledge graph as a networkx MultiDiGraph: what the views draw and researchers analyse.

Reads any RDF source cheguKG writes (an rdflib Graph or Dataset, a pyoxigraph Store, or
:class:`cheguKG.store.Store`) through SPARQL over the terms in :mod:`cheguKG.vocab`, so the
view depends on the vocabulary, not on how the store is laid out.

* nodes are entities (key: IRI) with ``label``, ``type``, ``aliases``, ``sources`` and, for
  meetings, ``held_on``;
* edges are relations (key: the guide's relation name) with ``relation``, ``label`` (Chinese),
  ``label_en``, ``sources`` and, for ``holds_position``, ``title``.

A source is a dict: ``sentence``, ``article`` (source name), ``url``, ``title``, ``issued``,
``start``, ``end``: every drawn fact can show the sentence it came from.

>>> g = to_networkx(store, types=["Meeting", "Policy"])   # doctest: +SKIP
>>> sub = ego(g, "岚图", hops=1)                          # doctest: +SKIP
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import vocab
from .errors import ConfigError, InputError, QueryError

if TYPE_CHECKING:  # pragma: no cover
    import networkx

#: Chinese and English names of the guide's types and relations (the ontology's rdfs:labels).
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "Person": ("人物", "Person"),
    "GovernmentBody": ("党政机构", "Government body"),
    "Enterprise": ("企业", "Enterprise"),
    "Organization": ("组织", "Organization"),
    "Place": ("地点", "Place"),
    "Meeting": ("会议活动", "Meeting"),
    "Policy": ("政策", "Policy"),
    "Project": ("项目", "Project"),
    "Industry": ("产业", "Industry"),
    "Position": ("职务", "Position"),
}
RELATION_LABELS: dict[str, tuple[str, str]] = {
    "holds_position": ("任职于", "holds position in"),
    "convened_by": ("召集方", "convened by"),
    "held_on": ("举行日期", "held on"),
    "inspects": ("调研", "inspects"),
    "adopts": ("审议通过", "adopts"),
    "located_in": ("位于", "located in"),
    "in_industry": ("所属产业", "in industry"),
    "undertakes": ("承建", "undertakes"),
    "comments_on": ("评论", "comments on"),
}

_PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in vocab.PREFIXES.items())
_CLASSES = " ".join(f"<{c}>" for c in vocab.CLASS_OF_TYPE.values())
_PROPERTIES = " ".join(f"<{p}>" for p in vocab.PROPERTY_OF_RELATION.values())

# DISTINCT throughout: the default graph is the union of the article graphs, where an entity
# named in 300 articles has 300 copies of its type and label triples, and the join of those
# gave 90,000 rows for it (to_networkx took 16.5 s for a 300-article build, now 2.6 s).
_ENTITIES = _PREFIXES + f"""
SELECT DISTINCT ?e ?cls ?pref ?label WHERE {{
  VALUES ?cls {{ {_CLASSES} }}
  ?e a ?cls .
  OPTIONAL {{ ?e skos:prefLabel ?pref }}
  OPTIONAL {{ ?e rdfs:label ?label }}
}}"""
_ALIASES = _PREFIXES + "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias }"
_FACTS = _PREFIXES + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {_PROPERTIES} }} ?s ?p ?o }}"
_ASSERTIONS = _PREFIXES + """
SELECT ?a ?s ?p ?o ?text ?start ?end ?art ?title WHERE {
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?a cg:sentenceText ?text }
  OPTIONAL { ?a cg:start ?start }
  OPTIONAL { ?a cg:end ?end }
  OPTIONAL { ?a prov:wasDerivedFrom ?art }
  OPTIONAL { ?a cg:title ?title }
}"""
_MENTIONS = _PREFIXES + """
SELECT ?e ?text ?start ?end ?art WHERE {
  ?e cg:hasMention ?m .
  ?m cg:sentenceText ?text .
  OPTIONAL { ?m cg:start ?start }
  OPTIONAL { ?m cg:end ?end }
  OPTIONAL { ?m prov:wasDerivedFrom ?art }
}"""
_HOLDINGS = _PREFIXES + """
SELECT DISTINCT ?person ?org ?title WHERE {
  ?person cg:holding ?h . ?h org:organization ?org ; cg:title ?title .
}"""
_ARTICLES = _PREFIXES + """
SELECT DISTINCT ?art ?url ?name ?issued ?title WHERE {
  ?art a cg:Article .
  OPTIONAL { ?art schema:url ?url }
  OPTIONAL { ?art cg:sourceName ?name }
  OPTIONAL { ?art dcterms:date ?issued }
  OPTIONAL { ?art dcterms:issued ?issued }
  OPTIONAL { ?art dcterms:title ?title }
  OPTIONAL { ?art schema:headline ?title }
}"""


# -- reading any RDF source ---------------------------------------------------------------

def _term_value(term: Any) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)  # pyoxigraph terms
    return str(value) if value is not None and not hasattr(term, "n3") else str(term)


def select(source: Any, sparql: str) -> list[dict[str, str]]:
    """Run a SELECT over the union of all graphs of ``source``; rows map variable -> string."""
    try:
        import rdflib
    except ImportError:  # pragma: no cover - rdflib is a dependency
        rdflib = None
    if rdflib is not None and isinstance(source, rdflib.Graph):
        with warnings.catch_warnings():  # rdflib 7 warns about its own Dataset internals
            warnings.simplefilter("ignore", DeprecationWarning)
            if isinstance(source, rdflib.Dataset) or type(source) is rdflib.ConjunctiveGraph:
                source = rdflib.Dataset(store=source.store, default_union=True)  # the union of graphs
            result = source.query(sparql)
            names = [str(v) for v in result.vars]
            return [{n: str(row[i]) for i, n in enumerate(names) if row[i] is not None} for row in result]
    import pyoxigraph

    if isinstance(source, pyoxigraph.Store):
        return _rows_from(source.query(sparql, use_default_graph_as_union=True))
    if hasattr(source, "query"):  # cheguKG.store.Store: the default graph is the union
        return _rows_from(source.query(sparql))
    raise TypeError(f"cannot read a graph from {type(source).__name__}: pass an rdflib Graph, "
                    "a pyoxigraph Store or a cheguKG Store")


def _rows_from(result: Any) -> list[dict[str, str]]:
    if isinstance(result, tuple) and len(result) == 2:  # (variables, rows)
        names, rows = result
        names = [getattr(n, "value", str(n)).lstrip("?") for n in names]
        return [{n: _term_value(v) for n, v in zip(names, row) if v is not None} for row in rows]
    names = [getattr(v, "value", str(v)) for v in result.variables]
    return [{n: _term_value(sol[n]) for n in names if sol[n] is not None} for sol in result]


# -- building the networkx graph ----------------------------------------------------------

def _local_name(iri: str) -> str:
    return unquote(re.split(r"[/#]", iri.rstrip("/"))[-1])


def _day(value: str | date | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _check_names(given: Iterable[str] | None, known: dict, what: str) -> set[str] | None:
    if given is None:
        return None
    given = set(given)
    unknown = sorted(given - set(known))
    if unknown:
        raise ConfigError(f"unknown {what} {', '.join(unknown)}: use one of {', '.join(known)}")
    return given


def _articles(source: Any) -> dict[str, dict[str, Any]]:
    articles: dict[str, dict[str, Any]] = {}
    for row in select(source, _ARTICLES):
        info = articles.setdefault(row["art"], {"article": _local_name(row["art"])})
        if "name" in row:
            info["article"] = row["name"]
        for key in ("url", "title"):
            if key in row:
                info.setdefault(key, row[key])
        if "issued" in row:
            info["issued"] = _day(row["issued"])
    return articles


def _source(row: dict[str, str], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    art = row.get("art")
    found = dict(articles.get(art, {"article": _local_name(art)} if art else {}))
    found["sentence"] = row.get("text", "")
    for key in ("start", "end"):
        if key in row and row[key].lstrip("-").isdigit():
            found[key] = int(row[key])
    return found


def _in_text_order(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows by article and offset: stores return them in any order, the view must not vary."""
    def offset(row: dict[str, str]) -> int:
        value = row.get("start", "")
        return int(value) if value.lstrip("-").isdigit() else -1

    return sorted(rows, key=lambda row: (row.get("art", ""), offset(row), row.get("text", ""), row.get("a", "")))


class _Sources:
    """Adds a source to a node's or edge's list once per (article, sentence), in O(1): an
    entity named three times in a sentence shows it once, and a hub named in thousands of
    sentences does not make this quadratic."""

    def __init__(self) -> None:
        self._seen: dict[int, set[tuple[Any, Any]]] = defaultdict(set)

    def add(self, sources: list[dict[str, Any]], source: dict[str, Any]) -> None:
        key = (source.get("article"), source.get("sentence"))
        seen = self._seen[id(sources)]
        if source.get("sentence") and key not in seen:
            seen.add(key)
            sources.append(source)


def _entities(source: Any) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for row in select(source, _ENTITIES):
        node = nodes.setdefault(row["e"], {"type": vocab.TYPE_OF_CLASS[row["cls"]], "aliases": [],
                                           "sources": [], "iri": row["e"]})
        label = row.get("pref") or row.get("label")
        if label and ("label" not in node or row.get("pref")):
            node["label"] = label
    for row in select(source, _ALIASES):
        node = nodes.get(row["e"])
        if node is not None and row["alias"] not in node["aliases"]:
            node["aliases"].append(row["alias"])
    for iri, node in nodes.items():
        node.setdefault("label", _local_name(iri))
        node["aliases"] = sorted(a for a in node["aliases"] if a != node["label"])
    return nodes


def _facts(source: Any, nodes: dict, articles: dict, add_source: Any
           ) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(head, relation, tail) -> edge data; held_on becomes the meeting's ``held_on``."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def edge(s: str, p: str, o: str) -> dict[str, Any] | None:
        relation = vocab.RELATION_OF_PROPERTY.get(p)
        if relation is None or s not in nodes:
            return None
        if o not in nodes:  # a literal: held_on's date
            if relation == "held_on":
                nodes[s]["held_on"] = min(filter(None, (nodes[s].get("held_on"), o)))
            return None
        zh, en = RELATION_LABELS[relation]
        return edges.setdefault((s, relation, o), {"relation": relation, "label": zh,
                                                   "label_en": en, "sources": []})

    for row in select(source, _FACTS):
        edge(row["s"], row["p"], row["o"])
    for row in _in_text_order(select(source, _ASSERTIONS)):
        found = _source(row, articles)
        data = edge(row["s"], row["p"], row["o"])
        if data is not None:
            add_source(data["sources"], found)
            if "title" in row:
                data.setdefault("title", row["title"])
        for end in (row["s"], row["o"]):
            if end in nodes:
                add_source(nodes[end]["sources"], found)
    for row in select(source, _HOLDINGS):
        data = edges.get((row["person"], "holds_position", row["org"]))
        if data is not None:
            data.setdefault("title", row["title"])
    return edges


def to_networkx(source: Any, types: Iterable[str] | None = None,
                relations: Iterable[str] | None = None,
                since: str | date | None = None, until: str | date | None = None,
                ) -> "networkx.MultiDiGraph":
    """The entities and relations of ``source`` as a MultiDiGraph, optionally filtered.

    ``types`` keeps entities of these guide types, ``relations`` keeps these relations;
    ``since``/``until`` (ISO dates, inclusive) keep facts stated in articles issued in that
    window and meetings held in it, and the entities they touch.

    >>> to_networkx(rdflib_graph, types=["Person", "Enterprise"])   # doctest: +SKIP
    <networkx.classes.multidigraph.MultiDiGraph ...>
    """
    import networkx as nx

    types = _check_names(types, vocab.CLASS_OF_TYPE, "type")
    relations = _check_names(relations, vocab.PROPERTY_OF_RELATION, "relation")
    articles = _articles(source)
    nodes = _entities(source)
    add_source = _Sources().add
    for row in _in_text_order(select(source, _MENTIONS)):
        if row["e"] in nodes:
            add_source(nodes[row["e"]]["sources"], _source(row, articles))
    edges = _facts(source, nodes, articles, add_source)

    graph = nx.MultiDiGraph()
    for iri, data in nodes.items():
        if types is None or data["type"] in types:
            graph.add_node(iri, **data)
    for (s, relation, o), data in edges.items():
        if (relations is None or relation in relations) and s in graph and o in graph:
            graph.add_edge(s, o, key=relation, **data)
    if since is not None or until is not None:
        graph = _in_window(graph, _day(since) or "0000", _day(until) or "9999")
    return graph


def _in_window(graph: "networkx.MultiDiGraph", since: str, until: str) -> "networkx.MultiDiGraph":
    def dated(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [s for s in sources if s.get("issued") and since <= s["issued"][:10] <= until]

    kept = graph.__class__()
    for s, o, key, data in graph.edges(keys=True, data=True):
        sources = dated(data["sources"])
        if sources:
            for node in (s, o):
                if node not in kept:
                    kept.add_node(node, **graph.nodes[node])
            kept.add_edge(s, o, key=key, **{**data, "sources": sources})
    for node, data in graph.nodes(data=True):
        held = (data.get("held_on") or "")[:10]
        if node not in kept and (dated(data["sources"]) or (held[:2] != "--" and since <= held <= until and held)):
            kept.add_node(node, **data)
    for node in kept:
        kept.nodes[node]["sources"] = dated(kept.nodes[node]["sources"]) or kept.nodes[node]["sources"]
    return kept


# -- focus -------------------------------------------------------------------------------

def normalise_name(name: str) -> str:
    """How names are compared: NFKC, white space dropped, case folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def names_of(data: dict[str, Any]) -> Iterator[str]:
    yield data.get("label", "")
    yield from data.get("aliases", ())


def find_node(graph: "networkx.MultiDiGraph", name: str) -> str:
    """The node whose IRI, label or an alias is ``name`` (compared as :func:`normalise_name`)."""
    if name in graph:
        return name
    wanted = normalise_name(name)
    hits = [n for n, data in graph.nodes(data=True) if any(normalise_name(x) == wanted for x in names_of(data))]
    if not hits:
        hits = [n for n, data in graph.nodes(data=True)
                if any(wanted in normalise_name(x) for x in names_of(data))]
    if not hits:
        raise ConfigError(f"no entity named {name!r} in the graph: check the spelling or the filters")
    # Prefer the best-connected entity when a name is shared.
    return max(hits, key=lambda n: (graph.degree(n), -len(graph.nodes[n].get("label", ""))))


def ego(graph: "networkx.MultiDiGraph", name: str, hops: int = 1) -> "networkx.MultiDiGraph":
    """The entity named ``name`` (any of its names) and everything within ``hops`` relations,
    following relations in both directions.

    >>> ego(g, "岚图", hops=1)   # doctest: +SKIP
    """
    import networkx as nx

    centre = find_node(graph, name)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=hops)
    sub = graph.subgraph(near).copy()
    sub.graph["focus"] = centre
    return sub


# -- opening sources ---------------------------------------------------------------------

_RDF_FORMATS = {".trig": "TRIG", ".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS",
                ".jsonld": "JSON_LD", ".json": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML"}


def open_source(path: str | Path) -> Any:
    """A built store directory (read-only) or an RDF file (.trig, .ttl, .nq, .nt, .jsonld)
    loaded into memory: anything :func:`to_networkx` reads.

    >>> g = to_networkx(open_source("out/store"))   # doctest: +SKIP
    """
    import pyoxigraph

    path = Path(path)
    if path.is_dir():
        from .store import Store

        return Store.open(path, read_only=True)
    if not path.exists():
        raise InputError(str(path), "no such store or RDF file: run `chegukg build` first or pass --store")
    fmt = _RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"not a store directory nor an RDF file ({', '.join(_RDF_FORMATS)})")
    store = pyoxigraph.Store()
    try:
        store.load(path=str(path), format=getattr(pyoxigraph.RdfFormat, fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(str(path), f"cannot parse as {fmt.lower()}: {exc}") from None
    return store


def construct(source: Any, sparql: str) -> Any:
    """The triples a SPARQL CONSTRUCT builds over ``source``, as a graph to_networkx reads:
    a way to draw any selection (the CONSTRUCT must keep the types and labels it wants drawn).
    """
    import pyoxigraph

    try:
        import rdflib
    except ImportError:  # pragma: no cover
        rdflib = None
    if not re.search(r"\bCONSTRUCT\b", sparql, re.IGNORECASE):
        raise QueryError("--query needs a SPARQL CONSTRUCT query (it builds the graph to draw)")
    if rdflib is not None and isinstance(source, rdflib.Graph):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if isinstance(source, rdflib.Dataset) or type(source) is rdflib.ConjunctiveGraph:
                source = rdflib.Dataset(store=source.store, default_union=True)
            return source.query(_PREFIXES + "\n" + sparql).graph
    try:
        if isinstance(source, pyoxigraph.Store):
            triples = source.query(_PREFIXES + "\n" + sparql, use_default_graph_as_union=True)
        else:
            triples = source.query(_PREFIXES + "\n" + sparql)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL CONSTRUCT: {exc}") from None
    built = pyoxigraph.Store()
    built.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.DefaultGraph()) for t in triples)
    return built
