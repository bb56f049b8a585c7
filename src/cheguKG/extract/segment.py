"""jieba segmentation with the project's domain dictionary, warmed once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from .workspace import Token, Workspace

_lock = threading.Lock()
_tokenizers: dict[tuple[str, ...], object] = {}


def tokenizer(user_dicts: tuple[Path, ...] = ()):
    """A jieba POS tokenizer with ``user_dicts`` loaded; built once per process and reused.

    Warming jieba costs ~2 s, so it happens here, when a segmenter is first made, not at import.
    """
    key = tuple(str(p) for p in user_dicts)
    with _lock:
        if key not in _tokenizers:
            import logging

            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            for path in user_dicts:
                tk.load_userdict(str(path))
            tk.initialize()
            for word in _field_words():  # 智能网联 is one word, not 智能网|联
                tk.add_word(word, tag="n")
            for word in ZONE_WORDS:  # 武汉|经开区, not 武汉|经|开|区
                tk.add_word(word, tag="n")
            _tokenizers[key] = jieba.posseg.POSTokenizer(tk)
        return _tokenizers[key]


#: Zone words jieba does not know; without them 经开区 falls apart into single characters.
ZONE_WORDS = ("经开区", "高新区", "自贸区", "综保区", "开发区", "示范区", "功能区", "片区")


def _field_words() -> list[str]:
    """Industry names and aliases of the lexicon (data/lexicons/industries.tsv), as nouns."""
    from ..resources import lexicon_dir

    words = []
    path = lexicon_dir() / "industries.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 2 or cols[0] != "Industry":
                continue
            forms = (cols[1], *(cols[2].split("|") if len(cols) > 2 else ()))
            words += [w for w in forms if len(w) >= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in w)]
    return words


class Segmenter:
    """Component: fills ``ws.tokens`` with jieba words and POS tags, offsets into the text."""

    name = "segment"

    def __init__(self, user_dicts: tuple[Path, ...] = (), hmm: bool = False):
        self.user_dicts = tuple(user_dicts)
        self.hmm = hmm

    def __call__(self, ws: Workspace) -> None:
        pos_tokenizer = tokenizer(self.user_dicts)
        tokens: list[Token] = []
        for s in ws.sentences:
            offset = s.start
            for pair in pos_tokenizer.cut(s.text, HMM=self.hmm):
                word, flag = pair.word, pair.flag
                tokens.append(Token(offset, offset + len(word), word, flag))
                offset += len(word)
        ws.tokens = tokens
