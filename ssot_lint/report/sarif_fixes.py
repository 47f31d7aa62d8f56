"""Turn a finding's ``Edit`` into a SARIF ``fix`` (an exact text replacement), when safe.

A finding's fix is data ("replace import path A with B"); SARIF needs the exact
characters to delete and insert. We re-read the file (reading, never importing), find
the import statement at the finding with ``ast``, and rewrite the whole statement —
but only where that cannot touch other names: a ``from`` import of exactly one name,
an ``import a.b as c``, or (for making a relative import absolute) any ``from`` import.
Anything else gets no SARIF fix; ``ssot-lint fix`` (libcst) remains the real fixer.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from ssot_lint.model.finding import Finding

_Stmt = ast.Import | ast.ImportFrom


def _statement(tree: ast.AST, line: int) -> _Stmt | None:
    best: _Stmt | None = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno >= best.lineno:
                best = node
    return best


def _alias(alias: ast.alias) -> str:
    return alias.name + (f" as {alias.asname}" if alias.asname else "")


def replacement_text(stmt: _Stmt, kind: str, old: str, new: str) -> str | None:
    """The rewritten statement, or None when a rewrite could change other bindings."""
    if kind == "absolute-import" and isinstance(stmt, ast.ImportFrom):
        return f"from {new} import {', '.join(_alias(a) for a in stmt.names)}"
    if kind != "replace-import" or len(stmt.names) != 1 or "." not in new:
        return None
    alias = stmt.names[0]
    if isinstance(stmt, ast.ImportFrom):
        if alias.name == "*" or not old.endswith("." + alias.name):
            return None
        module, name = new.rsplit(".", 1)
        bound = alias.asname or alias.name
        return f"from {module} import {name}" + (f" as {bound}" if bound != name else "")
    if alias.asname and alias.name == old:
        return f"import {new} as {alias.asname}"
    return None


def _column(lines: list[str], line: int, byte_offset: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def sarif_fix(finding: Finding, path: Path) -> dict[str, Any] | None:
    """A SARIF ``fix`` object for ``finding`` (artifactLocation filled in by the caller)."""
    from ssot_lint.facts.decode import Decoded, decode_source
    from ssot_lint.files import SOURCE_LIMIT, read_bytes

    if finding.fix is None:
        return None
    try:
        decoded = decode_source(read_bytes(path, SOURCE_LIMIT))
    except OSError:
        return None
    if not isinstance(decoded, Decoded):
        return None
    try:
        tree = ast.parse(decoded.text)
    except (SyntaxError, ValueError):
        return None
    stmt = _statement(tree, finding.line)
    if stmt is None:
        return None
    text = replacement_text(stmt, finding.fix.kind, finding.fix.old, finding.fix.new)
    if text is None:
        return None
    lines = decoded.text.split("\n")
    end_line = stmt.end_lineno or stmt.lineno
    region = {"startLine": stmt.lineno,
              "startColumn": _column(lines, stmt.lineno, stmt.col_offset),
              "endLine": end_line,
              "endColumn": _column(lines, end_line, stmt.end_col_offset or 0)}
    return {
        "description": {"text": f"{finding.fix.description}: `{finding.fix.old}` -> "
                                f"`{finding.fix.new}`"},
        "artifactChanges": [{"artifactLocation": {},
                             "replacements": [{"deletedRegion": region,
                                               "insertedContent": {"text": text}}]}],
    }
