"""Score an extraction export against gold JSON lines, matching as the annotation guide says.

Entities match on type and any shared form (NFKC, no white space); for Meeting, Project,
Policy and Industry a form containing, or contained in, a gold form of at least half its
length also matches. Relations match on head (or an ``alt_heads`` entry), relation and tail
(or an ``alt_tails`` entry); ``held_on`` compares month and day, and the year where both
give one. Scores are micro P/R/F1 over unique pairs per article, plus per type and relation.

>>> report = evaluate_files("gold.jsonl", "pred.jsonl")   # doctest: +SKIP
>>> print(format_report(report))                          # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .types import ENTITY_TYPES, RELATION_TYPES

PARTIAL_TYPES = frozenset({"Meeting", "Project", "Policy", "Industry"})


def norm(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _forms(entity: dict[str, Any]) -> set[str]:
    return {f for f in (norm(entity.get("name", "")), *(norm(a) for a in entity.get("aliases", []))) if f}


def _partial(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short in long_ and 2 * len(short) >= len(long_)


def match_score(pred_forms: set[str], gold_forms: set[str], type_: str) -> int:
    """2 for an exact shared form, 1 for an allowed partial match, 0 for none."""
    if pred_forms & gold_forms:
        return 2
    if type_ in PARTIAL_TYPES and any(_partial(p, g) for p in pred_forms for g in gold_forms):
        return 1
    return 0


@dataclass
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    def to_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "pred": self.pred, "gold": self.gold,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Report:
    entities: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_relation: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[dict[str, Any]] = field(default_factory=list)  # gold items not found
    false_hits: list[dict[str, Any]] = field(default_factory=list)  # predictions not in gold
    articles: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "entities": self.entities.to_dict(),
            "relations": self.relations.to_dict(),
            "by_type": {k: v.to_dict() for k, v in sorted(self.by_type.items())},
            "by_relation": {k: v.to_dict() for k, v in sorted(self.by_relation.items())},
            "misses": self.misses,
            "false_hits": self.false_hits,
        }


def _best_gold(forms: set[str], type_: str, gold: list[dict[str, Any]]) -> dict[str, Any] | None:
    best, best_score = None, 0
    for g in gold:
        if g["type"] != type_:
            continue
        score = match_score(forms, _forms(g), type_)
        if score > best_score:
            best, best_score = g, score
            if score == 2:
                break
    return best


def _dates_match(pred: str | None, gold: str | None) -> bool:
    def parts(v: str | None) -> tuple[str | None, str | None]:
        v = (v or "").strip()
        m = re.fullmatch(r"(\d{4})?-?-?(\d{2})-(\d{2})", v)
        if not m:
            return None, None
        return m.group(1), f"{m.group(2)}-{m.group(3)}"

    py, pmd = parts(pred)
    gy, gmd = parts(gold)
    return pmd is not None and pmd == gmd and (py is None or gy is None or py == gy)


def score_article(gold: dict[str, Any], pred: dict[str, Any], report: Report) -> None:
    """Add one article's counts (and its misses and false hits) to ``report``."""
    source = gold.get("source", "")
    gold_entities = gold.get("entities", [])
    gold_by_id = {g["id"]: g for g in gold_entities}
    # entity -> gold id (or None); predictions keyed by id and by every form
    pred_to_gold: dict[str, str | None] = {}
    pred_items: dict[str, set[Any]] = defaultdict(set)
    for p in pred.get("entities", []):
        forms = _forms(p)
        g = _best_gold(forms, p["type"], gold_entities)
        key = g["id"] if g else ("?", norm(p.get("name", "")))
        pred_to_gold[p.get("id", p.get("name", ""))] = g["id"] if g else None
        if key not in pred_items[p["type"]]:
            pred_items[p["type"]].add(key)
            if g is None:
                report.false_hits.append({"source": source, "kind": "entity", "type": p["type"],
                                          "name": p.get("name")})
    matched_gold = {k for keys in pred_items.values() for k in keys if isinstance(k, str)}
    for type_ in set(pred_items) | {g["type"] for g in gold_entities}:
        c = Counts(
            tp=sum(1 for k in pred_items.get(type_, ()) if isinstance(k, str)),
            pred=len(pred_items.get(type_, ())),
            gold=sum(1 for g in gold_entities if g["type"] == type_),
        )
        report.by_type[type_].add(c)
        report.entities.add(c)
    for g in gold_entities:
        if g["id"] not in matched_gold:
            report.misses.append({"source": source, "kind": "entity", "type": g["type"],
                                  "name": g["name"]})

    def resolve_ref(ref: str | None) -> Any:
        if ref is None:
            return None
        if ref in pred_to_gold:
            return pred_to_gold[ref] or ("?", ref)
        forms = {norm(ref)}
        for g in gold_entities:  # a bare name: match it against any gold entity's forms
            if match_score(forms, _forms(g), g["type"]):
                return g["id"]
        return ("?", norm(ref))

    # Unique (head, relation, tail) per article: ``title`` is not scored, so two gold lines that
    # differ only in title are one fact.
    gold_relations, seen_gold = [], set()
    for gr in gold.get("relations", []):
        key = (gr.get("head"), gr.get("relation"), gr.get("tail"), gr.get("value"))
        if key not in seen_gold:
            seen_gold.add(key)
            gold_relations.append(gr)
    matched: set[int] = set()
    seen_pred: dict[str, set[Any]] = defaultdict(set)
    for r in pred.get("relations", []):
        rel = r.get("relation")
        head = resolve_ref(r.get("head"))
        tail = resolve_ref(r.get("tail")) if rel != "held_on" else None
        hit = None
        for i, gr in enumerate(gold_relations):
            if gr.get("relation") != rel:
                continue
            if head not in {gr.get("head"), *gr.get("alt_heads", [])}:
                continue
            if rel == "held_on":
                if not _dates_match(r.get("value"), gr.get("value")):
                    continue
            elif tail not in {gr.get("tail"), *gr.get("alt_tails", [])}:
                continue
            hit = i
            break
        key = ("gold", hit) if hit is not None else (head, tail, r.get("value"))
        if key in seen_pred[rel]:
            continue
        seen_pred[rel].add(key)
        if hit is not None:
            matched.add(hit)
        else:
            report.false_hits.append({"source": source, "kind": "relation", "relation": rel,
                                      "head": r.get("head_name") or r.get("head"),
                                      "tail": r.get("tail_name") or r.get("tail"),
                                      "value": r.get("value")})
    for rel in set(seen_pred) | {gr.get("relation") for gr in gold_relations}:
        c = Counts(
            tp=sum(1 for k in seen_pred.get(rel, ()) if k[0] == "gold"),
            pred=len(seen_pred.get(rel, ())),
            gold=sum(1 for gr in gold_relations if gr.get("relation") == rel),
        )
        report.by_relation[rel].add(c)
        report.relations.add(c)
    for i, gr in enumerate(gold_relations):
        if i not in matched:
            head = gold_by_id.get(gr.get("head"), {}).get("name", gr.get("head"))
            tail = gold_by_id.get(gr.get("tail"), {}).get("name", gr.get("tail"))
            report.misses.append({"source": source, "kind": "relation", "relation": gr.get("relation"),
                                  "head": head, "tail": tail, "value": gr.get("value")})


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot open: {exc.strerror}") from exc
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}", f"not valid JSON ({exc.msg})") from exc


def evaluate(gold: Iterable[dict[str, Any]], pred: Iterable[dict[str, Any]]) -> Report:
    """Score predicted records against gold records, pairing them by ``source``.

    An article in gold with no prediction counts every gold item as missed.
    """
    by_source = {p.get("source"): p for p in pred}
    report = Report()
    for g in gold:
        report.articles += 1
        score_article(g, by_source.get(g.get("source"), {"entities": [], "relations": []}), report)
    return report


def evaluate_files(gold_path: str | Path, pred_path: str | Path) -> Report:
    """Score a prediction file against a gold file (both the guide's JSON lines).

    >>> evaluate_files("gold.jsonl", "pred.jsonl").entities.f1   # doctest: +SKIP
    0.93
    """
    return evaluate(list(read_jsonl(gold_path)), list(read_jsonl(pred_path)))


def format_report(report: Report, errors: int = 0) -> str:
    """A plain-text table: totals, per type, per relation, then up to ``errors`` misses/false hits."""
    lines = [f"articles: {report.articles}",
             f"{'':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"]

    def row(name: str, c: Counts) -> str:
        return (f"{name:24} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                f"{c.tp:5d} {c.pred:5d} {c.gold:5d}")

    lines.append(row("ENTITIES", report.entities))
    lines.append(row("RELATIONS", report.relations))
    lines.append("-- entity types")
    order = [t for t in ENTITY_TYPES if t in report.by_type] + sorted(set(report.by_type) - set(ENTITY_TYPES))
    lines += [row("  " + t, report.by_type[t]) for t in order]
    lines.append("-- relations")
    order = [r for r in RELATION_TYPES if r in report.by_relation] + sorted(
        set(report.by_relation) - set(RELATION_TYPES))
    lines += [row("  " + r, report.by_relation[r]) for r in order]
    if errors:
        lines.append(f"-- misses (first {errors} of {len(report.misses)})")
        lines += ["  " + json.dumps(m, ensure_ascii=False) for m in report.misses[:errors]]
        lines.append(f"-- false hits (first {errors} of {len(report.false_hits)})")
        lines += ["  " + json.dumps(m, ensure_ascii=False) for m in report.false_hits[:errors]]
    return "\n".join(lines)
