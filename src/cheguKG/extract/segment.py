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
            _tokenizers[key] = jieba.posseg.POSTokenizer(tk)
        return _tokenizers[key]


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
