"""Component "ner": the CRF model proposes the names no dictionary or rule knew.

The model runs on every sentence, reusing the segmenter's jieba tokens and the lexicon's
matches as features. It is conservative by design, because rules written for the genre are
more precise than a model trained on Sina news. A model span is proposed only
- for the types, and above the confidence, listed in data/models/ner_types.tsv;
- where no earlier component claimed any overlapping text;
- when it starts and ends on jieba word boundaries and holds no punctuation or space;
- when it is not made only of ordinary dictionary words (老旧小区, 招商智慧), except for
  government bodies, which must instead end like one (局, 委, 办, ...);
- for a Person, when it is 2-4 Han characters starting with a surname, not one dictionary
  word (许可证), and no byline cue (记者, 通讯员, 编辑, ...) stands just before it;
and always at a lower confidence than the rules (so the consolidator prefers a rule's
reading of the same span). The cue and suffix lists are data/models/ner_filters.tsv.

>>> pipeline.insert_before("consolidate", NerComponent())   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import re
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


#: POS tags of jieba dictionary words that are names, not ordinary words.
NAME_POS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "x", "eng", "m"})
_PUNCT_OK = frozenset("·・()（）")
#: conjunctions, prepositions, adverbs: no name is built with them (党和政府, 正确处理政府)
_FUNCTION_POS = frozenset({"c", "p", "d", "ad", "u", "uj", "ul", "r"})
_ORDINARY_SINGLE_POS = frozenset({"a", "v", "vn", "n", "q", "f", "b"})
_SEPARATORS = re.compile(r"[\s、,，:：/;；【】\[\]]+")


def _ordinary(word: str, pos: str) -> bool:
    """An everyday word, not part of a name: a dictionary word of an ordinary class."""
    if pos in NAME_POS:
        return False
    return len(word) >= 2 or pos in _ORDINARY_SINGLE_POS


def default_filters_path() -> Path:
    from ..resources import model_dir

    return model_dir() / "ner_filters.tsv"


def load_filters(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """``kind<TAB>value`` rows -> {kind: values}, longest value first."""
    path = Path(path) if path else default_filters_path()
    found: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) >= 2 and row[0].strip() and not row[0].startswith("#") and row[0] != "kind":
                    found.setdefault(row[0].strip(), []).append(row[1].strip())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the NER filter table: {exc.strerror}") from exc
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in found.items()}


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

    #: characters before a Person span searched for a byline cue
    byline_window = 16

    def __init__(self, model_path: Path | None = None, thresholds: Mapping[str, float] | None = None,
                 filters: Mapping[str, tuple[str, ...]] | None = None):
        self.model_path = Path(model_path) if model_path else None
        self.thresholds = dict(thresholds) if thresholds is not None else load_thresholds()
        self.filters = dict(filters) if filters is not None else load_filters()
        self._surname_cache: frozenset[str] | None = None

    def __call__(self, ws: Workspace) -> None:
        if not self.thresholds or not ws.sentences:
            return
        model = _model(self.model_path)
        claimed = [(c.start, c.end) for c in ws.candidates]
        lexicon = [(c.start, c.end, c.type) for c in ws.candidates if c.extractor == "lexicon"]
        starts = [t.start for t in ws.tokens]
        screen = set(self.thresholds) <= _SCREENED
        for s in ws.sentences:
            words = self._words(ws, starts, s.start, s.end)
            if screen and words is not None and not self._may_propose(s.text, s.start, words, claimed):
                continue  # no span here could pass the checks: spare the CRF the sentence
            matches = [(a - s.start, b - s.start, t) for a, b, t in lexicon if a >= s.start and b <= s.end]
            if words is None:
                words = model.context.words(s.text)
            for start, end, type_, conf in model.tag_scored(s.text, words, matches, self.thresholds):
                floor = self.thresholds.get(type_)
                if floor is None or conf < floor or not self.plausible(s.text, words, start, end, type_):
                    continue
                start, end = start + s.start, end + s.start
                if any(start < b and a < end for a, b in claimed):
                    continue
                ws.add(type_, start, end, self.name, confidence=round(CEILING * conf, 4))

    def _may_propose(self, text: str, offset: int, words: list[tuple[str, str]],
                     claimed: list[tuple[int, int]]) -> bool:
        """Whether any span of this sentence could pass :meth:`plausible` for the types in
        use (Person, GovernmentBody): some word no other component claimed either is a
        surname (a Person's first word: a surname listed, or one character jieba tags nr) or
        ends the text like a government body (局, 委, 政府, ...). In the genre most sentences
        have neither, and tagging them is most of the component's time; the output is the
        same as tagging every sentence (tests/test_ner.py checks it)."""
        free = [True] * len(text)
        for a, b in claimed:
            for i in range(max(a - offset, 0), min(b - offset, len(text))):
                free[i] = False
        person = "Person" in self.thresholds
        surnames = self._surname_set() if person else frozenset()
        body = self.filters.get("gov_suffix", ()) if "GovernmentBody" in self.thresholds else ()
        at = 0
        for word, pos in words:
            end = at + len(word)
            if person and free[at] and (word in surnames or (len(word) == 1 and pos == "nr")):
                return True
            if body and free[end - 1] and text.endswith(body, 0, end):
                return True
            at = end
        return False

    def _surname_set(self) -> frozenset[str]:
        if self._surname_cache is None:
            self._surname_cache = frozenset(self._surnames())
        return self._surname_cache

    def plausible(self, text: str, words: list[tuple[str, str]], start: int, end: int, type_: str) -> bool:
        """The genre checks a model span must pass (see the module docstring)."""
        span = text[start:end]
        if any(ch.isspace() or (not ch.isalnum() and ch not in _PUNCT_OK) for ch in span):
            return False
        if span.startswith(self.filters.get("generic_prefix", ())):
            return False
        inside = _words_inside(words, start, end)
        if inside is None:  # cuts a jieba word
            return False
        if any(pos in _FUNCTION_POS for _, pos in inside):
            return False
        if type_ == "GovernmentBody":
            return (len(span) > 2 and span.endswith(self.filters.get("gov_suffix", ()))
                    and not inside[-1][0].endswith(self.filters.get("gov_stop_word", ())))
        if all(_ordinary(w, pos) for w, pos in inside):
            return False
        if type_ == "Person":
            return self._person(text, inside, start, end)
        if type_ == "Enterprise":
            return not span.endswith(self.filters.get("enterprise_stop_suffix", ()))
        return True

    def _person(self, text: str, inside: list[tuple[str, str]], start: int, end: int) -> bool:
        """A Chinese name: 2-4 Han characters, unknown to the dictionary as one word, starting
        with a surname (listed, or a single character jieba tags nr); not in a byline (记者张三 李四) or a bracketed credit ((张三))."""
        span = text[start:end]
        if not 2 <= len(span) <= 4 or len(inside) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in span):
            return False
        first, first_pos = inside[0]
        if first not in self._surnames() and not (len(first) == 1 and first_pos == "nr"):
            return False
        before = text[max(0, start - self.byline_window):start]
        for cue in self.filters.get("byline_cue", ()):
            at = before.rfind(cue)
            if at >= 0 and all(len(chunk) <= 4 for chunk in _SEPARATORS.split(before[at + len(cue):])):
                return False
        after = text[end:end + 1]
        return not (after in (")", "）") and ("(" in before or "（" in before))

    def _surnames(self) -> tuple[str, ...]:
        if "surname" not in self.filters:
            from ..resources import data_dir

            path = data_dir() / "rules" / "surnames.txt"
            names = []
            if path.is_file():
                names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                         if ln.strip() and not ln.startswith("#")]
            self.filters["surname"] = tuple(sorted(names, key=len, reverse=True)) or ("",)
        return self.filters["surname"]

    @staticmethod
    def _words(ws: Workspace, starts: list[int], start: int, end: int) -> list[tuple[str, str]] | None:
        """The segmenter's tokens for one sentence, or None (the model segments) if they do
        not cover it exactly."""
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = [(t.text, t.pos) for t in ws.tokens[lo:hi]]
        if sum(len(w) for w, _ in words) != end - start:
            return None
        return words


#: The types whose checks :meth:`NerComponent._may_propose` knows: with only these in use,
#: sentences that cannot yield one are not tagged.
_SCREENED = frozenset({"Person", "GovernmentBody"})


def _words_inside(words: list[tuple[str, str]], start: int, end: int) -> list[tuple[str, str]] | None:
    """The words making up text[start:end], or None when the span cuts a word."""
    inside, offset = [], 0
    for word, pos in words:
        w_end = offset + len(word)
        if offset < end and w_end > start:
            if offset < start or w_end > end:
                return None
            inside.append((word, pos))
        if w_end >= end:
            break
        offset = w_end
    return inside


def ner_components(config) -> list[NerComponent]:
    """The NER component for ``default_pipeline``: one when ``config.use_ner``, else none."""
    return [NerComponent()] if getattr(config, "use_ner", True) else []
