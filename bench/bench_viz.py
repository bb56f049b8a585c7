"""How long the network page takes to settle in headless Chromium, at 500, 2,000 and 5,000 nodes.

"Settled" is the page's own signal (window.cheguKG.settledAt, performance.now() since
navigation start): physics off, or its bounded stabilisation finished and switched off, and a
frame drawn. The script then checks that no node moves for a second. Also reported: the
Python side (layout + page), the page size, and how long a type toggle takes to redraw.

    .venv/bin/python bench/bench_viz.py              # 500, 2000, 5000 nodes, 3 loads each
    .venv/bin/python bench/bench_viz.py 500 --physics  # force the bounded physics settle
    .venv/bin/python bench/bench_viz.py 5000 --link 1  # denser: about twice the edges

Target (issue 6): under 10 s at 5,000 nodes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TYPES = ["Person", "GovernmentBody", "Enterprise", "Organization", "Place", "Meeting", "Policy",
         "Project", "Industry", "Position"]
RELATIONS = {("Person", "Enterprise"): "holds_position", ("Person", "GovernmentBody"): "holds_position",
             ("Meeting", "GovernmentBody"): "convened_by", ("Meeting", "Place"): "inspects",
             ("Meeting", "Policy"): "adopts", ("Enterprise", "Place"): "located_in",
             ("Project", "Place"): "located_in", ("Enterprise", "Industry"): "in_industry",
             ("Enterprise", "Project"): "undertakes", ("Person", "Meeting"): "comments_on"}


def news_like(n: int, seed: int = 7, link: float = 0.5):
    """A graph shaped like a news corpus: articles of ~12 entities around a meeting, sharing
    places, industries and bodies (hubs) with other articles."""
    import networkx as nx

    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    hubs = {t: [] for t in TYPES}

    def entity(type_: str, article: int) -> str:
        node = f"n{len(g)}"
        g.add_node(node, label=f"{type_}{len(g)}号", type=type_, aliases=[f"别名{len(g)}"], iri=f"urn:{node}",
                   sources=[{"sentence": f"第{article}篇文章中的一句话，提到{type_}{len(g)}号。",
                             "article": f"{article:05d}.txt", "issued": "2023-12-10"}])
        if type_ == "Meeting":
            g.nodes[node]["held_on"] = f"2023-{1 + article % 12:02d}-{1 + article % 28:02d}"
        hubs[type_].append(node)
        return node

    article = 0
    while len(g) < n:
        members = [entity("Meeting", article)]
        for type_ in rnd.choices(TYPES, k=11):
            if len(g) >= n:
                break
            reuse = hubs[type_] and type_ in ("Place", "Industry", "GovernmentBody") and rnd.random() < 0.6
            members.append(rnd.choice(hubs[type_]) if reuse else entity(type_, article))
        for head in members:
            for tail in members:
                relation = RELATIONS.get((g.nodes[head]["type"], g.nodes[tail]["type"]))
                if relation and head != tail and rnd.random() < link:
                    g.add_edge(head, tail, key=relation, relation=relation, label=relation, label_en=relation,
                               sources=[{"sentence": f"第{article}篇的关系句。", "article": f"{article:05d}.txt"}])
        article += 1
    return g


def measure(browser, path: Path) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    wall = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    # Poll from outside: the page's CSP forbids the eval that wait_for_function would inject.
    while not page.evaluate("!!(window.cheguKG && window.cheguKG.settledAt !== null)"):
        if time.perf_counter() - wall > 120:
            raise TimeoutError(f"{path} did not settle in 120 s")
        page.wait_for_timeout(50)
    wall = time.perf_counter() - wall
    settled = page.evaluate("window.cheguKG.settledAt") / 1000
    before = page.evaluate("JSON.stringify(cheguKG.network.getPositions())")
    page.wait_for_timeout(1000)
    still = page.evaluate("JSON.stringify(cheguKG.network.getPositions())") == before
    drawn = page.evaluate("cheguKG.network.body.nodeIndices.length")
    toggle = page.evaluate("""() => new Promise(done => {
        const box = document.querySelector('#cg-types input');
        const t0 = performance.now();
        cheguKG.network.once('afterDrawing', () => done(performance.now() - t0));
        box.click();
    })""") / 1000
    page.close()
    if errors:
        print("  page errors:", errors[:3], file=sys.stderr)
    return {"settled": settled, "wall": wall, "still": still, "drawn": drawn, "toggle": toggle}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--physics", action="store_true", default=None, help="force physics on")
    parser.add_argument("--link", type=float, default=0.5,
                        help="chance that two entities of one article that can be related are (density)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from cheguKG.viz import write_html

    print(f"{'nodes':>6} {'edges':>6} {'python s':>9} {'page MB':>8} {'settle s (median, max)':>24} "
          f"{'still':>6} {'toggle s':>9}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            g = news_like(n, link=args.link)
            t0 = time.perf_counter()
            path = write_html(g, Path(tmp) / f"g{n}.html", physics=args.physics)
            python_s = time.perf_counter() - t0
            runs = [measure(browser, path) for _ in range(args.repeat)]
            settle = [r["settled"] for r in runs]
            assert all(r["drawn"] == len(g) for r in runs), "not every node was drawn"
            print(f"{len(g):>6} {g.number_of_edges():>6} {python_s:>9.2f} {path.stat().st_size / 1e6:>8.1f} "
                  f"{statistics.median(settle):>15.2f}, {max(settle):>6.2f} "
                  f"{str(all(r['still'] for r in runs)):>6} {statistics.median(r['toggle'] for r in runs):>9.2f}",
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
