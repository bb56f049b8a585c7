"""``chegukg build-dask``: the build with extraction on a Dask cluster."""

from __future__ import annotations

import sys

import click

from . import main


@main.command("build-dask")
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder: store/, nquads/part-*.nq, extraction.jsonl, graph.trig.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); default: a LocalCluster on this machine.")
@click.option("--workers", default=None, type=click.IntRange(1),
              help="Worker processes of the LocalCluster (default: one per core; ignored with --scheduler).")
@click.option("--partitions", default=None, type=click.IntRange(1),
              help="Cut the corpus into N partitions (default: stream partitions of --partition-size).")
@click.option("--partition-size", default=64, show_default=True, type=click.IntRange(1),
              help="Articles per partition when --partitions is not given.")
@click.option("--aliases", "aliases", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra alias table TSV; repeatable.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra lexicon TSV; repeatable.")
@click.option("--no-ner", is_flag=True, help="Rules and dictionaries only, without the NER model.")
@click.option("--encoding", default=None, help="Force the input encoding (default: detect).")
@click.option("--no-load", is_flag=True, help="Write the N-Quads files only, no local store.")
@click.option("--push", "push_url", default=None, metavar="URL",
              help="Also send the graph to a remote store (Graph Store Protocol URL, e.g. .../store).")
@click.option("--dump/--no-dump", default=None, help="Write graph.trig (default: for small stores).")
@click.option("--html/--no-html", default=None, help="Write graph.html (default: for small stores).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def build_dask_cmd(inputs, out, scheduler, workers, partitions, partition_size, aliases, lexicons,
                   no_ner, encoding, no_load, push_url, dump, html, as_json):
    """Build INPUTS into --out with extraction and graph conversion on a Dask cluster.

    Gives the same graph as `chegukg build`; writes one N-Quads file per partition
    (OUT/nquads/) and loads them into OUT/store, which `chegukg build` can then update.
    """
    import json
    from pathlib import Path

    from ..distributed import build_distributed
    from ..extract import ExtractConfig

    config = ExtractConfig(tuple(Path(p) for p in lexicons), tuple(Path(p) for p in aliases), not no_ner)
    report = build_distributed(list(inputs) or None, out, scheduler=scheduler, workers=workers,
                               partitions=partitions, partition_size=partition_size, config=config,
                               encoding=encoding, load=not no_load, push=push_url, dump=dump, html=html,
                               on_error=lambda line: click.echo(f"error: {line}", err=True))
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if as_json else report.summary())
    if report.failures:
        click.echo(f"{len(report.failures)} input(s) failed", err=True)
        sys.exit(1)
