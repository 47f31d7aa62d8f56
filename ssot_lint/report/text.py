"""``path:line:col: CODE message`` lines and a summary, like compilers and ruff.

Paths and messages go through ``ssot_lint.escape.printable``: one finding, one line.
"""

from __future__ import annotations

from ssot_lint.escape import printable
from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary


def render_text(findings: list[Finding], summary: Summary, quiet: bool = False) -> str:
    lines = [f"{printable(f.path)}:{f.line}:{f.column}: {f.code} {printable(f.message)}"
             for f in findings]
    if not quiet:
        fails = f"; the run fails: {'; '.join(summary.failures)}" if summary.failures else ""
        if findings:
            parts = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}"
                              for sev, n in summary.by_severity.items())
            plural = "s" if summary.findings != 1 else ""
            lines.append(f"Found {summary.findings} finding{plural} ({parts}) in "
                         f"{summary.files_with_findings} of {summary.files_phrase()}{fails}.")
        elif summary.failures:
            lines.append(f"No findings ({summary.files_phrase()}){fails}.")
        else:
            lines.append(f"All checks passed ({summary.files_phrase()}).")
    return "\n".join(lines) + ("\n" if lines else "")
