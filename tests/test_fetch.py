"""chegukg fetch against fixture pages served from a local HTTP server on 127.0.0.1.

The server is started here, in a thread; no other address is ever contacted (the list page
links off-site on purpose, and a test checks that link is not followed).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from cheguKG import ingest
from cheguKG.cli import main
from cheguKG.fetch import (
    DEFAULT_LINK_PATTERN,
    Fetcher,
    article_links,
    fetch,
    file_name,
    read_index,
    with_source_url,
)

PARAGRAPHS = [
    "12月9日，市委常委会专题调研武汉经开区并召开会议，要加快建设产城融合的现代化车谷，"
    "在全市高质量发展中更好发挥引领带动作用。",
    "连日来，武汉经开区社会各界纷纷表示，要认真学习领会市委常委会专题会议精神，将坚定信心、"
    "迎难而上，创新突破、实干争先，为经开区二次创业凝心聚力。",
    "岚图汽车CEO卢放表示，岚图将全力以赴打造高端智能电动汽车品牌，为中国车谷建设贡献力量。",
]


def article_page(title: str, charset: str = "utf-8", meta: bool = True) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if meta else ""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<html><head>{head}<title>{title}</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div>"
            f"<div class='article'><h1>{title}</h1><p>发布时间：2021-01-21 来源：武汉经开区</p>"
            f"{body}</div><div class='footer'><p>主办单位：武汉经济技术开发区管委会</p>"
            f"<p>网站标识码：4201000001</p></div></body></html>")


LIST_PAGE = """<html><head><meta charset="utf-8"><title>要闻</title></head><body><ul>
<li><a href="/news/t20210121_1.html">新闻一</a></li>
<li><a href="./news/t20210122_2.html#top">新闻二</a></li>
<li><a href="/news/t20210121_1.html">新闻一（重复）</a></li>
<li><a href="/about.html">关于我们</a></li>
<li><a href="http://example.com/news/t20210101_9.html">外站文章</a></li>
<li><a href="javascript:void(0)">打印</a></li>
</ul><a href="/list_2.html">下一页</a></body></html>"""

LIST_PAGE_2 = """<html><head><meta charset="utf-8"></head><body>
<a href="/news/t20210123_3.html">新闻三</a></body></html>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/t20210121_1.html</loc></url>
<url><loc>{base}/private/t20210125_5.html</loc></url>
</urlset>"""

ROBOTS = "User-agent: *\nDisallow: /private/\n"


class Site:
    """The fixture site: path -> (status, content-type, body); counts every request."""

    def __init__(self):
        self.hits: Counter[str] = Counter()
        self.flaky_left = 2
        self.lock = threading.Lock()
        gbk = article_page("车谷要闻", "gb2312").encode("gb18030")
        self.pages = {
            "/robots.txt": (200, "text/plain", ROBOTS.encode()),
            "/news/t20210121_1.html": (200, "text/html; charset=utf-8",
                                       article_page("市委常委会调研经开区").encode("utf-8")),
            "/news/t20210122_2.html": (200, "text/html", gbk),
            # GBK bytes, charset only in the HTTP header, none in the page
            "/news/t20210123_3.html": (200, "text/html; charset=GBK",
                                       article_page("岚图汽车", meta=False).encode("gbk")),
            "/private/t20210125_5.html": (200, "text/html", article_page("内部").encode("utf-8")),
            "/list.html": (200, "text/html", LIST_PAGE.encode("utf-8")),
            "/list_2.html": (200, "text/html", LIST_PAGE_2.encode("utf-8")),
        }

    def respond(self, path: str, base: str) -> tuple[int, str, bytes]:
        with self.lock:
            self.hits[path] += 1
            if path == "/flaky/t20210124_4.html":
                if self.flaky_left > 0:
                    self.flaky_left -= 1
                    return 503, "text/plain", b"busy"
                return 200, "text/html", article_page("重试成功").encode("utf-8")
        if path == "/always503/t20210126_6.html":
            return 503, "text/plain", b"busy"
        if path == "/slowdown/t20210127_7.html":
            with self.lock:
                first = self.hits[path] == 1
            return (429, "text/plain", b"slow down") if first else (200, "text/html", article_page("限流").encode())
        if path == "/sitemap.xml":
            return 200, "application/xml", SITEMAP.format(base=base).encode("utf-8")
        return self.pages.get(path, (404, "text/plain", b"not found"))


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            status, ctype, body = state.respond(self.path, base)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if status == 429:
                self.send_header("Retry-After", "7")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def quick(**kw) -> dict:
    """No waiting in tests: no pause between requests, no real back-off sleep."""
    return {"rate": 0.0, "backoff": 0.0, "timeout": 5.0, **kw}


def test_fetch_writes_pages_and_index(site, tmp_path):
    url = site.base + "/news/t20210121_1.html"
    report = fetch([url], tmp_path, **quick())
    assert report.failures == []
    index = read_index(tmp_path)
    rec = index[url]
    assert rec["status"] == "ok" and rec["file"] == f"pages/{file_name(url)}" and rec["fetched_at"]
    article = ingest.read(tmp_path / rec["file"])[0]
    assert article.title == "市委常委会调研经开区"
    assert article.url == url  # the saved page names where it came from
    assert "岚图汽车CEO卢放" in article.text
    assert "主办单位" not in article.text and "网站标识码" not in article.text


@pytest.mark.parametrize("path", ["/news/t20210122_2.html", "/news/t20210123_3.html"])
def test_fetch_decodes_gbk_pages(site, tmp_path, path):
    url = site.base + path
    report = fetch([url], tmp_path, **quick())
    assert report.failures == []
    assert report.results[0].encoding == "gb18030"
    saved = (tmp_path / report.results[0].file).read_bytes()
    saved.decode("utf-8")  # stored as UTF-8 ...
    article = ingest.read(tmp_path / report.results[0].file)[0]  # ... and ingest reads it back
    assert "市委常委会专题调研武汉经开区" in article.text


def test_fetch_uses_cache_instead_of_downloading_again(site, tmp_path):
    url = site.base + "/news/t20210121_1.html"
    fetch([url], tmp_path, **quick())
    report = fetch([url], tmp_path, **quick())
    assert site.hits["/news/t20210121_1.html"] == 1
    assert report.results[0].status == "cached"
    assert (tmp_path / report.results[0].file).exists()


def test_fetch_respects_robots_txt(site, tmp_path):
    url = site.base + "/private/t20210125_5.html"
    report = fetch([url], tmp_path, **quick())
    assert [r.status for r in report.failures] == ["disallowed"]
    assert site.hits["/private/t20210125_5.html"] == 0
    assert read_index(tmp_path)[url]["status"] == "disallowed"


def test_fetch_retries_5xx_then_succeeds(site, tmp_path):
    url = site.base + "/flaky/t20210124_4.html"
    report = fetch([url], tmp_path, **quick(retries=3))
    assert report.failures == []
    assert site.hits["/flaky/t20210124_4.html"] == 3


def test_fetch_backs_off_exponentially(site):
    sleeps: list[float] = []
    with Fetcher(rate=0.0, retries=3, backoff=0.5, sleep=sleeps.append) as fetcher:
        fetcher.get(site.base + "/flaky/t20210124_4.html")
    assert sleeps == [0.5, 1.0]


def test_fetch_honours_retry_after(site):
    sleeps: list[float] = []
    with Fetcher(rate=0.0, retries=2, backoff=0.5, sleep=sleeps.append) as fetcher:
        resp, _ = fetcher.get(site.base + "/slowdown/t20210127_7.html")
    assert resp.status == 200 and sleeps == [7.0]


@pytest.mark.parametrize(("path", "retries", "hits"), [
    ("/always503/t20210126_6.html", 2, 3),   # retried, then given up
    ("/news/t20210199_404.html", 3, 1),       # a 404 is an answer: not retried
])
def test_fetch_lists_failures(site, tmp_path, path, retries, hits):
    url = site.base + path
    ok = site.base + "/news/t20210121_1.html"
    report = fetch([url, ok], tmp_path, **quick(retries=retries))
    assert [r.url for r in report.failures] == [url]
    assert site.hits[path] == hits
    index = read_index(tmp_path)
    assert index[url]["status"] == "failed" and index[url]["file"] is None and index[url]["error"]
    assert index[ok]["status"] == "ok"


def test_fetch_rate_limits_per_host(site):
    now = [100.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(round(s, 3))
        now[0] += s

    with Fetcher(rate=2.0, sleep=sleep, clock=lambda: now[0]) as fetcher:
        for path in ("/news/t20210121_1.html", "/news/t20210122_2.html"):
            fetcher.get(site.base + path)
    # robots.txt, page 1, page 2: two pauses of the full interval (the clock does not move)
    assert sleeps == [2.0, 2.0]


def test_fetch_sitemap(site, tmp_path):
    report = fetch([], tmp_path, sitemap=site.base + "/sitemap.xml", **quick())
    assert {r.url.rsplit("/", 1)[-1]: r.status for r in report.results} == {
        "t20210121_1.html": "ok", "t20210125_5.html": "disallowed"}


def test_fetch_list_page_follows_article_links(site, tmp_path):
    report = fetch([], tmp_path, list_page=site.base + "/list.html", max_pages=2, **quick())
    assert [r.url for r in report.results] == [
        site.base + "/news/t20210121_1.html", site.base + "/news/t20210122_2.html",
        site.base + "/news/t20210123_3.html"]
    assert report.failures == []
    assert site.hits["/about.html"] == 0


@pytest.mark.parametrize(("href", "expected"), [
    ("/xxgk/202101/t20210121_1605853.html", True),
    ("/hxms/202004/t20200421_2534988.shtml", True),
    ("/art/2021/1/21/art_1234_567890.html", True),
    ("/view/906.html", True),
    ("/about.html", False),
    ("/index.html", False),
    ("http://example.com/xxgk/202101/t20210121_1.html", False),  # other site
])
def test_fetch_article_link_pattern(href, expected):
    html = f'<a href="{href}">x</a>'
    links = article_links(html, "http://www.whkfq.gov.cn/list.html", DEFAULT_LINK_PATTERN)
    assert bool(links) is expected


def test_fetch_cli(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# fixture pages\n{site.base}/news/t20210121_1.html\n\n"
                    f"{site.base}/private/t20210125_5.html\n", encoding="utf-8")
    out = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["fetch", str(urls), "--out", str(out), "--rate", "0"])
    assert result.exit_code == 1
    assert "1 failed" in result.output and "robots.txt" in result.output
    lines = [json.loads(ln) for ln in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["status"] for r in lines) == ["disallowed", "ok"]
    assert (out / ".cache").is_dir()
    assert [a.title for a in ingest.iter_articles([out / "pages"])] == ["市委常委会调研经开区"]


def test_fetch_cli_needs_a_source():
    result = CliRunner().invoke(main, ["fetch"])
    assert result.exit_code != 0 and "URLS_FILE" in result.output


@pytest.mark.parametrize(("html", "expected"), [
    ("<html><head><title>t</title></head></html>",
     '<html><head><link rel="canonical" href="http://a.cn/t1.html?x=1&amp;y=2"><title>t</title></head></html>'),
    ('<html><head><link rel="canonical" href="http://b.cn/"></head></html>',
     '<html><head><link rel="canonical" href="http://b.cn/"></head></html>'),  # the page's own wins
    ("<p>no head</p>", '<link rel="canonical" href="http://a.cn/t1.html?x=1&amp;y=2"><p>no head</p>'),
])
def test_fetch_saved_page_names_its_url(html, expected):
    assert with_source_url(html, "http://a.cn/t1.html?x=1&y=2") == expected
