"""The interactive network page: pyvis makes the vis-network nodes, edges and options; we put
them, vis-network itself and our page script into ONE self-contained HTML file.

Why not pyvis's own template: it links Bootstrap and vis-network from CDNs, keeps physics
running, and puts labels through innerHTML. Here every script and style is inline, a
Content-Security-Policy forbids any network request and any script but ours (by hash), the
graph travels as JSON in a data block with ``<`` escaped, and the page script writes every
string with textContent.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..netx import RELATION_LABELS, TYPE_LABELS

if TYPE_CHECKING:  # pragma: no cover
    import networkx

#: Colour and vis-network shape of each entity type (shapes that keep the label outside).
STYLE_OF_TYPE: dict[str, tuple[str, str]] = {
    "Person": ("#e4572e", "dot"),
    "GovernmentBody": ("#c0392b", "diamond"),
    "Enterprise": ("#2e86de", "square"),
    "Organization": ("#17a589", "triangle"),
    "Place": ("#27ae60", "triangleDown"),
    "Meeting": ("#f39c12", "star"),
    "Policy": ("#8e44ad", "hexagon"),
    "Project": ("#16a085", "square"),
    "Industry": ("#d35400", "diamond"),
    "Position": ("#7f8c8d", "dot"),
}
OTHER_STYLE = ("#95a5a6", "dot")
#: Chinese first, then the common CJK fonts of Linux, Windows and macOS.
FONT_STACK = ('"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Zen Hei",'
              '"WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC","Hiragino Sans GB",'
              'SimHei,sans-serif')
#: Above this many nodes physics stays off: the precomputed layout is drawn as it is.
PHYSICS_LIMIT = 300
#: Above this many nodes edges hide while dragging or zooming, to keep interaction smooth.
BIG = 1000
#: Characters of a name drawn on the canvas.
LABEL_CHARS = 16
#: Source sentences the page carries per entity or relation (the panel says how many exist).
MAX_SOURCES = 30


def _asset(name: str) -> str:
    # The HTML parser turns CR LF into LF before the CSP hashes a script: do it first.
    text = resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=None)
def _vendored() -> tuple[str, str]:
    """vis-network 9.1.2 as pyvis ships it, minus the source-map comment (a fetch in devtools)."""
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", _asset("vis-network.min.js"))
    css = re.sub(r"/\*# sourceMappingURL=\S+\s*\*/\s*$", "", _asset("vis-network.css"))
    return js, css


def _safe_json(value: Any) -> str:
    """JSON that cannot end its <script> block or open an HTML comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node_title(data: dict[str, Any]) -> str:
    zh, en = TYPE_LABELS.get(data.get("type", ""), ("其他", "Other"))
    lines = [data.get("label", ""), f"{zh} · {en}"]
    if data.get("aliases"):
        lines.append("别名: " + "、".join(data["aliases"]))
    if data.get("held_on"):
        lines.append("日期: " + data["held_on"])
    if data.get("sources"):
        lines.append("「" + _short(data["sources"][0].get("sentence", "")) + "」")
    return "\n".join(lines)


def _edge_title(data: dict[str, Any]) -> str:
    relation = data.get("relation", "")
    zh, en = RELATION_LABELS.get(relation, (data.get("label", relation), relation))
    lines = [f"{zh} · {en}"]
    if data.get("title"):
        lines.append("职务: " + data["title"])
    if data.get("sources"):
        lines.append("「" + _short(data["sources"][0].get("sentence", "")) + "」")
    return "\n".join(lines)


def _options(n: int, physics: bool) -> dict[str, Any]:
    groups = {t: {"color": {"background": c, "border": c}, "shape": s}
              for t, (c, s) in STYLE_OF_TYPE.items()}
    return {
        "groups": groups,
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"face": FONT_STACK, "size": 11, "align": "middle", "strokeWidth": 3},
                  "color": {"color": "#9aa5b1", "highlight": "#34495e", "hover": "#34495e",
                            "inherit": False},
                  "smooth": {"enabled": n <= BIG, "type": "continuous", "roundness": 0.3},
                  "width": 1},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 110,
                                  "springConstant": 0.04, "damping": 0.4, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": physics, "iterations": 150, "updateInterval": 50,
                                      "fit": True},
                    "minVelocity": 1.0},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": n > BIG,
                        "hideEdgesOnZoom": n > BIG, "keyboard": False, "multiselect": False},
    }


def _network(graph: "networkx.MultiDiGraph", physics: bool):
    """Nodes, edges and options through pyvis; returns (pyvis Network, node id -> vis id)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    from .layout import positions

    where = positions(graph)
    net = Network(directed=True, cdn_resources="in_line")
    vis_id = {node: i for i, node in enumerate(graph)}
    for node, data in graph.nodes(data=True):
        type_ = data.get("type") or "Other"
        x, y = where[node]
        # Long names (policy titles) are cut on the canvas; the panel and search use them whole.
        net.add_node(vis_id[node], label=_short(data.get("label") or str(node), LABEL_CHARS),
                     shape=STYLE_OF_TYPE.get(type_, OTHER_STYLE)[1], group=type_,
                     title=_node_title(data), x=x, y=y, size=min(10 + 2.5 * graph.degree(node) ** 0.5, 30))
    parallel: dict[tuple[int, int], int] = {}
    for i, (s, o, key, data) in enumerate(graph.edges(keys=True, data=True)):
        pair = (vis_id[s], vis_id[o])
        rank = parallel[pair] = parallel.get(pair, -1) + 1
        relation = data.get("relation", key)
        zh, en = RELATION_LABELS.get(relation, (data.get("label", str(relation)), str(relation)))
        extra = {"smooth": {"type": "curvedCW", "roundness": 0.15 * rank}} if rank else {}
        # pyvis's add_edge checks node existence with a list scan (O(n) per edge); the nodes
        # are known to exist, so build pyvis's Edge directly.
        net.edges.append(Edge(pair[0], pair[1], directed=True, id=f"e{i}", label=zh, label_zh=zh,
                              label_en=en, relation=relation, title=_edge_title(data), **extra).options)
    net.options = _options(len(graph), physics)
    return net, vis_id


def _timeline(graph: "networkx.MultiDiGraph", vis_id: dict) -> list[dict[str, Any]]:
    """Meetings by date, with convener, what they inspected and what they adopted."""
    meetings = []
    for node, data in graph.nodes(data=True):
        if data.get("type") != "Meeting":
            continue
        entry: dict[str, Any] = {"id": vis_id[node], "label": data.get("label", ""),
                                 "date": data.get("held_on") or "",
                                 "convened_by": [], "inspects": [], "adopts": []}
        for _, target, relation in graph.out_edges(node, keys=True):
            if relation in ("convened_by", "inspects", "adopts"):
                entry[relation].append({"id": vis_id[target], "label": graph.nodes[target].get("label", "")})
        entry["articles"] = sorted({s.get("article", "") for s in data.get("sources", ())} - {""})
        meetings.append(entry)
    # Full dates first, in order; then year-unknown --MM-DD; undated last.
    return sorted(meetings, key=lambda m: (not m["date"][:1].isdigit(), not m["date"], m["date"], m["label"]))


def _legend(nodes: list[dict], edges: list[dict]) -> tuple[list[dict], list[dict]]:
    """Types and relations present, in the guide's order, with their names and counts."""
    from collections import Counter

    type_count = Counter(n["group"] for n in nodes)
    relation_count = Counter(e["relation"] for e in edges)
    types = [{"name": t, "zh": TYPE_LABELS.get(t, ("其他", "Other"))[0], "en": TYPE_LABELS.get(t, ("", t))[1],
              "color": STYLE_OF_TYPE.get(t, OTHER_STYLE)[0], "shape": STYLE_OF_TYPE.get(t, OTHER_STYLE)[1],
              "count": type_count[t]}
             for t in [*TYPE_LABELS, "Other"] if type_count[t]]
    order = [*RELATION_LABELS, *sorted(set(relation_count) - set(RELATION_LABELS))]
    relations = [{"name": r, "zh": RELATION_LABELS.get(r, (r, r))[0], "en": RELATION_LABELS.get(r, (r, r))[1],
                  "count": relation_count[r]} for r in order if relation_count[r]]
    return types, relations


def _sources(data: dict[str, Any]) -> dict[str, Any]:
    sources = list(data.get("sources", ()))
    return {"sources": sources[:MAX_SOURCES], "sourceCount": len(sources)}


def page_data(graph: "networkx.MultiDiGraph", *, title: str = "cheguKG",
              physics: bool | None = None) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able data."""
    physics = len(graph) <= PHYSICS_LIMIT if physics is None else physics
    net, vis_id = _network(graph, physics)
    nodes, edges, _, _, _, options = net.get_network_data()
    types, relations = _legend(nodes, edges)
    details = {vis_id[node]: {"label": data.get("label") or str(node), "type": data.get("type") or "Other",
                              "iri": data.get("iri", str(node)), "aliases": list(data.get("aliases", ())),
                              "held_on": data.get("held_on"), **_sources(data)}
               for node, data in graph.nodes(data=True)}
    edge_info = {f"e{i}": {"title": data.get("title"), **_sources(data)}
                 for i, (_, _, data) in enumerate(graph.edges(data=True))}
    focus = graph.graph.get("focus")
    return {"title": title, "nodes": nodes, "edges": edges, "options": json.loads(options),
            "types": types, "relations": relations, "details": details, "edgeInfo": edge_info,
            "timeline": _timeline(graph, vis_id), "physics": physics,
            "focus": vis_id.get(focus) if focus is not None else None, "font": FONT_STACK}


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def to_html(graph: "networkx.MultiDiGraph", *, title: str = "cheguKG 知识图谱",
            physics: bool | None = None) -> str:
    """The whole page as one string (see :func:`write_html`)."""
    vis_js, vis_css = _vendored()
    page_js = _asset("page.js")
    data = page_data(graph, title=title, physics=physics)
    # Only our two scripts may run (by hash); nothing may be fetched: no CDN, no beacon.
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(page_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    parts = {"TITLE": html.escape(title), "CSP": html.escape(csp), "VIS_CSS": vis_css,
             "PAGE_CSS": _asset("page.css"), "VIS_JS": vis_js, "PAGE_JS": page_js,
             "DATA": _safe_json(data), "FONT": FONT_STACK}
    # One pass, so text inside the data can never be taken for a placeholder.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def write_html(graph: "networkx.MultiDiGraph", path: str | Path, *, title: str = "cheguKG 知识图谱",
               physics: bool | None = None) -> Path:
    """Write the interactive view of ``graph`` to ``path``: one HTML file that needs no network.

    ``physics``: None lets the page decide (a short, bounded stabilisation up to
    PHYSICS_LIMIT nodes, a fixed precomputed layout above); True/False forces it.

    >>> write_html(to_networkx(store), "graph.html")   # doctest: +SKIP
    PosixPath('graph.html')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(graph, title=title, physics=physics), encoding="utf-8")
    return path


def notebook_view(graph: "networkx.MultiDiGraph", *, height: int = 640, title: str = "cheguKG",
                  physics: bool | None = None):
    """The same page inline in Jupyter: an iframe whose srcdoc holds the whole page, so it
    needs neither a server nor a CDN, and runs sandboxed from the notebook.

    >>> notebook_view(ego(g, "岚图", 1))   # doctest: +SKIP
    """
    from IPython.display import HTML

    page = to_html(graph, title=title, physics=physics)
    return HTML(f'<div class="chegukg-view"><iframe srcdoc="{html.escape(page, quote=True)}" '
                f'sandbox="allow-scripts allow-popups" style="width:100%;height:{int(height)}px;'
                f'border:1px solid #ddd" title="{html.escape(title, quote=True)}"></iframe></div>')
