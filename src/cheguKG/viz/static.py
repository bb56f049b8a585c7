"""Static figures for papers: the same layout as the page, drawn with matplotlib, Chinese
labels in an installed CJK font (Debian: fonts-noto-cjk or fonts-wqy-zenhei)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..netx import RELATION_LABELS, TYPE_LABELS
from .page import OTHER_STYLE, STYLE_OF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    import networkx

#: Font families that hold the CJK glyphs, best first.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "SimHei",
                "Noto Serif CJK SC", "AR PL UMing CN")
_FILE_HINTS = ("notosanscjk", "sourcehansans", "wqy", "msyh", "pingfang", "simhei", "notoserifcjk", "uming")
_MARKER = {"dot": "o", "diamond": "D", "square": "s", "triangle": "^", "triangleDown": "v",
           "star": "*", "hexagon": "h"}
FORMATS = ("png", "svg")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The file of an installed font that renders Chinese, or None (labels would be boxes)."""
    from matplotlib import font_manager

    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in by_name:
            return by_name[family]
    # The font cache may predate the fonts' installation: look at the files themselves.
    for fname in sorted(font_manager.findSystemFonts()):
        if any(hint in Path(fname).name.lower() for hint in _FILE_HINTS):
            font_manager.fontManager.addfont(fname)
            return fname
    return None


def write_image(graph: "networkx.MultiDiGraph", path: str | Path, format: str | None = None, *,
                size: tuple[float, float] = (12, 9), dpi: int = 200, max_labels: int = 250,
                title: str | None = None) -> Path:
    """Draw ``graph`` to ``path`` as PNG or SVG (format from the suffix when not given).

    Nodes are coloured and shaped by type as on the page; the ``max_labels`` best-connected
    nodes are labelled, and relations are named on the edges when there are few.

    >>> write_image(ego(g, "岚图", 1), "lantu.svg")   # doctest: +SKIP
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    from .layout import positions

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".") or "png").lower()
    if fmt not in FORMATS:
        raise ConfigError(f"{path}: cannot draw a static figure as {fmt!r}: use png or svg")
    fname = cjk_font()
    font = FontProperties(fname=fname) if fname else FontProperties()
    pos = {n: (x, -y) for n, (x, y) in positions(graph).items()}  # the page's y axis points down
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    small = len(graph) <= 60
    if graph.number_of_edges() <= 300:  # few enough to show direction with arrow heads
        for s, o in graph.edges():
            if s != o:
                ax.annotate("", xy=pos[o], xytext=pos[s], zorder=1,
                            arrowprops={"arrowstyle": "-|>", "color": "#9aa5b1", "lw": 0.7,
                                        "shrinkA": 6 if small else 2, "shrinkB": 6 if small else 2,
                                        "mutation_scale": 9 if small else 5})
    else:
        segments = [(pos[s], pos[o]) for s, o in graph.edges() if s != o]
        ax.add_collection(LineCollection(segments, colors="#9aa5b1", linewidths=0.4, zorder=1))
    handles = []
    for type_ in [*TYPE_LABELS, "Other"]:
        members = [n for n, d in graph.nodes(data=True) if (d.get("type") or "Other") == type_]
        if not members:
            continue
        colour, shape = STYLE_OF_TYPE.get(type_, OTHER_STYLE)
        ax.scatter([pos[n][0] for n in members], [pos[n][1] for n in members], c=colour,
                   marker=_MARKER.get(shape, "o"), s=90 if small else 18, zorder=2, linewidths=0)
        zh, en = TYPE_LABELS.get(type_, ("其他", "Other"))
        handles.append(Line2D([], [], color=colour, marker=_MARKER.get(shape, "o"), linestyle="",
                              label=f"{zh} {en} ({len(members)})"))
    for node in sorted(graph, key=graph.degree, reverse=True)[:max_labels]:
        x, y = pos[node]
        ax.annotate(graph.nodes[node].get("label", str(node)), (x, y), xytext=(0, 6 if small else 3),
                    textcoords="offset points", ha="center", va="bottom", fontproperties=font,
                    fontsize=9 if small else 5, zorder=3)
    if len(graph.edges) <= 60:
        for s, o, data in graph.edges(data=True):
            (x1, y1), (x2, y2) = pos[s], pos[o]
            relation = data.get("relation", "")
            ax.text((x1 + x2) / 2, (y1 + y2) / 2, RELATION_LABELS.get(relation, (relation,))[0],
                    fontproperties=font, fontsize=7, color="#566573", ha="center", va="center", zorder=3)
    ax.autoscale_view()
    ax.margins(0.05)
    ax.legend(handles=handles, prop=font, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    if title:
        ax.set_title(title, fontproperties=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    return path
