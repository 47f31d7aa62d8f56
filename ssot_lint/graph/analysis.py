"""The graph-wide analyses of one project, computed once and shared by the rules.

``analysis_of(project)`` builds a ``GraphAnalysis`` on first use and keeps it in
``Project.shared``. What each graph rule computes lives in the rule's own module (its
``analyse`` method); this class only builds the graph, holds the policies every rule
judges edges by, and runs each rule's analysis once, on first request, so a run that
selects only SSOT204 never evaluates contracts.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from ssot_lint.graph.build import ModuleGraph, SitePredicate
from ssot_lint.graph.services import counts_for_boundaries
from ssot_lint.graph.sites import ImportSite
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.model.registry import IgnoredImport
from ssot_lint.resolve.project import Project

if TYPE_CHECKING:
    import networkx as nx


class GraphRule(Protocol):
    """A rule judged on the whole graph (SSOT202-SSOT204): its ``analyse`` lists every
    violation of the project, located in the file each is reported in."""

    @property
    def code(self) -> str: ...

    def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]: ...


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

    @cached_property
    def dependencies(self) -> nx.DiGraph:
        """The graph of the edges that count for layers and contracts (built once)."""
        return self.modules.filtered(self.dependency_filter())

    def judged(self, ignored: tuple[IgnoredImport, ...]) -> nx.DiGraph:
        """:attr:`dependencies` minus the edges an ``ignore_imports`` list exempts."""
        return without(self.dependencies, ignored)

    def violations(self, rule: GraphRule) -> list[GraphViolation]:
        """All violations of one graph rule, sorted."""
        by_file = self._compute(rule)
        return [v for rel in sorted(by_file) for v in by_file[rel]]

    def violations_in(self, rule: GraphRule, rel: str) -> list[GraphViolation]:
        return self._compute(rule).get(rel, [])

    def _compute(self, rule: GraphRule) -> dict[str, list[GraphViolation]]:
        cached = self._by_code.get(rule.code)
        if cached is not None:
            return cached
        by_file: dict[str, list[GraphViolation]] = {}
        for violation in sorted(rule.analyse(self), key=lambda v: v.sort_key):
            by_file.setdefault(violation.rel, []).append(violation)
        self._by_code[rule.code] = by_file
        return by_file

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


def analysis_of(project: Project) -> GraphAnalysis:
    """The project's graph analysis, built on first use and kept for the run.

    It lives in ``project.shared`` (not in a ``Project`` attribute) so the resolve
    layer does not depend on the graph layer built on top of it.
    """
    found = project.shared.get(GraphAnalysis)
    if not isinstance(found, GraphAnalysis):
        found = project.shared[GraphAnalysis] = GraphAnalysis(project)
    return found
