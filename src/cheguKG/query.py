"""SPARQL over the store: rows for people, formatters, and the ready competency queries.

>>> variables, rows = run_query(store, "SELECT ?p WHERE { ?p a cg:Person }")   # doctest: +SKIP
>>> print(format_rows(variables, rows, "table"))                               # doctest: +SKIP

Queries need no PREFIX lines for the project's prefixes (``vocab.PREFIXES``: cg, cgr, rdf,
rdfs, owl, xsd, skos, prov, org, schema, foaf, dcterms), and the default graph is the union
of all graphs (``GRAPH ?g`` still reaches one article's graph). Oxigraph's union repeats a
triple once per graph that holds it (an entity typed in two articles matches twice): use
DISTINCT or GROUP BY, as the competency queries do.

Competency queries live in data/queries/*.rq (``chegukg query people``). ``entity.rq`` is
parameterised by a ``VALUES ?name { "岚图汽车"@zh "岚图汽车" }`` line: :func:`bind_values`
(CLI: ``--bind name=卢放``) rewrites it, and any SPARQL endpoint can run the file as it is.
(The name is matched with exact label lookups; computing the label with BIND makes
Oxigraph scan every label, ~100x slower.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from . import vocab as V
from .errors import QueryError
from .resources import queries_dir

Row = tuple[Any, ...]


def run_query(store, sparql: str, *, raw: bool = False) -> tuple[list[str], list[Row]]:
    """Run SELECT/ASK/CONSTRUCT/DESCRIBE on a :class:`~cheguKG.store.Store` (or pyoxigraph Store).

    Rows hold plain Python values: IRIs as ``str``, literals as their Python value
    (``int``/``float``/``bool`` for numeric and boolean datatypes, else the lexical ``str``),
    unbound as ``None``; ``raw=True`` keeps pyoxigraph terms. ASK gives ``(["ask"], [(bool,)])``,
    CONSTRUCT/DESCRIBE ``(["subject", "predicate", "object"], triples)``.
    """
    import pyoxigraph as ox

    if isinstance(store, ox.Store):
        try:
            result = store.query(sparql, prefixes=V.PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            from .store import one_line

            raise QueryError(f"malformed SPARQL: {one_line(exc)}") from None
    else:
        result = store.query(sparql)
    convert = (lambda t: t) if raw else python_value
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [(bool(result),)]
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return variables, [tuple(convert(s[v]) for v in variables) for s in result]
    return ["subject", "predicate", "object"], [
        (convert(t.subject), convert(t.predicate), convert(t.object)) for t in result]


_NUMERIC = {V.XSD + n: int for n in ("integer", "int", "long", "short", "nonNegativeInteger",
                                     "positiveInteger", "negativeInteger", "nonPositiveInteger")}
_NUMERIC.update({V.XSD + n: float for n in ("double", "float", "decimal")})


def python_value(term) -> Any:
    """A pyoxigraph term as a plain value: IRI -> str, literal -> int/float/bool/str, None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            try:
                return _NUMERIC[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == V.XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def shorten(value: Any) -> str:
    """An IRI in prefixed form where a project prefix fits (``cgr:person/卢放``); else str."""
    if value is None:
        return ""
    text = str(value)
    for prefix, namespace in V.PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def format_rows(variables: list[str], rows: list[Row], fmt: str = "table") -> str:
    """Rows as ``table`` (aligned, IRIs shortened), ``csv`` or ``json`` (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(variables, row)) for row in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}: use table, csv or json")
    return _table(variables, rows)


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two terminal columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(variables: list[str], rows: list[Row]) -> str:
    cells = [[shorten(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max([_width(v)] + [min(_width(r[i]), 60) for r in cells]) for i, v in enumerate(variables)]

    def line(values: list[str]) -> str:
        out = []
        for value, width in zip(values, widths):
            if _width(value) > 60:
                while _width(value) > 59:
                    value = value[:-1]
                value += "…"
            out.append(value + " " * (width - _width(value)))
        return " | ".join(out).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    body = [line(r) for r in cells]
    return "\n".join([line(variables), rule, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def competency_queries() -> dict[str, str]:
    """{name: SPARQL} for every data/queries/*.rq (name = file stem, e.g. ``people``)."""
    directory = queries_dir()
    if not directory.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.rq"))}


def describe_queries() -> dict[str, str]:
    """{name: first comment line} of each competency query, for help texts and the web page."""
    out = {}
    for name, text in competency_queries().items():
        first = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), "")
        out[name] = first
    return out


def resolve_query(text: str) -> str:
    """SPARQL text from a query string, ``@file.rq`` or a competency query name."""
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    queries = competency_queries()
    if text in queries:
        return queries[text]
    if re.fullmatch(r"[\w-]+", text):
        raise QueryError(f"{text!r} is neither SPARQL nor a known query: "
                         f"use one of {', '.join(queries)} or write SPARQL")
    return text


def bind_values(sparql: str, **values: str) -> str:
    """Set the value of a ``VALUES ?name { ... }`` line, keeping each literal's language tag or
    datatype (so ``{ "岚图汽车"@zh "岚图汽车" }`` becomes ``{ "卢放"@zh "卢放" }``).

    >>> bind_values('SELECT * { VALUES ?name { "岚图汽车"@zh "岚图汽车" } }', name="卢放")
    'SELECT * { VALUES ?name { "卢放"@zh "卢放" } }'
    """
    for name, value in values.items():
        pattern = re.compile(r"(VALUES\s+\?" + re.escape(name) + r"\s*\{)([^}]*)(\})", re.IGNORECASE)
        match = pattern.search(sparql)
        if not match:
            raise QueryError(f"the query has no 'VALUES ?{name} {{ ... }}' line to bind")
        body = match.group(2)
        literal = json.dumps(value, ensure_ascii=False)
        if _IRI.fullmatch(value):  # an IRI (from a result row, say): <...>
            body = f" <{value.strip('<>')}> "
        elif _STRING.search(body):
            body = _STRING.sub(lambda _m: literal, body)
        else:
            body = f" {literal} "
        sparql = sparql[:match.start()] + match.group(1) + body + match.group(3) + sparql[match.end():]
    return sparql


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_IRI = re.compile(r'<[^<>\s"]+>|https?://[^<>\s"]+')
