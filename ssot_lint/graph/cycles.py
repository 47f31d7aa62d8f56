"""Import cycles of a graph and the fewest edges that break them (SSOT204 reports them).

A cycle is a strongly connected component (of two or more modules). Cycle breakers
are the fewest module-to-module imports whose removal leaves the component acyclic
(a minimum feedback arc set). That is NP-hard in general, so it is
solved exactly for small components and with the Eades-Lin-Smyth ordering heuristic
(then pruned to a minimal set) for large ones; both are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

EXACT_BUDGET = 5_000  # acyclicity checks allowed for the exact search


@dataclass(frozen=True)
class Cycle:
    """One strongly connected component (two or more modules) of a graph."""

    members: tuple[str, ...]  # sorted
    breakers: tuple[tuple[str, str], ...]  # the fewest edges whose removal breaks it, sorted
    path: tuple[str, ...]  # one cycle through the first breaker: a -> b -> ... -> a


def import_cycles(graph: nx.DiGraph) -> list[Cycle]:
    """Every component of ``graph`` with a cycle, sorted by its members."""
    import networkx as nx  # here: the rules import this module, and most runs need no graph

    found = []
    components = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    for members in sorted(components):
        sub = nx.DiGraph()
        sub.add_nodes_from(members)
        sub.add_edges_from(sorted(graph.subgraph(members).edges))
        breakers = cycle_breakers(sub)
        first = breakers[0]
        path = (first[0], *nx.shortest_path(sub, first[1], first[0]))
        found.append(Cycle(tuple(members), tuple(breakers), path))
    return found


def cycle_breakers(component: nx.DiGraph) -> list[tuple[str, str]]:
    """The fewest edges whose removal makes ``component`` acyclic, sorted."""
    edges = sorted(component.edges)
    budget = EXACT_BUDGET
    for size in range(1, len(edges) + 1):
        for combo in combinations(edges, size):
            budget -= 1
            if budget < 0:
                return _heuristic(component)
            if _acyclic(edges, set(combo)):
                return list(combo)
    return edges  # unreachable: removing every edge leaves no cycle


def _acyclic(edges: list[tuple[str, str]], removed: set[tuple[str, str]]) -> bool:
    """Kahn's algorithm on plain dicts: cheaper than copying a networkx graph per trial."""
    indegree: dict[str, int] = {}
    successors: dict[str, list[str]] = {}
    for a, b in edges:
        indegree.setdefault(a, 0)
        indegree.setdefault(b, 0)
        if (a, b) not in removed:
            successors.setdefault(a, []).append(b)
            indegree[b] += 1
    ready = [node for node, degree in indegree.items() if degree == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for succ in successors.get(node, ()):
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    return seen == len(indegree)


def _heuristic(component: nx.DiGraph) -> list[tuple[str, str]]:
    """Eades-Lin-Smyth: order nodes, take the backward edges, drop the unneeded ones."""
    work = component.copy()
    left: list[str] = []
    right: list[str] = []
    while work.number_of_nodes():
        changed = True
        while changed:
            changed = False
            for node in sorted(n for n in work.nodes if work.out_degree(n) == 0):
                right.insert(0, node)
                work.remove_node(node)
                changed = True
            for node in sorted(n for n in work.nodes if work.in_degree(n) == 0):
                left.append(node)
                work.remove_node(node)
                changed = True
        if work.number_of_nodes():
            node = max(sorted(work.nodes), key=lambda n: work.out_degree(n) - work.in_degree(n))
            left.append(node)
            work.remove_node(node)
    position = {node: i for i, node in enumerate(left + right)}
    backward = sorted((a, b) for a, b in component.edges if position[a] > position[b])
    edges = sorted(component.edges)
    needed = set(backward)
    for edge in backward:  # put back every edge that does not recreate a cycle
        needed.discard(edge)
        if not _acyclic(edges, needed):
            needed.add(edge)
    return sorted(needed)
