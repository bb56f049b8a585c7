"""The extraction pipeline framework: named components, offsets, frozen output."""

from __future__ import annotations

import pytest

from cheguKG.errors import ExtractionError
from cheguKG.export import article_record
from cheguKG.extract import Pipeline, component, split_sentences
from cheguKG.extract.consolidate import Consolidator
from cheguKG.extract.sentences import sentence_splitter
from cheguKG.types import Article, ArticleDoc

SENTENCES = [
    ("甲。乙！丙", ["甲。", "乙！", "丙"]),
    ("他说:“好。”然后走了。", ["他说:“好。”", "然后走了。"]),
    ("标题\n\n正文第一句。正文第二句", ["标题", "正文第一句。", "正文第二句"]),
    ("   ", []),
]


@pytest.mark.parametrize("text, expected", SENTENCES)
def test_sentences_split_keeps_offsets(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_pipeline_names_failing_component():
    @component("broken")
    def broken(ws):
        raise ValueError("boom")

    with pytest.raises(ExtractionError, match="'broken'.*boom"):
        Pipeline([sentence_splitter, broken])(Article("a.txt", "文本。"))


def test_pipeline_rejects_duplicate_names():
    with pytest.raises(ExtractionError, match="duplicate"):
        Pipeline([sentence_splitter, sentence_splitter])


def test_pipeline_consolidates_short_forms_into_one_entity():
    text = "岚图汽车发布新车。岚图表示将继续投入。"

    @component("toy")
    def toy(ws):
        ws.add("Enterprise", 0, 4, "toy")
        ws.add("Enterprise", 9, 11, "toy")
        ws.add("Enterprise", 0, 2, "toy")  # nested in a longer same-type mention: dropped

    doc = Pipeline([sentence_splitter, toy, Consolidator()])(Article("a.txt", text))
    assert isinstance(doc, ArticleDoc)
    [ent] = doc.entities
    assert (ent.name, ent.aliases) == ("岚图汽车", ("岚图",))
    assert [(m.start, m.end, m.sentence) for m in ent.mentions] == [(0, 4, 0), (9, 11, 1)]
    record = article_record(doc)
    assert record["source"] == "a.txt"
    assert [text[m["start"]:m["end"]] for m in record["entities"][0]["mentions"]] == ["岚图汽车", "岚图"]
