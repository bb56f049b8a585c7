"""The public Python API; every CLI command is a thin adapter over one function here."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import InputError


@contextmanager
def atomic_output(path: str | Path):
    """Write to a temporary file beside ``path`` and rename it into place only on success,
    so a failed run never leaves a half-written file where a good one was."""
    if str(path) == "-":
        yield sys.stdout
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def extract_to(inputs: Iterable[str | Path], output: str | Path | IO[str] = "-", *, fmt: str = "jsonl",
               lexicons: Iterable[str | Path] = (), aliases: Iterable[str | Path] = (),
               use_ner: bool = True, encoding: str | None = None,
               on_error: Callable[[InputError], None] | None = None) -> int:
    """Extract every article in ``inputs`` and write one JSON line per article; returns the
    number of inputs that failed (each reported through ``on_error``).

    >>> extract_to(["data/corpus"], "pred.jsonl")   # doctest: +SKIP
    0
    """
    from .export import article_record
    from .extract import ExtractConfig, extract
    from .ingest import iter_articles

    config = ExtractConfig(tuple(Path(p) for p in lexicons), tuple(Path(p) for p in aliases), use_ner)
    failures = 0

    def failed(exc: InputError) -> None:
        nonlocal failures
        failures += 1
        if on_error:
            on_error(exc)

    with atomic_output(output) as fh:
        for article in iter_articles(inputs, failed, encoding):
            doc = extract(article, config)
            record = article_record(doc) if fmt == "jsonl" else doc.to_dict()
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures
