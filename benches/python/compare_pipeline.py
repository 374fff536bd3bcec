"""Toposort and critical path of a 100,000-step pipeline: release_core
against networkx, side by side in one process.

The plan is the Rust benchmark's (benches/lib.rs ``dag(100_000, 3)``),
reproduced draw for draw with the same SplitMix64 generator: 100,000 steps,
each needing up to 3 distinct earlier steps (half recent, half anywhere),
about 300,000 dependencies, estimates of 1-10 .. +0-5 minutes.

- ``release_core``: ``Pipeline.from_json(text)`` (parse + validate: ids,
  references, cycles), ``order()`` (a list of 100,000 str) and
  ``critical_path()``. The JSON text is made once, outside the timing.
- ``networkx``: ``DiGraph`` built from the same (already parsed) ids and
  needs with edge weights, ``topological_sort`` (listed) and
  ``dag_longest_path`` by maximum duration (given the order), its length
  summed from the path's edges.

From integer edge lists (the same graph: ``edges`` of ``(need, step)``
pairs, ``durations`` the maximum in seconds), also:

- ``release_core`` index builder: ``Pipeline.from_edges(n, durations,
  edges)`` (validated: ranges, self-loops, duplicates, cycles), ``order()``
  (a list of 100,000 int) and ``critical_path()``;
- ``networkx`` from the same lists: ``DiGraph`` on int nodes with
  ``add_edges_from`` (edge ``u -> v`` weighs ``durations[v]``, a source
  node for the roots), ``topological_sort``, ``dag_longest_path``.

All must find a critical path of the same length (asserted). Each side is
timed with ``time.perf_counter``, best of ``--repeat`` runs, twice: whole
(load included, as above) and analysis only (toposort and longest path on
a graph each side has already built: ``order()`` + ``critical_path()`` on a
``Pipeline``, ``topological_sort`` + ``dag_longest_path`` on a ``DiGraph``). Set up with::

    pip install -r crates/release-py/requirements-dev.txt -r crates/release-py/requirements-bench.txt
    maturin develop --release -m crates/release-py/Cargo.toml
    python benches/python/compare_pipeline.py
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from typing import Callable, List, Tuple

import networkx as nx

import release_core

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        return self.next() % n


Step = Tuple[str, List[int], int, int]


def dag(n: int, degree: int) -> List[Step]:
    """benches/lib.rs ``dag``: (id, needs, min minutes, max minutes)."""
    rng = SplitMix64(0xDA65EED2026)
    steps: List[Step] = []
    for i in range(n):
        needs: List[int] = []
        while len(needs) < min(degree, i):
            if rng.below(2) == 0:
                j = i - 1 - rng.below(min(8, i))
            else:
                j = rng.below(i)
            if j not in needs:
                needs.append(j)
        lo = 1 + rng.below(10)
        steps.append((f"step-{i}", needs, lo, lo + rng.below(6)))
    return steps


def to_json(steps: List[Step]) -> str:
    """benches/lib.rs ``pipeline_def``, as JSON."""
    return json.dumps({
        "name": "generated",
        "steps": [
            {
                "id": sid,
                "kind": "build",
                "needs": [steps[j][0] for j in needs],
                "estimate": f"{lo}m..{hi}m",
            }
            for sid, needs, lo, hi in steps
        ],
    })


def ours(text: str) -> int:
    p = release_core.Pipeline.from_json(text)
    order = p.order()
    path = p.critical_path()
    assert len(order) == len(p)
    return int(path.max.total_seconds() // 60)


def networkx(steps: List[Step]) -> int:
    return networkx_analysis(networkx_graph(steps), len(steps))


def ours_analysis(p: "release_core.Pipeline") -> int:
    order = p.order()
    path = p.critical_path()
    assert len(order) == len(p)
    return int(path.max.total_seconds() // 60)


def networkx_analysis(g: "nx.DiGraph", n: int) -> int:
    order = list(nx.topological_sort(g))
    assert len(order) == n + 1
    path = nx.dag_longest_path(g, weight="weight", topo_order=order)
    return sum(g[u][v]["weight"] for u, v in zip(path, path[1:]))


def networkx_graph(steps: List[Step]) -> "nx.DiGraph":
    g = nx.DiGraph()
    # A source node carries each root's own duration onto edge weights:
    # an edge u -> v weighs v's maximum duration.
    g.add_node("start")
    for sid, needs, _lo, hi in steps:
        if needs:
            g.add_edges_from((steps[j][0], sid, {"weight": hi}) for j in needs)
        else:
            g.add_edge("start", sid, weight=hi)
    return g


Edges = List[Tuple[int, int]]


def int_lists(steps: List[Step]) -> Tuple[List[int], Edges]:
    """The same graph as integers: durations (seconds) and (need, step) edges."""
    durations = [hi * 60 for _sid, _needs, _lo, hi in steps]
    edges = [(j, i) for i, (_sid, needs, _lo, _hi) in enumerate(steps) for j in needs]
    return durations, edges


def ours_edges(durations: List[int], edges: Edges) -> int:
    p = release_core.Pipeline.from_edges(len(durations), durations, edges)
    order = p.order()
    path = p.critical_path()
    assert len(order) == len(p)
    return int(path.max.total_seconds() // 60)


def networkx_edges(durations: List[int], edges: Edges) -> int:
    g = nx.DiGraph()
    g.add_nodes_from(range(len(durations)))
    g.add_edges_from((u, v, {"weight": durations[v]}) for u, v in edges)
    g.add_edges_from((-1, v, {"weight": durations[v]}) for v in range(len(durations))
                     if g.in_degree(v) == 0)
    order = list(nx.topological_sort(g))
    path = nx.dag_longest_path(g, weight="weight", topo_order=order)
    return sum(g[u][v]["weight"] for u, v in zip(path, path[1:])) // 60


def best(repeat: int, f: Callable[[], int]) -> Tuple[float, int]:
    times = []
    result = 0
    for _ in range(repeat):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    steps = dag(args.steps, 3)
    deps = sum(len(s[1]) for s in steps)
    text = to_json(steps)
    ours_t, ours_len = best(args.repeat, lambda: ours(text))
    nx_t, nx_len = best(max(1, args.repeat // 2), lambda: networkx(steps))
    assert ours_len == nx_len, (ours_len, nx_len)

    # Where our time goes: load (JSON parse + validate) vs the analysis.
    p = release_core.Pipeline.from_json(text)
    load_t, _ = best(args.repeat, lambda: len(release_core.Pipeline.from_json(text)))
    order_t, _ = best(args.repeat, lambda: len(p.order()))
    cp_t, _ = best(args.repeat, lambda: len(p.critical_path()))
    g = networkx_graph(steps)
    ours_a, ours_a_len = best(args.repeat, lambda: ours_analysis(p))
    nx_a, nx_a_len = best(max(1, args.repeat // 2), lambda: networkx_analysis(g, len(steps)))
    assert ours_a_len == nx_a_len == ours_len

    durations, edges = int_lists(steps)
    ours_e, ours_e_len = best(args.repeat, lambda: ours_edges(durations, edges))
    nx_e, nx_e_len = best(max(1, args.repeat // 2), lambda: networkx_edges(durations, edges))
    assert ours_e_len == nx_e_len == ours_len, (ours_e_len, nx_e_len, ours_len)

    print(f"{args.steps:,} steps, {deps:,} dependencies, JSON {len(text) / 1e6:.1f} MB;"
          f" critical path {ours_len} min (both)")
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"Python {platform.python_version()} networkx {nx.__version__}")
    print()
    print(f"{'':44} {'time':>10} {'ratio':>8}")
    print(f"{'networkx (build + toposort + longest path)':44} {nx_t * 1e3:8.1f}ms {1.0:7.1f}x")
    print(f"{'release_core (load + order + critical path)':44} {ours_t * 1e3:8.1f}ms "
          f"{nx_t / ours_t:7.1f}x faster")
    print(f"{'  of which Pipeline.from_json':44} {load_t * 1e3:8.1f}ms")
    print(f"{'  of which order() (100k str list)':44} {order_t * 1e3:8.1f}ms")
    print(f"{'  of which critical_path()':44} {cp_t * 1e3:8.1f}ms")
    print()
    print("analysis only, on a graph each side has built:")
    print(f"{'networkx (toposort + longest path)':44} {nx_a * 1e3:8.1f}ms {1.0:7.1f}x")
    print(f"{'release_core (order + critical path)':44} {ours_a * 1e3:8.1f}ms "
          f"{nx_a / ours_a:7.1f}x faster")
    print()
    print("from integer edge lists (build + toposort + longest path):")
    print(f"{'networkx DiGraph from the edges':44} {nx_e * 1e3:8.1f}ms {1.0:7.1f}x")
    print(f"{'release_core Pipeline.from_edges':44} {ours_e * 1e3:8.1f}ms "
          f"{nx_e / ours_e:7.1f}x faster")


if __name__ == "__main__":
    main()
