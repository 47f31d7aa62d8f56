"""The graph-wide analyses of one project, computed once and shared by the rules.

``Project.graph`` builds a ``GraphAnalysis`` on first use. Each rule asks for its
code's violations in the file it is checking; each analysis runs on first request
only, so a run that selects only SSOT204 never evaluates contracts.
"""

from __future__ import annotations

import networkx as nx

from ssot_lint.graph.build import ModuleGraph, SitePredicate
from ssot_lint.graph.contracts import contract_violations
from ssot_lint.graph.cycles import cycle_violations
from ssot_lint.graph.layers import layer_violations
from ssot_lint.graph.services import counts_for_boundaries
from ssot_lint.graph.sites import ImportSite
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.model.registry import IgnoredImport
from ssot_lint.resolve.project import Project


class GraphAnalysis:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.modules = ModuleGraph(project)
        self._by_code: dict[str, dict[str, list[GraphViolation]]] = {}
        self.problem_line = {rel: (facts.problem.line, facts.problem.col)
                             for rel, facts in sorted(project.facts.items())
                             if facts.problem is not None}

    def dependency_filter(self) -> SitePredicate:
        """Which sites count for layers and contracts: all, TYPE_CHECKING per policy."""
        registry = self.project.registry
        return lambda site: counts_for_boundaries(site, registry)

    def cycle_filter(self) -> SitePredicate:
        """Which sites count for cycles: eager ones, or all but TYPE_CHECKING (policy)."""
        if self.project.registry.policy.cycle_imports == "all":
            return lambda site: not site.fact.in_type_checking
        return lambda site: site.eager

    def violations(self, code: str) -> list[GraphViolation]:
        """All violations of one graph rule, sorted."""
        return [v for rel in sorted(self._compute(code)) for v in self._compute(code)[rel]]

    def violations_in(self, code: str, rel: str) -> list[GraphViolation]:
        return self._compute(code).get(rel, [])

    def _compute(self, code: str) -> dict[str, list[GraphViolation]]:
        cached = self._by_code.get(code)
        if cached is not None:
            return cached
        found: list[GraphViolation] = []
        registry = self.project.registry
        if code == "SSOT202" and registry.contracts:
            keep = self.dependency_filter()
            graph = self.modules.filtered(keep)
            for contract in registry.contracts:
                found += contract_violations(self.modules,
                                             without(graph, contract.ignore_imports),
                                             contract, keep, self.problem_line)
        elif code == "SSOT203" and registry.layers:
            keep = self.dependency_filter()
            graph = self.modules.filtered(keep)
            for stack in registry.layers:
                found += layer_violations(self.modules, without(graph, stack.ignore_imports),
                                          stack, keep, self.problem_line)
        elif code == "SSOT204":
            keep = self.cycle_filter()
            found = cycle_violations(self.modules, self.modules.filtered(keep), keep)
        by_file: dict[str, list[GraphViolation]] = {}
        for violation in sorted(found, key=lambda v: v.sort_key):
            by_file.setdefault(violation.rel, []).append(violation)
        self._by_code[code] = by_file
        return by_file

    def unused_ignores(self) -> list[tuple[str, IgnoredImport]]:
        """``ignore_imports`` entries that match no import edge (that counts) any more."""
        keep = self.dependency_filter()
        edges = [edge for edge, sites in sorted(self.modules.sites.items())
                 if any(keep(site) for site in sites)]
        return [(owner, entry) for owner, entry in self.project.registry.ignore_entries()
                if not any(entry.matches(a, b) for a, b in edges)]

    def sites_in(self, rel: str) -> list[ImportSite]:
        return self.modules.sites_by_file.get(rel, [])


def without(graph: nx.DiGraph, ignored: tuple[IgnoredImport, ...]) -> nx.DiGraph:
    """``graph`` minus the edges an ``ignore_imports`` list exempts (a copy if any)."""
    if not ignored:
        return graph
    drop = [(a, b) for a, b in graph.edges if any(entry.matches(a, b) for entry in ignored)]
    if not drop:
        return graph
    trimmed = graph.copy()
    trimmed.remove_edges_from(drop)
    return trimmed


def analyse(project: Project) -> GraphAnalysis:
    return GraphAnalysis(project)
