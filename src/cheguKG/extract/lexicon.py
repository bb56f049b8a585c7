"""Dictionary matching: every lexicon entry found in the text becomes a candidate mention.

Lexicons are TSV files a researcher can extend (``type<TAB>name<TAB>alias|alias``); matching
uses one Aho-Corasick automaton (a long regex alternation is slower than jieba itself).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..types import ENTITY_TYPES
from .workspace import Workspace


@dataclass
class Lexicon:
    """Surface form -> (type, canonical name) entries, from one or more TSV files."""

    entries: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, type_: str, name: str, aliases: Iterable[str] = ()) -> None:
        for form in (name, *aliases):
            form = form.strip()
            if form:
                pairs = self.entries.setdefault(form, [])
                if (type_, name) not in pairs:
                    pairs.append((type_, name))

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Lexicon:
        lex = cls()
        for path in paths:
            lex.extend_from(Path(path))
        return lex

    def extend_from(self, path: Path) -> None:
        try:
            with open(path, encoding="utf-8") as fh:
                for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
                    if not row or not row[0].strip() or row[0].startswith("#") or row[0] == "type":
                        continue
                    if len(row) < 2 or row[0] not in ENTITY_TYPES:
                        raise ConfigError(
                            f"{path}:{lineno}: expected 'type<TAB>name[<TAB>alias|alias]' with a type "
                            f"from {', '.join(ENTITY_TYPES)}; got {row!r}"
                        )
                    aliases = row[2].split("|") if len(row) > 2 else []
                    self.add(row[0], row[1].strip(), aliases)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read lexicon: {exc.strerror}") from exc

    def automaton(self):
        import ahocorasick

        auto = ahocorasick.Automaton()
        for form, pairs in self.entries.items():
            auto.add_word(unicodedata.normalize("NFKC", form), (len(form), pairs))
        if len(auto):
            auto.make_automaton()
        return auto


def default_lexicon_paths(extra: Iterable[Path] = ()) -> list[Path]:
    from ..resources import lexicon_dir

    return sorted(lexicon_dir().glob("*.tsv")) + [Path(p) for p in extra]


class LexiconMatcher:
    """Component: proposes a candidate for each lexicon form found in the (NFKC) text."""

    name = "lexicon"

    def __init__(self, lexicon: Lexicon, types: Iterable[str] | None = None):
        self.lexicon = lexicon
        self.types = set(types) if types else None
        self._auto = lexicon.automaton()

    def __call__(self, ws: Workspace) -> None:
        if not len(self._auto):
            return
        text = unicodedata.normalize("NFKC", ws.text)
        if len(text) != len(ws.text):  # NFKC changed lengths: fall back to the raw text
            text = ws.text
        starts = frozenset(t.start for t in ws.tokens)
        ends = frozenset(t.end for t in ws.tokens)
        tags = _word_tags() if ws.tokens else {}
        for end_idx, (length, pairs) in self._auto.iter(text):
            start, end = end_idx - length + 1, end_idx + 1
            form = text[start:end]
            for type_, name in pairs:
                if self.types is not None and type_ not in self.types:
                    continue
                if ws.tokens and (length <= 2 or (type_ == "Place" and (form != name or length <= 3))):
                    # short forms must be whole words: 合作 is no 合作市, 武汉市民 holds no 武汉市
                    organ_next = text.startswith(("委", "政府", "人大", "政协", "党"), end)
                    party_next = text[start - 2:start] == "中共"  # 中共湖北省委
                    if (start not in starts and not party_next) or (end not in ends and not organ_next):
                        continue
                    tag = tags.get(form)
                    if type_ == "Place" and form != name and tag is not None and not tag.startswith("n"):
                        continue
                ws.add(type_, start, end, self.name, confidence=0.9, name=name)


def _word_tags() -> dict[str, str]:
    from .segment import tokenizer

    return tokenizer().word_tag_tab
