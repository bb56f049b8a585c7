"""cheguKG: knowledge graphs from Chinese local-government news articles.

Heavy libraries (jieba, pyoxigraph, pandas, pyvis) load on first use, not at import.
"""

from __future__ import annotations

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

__all__ = ["Article", "ArticleDoc", "CanonicalEntity", "Entity", "Mention", "Relation", "Sentence",
           "__version__"]
