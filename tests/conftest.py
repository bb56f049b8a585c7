"""Shared fixtures: the repository, ../shared (tests needing it skip cleanly when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = REPO / "data" / "corpus" / "000_9dcdb9a84830e439.txt"
SEED_GOLD = SHARED / "annotation" / "seed.gold.jsonl"
DEV = SHARED / "corpus" / "dev"


def need_shared(path: Path = SHARED) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return need_shared(DEV)


@pytest.fixture(scope="session")
def seed_gold() -> Path:
    return need_shared(SEED_GOLD)
