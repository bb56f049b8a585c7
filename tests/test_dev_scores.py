"""Regression: extraction quality on ../shared's dev corpus and seed stays at the issue-3 targets.

Skipped when ../shared is absent. Targets: dev entity F1 >= 0.90, relation F1 >= 0.75, every
entity type >= 0.75; seed entity F1 >= 0.90, relation F1 >= 0.80.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cheguKG.evaluate import Report, evaluate, read_jsonl
from cheguKG.export import article_record
from cheguKG.extract import extract
from cheguKG.ingest import iter_articles
from cheguKG.types import ENTITY_TYPES


def _score(inputs: Path, gold: Path) -> Report:
    records = [article_record(extract(a)) for a in iter_articles([inputs])]
    return evaluate(list(read_jsonl(gold)), records)


@pytest.fixture(scope="module")
def dev_report(dev_dir: Path) -> Report:
    return _score(dev_dir / "articles", dev_dir / "gold.jsonl")


@pytest.fixture(scope="module")
def seed_report(seed_gold: Path, seed_path: Path) -> Report:
    return _score(seed_path, seed_gold)


def test_dev_scores_entities(dev_report):
    assert dev_report.entities.f1 >= 0.90, dev_report.entities.to_dict()


def test_dev_scores_relations(dev_report):
    assert dev_report.relations.f1 >= 0.75, dev_report.relations.to_dict()


@pytest.mark.parametrize("type_", ENTITY_TYPES)
def test_dev_scores_every_type(dev_report, type_):
    counts = dev_report.by_type[type_]
    if counts.gold:
        assert counts.f1 >= 0.75, (type_, counts.to_dict())


def test_dev_scores_seed_entities(seed_report):
    assert seed_report.entities.f1 >= 0.90, seed_report.entities.to_dict()


def test_dev_scores_seed_relations(seed_report):
    assert seed_report.relations.f1 >= 0.80, seed_report.relations.to_dict()
