"""The CRF character tagger: train on CLUENER2020, tag text into guide-typed spans.

>>> model = NerModel.load()                      # doctest: +SKIP
>>> model.tag("岚图汽车CEO卢放表示")              # doctest: +SKIP
[(0, 4, 'Enterprise'), (4, 7, 'Position'), (7, 9, 'Person')]
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .features import FEATURE_VERSIONS, lexicon_tags, sentence_features

#: CLUENER label -> the annotation guide's entity type; other CLUENER labels are dropped.
LABEL_MAP: dict[str, str] = {
    "name": "Person",
    "company": "Enterprise",
    "government": "GovernmentBody",
    "organization": "Organization",
    "position": "Position",
    "address": "Place",
}
TYPES: tuple[str, ...] = tuple(LABEL_MAP.values())

#: Training defaults: L1 keeps the model small, L2 smooths it; measured on the 1,000-line holdout.
DEFAULT_PARAMS: dict[str, float] = {"c1": 0.05, "c2": 0.01, "max_iterations": 150,
                                    "feature.minfreq": 1}
DEFAULT_SCHEME = "BIOES"
#: Feature set of new trainings; a model's own set is read from its sidecar JSON.
DEFAULT_FEATURES = 1
#: ``tag`` drops a span when any of its characters' labels has a marginal probability below
#: this: the model abstains where it doubts its own best path more than it believes it. Not a
#: tuned value but "more likely than not"; on the 1,000-line holdout it raised macro-F1 by
#: ~0.007 (precision up, recall a little down). ``tag_scored`` returns every span.
DEFAULT_MIN_CONFIDENCE = 0.5

Span = tuple[int, int, str]


def default_model_path() -> Path:
    from ..resources import model_dir

    return model_dir() / "ner.crfsuite"


@dataclass
class Example:
    """One CLUENER sentence: its text and guide-typed (start, end, type) spans, end exclusive."""

    text: str
    spans: list[Span] = field(default_factory=list)


def read_cluener(path: str | Path, auxiliary: bool = False) -> list[Example]:
    """A CLUENER JSON-lines file -> examples with the six mapped labels.

    The other CLUENER labels (book, game, movie, scene) are dropped, or with ``auxiliary``
    kept as ``_book`` etc.: a model trained on them learns that a game or a scenic spot is
    not a company or an address, and its output drops them. CLUENER spans are inclusive
    ``[start, end]``; ours are end-exclusive.
    """
    examples = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                spans = [(s, e + 1, LABEL_MAP.get(label, f"_{label}"))
                         for label, names in (record.get("label") or {}).items()
                         if label in LABEL_MAP or auxiliary
                         for positions in names.values() for s, e in positions]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ConfigError(f"{path}:{lineno}: not a CLUENER record "
                                  f"({{'text', 'label': {{label: {{name: [[s, e]]}}}}}}): {exc}") from exc
            examples.append(Example(text, sorted(set(spans))))
    return examples


def spans_to_bio(length: int, spans: Iterable[Span], scheme: str = "BIO") -> list[str]:
    """Per-character labels (BIO, or BIOES with E- ends and S- singles); a span overlapping
    an earlier (longer-first) one is skipped."""
    tags = ["O"] * length
    for start, end, type_ in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < 0 or end > length or end <= start or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{type_}"
        for i in range(start + 1, end):
            tags[i] = f"I-{type_}"
        if scheme == "BIOES":
            if end - start == 1:
                tags[start] = f"S-{type_}"
            else:
                tags[end - 1] = f"E-{type_}"
    return tags


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """BIO or BIOES labels -> spans; a stray I-/E- starts a span of its own."""
    spans: list[Span] = []
    start, current = -1, None
    for i, tag in enumerate([*tags, "O"]):
        kind, _, type_ = tag.partition("-")
        if current is not None and (kind not in ("I", "E") or type_ != current):
            spans.append((start, i, current))
            current = None
        if kind in ("B", "S") or (kind in ("I", "E") and current is None):
            start, current = i, type_
        if kind in ("S", "E"):
            spans.append((start, i + 1, current))
            current = None
    return spans


#: jieba dictionary words of these POS tags are matched as a gazetteer (names, places,
#: organisations), overlapping alternatives included, not only the segmenter's one path.
GAZETTEER_POS = frozenset({"nr", "nrt", "ns", "nt", "nz"})
USE_GAZETTEER = True


_gazetteers: dict[int, object] = {}


def _gazetteer(pos_tokenizer):
    """One automaton per jieba tokenizer, built once per process (~1 s)."""
    key = id(pos_tokenizer)
    if key not in _gazetteers:
        _gazetteers[key] = _build_gazetteer(pos_tokenizer)
    return _gazetteers[key]


def _build_gazetteer(pos_tokenizer):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for word, flag in pos_tokenizer.word_tag_tab.items():
        if flag in GAZETTEER_POS and len(word) >= 2:
            auto.add_word(word, (len(word), f"jb.{flag}"))
    auto.make_automaton()
    return auto


class _Context:
    """What feature extraction needs besides the text: the jieba tokenizer and lexicons."""

    def __init__(self, lexicon_paths: Sequence[Path] | None = None, gazetteer: bool | None = None,
                 version: int = 1):
        from ..extract.lexicon import Lexicon, default_lexicon_paths
        from ..extract.segment import tokenizer

        self.pos = tokenizer()
        if version not in FEATURE_VERSIONS:
            raise ConfigError(f"NER feature set {version} is unknown (known: {FEATURE_VERSIONS}): "
                              "fix 'features' in the model's .json sidecar or retrain it")
        self.version = version
        paths = default_lexicon_paths() if lexicon_paths is None else list(lexicon_paths)
        self.lexicon_files = [str(p) for p in paths]
        self.automaton = Lexicon.load(paths).automaton()
        use = USE_GAZETTEER if gazetteer is None else gazetteer
        self.gazetteer = _gazetteer(self.pos) if use else None

    def words(self, text: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in self.pos.cut(text, HMM=False)]

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        if not len(self.automaton):
            return []
        import unicodedata

        norm = unicodedata.normalize("NFKC", text)
        if len(norm) != len(text):
            norm = text
        return [(end - length + 1, end + 1, type_)
                for end, (length, pairs) in self.automaton.iter(norm) for type_ in {t for t, _ in pairs}]

    def gazetteer_matches(self, text: str) -> list[tuple[int, int, str]]:
        if self.gazetteer is None:
            return []
        return [(end - length + 1, end + 1, tag) for end, (length, tag) in self.gazetteer.iter(text)]

    def features(self, text: str, words: Sequence[tuple[str, str]] | None = None,
                 matches: Iterable[tuple[int, int, str]] | None = None) -> list[list[str]]:
        words = self.words(text) if words is None else words
        if sum(len(w) for w, _ in words) != len(text):  # never fail on a segmenter surprise
            words = [(ch, "x") for ch in text]
        matches = self.matches(text) if matches is None else list(matches)
        lex = lexicon_tags(text, matches + self.gazetteer_matches(text), ends=self.version >= 2)
        return sentence_features(text, words, lex, version=self.version)


class NerModel:
    """A trained CRF tagger. ``tag(text)`` gives (start, end, type) spans in guide types."""

    def __init__(self, path: Path, context: _Context | None = None, min_confidence: float | None = None):
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(self.path))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self.path}: cannot open the NER model ({exc}): "
                              f"retrain it with `chegukg train-ner --out {self.path}`") from exc
        self._context = context
        self.features_version = model_features_version(self.path)
        self.min_confidence = (model_min_confidence(self.path) if min_confidence is None
                               else float(min_confidence))

    @classmethod
    def load(cls, path: str | Path | None = None, min_confidence: float | None = None) -> NerModel:
        """The model at ``path`` (default: the shipped data/models/ner.crfsuite)."""
        path = Path(path) if path else default_model_path()
        if not path.is_file():
            raise ConfigError(f"{path}: no NER model here: train one with "
                              f"`chegukg train-ner --data train.json --out {path}`")
        return cls(path, min_confidence=min_confidence)

    @property
    def context(self) -> _Context:
        if self._context is None:  # jieba and the lexicons load when first needed
            self._context = _Context(version=self.features_version)
        return self._context

    @property
    def labels(self) -> list[str]:
        return list(self._tagger.labels())

    def tag(self, text: str) -> list[Span]:
        """Entity spans in ``text``: (start, end exclusive, guide type), those the model is at
        least ``min_confidence`` sure of (see DEFAULT_MIN_CONFIDENCE)."""
        return [(s, e, t) for s, e, t, conf in self.tag_scored(text) if conf >= self.min_confidence]

    def tag_scored(self, text: str, words: Sequence[tuple[str, str]] | None = None,
                   matches: Iterable[tuple[int, int, str]] | None = None,
                   types: Iterable[str] | None = None) -> list[tuple[int, int, str, float]]:
        """Spans with a confidence: the lowest marginal probability of the span's labels.

        ``words`` (jieba pairs covering ``text``) and ``matches`` (lexicon spans) may be passed
        in when a pipeline has them already; ``types`` limits the spans to those types (their
        marginals are what costs: the pipeline wants two types of six).
        """
        if not text:
            return []
        feats = self.context.features(text, words, matches)
        tags = self._tagger.tag(feats)
        wanted = None if types is None else frozenset(types)
        out = []
        for s, e, t in bio_to_spans(tags):
            if t.startswith("_") or (wanted is not None and t not in wanted):
                continue  # an auxiliary CLUENER label (game, book, ...), or a type not asked for
            conf = min(self._tagger.marginal(tags[i], i) for i in range(s, e))
            out.append((s, e, t, conf))
        return out

    def tag_many(self, texts: Iterable[str]) -> list[list[Span]]:
        return [self.tag(t) for t in texts]


def sidecar_path(model: str | Path) -> Path:
    """The JSON next to a model (ner.crfsuite -> ner.json) recording how it was trained."""
    return Path(model).with_suffix(".json")


def _sidecar_value(model: str | Path, key: str, default, cast):
    """``cast(sidecar[key])`` from the model's sidecar JSON, or ``default`` without one."""
    side = sidecar_path(model)
    if not side.is_file():
        return default
    try:
        return cast(json.loads(side.read_text(encoding="utf-8")).get(key, default))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{side}: not a NER model sidecar ({exc}); fix or delete it") from exc


def model_min_confidence(model: str | Path) -> float:
    """The abstention threshold of ``tag``: ``min_confidence`` in the model's sidecar, else
    DEFAULT_MIN_CONFIDENCE."""
    return _sidecar_value(model, "min_confidence", DEFAULT_MIN_CONFIDENCE, float)


def model_features_version(model: str | Path) -> int:
    """The feature set a model was trained with: ``features`` in its sidecar, else 1."""
    return _sidecar_value(model, "features", 1, int)


def train(examples: Sequence[Example], out: str | Path, *, params: dict | None = None,
          seed: int = 13, lexicon_paths: Sequence[Path] | None = None,
          scheme: str = DEFAULT_SCHEME, features: int = DEFAULT_FEATURES) -> dict:
    """Train a CRF on ``examples`` and write it to ``out``; returns a summary dict.

    The example order is shuffled with ``seed`` (it matters for the SGD and perceptron
    algorithms; L-BFGS, the default, is deterministic either way), so a run is reproducible.
    """
    import pycrfsuite

    context = _Context(lexicon_paths, version=features)
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    trainer = pycrfsuite.Trainer(verbose=False)
    t0 = time.perf_counter()
    for idx in order:
        ex = examples[idx]
        if ex.text:
            trainer.append(context.features(ex.text), spans_to_bio(len(ex.text), ex.spans, scheme))
    features_seconds = time.perf_counter() - t0
    merged = {**DEFAULT_PARAMS, **(params or {})}
    trainer.set_params(merged)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t1 = time.perf_counter()
    trainer.train(str(out))
    summary = {
        "sentences": len(examples), "params": merged, "seed": seed, "scheme": scheme,
        "features": features,
        "types": sorted({sp[2] for ex in examples for sp in ex.spans}),
        "lexicons": [Path(p).name for p in context.lexicon_files],
        "feature_seconds": round(features_seconds, 1),
        "train_seconds": round(time.perf_counter() - t1, 1),
        "iterations": trainer.logparser.iterations[-1]["num"] if trainer.logparser.iterations else None,
        "size_bytes": out.stat().st_size,
    }
    side = sidecar_path(out)  # the tagger reads the feature set from here
    record = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else {}
    record["features"] = features
    side.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary
