"""``path:line:col: CODE message`` lines and a summary, like compilers and ruff."""

from __future__ import annotations

from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``), so one finding is one line.

    File names may contain line breaks and escape sequences: printed raw, a crafted name
    would forge extra lines -- in GitHub Actions, ``::warning ...::`` workflow commands --
    or drive the terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


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
