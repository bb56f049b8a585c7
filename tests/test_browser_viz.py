"""The network page in headless Chromium: it loads with no console errors and no network,
draws every node and edge, and its search, toggles, panel and timeline work; an article
carrying <script> and onerror= runs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_viz import ARTICLES, EVIL, FACTS, IRI, NAME, S3, TYPE, sample_dataset, synthetic

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def graph():
    from cheguKG.netx import to_networkx

    return to_networkx(sample_dataset())


@pytest.fixture(scope="module")
def page_file(graph, tmp_path_factory) -> Path:
    from cheguKG.viz import write_html

    return write_html(graph, tmp_path_factory.mktemp("viz") / "graph.html")


class Opened:
    """A loaded page with what it logged, fetched and tried to pop up."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.as_uri()
        self.page.goto(self.url)
        # Poll from outside: the page's CSP forbids the eval wait_for_function would inject.
        for _ in range(600):
            if self.js("!!(window.cheguKG && window.cheguKG.settledAt !== null)"):
                break
            self.page.wait_for_timeout(50)
        else:
            raise AssertionError(f"{path} did not settle in 30 s")

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def drawn(self) -> tuple[int, int]:
        return tuple(self.js("[cheguKG.network.body.nodeIndices.length, cheguKG.network.body.edgeIndices.length]"))

    def vis_id(self, iri: str) -> int:
        return self.js(f"Object.keys(cheguKG.data.details).map(Number).find(k => cheguKG.data.details[k].iri === {iri!r})")

    def fetched_elsewhere(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


@pytest.fixture()
def opened(browser, page_file):
    view = Opened(browser, page_file)
    yield view
    view.page.close()


def test_browser_viz_loads_clean_and_draws_every_node_and_edge(opened, graph):
    assert opened.drawn() == (graph.number_of_nodes(), graph.number_of_edges())
    assert opened.errors == []
    assert opened.fetched_elsewhere() == []
    assert opened.page.locator("#cg-types input").count() == len(set(TYPE.values()))


def test_browser_viz_search_focuses_a_node_by_alias(opened):
    opened.page.fill("#cg-search-input", "车谷")
    opened.page.press("#cg-search-input", "Enter")
    assert opened.page.locator("#cg-panel h2").text_content() == NAME["zone"]
    assert opened.js("cheguKG.network.getSelectedNodes()") == [opened.vis_id(IRI["zone"])]


def test_browser_viz_search_says_when_nothing_is_found(opened):
    opened.page.fill("#cg-search-input", "没有这个名字")
    opened.page.click("#cg-search button")
    assert "not found" in opened.page.locator("#cg-search-status").text_content()


def test_browser_viz_type_toggle_hides_and_shows(opened, graph):
    people = {IRI[k] for k, t in TYPE.items() if t == "Person"}
    kept_edges = [f for f in FACTS if IRI[f[0]] not in people and IRI[f[2]] not in people]
    opened.page.uncheck('#cg-types input[data-name="Person"]')
    assert opened.drawn() == (graph.number_of_nodes() - len(people), len(kept_edges))
    opened.page.check('#cg-types input[data-name="Person"]')
    assert opened.drawn() == (graph.number_of_nodes(), graph.number_of_edges())


def test_browser_viz_hide_entities_without_relations(opened, graph):
    lonely = [n for n in graph if graph.degree(n) == 0]
    assert lonely  # the sample has one (CEO)
    opened.page.check("#cg-isolated")
    assert opened.drawn() == (graph.number_of_nodes() - len(lonely), graph.number_of_edges())
    opened.page.fill("#cg-search-input", graph.nodes[lonely[0]]["label"])
    opened.page.press("#cg-search-input", "Enter")  # searching for one shows it again
    assert opened.drawn() == (graph.number_of_nodes(), graph.number_of_edges())


def test_browser_viz_relation_toggle_and_english_labels(opened, graph):
    inspects = sum(1 for f in FACTS if f[1] == "inspects")
    opened.page.uncheck('#cg-relations input[data-name="inspects"]')
    assert opened.drawn() == (graph.number_of_nodes(), graph.number_of_edges() - inspects)
    labels = set(opened.js("cheguKG.edges.get().map(e => e.label)"))
    assert "审议通过" in labels
    opened.page.check("#cg-english")
    assert "adopts" in set(opened.js("cheguKG.edges.get().map(e => e.label)"))


def test_browser_viz_click_opens_panel_with_source_sentence(opened):
    node = opened.vis_id(IRI["lu"])
    opened.js(f"cheguKG.network.moveTo({{position: cheguKG.network.getPosition({node}), scale: 1.5}})")
    point = opened.js(f"cheguKG.network.canvasToDOM(cheguKG.network.getPosition({node}))")
    box = opened.page.locator("#cg-network").bounding_box()
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = opened.page.locator("#cg-panel")
    assert panel.is_visible()
    assert panel.locator("h2").text_content() == NAME["lu"]
    assert S3 in panel.locator("blockquote").all_text_contents()
    assert panel.locator(".cg-src a").first.get_attribute("href") == ARTICLES[0][1]
    assert NAME["lantu"] in panel.locator(".cg-relations-list").text_content()


def test_browser_viz_timeline_links_back_to_the_network(opened):
    opened.page.click("#cg-tab-timeline")
    assert opened.page.locator("#cg-timeline").is_visible()
    dates = opened.page.locator("#cg-meetings time").all_text_contents()
    assert dates == sorted(dates) and dates[0] == "2023-12-09"
    opened.page.locator("#cg-meetings dd button", has_text=NAME["body"]).click()
    assert not opened.page.locator("#cg-timeline").is_visible()
    assert opened.page.locator("#cg-panel h2").text_content() == NAME["body"]


def test_browser_viz_xss_article_cannot_run_code(opened):
    evil = opened.vis_id(IRI["evil"])
    opened.js(f"cheguKG.openNode({evil})")
    opened.page.fill("#cg-search-input", "window.__pwned")
    opened.page.press("#cg-search-input", "Enter")
    opened.js(f"cheguKG.openNode({opened.vis_id(IRI['meeting2'])})")
    quotes = opened.page.locator("#cg-panel blockquote").all_text_contents()
    assert EVIL in quotes  # shown as text
    link = opened.page.locator("#cg-panel .cg-src a").first
    assert link.get_attribute("href") is None  # a javascript: URL is not made a link
    # Hover the evil node so its tooltip is built, then look for any effect.
    point = opened.js(f"cheguKG.network.canvasToDOM(cheguKG.network.getPosition({evil}))")
    box = opened.page.locator("#cg-network").bounding_box()
    opened.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    opened.page.wait_for_timeout(400)
    opened.page.click("#cg-tab-timeline")
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == []
    assert opened.page.locator("img").count() == 0
    assert opened.errors == []


@pytest.mark.parametrize("n", [0, 40, 800])
def test_browser_viz_synthetic_counts_and_settles(browser, tmp_path, n):
    from cheguKG.viz import write_html

    g = synthetic(n)
    view = Opened(browser, write_html(g, tmp_path / f"s{n}.html"))
    try:
        assert view.drawn() == (g.number_of_nodes(), g.number_of_edges())
        before = view.js("JSON.stringify(cheguKG.network.getPositions())")
        view.page.wait_for_timeout(500)
        assert view.js("JSON.stringify(cheguKG.network.getPositions())") == before  # stopped moving
        assert view.errors == [] and view.fetched_elsewhere() == []
    finally:
        view.page.close()


def test_browser_viz_csp_blocks_markup_even_if_some_got_in(opened):
    """Defence in depth: were a label ever put in as HTML, its handler still would not run."""
    opened.js("""document.body.insertAdjacentHTML('beforeend',
        '<img src="x.png" onerror="window.__pwned=7"><a id="cg-x" href="#" onclick="window.__pwned=8">x</a>')""")
    opened.page.click("#cg-x")
    opened.page.wait_for_timeout(300)
    assert opened.js("typeof window.__pwned") == "undefined"
    assert any("Content Security Policy" in e for e in opened.errors)


def test_browser_viz_notebook_view_runs_inside_its_iframe(browser, graph, tmp_path):
    """What Jupyter shows: the page in a sandboxed srcdoc iframe, no server, no CDN."""
    from cheguKG.viz import notebook_view

    outer = tmp_path / "notebook.html"
    outer.write_text(f"<!DOCTYPE html><html><body>{notebook_view(graph).data}</body></html>", encoding="utf-8")
    page = browser.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(outer.as_uri())
        frame = page.frames[1]
        for _ in range(600):
            if frame.evaluate("!!(window.cheguKG && window.cheguKG.settledAt !== null)"):
                break
            page.wait_for_timeout(50)
        drawn = frame.evaluate("[cheguKG.network.body.nodeIndices.length, cheguKG.network.body.edgeIndices.length]")
        assert tuple(drawn) == (graph.number_of_nodes(), graph.number_of_edges())
        frame.click("#cg-tab-timeline")
        assert frame.locator("#cg-timeline").is_visible()
        assert errors == [] and [u for u in requests if u != outer.as_uri() and u != "about:srcdoc"] == []
    finally:
        page.close()
