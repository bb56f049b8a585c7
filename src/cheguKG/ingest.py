"""ingest: path | directory | "-" | JSON-lines record -> Article.

Plain text (UTF-8, UTF-8 with BOM, GB18030/GBK), HTML pages (main text, title, date and
source through trafilatura) and JSON-lines corpora. Site boilerplate lines (主办单位,
备案证编号, 网站标识码, …) are dropped from text and HTML alike. A bad input raises (or
reports, in :func:`iter_articles`) an :class:`InputError` naming the file and the problem.

>>> [a.source for a in iter_articles(["data/corpus"])]   # doctest: +SKIP
['000_9dcdb9a84830e439.txt']
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .types import Article

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

#: Files above this size are refused: a news article is kilobytes, not hundreds of megabytes.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_JSONL_BYTES = 20 * 1024 * 1024 * 1024

#: Lines that belong to the site, not the article (footer, licence, navigation, app prompts).
BOILERPLATE = re.compile(
    r"^\s*(?:主办单位|承办单位|协办单位|技术支持|运维单位|备案证?编号|网站标识码|网站地图|联系我们|"
    r"版权所有|Copyright|©|鄂公网安备|京公网安备|[\u4e00-\u9fa5]公网安备|[\u4e00-\u9fa5]ICP备|ICP备|"
    r"打印本页|关闭窗口|【?打印】?|【?关闭】?|分享到|扫一扫|下载APP|字体[:：]?\s*[\[【]?\s*大|当前位置[:：]|"
    r"您当前的位置|首页\s*[>＞]|上一篇|下一篇|相关链接|责任编辑|编辑[:：]|审核[:：]|审稿[:：]|校对[:：])"
    r"|(?:ICP备\d|公网安备\s*\d|网站标识码[:：]?\s*\d)",
    re.IGNORECASE,
)

_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_PUBLISHED_LINE = re.compile(r"(?:发布时间|发布日期|时间|日期|发表时间|更新时间)\s*[:：]?\s*")
_SOURCE_LINE = re.compile(r"(?:信息来源|来源|稿件来源)\s*[:：]\s*([^\s　|]+)")


def strip_boilerplate(text: str) -> str:
    """Drop site boilerplate lines; keep every other line (and its text) as it was."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [line for line in text.split("\n") if not BOILERPLATE.search(line)]
    return "\n".join(kept).strip("\n")


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO ``YYYY-MM-DD``.

    >>> iso_date("发布时间:2021-01-21 11:16")
    '2021-01-21'
    """
    m = _DATE.search(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def header_metadata(text: str) -> dict[str, str]:
    """Title, publication date and source from an article's first lines, where the page kept them."""
    meta: dict[str, str] = {}
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:8]
    if lines and len(lines[0]) <= 60 and not re.search(r"[。！？]$", lines[0]):
        meta["title"] = lines[0]
    for line in lines:
        if "published" not in meta and (_PUBLISHED_LINE.search(line) or len(line) < 80):
            date = iso_date(line)
            if date and (_PUBLISHED_LINE.search(line) or _SOURCE_LINE.search(line) or len(line) < 40):
                meta["published"] = date
        m = _SOURCE_LINE.search(line)
        if m and "publisher" not in meta:
            meta["publisher"] = m.group(1)
    return meta


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Bytes -> str: UTF-8 (BOM or not), else GB18030 (a superset of GBK); binary refused."""
    if not data.strip():
        raise InputError(path, "empty file: nothing to extract")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "looks like a binary file, not text: pass .txt, .html or .jsonl")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(path, f"cannot decode as {encoding}: {exc}") from exc
    for enc in (("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ()) + ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
        if controls > 0.05 * min(len(text), 4096):
            raise InputError(path, "looks like a binary file, not text: pass .txt, .html or .jsonl")
        return text
    raise InputError(path, "not UTF-8 or GB18030: pass --encoding")


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(str(path), f"file is {size // (1024 * 1024)} MB, larger than the "
                                        f"{MAX_FILE_BYTES // (1024 * 1024)} MB an article may be")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file or directory") from exc
    except IsADirectoryError as exc:
        raise InputError(str(path), "is a directory") from exc
    except PermissionError as exc:
        raise InputError(str(path), "permission denied") from exc


def read_text_file(path: Path, encoding: str | None = None) -> Article:
    text = strip_boilerplate(decode(_read_bytes(path), str(path), encoding))
    if not text.strip():
        raise InputError(str(path), "holds only site boilerplate, no article text")
    meta = header_metadata(text)
    return Article(source=path.name, text=text, title=meta.get("title"),
                   published=meta.get("published"), path=str(path), publisher=meta.get("publisher"))


def _html_charset(data: bytes) -> str | None:
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii").lower() if m else None


def parse_html(html: str, source: str, path: str | None = None, url: str | None = None) -> Article:
    """Main text, title, date and source of an HTML page (trafilatura), boilerplate dropped."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    if doc is None:
        raise InputError(path or source, "no article text found in this HTML page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = strip_boilerplate(data.get("text") or "")
    if not text.strip():
        raise InputError(path or source, "no article text found in this HTML page")
    published = iso_date(data.get("date") or "") or header_metadata(text).get("published")
    return Article(source=source, text=text, title=data.get("title") or None, published=published,
                   url=url or data.get("url") or None, path=path,
                   publisher=header_metadata(text).get("publisher") or data.get("sitename")
                   or data.get("author") or None)


def read_html_file(path: Path, encoding: str | None = None) -> Article:
    data = _read_bytes(path)
    charset = encoding or _html_charset(data)
    if charset in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
        charset = "gb18030"
    try:
        html = decode(data, str(path), charset)
    except InputError:
        html = decode(data, str(path))
    return parse_html(html, path.name, str(path))


def article_from_record(record: object, where: str) -> Article:
    """A JSON-lines record ``{"id", "text", "title"?, "date"?, "url"?}`` -> Article."""
    if not isinstance(record, dict):
        raise InputError(where, "a JSON-lines record must be an object with 'id' and 'text'")
    missing = [k for k in ("id", "text") if not isinstance(record.get(k), str) or not record.get(k)]
    if missing:
        raise InputError(where, f"record lacks a non-empty string {' and '.join(repr(m) for m in missing)}")
    wrong = [k for k in ("title", "url", "source") if not isinstance(record.get(k) or "", str)]
    if wrong:
        raise InputError(where, f"{wrong[0]!r} must be a string, not {type(record[wrong[0]]).__name__}")
    text = strip_boilerplate(record["text"])
    if not text.strip():
        raise InputError(where, "'text' is blank or only site boilerplate: no article text")
    date = record.get("date") or record.get("published")
    published = iso_date(str(date)) if date else header_metadata(text).get("published")
    return Article(source=record["id"], text=text, title=record.get("title"), published=published,
                   url=record.get("url"), publisher=record.get("source"))


def iter_jsonl(lines: Iterable[str], name: str,
               on_error: Callable[[InputError], None]) -> Iterator[Article]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            yield article_from_record(json.loads(line), where)
        except json.JSONDecodeError as exc:
            on_error(InputError(where, f"not valid JSON ({exc.msg}): fix or remove this line"))
        except InputError as exc:
            on_error(exc)


def _raise(exc: InputError) -> None:
    raise exc


def expand(inputs: Iterable[str | Path]) -> Iterator[Path | str]:
    """Each input as files: a directory means every supported file under it, sorted."""
    for item in inputs:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            yield path


def read_path(path: Path, on_error: Callable[[InputError], None] = _raise,
              encoding: str | None = None) -> Iterator[Article]:
    """The articles in one file (one, or many for JSON lines)."""
    suffix = path.suffix.lower()
    if not path.exists():
        on_error(InputError(str(path), "no such file or directory"))
        return
    try:
        if suffix in JSONL_SUFFIXES:
            try:
                fh = open(path, encoding=encoding or "utf-8-sig", errors="strict")
            except OSError as exc:
                raise InputError(str(path), f"cannot open: {exc.strerror}") from exc
            with fh:
                try:
                    yield from iter_jsonl(fh, str(path), on_error)
                except UnicodeDecodeError as exc:
                    raise InputError(str(path), "not UTF-8: JSON lines must be UTF-8") from exc
        elif suffix in HTML_SUFFIXES:
            yield read_html_file(path, encoding)
        elif suffix in TEXT_SUFFIXES or not suffix:
            yield read_text_file(path, encoding)
        else:
            raise InputError(str(path), f"unsupported file type {suffix!r}: use .txt, .html or .jsonl")
    except InputError as exc:
        on_error(exc)


def read_stdin(on_error: Callable[[InputError], None] = _raise) -> Iterator[Article]:
    data = sys.stdin.read()
    if data.lstrip().startswith("{"):
        yield from iter_jsonl(data.splitlines(), "<stdin>", on_error)
    elif strip_boilerplate(data).strip():
        text = strip_boilerplate(data)
        meta = header_metadata(text)
        yield Article("stdin", text, meta.get("title"), meta.get("published"))
    else:
        on_error(InputError("<stdin>", "empty input"))


def iter_articles(inputs: Iterable[str | Path], on_error: Callable[[InputError], None] = _raise,
                  encoding: str | None = None) -> Iterator[Article]:
    """Every article in ``inputs`` (files, directories, ``-``), streaming.

    Errors go to ``on_error`` (default: raise), so a batch can collect them and go on.
    """
    for item in expand(inputs):
        if item == "-":
            yield from read_stdin(on_error)
        else:
            yield from read_path(Path(item), on_error, encoding)


def read(path: str | Path, encoding: str | None = None) -> list[Article]:
    """All articles in one path; raises :class:`InputError` on the first problem."""
    return list(iter_articles([path], encoding=encoding))
