"""Turn a finding's ``Edit`` into a SARIF ``fix`` (an exact text replacement), when safe.

A finding's fix is data ("replace import path A with B"); SARIF needs the exact
characters to delete and insert. We re-read the file (reading, never importing), find
the import statement at the finding with ``ast``, and rewrite the whole statement —
keeping the other names of a ``from`` import in place: a ``from`` import, an
``import a.b as c``, or (for making a relative import absolute) any ``from`` import.
Only safe fixes (what ``fix`` changes without ``--unsafe-fixes``) become SARIF fixes;
``ssot-lint fix`` (libcst) remains the real fixer, and a test holds the two to the
same findings.
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
        if (isinstance(node, (ast.Import, ast.ImportFrom))
                and node.lineno <= line <= (node.end_lineno or node.lineno)
                and (best is None or node.lineno >= best.lineno)):
            best = node
    return best


def _alias(alias: ast.alias) -> str:
    return alias.name + (f" as {alias.asname}" if alias.asname else "")


def replacement_text(stmt: _Stmt, kind: str, old: str, new: str,
                     indent: str = "") -> str | None:
    """The rewritten statement, or None when a rewrite could change other bindings.

    A ``from`` import of several names keeps the others where they are and imports
    the replaced one from its new home on the next line (``indent`` is the
    statement's own indentation), as ``fix`` does.
    """
    if kind == "absolute-import" and isinstance(stmt, ast.ImportFrom):
        return f"from {new} import {', '.join(_alias(a) for a in stmt.names)}"
    if kind != "replace-import" or "." not in new:
        return None
    if isinstance(stmt, ast.ImportFrom):
        hits = [a for a in stmt.names if a.name != "*" and old.endswith("." + a.name)]
        if len(hits) != 1:
            return None
        alias = hits[0]
        module, name = new.rsplit(".", 1)
        bound = alias.asname or alias.name
        moved = f"from {module} import {name}" + (f" as {bound}" if bound != name else "")
        rest = [_alias(a) for a in stmt.names if a is not alias]
        if not rest:
            return moved
        kept = f"from {'.' * stmt.level}{stmt.module or ''} import {', '.join(rest)}"
        return f"{kept}\n{indent}{moved}"
    if len(stmt.names) == 1 and stmt.names[0].asname and stmt.names[0].name == old:
        return f"import {new} as {stmt.names[0].asname}"
    return None


def _column(lines: list[str], line: int, byte_offset: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def sarif_fix(finding: Finding, path: Path) -> dict[str, Any] | None:
    """A SARIF ``fix`` object for ``finding`` (artifactLocation filled in by the caller)."""
    from ssot_lint.facts.decode import Decoded, decode_source
    from ssot_lint.files import SOURCE_LIMIT, read_bytes

    if finding.fix is None or not finding.fix.safe:
        return None  # only what `fix` (without --unsafe-fixes) will change
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
    lines = decoded.text.split("\n")
    indent = lines[stmt.lineno - 1][:stmt.col_offset] if stmt.lineno <= len(lines) else ""
    if indent.strip():
        return None  # after a `;` on the same line: no line of its own to add
    text = replacement_text(stmt, finding.fix.kind, finding.fix.old, finding.fix.new, indent)
    if text is None:
        return None
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
