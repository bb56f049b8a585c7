"""Word lists the rules read from data/rules/*.txt (one item a line, ``#`` comments).

Researchers tune these files, not the code: surnames, title parts, suffixes, stop lists.

>>> "王" in word_set("surnames")   # doctest: +SKIP
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import ConfigError


@lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    """The items of data/rules/``name``.txt in file order (blank lines and comments dropped)."""
    from ..resources import data_dir

    path = data_dir() / "rules" / f"{name}.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read word list ({exc.strerror}); reinstall cheguKG") from exc
    items = []
    for line in lines:
        line = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
        if line:
            items.append(line)
    return tuple(items)


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    return frozenset(word_list(name))


def alternation(items, *, escape: bool = True) -> str:
    """A regex alternation, longest first (Python's ``|`` takes the first branch that fits)."""
    forms = sorted(set(items), key=lambda s: (-len(s), s))
    return "|".join(re.escape(f) if escape else f for f in forms)
