"""The scorer matches as the annotation guide says."""

from __future__ import annotations

import json

import pytest

from cheguKG.evaluate import Report, evaluate, evaluate_files, format_report, match_score, score_article

GOLD = {
    "source": "a.txt",
    "entities": [
        {"id": "E1", "type": "Person", "name": "卢放", "aliases": []},
        {"id": "E2", "type": "Enterprise", "name": "岚图汽车", "aliases": ["岚图"]},
        {"id": "M1", "type": "Meeting", "name": "市委常委会会议", "aliases": ["市委常委会专题会议"]},
        {"id": "G1", "type": "GovernmentBody", "name": "市委常委会", "aliases": []},
        {"id": "P1", "type": "Policy", "name": "关于支持武汉经开区转型发展的若干措施", "aliases": []},
    ],
    "relations": [
        {"head": "E1", "relation": "holds_position", "tail": "E2", "title": "CEO"},
        {"head": "M1", "relation": "held_on", "value": "--12-09"},
        {"head": "M1", "relation": "adopts", "tail": "P1", "alt_heads": ["G1"]},
    ],
}


@pytest.mark.parametrize(
    "pred_forms, gold_forms, type_, expected",
    [
        ({"岚图"}, {"岚图汽车", "岚图"}, "Enterprise", 2),
        ({"岚图汽车有限公司"}, {"岚图汽车"}, "Enterprise", 0),  # containment only for four types
        ({"市委常委会会议"}, {"市委常委会专题会议"}, "Meeting", 0),  # not contained
        ({"常委会会议"}, {"市委常委会会议"}, "Meeting", 1),  # contained, at least half as long
        ({"会议"}, {"市委常委会会议"}, "Meeting", 0),  # contained but under half
        ({"新能源汽车产业"}, {"新能源汽车"}, "Industry", 1),
    ],
)
def test_evaluate_match_score(pred_forms, gold_forms, type_, expected):
    assert match_score(pred_forms, gold_forms, type_) == expected


def test_evaluate_perfect_prediction_scores_one():
    report = evaluate([GOLD], [GOLD])
    assert report.entities.f1 == 1.0
    assert report.relations.f1 == 1.0


def test_evaluate_aliases_names_and_full_width_match():
    pred = {
        "source": "a.txt",
        "entities": [
            {"id": "x", "type": "Enterprise", "name": "岚图", "aliases": []},
            {"id": "y", "type": "Person", "name": "卢 放", "aliases": []},  # white space removed
            {"id": "z", "type": "Place", "name": "武汉", "aliases": []},  # false hit
        ],
        "relations": [{"head": "卢放", "relation": "holds_position", "tail": "x"}],
    }
    report = Report()
    score_article(GOLD, pred, report)
    assert (report.entities.tp, report.entities.pred, report.entities.gold) == (2, 3, 5)
    assert report.relations.tp == 1
    assert {m["name"] for m in report.misses if m["kind"] == "entity"} == {
        "市委常委会会议", "市委常委会", "关于支持武汉经开区转型发展的若干措施"}
    assert [f["name"] for f in report.false_hits] == ["武汉"]


@pytest.mark.parametrize(
    "value, matches",
    [("2023-12-09", True), ("--12-09", True), ("2023-12-10", False), ("12月9日", False)],
)
def test_evaluate_held_on_compares_month_and_day(value, matches):
    gold = dict(GOLD, relations=[{"head": "M1", "relation": "held_on", "value": "--12-09"}])
    pred = {"source": "a.txt", "entities": [{"id": "m", "type": "Meeting", "name": "市委常委会会议"}],
            "relations": [{"head": "m", "relation": "held_on", "value": value}]}
    assert (evaluate([gold], [pred]).relations.tp == 1) is matches


def test_evaluate_alt_heads_count_once():
    pred = {"source": "a.txt",
            "entities": [{"id": "g", "type": "GovernmentBody", "name": "市委常委会"},
                         {"id": "m", "type": "Meeting", "name": "市委常委会会议"},
                         {"id": "p", "type": "Policy", "name": "《关于支持武汉经开区转型发展的若干措施》"}],
            "relations": [{"head": "g", "relation": "adopts", "tail": "p"},
                          {"head": "m", "relation": "adopts", "tail": "p"}]}
    report = evaluate([GOLD], [pred])
    assert report.by_relation["adopts"].tp == 1
    assert report.by_relation["adopts"].pred == 1  # both predictions hit the same gold fact


def test_evaluate_missing_article_counts_all_gold_as_missed():
    report = evaluate([GOLD], [])
    assert report.entities.recall == 0.0 and report.entities.gold == 5


def test_evaluate_files_and_table(tmp_path):
    gold, pred = tmp_path / "g.jsonl", tmp_path / "p.jsonl"
    gold.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    pred.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    text = format_report(evaluate_files(gold, pred), errors=5)
    assert "ENTITIES" in text and "holds_position" in text and "1.000" in text


def test_evaluate_gold_relations_differing_only_in_title_are_one_fact():
    gold = dict(GOLD, relations=[
        {"head": "E1", "relation": "holds_position", "tail": "E2", "title": "董事长"},
        {"head": "E1", "relation": "holds_position", "tail": "E2", "title": "总经理"},
    ])
    pred = {"source": "a.txt", "entities": GOLD["entities"],
            "relations": [{"head": "E1", "relation": "holds_position", "tail": "E2", "title": "董事长"}]}
    report = evaluate([gold], [pred])
    assert (report.relations.tp, report.relations.gold) == (1, 1)
