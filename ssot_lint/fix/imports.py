"""Rewrite import statements with libcst, keeping everything around them.

Changes arrive per imported name, keyed by (the statement's ordinal among the module's
import statements in source order, the name's index in it); ``import_keys`` maps the
line/column positions findings report onto those keys with ``ast``, which is far
cheaper than libcst's position metadata (that re-generates the whole module). For
each ``from`` statement the names are grouped by where they will be
imported from: the group that keeps the original module (or, when every name moves to
the same place, the whole statement) is edited in place, so its comments, parentheses
and trailing commas stay. Names that move elsewhere are merged into an existing
``from target import ...`` in the same run of import statements when there is one,
otherwise they get a new statement right after the original. A name the run already
imports identically is not imported twice. A relative statement stays relative when the
registry allows relative imports (the project's style), and a run of imports that was
sorted the way ruff/isort sort stays sorted (``layout``).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from ssot_lint.facts.visitor import ColumnMap
from ssot_lint.fix.layout import Style, is_sorted, sort_block
from ssot_lint.fix.layout import dotted_name as _dotted

Key = tuple[int, int]  # (line, column), both 1-based, as findings report them
Slot = tuple[int, int]  # (ordinal of the import statement, index of the name in it)

# Only these nodes can contain statements; expressions never do.
_STATEMENT_HOLDERS = (cst.Module, cst.BaseCompoundStatement, cst.BaseSuite,
                      cst.SimpleStatementLine, cst.Else, cst.ExceptHandler,
                      cst.ExceptStarHandler, cst.Finally, cst.MatchCase)


def import_keys(tree: ast.Module, text: str) -> dict[Key, Slot]:
    """Map each imported name's (line, column) onto its ``Slot``, in source order."""
    columns = ColumnMap(text)
    keys: dict[Key, Slot] = {}
    ordinal = 0

    def walk(body: list[ast.stmt]) -> None:
        nonlocal ordinal
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for index, alias in enumerate(stmt.names):
                    keys[(alias.lineno, columns.col(alias.lineno, alias.col_offset))] = \
                        (ordinal, index)
                ordinal += 1
                continue
            for _, value in ast.iter_fields(stmt):
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    walk(value)
                elif isinstance(value, list) and value and hasattr(value[0], "body"):
                    for part in value:
                        walk(part.body)

    walk(tree.body)
    return keys


class ImportOrder(cst.CSTVisitor):
    """Numbers the import statements of a libcst module in source order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: dict[int, int] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            self.order[id(node)] = len(self.order)
            return False
        return isinstance(node, _STATEMENT_HOLDERS)


@dataclass(frozen=True)
class AliasChange:
    """What one imported name becomes. ``name`` is None for ``import x`` and stars."""

    module: str
    name: str | None
    asname: str | None


@dataclass
class _FromPlan:
    keep: list[tuple[int, AliasChange | None]] = field(default_factory=list)
    retarget: str | None = None  # new absolute module for the statement
    additions: list[tuple[str, str | None]] = field(default_factory=list)
    remove: bool = False


@dataclass
class _NewImport:
    module: str
    items: list[tuple[str, str | None]]


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is None:
        return None
    name = alias.asname.name
    return name.value if isinstance(name, cst.Name) else None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _item(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname and asname != name else name


class ImportRewriter(cst.CSTTransformer):
    """One pass that applies every import change of a module."""

    def __init__(self, changes: Mapping[Slot, AliasChange], order: Mapping[int, int],
                 renames: Mapping[int, str] | None = None, *, style: Style | None = None,
                 package: str | None = None, keep_style_indent: bool = False) -> None:
        super().__init__()
        self.changes = changes
        self.order = order  # id() of an original import statement -> its ordinal
        self.renames = renames or {}  # id() of a reference ``Name`` -> its new name
        self.style = style  # None: never reorder
        self.package = package  # the package relative imports start from; None: absolute
        # True when ``style.indent`` already is the file's (the module visited is a piece
        # of the file, see ``statements``); else it is taken from the module
        self.keep_style_indent = keep_style_indent
        # id() of an original import-only line -> whether its run was sorted
        self.sortable: dict[int, bool] = {}
        # id() of a rewritten import-only line -> (the line, its run was sorted, touched)
        self.lines: dict[int, tuple[cst.SimpleStatementLine, bool, bool]] = {}
        self.indents: list[int] = []
        self.from_plans: dict[int, _FromPlan] = {}
        self.import_changes: dict[int, dict[int, AliasChange]] = {}
        self.inserts: dict[int, list[_NewImport]] = {}
        self.applied: set[Slot] = set()
        self.config: cst.PartialParserConfig | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        super().on_visit(node)
        # Without renames only statements matter: skipping expressions is most of the work.
        return bool(self.renames) or isinstance(node, (*_STATEMENT_HOLDERS, cst.Import,
                                                       cst.ImportFrom, cst.ImportAlias))

    # -- planning (on original nodes, before their children are visited) ------------
    def visit_Module(self, node: cst.Module) -> None:
        self.config = node.config_for_parsing
        self.default_indent = len(node.default_indent)
        if self.style is not None and not self.keep_style_indent:
            # wrapped names are indented as the file indents
            self.style = replace(self.style, indent=node.default_indent)
        self._plan_body(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(self.default_indent if node.indent is None else len(node.indent))
        self._plan_body(node.body)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._plan_run([node])

    def _change_of(self, statement: cst.CSTNode, index: int) -> AliasChange | None:
        key = (self.order.get(id(statement), -1), index)
        change = self.changes.get(key)
        if change is not None:
            self.applied.add(key)
        return change

    def _plan_body(self, body: Sequence[cst.BaseStatement]) -> None:
        run: list[cst.SimpleStatementLine] = []
        for stmt in [*body, None]:
            if isinstance(stmt, cst.SimpleStatementLine) and all(
                    isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
                run.append(stmt)
                continue
            if run:
                self._plan_run(run)
                flag = self.style is not None and is_sorted(run, self.style)
                self.sortable.update(dict.fromkeys((id(line) for line in run), flag))
                run = []

    def _plan_run(self, run: Sequence[cst.SimpleStatementLine | cst.SimpleStatementSuite]
                  ) -> None:
        statements = [(line, s) for line in run for s in line.body
                      if isinstance(s, (cst.Import, cst.ImportFrom))]
        changed = {id(s): [self._change_of(s, i) for i in range(len(s.names))]
                   for _, s in statements if not isinstance(s.names, cst.ImportStar)}
        # What the run binds, to merge into and to avoid importing a name twice.
        existing: dict[str, cst.ImportFrom] = {}
        bound: set[tuple[str, str, str | None]] = set()
        binders: dict[str, set[str]] = {}
        for _, s in statements:
            if isinstance(s, cst.Import):
                for alias in s.names:
                    binders.setdefault(_asname(alias) or _dotted(alias.name).split(".")[0],
                                       set()).add(_dotted(alias.name))
                continue
            if isinstance(s.names, cst.ImportStar):
                continue
            module = "." * len(s.relative) + _dotted(s.module)
            for alias, change in zip(s.names, changed[id(s)], strict=True):
                name = _dotted(alias.name)
                if change is not None and change.name:  # judge the run as it will be
                    binders.setdefault(change.asname or change.name, set()).add(
                        f"{change.module}.{change.name}")
                    continue
                binders.setdefault(_asname(alias) or name, set()).add(f"{module}.{name}")
                bound.add((module, name, _asname(alias)))
            if not any(changed[id(s)]) and all(_asname(a) is None for a in s.names):
                existing.setdefault(module, s)
        pending: dict[str, _NewImport] = {}
        for line, s in statements:
            if isinstance(s, cst.Import):
                per_alias = {i: c for i, c in enumerate(changed[id(s)]) if c is not None}
                if per_alias:
                    self.import_changes[id(s)] = per_alias
            elif isinstance(s.names, cst.ImportStar):
                key = (self.order.get(id(s), -1), 0)
                if key in self.changes:
                    self.applied.add(key)
                    self.from_plans[id(s)] = _FromPlan(retarget=self.changes[key].module)
            elif any(changed[id(s)]):
                self._plan_from(line, s, changed[id(s)], existing, bound, binders, pending)

    def _plan_from(self, line: cst.CSTNode, s: cst.ImportFrom,
                   changes: list[AliasChange | None], existing: dict[str, cst.ImportFrom],
                   bound: set[tuple[str, str, str | None]], binders: dict[str, set[str]],
                   pending: dict[str, _NewImport]) -> None:
        assert not isinstance(s.names, cst.ImportStar)
        original = "." * len(s.relative) + _dotted(s.module)
        groups: dict[str, list[tuple[int, AliasChange | None]]] = {}
        for index, change in enumerate(changes):
            destination = original if change is None else self._styled(s, change.module)
            groups.setdefault(destination, []).append((index, change))
        primary = original if original in groups else next(iter(groups))
        plan = _FromPlan(keep=groups.pop(primary),
                         retarget=primary if primary != original else None)
        self.from_plans[id(s)] = plan

        def unique(bound_name: str) -> bool:
            return len(binders.get(bound_name, ())) <= 1

        if plan.retarget is not None:
            fresh = [(i, c) for i, c in plan.keep if c is None or c.name is None
                     or (primary, c.name, c.asname) not in bound
                     or not unique(c.asname or c.name)]
            if fresh:
                plan.keep = fresh
            elif "#" not in _code(line):
                plan.remove = True  # everything it imports is already imported
            target = existing.get(primary)
            moved = [(c.name, c.asname) for _, c in plan.keep if c is not None and c.name]
            if not plan.remove and target is not None and target is not s \
                    and "#" not in _code(line) and len(moved) == len(plan.keep) \
                    and all(a is None and unique(n) for n, a in moved):
                # the new module is already imported from in this run: join it there
                self.from_plans.setdefault(id(target), _FromPlan(keep=_unchanged(target)))
                self.from_plans[id(target)].additions.extend(moved)
                bound.update((primary, n, a) for n, a in moved)
                plan.remove = True
        for module, members in groups.items():
            items = [(c.name, c.asname) for _, c in members if c is not None and c.name]
            items = [(n, a) for n, a in items
                     if (module, n, a) not in bound or not unique(a or n)]
            if not items:
                continue
            target = existing.get(module)
            if target is not None and target is not s and all(unique(a or n) for n, a in items) \
                    and all(a is None for _, a in items):
                self.from_plans.setdefault(id(target), _FromPlan(keep=_unchanged(target)))
                self.from_plans[id(target)].additions.extend(items)
            elif module in pending:
                pending[module].items.extend(items)
            else:
                new = _NewImport(module, list(items))
                pending[module] = new
                self.inserts.setdefault(id(line), []).append(new)
            bound.update((module, n, a) for n, a in items)

    # -- applying ------------------------------------------------------------------
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.renames.get(id(original_node))
        return updated_node.with_changes(value=new) if new else updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import
                     ) -> cst.Import:
        per_alias = self.import_changes.get(id(original_node))
        if not per_alias:
            return updated_node
        names = [alias.with_changes(name=cst.parse_expression(per_alias[i].module))
                 if i in per_alias else alias for i, alias in enumerate(updated_node.names)]
        return updated_node.with_changes(names=names)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
                         ) -> cst.ImportFrom | cst.RemovalSentinel:
        plan = self.from_plans.get(id(original_node))
        if plan is None:
            return updated_node
        if plan.remove:
            return cst.RemovalSentinel.REMOVE
        node = updated_node
        if plan.retarget is not None:
            dots = len(plan.retarget) - len(plan.retarget.lstrip("."))
            rest = plan.retarget[dots:]
            node = node.with_changes(module=cst.parse_expression(rest) if rest else None,
                                     relative=[cst.Dot()] * dots)
        if isinstance(node.names, cst.ImportStar):
            return node
        old = list(node.names)
        aliases = [_renamed(old[i], change) for i, change in plan.keep]
        known = {(_dotted(a.name), _asname(a)) for a in aliases}
        for name, asname in plan.additions:
            if (name, asname) not in known:
                known.add((name, asname))
                aliases.append(cst.ImportAlias(
                    name=cst.Name(name),
                    asname=cst.AsName(name=cst.Name(asname)) if asname and asname != name
                    else None))
        return node.with_changes(names=_join(aliases, old))

    def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine,
            updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        new = self.inserts.get(id(original_node), [])
        if not updated_node.body and not new:
            return cst.RemovalSentinel.REMOVE
        flag = self.sortable.get(id(original_node))
        if flag is not None and updated_node.body:
            touched = any(id(s) in self.from_plans or id(s) in self.import_changes
                          for s in original_node.body)
            self.lines[id(updated_node)] = (updated_node, flag, touched)
        if not new:
            return updated_node
        lines: list[cst.BaseStatement] = [self._new_statement(n) for n in new]
        if not updated_node.body:  # merged away: the first new line takes its place
            lines[0] = lines[0].with_changes(leading_lines=updated_node.leading_lines)
        for line in lines:
            if isinstance(line, cst.SimpleStatementLine):
                self.lines[id(line)] = (line, bool(flag), True)
        return cst.FlattenSentinel([updated_node, *lines] if updated_node.body else lines)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module
                     ) -> cst.Module:
        return updated_node.with_changes(body=self._sorted_body(updated_node.body, 0))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        indent = sum(self.indents)
        self.indents.pop()
        return updated_node.with_changes(body=self._sorted_body(updated_node.body, indent))

    def _sorted_body(self, body: Sequence[cst.BaseStatement], indent: int
                     ) -> list[cst.BaseStatement]:
        """Re-sort each touched run of imports that was sorted before (see ``layout``)."""
        out: list[cst.BaseStatement] = []
        run: list[cst.SimpleStatementLine] = []

        def flush() -> None:
            infos = [self.lines[id(line)] for line in run]
            if self.style is not None and any(t for _, _, t in infos) \
                    and all(f for _, f, _ in infos):
                touched = {id(line) for line, _, t in infos if t}
                done = sort_block(run, touched, self.style, indent)
                out.extend(done if done is not None else run)
            else:
                out.extend(run)
            run.clear()

        for stmt in body:
            known = self.lines.get(id(stmt))
            if known is not None and known[0] is stmt:
                run.append(stmt)
                continue
            if run:
                flush()
            out.append(stmt)
        if run:
            flush()
        return out

    def _styled(self, statement: cst.ImportFrom, module: str) -> str:
        """``module`` written relative when the statement was and the registry allows it."""
        if not statement.relative or self.package is None:
            return module
        base = self.package.split(".")
        parts = module.split(".")
        common = 0
        while common < min(len(base), len(parts)) and base[common] == parts[common]:
            common += 1
        if common == 0:
            return module  # another top-level package: absolute
        return "." * (len(base) - common + 1) + ".".join(parts[common:])

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite,
                                   updated_node: cst.SimpleStatementSuite
                                   ) -> cst.SimpleStatementSuite:
        new = self.inserts.get(id(original_node), [])
        if not new:
            return updated_node
        extra: list[cst.BaseSmallStatement] = []
        for n in new:
            line = self._new_statement(n)
            assert isinstance(line, cst.SimpleStatementLine)
            extra.extend(line.body)
        return updated_node.with_changes(body=[*updated_node.body, *extra])

    def _new_statement(self, new: _NewImport) -> cst.BaseStatement:
        code = f"from {new.module} import {', '.join(_item(a, b) for a, b in new.items)}\n"
        if self.config is None:
            return cst.parse_statement(code)
        return cst.parse_statement(code, config=self.config)


def _unchanged(statement: cst.ImportFrom) -> list[tuple[int, AliasChange | None]]:
    """A plan entry keeping every name of ``statement`` (names are added to it)."""
    assert not isinstance(statement.names, cst.ImportStar)
    return [(i, None) for i in range(len(statement.names))]


def _renamed(alias: cst.ImportAlias, change: AliasChange | None) -> cst.ImportAlias:
    if change is None or change.name is None:
        return alias
    asname = None
    if change.asname and change.asname != change.name:
        asname = alias.asname.with_changes(name=cst.Name(change.asname)) \
            if alias.asname is not None else cst.AsName(name=cst.Name(change.asname))
    return alias.with_changes(name=cst.Name(change.name), asname=asname)


def _join(aliases: list[cst.ImportAlias], original: list[cst.ImportAlias]
          ) -> list[cst.ImportAlias]:
    """Fix commas after names were dropped or added, keeping a trailing comma if any."""
    trailing = isinstance(original[-1].comma, cst.Comma)
    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(original) >= 2 and isinstance(original[-2].comma, cst.Comma) \
            and "#" not in _code(original[-2].comma):
        sep = original[-2].comma
    result: list[cst.ImportAlias] = []
    for i, alias in enumerate(aliases):
        if i == len(aliases) - 1:
            comma = original[-1].comma if trailing else cst.MaybeSentinel.DEFAULT
        elif alias is original[-1] or not isinstance(alias.comma, cst.Comma):
            comma = sep
        else:
            comma = alias.comma
        result.append(alias.with_changes(comma=comma))
    return result
