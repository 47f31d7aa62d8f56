"""Which graph edges violate a rule, as the ``check`` command would report them.

The rules run for real (selection and inline suppressions included), so an import
suppressed with ``# ssot-lint: ignore[SSOT201]`` is not drawn red either.
"""

from __future__ import annotations

from ssot_lint.engine import code_enabled, run_rules
from ssot_lint.resolve.project import Project

GRAPH_CODES = ("SSOT201", "SSOT202", "SSOT203", "SSOT204")


def violation_marks(project: Project) -> dict[tuple[str, str], set[str]]:
    """``(importer, target) -> {codes}`` for every edge with a finding on one of its sites."""
    config = project.config
    codes = tuple(c for c in GRAPH_CODES if code_enabled(c, config.select, config.ignore))
    if not codes:
        return {}
    findings = run_rules(project, project.files, codes, (), cwd=config.root)
    at: dict[tuple[str, int, int], set[str]] = {}
    for finding in findings:
        at.setdefault((finding.path, finding.line, finding.column), set()).add(finding.code)
    mg = project.graph.modules
    marks: dict[tuple[str, str], set[str]] = {}
    for edge, sites in mg.sites.items():
        for site in sites:
            found = at.get((site.rel, site.fact.line, site.fact.col))
            if found:
                marks.setdefault(edge, set()).update(found)
    if "SSOT204" in codes:
        for violation in project.graph.violations("SSOT204"):
            assert violation.site is not None
            fact = violation.site.fact
            if "SSOT204" in at.get((violation.rel, fact.line, fact.col), set()):
                for edge in violation.edges:
                    marks.setdefault(edge, set()).add("SSOT204")
    return marks
