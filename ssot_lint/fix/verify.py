"""Prove a rewrite touched only what it was asked to touch.

First the text: every line that differs must be a line of an import statement (or be
added right after one), or a blank or comment line *between* two import statements
(sorting a block moves the comments above a statement with it and puts one blank line
between sections), so comments and formatting elsewhere provably stay — unless
references were renamed, which the caller guards by a libcst round trip instead; and
the file keeps exactly the comments it had (moved, never lost or duplicated). Then
both versions are parsed with ``ast``. Import statements are taken out of every
statement list and turned into *bindings* — (block, bound name, absolute path) — and
the rest of each tree is dumped without positions. The dumps must be equal (after
applying the planned reference renames to the old tree), and the new bindings must be
exactly the old ones with the planned import changes applied. Anything else — a lost
statement, a changed expression, an import that now binds something unplanned — and
the file is not written.
"""

from __future__ import annotations

import ast
import difflib
import io
import tokenize
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ssot_lint.facts.visitor import ColumnMap

Block = tuple[object, ...]


@dataclass(frozen=True)
class Binding:
    block: Block
    bound: str
    path: str


@dataclass(frozen=True)
class PlannedImport:
    """What one imported name (found by its 1-based line/column) must become."""

    bound: str
    path: str


@dataclass(frozen=True)
class Piece:
    """What a spliced rewrite (``statements``) replaced: one run of import statements.

    ``old`` and ``new`` are the replaced text and its replacement, each after the same
    stand-in (``stand_in`` statements; inside ``if True:`` when ``wrapped``), so each
    parses and tokenizes on its own; ``statements`` are the run's statements in the
    old file's tree.
    """

    old: str
    new: str
    stand_in: int
    wrapped: bool
    statements: tuple[ast.Import | ast.ImportFrom, ...]


class Binder:
    """Turns import statements of one file into bindings (bound name -> absolute path)."""

    def __init__(self, text: str, module: str | None, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.columns = ColumnMap(text)
        self.bindings: list[tuple[Binding, tuple[int, int]]] = []
        self.import_lines: set[int] = set()  # every line an import statement spans

    def _absolute(self, module: str, level: int) -> str:
        if level == 0:
            return module
        parts = (self.module or "").split(".")
        base = parts if self.is_package else parts[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module] if module else base)

    def _bind(self, stmt: ast.Import | ast.ImportFrom, block: Block) -> None:
        self.import_lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
        for alias in stmt.names:
            where = (alias.lineno, self.columns.col(alias.lineno, alias.col_offset))
            if isinstance(stmt, ast.Import):
                bound = alias.asname or alias.name.split(".")[0]
                path = alias.name
            else:
                module = self._absolute(stmt.module or "", stmt.level)
                bound = alias.asname or alias.name
                path = f"{module}.{alias.name}" if alias.name != "*" else f"{module}.*"
            self.bindings.append((Binding(block, bound, path), where))


class Skeleton(Binder):
    """A module without its imports: a comparable dump plus the import bindings."""

    def __init__(self, text: str, module: str | None, is_package: bool,
                 renames: Mapping[str, str] | None = None) -> None:
        super().__init__(text, module, is_package)
        tree = ast.parse(text)
        self._strip(tree.body, ())
        if renames:
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and node.id in renames:
                    node.id = renames[node.id]
        self.dump = ast.dump(tree, include_attributes=False)

    def _strip(self, body: list[ast.stmt], block: Block) -> list[ast.stmt]:
        kept: list[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._bind(stmt, block)
                continue
            index = len(kept)
            kept.append(stmt)
            for name, value in ast.iter_fields(stmt):
                if not isinstance(value, list) or not value:
                    continue
                if isinstance(value[0], ast.stmt):
                    setattr(stmt, name, self._strip(value, (*block, index, name)))
                elif hasattr(value[0], "body"):  # except handlers, match cases
                    for j, part in enumerate(value):
                        part.body = self._strip(part.body, (*block, index, name, j))
        body[:] = kept
        return kept


def verify_rewrite(old: str, new: str, *, module: str | None, is_package: bool,
                   planned: Mapping[tuple[int, int], PlannedImport],
                   renames: Mapping[str, str] | None = None) -> str | None:
    """None when ``new`` is ``old`` with exactly the planned changes; else the reason."""
    try:
        after = Skeleton(new, module, is_package)
    except SyntaxError as exc:
        return f"the rewritten file does not parse ({exc.msg}, line {exc.lineno}); not written"
    before = Skeleton(old, module, is_package, renames)
    if not renames and not _only_import_lines_changed(old, new, before.import_lines):
        return ("the rewrite would change text outside the edited imports (libcst does not "
                "reproduce this file byte for byte: CR-only line endings?); not written")
    if _comments(old) != _comments(new):
        return "the rewrite would lose or duplicate a comment; not written"
    if before.dump != after.dump:
        return "the rewrite would change code outside the imports; not written"
    expected = set()
    for binding, where in before.bindings:
        change = planned.get(where)
        if change is not None:
            binding = Binding(binding.block, change.bound, change.path)
        expected.add(binding)
    found = {binding for binding, _ in after.bindings}
    if expected != found:
        extra = sorted(f"{b.bound} = {b.path}" for b in found - expected)
        missing = sorted(f"{b.bound} = {b.path}" for b in expected - found)
        return ("the rewritten imports do not bind what was planned "
                f"(unexpected: {', '.join(extra) or '-'}; missing: {', '.join(missing) or '-'}); "
                "not written")
    return None


def verify_splice(old: str, new: str, *, module: str | None, is_package: bool,
                  planned: Mapping[tuple[int, int], PlannedImport],
                  pieces: Sequence[Piece], import_lines: set[int]) -> str | None:
    """``verify_rewrite`` for a ``new`` that is ``old`` with only ``pieces`` replaced.

    At least as strict, and much cheaper on a large file: outside the pieces the two
    texts are the same bytes, and each piece starts where a statement may start, after
    a whole statement (``statements`` cuts them so). So when ``new`` parses and each new
    piece parses on its own behind the same stand-in into import statements only, the
    tokens and statements outside the pieces are the old ones, and what remains to
    compare is in the pieces: their comments, and their bindings against the planned
    ones. ``import_lines``: every line an import statement of ``old`` spans.
    """
    try:
        ast.parse(new)
    except SyntaxError as exc:
        return f"the rewritten file does not parse ({exc.msg}, line {exc.lineno}); not written"
    if not _only_import_lines_changed(old, new, import_lines):
        return ("the rewrite would change text outside the edited imports; not written")
    before = Binder(old, module, is_package)
    for piece in pieces:
        if _comments(piece.old) != _comments(piece.new):
            return "the rewrite would lose or duplicate a comment; not written"
        try:
            body = ast.parse(piece.new).body
        except SyntaxError as exc:
            return f"a rewritten statement does not parse ({exc.msg}); not written"
        if piece.wrapped:
            if len(body) != 1 or not isinstance(body[0], ast.If):
                return "a rewritten statement left its block; not written"
            body = body[0].body
        added = body[piece.stand_in:]
        if not all(isinstance(stmt, (ast.Import, ast.ImportFrom)) for stmt in added):
            return "the rewrite would change code outside the imports; not written"
        before.bindings.clear()
        for stmt in piece.statements:
            before._bind(stmt, ())
        expected = set()
        for binding, where in before.bindings:
            change = planned.get(where)
            expected.add(binding if change is None else Binding((), change.bound, change.path))
        after = Binder(piece.new, module, is_package)
        for new_stmt in added:
            assert isinstance(new_stmt, (ast.Import, ast.ImportFrom))
            after._bind(new_stmt, ())
        found = {binding for binding, _ in after.bindings}
        if expected != found:
            return "the rewritten imports do not bind what was planned; not written"
    return None


def _only_import_lines_changed(old: str, new: str, import_lines: set[int]) -> bool:
    """Every line that differs is an import statement's line, or was added after one."""
    # Lines as ``ast`` numbers them: ``str.splitlines`` would also break at a form feed
    # or U+2028 inside a line and shift every later line number.
    before, after = old.split("\n"), new.split("\n")
    import_lines = import_lines | _between_imports(before, import_lines)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            if i1 not in import_lines and i1 + 1 not in import_lines:
                return False
        elif any(line not in import_lines for line in range(i1 + 1, i2 + 1)):
            return False
    return True


def _between_imports(lines: list[str], import_lines: set[int]) -> set[int]:
    """Blank and comment-only lines with an import statement right above and below.

    Only such lines separate statements of one import block, so they may move when the
    block is sorted (a line inside a string literal is never between two imports).
    """
    found: set[int] = set()
    stretch: list[int] = []
    after_import = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if number in import_lines:
            if after_import:
                found.update(stretch)
            stretch, after_import = [], True
        elif not stripped or stripped.startswith("#"):
            stretch.append(number)
        else:
            stretch, after_import = [], False
    return found


def _comments(text: str) -> Counter[str]:
    """Every comment of ``text`` (the text parses: ``ast`` read it before)."""
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.string] += 1
    except (tokenize.TokenError, SyntaxError):
        found["<untokenizable>"] += 1
    return found
