"""cheguKG: knowledge graphs from Chinese local-government news articles.

>>> import cheguKG
>>> kg = cheguKG.build(out="out")        # the embedded seed article   # doctest: +SKIP
>>> kg.query_df("people")                # a competency query           # doctest: +SKIP

Heavy libraries (jieba, pyoxigraph, pandas, pyvis) load on first use, not at import.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .types import (  # noqa: E402  (plain data types are cheap)
    Article,
    ArticleDoc,
    CanonicalEntity,
    Entity,
    Mention,
    Relation,
    Sentence,
)

# Public name -> (module, attribute); loaded on first use to keep `import cheguKG` fast.
_LAZY = {
    "build": ("api", "build"),
    "open": ("api", "open_graph"),
    "KnowledgeGraph": ("api", "KnowledgeGraph"),
    "ExtractConfig": ("extract", "ExtractConfig"),
    "read": ("ingest", "read"),
    "iter_articles": ("ingest", "iter_articles"),
    "evaluate_files": ("evaluate", "evaluate_files"),
    "extract_to": ("api", "extract_to"),
    "CheguError": ("errors", "CheguError"),
}

__all__ = ["Article", "ArticleDoc", "CanonicalEntity", "Entity", "Mention", "Relation", "Sentence",
           "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cheguKG' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
