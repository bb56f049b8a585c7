"""``chegukg query``, ``chegukg export`` and ``chegukg remove``: thin commands over store/query."""

from __future__ import annotations

from pathlib import Path

import click

from . import main, output_format

_STORE = click.option("--store", "store_dir", type=click.Path(file_okay=False), default="out/store",
                      show_default=True, help="The store directory (written by chegukg build).")


@main.command("query")
@click.argument("sparql")
@_STORE
@output_format("table", "csv", "json", default="table")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Set a query's VALUES ?VAR line, e.g. --bind name=卢放 for 'entity'; repeatable.")
def query_cmd(sparql, store_dir, fmt, binds):
    """Run SPARQL on the store: a query string, @file.rq, or a ready query name.

    Ready queries: people, meetings, adoptions, enterprises, entity (--bind name=...),
    provenance. Prefixes cg: cgr: skos: prov: org: schema: dcterms: ... need no PREFIX lines,
    and the default graph is the union of every article's graph.

    \b
    chegukg query people
    chegukg query entity --bind name=岚图汽车 --format csv
    chegukg query 'SELECT DISTINCT ?p ?name WHERE { ?p a cg:Person ; rdfs:label ?name }'
    """
    from ..errors import QueryError
    from ..query import bind_values, format_rows, resolve_query, run_query
    from ..store import Store

    text = resolve_query(sparql)
    values = {}
    for bind in binds:
        name, sep, value = bind.partition("=")
        if not sep or not name:
            raise QueryError(f"--bind {bind!r}: write VAR=VALUE, e.g. --bind name=卢放")
        values[name.lstrip("?")] = value
    if values:
        text = bind_values(text, **values)
    store = Store.open(store_dir, read_only=True)
    try:
        variables, rows = run_query(store, text)
    finally:
        store.close()
    click.echo(format_rows(variables, rows, fmt))


@main.command("export")
@_STORE
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The file to write (written atomically).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples"]),
              default=None, help="RDF format (default: from the file extension).")
def export_cmd(store_dir, output, fmt):
    """Write the whole store as Turtle, TriG, N-Quads or JSON-LD.

    TriG, N-Quads and JSON-LD keep one named graph per article; Turtle holds their union.
    """
    from ..store import Store

    with Store.open(store_dir, read_only=True) as store:
        path = store.export(output, fmt)
        count = len(store)
    click.echo(f"wrote {path} ({count} quads)", err=True)


@main.command("remove")
@click.argument("sources", nargs=-1, required=True)
@_STORE
def remove_cmd(sources, store_dir):
    """Take articles out of the store, by source name (000_9dcdb9a84830e439.txt).

    Their facts go, and so do entities that no other article mentions. Readers keep the
    previous version until the removal is committed.
    """
    import sys

    from ..store import Store

    from ..builder import remove

    store_dir = Path(store_dir)
    if (store_dir.parent / "resolver.sqlite").exists():  # a build's out/: keep its state in step
        missing = remove(sources, store_dir.parent)
        for source in sources:
            if source not in missing:
                click.echo(f"removed {source}", err=True)
    else:
        missing = []
        with Store.open(store_dir, create=False) as store:
            for source in sources:
                if store.remove_article(source):
                    click.echo(f"removed {source}", err=True)
                else:
                    missing.append(source)
    for source in missing:
        click.echo(f"error: {source}: not in the store {store_dir} (see chegukg query "
                   f"'SELECT ?s {{ ?a cg:sourceName ?s }}')", err=True)
    if missing:
        sys.exit(1)


@main.command("validate")
@_STORE
@click.option("--per-graph", is_flag=True, help="Check each article's graph on its own (stricter, slower).")
def validate_cmd(store_dir, per_graph):
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 if it fails."""
    import sys

    from ..graph import validate
    from ..store import Store

    with Store.open(store_dir, read_only=True) as store:
        conforms, report = validate(store, per_graph=per_graph)
        count = len(store)
    if conforms:
        click.echo(f"{store_dir}: {count} quads conform to the shapes")
        return
    click.echo(report)
    click.echo(f"error: {store_dir} does not conform to ontology/shapes.ttl", err=True)
    sys.exit(1)
