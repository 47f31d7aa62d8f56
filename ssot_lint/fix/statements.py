"""Rewrite only the runs of import statements a fix touches, and splice them back.

Parsing a whole module with libcst, visiting it and generating its code again costs
about a second for a large file, while a fix only ever edits one *run* of import
statements (consecutive import lines of one block: the unit ``ImportRewriter`` merges,
de-duplicates and sorts within). So each run with a change is cut out of the text
exactly where ``ast`` says it is, parsed on its own with libcst, rewritten by the same
``ImportRewriter``, and the new text replaces exactly the old lines; everything else
stays the same bytes without being parsed by libcst at all.

The cut-out must look to libcst as it does inside the whole module, so that the result
is the one the whole-module rewrite produces (``tests/unit/fix/test_statements.py``
compares the two on every fixture and on generated files). What libcst sees of a run is
its lines and the blank and comment lines right above its first statement (its
``leading_lines``: they decide whether a block counts as sorted and whether a
statement carrying a comment may be merged away). So the piece handed to libcst is a
stand-in for what precedes the run (``pass`` at the run's indentation, inside ``if
True:`` when the run is indented), then those lines, then the run. Whenever the
correspondence cannot be established from ``ast`` positions alone, ``None`` tells the
caller to rewrite the whole module instead: statements sharing a line (``;``,
``if x: import y``), a line continued with a backslash after a statement, carriage
returns or form feeds, comments above a run that libcst could attach to the block
before it, or libcst and ``ast`` disagreeing about the run. The caller verifies the
spliced result as strictly as a whole-module rewrite (``verify_splice``).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, replace

import libcst as cst

from ssot_lint.fix.imports import AliasChange, ImportOrder, ImportRewriter, Slot
from ssot_lint.fix.layout import Style
from ssot_lint.fix.verify import Piece

_BLANKS = " \t"
# the body fields of compound statements, in source order (``ast.iter_fields`` order)
_HANDLERS = ("handlers", "cases")
LIBCST_DEFAULT_INDENT = "    "  # what libcst assumes for a file without indented blocks


@dataclass(frozen=True)
class _Run:
    """Consecutive import statements of one statement list, and what precedes them."""

    statements: tuple[ast.Import | ast.ImportFrom, ...]
    first_ordinal: int  # ordinal of the first statement among the module's imports
    previous: ast.stmt | None  # the statement right before the run in its list
    top_level: bool  # the list is the module's body


@dataclass(frozen=True)
class Splice:
    """The result: the new text, the slots applied, and what ``verify_splice`` needs."""

    text: str
    applied: set[Slot]
    pieces: list[Piece]  # each replaced run
    import_lines: set[int]  # every line an import statement of the old text spans


def rewrite_runs(text: str, tree: ast.Module, changes: Mapping[Slot, AliasChange], *,
                 style: Style | None, package: str | None) -> Splice | None:
    """``text`` with every run holding a change rewritten, and the slots applied.

    None when a run cannot be cut out so that libcst sees it as in the whole module;
    the caller then rewrites the whole module.
    """
    if "\r" in text or "\f" in text or "\v" in text:
        return None
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    wanted = {ordinal for ordinal, _ in changes}
    every_run = _runs(tree)
    import_lines = {line for run in every_run for stmt in run.statements
                    for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)}
    runs = [run for run in every_run
            if any(run.first_ordinal <= o < run.first_ordinal + len(run.statements)
                   for o in wanted)]
    if style is not None:
        style = replace(style, indent=default_indent(tree, lines))
    pieces: list[str] = []
    replaced: list[Piece] = []
    done = 0  # offset in ``text`` up to which ``pieces`` holds the new text
    applied: set[Slot] = set()
    for run in runs:
        cut = _cut(run, lines)
        if cut is None:
            return None
        first_line, prefix = cut
        begin = starts[first_line - 1]
        last = run.statements[-1].end_lineno or run.statements[-1].lineno
        end = min(starts[last], len(text))  # the last line with its newline, if any
        base, count = run.first_ordinal, len(run.statements)
        local = {(o - base, i): c for (o, i), c in changes.items() if base <= o < base + count}
        found = _rewrite_piece(prefix + text[begin:end], prefix, count, local, style,
                               package)
        if found is None:
            return None
        new_piece, done_here = found
        pieces += [text[done:begin], new_piece]
        replaced.append(Piece(old=prefix + text[begin:end], new=prefix + new_piece,
                              stand_in=1 if prefix else 0, wrapped=not run.top_level,
                              statements=run.statements))
        done = end
        applied.update((o + base, i) for o, i in done_here)
    pieces.append(text[done:])
    return Splice("".join(pieces), applied, replaced, import_lines)


def _rewrite_piece(piece: str, prefix: str, count: int, changes: Mapping[Slot, AliasChange],
                   style: Style | None, package: str | None) -> tuple[str, set[Slot]] | None:
    try:
        module = cst.parse_module(piece)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    order = ImportOrder()
    module.visit(order)
    if len(order.order) != count or module.code != piece:
        return None  # libcst does not see the run ast sees
    rewriter = ImportRewriter(changes, order.order, style=style, package=package,
                              keep_style_indent=True)
    try:
        new = module.visit(rewriter).code
    except (cst.ParserSyntaxError, ValueError, RecursionError):
        return None
    if not new.startswith(prefix):
        return None
    return new[len(prefix):], set(rewriter.applied)


def _cut(run: _Run, lines: list[str]) -> tuple[int, str] | None:
    """(the first line to replace, the stand-in to parse before it), or None."""
    for stmt in run.statements:
        if not _starts_line(stmt, lines) or not _ends_line(stmt, lines):
            return None
    first = run.statements[0]
    indent = lines[first.lineno - 1][:first.col_offset]
    prefix = "pass\n" if run.top_level else f"if True:\n{indent}pass\n"
    if run.previous is None:
        if run.top_level:  # the module's first statement: what is above is its header
            return 1, ""
        above = lines[first.lineno - 2] if first.lineno >= 2 else ""
        if _blank(above) or _comment(above):
            return None  # lines between a block's header and its first statement
        return first.lineno, prefix
    previous = run.previous
    if not _ends_line(previous, lines):
        return None
    gap = lines[(previous.end_lineno or previous.lineno):first.lineno - 1]
    if not all(_blank(line) or _comment(line) for line in gap):
        return None
    if _is_compound(previous) and any(_comment(line) for line in gap):
        return None  # libcst may give such a comment to the block above (its footer)
    return (previous.end_lineno or previous.lineno) + 1, prefix


def _starts_line(stmt: ast.stmt, lines: list[str]) -> bool:
    line = lines[stmt.lineno - 1]
    return len(line) >= stmt.col_offset and not line[:stmt.col_offset].strip(_BLANKS)


def _ends_line(stmt: ast.stmt, lines: list[str]) -> bool:
    """Nothing but blanks or a comment follows ``stmt`` on its last line."""
    end_line, end_col = stmt.end_lineno, stmt.end_col_offset
    if end_line is None or end_col is None:
        return False
    rest = lines[end_line - 1].encode("utf-8")[end_col:].decode("utf-8", "replace")
    return _blank(rest) or _comment(rest)


def _blank(line: str) -> bool:
    return not line.strip(_BLANKS)


def _comment(line: str) -> bool:
    return line.lstrip(_BLANKS).startswith("#")


def _is_compound(stmt: ast.stmt) -> bool:
    return any(isinstance(getattr(stmt, name, None), list)
               for name in ("body", "orelse", "finalbody", *_HANDLERS))


def _runs(tree: ast.Module) -> list[_Run]:
    """Every run of import statements, numbered as ``imports.import_keys`` numbers them."""
    runs: list[_Run] = []
    ordinal = 0

    def walk(body: list[ast.stmt], top_level: bool) -> None:
        nonlocal ordinal
        current: list[ast.Import | ast.ImportFrom] = []
        start = 0
        previous: ast.stmt | None = None
        for stmt in [*body, None]:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                if not current:
                    start = ordinal
                current.append(stmt)
                ordinal += 1
                continue
            if current:
                runs.append(_Run(tuple(current), start, previous, top_level))
                current = []
            if stmt is None:
                break
            previous = stmt
            for _, value in ast.iter_fields(stmt):
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    walk(value, False)
                elif isinstance(value, list) and value and hasattr(value[0], "body"):
                    for part in value:
                        walk(part.body, False)

    walk(tree.body, True)
    return runs


def default_indent(tree: ast.Module, lines: list[str]) -> str:
    """The indentation libcst would take as the module's (its first indented block's).

    The first ``INDENT`` token of a file belongs to the first block, in source order,
    whose first statement starts a line further right than its header; blocks written
    on their header's line (``if x: y``) have none, and an ``elif`` is a statement at
    its ``if``'s column whose own blocks come next.
    """
    def first(statements: list[ast.stmt]) -> str | None:
        for stmt in statements:
            for block in _blocks(stmt):
                head = block[0]
                if not _starts_line(head, lines):
                    continue
                if head.col_offset > stmt.col_offset:
                    return lines[head.lineno - 1][:head.col_offset]
                found = first([head])  # an ``elif``
                if found is not None:
                    return found
        return None

    return first(tree.body) or LIBCST_DEFAULT_INDENT


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks: list[list[ast.stmt]] = []
    for _, value in ast.iter_fields(stmt):
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            blocks.append(value)
        elif isinstance(value, list) and value and hasattr(value[0], "body"):
            blocks.extend(part.body for part in value)
    return blocks
