"""netx (RDF -> networkx) and viz (page, figure, notebook, CLI), on a graph built by hand in
rdflib with the vocabulary's terms, laid out as cheguKG's graph module lays it out: a named
graph per article, canonical labels in the entities graph, reified assertions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cheguKG import vocab as V
from cheguKG.errors import CheguError, ConfigError

# -- the sample graph, as tables -----------------------------------------------------------

#: (source, url, date, title)
ARTICLES = [
    ("a1.txt", "https://www.whetdz.gov.cn/a1.html", "2023-12-10", "市委常委会专题调研武汉经开区"),
    ("evil.txt", "javascript:window.__pwned=5", "2024-03-01", '</script><script>window.__pwned=6</script>'),
]
#: (key, type, name, aliases)
ENTITIES = [
    ("meeting", "Meeting", "市委常委会会议", ["市委常委会专题会议"]),
    ("body", "GovernmentBody", "市委常委会", ["武汉市委常委会"]),
    ("zone", "Place", "武汉经开区", ["经开区", "中国车谷", "车谷"]),
    ("policy", "Policy", "《关于支持武汉经开区转型发展的若干措施》", []),
    ("lu", "Person", "卢放", []),
    ("lantu", "Enterprise", "岚图汽车", ["岚图"]),
    ("nev", "Industry", "新能源汽车", []),
    ("evil", "Person", '<img src=x onerror="window.__pwned=1">', ["<script>window.__pwned=2</script>"]),
    ("meeting2", "Meeting", "武汉经开区党工委(扩大)会议", ["党工委扩大会议"]),
    ("ceo", "Position", "CEO", []),
]
S1 = "12月9日，市委常委会专题调研武汉经开区并召开会议。"
S2 = "会议审议通过《关于支持武汉经开区转型发展的若干措施》。"
S3 = "岚图汽车CEO卢放表示，岚图将在经开区加快新能源汽车布局。"
EVIL = '<script>window.__pwned=3</script>他说<img src=x onerror="window.__pwned=4">会议很好。'
#: (head, relation, tail, source, sentence)
FACTS = [
    ("meeting", "convened_by", "body", "a1.txt", S1),
    ("meeting", "inspects", "zone", "a1.txt", S1),
    ("meeting", "adopts", "policy", "a1.txt", S2),
    ("lu", "holds_position", "lantu", "a1.txt", S3),
    ("lu", "comments_on", "meeting", "a1.txt", S3),
    ("lantu", "in_industry", "nev", "a1.txt", S3),
    ("lantu", "located_in", "zone", "a1.txt", S3),
    ("evil", "comments_on", "meeting2", "evil.txt", EVIL),
    ("meeting2", "inspects", "zone", "evil.txt", EVIL),
]
#: (meeting, date, source)
HELD = [("meeting", "2023-12-09", "a1.txt"), ("meeting2", "2024-03-01", "evil.txt")]
TYPE = {key: type_ for key, type_, _, _ in ENTITIES}
NAME = {key: name for key, _, name, _ in ENTITIES}
IRI = {key: V.entity_iri(type_, name) for key, type_, name, _ in ENTITIES}


def sample_dataset():
    """The tables above as an rdflib Dataset."""
    from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

    ds = Dataset()
    u = URIRef
    entities = ds.graph(u(V.ENTITIES_GRAPH))
    for key, type_, name, aliases in ENTITIES:
        entities.add((u(IRI[key]), RDF.type, u(V.CLASS_OF_TYPE[type_])))
        entities.add((u(IRI[key]), u(V.SKOS + "prefLabel"), Literal(name, lang="zh")))
        for alias in aliases:
            entities.add((u(IRI[key]), u(V.SKOS + "altLabel"), Literal(alias, lang="zh")))
    for source, url, day, title in ARTICLES:
        g, art = ds.graph(u(V.graph_iri(source))), u(V.article_iri(source))
        g.add((art, RDF.type, u(V.ARTICLE)))
        g.add((art, u(V.SOURCE_NAME), Literal(source)))
        g.add((art, u(V.SCHEMA + "url"), Literal(url)))
        g.add((art, u(V.DCT + "date"), Literal(day, datatype=XSD.date)))
        g.add((art, u(V.DCT + "title"), Literal(title, lang="zh")))
    for i, (head, relation, tail, source, sentence) in enumerate(FACTS):
        g, prop = ds.graph(u(V.graph_iri(source))), u(V.PROPERTY_OF_RELATION[relation])
        for key in (head, tail):
            g.add((u(IRI[key]), RDF.type, u(V.CLASS_OF_TYPE[TYPE[key]])))
            g.add((u(IRI[key]), RDFS.label, Literal(NAME[key], lang="zh")))
        g.add((u(IRI[head]), prop, u(IRI[tail])))
        node = u(f"{V.CGR}assertion/{i}")
        for p, o in ((RDF.type, u(V.ASSERTION)), (RDF.subject, u(IRI[head])), (RDF.predicate, prop),
                     (RDF.object, u(IRI[tail])), (u(V.SENTENCE_TEXT), Literal(sentence, lang="zh")),
                     (u(V.START), Literal(i * 10)), (u(V.END), Literal(i * 10 + 5)),
                     (u(V.PROV + "wasDerivedFrom"), u(V.article_iri(source)))):
            g.add((node, p, o))
        if relation == "holds_position":
            g.add((node, u(V.TITLE), Literal("CEO", lang="zh")))
    for key, day, source in HELD:
        ds.graph(u(V.graph_iri(source))).add(
            (u(IRI[key]), u(V.PROPERTY_OF_RELATION["held_on"]), Literal(day, datatype=XSD.date)))
    return ds


@pytest.fixture(scope="module")
def dataset():
    return sample_dataset()


@pytest.fixture(scope="module")
def graph(dataset):
    from cheguKG.netx import to_networkx

    return to_networkx(dataset)


@pytest.fixture(scope="module")
def trig_file(dataset, tmp_path_factory) -> Path:
    import warnings

    path = tmp_path_factory.mktemp("rdf") / "sample.trig"
    with warnings.catch_warnings():  # rdflib's TriG writer uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.serialize(destination=str(path), format="trig")
    return path


def edge_set(g) -> set[tuple[str, str, str]]:
    return {(s, k, o) for s, o, k in g.edges(keys=True)}


# -- netx --------------------------------------------------------------------------------

def test_netx_reads_every_entity_and_relation(graph):
    assert set(graph) == set(IRI.values())
    assert edge_set(graph) == {(IRI[h], r, IRI[t]) for h, r, t, _, _ in FACTS}


def test_netx_pyoxigraph_store_gives_the_same_graph(graph, trig_file):
    from cheguKG.netx import open_source, to_networkx

    other = to_networkx(open_source(trig_file))
    assert edge_set(other) == edge_set(graph)
    for node in graph:
        assert other.nodes[node] == graph.nodes[node]


@pytest.mark.parametrize("key", [k for k, *_ in ENTITIES])
def test_netx_node_keeps_label_type_aliases(graph, key):
    data = graph.nodes[IRI[key]]
    _, type_, name, aliases = next(e for e in ENTITIES if e[0] == key)
    assert (data["label"], data["type"], sorted(data["aliases"])) == (name, type_, sorted(aliases))


def test_netx_sources_carry_sentence_and_article(graph):
    sources = graph.nodes[IRI["lu"]]["sources"]
    assert {s["sentence"] for s in sources} == {S3}
    assert sources[0]["article"] == "a1.txt"
    assert sources[0]["url"] == ARTICLES[0][1]
    assert sources[0]["issued"] == "2023-12-10"
    edge = graph.edges[IRI["meeting"], IRI["policy"], "adopts"]
    assert [s["sentence"] for s in edge["sources"]] == [S2]
    assert edge["label"] == "审议通过" and edge["label_en"] == "adopts"


def test_netx_held_on_and_title(graph):
    assert graph.nodes[IRI["meeting"]]["held_on"] == "2023-12-09"
    assert graph.edges[IRI["lu"], IRI["lantu"], "holds_position"]["title"] == "CEO"


FILTERS = [
    ({"types": ["Meeting", "GovernmentBody", "Policy"]}, None),
    ({"types": ["Person"]}, None),
    ({"relations": ["inspects"]}, None),
    ({"types": ["Meeting", "Place"], "relations": ["inspects", "adopts"]}, None),
]


@pytest.mark.parametrize("kwargs", [f for f, _ in FILTERS])
def test_netx_filters_keep_what_is_asked(dataset, kwargs):
    from cheguKG.netx import to_networkx

    g = to_networkx(dataset, **kwargs)
    types = set(kwargs.get("types") or TYPE.values())
    relations = set(kwargs.get("relations") or [r for _, r, *_ in FACTS])
    assert set(g) == {IRI[k] for k, t in TYPE.items() if t in types}
    assert edge_set(g) == {(IRI[h], r, IRI[t]) for h, r, t, _, _ in FACTS
                           if r in relations and TYPE[h] in types and TYPE[t] in types}


@pytest.mark.parametrize("since, until", [("2024-01-01", None), (None, "2023-12-31"), ("2023-12-10", "2023-12-10")])
def test_netx_date_window_keeps_facts_of_dated_articles(dataset, since, until):
    from cheguKG.netx import to_networkx

    day = {source: d for source, _, d, _ in ARTICLES}
    inside = [f for f in FACTS if (since or "0") <= day[f[3]] <= (until or "9")]
    g = to_networkx(dataset, since=since, until=until)
    assert edge_set(g) == {(IRI[h], r, IRI[t]) for h, r, t, _, _ in inside}
    assert {IRI[h] for h, *_ in inside} | {IRI[t] for _, _, t, *_ in inside} <= set(g)


@pytest.mark.parametrize("kwargs", [{"types": ["Company"]}, {"relations": ["owns"]}])
def test_netx_unknown_names_raise_a_clear_error(dataset, kwargs):
    from cheguKG.netx import to_networkx

    with pytest.raises(ConfigError, match="use one of"):
        to_networkx(dataset, **kwargs)


EGO = [  # (name, hops, expected keys)
    ("岚图", 1, {"lantu", "lu", "nev", "zone"}),
    ("岚图汽车", 0, {"lantu"}),
    ("车谷", 1, {"zone", "meeting", "meeting2", "lantu"}),
    (" 卢 放 ", 2, {"lu", "lantu", "meeting", "nev", "zone", "body", "policy"}),
]


@pytest.mark.parametrize("name, hops, expected", EGO)
def test_netx_ego_finds_a_node_by_any_name(graph, name, hops, expected):
    from cheguKG.netx import ego

    sub = ego(graph, name, hops)
    assert set(sub) == {IRI[k] for k in expected}
    assert sub.graph["focus"] in sub


def test_netx_ego_unknown_name_is_a_clean_error(graph):
    from cheguKG.netx import ego

    with pytest.raises(CheguError, match="no entity named"):
        ego(graph, "不存在的名字", 1)


def test_netx_construct_selects_what_to_draw(dataset, trig_file):
    from cheguKG.netx import construct, open_source, to_networkx

    query = ("CONSTRUCT { ?m a cg:Meeting ; skos:prefLabel ?l ; cg:inspects ?p . ?p a ?t ; skos:prefLabel ?pl } "
             "WHERE { ?m a cg:Meeting ; skos:prefLabel ?l ; cg:inspects ?p . ?p a ?t ; skos:prefLabel ?pl }")
    expected = {(IRI[h], r, IRI[t]) for h, r, t, _, _ in FACTS if r == "inspects"}
    for source in (dataset, open_source(trig_file)):
        assert edge_set(to_networkx(construct(source, query))) == expected


# -- the page ------------------------------------------------------------------------------

def page_json(text: str) -> dict:
    block = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', text, re.S).group(1)
    assert "<" not in block and ">" not in block
    return json.loads(block)


def start_tags(text: str) -> list[tuple[str, list]]:
    """The elements an HTML parser sees (script content is not parsed as markup)."""
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[tuple[str, list]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, attrs))

    parser = Tags()
    parser.feed(text)
    return parser.tags


@pytest.fixture(scope="module")
def page(graph) -> str:
    from cheguKG.viz import to_html

    return to_html(graph, title="<b>标题</b>")


def test_viz_page_fetches_nothing(page):
    tags = re.findall(r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*>", page, re.I)
    assert not [t for t in tags if re.search(r"\b(?:src|href)\s*=", t, re.I)]
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert not re.search(r"@import", page)
    assert "default-src 'none'" in page.replace("&#x27;", "'")
    assert "sourceMappingURL" not in page


def test_viz_page_is_one_file_with_vis_network_inside(page):
    assert "vis-network" in page and "new vis.Network" in page
    assert len(page) > 400_000  # vis-network itself is inline


def test_viz_page_data_counts_equal_the_graph(graph, page):
    data = page_json(page)
    assert (len(data["nodes"]), len(data["edges"])) == (graph.number_of_nodes(), graph.number_of_edges())
    assert sum(t["count"] for t in data["types"]) == graph.number_of_nodes()
    assert sum(r["count"] for r in data["relations"]) == graph.number_of_edges()


@pytest.mark.parametrize("n", [50, 600])
def test_viz_synthetic_counts_and_physics_threshold(n):
    from cheguKG.viz import to_html
    from cheguKG.viz.page import PHYSICS_LIMIT

    g = synthetic(n)
    data = page_json(to_html(g))
    assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(), g.number_of_edges())
    assert data["options"]["physics"]["enabled"] is (n <= PHYSICS_LIMIT)
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])


def test_viz_page_escapes_every_label_and_sentence(page):
    outside = re.sub(r'<script type="application/json" id="cg-data">.*?</script>', "", page, flags=re.S)
    for payload in ("__pwned", "<img src=x", "<b>标题</b>"):
        assert payload not in outside
    assert [tag for tag, _ in start_tags(page) if tag == "script"] == ["script"] * 3  # data, vis, ours
    assert not [attrs for _, attrs in start_tags(page) if any(name.startswith("on") for name, _ in attrs)]
    data = page_json(page)
    assert any(d["label"] == NAME["evil"] for d in data["details"].values())  # kept as text, not dropped


def test_viz_page_timeline_lists_meetings_by_date(page):
    timeline = page_json(page)["timeline"]
    assert [m["label"] for m in timeline] == [NAME["meeting"], NAME["meeting2"]]
    first = timeline[0]
    assert first["date"] == "2023-12-09"
    assert [x["label"] for x in first["convened_by"]] == [NAME["body"]]
    assert [x["label"] for x in first["inspects"]] == [NAME["zone"]]
    assert [x["label"] for x in first["adopts"]] == [NAME["policy"]]


def test_viz_page_cuts_long_names_on_the_canvas_only(page):
    data = page_json(page)
    policy = next(k for k, d in data["details"].items() if d["label"] == NAME["policy"])
    drawn = next(n["label"] for n in data["nodes"] if str(n["id"]) == policy)
    assert drawn.endswith("…") and NAME["policy"].startswith(drawn[:-1])


def test_viz_page_caps_sources_but_says_how_many():
    from cheguKG.viz import to_html
    from cheguKG.viz.page import MAX_SOURCES

    g = synthetic(3)
    g.nodes["n0"]["sources"] = [{"sentence": f"句子{i}", "article": "a.txt"} for i in range(MAX_SOURCES + 5)]
    details = page_json(to_html(g))["details"]["0"]
    assert (len(details["sources"]), details["sourceCount"]) == (MAX_SOURCES, MAX_SOURCES + 5)


def test_viz_empty_graph_still_makes_a_page_and_a_figure(tmp_path):
    import networkx as nx

    from cheguKG.viz import to_html, write_image

    data = page_json(to_html(nx.MultiDiGraph()))
    assert (data["nodes"], data["edges"], data["timeline"]) == ([], [], [])
    assert write_image(nx.MultiDiGraph(), tmp_path / "empty.png").stat().st_size > 0


def test_viz_write_html_writes_utf8(graph, tmp_path):
    from cheguKG.viz import write_html

    path = write_html(graph, tmp_path / "sub" / "g.html")
    assert "武汉经开区" in path.read_text(encoding="utf-8")


def test_viz_notebook_view_is_an_inline_iframe(graph):
    pytest.importorskip("IPython")
    from cheguKG.viz import notebook_view

    html = notebook_view(graph).data
    assert html.startswith('<div class="chegukg-view"><iframe srcdoc=') and 'sandbox="allow-scripts' in html
    assert "<script" not in html  # the whole page is an escaped attribute value


# -- static figures -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_viz_write_image(graph, tmp_path, fmt, magic):
    from cheguKG.viz import write_image

    path = write_image(graph, tmp_path / f"g.{fmt}")
    assert path.read_bytes().startswith(magic)


def test_viz_static_finds_a_cjk_font():
    from cheguKG.viz.static import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    from matplotlib.ft2font import FT2Font

    assert FT2Font(cjk_font()).get_char_index(ord("经")) != 0


def test_viz_image_rejects_other_formats(graph, tmp_path):
    from cheguKG.viz import write_image

    with pytest.raises(ConfigError, match="png or svg"):
        write_image(graph, tmp_path / "g.gif")


# -- the command ---------------------------------------------------------------------------

CLI = [  # (arguments, expected node keys or None for all)
    ([], None),
    (["--focus", "岚图", "--hops", "1"], {"lantu", "lu", "nev", "zone"}),
    (["--types", "Meeting,GovernmentBody", "--types", "Policy"], {"meeting", "meeting2", "body", "policy"}),
    (["--since", "2024-01-01"], {"evil", "meeting2", "zone"}),
]


@pytest.mark.parametrize("args, keys", CLI)
def test_cli_viz_html(trig_file, tmp_path, args, keys):
    from click.testing import CliRunner

    from cheguKG.cli import main

    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["viz", "--store", str(trig_file), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    labels = {d["label"] for d in page_json(out.read_text(encoding="utf-8"))["details"].values()}
    assert labels == {NAME[k] for k in (keys or NAME)}


def test_cli_viz_svg_and_query(trig_file, tmp_path):
    from click.testing import CliRunner

    from cheguKG.cli import main

    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", encoding="utf-8")
    out = tmp_path / "v.svg"
    result = CliRunner().invoke(main, ["viz", "--store", str(trig_file), "--query", str(rq),
                                       "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.parametrize("args, message", [
    (["--store", "/nonexistent/store"], "no such store"),
    (["--types", "Company"], "unknown type"),
    (["--focus", "不存在"], "no entity named"),
])
def test_cli_viz_errors_are_one_line(trig_file, tmp_path, args, message):
    from click.testing import CliRunner

    from cheguKG.cli import main

    argv = ["viz", "--store", str(trig_file), "-o", str(tmp_path / "x.html"), *args]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


# -- a synthetic graph (also used by the browser tests) ------------------------------------

def synthetic(n: int, seed: int = 1):
    """``n`` entities of every type in article-sized clusters, with sentences, as netx makes them."""
    import random

    import networkx as nx

    rnd = random.Random(seed)
    types = list(V.CLASS_OF_TYPE)
    relations = [r for r in V.PROPERTY_OF_RELATION if r != "held_on"]
    g = nx.MultiDiGraph()
    for i in range(n):
        type_ = types[i % len(types)]
        g.add_node(f"n{i}", label=f"{type_}实体{i}", type=type_, aliases=[f"别名{i}"], iri=f"urn:n{i}",
                   sources=[{"sentence": f"第{i}句：实体{i}出现在这里。", "article": f"a{i // 20}.txt"}],
                   **({"held_on": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"} if type_ == "Meeting" else {}))
    for i in range(1, n):
        j = rnd.randrange(max(0, i - 20), i) if rnd.random() < 0.85 else rnd.randrange(i)
        relation = rnd.choice(relations)
        g.add_edge(f"n{i}", f"n{j}", key=relation, relation=relation, label=relation, label_en=relation,
                   sources=[{"sentence": f"第{i}句。", "article": f"a{i // 20}.txt"}])
    return g


# -- the real pipeline, end to end (seed article) ------------------------------------------

def test_netx_reads_a_built_store(seed_path, tmp_path):
    build = pytest.importorskip("cheguKG.builder")
    from cheguKG.netx import to_networkx
    from cheguKG.store import Store

    build.build([seed_path], out=tmp_path / "out")
    store = Store.open(tmp_path / "out" / "store", read_only=True)
    try:
        g = to_networkx(store)
        classes = " ".join(f"<{c}>" for c in V.CLASS_OF_TYPE.values())
        rows = list(store.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}"))
        assert len(g) == int(rows[0]["n"].value)
        assert all(g.nodes[n]["sources"] for n in g if g.degree(n))  # every connected entity shows a sentence
    finally:
        store.close()
