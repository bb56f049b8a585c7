"""The guide's JSON-lines record for one article (the evaluation export).

One line per article: ``source``, entities with ``mentions`` (end-exclusive offsets into the
article text) and relations naming their head and tail by local id (and by name, for reading).
"""

from __future__ import annotations

from typing import Any

from .types import ArticleDoc


def article_record(doc: ArticleDoc) -> dict[str, Any]:
    """ArticleDoc -> the guide's record; extra fields (offsets, extractor) are ignored by scorers."""
    names = {e.id: e.name for e in doc.entities}
    entities = [
        {
            "id": e.id,
            "type": e.type,
            "name": e.name,
            "aliases": list(e.aliases),
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "extractor": m.extractor}
                         for m in e.mentions],
        }
        for e in doc.entities
    ]
    relations = []
    for r in doc.relations:
        rel: dict[str, Any] = {"head": r.head, "relation": r.relation, "head_name": names.get(r.head)}
        if r.tail is not None:
            rel["tail"] = r.tail
            rel["tail_name"] = names.get(r.tail)
        if r.value is not None:
            rel["value"] = r.value
        if r.title is not None:
            rel["title"] = r.title
        rel["sentence"] = {"start": r.start, "end": r.end}
        rel["extractor"] = r.extractor
        relations.append(rel)
    record: dict[str, Any] = {"source": doc.article.source, "entities": entities, "relations": relations}
    if doc.article.published:
        record["published"] = doc.article.published
    return record
