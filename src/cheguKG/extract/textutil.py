"""Small helpers the rule components share: token boundaries, character classes, the gazetteer."""

from __future__ import annotations

import re
from functools import lru_cache

from .workspace import Workspace, covering

HAN = "\u4e00-\u9fff"
HAN_RE = re.compile(f"[{HAN}]")
SPACES = " \u3000\t\xa0"


def is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def boundaries(ws: Workspace) -> tuple[frozenset[int], frozenset[int]]:
    """(token starts, token ends) of the jieba segmentation, computed once per article."""
    cached = ws.notes.get("_boundaries")
    if cached is None:
        starts = frozenset(t.start for t in ws.tokens)
        ends = frozenset(t.end for t in ws.tokens)
        cached = ws.notes["_boundaries"] = (starts, ends)
    return cached


def token_at(ws: Workspace, offset: int):
    """The jieba token covering ``offset`` (binary search), or None."""
    i = covering(ws.tokens, offset)
    return ws.tokens[i] if i >= 0 else None


@lru_cache(maxsize=1)
def place_forms() -> frozenset[str]:
    """Every Place name and alias of the installed lexicons (for boundary decisions)."""
    from .lexicon import Lexicon, default_lexicon_paths

    lex = Lexicon.load(default_lexicon_paths())
    return frozenset(f for f, pairs in lex.entries.items() if any(t == "Place" for t, _ in pairs))
