"""fetch: URLs | sitemap | list page -> a local corpus folder that ``chegukg build`` reads.

A polite crawler for a researcher gathering one site's archive: an on-disk cache (a page is
downloaded once), robots.txt respected, a pause between requests to the same host, retries
with exponential back-off on 5xx, 429 and timeouts, GBK/GB18030 pages decoded through
:mod:`cheguKG.ingest` and saved as UTF-8. Each page becomes one ``.html`` file in ``OUT/pages``
(build it with ``chegukg build OUT/pages``); ``OUT/index.jsonl`` holds one line per URL (url,
file, status, fetched_at, and the error when it failed).

>>> report = fetch(["http://127.0.0.1:8000/news/t20210121_1.html"], "corpus/")  # doctest: +SKIP
>>> report.failures                                                          # doctest: +SKIP
[]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from .errors import CheguError, InputError

USER_AGENT = "cheguKG/0.1 (+https://w3id.org/chegukg; research crawler)"
INDEX_NAME = "index.jsonl"
#: Pages go in a sub-folder so that ``chegukg build OUT/pages`` does not read index.jsonl
#: (a JSON-lines file without article text) as a corpus.
PAGES_DIR = "pages"

#: Article URLs on Chinese government and news sites: .../202101/t20210121_1605853.html,
#: .../art/2021/1/21/art_1234_567890.html, .../content_5678.htm, .../view/906.html.
DEFAULT_LINK_PATTERN = (r"(?:/t\d{8}_\d+|/art_\d+_\d+|/content_\d+|/\d{4,}[-_/]?\d*/\d+|/view/\d+)"
                        r"\.s?html?(?:[?#]|$)")

#: Statuses worth retrying: the server may answer next time.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: The longest pause a server's Retry-After header can impose before a retry.
MAX_RETRY_AFTER = 120.0


class FetchError(CheguError):
    """A URL could not be fetched; names the URL and the reason."""

    def __init__(self, url: str, problem: str, status: int | None = None):
        self.url = url
        self.problem = problem
        self.status = status
        super().__init__(f"{url}: {problem}")


@dataclass
class FetchResult:
    """One line of ``index.jsonl``. ``status`` is ok, cached, failed or disallowed."""

    url: str
    file: str | None
    status: str
    fetched_at: str
    http_status: int | None = None
    encoding: str | None = None
    title: str | None = None
    published: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("file",)}


@dataclass
class FetchReport:
    """What a fetch run did: one result per URL, in order."""

    out: Path
    results: list[FetchResult] = field(default_factory=list)

    @property
    def failures(self) -> list[FetchResult]:
        return [r for r in self.results if r.status in ("failed", "disallowed")]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        return counts


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def file_name(url: str) -> str:
    """A readable, unique file name for a page: its last path segment and a short URL hash.

    >>> file_name("http://www.whkfq.gov.cn/xxgk/202101/t20210121_1605853.html")
    't20210121_1605853-8645f847.html'
    """
    path = urlsplit(url).path.rstrip("/")
    stem = re.sub(r"\.[A-Za-z0-9]{1,6}$", "", path.rsplit("/", 1)[-1])
    stem = re.sub(r"[^0-9A-Za-z_\-]+", "_", stem).strip("_")[:60] or "page"
    return f"{stem}-{_url_hash(url)[:8]}.html"


class _Cache:
    """Downloaded bodies on disk, keyed by URL: ``<sha1>.body`` and ``<sha1>.json`` (meta)."""

    def __init__(self, root: Path):
        self.root = root

    def _paths(self, url: str) -> tuple[Path, Path]:
        h = _url_hash(url)
        base = self.root / h[:2] / h
        return base.with_suffix(".body"), base.with_suffix(".json")

    def get(self, url: str) -> tuple[bytes, dict] | None:
        body, meta = self._paths(url)
        try:
            return body.read_bytes(), json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, url: str, data: bytes, meta: dict) -> None:
        body, meta_path = self._paths(url)
        body.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(body, data)
        _atomic_write(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str = ""


class Fetcher:
    """Polite HTTP GETs: robots.txt, a per-host pause, retries with back-off, a disk cache.

    ``sleep`` and ``clock`` are injectable so tests can check the pauses without waiting.
    """

    def __init__(self, *, rate: float = 1.0, retries: int = 3, backoff: float = 1.0,
                 timeout: float = 20.0, cache: str | Path | None = None,
                 user_agent: str = USER_AGENT, respect_robots: bool = True,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        import httpx

        self.rate = rate
        self.retries = retries
        self.backoff = backoff
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        self.cache = _Cache(Path(cache)) if cache else None
        self.sleep = sleep
        self.clock = clock
        self._last: dict[str, float] = {}
        self._robots: dict[str, object] = {}
        self._client = httpx.Client(timeout=timeout, follow_redirects=True,
                                    headers={"User-Agent": user_agent})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- politeness ---------------------------------------------------------------------
    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _robots_for(self, url: str):
        from urllib.robotparser import RobotFileParser

        host = self._host(url)
        if host not in self._robots:
            parser = RobotFileParser(host + "/robots.txt")
            try:
                resp = self._get(host + "/robots.txt", retries=1)
            except FetchError:
                resp = None
            if resp is None or resp.status >= 500:
                parser.disallow_all = True  # RFC 9309: an unreachable robots.txt forbids all
            elif resp.status in (401, 403):
                parser.disallow_all = True
            elif resp.status >= 400:
                parser.allow_all = True
            else:
                parser.parse(resp.content.decode("utf-8", "replace").splitlines())
            self._robots[host] = parser
        return self._robots[host]

    def allowed(self, url: str) -> bool:
        """Does the site's robots.txt let this crawler fetch ``url``?"""
        return not self.respect_robots or self._robots_for(url).can_fetch(self.user_agent, url)

    def _pause(self, url: str) -> None:
        host = self._host(url)
        delay = self.rate
        robots = self._robots.get(host)
        if robots is not None and self.respect_robots:
            delay = max(delay, float(robots.crawl_delay(self.user_agent) or 0))
        last = self._last.get(host)
        if last is not None and delay > 0:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    # -- requests -----------------------------------------------------------------------
    def _get(self, url: str, retries: int | None = None) -> Response:
        """GET with the per-host pause and retries; 4xx (but 429) is an answer, not retried."""
        import httpx

        retries = self.retries if retries is None else retries
        problem, status, asked = "no attempt made", None, 0.0
        for attempt in range(retries + 1):
            if attempt:  # exponential back-off, or longer if the server asked (Retry-After)
                self.sleep(max(self.backoff * 2 ** (attempt - 1), asked))
            self._pause(url)
            try:
                resp = self._client.get(url)
            except httpx.TimeoutException:
                problem, status = "timed out", None
                continue
            except httpx.HTTPError as exc:
                problem, status = f"{type(exc).__name__}: {exc}", None
                continue
            if resp.status_code in RETRY_STATUSES:
                problem, status = f"HTTP {resp.status_code}", resp.status_code
                asked = _retry_after(resp.headers.get("retry-after"))
                continue
            return Response(str(resp.url), resp.status_code, resp.content,
                            resp.headers.get("content-type", ""))
        raise FetchError(url, f"{problem} after {retries + 1} attempt(s)", status)

    def get(self, url: str, *, use_cache: bool = True) -> tuple[Response, bool]:
        """A successful (2xx) response for ``url`` and whether it came from the cache."""
        if use_cache and self.cache:
            hit = self.cache.get(url)
            if hit is not None:
                data, meta = hit
                return Response(meta.get("url", url), meta.get("status", 200), data,
                                meta.get("content_type", "")), True
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt")
        resp = self._get(url)
        if resp.status >= 400:
            raise FetchError(url, f"HTTP {resp.status}", resp.status)
        if use_cache and self.cache:
            self.cache.put(url, resp.content, {"url": resp.url, "status": resp.status,
                                               "content_type": resp.content_type,
                                               "fetched_at": _now()})
        return resp, False


def _retry_after(value: str | None, cap: float = MAX_RETRY_AFTER) -> float:
    """Seconds a Retry-After header asks for (delta-seconds form; dates ignored), capped."""
    try:
        return min(max(float(value), 0.0), cap) if value else 0.0
    except ValueError:
        return 0.0


# -- decoding -------------------------------------------------------------------------------
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"(<meta[^>]*charset\s*=\s*[\"']?)([A-Za-z0-9_\-]+)", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936"}


def decode_page(resp: Response) -> tuple[str, str]:
    """(HTML text, the encoding it was in): HTTP header charset, else the page's meta
    charset, else :func:`cheguKG.ingest.decode`'s UTF-8 / GB18030 detection."""
    from . import ingest

    m = _CHARSET.search(resp.content_type)
    declared = (m.group(1) if m else None) or ingest._html_charset(resp.content)
    if declared and declared.lower() in _GB:
        declared = "gb18030"  # a superset: pages that say gb2312 often hold GBK characters
    if declared:
        try:
            return ingest.decode(resp.content, resp.url, declared), declared.lower()
        except InputError:
            pass  # the declaration lied; detect instead
    text = ingest.decode(resp.content, resp.url)
    try:
        resp.content.decode("utf-8-sig")
        return text, "utf-8"
    except UnicodeDecodeError:
        return text, "gb18030"


_CANONICAL = re.compile(r"<link[^>]+rel\s*=\s*[\"']?canonical|<meta[^>]+property\s*=\s*[\"']?og:url",
                        re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def with_source_url(html: str, url: str) -> str:
    """The page with a ``<link rel="canonical">`` naming where it came from, unless it has
    one: ingest (trafilatura) reads it back, so the built graph keeps each article's URL."""
    if _CANONICAL.search(html[:20000]):
        return html
    from html import escape

    link = f'<link rel="canonical" href="{escape(url, quote=True)}">'
    m = _HEAD.search(html[:20000])
    return html[:m.end()] + link + html[m.end():] if m else link + html


def as_utf8(html: str) -> bytes:
    """The page as UTF-8 bytes whose charset declaration says so, for ingest to read back."""
    data = html.encode("utf-8")
    head, tail = data[:4096], data[4096:]
    head = _META_CHARSET.sub(lambda m: m.group(1) + b"utf-8", head)
    return head + tail


# -- finding article URLs -------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, anchor text)
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self._href, self._text = href, []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def page_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """Every ``<a href>`` of a page as (absolute URL without fragment, anchor text)."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href, text in parser.links:
        if href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        out.append((urldefrag(urljoin(base_url, href.strip()))[0], text))
    return out


def article_links(html: str, base_url: str, pattern: str = DEFAULT_LINK_PATTERN) -> list[str]:
    """Same-site links of a list page that look like articles, in page order, once each."""
    host = urlsplit(base_url).netloc
    regex = re.compile(pattern)
    seen: dict[str, None] = {}
    for url, _ in page_links(html, base_url):
        if urlsplit(url).netloc == host and urlsplit(url).scheme in ("http", "https") and regex.search(url):
            seen.setdefault(url, None)
    return list(seen)


def next_page(html: str, base_url: str) -> str | None:
    """The list page's 下一页 (next page) link, if it has one on the same site."""
    host = urlsplit(base_url).netloc
    for url, text in page_links(html, base_url):
        if text in ("下一页", "下页", "Next", "next", ">") and urlsplit(url).netloc == host and url != base_url:
            return url
    return None


def sitemap_urls(fetcher: Fetcher, url: str, *, depth: int = 3) -> list[str]:
    """Page URLs of a sitemap (``urlset``), following ``sitemapindex`` files and .xml.gz."""
    import xml.etree.ElementTree as ET

    resp, _ = fetcher.get(url, use_cache=False)
    data = resp.content
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(url, f"not a sitemap (XML parse error: {exc})") from exc
    locs = [el.text.strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc" and el.text]
    if root.tag.rsplit("}", 1)[-1] == "sitemapindex":
        if depth <= 0:
            return []
        out: list[str] = []
        for child in locs:
            out.extend(sitemap_urls(fetcher, child, depth=depth - 1))
        return out
    return locs


def list_page_urls(fetcher: Fetcher, url: str, *, pattern: str = DEFAULT_LINK_PATTERN,
                   max_pages: int = 1) -> list[str]:
    """Article URLs linked from a list page and up to ``max_pages - 1`` of its next pages."""
    found: dict[str, None] = {}
    seen_pages: set[str] = set()
    page: str | None = url
    while page and len(seen_pages) < max_pages and page not in seen_pages:
        seen_pages.add(page)
        resp, _ = fetcher.get(page, use_cache=False)
        html, _ = decode_page(resp)
        for link in article_links(html, resp.url, pattern):
            found.setdefault(link, None)
        page = next_page(html, resp.url)
    return list(found)


def read_url_file(path: str | Path) -> list[str]:
    """URLs from a text file, one a line; blank lines and # comments skipped ("-" = stdin)."""
    import sys

    if str(path) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError as exc:
            raise InputError(str(path), "no such file: pass a file with one URL a line") from exc
    urls = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    bad = [u for u in urls if urlsplit(u).scheme not in ("http", "https")]
    if bad:
        raise InputError(str(path), f"not an http(s) URL: {bad[0]!r}")
    return urls


# -- the corpus folder ----------------------------------------------------------------------
def read_index(out: str | Path) -> dict[str, dict]:
    """The corpus folder's index as {url: record}."""
    path = Path(out) / INDEX_NAME
    records: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and "url" in rec:
                records[rec["url"]] = rec
    return records


def _write_index(out: Path, records: dict[str, dict]) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records.values())
    _atomic_write(out / INDEX_NAME, lines.encode("utf-8"))


def fetch_one(fetcher: Fetcher, url: str, out: Path) -> FetchResult:
    """Fetch one page into ``out`` (from the cache when it is there); never raises."""
    name = f"{PAGES_DIR}/{file_name(url)}"
    try:
        resp, cached = fetcher.get(url)
        html, encoding = decode_page(resp)
    except (FetchError, InputError) as exc:
        status = "disallowed" if "robots.txt" in str(exc) else "failed"
        return FetchResult(url, None, status, _now(), getattr(exc, "status", None), error=str(exc))
    html = with_source_url(html, resp.url)
    _atomic_write(out / name, as_utf8(html))
    result = FetchResult(url, name, "cached" if cached else "ok", _now(), resp.status, encoding)
    try:
        from .ingest import parse_html

        article = parse_html(html, Path(name).name, str(out / name), url=url)
        result.title, result.published = article.title, article.published
    except InputError as exc:
        result.error = f"saved, but {exc.problem}"
    return result


def fetch(urls: Iterable[str] = (), out: str | Path = "corpus", *, sitemap: str | None = None,
          list_page: str | None = None, link_pattern: str = DEFAULT_LINK_PATTERN,
          max_pages: int = 1, rate: float = 1.0, retries: int = 3, backoff: float = 1.0,
          timeout: float = 20.0, cache: str | Path | None = None,
          fetcher: Fetcher | None = None,
          progress: Callable[[FetchResult], None] | None = None) -> FetchReport:
    """Download ``urls`` (plus a sitemap's or a list page's articles) into the folder ``out``.

    The cache defaults to ``out/.cache`` (hidden, so ingest skips it); ``index.jsonl`` keeps
    earlier runs' lines and is rewritten after every page, so an interrupted run loses nothing.
    """
    out = Path(out)
    (out / PAGES_DIR).mkdir(parents=True, exist_ok=True)
    own = fetcher is None
    fetcher = fetcher or Fetcher(rate=rate, retries=retries, backoff=backoff, timeout=timeout,
                                 cache=cache or out / ".cache")
    report = FetchReport(out)
    try:
        todo = list(dict.fromkeys(_gather(fetcher, urls, sitemap, list_page, link_pattern,
                                          max_pages, report)))
        index = read_index(out)
        for url in todo:
            result = fetch_one(fetcher, url, out)
            report.results.append(result)
            index[url] = result.to_dict()
            _write_index(out, index)
            if progress:
                progress(result)
    finally:
        if own:
            fetcher.close()
    return report


def _gather(fetcher: Fetcher, urls: Iterable[str], sitemap: str | None, list_page: str | None,
            pattern: str, max_pages: int, report: FetchReport) -> Iterator[str]:
    yield from urls
    for kind, source in (("sitemap", sitemap), ("list page", list_page)):
        if not source:
            continue
        try:
            if kind == "sitemap":
                yield from sitemap_urls(fetcher, source)
            else:
                yield from list_page_urls(fetcher, source, pattern=pattern, max_pages=max_pages)
        except (FetchError, InputError) as exc:
            report.results.append(FetchResult(source, None, "failed", _now(),
                                              getattr(exc, "status", None),
                                              error=f"{kind}: {exc}"))
