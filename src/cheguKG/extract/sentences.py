"""Sentence splitting that keeps offsets: lines, then 。！？；!? (closing quotes stay attached)."""

from __future__ import annotations

import re

from ..types import Sentence
from .pipeline import component
from .workspace import Workspace

_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』\"')）]*|\n|$)")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; blank stretches are skipped, offsets index ``text``.

    >>> [s.text for s in split_sentences("甲。乙！\\n丙")]
    ['甲。', '乙！', '丙']
    """
    out: list[Sentence] = []
    for m in _END.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(len(out), start, end, text[start:end]))
    return out


@component("sentences")
def sentence_splitter(ws: Workspace) -> None:
    ws.sentences = split_sentences(ws.text)
