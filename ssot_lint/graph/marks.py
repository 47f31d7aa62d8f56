"""Which graph edges violate a rule, as the ``check`` command reports them.

The caller runs the graph rules for real (selection and inline suppressions
included) and passes their findings, so an import suppressed with
``# ssot-lint: ignore[SSOT201]`` is not drawn red either. This module only maps
findings back to edges: it knows no rule and runs none.
"""

from __future__ import annotations

from collections.abc import Iterable

from ssot_lint.graph.build import ModuleGraph
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.model.finding import Finding


def violation_marks(mg: ModuleGraph, findings: Iterable[Finding],
                    whole: Iterable[GraphViolation] = ()) -> dict[tuple[str, str], set[str]]:
    """``(importer, target) -> {codes}`` for every edge with a finding on one of its sites.

    ``findings`` must carry root-relative paths (``run_rules(..., cwd=root)``). A
    violation in ``whole`` whose finding is among them marks every one of its edges
    (a cycle: each breaker), not only the import it is reported at.
    """
    at: dict[tuple[str, int, int], set[str]] = {}
    for finding in findings:
        at.setdefault((finding.path, finding.line, finding.column), set()).add(finding.code)
    marks: dict[tuple[str, str], set[str]] = {}
    for edge, sites in mg.sites.items():
        for site in sites:
            found = at.get((site.rel, site.fact.line, site.fact.col))
            if found:
                marks.setdefault(edge, set()).update(found)
    for violation in whole:
        assert violation.site is not None
        fact = violation.site.fact
        if violation.code in at.get((violation.rel, fact.line, fact.col), set()):
            for edge in violation.edges:
                marks.setdefault(edge, set()).add(violation.code)
    return marks
