"""``chegukg extract`` and ``chegukg evaluate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import main, output_format


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@output_format("jsonl", "doc", default="jsonl")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-",
              help="Write here instead of standard output.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra lexicon TSV (type, name, aliases); repeatable.")
@click.option("--aliases", "aliases", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra alias table TSV; repeatable.")
@click.option("--no-ner", is_flag=True, help="Rules and dictionaries only, without the NER model.")
@click.option("--encoding", default=None, help="Force the input encoding (default: detect).")
def extract_cmd(inputs, fmt, output, lexicons, aliases, no_ner, encoding):
    """Extract entities and relations from INPUTS (files, directories or -) as JSON lines.

    --format jsonl writes the annotation guide's evaluation records; --format doc writes the
    full ArticleDoc (sentences, mentions, provenance).
    """
    from ..api import extract_to

    failures = extract_to(inputs, output, fmt=fmt, lexicons=lexicons, aliases=aliases,
                          use_ner=not no_ner, encoding=encoding,
                          on_error=lambda e: click.echo(f"error: {e}", err=True))
    if failures:
        click.echo(f"{failures} input(s) failed", err=True)
        sys.exit(1)


@main.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred", type=click.Path(exists=True, dir_okay=False))
@output_format("table", "json", default="table")
@click.option("--errors", default=0, show_default=True, help="Also list this many misses and false hits.")
def evaluate_cmd(gold, pred, fmt, errors):
    """Score PRED (chegukg extract --format jsonl) against GOLD, per type and per relation."""
    from ..evaluate import evaluate_files, format_report

    report = evaluate_files(Path(gold), Path(pred))
    if fmt == "json":
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        click.echo(format_report(report, errors))
