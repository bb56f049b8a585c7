"""SPARQL results and RDF graphs in the format a client asks for, and the one error shape.

Results arrive from the query workers as plain tuples (``querypool._term``); this module turns
them into SPARQL 1.1 JSON, XML, CSV or TSV (SELECT/ASK) or Turtle, N-Triples or JSON-LD
(CONSTRUCT/DESCRIBE), picking the format from ``?format=`` or the Accept header.

>>> choose_format("bindings", None, "text/csv")
'csv'
>>> serialize_bindings({"kind": "boolean", "value": True}, "json")
b'{"head": {}, "boolean": true}'

Only the standard library is imported at module level (pyoxigraph inside serialize_graph).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from .vocab import PREFIXES


class HTTPProblem(Exception):
    """An error answered with the one JSON shape: {"error": {"status", "title", "detail"}}."""

    def __init__(self, status: int, title: str, detail: str = ""):
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail = status, title, detail

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"status": self.status, "title": self.title, "detail": self.detail}}



FORMAT_ALIASES: dict[str, str] = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json",
    "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
    "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "jsonld": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld",
}
BINDINGS_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
# Media types a client may ask for, per kind of result, in our order of preference.
ACCEPT_OFFERS = {
    "bindings": ["application/sparql-results+json", "application/json", "application/sparql-results+xml",
                 "application/xml", "text/xml", "text/csv", "text/tab-separated-values"],
    "graph": ["text/turtle", "application/x-turtle", "application/n-triples", "text/plain",
              "application/ld+json", "application/json"],
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q values, best first (stable for equal q)."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The first offer the Accept header allows (offers[0] for none or */*), else None."""
    if not accept or not accept.strip():
        return offers[0]
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return offers[0]
        for offer in offers:
            if media == offer or (media.endswith("/*") and offer.startswith(media[:-1])):
                return offer
    return None


def choose_format(kind: str, fmt: str | None, accept: str | None) -> str:
    """The result format for a kind ('bindings' or 'graph') from ?format= or Accept."""
    allowed = BINDINGS_FORMATS if kind == "bindings" else GRAPH_FORMATS
    if fmt:
        key = FORMAT_ALIASES[fmt.lower()]  # checked earlier: unknown names are a 400
        if kind == "graph" and key == "json":
            key = "jsonld"
        if key not in allowed:
            raise HTTPProblem(406, "Format not available for this query",
                              f"format {fmt!r} does not fit a {_kind_name(kind)} result; use one of "
                              + ", ".join(allowed))
        return key
    media = negotiate(accept, ACCEPT_OFFERS[kind])
    if media is None:
        raise HTTPProblem(406, "Not acceptable",
                          f"no result format matches Accept: {accept!r}; a {_kind_name(kind)} result "
                          "comes as " + ", ".join(MEDIA_TYPE[f].split(";")[0] for f in allowed))
    key = FORMAT_ALIASES[media]
    return "jsonld" if kind == "graph" and key == "json" else key


def _kind_name(kind: str) -> str:
    return "SELECT/ASK" if kind == "bindings" else "CONSTRUCT/DESCRIBE"


def _json_term(term: tuple) -> dict[str, Any]:
    kind = term[0]
    if kind == "literal":
        out: dict[str, Any] = {"type": "literal", "value": term[1]}
        if term[3]:
            out["xml:lang"] = term[3]
        elif term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term[2]
        return out
    if kind == "triple":
        return {"type": "triple", "value": {k: _json_term(t) for k, t in
                                            zip(("subject", "predicate", "object"), term[1:])}}
    return {"type": kind, "value": term[1]}


def nt_term(term: tuple) -> str:
    """A term in N-Triples syntax (TSV results)."""
    kind = term[0]
    if kind == "uri":
        return f"<{term[1]}>"
    if kind == "bnode":
        return f"_:{term[1]}"
    if kind == "triple":
        return "<< " + " ".join(nt_term(t) for t in term[1:]) + " >>"
    text = (term[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term[3]:
        return f'"{text}"@{term[3]}'
    if term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{text}"^^<{term[2]}>'
    return f'"{text}"'


def _xml_term(term: tuple) -> str:
    kind = term[0]
    if kind == "uri":
        return f"<uri>{xml_escape(term[1])}</uri>"
    if kind == "bnode":
        return f"<bnode>{xml_escape(term[1])}</bnode>"
    if kind == "triple":
        parts = "".join(f"<{k}>{_xml_term(t)}</{k}>" for k, t in zip(("subject", "predicate", "object"), term[1:]))
        return f"<triple>{parts}</triple>"
    attr = ""
    if term[3]:
        attr = f' xml:lang="{xml_escape(term[3])}"'
    elif term[2] and term[2] != "http://www.w3.org/2001/XMLSchema#string":
        attr = f' datatype="{xml_escape(term[2])}"'
    return f"<literal{attr}>{xml_escape(term[1])}</literal>"


def _csv_value(term: tuple | None) -> str:
    if term is None:
        return ""
    if term[0] == "bnode":
        return f"_:{term[1]}"
    if term[0] == "triple":
        return nt_term(term)
    return term[1]


def serialize_bindings(result: dict[str, Any], fmt: str) -> bytes:
    """SELECT/ASK results in SPARQL 1.1 JSON, XML, CSV or TSV."""
    if result["kind"] == "boolean":
        value = "true" if result["value"] else "false"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result["value"]}).encode()
        if fmt == "xml":
            return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{value}</boolean></sparql>\n").encode()
        return f"_askResult\r\n{value}\r\n".encode() if fmt == "csv" else f"?_askResult\n{value}\n".encode()
    variables, rows = result["vars"], result["rows"]
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f'<variable name="{xml_escape(v)}"/>' for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f'<binding name="{xml_escape(v)}">{_xml_term(t)}</binding>'
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else nt_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_graph(triples: list, fmt: str) -> bytes:
    import pyoxigraph

    rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
    prefixes = dict(PREFIXES) if fmt == "turtle" else None
    return pyoxigraph.serialize(triples, format=rdf_format, prefixes=prefixes) or b""

