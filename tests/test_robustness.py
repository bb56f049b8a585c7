"""Property-based tests: ingest and extract never crash, whatever the text, and every offset
points inside its text (``text[start:end]`` is what the mention, sentence or evidence says).

Any Unicode text, very long paragraphs, no punctuation, mixed scripts, control characters,
characters NFKC changes (full-width digits, ligatures) and zero-width characters.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheguKG import ingest
from cheguKG.errors import InputError
from cheguKG.extract import ExtractConfig, extract
from cheguKG.types import Article, ArticleDoc

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces of the genre, so generated text also reaches the rules (names, posts, dates, meetings).
FRAGMENTS = [
    "12月9日，", "2021年1月21日", "市委常委会", "召开会议", "武汉经开区", "岚图汽车", "CEO", "卢放",
    "表示", "党工委书记", "区长", "调研", "《关于支持武汉经开区转型发展的若干措施》", "审议通过",
    "东风汽车集团有限公司", "华中科技大学", "新能源汽车", "产业", "项目", "签约", "落户", "车谷",
    "。", "，", "！", "？", "；", "：", "“", "”", "（", "）", "、", "\n", "\n\n", " ", "\t", "\u3000",
    "１２月９日", "ＣＥＯ", "ﬁ", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\x1b", "\r", "\x85",
    "\u2028", "e\u0301", "😀", "👩‍👩‍👧", "مرحبا", "Привет", "한국어", "にほんご", "ASCII words",
    "123456", "☃", "\U00020000", "\U0002a6d6", "䶮",
]

genre_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)
any_text = st.text(max_size=400)
cjk_no_punct = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=300)
long_paragraph = st.tuples(st.sampled_from(FRAGMENTS[:22]), st.integers(100, 600)).map(
    lambda t: t[0] * t[1])  # one paragraph of thousands of characters, no line breaks
texts = st.one_of(any_text, genre_text, cjk_no_punct, long_paragraph)


def check_offsets(doc: ArticleDoc) -> None:
    text = doc.article.text
    n = len(text)
    for i, s in enumerate(doc.sentences):
        assert s.index == i
        assert 0 <= s.start < s.end <= n, s
        assert text[s.start:s.end] == s.text
    ids = {e.id for e in doc.entities}
    assert len(ids) == len(doc.entities), "local entity ids must be unique"
    for e in doc.entities:
        assert e.mentions, f"entity {e.id} has no mention"
        for m in e.mentions:
            assert 0 <= m.start < m.end <= n, (e, m)
            assert text[m.start:m.end] == m.text, (e, m)
            if m.sentence >= 0:
                s = doc.sentences[m.sentence]
                assert s.start <= m.start < s.end, (m, s)
    for r in doc.relations:
        assert r.head in ids, r
        assert r.tail is None or r.tail in ids, r
        assert 0 <= r.start <= r.end <= n, r
        if 0 <= r.sentence:
            assert r.sentence < len(doc.sentences), r
            s = doc.sentences[r.sentence]
            assert (r.start, r.end) == (s.start, s.end), r


CONFIGS = [ExtractConfig(), ExtractConfig(use_ner=False)]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "no-ner"])
@SETTINGS
@given(text=texts)
def test_robustness_extract_never_crashes_and_offsets_hold(config, text):
    doc = extract(Article("fuzz.txt", text), config)
    check_offsets(doc)
    json.dumps(doc.to_dict(), ensure_ascii=False)  # and it travels as a JSON line
    assert ArticleDoc.from_dict(doc.to_dict()) == doc


@SETTINGS
@given(text=texts, source=st.one_of(st.just("fuzz.txt"), st.text(min_size=1, max_size=20)))
def test_robustness_record_and_graph_of_any_text(text, source):
    """The evaluation record keeps the offsets, and graph conversion takes any document."""
    from cheguKG.export import article_record
    from cheguKG.graph import doc_quads, local_iris
    from cheguKG.vocab import graph_iri

    doc = extract(Article(source, text), CONFIGS[1])
    record = json.loads(json.dumps(article_record(doc), ensure_ascii=False))
    for entity in record["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    for r in record["relations"]:
        assert 0 <= r["sentence"]["start"] <= r["sentence"]["end"] <= len(text)
    quads = doc_quads(doc, local_iris(doc))
    assert {q.graph_name.value for q in quads} == {graph_iri(source)}


@SETTINGS
@given(text=texts, published=st.one_of(st.none(), st.sampled_from(["2021-01-21", "1999-12-31", "2021-1-1", "x"])))
def test_robustness_extract_with_any_publication_date(text, published):
    check_offsets(extract(Article("fuzz.txt", text, published=published)))


@SETTINGS
@given(text=texts)
def test_robustness_ingested_text_extracts(text):
    """Text that went through ingest's boilerplate and metadata handling still extracts."""
    cleaned = ingest.strip_boilerplate(text)
    meta = ingest.header_metadata(cleaned)
    assert set(meta) <= {"title", "published", "publisher"}
    check_offsets(extract(Article("fuzz.txt", cleaned, meta.get("title"), meta.get("published"))))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=2000), texts.map(lambda t: t.encode("utf-8")),
                      texts.map(lambda t: t.encode("gb18030"))))
def test_robustness_decode_raises_only_input_errors(data):
    try:
        text = ingest.decode(data, "fuzz.txt")
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt: ")
    else:
        assert isinstance(text, str)


@SETTINGS
@given(text=texts)
def test_robustness_decode_round_trips_utf8_and_gb18030(text):
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded = ingest.decode(text.encode(encoding), "fuzz.txt")
        except InputError:
            continue  # empty or control-heavy input: refused, by design
        if encoding == "utf-8":
            assert decoded == text.removeprefix("\ufeff")


@SETTINGS
@given(data=st.one_of(st.binary(max_size=2000), texts.map(lambda t: t.encode("utf-8")),
                      texts.map(lambda t: t.encode("gb18030"))),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ""]))
def test_robustness_read_path_reports_only_input_errors(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"a{suffix}"
    path.write_bytes(data)
    errors: list[InputError] = []
    for article in ingest.read_path(path, errors.append):
        assert isinstance(article.text, str) and article.text.strip()
        check_offsets(extract(article, CONFIGS[1]))
    assert all(isinstance(e, InputError) for e in errors)


@SETTINGS
@given(lines=st.lists(st.one_of(
    texts,
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}, ensure_ascii=False), st.text(max_size=8), texts),
    st.builds(lambda v: json.dumps({"id": "x", "text": "正文", "date": v, "title": v, "url": v, "source": v}),
              st.one_of(st.text(max_size=12), st.integers(), st.none(), st.booleans(),
                        st.lists(st.integers(), max_size=2))),
), max_size=8))
def test_robustness_jsonl_lines_are_articles_or_named_errors(lines):
    errors: list[InputError] = []
    articles = list(ingest.iter_jsonl(lines, "fuzz.jsonl", errors.append))
    for e in errors:
        assert e.path.startswith("fuzz.jsonl:")
    for article in articles:  # what ingest lets through, every later stage takes
        assert article.content_hash
        check_offsets(extract(article, CONFIGS[1]))
    assert len(articles) + len(errors) <= len([ln for ln in lines if ln.strip()])


@SETTINGS
@given(text=texts)
def test_robustness_parse_html_raises_only_input_errors(text):
    html = f"<html><head><title>{text[:30]}</title></head><body><p>{text}</p></body></html>"
    for page in (text, html):
        try:
            article = ingest.parse_html(page, "fuzz.html")
        except InputError:
            continue
        check_offsets(extract(article, CONFIGS[1]))
