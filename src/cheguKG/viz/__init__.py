"""Pictures of the graph: an interactive page (pyvis data, vis-network inline, no network
needed), a static PNG/SVG figure for papers, and the page inline in a notebook.

Heavy libraries (pyvis, matplotlib, IPython) load only when a function here is called.

>>> from cheguKG.netx import to_networkx
>>> from cheguKG.viz import write_html, write_image
>>> g = to_networkx(store)                 # doctest: +SKIP
>>> write_html(g, "graph.html")            # doctest: +SKIP
>>> write_image(g, "graph.png")            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx

from .page import PHYSICS_LIMIT  # light: the page module imports pyvis only when used

__all__ = ["write_html", "to_html", "write_image", "notebook_view", "select_graph", "render", "PHYSICS_LIMIT"]


def to_html(graph: "networkx.MultiDiGraph", *, title: str = "cheguKG 知识图谱",
            physics: bool | None = None) -> str:
    """The interactive page as one self-contained HTML string."""
    from .page import to_html as _to_html

    return _to_html(graph, title=title, physics=physics)


def write_html(graph: "networkx.MultiDiGraph", path: str | Path, *, title: str = "cheguKG 知识图谱",
               physics: bool | None = None) -> Path:
    """Write the interactive page (legend, toggles, search, provenance panel, meeting timeline).

    >>> write_html(g, "graph.html")   # doctest: +SKIP
    """
    from .page import write_html as _write_html

    return _write_html(graph, path, title=title, physics=physics)


def write_image(graph: "networkx.MultiDiGraph", path: str | Path, format: str | None = None,
                **options: Any) -> Path:
    """A static figure (PNG or SVG) with Chinese labels, for papers.

    >>> write_image(g, "graph.svg")   # doctest: +SKIP
    """
    from .static import write_image as _write_image

    return _write_image(graph, path, format=format, **options)


def notebook_view(graph: "networkx.MultiDiGraph", *, height: int = 640, title: str = "cheguKG",
                  physics: bool | None = None):
    """The page inline in Jupyter (iframe srcdoc): no server, no CDN.

    >>> notebook_view(g)   # doctest: +SKIP
    """
    from .page import notebook_view as _notebook_view

    return _notebook_view(graph, height=height, title=title, physics=physics)


def select_graph(source: Any, *, focus: str | None = None, hops: int = 1, types=None, relations=None,
                 since: str | None = None, until: str | None = None, query: str | None = None):
    """The networkx graph of a selection: an optional CONSTRUCT, type/relation/date filters,
    then an optional focus on one entity (any of its names) and its ``hops`` neighbourhood.

    >>> select_graph(store, focus="岚图", hops=2, types=["Person", "Enterprise"])   # doctest: +SKIP
    """
    from ..netx import construct, ego, to_networkx

    if query:
        source = construct(source, query)
    graph = to_networkx(source, types=types or None, relations=relations or None, since=since, until=until)
    return ego(graph, focus, hops) if focus else graph


def render(source: Any, output: str | Path, *, fmt: str | None = None, title: str | None = None,
           physics: bool | None = None, **selection: Any) -> Path:
    """Select (see :func:`select_graph`) and draw to ``output``: html, png or svg (from the
    suffix when ``fmt`` is not given). ``chegukg viz`` is this function.

    >>> render(open_source("out/store"), "lantu.html", focus="岚图", hops=1)   # doctest: +SKIP
    """
    output = Path(output)
    fmt = (fmt or output.suffix.lstrip(".") or "html").lower()
    graph = select_graph(source, **selection)
    if title is None:
        focus = selection.get("focus")
        title = f"cheguKG · {focus}" if focus else "cheguKG 知识图谱"
    if fmt == "html":
        return write_html(graph, output, title=title, physics=physics)
    return write_image(graph, output, format=fmt, title=title if selection.get("focus") else None)
