"""Build the networkx module graph of a project from its per-file facts.

Nodes are the first-party modules (packages and namespace packages included), in
sorted order so every walk over the graph is deterministic. An edge ``a -> b``
carries the import sites that make it (several statements, several names). A file
that cannot be parsed is *partial*: its node exists but its imports are unknown, and
analyses that could depend on them say so instead of claiming a verdict.

networkx is imported where a graph is built, not at module level: the graph rules
import this module for its helpers, and a run that judges no graph never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ssot_lint.discover import SourceFile
from ssot_lint.graph.sites import ImportSite, import_sites
from ssot_lint.resolve.project import Project

if TYPE_CHECKING:
    import networkx as nx

SitePredicate = Callable[[ImportSite], bool]


class ModuleGraph:
    """The whole-project dependency graph with its import sites."""

    def __init__(self, project: Project) -> None:
        import networkx as nx  # here, not at module level: the rules import this module

        self.project = project
        self.graph: nx.DiGraph = nx.DiGraph()
        self.file_of: dict[str, str] = {}  # module -> implementing file (rel)
        self.partial: dict[str, str] = {}  # module -> file that could not be parsed
        self.sites: dict[tuple[str, str], list[ImportSite]] = {}
        self.sites_by_file: dict[str, list[ImportSite]] = {}
        for module in project.index.all_modules():
            if project.is_first_party(module):
                self.graph.add_node(module)
        for source in self._implementations():
            assert source.module is not None
            self.file_of[source.module] = source.rel
            facts = project.facts.get(source.rel)
            if facts is not None and facts.problem is not None:
                self.partial[source.module] = source.rel
            sites = import_sites(project, source)
            self.sites_by_file[source.rel] = sites
            for site in sites:
                if not site.exists or site.target == site.importer:
                    continue
                self.sites.setdefault((site.importer, site.target), []).append(site)
        for edge in sorted(self.sites):
            self.graph.add_edge(*edge)

    def _implementations(self) -> list[SourceFile]:
        """The file that implements each first-party module (no stubs, no shadowed files)."""
        chosen = []
        for source in self.project.files:
            if source.module is None or source.is_stub:
                continue
            if not self.project.is_first_party(source.module):
                continue
            files = self.project.index.files(source.module)
            if files and files[0].rel == source.rel:
                chosen.append(source)
        return sorted(chosen, key=lambda f: f.rel)

    def filtered(self, keep: SitePredicate) -> nx.DiGraph:
        """The graph with only the edges that have at least one site ``keep`` accepts."""
        import networkx as nx

        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(self.graph.nodes)
        graph.add_edges_from(edge for edge in sorted(self.sites)
                             if any(keep(site) for site in self.sites[edge]))
        return graph

    def first_site(self, importer: str, target: str,
                   keep: SitePredicate | None = None) -> ImportSite:
        """The first import site (by file, line, column) of an edge."""
        sites = [s for s in self.sites[(importer, target)] if keep is None or keep(s)]
        return min(sites, key=lambda s: s.sort_key)

    def sites_of(self, importer: str, target: str,
                 keep: SitePredicate | None = None) -> list[ImportSite]:
        return sorted((s for s in self.sites.get((importer, target), [])
                       if keep is None or keep(s)), key=lambda s: s.sort_key)


def shortest_hops(graph: nx.DiGraph, targets: set[str],
                  passable: Callable[[str], bool]) -> dict[str, str]:
    """For each node that reaches ``targets`` through ``passable`` nodes: its next hop.

    A reverse breadth-first search from all targets at once, in sorted order, so the
    chain followed from any node is a shortest one and the same on every run. The
    returned map holds passable nodes only; targets themselves are not in it.
    """
    hop: dict[str, str] = {}
    seen = set(targets)
    frontier = sorted(targets)
    while frontier:
        discovered: list[str] = []
        for node in frontier:
            for pred in sorted(graph.predecessors(node)):
                if pred in seen or not passable(pred):
                    continue
                seen.add(pred)
                hop[pred] = node
                discovered.append(pred)
        frontier = sorted(discovered)
    return hop


def chain_from(start: str, first: str, hop: dict[str, str]) -> list[str]:
    """``start -> first -> ... -> target`` following ``hop`` until a target."""
    chain = [start, first]
    while chain[-1] in hop:
        chain.append(hop[chain[-1]])
    return chain


TYPE_CHECKING_MARK = " (TYPE_CHECKING only)"


def chain_text(mg: ModuleGraph, chain: list[str], keep: SitePredicate) -> str:
    """``a -> b -> c`` with each step whose imports are all under ``TYPE_CHECKING``
    marked ``b (TYPE_CHECKING only)``: such a step never runs, and the reader deciding
    where to cut the chain should know it."""
    parts = [chain[0]]
    for a, b in zip(chain, chain[1:], strict=False):
        sites = mg.sites_of(a, b, keep)
        only_tc = bool(sites) and all(site.fact.in_type_checking for site in sites)
        parts.append(b + (TYPE_CHECKING_MARK if only_tc else ""))
    return " -> ".join(parts)


def reachable_partial(graph: nx.DiGraph, starts: list[str], passable: Callable[[str], bool],
                      partial: dict[str, str]) -> set[str]:
    """Partial modules reachable from ``starts`` through passable nodes (or in ``starts``)."""
    found = {s for s in starts if s in partial}
    seen = set(starts)
    stack = list(starts)
    while stack:
        node = stack.pop()
        for succ in graph.successors(node):
            if succ in seen:
                continue
            seen.add(succ)
            if not passable(succ):
                continue
            if succ in partial:
                found.add(succ)
            stack.append(succ)
    return found
