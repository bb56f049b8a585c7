"""``chegukg train-ner`` and ``chegukg evaluate-ner``: thin over cheguKG.ner."""

from __future__ import annotations

import json
import sys

import click

from . import main, output_format


@main.command("train-ner")
@click.option("--data", "data", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CLUENER-format training file (JSON lines with text and label).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Where to write the model (.crfsuite).")
@click.option("--holdout", default=0, show_default=True,
              help="Keep the last N lines out of training and score the model on them.")
@click.option("--max-iterations", default=None, type=int, help="L-BFGS iterations (default 150).")
@click.option("--c1", default=None, type=float, help="L1 regularisation (default 0.05).")
@click.option("--c2", default=None, type=float, help="L2 regularisation (default 0.01).")
@click.option("--seed", default=13, show_default=True, help="Seed of the training order shuffle.")
@click.option("--auxiliary/--no-auxiliary", default=True, show_default=True,
              help="Also learn CLUENER's other labels (game, book, movie, scene), dropped on output.")
@click.option("--features", "features", default=None, type=int,
              help="Feature set version (1 or 2: adds address cues); default the package's.")
def train_ner_cmd(data, out, holdout, max_iterations, c1, c2, seed, auxiliary, features):
    """Train the CRF NER tagger on DATA and write it to OUT (reproducible for a given seed)."""
    from ..ner import Example, read_cluener, train
    from ..ner.evaluate import evaluate_examples, format_report

    examples = read_cluener(data, auxiliary=auxiliary)
    if holdout < 0 or holdout >= len(examples):
        raise click.BadParameter(f"must be between 0 and {len(examples) - 1}", param_hint="--holdout")
    held = examples[len(examples) - holdout:] if holdout else []
    examples = examples[:len(examples) - holdout]
    params = {k: v for k, v in {"max_iterations": max_iterations, "c1": c1, "c2": c2}.items()
              if v is not None}
    from ..ner.model import DEFAULT_FEATURES

    summary = train(examples, out, params=params, seed=seed,
                    features=DEFAULT_FEATURES if features is None else features)
    click.echo(json.dumps(summary, ensure_ascii=False))
    if held:
        click.echo(f"holdout: last {holdout} lines of {data}")
        six = [Example(ex.text, [sp for sp in ex.spans if not sp[2].startswith("_")]) for ex in held]
        click.echo(format_report(evaluate_examples(six, out)))


@main.command("evaluate-ner")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "model", default=None, type=click.Path(exists=True, dir_okay=False),
              help="A .crfsuite model (default: the shipped one).")
@click.option("--min-confidence", default=None, type=click.FloatRange(0.0, 1.0),
              help="Drop spans the model is less sure of (default: the model's, 0.5; 0 keeps its best path whole).")
@output_format("table", "json", default="table")
def evaluate_ner_cmd(file, model, min_confidence, fmt):
    """Score the NER model on FILE (CLUENER format): exact-span P/R/F1 per label, macro-F1."""
    from ..ner.evaluate import evaluate_ner, format_report

    report = evaluate_ner(file, model, min_confidence)
    if fmt == "json":
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        click.echo(format_report(report))
