"""ingest: text encodings, HTML, JSON lines, bad inputs, directories and standard input.

Every fixture is written into tmp_path here (GBK bytes through ``.encode("gb18030")``).
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from cheguKG import ingest
from cheguKG.errors import InputError

TITLE = "市委常委会专题调研武汉经开区"
BODY = [
    "12月9日，市委常委会专题调研武汉经开区并召开会议，要加快建设产城融合的现代化车谷，"
    "在全市高质量发展中更好发挥引领带动作用。",
    "连日来，武汉经开区社会各界纷纷表示，要认真学习领会市委常委会专题会议精神，将坚定信心、迎难而上。",
    "岚图汽车CEO卢放表示，岚图将全力以赴打造高端智能电动汽车品牌。",
]
HEADER = "发布时间：2021-01-21 10:00 来源：长江日报"
FOOTER = ["主办单位：武汉经济技术开发区管委会", "网站标识码：4201000001", "备案证编号：鄂ICP备12345678号",
          "版权所有 武汉经济技术开发区", "鄂公网安备 42011302000123号"]
TEXT = "\n".join([TITLE, HEADER, *BODY, *FOOTER]) + "\n"


def html_page(charset: str = "utf-8", footer_inside: bool = True) -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    footer = "".join(f"<p>{f}</p>" for f in FOOTER)
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{TITLE}_武汉经开区</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a> &gt; <a href='/xw'>新闻中心</a></div>"
            f"<div class='article'><h1>{TITLE}</h1><div class='info'>{HEADER}</div>{body}"
            f"{footer if footer_inside else ''}</div>"
            f"<div class='footer'>{'' if footer_inside else footer}</div></body></html>")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# -- plain text in every encoding a Chinese site serves -------------------------------------
ENCODINGS = [
    ("utf8.txt", TEXT.encode("utf-8")),
    ("bom.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("gbk.txt", TEXT.encode("gbk")),
    ("gb18030.txt", TEXT.encode("gb18030")),
    ("crlf.txt", TEXT.replace("\n", "\r\n").encode("utf-8")),
    ("utf16.txt", TEXT.encode("utf-16")),  # Windows Notepad's "Unicode": a BOM says so
    ("utf16be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ("noext", TEXT.encode("utf-8")),
]


@pytest.mark.parametrize(("name", "data"), ENCODINGS, ids=[n for n, _ in ENCODINGS])
def test_ingest_decodes_text(tmp_path, name, data):
    article = ingest.read(write(tmp_path, name, data))[0]
    assert article.source == name
    assert article.title == TITLE
    assert article.published == "2021-01-21"
    assert article.publisher == "长江日报"
    assert not article.text.startswith("\ufeff") and "\r" not in article.text
    assert all(p in article.text for p in BODY)


def test_ingest_decodes_characters_only_gb18030_has(tmp_path):
    text = "䶮是刘䶮的名字用字，𠀀见于扩展区。" + BODY[0]
    article = ingest.read(write(tmp_path, "ext.txt", text.encode("gb18030")))[0]
    assert article.text == text


@pytest.mark.parametrize("line", FOOTER)
def test_ingest_drops_boilerplate_from_text(tmp_path, line):
    article = ingest.read(write(tmp_path, "a.txt", TEXT))[0]
    assert line not in article.text


def test_ingest_keeps_lines_that_only_mention_boilerplate_words(tmp_path):
    sentence = "会议强调，各主办单位要落实安全责任。"
    article = ingest.read(write(tmp_path, "a.txt", "\n".join([TITLE, sentence, *BODY])))[0]
    assert sentence in article.text


@pytest.mark.parametrize(("encoding", "name"), [
    (None, "a.txt"), ("utf-8", "a.txt"), ("gb18030", "a.txt")])
def test_ingest_encoding_option(tmp_path, encoding, name):
    data = TEXT.encode(encoding or "utf-8")
    article = ingest.read(write(tmp_path, name, data), encoding=encoding)[0]
    assert BODY[0] in article.text


def test_ingest_wrong_encoding_option_names_file(tmp_path):
    path = write(tmp_path, "a.txt", TEXT.encode("gb18030"))
    with pytest.raises(InputError, match=r"a\.txt.*cannot decode as utf-8"):
        ingest.read(path, encoding="utf-8")


# -- HTML ------------------------------------------------------------------------------------
HTML_CASES = [
    ("utf8.html", html_page("utf-8").encode("utf-8")),
    ("gbk.html", html_page("gbk").encode("gbk")),
    ("gb2312.htm", html_page("gb2312").encode("gb18030")),
    ("undeclared-gbk.shtml", html_page("").replace("charset=", "").encode("gb18030")),
    ("footer.html", html_page("utf-8", footer_inside=False).encode("utf-8")),
]


@pytest.mark.parametrize(("name", "data"), HTML_CASES, ids=[n for n, _ in HTML_CASES])
def test_ingest_reads_html(tmp_path, name, data):
    article = ingest.read(write(tmp_path, name, data))[0]
    assert article.source == name
    assert article.title and TITLE in article.title
    assert article.published == "2021-01-21"
    assert article.publisher == "长江日报"
    assert all(p in article.text for p in BODY)
    assert "首页" not in article.text and "新闻中心" not in article.text  # navigation is not text
    for line in FOOTER:
        assert line not in article.text
    assert "<p>" not in article.text


def test_ingest_html_without_text_is_an_error(tmp_path):
    path = write(tmp_path, "empty.html", "<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(InputError, match=r"empty\.html.*no article text"):
        ingest.read(path)


def test_ingest_parse_html_keeps_url():
    article = ingest.parse_html(html_page(), "p.html", url="http://www.whkfq.gov.cn/t20210121_1.html")
    assert article.url == "http://www.whkfq.gov.cn/t20210121_1.html"


# -- JSON lines ------------------------------------------------------------------------------
RECORDS = [
    {"id": "r1", "text": "\n".join(BODY), "title": "甲", "date": "2021-01-21",
     "url": "http://www.whkfq.gov.cn/t20210121_1.html"},
    {"id": "r2", "text": BODY[2] + "\n" + FOOTER[0]},
    {"id": "r3", "text": BODY[1], "date": "2020年12月9日"},
]


def test_ingest_reads_jsonl_records(tmp_path):
    path = write(tmp_path, "c.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS))
    articles = ingest.read(path)
    assert [a.source for a in articles] == ["r1", "r2", "r3"]
    assert (articles[0].title, articles[0].published, articles[0].url) == (
        "甲", "2021-01-21", "http://www.whkfq.gov.cn/t20210121_1.html")
    assert articles[1].text == BODY[2]  # boilerplate dropped from records too
    assert articles[2].published == "2020-12-09"


BAD_LINES = [
    ("{not json", r"c\.jsonl:2: not valid JSON"),
    ('["a list"]', r"c\.jsonl:2: .*must be an object"),
    ('{"id": "x"}', r"c\.jsonl:2: .*'text'"),
    ('{"text": "正文"}', r"c\.jsonl:2: .*'id'"),
    ('{"id": "x", "text": ""}', r"c\.jsonl:2: .*'text'"),
    ('{"id": 7, "text": "正文"}', r"c\.jsonl:2: .*'id'"),
    ('{"id": "x", "text": "  \\n "}', r"c\.jsonl:2: 'text' is blank"),
    ('{"id": "x", "text": "正文", "title": 2021}', r"c\.jsonl:2: 'title' must be a string, not int"),
    ('{"id": "x", "text": "正文", "url": ["http://a.cn"]}', r"c\.jsonl:2: 'url' must be a string"),
    ('{"id": "x", "text": "主办单位：武汉经开区\\n网站标识码：4201000001"}', r"c\.jsonl:2: .*only site boilerplate"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_ingest_jsonl_bad_line_is_named_and_others_read(tmp_path, bad, message):
    good = [json.dumps(r, ensure_ascii=False) for r in RECORDS[:2]]
    path = write(tmp_path, "c.jsonl", f"{good[0]}\n{bad}\n\n{good[1]}\n")
    errors: list[InputError] = []
    articles = list(ingest.iter_articles([path], errors.append))
    assert [a.source for a in articles] == ["r1", "r2"]
    assert len(errors) == 1
    assert errors[0].path == f"{path}:2"
    assert re.search(message, str(errors[0]))


def test_ingest_jsonl_with_bom(tmp_path):
    path = write(tmp_path, "c.jsonl", b"\xef\xbb\xbf" + json.dumps(RECORDS[0]).encode("utf-8") + b"\n")
    assert [a.source for a in ingest.read(path)] == ["r1"]


def test_ingest_jsonl_not_utf8_is_an_error(tmp_path):
    line = json.dumps(RECORDS[0], ensure_ascii=False) + "\n"
    path = write(tmp_path, "c.jsonl", line.encode("gb18030"))
    with pytest.raises(InputError, match=r"c\.jsonl.*UTF-8"):
        ingest.read(path)


# -- bad inputs: one error naming the file, the others still read ----------------------------
BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n\t\n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ("nulls.html", b"\x00" * 64 + b"<html></html>", "binary"),
    ("boilerplate.txt", "\n".join(FOOTER).encode("utf-8"), "only site boilerplate"),
    ("report.pdf", b"%PDF-1.4\n", "unsupported file type"),
]


@pytest.mark.parametrize(("name", "data", "problem"), BAD_FILES, ids=[n for n, _, _ in BAD_FILES])
def test_ingest_bad_file_is_a_named_error(tmp_path, name, data, problem):
    bad = write(tmp_path, name, data)
    good = write(tmp_path, "good.txt", TEXT)
    errors: list[InputError] = []
    articles = list(ingest.iter_articles([bad, good], errors.append))
    assert [a.source for a in articles] == ["good.txt"]
    assert len(errors) == 1 and errors[0].path == str(bad)
    assert problem in errors[0].problem
    assert "\n" not in str(errors[0])


def test_ingest_missing_path(tmp_path):
    errors: list[InputError] = []
    articles = list(ingest.iter_articles([tmp_path / "nope.txt", write(tmp_path, "a.txt", TEXT)],
                                         errors.append))
    assert len(articles) == 1
    assert [e.problem for e in errors] == ["no such file or directory"]
    with pytest.raises(InputError, match="nope.txt: no such file"):
        ingest.read(tmp_path / "nope.txt")


def test_ingest_refuses_huge_file(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        ingest.read(write(tmp_path, "big.txt", TEXT))


# -- directories and standard input ----------------------------------------------------------
def test_ingest_expands_directories(tmp_path):
    write(tmp_path, "corpus/b.txt", TEXT)
    write(tmp_path, "corpus/a.html", html_page())
    write(tmp_path, "corpus/sub/c.jsonl", json.dumps(RECORDS[0]) + "\n")
    write(tmp_path, "corpus/notes.md", "# not an article")
    write(tmp_path, "corpus/image.png", b"\x89PNG\x00")
    write(tmp_path, "corpus/.cache/d.txt", TEXT)
    write(tmp_path, "corpus/.hidden.txt", TEXT)
    expanded = [Path(p).relative_to(tmp_path / "corpus").as_posix()
                for p in ingest.expand([tmp_path / "corpus"])]
    assert expanded == ["a.html", "b.txt", "sub/c.jsonl"]
    assert [a.source for a in ingest.iter_articles([tmp_path / "corpus"])] == ["a.html", "b.txt", "r1"]


def test_ingest_empty_directory_yields_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    assert list(ingest.iter_articles([tmp_path / "empty"])) == []


STDIN_CASES = [
    (TEXT, ["stdin"]),
    ("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), ["r1", "r2", "r3"]),
]


@pytest.mark.parametrize(("data", "sources"), STDIN_CASES, ids=["text", "jsonl"])
def test_ingest_reads_stdin(monkeypatch, data, sources):
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    articles = list(ingest.iter_articles(["-"]))
    assert [a.source for a in articles] == sources
    assert all(FOOTER[0] not in a.text for a in articles)


@pytest.mark.parametrize("data", ["  \n", "\n".join(FOOTER)])
def test_ingest_empty_stdin_is_an_error(monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    with pytest.raises(InputError, match="<stdin>: empty input"):
        list(ingest.iter_articles(["-"]))


# -- helpers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("发布时间:2021-01-21 11:16", "2021-01-21"),
    ("2020年12月9日", "2020-12-09"),
    ("2021/3/5", "2021-03-05"),
    ("2021.03.05", "2021-03-05"),
    ("2021-13-01", None),
    ("12月9日", None),
    ("编号12021-01-21", None),
])
def test_ingest_iso_date(text, expected):
    assert ingest.iso_date(text) == expected


@pytest.mark.parametrize(("line", "dropped"), [
    ("主办单位：武汉经开区", True),
    ("  网站标识码：4201000001", True),
    ("备案编号：鄂ICP备1号", True),
    ("鄂ICP备12345678号-1", True),
    ("Copyright © 2021", True),
    ("责任编辑：张三", True),
    ("当前位置：首页 > 新闻", True),
    ("岚图汽车CEO卢放表示，版权所有的技术要自主可控。", False),
    (BODY[0], False),
])
def test_ingest_strip_boilerplate(line, dropped):
    assert (ingest.strip_boilerplate(f"甲。\n{line}\n乙。") == "甲。\n乙。") is dropped
