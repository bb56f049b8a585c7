"""Where the project's data files live, installed or in a checkout.

A wheel carries data/ and ontology/ inside the package (pyproject force-include); an
editable install reads them from the repository root.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cheguKG's {name}/ folder is missing: reinstall the package")


@lru_cache(maxsize=None)
def data_dir() -> Path:
    """data/: the embedded corpus, lexicons, alias table and trained models."""
    return _find("data")


@lru_cache(maxsize=None)
def ontology_dir() -> Path:
    """ontology/: the OWL ontology and SHACL shapes."""
    return _find("ontology")


def default_corpus() -> Path:
    """The embedded default input (the seed article)."""
    return data_dir() / "corpus"


def lexicon_dir() -> Path:
    return data_dir() / "lexicons"


def queries_dir() -> Path:
    """Ready competency queries (.rq)."""
    return data_dir() / "queries"


def model_dir() -> Path:
    return data_dir() / "models"
