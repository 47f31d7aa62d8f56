"""Findings, and a project that cannot be read, as LSP diagnostics.

A finding's line and column are 1-based and count code points (as in every output of
``check``); LSP positions are 0-based in the client's units (UTF-16 by default), so
the conversion goes through the document's own position codec. The range is the
finding's: the imported name or module path. Message and hint read as in ``check``.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace import PositionCodec

from ssot_lint.lsp.links import rule_page
from ssot_lint.lsp.session import Problem
from ssot_lint.model.finding import Finding

SOURCE = "ssot-lint"

_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


def finding_range(finding: Finding, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    """The finding's place in client units (an empty range becomes the rest of the name)."""
    start = types.Position(line=finding.line - 1, character=finding.column - 1)
    end_line = finding.end_line if finding.end_line is not None else finding.line
    end_col = finding.end_column if finding.end_column is not None else finding.column
    end = types.Position(line=end_line - 1, character=end_col - 1)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return codec.range_to_client_units(lines, types.Range(start=start, end=end))


def message_of(finding: Finding) -> str:
    """``check``'s text: the message, then the hint on its own line."""
    return f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message


def to_diagnostic(finding: Finding, lines: Sequence[str], codec: PositionCodec,
                  docs_url: str | None) -> types.Diagnostic:
    page = rule_page(finding.code, docs_url)
    return types.Diagnostic(
        range=finding_range(finding, lines, codec),
        message=message_of(finding),
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=page) if page is not None else None,
        source=SOURCE,
        data={"rule": finding.rule, "line": finding.line, "column": finding.column},
    )


def problem_diagnostic(problem: Problem) -> types.Diagnostic:
    """One error on the registry (or config) file: the project cannot be checked."""
    line = max(problem.line - 1, 0)
    where = types.Range(start=types.Position(line=line, character=0),
                        end=types.Position(line=line + 1, character=0))
    return types.Diagnostic(range=where, severity=types.DiagnosticSeverity.Error,
                            source=SOURCE, message=problem.message + "\n(ssot-lint keeps "
                            "the last findings until this is fixed)")
