"""Turn the graph analyses' violations into findings for the file being checked.

The analyses run once per project (``Project.graph``); this only picks the
violations located in ``ctx.source``, so SSOT202-SSOT204 cost nothing per file.
"""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules.base import FileContext, Rule


def graph_findings(ctx: FileContext, rule: Rule) -> Iterator[Finding]:
    for violation in ctx.project.graph.violations_in(rule.code, ctx.source.rel):
        yield ctx.finding(rule, violation.site.fact if violation.site else None,
                          violation.message, line=violation.line, col=violation.col,
                          severity=violation.severity, hint=violation.hint,
                          symbol=violation.site.target if violation.site else None)
