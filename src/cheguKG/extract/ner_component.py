"""Component "ner": the CRF model proposes the names no dictionary or rule knew.

The model runs on every sentence, reusing the segmenter's jieba tokens and the lexicon's
matches as features. It is conservative by design, because rules written for the genre are
more precise than a model trained on Sina news: a model span is proposed only where no
earlier component claimed any overlapping text, only for the types and above the
confidence listed in data/models/ner_types.tsv, and always at a lower confidence than the
rules (so the consolidator prefers a rule's reading of the same span).

>>> pipeline.insert_before("consolidate", NerComponent())   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import threading
from bisect import bisect_left
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from .workspace import Workspace

#: Model confidences are scaled into (0, CEILING], below the rules' and lexicons' 0.9-1.0.
CEILING = 0.7

_lock = threading.Lock()
_models: dict[str, object] = {}


def default_types_path() -> Path:
    from ..resources import model_dir

    return model_dir() / "ner_types.tsv"


def load_thresholds(path: Path | None = None) -> dict[str, float]:
    """``type<TAB>min_confidence`` rows: which model types the pipeline uses, from what confidence."""
    path = Path(path) if path else default_types_path()
    thresholds: dict[str, float] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
                if not row or not row[0].strip() or row[0].startswith("#") or row[0] == "type":
                    continue
                try:
                    thresholds[row[0].strip()] = float(row[1])
                except (IndexError, ValueError) as exc:
                    raise ConfigError(f"{path}:{lineno}: expected 'type<TAB>min_confidence', "
                                      f"got {row!r}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the NER type table: {exc.strerror}") from exc
    return thresholds


def _model(path: Path | None):
    from ..ner import NerModel

    key = str(path or "")
    with _lock:
        if key not in _models:
            _models[key] = NerModel.load(path)
        return _models[key]


class NerComponent:
    """Component: CRF spans where the rules and dictionaries found nothing."""

    name = "ner"

    def __init__(self, model_path: Path | None = None, thresholds: Mapping[str, float] | None = None):
        self.model_path = Path(model_path) if model_path else None
        self.thresholds = dict(thresholds) if thresholds is not None else load_thresholds()

    def __call__(self, ws: Workspace) -> None:
        if not self.thresholds or not ws.sentences:
            return
        model = _model(self.model_path)
        claimed = [(c.start, c.end) for c in ws.candidates]
        lexicon = [(c.start, c.end, c.type) for c in ws.candidates if c.extractor == "lexicon"]
        starts = [t.start for t in ws.tokens]
        for s in ws.sentences:
            words = self._words(ws, starts, s.start, s.end)
            matches = [(a - s.start, b - s.start, t) for a, b, t in lexicon if a >= s.start and b <= s.end]
            for start, end, type_, conf in model.tag_scored(s.text, words, matches):
                start, end = start + s.start, end + s.start
                floor = self.thresholds.get(type_)
                if floor is None or conf < floor:
                    continue
                if any(start < b and a < end for a, b in claimed):
                    continue
                ws.add(type_, start, end, self.name, confidence=round(CEILING * conf, 4))

    @staticmethod
    def _words(ws: Workspace, starts: list[int], start: int, end: int) -> list[tuple[str, str]] | None:
        """The segmenter's tokens for one sentence, or None (the model segments) if they do
        not cover it exactly."""
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = [(t.text, t.pos) for t in ws.tokens[lo:hi]]
        if sum(len(w) for w, _ in words) != end - start:
            return None
        return words


def ner_components(config) -> list[NerComponent]:
    """The NER component for ``default_pipeline``: one when ``config.use_ner``, else none."""
    return [NerComponent()] if getattr(config, "use_ner", True) else []
