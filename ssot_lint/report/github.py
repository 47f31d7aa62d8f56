"""GitHub Actions workflow commands: findings become annotations on the pull request.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=TITLE::MESSAGE``, with
``warning`` and ``notice`` for the other severities. Escaping follows the runner's own
rules (``@actions/core``'s ``escapeData`` / ``escapeProperty``): ``%``, ``\\r`` and
``\\n`` everywhere, and also ``:`` and ``,`` inside properties, which would otherwise
end a property early.
"""

from __future__ import annotations

from ssot_lint.escape import printable
from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props = [("file", printable(f.path)), ("line", str(f.line)), ("col", str(f.column))]
    if f.end_line is not None and f.end_column is not None:
        props += [("endLine", str(f.end_line)), ("endColumn", str(f.end_column))]
    props.append(("title", f"{f.code} {f.rule}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    # line breaks become %0A (escape_data): a message may span lines, never forge one;
    # every other control character (a terminal escape) is escaped like in text output
    message = f"{f.code} {printable(f.message, keep=chr(10))}"
    if f.hint and f.hint not in f.message:
        message += f"\n{printable(f.hint, keep=chr(10))}"
    return f"::{COMMANDS.get(f.severity, 'error')} {rendered}::{escape_data(message)}"


def render_github(findings: list[Finding], summary: Summary, quiet: bool = False) -> str:
    lines = [annotation(f) for f in findings]
    if not quiet:
        lines.append(f"ssot-lint: {summary.findings} finding{'s' if summary.findings != 1 else ''}"
                     f" in {summary.files_with_findings} of {summary.files_checked} files")
    return "\n".join(lines) + ("\n" if lines else "")
