"""Graph rules: judged once per project on the import graph, reported per file.

A ``GraphRule`` (SSOT202-SSOT204) computes every violation of the project in its
``analyse`` method, which ``graph.analysis.GraphAnalysis`` runs once per run on first
request; its ``check`` only picks the violations located in ``ctx.source``, so the
rule costs nothing per file. Each finding lists the other files on its chain or cycle
as ``("touches", path)`` pairs in ``Finding.extra`` (``--changed-since`` shows a
finding when any of them changed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from ssot_lint.graph.analysis import GraphAnalysis, analysis_of
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Registry
from ssot_lint.rules.base import FileContext, Rule

EDGE_KEY = "edge"  # Finding.extra key: the one import edge a direct finding is about


def edge_marker(importer: str, target: str) -> tuple[str, str]:
    """``("edge", "a -> b")``: lets the engine see that SSOT201 and SSOT203 report the
    same import of the same edge (``LayerViolationRule.drop_repeated``)."""
    return (EDGE_KEY, f"{importer} -> {target}")


class GraphRule(Rule):
    """A rule judged on the whole import graph: subclasses implement ``analyse``."""

    scope = "project"  # judged on the import graph alone
    graph = True
    # Whether a finding marks every edge of its violation in ``ssot-lint graph`` (a
    # cycle: each of its breakers), not only the import it is reported at.
    marks_all_edges: ClassVar[bool] = False

    def applies(self, registry: Registry) -> bool:
        """Whether the registry declares anything for this rule to judge: when it does
        not, the graph is not even built."""
        return True

    def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]:
        """Every violation of the project, each located in the file it is reported in."""
        raise NotImplementedError

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if self.applies(ctx.project.registry):
            yield from graph_findings(ctx, self)


def graph_findings(ctx: FileContext, rule: GraphRule) -> Iterator[Finding]:
    for violation in analysis_of(ctx.project).violations_in(rule, ctx.source.rel):
        finding = ctx.finding(rule, violation.site.fact if violation.site else None,
                              violation.message, line=violation.line, col=violation.col,
                              severity=violation.severity, hint=violation.hint,
                              symbol=violation.site.target if violation.site else None)
        extra = tuple(("touches", path) for path in _touched(ctx, violation))
        if rule.code == "SSOT203" and violation.site is not None and len(violation.edges) == 1:
            extra += (edge_marker(*violation.edges[0]),)
        yield replace(finding, extra=finding.extra + extra) if extra else finding


def _touched(ctx: FileContext, violation: GraphViolation) -> list[str]:
    """Files of the violation's modules, written like ``Finding.path`` (sorted, unique)."""
    file_of = analysis_of(ctx.project).modules.file_of
    rels = sorted({file_of[m] for m in violation.modules if m in file_of} - {ctx.source.rel})
    base = Path(ctx.display_path).parent
    here = ctx.source.path.parent
    root = ctx.project.config.root
    return [Path(os.path.normpath(base / os.path.relpath(root / rel, here))).as_posix()
            for rel in rels]
