"""Entity pages: HTML for people, Turtle (or N-Triples, JSON-LD) for machines.

``/entity?iri=...`` and ``/id/...`` (the IRI itself, for ``cgr:`` entities) show an entity's
label, types, aliases, relations in and out, and the sentences it was found in, with links
to the articles. Every value drawn from the graph is escaped.

>>> short_iri("https://w3id.org/chegukg/id/person/x")
'cgr:person/x'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .results import FORMAT_ALIASES, MEDIA_TYPE, HTTPProblem, choose_format, negotiate, nt_term, serialize_graph
from .vocab import PREFIXES

WEB_DIR = Path(__file__).resolve().parent / "web"  # the browser page's assets, served as they are

_ENTITY_PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())
_OUT_QUERY = _ENTITY_PREFIXES + """
SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  <IRI> ?p ?o . FILTER(?p != cg:hasMention)
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?l }
} GROUP BY ?p ?o ORDER BY ?p ?o"""
_IN_QUERY = _ENTITY_PREFIXES + """
SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {
  ?s ?p <IRI> . FILTER(?p NOT IN (rdf:subject, rdf:object))
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?l }
} GROUP BY ?s ?p ORDER BY ?p ?s"""
_SOURCES_QUERY = _ENTITY_PREFIXES + """
SELECT DISTINCT ?text ?start ?article ?url ?title ?source ?extractor ?relation WHERE {
  { ?n rdf:subject <IRI> } UNION { ?n rdf:object <IRI> } UNION { <IRI> cg:hasMention ?n }
  ?n cg:sentenceText ?text .
  OPTIONAL { ?n cg:start ?start }
  OPTIONAL { ?n rdf:predicate ?relation }
  OPTIONAL { ?n cg:extractedBy ?extractor }
  OPTIONAL { ?n prov:wasDerivedFrom ?article .
             OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article dcterms:title ?title }
             OPTIONAL { ?article cg:sourceName ?source } }
} ORDER BY ?source ?start"""
_DESCRIBE_QUERY = """CONSTRUCT { <IRI> ?p ?o . ?s ?q <IRI> } WHERE { { <IRI> ?p ?o } UNION { ?s ?q <IRI> } }"""
ENTITY_OFFERS = ["text/html", "application/xhtml+xml", "text/turtle", "application/n-triples",
                 "application/ld+json"]


def _entity_query(template: str, iri: str, max_rows: int) -> dict[str, Any]:
    if any(ch in iri for ch in '<>"{}|^`\\ \n\r\t'):
        raise HTTPProblem(400, "Bad IRI", f"{iri!r} is not an IRI: it contains a character IRIs forbid")
    return {"query": template.replace("IRI", iri), "max_rows": max_rows, "union": True}


async def entity_response(request, iri: str, run, max_rows: int):
    """The entity page: HTML for people, Turtle (or N-Triples, JSON-LD) for machines."""
    from starlette.responses import HTMLResponse, Response

    fmt = request.query_params.get("format")
    if fmt:
        if fmt.lower() not in FORMAT_ALIASES and fmt.lower() != "html":
            raise HTTPProblem(400, "Unknown format", f"format {fmt!r}: use html, turtle, ntriples or jsonld")
        wanted = "html" if fmt.lower() == "html" else choose_format("graph", fmt, None)
    else:
        media = negotiate(request.headers.get("accept"), ENTITY_OFFERS)
        if media is None:
            raise HTTPProblem(406, "Not acceptable", "an entity comes as text/html, text/turtle, "
                              "application/n-triples or application/ld+json")
        wanted = "html" if "html" in media else FORMAT_ALIASES[media]
    if wanted != "html":
        result = await run(_entity_query(_DESCRIBE_QUERY, iri, max_rows))
        if not result["triples"]:
            raise _no_entity(iri)
        return Response(serialize_graph(result["triples"], wanted), media_type=MEDIA_TYPE[wanted],
                        headers={"Vary": "Accept"})
    out = await run(_entity_query(_OUT_QUERY, iri, max_rows))
    into = await run(_entity_query(_IN_QUERY, iri, max_rows))
    if not out["rows"] and not into["rows"]:
        raise _no_entity(iri)
    sources = await run(_entity_query(_SOURCES_QUERY, iri, max_rows))
    page = render_entity(iri, out["rows"], into["rows"], sources["rows"])
    return HTMLResponse(page, headers={"Vary": "Accept"})


def _no_entity(iri: str) -> HTTPProblem:
    return HTTPProblem(404, "Unknown entity", f"the graph says nothing about <{iri}>")


def short_iri(iri: str) -> str:
    """``cgr:person/卢放`` for a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def entity_href(iri: str) -> str:
    from urllib.parse import quote

    return "/entity?iri=" + quote(iri, safe="")


def _h(text: Any) -> str:
    import html

    return html.escape(str(text), quote=True)


def _term_html(term: tuple | None, label: tuple | None = None) -> str:
    if term is None:
        return ""
    if term[0] == "uri":
        shown = label[1] if label else short_iri(term[1])
        return f'<a href="{_h(entity_href(term[1]))}" title="{_h(term[1])}">{_h(shown)}</a>'
    if term[0] == "literal":
        lang = f' <span class="lang">@{_h(term[3])}</span>' if term[3] else ""
        return f"<span class=\"literal\">{_h(term[1])}</span>{lang}"
    return f"<span class=\"bnode\">{_h(nt_term(term))}</span>"


def render_entity(iri: str, out_rows: list, in_rows: list, source_rows: list) -> str:
    """The entity page's HTML; every value from the graph is escaped."""
    from .vocab import RDF, RDFS, SKOS

    values: dict[str, list[tuple]] = {}
    for p, o, _label in out_rows:
        values.setdefault(p[1], []).append(o)
    label = next((t[1] for key in (SKOS + "prefLabel", RDFS + "label") for t in values.get(key, [])), None)
    types = values.get(RDF + "type", [])
    aliases = sorted({t[1] for t in values.get(SKOS + "altLabel", [])} - {label})
    shown = {RDF + "type", SKOS + "prefLabel", SKOS + "altLabel", RDFS + "label"}
    facts = "".join(f"<tr><td>{_term_html(p)}</td><td>{_term_html(o, lbl)}</td></tr>"
                    for p, o, lbl in out_rows if p[1] not in shown)
    links_in = "".join(f"<tr><td>{_term_html(s, lbl)}</td><td>{_term_html(p)}</td></tr>"
                       for s, p, lbl in in_rows)
    template = (WEB_DIR / "entity.html").read_text(encoding="utf-8")
    fields = {
        "title": _h(label or short_iri(iri)),
        "iri": _h(iri),
        "turtle_href": _h(entity_href(iri) + "&format=turtle"),
        "types": ", ".join(_term_html(t) for t in types) or "—",
        "aliases": "、".join(_h(a) for a in aliases) or "—",
        "facts": facts or '<tr><td colspan="2">none</td></tr>',
        "links_in": links_in or '<tr><td colspan="2">none</td></tr>',
        "sources": _sources_html(source_rows),
    }
    # One pass, so a value that happens to contain "{{facts}}" is never expanded.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields.get(m.group(1), ""), template)


def _sources_html(rows: list) -> str:
    """One item per (article, sentence): the facts it gave, who found them, links to the
    article (its URL where known, and its node in the graph)."""
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row[2] and row[2][1], row[0][1]), []).append(row)
    items = []
    for group in groups.values():
        text, _start, article, url, title, source, _extractor, _relation = group[0]
        found = sorted({short_iri(r[7][1]) for r in group if r[7]} or {"mention"})
        by = sorted({short_iri(r[6][1]).rsplit("/", 1)[-1] for r in group if r[6]})
        name = (title or source or article or ("", ""))[1] or "article"
        links = []
        if url and re.match(r"https?://", url[1]):
            links.append(f'<a class="article" href="{_h(url[1])}" rel="noopener noreferrer">{_h(name)}</a>')
        if article:
            links.append(f'<a class="article-node" href="{_h(entity_href(article[1]))}">'
                         f'{_h(short_iri(article[1]) if url else name)}</a>')
        facts = ", ".join(found) + (f" by {', '.join(by)}" if by else "")
        items.append(f"<li><q>{_h(text[1])}</q> — {' · '.join(links) or _h(name)} "
                     f"<span class=\"how\">({_h(facts)})</span></li>")
    return "<ul class=\"sources\">" + "".join(items) + "</ul>" if items else "<p>none</p>"
