"""Unit and property tests of the graph algorithms on hand-built networkx graphs."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from ssot_lint.graph.build import chain_from, reachable_partial, shortest_hops
from ssot_lint.graph.cycles import _heuristic, cycle_breakers

NODES = ["a", "b", "c", "d", "e", "f"]
edge_lists = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES))
                      .filter(lambda e: e[0] != e[1]), max_size=14, unique=True)


def _graph(edges: list[tuple[str, str]], nodes: list[str] | None = None) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes or sorted({n for edge in edges for n in edge} | {"a"}))
    graph.add_edges_from(edges)
    return graph


def _without(graph: nx.DiGraph, removed: list[tuple[str, str]]) -> nx.DiGraph:
    rest = graph.copy()
    rest.remove_edges_from(removed)
    return rest


def _minimum_size(graph: nx.DiGraph) -> int:
    edges = sorted(graph.edges)
    for size in range(len(edges) + 1):
        if any(nx.is_directed_acyclic_graph(_without(graph, list(c)))
               for c in combinations(edges, size)):
            return size
    raise AssertionError("unreachable")


@settings(max_examples=150, deadline=None)
@given(edge_lists)
def test_cycle_breakers_are_a_minimum_feedback_arc_set(edges: list[tuple[str, str]]) -> None:
    graph = _graph(edges)
    if nx.is_directed_acyclic_graph(graph):
        return
    breakers = cycle_breakers(graph)
    assert nx.is_directed_acyclic_graph(_without(graph, breakers))
    assert len(breakers) == _minimum_size(graph)
    assert breakers == sorted(breakers)


@settings(max_examples=150, deadline=None)
@given(edge_lists)
def test_heuristic_breakers_break_every_cycle_and_are_each_needed(
        edges: list[tuple[str, str]]) -> None:
    graph = _graph(edges)
    breakers = _heuristic(graph)
    assert nx.is_directed_acyclic_graph(_without(graph, breakers))
    for edge in breakers:  # minimal: putting any one back recreates a cycle
        assert not nx.is_directed_acyclic_graph(_without(graph, [e for e in breakers if e != edge]))


@settings(max_examples=50, deadline=None)
@given(edge_lists, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_insertion_order(edges: list[tuple[str, str]],
                                                  rnd: object) -> None:
    shuffled = list(edges)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    nodes = sorted({n for edge in edges for n in edge} | {"a"})
    rnd.shuffle(nodes)  # type: ignore[attr-defined]
    first, second = _graph(edges), _graph(shuffled, nodes)
    if not nx.is_directed_acyclic_graph(first):
        assert cycle_breakers(first) == cycle_breakers(second)
        assert _heuristic(first) == _heuristic(second)
    assert (shortest_hops(first, {"a"}, lambda n: True)
            == shortest_hops(second, {"a"}, lambda n: True))


def test_shortest_hops_follow_passable_nodes_only() -> None:
    graph = _graph([("src", "x"), ("x", "y"), ("y", "dst"), ("src", "blocked"),
                    ("blocked", "dst"), ("z", "dst")])
    hop = shortest_hops(graph, {"dst"}, lambda n: n != "blocked")
    assert chain_from("src", "x", hop) == ["src", "x", "y", "dst"]
    assert "blocked" not in hop and hop["z"] == "dst"


def test_reachable_partial_stops_at_impassable_nodes() -> None:
    graph = _graph([("s", "m"), ("m", "bad"), ("s", "wall"), ("wall", "bad2")])
    partial = {"bad": "bad.py", "bad2": "bad2.py"}
    assert reachable_partial(graph, ["s"], lambda n: n != "wall", partial) == {"bad"}
    assert reachable_partial(graph, ["bad2"], lambda n: True, partial) == {"bad2"}
