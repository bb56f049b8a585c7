"""The CRF NER tagger: shipped model behaviour, tiny training, CLUENER scorer, export offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cheguKG.cli import main
from cheguKG.ner import NerModel, bio_to_spans, read_cluener, spans_to_bio, train
from cheguKG.ner.evaluate import score
from cheguKG.ner.features import char_type, sentence_features
from cheguKG.ner.model import Example, default_model_path

# --- the shipped model -------------------------------------------------------------------

#: (sentence, a span the shipped model must find, as (text, type))
TAGGED = [
    ("新华社记者王建国报道，国务院总理李克强今天在北京会见了来访的客人。", ("李克强", "Person")),
    ("新华社记者王建国报道，国务院总理李克强今天在北京会见了来访的客人。", ("总理", "Position")),
    ("阿里巴巴集团董事局主席马云出席了本次论坛。", ("马云", "Person")),
    ("阿里巴巴集团董事局主席马云出席了本次论坛。", ("阿里巴巴集团", "Enterprise")),
    ("北京大学和清华大学的学生参加了比赛。", ("北京大学", "Organization")),
    ("国家发展和改革委员会昨天发布了通知。", ("国家发展和改革委员会", "GovernmentBody")),
    ("他出生在浙江省杭州市西湖区。", ("浙江省杭州市西湖区", "Place")),
]


@pytest.fixture(scope="module")
def shipped() -> NerModel:
    if not default_model_path().is_file():
        pytest.fail(f"the shipped model {default_model_path()} is missing")
    return NerModel.load()


def test_ner_shipped_model_is_small():
    assert default_model_path().stat().st_size <= 25 * 1024 * 1024


@pytest.mark.parametrize("text, expected", TAGGED)
def test_ner_shipped_model_tags(shipped, text, expected):
    found = {(text[s:e], t) for s, e, t in shipped.tag(text)}
    assert expected in found


def test_ner_tag_spans_index_the_text(shipped):
    text = "  卢放是岚图汽车CEO，\n他在武汉经开区工作。"
    spans = shipped.tag(text)
    assert spans, "expected at least one span"
    for s, e, t in spans:
        assert 0 <= s < e <= len(text) and t in {"Person", "Enterprise", "GovernmentBody",
                                                  "Organization", "Position", "Place"}


def test_ner_tag_empty_text(shipped):
    assert shipped.tag("") == []


def test_ner_load_missing_model_names_the_fix(tmp_path):
    from cheguKG.errors import ConfigError

    with pytest.raises(ConfigError, match="train-ner"):
        NerModel.load(tmp_path / "absent.crfsuite")


# --- labels and features -----------------------------------------------------------------

#: (length, spans, scheme, tags, spans read back): a nested span is dropped, the outer kept
SPAN_CASES = [
    (5, [(0, 2, "Person")], "BIO", ["B-Person", "I-Person", "O", "O", "O"], [(0, 2, "Person")]),
    (5, [(1, 2, "Place"), (2, 5, "Position")], "BIOES",
     ["O", "S-Place", "B-Position", "I-Position", "E-Position"], [(1, 2, "Place"), (2, 5, "Position")]),
    (4, [(0, 4, "Place"), (1, 2, "Person")], "BIO", ["B-Place", "I-Place", "I-Place", "I-Place"],
     [(0, 4, "Place")]),
    (3, [(0, 1, "Place"), (1, 3, "Place")], "BIO", ["B-Place", "B-Place", "I-Place"],
     [(0, 1, "Place"), (1, 3, "Place")]),
]


@pytest.mark.parametrize("length, spans, scheme, tags, back", SPAN_CASES)
def test_ner_spans_to_tags_and_back(length, spans, scheme, tags, back):
    assert spans_to_bio(length, spans, scheme) == tags
    assert bio_to_spans(tags) == back


@pytest.mark.parametrize("ch, kind", [("中", "H"), ("三", "N"), ("7", "D"), ("７", "D"), ("A", "L"),
                                      ("，", "P"), (" ", "S")])
def test_ner_char_type(ch, kind):
    assert char_type(ch) == kind


def test_ner_features_one_list_per_char():
    text = "卢放表示"
    feats = sentence_features(text, [("卢放", "nr"), ("表示", "v")])
    assert len(feats) == len(text)
    assert "wp=B_nr" in feats[0] and "wp=E_v" in feats[3] and "c=示" in feats[3]


def test_ner_features_reject_words_not_covering_text():
    with pytest.raises(ValueError):
        sentence_features("卢放表示", [("卢放", "nr")])


#: (feature set, position in "张江路18号3楼", features it must have, features it must not)
ADDRESS_FEATURES = [
    (2, 2, {"sx=010", "c-3=<s>", "c+3=号"}, set()),    # 路: a suffix char
    (2, 3, {"nf=号"}, {"an=1"}),                      # 1 of 18: the run is followed by 号
    (2, 5, {"an=号", "sx=010"}, set()),               # 号 right after a number
    (1, 3, set(), {"nf=号", "sx=100", "c+3=3"}),       # version 1 has none of these
]


@pytest.mark.parametrize("version,pos,present,absent", ADDRESS_FEATURES)
def test_ner_features_address_cues_by_version(version, pos, present, absent):
    text = "张江路18号3楼"
    words = [("张江路", "ns"), ("18", "m"), ("号", "m"), ("3", "m"), ("楼", "n")]
    feats = set(sentence_features(text, words, version=version)[pos])
    assert present <= feats and not (absent & feats)


def test_ner_model_reads_feature_set_from_sidecar(tmp_path):
    from cheguKG.errors import ConfigError
    from cheguKG.ner.model import model_features_version

    model = tmp_path / "m.crfsuite"
    assert model_features_version(model) == 1
    (tmp_path / "m.json").write_text('{"features": 2}', encoding="utf-8")
    assert model_features_version(model) == 2
    (tmp_path / "m.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(ConfigError):
        model_features_version(model)


@pytest.mark.parametrize("floor", [0.0, 0.5, 0.9, 1.0])
def test_ner_tag_abstains_below_min_confidence(shipped, floor):
    """``tag`` keeps exactly the best-path spans whose least marginal reaches the floor."""
    text = "记者在浙江省杭州市西湖区见到了阿里巴巴集团董事局主席马云和几位同事。"
    scored = shipped.tag_scored(text)
    assert scored
    old = shipped.min_confidence
    try:
        shipped.min_confidence = floor
        assert shipped.tag(text) == [(s, e, t) for s, e, t, c in scored if c >= floor]
    finally:
        shipped.min_confidence = old


def test_ner_model_reads_min_confidence_from_sidecar(tmp_path):
    from cheguKG.errors import ConfigError
    from cheguKG.ner.model import DEFAULT_MIN_CONFIDENCE, model_min_confidence

    model = tmp_path / "m.crfsuite"
    assert model_min_confidence(model) == DEFAULT_MIN_CONFIDENCE == 0.5
    (tmp_path / "m.json").write_text('{"min_confidence": 0.25}', encoding="utf-8")
    assert model_min_confidence(model) == 0.25
    (tmp_path / "m.json").write_text('{"min_confidence": "high"}', encoding="utf-8")
    with pytest.raises(ConfigError):
        model_min_confidence(model)


# --- training on tiny data ---------------------------------------------------------------

TINY = [
    Example("记者张三报道", [(2, 4, "Person")]),
    Example("记者李四报道", [(2, 4, "Person")]),
    Example("记者王五报道", [(2, 4, "Person")]),
    Example("记者赵六在上海报道", [(2, 4, "Person"), (5, 7, "Place")]),
    Example("他去了上海", [(3, 5, "Place")]),
    Example("今天天气很好", []),
]


def test_ner_train_tiny_learns_and_is_reproducible(tmp_path):
    params = {"max_iterations": 30, "c1": 0.0, "c2": 0.01}
    first, second = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    summary = train(TINY, first, params=params, seed=1, lexicon_paths=[])
    train(TINY, second, params=params, seed=1, lexicon_paths=[])
    assert summary["sentences"] == len(TINY) and first.stat().st_size > 0
    assert first.read_bytes() == second.read_bytes()
    model = NerModel.load(first)
    assert (2, 4, "Person") in model.tag("记者孙七报道")


# --- the CLUENER scorer ------------------------------------------------------------------

def _cluener_file(path: Path) -> Path:
    records = [
        {"text": "记者张三报道", "label": {"name": {"张三": [[2, 3]]}}},
        {"text": "他去了上海看电影", "label": {"address": {"上海": [[3, 4]]}, "movie": {"电影": [[6, 7]]}}},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_ner_read_cluener_maps_labels_and_drops_others(tmp_path):
    examples = read_cluener(_cluener_file(tmp_path / "c.json"))
    assert [e.spans for e in examples] == [[(2, 4, "Person")], [(3, 5, "Place")]]


def test_ner_score_exact_spans(tmp_path):
    gold = read_cluener(_cluener_file(tmp_path / "c.json"))
    predicted = [[(2, 4, "Person"), (0, 2, "Position")], [(3, 4, "Place")]]
    report = score(gold, predicted)
    person, place, position = (report.labels[t] for t in ("Person", "Place", "Position"))
    assert (person.tp, person.fp, person.fn) == (1, 0, 0)
    assert (place.tp, place.fp, place.fn) == (0, 1, 1)
    assert (position.tp, position.fp, position.fn) == (0, 1, 0)
    assert report.macro_f1 == pytest.approx(1.0 / 6)


def test_ner_evaluate_cli_reports_six_labels(tmp_path):
    path = _cluener_file(tmp_path / "c.json")
    result = CliRunner().invoke(main, ["evaluate-ner", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["labels"]) == {"Person", "Enterprise", "GovernmentBody", "Organization",
                                     "Position", "Place"}
    assert report["labels"]["Person"]["gold"] == 1 and report["labels"]["Place"]["gold"] == 1
    assert 0.0 <= report["macro_f1"] <= 1.0


def test_ner_evaluate_cli_rejects_non_cluener(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate-ner", str(bad)])
    assert result.exit_code == 1 and "CLUENER" in result.output


# --- CLUENER sentences through the ordinary export ---------------------------------------

SENTENCES = [
    "浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。",
    "新华社记者王建国报道，国务院总理李克强今天在北京会见了来访的客人。",
    "阿里巴巴集团董事局主席马云出席了本次论坛。",
]


def test_ner_export_offsets_index_jsonl_text(tmp_path):
    corpus = tmp_path / "cluener.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"s{i}", "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(SENTENCES)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(corpus), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records] == ["s0", "s1", "s2"]
    extractors = set()
    for record, text in zip(records, SENTENCES):
        for entity in record["entities"]:
            for m in entity["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
                extractors.add(m["extractor"])
    assert "ner" in extractors


# --- the pipeline component --------------------------------------------------------------

def test_ner_component_registered_and_switchable():
    from cheguKG.extract import ExtractConfig, default_pipeline

    assert "ner" in default_pipeline(ExtractConfig()).names
    names = default_pipeline(ExtractConfig(use_ner=False)).names
    assert "ner" not in names and "consolidate" in names
    on = default_pipeline(ExtractConfig()).names
    assert on.index("ner") < on.index("consolidate")


#: (sentence, span text, type, passes the genre checks)
PLAUSIBLE = [
    ("处长洪云飞,武汉经开区", "洪云飞", "Person", True),
    ("记者张三 李四报道", "李四", "Person", False),          # byline
    ("(郑奇悦)1月5日,武汉", "郑奇悦", "Person", False),      # bracketed credit
    ("增值电信业务经营许可证", "许可证", "Person", False),    # one dictionary word
    ("消防救援大队等相关领导", "消防救援大队", "GovernmentBody", True),
    ("新春开局,江夏很拼", "新春开局", "GovernmentBody", False),  # 开局 is no body
    ("是党和政府联系群众", "党和政府", "GovernmentBody", False),
    ("他强调, 老旧小区改造", "老旧小区", "Place", False),       # ordinary words
]


@pytest.mark.parametrize("text, span, type_, expected", PLAUSIBLE)
def test_ner_component_genre_checks(text, span, type_, expected):
    from cheguKG.extract.ner_component import NerComponent
    from cheguKG.extract.segment import tokenizer

    words = [(p.word, p.flag) for p in tokenizer().cut(text, HMM=False)]
    start = text.index(span)
    component = NerComponent(thresholds={})
    assert component.plausible(text, words, start, start + len(span), type_) is expected


def test_ner_component_adds_lower_confidence_candidates():
    from cheguKG.extract import ExtractConfig, default_pipeline
    from cheguKG.types import Article

    text = "近日,区财政局局长洪云飞带队到企业调研。"
    doc = default_pipeline(ExtractConfig())(Article("t.txt", text))
    for entity in doc.entities:
        for m in entity.mentions:
            assert text[m.start:m.end] == m.text
            if m.extractor == "ner":
                assert m.confidence < 0.9 and entity.type in {"Person", "GovernmentBody"}


def test_ner_read_cluener_auxiliary_labels_are_kept_apart(tmp_path):
    examples = read_cluener(_cluener_file(tmp_path / "c.json"), auxiliary=True)
    assert examples[1].spans == [(3, 5, "Place"), (6, 8, "_movie")]


SCREEN_TEXTS = [
    "近日,区财政局局长洪云飞带队到企业调研。今天天气很好,会场布置得很整齐。",
    "市委常委会召开会议。审议通过了有关文件,要求加快推进高质量发展。",
    "新华社记者王建国报道,国务院总理李克强今天在北京会见了来访的客人。区住建局和区交通运输局负责人参加。",
    "欧阳娜娜与司马南在武汉经开区见面,车谷产业投资集团总经理张三主持。",
]


@pytest.mark.parametrize("text", SCREEN_TEXTS)
def test_ner_component_screening_changes_no_output(text, monkeypatch):
    """Sentences with no free surname word and no body-like ending are not tagged: the
    component must propose exactly what it proposes when it tags every sentence."""
    import cheguKG.extract.ner_component as NC
    from cheguKG.extract import ExtractConfig, default_pipeline
    from cheguKG.types import Article

    pipeline = default_pipeline(ExtractConfig())
    tagged: list[str] = []
    model = NC._model(None)
    real = model.tag_scored
    monkeypatch.setattr(model, "tag_scored", lambda s, *a, **k: tagged.append(s) or real(s, *a, **k))
    screened = pipeline(Article("t.txt", text))
    n_screened = len(tagged)
    monkeypatch.setattr(NC, "_SCREENED", frozenset())  # every sentence tagged
    tagged.clear()
    full = pipeline(Article("t.txt", text))
    assert screened == full
    assert n_screened <= len(tagged)


def test_ner_component_screening_skips_sentences_without_candidates(monkeypatch):
    import cheguKG.extract.ner_component as NC
    from cheguKG.extract import ExtractConfig, default_pipeline
    from cheguKG.types import Article

    tagged: list[str] = []
    model = NC._model(None)
    real = model.tag_scored
    monkeypatch.setattr(model, "tag_scored", lambda s, *a, **k: tagged.append(s) or real(s, *a, **k))
    default_pipeline(ExtractConfig())(Article("t.txt", "今天天气很好。局长洪云飞带队调研。"))
    assert tagged == ["局长洪云飞带队调研。"]
