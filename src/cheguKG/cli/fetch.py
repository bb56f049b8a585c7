"""``chegukg fetch``: download articles into a local corpus folder."""

from __future__ import annotations

import sys

import click

from . import main


@main.command("fetch")
@click.argument("urls_file", required=False)
@click.option("--sitemap", default=None, metavar="URL", help="Fetch every page a sitemap.xml lists.")
@click.option("--list-page", default=None, metavar="URL",
              help="Fetch the same-site article links of a list page.")
@click.option("--link-pattern", default=None, metavar="REGEX",
              help="Which list-page links are articles (default: t20210121_123.html-like URLs).")
@click.option("--max-pages", default=1, show_default=True,
              help="Follow a list page's 下一页 links up to this many pages.")
@click.option("--out", "out", default="corpus", show_default=True, type=click.Path(file_okay=False),
              help="The corpus folder: OUT/pages/ (one .html per page) and OUT/index.jsonl.")
@click.option("--rate", default=1.0, show_default=True,
              help="Seconds between two requests to the same host (robots.txt Crawl-delay wins if longer).")
@click.option("--retries", default=3, show_default=True,
              help="Retries on 5xx, 429 and timeouts, with exponential back-off.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for one response.")
@click.option("--cache", default=None, type=click.Path(file_okay=False),
              help="Cache folder (default: OUT/.cache); cached pages are never downloaded again.")
def fetch_cmd(urls_file, sitemap, list_page, link_pattern, max_pages, out, rate, retries, timeout, cache):
    """Download articles into a corpus folder; then `chegukg build OUT/pages`.

    URLS_FILE holds one URL a line (- for standard input); or give --sitemap or --list-page.
    robots.txt is respected; failures are listed at the end and in OUT/index.jsonl.
    """
    from ..fetch import DEFAULT_LINK_PATTERN, fetch, read_url_file

    if not (urls_file or sitemap or list_page):
        raise click.UsageError("give a URLS_FILE, --sitemap URL or --list-page URL")
    urls = read_url_file(urls_file) if urls_file else []

    def progress(result):
        click.echo(f"{result.status:10} {result.url}" + (f"  -> {result.file}" if result.file else ""),
                   err=True)

    report = fetch(urls, out, sitemap=sitemap, list_page=list_page,
                   link_pattern=link_pattern or DEFAULT_LINK_PATTERN, max_pages=max_pages,
                   rate=rate, retries=retries, timeout=timeout, cache=cache, progress=progress)
    counts = ", ".join(f"{n} {status}" for status, n in sorted(report.counts().items()))
    click.echo(f"{len(report.results)} URL(s): {counts or 'nothing to fetch'}; pages in {report.out / 'pages'}")
    if report.failures:
        click.echo(f"{len(report.failures)} failed:", err=True)
        for r in report.failures:
            click.echo(f"  {r.error}", err=True)
        sys.exit(1)
