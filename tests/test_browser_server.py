"""Headless Chromium (Debian's, via Playwright) on the query page of a live `chegukg serve`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from test_push import free_port, wait_for
from test_server import PERSON, write_store

CHROMIUM = Path("/usr/bin/chromium")
CHEGUKG = str(Path(sys.executable).parent / "chegukg")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    store = write_store(tmp_path_factory.mktemp("browser") / "store")
    port = free_port()
    process = subprocess.Popen([CHEGUKG, "serve", "--store", str(store), "--port", str(port), "--workers", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/queries.json", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def page(base):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        outside = []

        def block_outside(route):  # the page must work with no network: nothing leaves loopback
            outside.append(route.request.url)
            route.abort()

        context.route(lambda url: not url.startswith(base), block_outside)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        assert not outside, outside
        browser.close()


QUERY = """SELECT ?entity ?label WHERE {
  ?entity a cg:Person ; skos:prefLabel ?label .
}"""


def test_browser_server_runs_a_query_and_opens_an_entity(base, page):
    page.goto(base + "/")
    page.wait_for_function("document.querySelectorAll('#examples option').length > 1")
    assert page.input_value("#query").strip()  # preloaded with a competency query
    page.fill("#query", QUERY)
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr")
    headers = page.locator("#result-table th").all_inner_texts()
    assert headers == ["entity", "label"]
    assert "卢放" in page.locator("#result-table tbody").inner_text()
    link = page.locator("#result-table tbody a.iri").first
    assert link.get_attribute("href") == "/entity?iri=" + quote(PERSON, safe="")
    link.click()
    page.wait_for_selector("h1#label")
    assert page.inner_text("h1#label") == "卢放"
    assert "岚图汽车" in page.inner_text("#out")
    sources = page.inner_text("#sources")
    assert "<script>alert('x')</script>" in sources  # shown as text, not run
    assert page.evaluate("document.querySelectorAll('main script').length") == 0


def test_browser_server_shows_errors_in_the_json_shape(base, page):
    page.goto(base + "/")
    page.wait_for_function("document.querySelectorAll('#examples option').length > 1")
    page.fill("#query", "SELECT ?x WHERE {")
    page.click("#run")
    page.wait_for_selector("#error")
    assert "400 Malformed query" in page.inner_text("#error")
