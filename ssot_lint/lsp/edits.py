"""Text edits for the editor: fixes computed by the fixer, suppressions, new imports.

Nothing here writes a file: each function returns the new text or a ``TextEdit`` the
client applies to its buffer. Fixes go through the same planner and libcst rewrite as
``ssot-lint fix`` (``fix.plan``, ``fix.apply``), run on the buffer's text, so a quick
fix is exactly what ``fix`` would write.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from lsprotocol import types

from ssot_lint.discover import SourceFile
from ssot_lint.facts.suppressions import MARKER, find_suppressions
from ssot_lint.fix.apply import rewrite_text
from ssot_lint.fix.plan import FIXABLE, plan_file
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project


def fixed_text(project: Project, source: SourceFile, text: str, findings: Sequence[Finding],
               unsafe: bool) -> str | None:
    """The buffer with ``findings``' fixes applied, or None when none can be made.

    ``project`` must hold this very text's facts for ``source`` (the check that found
    the findings had the buffer as its overlay).
    """
    fixable = [f for f in findings if f.code in FIXABLE and f.fix is not None]
    if not fixable:
        return None
    plan = plan_file(project, source, fixable, unsafe)
    if not plan.changes:
        return None
    return rewrite_text(project, source, text, plan)


def needs_unsafe(project: Project, source: SourceFile, finding: Finding) -> bool:
    """Whether ``finding``'s fix is a rename that only ``--unsafe-fixes`` may make."""
    return bool(plan_file(project, source, [finding], False).needs_unsafe)


def replace_lines(old: str, new: str) -> types.TextEdit:
    """One edit turning ``old`` into ``new``: the differing lines only.

    Positions are line starts, so the edit is the same in every position encoding.
    """
    before, after = old.splitlines(True), new.splitlines(True)
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and \
            before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return types.TextEdit(
        range=types.Range(start=types.Position(line=head, character=0),
                          end=types.Position(line=len(before) - tail, character=0)),
        new_text="".join(after[head:len(after) - tail]))


def suppression_edit(text: str, finding: Finding, units: Callable[[str], int]
                     ) -> types.TextEdit | None:
    """Add ``# ssot-lint: ignore[CODE]`` on the finding's line (or its code to the
    directive already there); None where a comment cannot go (a ``\\`` continuation).

    ``units`` counts a string in the client's position units (UTF-16 by default).
    """
    lines = text.splitlines()
    index = finding.line - 1
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    for suppression in find_suppressions(text):
        if suppression.line == finding.line and suppression.codes and \
                not suppression.file_level:
            comment = line[suppression.col - 1:]
            close = comment.find("]", comment.find(MARKER))
            if close < 0:
                return None
            at = types.Position(line=index,
                                character=units(line[:suppression.col - 1 + close]))
            return types.TextEdit(range=types.Range(start=at, end=at),
                                  new_text=f", {finding.code}")
    if line.rstrip().endswith("\\"):
        return None
    at = types.Position(line=index, character=units(line))
    return types.TextEdit(range=types.Range(start=at, end=at),
                          new_text=f"  # {MARKER} ignore[{finding.code}]")


def import_insertion(text: str, line: str) -> types.TextEdit | None:
    """Insert ``line`` before the first top-level import (after the docstring and any
    ``from __future__`` import when there is none); None if the text does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    after = 0  # 1-based line after which to insert
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            after = node.end_lineno or node.lineno
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            after = node.lineno - 1
            break
        if node is tree.body[0] and isinstance(node, ast.Expr) and \
                isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            after = node.end_lineno or node.lineno
            continue
        break
    at = types.Position(line=after, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at), new_text=line + "\n")
