"""``chegukg build``: the main job, a thin adapter over :func:`cheguKG.builder.build`."""

from __future__ import annotations

import sys

import click

from . import main


@main.command("build")
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder: store/, graph.trig, extraction.jsonl, graph.html.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1),
              help="Extraction processes (use the number of cores).")
@click.option("--aliases", "aliases", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra alias table TSV (type, name, alias|alias); overrides the heuristics. Repeatable.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra lexicon TSV (type, name, aliases); repeatable.")
@click.option("--no-ner", is_flag=True, help="Rules and dictionaries only, without the NER model.")
@click.option("--encoding", default=None, help="Force the input encoding (default: detect).")
@click.option("--explain", "explain_name", default=None, metavar="NAME",
              help="After building, say why the entities written NAME were merged or kept apart.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: when stderr is a terminal).")
@click.option("--dump/--no-dump", default=None,
              help="Write graph.trig (default: unless the store holds more than 5,000 articles).")
@click.option("--html/--no-html", default=None,
              help="Write graph.html (default: unless the store holds more than 2,000 articles).")
@click.option("--commit-every", default=2000, show_default=True, type=click.IntRange(1),
              help="Make progress durable every N articles (a killed build resumes from there).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of the summary.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster (tcp://host:8786, or 'local' for a LocalCluster of --jobs "
                   "workers); see also chegukg build-dask.")
def build_cmd(inputs, out, jobs, aliases, lexicons, no_ner, encoding, explain_name, progress, dump,
              html, commit_every, as_json, scheduler=None):
    """Build the knowledge graph of INPUTS (files, directories or -) into --out.

    With no INPUTS it builds the embedded default corpus (the seed article). A rebuild skips
    unchanged articles and replaces changed ones. Bad inputs are reported one line each; the
    rest is built and the exit status is 1.
    """
    import json
    from pathlib import Path

    from ..builder import build, explain
    from ..extract import ExtractConfig

    config = ExtractConfig(tuple(Path(p) for p in lexicons), tuple(Path(p) for p in aliases), not no_ner)
    if scheduler:  # the same build, extraction and graph conversion on Dask (cheguKG.distributed)
        from ..distributed import build_distributed

        report = build_distributed(list(inputs) or None, out, config=config, encoding=encoding,
                                   scheduler=None if scheduler == "local" else scheduler, workers=jobs,
                                   commit_every=commit_every, dump=dump, html=html,
                                   on_error=lambda line: click.echo(f"error: {line}", err=True))
    else:
        report = build(list(inputs) or None, out=out, jobs=jobs, config=config, progress=progress,
                       encoding=encoding, commit_every=commit_every, dump=dump, html=html,
                       on_error=lambda line: click.echo(f"error: {line}", err=True))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(report.summary())
    if explain_name:
        click.echo(explain(explain_name, out))
    if report.failures:
        click.echo(f"{len(report.failures)} input(s) failed", err=True)
        sys.exit(1)
