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
    """x, y in page pixels for every node, centred on 0; the same graph gives the same layout.

    >>> positions(nx.path_graph(3))   # doctest: +SKIP
    {0: (-90.0, 1.2), 1: (0.3, 0.0), 2: (89.7, -1.2)}
    """
    import networkx as nx
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    if n <= EXACT_LIMIT:
        raw = nx.spring_layout(simple, seed=seed, iterations=iterations, method="force")
        xy = np.array([raw[v] for v in nodes])
        xy = _normalise(xy, n)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        edges = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.int64).reshape(-1, 2)
        xy = _normalise(_sampled_fr(n, edges, seed=seed, iterations=iterations), n)
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, xy)}


def _normalise(xy: Any, n: int) -> Any:
    """Centre, then scale so the mean nearest-neighbour distance is about SPACING."""
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
    for _ in range(iterations):
        picked = rng.choice(n, size=s, replace=False)
        delta = pos[:, None, :] - pos[None, picked, :]
        d2 = (delta ** 2).sum(axis=2)
        d2[d2 < 1e-9] = np.inf  # a node does not push itself
        disp = (delta / d2[:, :, None]).sum(axis=1) * scale
        if len(src):
            pull = pos[src] - pos[dst]
            pull *= np.sqrt((pull ** 2).sum(axis=1))[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp -= pos * (0.05 * scale / math.sqrt(n))  # gravity keeps components together
        length = np.sqrt((disp ** 2).sum(axis=1))[:, None]
        pos += disp / np.maximum(length, 1e-9) * np.minimum(length, temperature)
        temperature *= cooling
    return pos
