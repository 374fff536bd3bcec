"""Pipeline.from_edges: integer graphs without dicts or JSON, answering as
the string path does; type errors name the argument and the index."""

import random
from datetime import timedelta

import pytest

from release_core import ConfigError, IndexedPipeline, Pipeline


def test_order_and_critical_path() -> None:
    p = Pipeline.from_edges(4, [180, 300, 600, 900], [(0, 2), (1, 2), (2, 3)])
    assert isinstance(p, IndexedPipeline)
    assert len(p) == 4
    assert p.order() == [0, 1, 2, 3]
    assert p.needs(2) == [0, 1]
    assert p.dependents(2) == [3]
    path = p.critical_path()
    assert path.steps == ["1", "2", "3"]
    assert path.max == timedelta(minutes=30)
    assert p.duration() == (timedelta(minutes=30), timedelta(minutes=30))
    assert repr(p) == "<IndexedPipeline 4 nodes, 3 edges>"


def test_same_answers_as_the_string_path() -> None:
    rng = random.Random(7)
    for _ in range(50):
        n = rng.randrange(1, 30)
        perm = list(range(n))
        rng.shuffle(perm)
        edges = []
        for _ in range(rng.randrange(0, 3 * n)):
            a, b = sorted(rng.sample(range(n), 2)) if n > 1 else (0, 0)
            e = (perm[a], perm[b])
            if a != b and e not in edges:
                edges.append(e)
        durations = [rng.randrange(0, 600) for _ in range(n)]
        indexed = Pipeline.from_edges(n, durations, edges)
        full = indexed.to_pipeline()
        assert [str(i) for i in indexed.order()] == full.order()
        assert indexed.critical_path() == full.critical_path()


def test_inputs_may_be_any_iterable() -> None:
    p = Pipeline.from_edges(3, (s for s in [1, 2, 3]), iter([(0, 1), (1, 2)]))
    assert p.order() == [0, 1, 2]


@pytest.mark.parametrize(
    ("durations", "edges", "error", "message"),
    [
        ([1, "2"], [], TypeError, r"durations\[1\] must be an int, not str"),
        ([1, True], [], TypeError, r"durations\[1\] must be an int, not bool"),
        ([1, -2], [], ValueError, r"durations\[1\] = -2 is not a count"),
        ("12", [], TypeError, "durations must be a list, not str"),
        ([1, 2], 5, TypeError, "edges must be a list, not int"),
        ([1, 2], [(0, 1), [0, 1]], TypeError, r"edges\[1\] must be a \(u, v\) tuple of two ints, not list"),
        ([1, 2], [(0, 1, 2)], TypeError, r"edges\[0\] must be a \(u, v\) tuple"),
        ([1, 2], [(0, 1.0)], TypeError, r"edges\[0\]\[1\] must be an int, not float"),
        ([1, 2], [(0, -1)], ValueError, r"edges\[0\]\[1\] = -1 is not a count"),
        ([1, 2], [(0, 2**32)], ValueError, r"edges\[0\]\[1\] = 4294967296 is not a node index"),
    ],
)
def test_type_errors_name_the_argument_and_index(
    durations: object, edges: object, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        Pipeline.from_edges(2, durations, edges)  # type: ignore[arg-type]


def test_graph_errors_name_the_edge() -> None:
    with pytest.raises(ConfigError, match=r"edges\[1\] = \(1, 1\) is a self-loop"):
        Pipeline.from_edges(2, [1, 1], [(0, 1), (1, 1)])
    with pytest.raises(ConfigError, match="cycle in edges: node 0 needs node 1 needs node 0"):
        Pipeline.from_edges(2, [1, 1], [(0, 1), (1, 0)])
    with pytest.raises(ConfigError, match="2 nodes but 1 estimates"):
        Pipeline.from_edges(2, [1], [])


def test_node_out_of_range() -> None:
    p = Pipeline.from_edges(1, [1], [])
    with pytest.raises(IndexError, match="node 1 is out of range: there are 1 nodes"):
        p.needs(1)
