"""``chegukg viz``: draw a selection of the built graph as one self-contained HTML page, or as a
PNG/SVG figure; a thin adapter over :func:`cheguKG.viz.render`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from . import main, output_format


def _names(values: tuple[str, ...]) -> list[str]:
    """``--types Person,Place --types Meeting`` -> [Person, Place, Meeting]."""
    return [name for value in values for name in re.split(r"[,\s]+", value) if name]


@main.command("viz")
@click.option("--store", "store", default="out/store", show_default=True, type=click.Path(),
              help="A built store directory (chegukg build), or an RDF file (.trig, .ttl, .nq, .nt, .jsonld).")
@click.option("--focus", metavar="NAME", help="Only this entity (any of its names) and its neighbourhood.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 20),
              help="How many relations away from --focus to go.")
@click.option("--types", "types", multiple=True, metavar="T[,T...]",
              help="Keep entities of these types (Person, GovernmentBody, Enterprise, Organization, Place, "
                   "Meeting, Policy, Project, Industry, Position); repeatable or comma-separated.")
@click.option("--relations", "relations", multiple=True, metavar="R[,R...]",
              help="Keep these relations (holds_position, convened_by, inspects, adopts, located_in, "
                   "in_industry, undertakes, comments_on); repeatable or comma-separated.")
@click.option("--since", metavar="DATE", help="Keep facts from articles dated on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Keep facts from articles dated on or before DATE.")
@click.option("--query", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="A SPARQL CONSTRUCT file: draw only the triples it builds.")
@output_format("html", "png", "svg", default="html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (default: graph.html, graph.png or graph.svg).")
@click.option("--title", default=None, help="The page or figure title.")
@click.option("--physics/--no-physics", default=None,
              help="Force the page's physics on or off (default: a bounded settle up to 300 nodes, off above).")
def viz_cmd(store, focus, hops, types, relations, since, until, query_file, fmt, output, title, physics):
    """Draw the knowledge graph, or a selection of it.

    HTML is one self-contained page (no network): legend, type and relation toggles, search by
    any name, a panel with each entity's source sentences, and a meeting timeline.

    \b
    chegukg viz -o graph.html
    chegukg viz --focus 岚图 --hops 2 -o lantu.html
    chegukg viz --types Meeting,GovernmentBody,Policy --since 2023-01-01 --format svg -o meetings.svg
    """
    from ..netx import open_source
    from ..viz import render

    query = Path(query_file).read_text(encoding="utf-8") if query_file else None
    output = output or f"graph.{fmt}"
    path = render(open_source(store), output, fmt=fmt, title=title, physics=physics, focus=focus, hops=hops,
                  types=_names(types), relations=_names(relations), since=since, until=until, query=query)
    click.echo(f"wrote {path}", err=True)
