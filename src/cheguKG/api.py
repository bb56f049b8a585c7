"""The public Python API; every CLI command is a thin adapter over one function here."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import InputError


@contextmanager
def atomic_output(path: str | Path):
    """Write to a temporary file beside ``path`` and rename it into place only on success,
    so a failed run never leaves a half-written file where a good one was."""
    if str(path) == "-":
        yield sys.stdout
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def extract_to(inputs: Iterable[str | Path], output: str | Path | IO[str] = "-", *, fmt: str = "jsonl",
               lexicons: Iterable[str | Path] = (), aliases: Iterable[str | Path] = (),
               use_ner: bool = True, encoding: str | None = None,
               on_error: Callable[[InputError], None] | None = None) -> int:
    """Extract every article in ``inputs`` and write one JSON line per article; returns the
    number of inputs that failed (each reported through ``on_error``).

    >>> extract_to(["data/corpus"], "pred.jsonl")   # doctest: +SKIP
    0
    """
    from .export import article_record
    from .extract import ExtractConfig, extract
    from .ingest import iter_articles

    config = ExtractConfig(tuple(Path(p) for p in lexicons), tuple(Path(p) for p in aliases), use_ner)
    failures = 0

    def failed(exc: InputError) -> None:
        nonlocal failures
        failures += 1
        if on_error:
            on_error(exc)

    with atomic_output(output) as fh:
        for article in iter_articles(inputs, failed, encoding):
            doc = extract(article, config)
            record = article_record(doc) if fmt == "jsonl" else doc.to_dict()
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures


# --- the facade ------------------------------------------------------------------------------

def _store_dir(path: str | Path) -> Path:
    """Accept either a build's out/ folder or its store/ folder."""
    path = Path(path)
    return path / "store" if (path / "store").is_dir() else path


class KnowledgeGraph:
    """A built knowledge graph: query it, load it into pandas, rdflib or networkx, show it.

    >>> kg = cheguKG.open("out")                          # doctest: +SKIP
    >>> kg.query_df("SELECT ?name { ?p a cg:Person ; skos:prefLabel ?name }")  # doctest: +SKIP
    """

    def __init__(self, out: str | Path = "out"):
        from .errors import StoreError

        self.out = Path(out)
        self.store_dir = _store_dir(self.out)
        if self.store_dir == self.out:  # opened a store folder: outputs live beside it
            self.out = self.store_dir.parent
        if not (self.store_dir / "HEAD").exists():
            raise StoreError(f"no store at {self.store_dir}: run chegukg build first "
                             "(or cheguKG.build(paths, out=...))")
        self._store = None

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.out)!r})"

    # the store is opened read-only on first use and re-checks for newer versions itself
    @property
    def store(self):
        if self._store is None:
            from .store import Store

            self._store = Store.open(self.store_dir, read_only=True, create=False)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, sparql: str) -> list[dict]:
        """Rows of a SELECT as dicts (ASK: ``[{"ask": bool}]``); cg:, skos:, … prefixes are known.

        >>> kg.query("SELECT ?n { ?e a cg:Enterprise ; skos:prefLabel ?n }")[:1]  # doctest: +SKIP
        [{'n': '岚图汽车'}]
        """
        from .query import resolve_query, run_query

        variables, rows = run_query(self.store, resolve_query(sparql))
        return [dict(zip(variables, row)) for row in rows]

    def query_df(self, sparql: str):
        """A SELECT's rows as a pandas DataFrame.

        >>> kg.query_df("people")   # a competency query by name   # doctest: +SKIP
        """
        import pandas as pd

        from .query import resolve_query, run_query

        variables, rows = run_query(self.store, resolve_query(sparql))
        return pd.DataFrame(rows, columns=variables)

    def entities(self, type: str | None = None):
        """Canonical entities (IRI, type, name, aliases, number of articles) as a DataFrame.

        >>> kg.entities(type="Enterprise")   # doctest: +SKIP
        """
        from . import vocab as V
        from .errors import QueryError

        values = ""
        if type is not None:
            if type not in V.CLASS_OF_TYPE:
                raise QueryError(f"unknown entity type {type!r}: use one of {', '.join(V.CLASS_OF_TYPE)}")
            values = f"VALUES ?class {{ <{V.CLASS_OF_TYPE[type]}> }}"
        # One sub-select per property, each DISTINCT or grouped on its own: the default graph
        # is the union of the article graphs, where an entity named in n articles has n copies
        # of its type, label and mentionedIn triples, and one join of them all grew as n^3
        # (minutes for a 300-article build; now a linear scan of each property).
        classes = ", ".join(f"<{c}>" for c in V.CLASS_OF_TYPE.values())
        df = self.query_df(f"""
            SELECT ?iri ?class ?name ?aliases ?articles WHERE {{
              {{ SELECT DISTINCT ?iri ?class WHERE {{ {values} ?iri a ?class FILTER(?class IN ({classes})) }} }}
              OPTIONAL {{ SELECT ?iri (MIN(?p) AS ?pref) WHERE {{ ?iri skos:prefLabel ?p }} GROUP BY ?iri }}
              OPTIONAL {{ SELECT ?iri (MIN(?l) AS ?label) WHERE {{ ?iri rdfs:label ?l }} GROUP BY ?iri }}
              OPTIONAL {{ SELECT ?iri (GROUP_CONCAT(DISTINCT ?a; separator="|") AS ?aliases)
                          WHERE {{ ?iri skos:altLabel ?a }} GROUP BY ?iri }}
              OPTIONAL {{ SELECT ?iri (COUNT(DISTINCT ?art) AS ?n) WHERE {{ ?iri cg:mentionedIn ?art }} GROUP BY ?iri }}
              BIND(COALESCE(?pref, ?label) AS ?name)
              BIND(COALESCE(?n, 0) AS ?articles)
            }} ORDER BY ?class DESC(?articles) ?name""")
        df["type"] = df.pop("class").map(V.TYPE_OF_CLASS)
        df["aliases"] = df["aliases"].map(lambda s: [a for a in s.split("|") if a] if isinstance(s, str) else [])
        df = df.drop_duplicates("iri")
        return df[["iri", "type", "name", "aliases", "articles"]].reset_index(drop=True)

    def find(self, name: str) -> str:
        """The IRI of the entity with this name or alias (NFKC, spaces ignored); an IRI passes through."""
        from .errors import QueryError
        from .resolve import norm

        if name.startswith("http"):
            return name
        key = norm(name)
        literal = _sparql_string(name.strip())
        labels = "rdfs:label|skos:prefLabel|skos:altLabel"
        rows = self.query(f"SELECT DISTINCT ?e ?l WHERE {{ VALUES ?l {{ {literal}@zh {literal} }} ?e {labels} ?l }}")
        if not rows:  # written another way (full-width, spaces): scan labels sharing a prefix
            rows = self.query(f"""SELECT DISTINCT ?e ?l WHERE {{ ?e {labels} ?l
                FILTER(CONTAINS(STR(?l), {_sparql_string(key[:1])})) }}""")
        exact = [r["e"] for r in rows if norm(str(r["l"])) == key]
        if not exact:
            raise QueryError(f"no entity named {name!r}: try kg.entities() to see the names")
        return exact[0]

    def facts(self, entity: str):
        """Every fact about one entity (by name, alias or IRI), with the article (URL, date),
        sentence, character span and extractor it came from, as a DataFrame.

        >>> kg.facts("岚图汽车")   # doctest: +SKIP
        """
        iri = self.find(entity)
        # The provenance query's pattern (data/queries/provenance.rq), bound to one entity up
        # front so the store looks up its assertions instead of scanning every fact.
        return self.query_df(f"""
            SELECT DISTINCT ?subject ?subject_name ?relation ?object ?object_name ?source ?url ?date
                   ?sentence ?start ?end ?extractor ?confidence
            WHERE {{
              VALUES ?entity {{ <{iri}> }}
              {{ ?assertion rdf:subject ?entity }} UNION {{ ?assertion rdf:object ?entity }}
              GRAPH ?graph {{
                ?assertion a cg:Assertion ;
                           rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
                           prov:wasDerivedFrom ?article ;
                           cg:sentenceText ?sentence ; cg:start ?start ; cg:end ?end ;
                           cg:extractedBy ?agent .
                ?article cg:sourceName ?source .
                OPTIONAL {{ ?article schema:url ?url }}
                OPTIONAL {{ ?article dcterms:date ?date }}
                OPTIONAL {{ ?agent rdfs:label ?extractor }}
                OPTIONAL {{ ?assertion cg:confidence ?confidence }}
                OPTIONAL {{ ?subject rdfs:label ?subject_name }}
                OPTIONAL {{ ?object rdfs:label ?object_name }}
              }}
            }} ORDER BY ?source ?start ?relation""")

    def to_rdflib(self):
        """The whole store as an rdflib Dataset (one named graph per article).

        >>> ds = kg.to_rdflib(); len(ds)   # doctest: +SKIP
        """
        return self.store.to_rdflib()

    def to_networkx(self, types=None, relations=None, since=None, until=None):
        """Entities and relations as a networkx MultiDiGraph; nodes and edges keep labels,
        types and sources.

        >>> g = kg.to_networkx(types=["Person", "Enterprise"])   # doctest: +SKIP
        """
        from .netx import to_networkx

        return to_networkx(self.store, types=types, relations=relations, since=since, until=until)

    def show(self, *, focus: str | None = None, hops: int = 1, types=None, relations=None,
             since: str | None = None, until: str | None = None, height: int = 640):
        """The interactive view, inline in Jupyter (no server, no CDN).

        >>> kg.show(focus="岚图汽车", hops=2)   # doctest: +SKIP
        """
        from .viz import notebook_view, select_graph

        graph = select_graph(self.store, focus=focus, hops=hops, types=types, relations=relations,
                             since=since, until=until)
        return notebook_view(graph, height=height, title=f"cheguKG · {focus}" if focus else "cheguKG")

    def to_html(self, path: str | Path, **selection) -> Path:
        """Write the interactive view to ``path`` (see ``chegukg viz`` for the selection options)."""
        from .viz import render

        return render(self.store, path, fmt="html", **selection)

    def add(self, paths, **options):
        """Build more articles into this graph (changed ones are replaced, unchanged skipped).

        >>> kg.add(["new_articles/"]).built   # doctest: +SKIP
        """
        self.close()
        return build_report(paths, self.out, **options)

    def remove(self, source: str) -> bool:
        """Take one article (by its source name) out of the graph, with the entities only it mentioned.

        >>> kg.remove("d001.txt")   # doctest: +SKIP
        True
        """
        from .builder import remove

        self.close()
        return not remove([source], self.out)

    def export(self, path: str | Path, format: str | None = None) -> Path:
        """Write the graph as Turtle, TriG, N-Quads or JSON-LD (from the suffix when not given).

        >>> kg.export("graph.trig")   # doctest: +SKIP
        """
        return self.store.export(path, format)

    save = export


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def build_report(paths=None, out: str | Path = "out", *, jobs: int = 1, lexicons=(), aliases=(),
                 use_ner: bool = True, progress: bool | None = None, **options):
    """Run a build and return its :class:`~cheguKG.builder.BuildReport` (``chegukg build``)."""
    from .builder import build as _build
    from .extract import ExtractConfig

    config = ExtractConfig(tuple(Path(p) for p in lexicons), tuple(Path(p) for p in aliases), use_ner)
    return _build(paths, out=out, jobs=jobs, config=config, aliases=aliases, progress=progress, **options)


def build(paths=None, out: str | Path = "out", **options) -> KnowledgeGraph:
    """Build ``paths`` (files, directories; None = the embedded seed article) into ``out`` and
    open the result.

    >>> kg = cheguKG.build(["articles/"], out="out")   # doctest: +SKIP
    """
    build_report(paths, out, **options)
    return KnowledgeGraph(out)


def open_graph(out: str | Path = "out") -> KnowledgeGraph:
    """Open a built graph (a build's out/ folder or its store/ folder), read-only.

    >>> kg = cheguKG.open("out")   # doctest: +SKIP
    """
    return KnowledgeGraph(out)
