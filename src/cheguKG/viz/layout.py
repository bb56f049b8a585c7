"""Node positions computed in Python, so the page draws a finished layout instead of running
physics in the browser: that is what keeps 5,000 nodes usable.

Small graphs use networkx's spring layout; large ones a Fruchterman-Reingold variant whose
repulsion is estimated from a random sample of nodes each step (numpy only, O(n·s) a step
instead of O(n²)), with a fixed number of steps so the time is bounded.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Hashable

if TYPE_CHECKING:  # pragma: no cover
    import networkx

#: Up to this many nodes the exact (dense) spring layout is cheap enough.
EXACT_LIMIT = 400
#: Pixels between neighbouring nodes on the page, roughly.
SPACING = 90.0


def positions(graph: "networkx.Graph", *, seed: int = 7, iterations: int = 80
              ) -> dict[Hashable, tuple[float, float]]:
    """x, y in page pixels for every node; the same graph gives the same layout.

    Each connected component is laid out on its own, then the components are packed in
    rows, biggest first: isolated entities fill a tidy grid instead of drifting to a ring.

    >>> positions(nx.path_graph(3))   # doctest: +SKIP
    {0: (-90.0, 1.2), 1: (0.3, 0.0), 2: (89.7, -1.2)}
    """
    import networkx as nx

    if len(graph) == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    parts = sorted((sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0])))
    boxes = [_component(simple.subgraph(nodes), nodes, seed, iterations) for nodes in parts]
    # A lone entity's cell is as wide as its label (about 14 px a CJK character on the page).
    widths = [max(SPACING, 15.0 * len(str(graph.nodes[nodes[0]].get("label", ""))) + 24) if len(nodes) == 1
              else SPACING for nodes in parts]
    return _pack(boxes, widths)


def _component(sub: "networkx.Graph", nodes: list, seed: int, iterations: int) -> tuple[list, Any]:
    """One component's layout: (nodes, xy array) with its bounding box's corner at 0, 0."""
    import networkx as nx
    import numpy as np

    n = len(nodes)
    if n == 1:
        xy = np.zeros((1, 2))
    elif n <= EXACT_LIMIT:
        raw = nx.spring_layout(sub, seed=seed, iterations=iterations, method="force")
        xy = _normalise(np.array([raw[v] for v in nodes]), n)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        edges = np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=np.int64).reshape(-1, 2)
        xy = _normalise(_sampled_fr(n, edges, seed=seed, iterations=iterations), n)
    return nodes, xy - xy.min(axis=0)


def _pack(boxes: list[tuple[list, Any]], margins: list[float]) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing: components left to right in rows about as wide as the whole is tall."""
    import numpy as np

    sizes = [xy.max(axis=0) + (margin, SPACING) for (_, xy), margin in zip(boxes, margins)]
    width = max(max(w for w, _ in sizes), math.sqrt(sum(w * h for w, h in sizes)) * 1.1)
    placed, x, y, row = [], 0.0, 0.0, 0.0
    for (nodes, xy), (w, h) in zip(boxes, sizes):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append((nodes, xy + (x, y)))
        x, row = x + w, max(row, h)
    everything = np.vstack([xy for _, xy in placed])
    centre = (everything.min(axis=0) + everything.max(axis=0)) / 2
    return {v: (round(float(px - centre[0]), 1), round(float(py - centre[1]), 1))
            for nodes, xy in placed for v, (px, py) in zip(nodes, xy)}


def _normalise(xy: Any, n: int) -> Any:
    """Centre, then scale so that neighbouring nodes sit about SPACING apart."""
    import numpy as np

    xy = xy - xy.mean(axis=0)
    spread = float(np.sqrt((xy ** 2).sum(axis=1).mean())) or 1.0
    return xy * (SPACING * math.sqrt(n) * 0.6 / spread)


def _sampled_fr(n: int, edges: Any, *, seed: int, iterations: int, samples: int = 200) -> Any:
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * math.sqrt(n)
    s = min(samples, n)
    scale = (n - 1) / s  # each sampled node stands for this many
    temperature = math.sqrt(n) * 0.2
    cooling = (0.02) ** (1.0 / iterations)
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.empty(0, int), np.empty(0, int))
    # float32: the (n, s) arrays are memory-bound, half the bytes is nearly half the time.
    x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
    for _ in range(iterations):
        picked = rng.choice(n, size=s, replace=False)
        # Repulsion k²/d along (dx, dy)/d from the sampled nodes, on 2-D arrays summed along
        # rows (no BLAS: its threads fight over a busy machine's cores).
        dx = x[:, None] - x[None, picked]
        dy = y[:, None] - y[None, picked]
        inv = dx * dx
        inv += dy * dy
        inv[inv < 1e-9] = np.inf  # a node does not push itself
        np.reciprocal(inv, out=inv)
        fx = (dx * inv).sum(axis=1) * scale
        fy = (dy * inv).sum(axis=1) * scale
        if len(src):
            px, py = x[src] - x[dst], y[src] - y[dst]
            length = np.sqrt(px * px + py * py)
            px, py = px * length, py * length
            fx -= np.bincount(src, px, n) - np.bincount(dst, px, n)
            fy -= np.bincount(src, py, n) - np.bincount(dst, py, n)
        pull = 0.05 * scale / math.sqrt(n)  # gravity keeps components together
        fx -= x * pull
        fy -= y * pull
        length = np.sqrt(fx * fx + fy * fy)
        step = np.minimum(length, temperature) / np.maximum(length, 1e-9)
        x += fx * step
        y += fy * step
        temperature *= cooling
    pos = np.column_stack([x, y]).astype(np.float64)
    return pos
