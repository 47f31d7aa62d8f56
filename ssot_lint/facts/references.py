"""Reference facts: uses of imported names beyond the import, and top-level class bodies.

SSOT301/302/303 need to know where a deprecated symbol is *used* — annotations (also
in strings), base classes, calls (with their argument shape), ``isinstance`` checks,
decorators, default values, and attribute chains through a module alias. A use is
recorded only when the name, looked up through the enclosing scopes the way Python
does, is bound by an import: a parameter, local variable or local class that merely
shares the spelling shadows it and is never recorded, and names in comments or
ordinary strings are never seen. SSOT104 needs what a class body defines
(``ClassInfo``) to resolve ``mock.patch("pkg.mod.Class.attr")``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ssot_lint.facts.visitor import ColumnMap
from ssot_lint.model.references import ClassInfo, Reference

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)
_TYPE_CHECKS = frozenset({"isinstance", "issubclass"})


@dataclass
class _Scope:
    kind: str  # "module" | "function" | "class"
    parent: _Scope | None = None
    imports: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> target, line
    strong: set[str] = field(default_factory=set)  # def/class/parameter: always shadows
    weak: set[str] = field(default_factory=set)  # assignments: shadow unless imported
    globals: set[str] = field(default_factory=set)


def _import_targets(node: ast.Import | ast.ImportFrom) -> list[tuple[str, tuple[str, int]]]:
    if isinstance(node, ast.Import):
        return [(a.asname, (a.name, a.lineno)) if a.asname
                else (a.name.split(".")[0], (a.name.split(".")[0], a.lineno))
                for a in node.names]
    base = "." * node.level + (node.module or "")
    joiner = "." if node.module else ""
    return [(a.asname or a.name, (f"{base}{joiner}{a.name}", a.lineno)) for a in node.names
            if a.name != "*"]


def _bind(scope: _Scope, body: list[ast.stmt] | list[ast.AST]) -> None:
    """Record what ``body`` binds in ``scope``, without entering nested scopes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, target in _import_targets(node):
                scope.imports.setdefault(name, target)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.strong.add(node.name)
            stack.extend(node.decorator_list)  # evaluated here (walrus aside, no binding)
            continue
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            scope.weak.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.weak.add(node.name)
        elif isinstance(node, ast.Global):
            scope.globals.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.strong.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            scope.weak.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            scope.weak.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))


def _params(args: ast.arguments) -> list[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return [a.arg for a in every]


def _chain(node: ast.expr) -> tuple[str, list[str]] | None:
    """``a.b.c`` -> ("a", ["b", "c"]); None when the chain does not start at a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return node.id, parts[::-1]
    return None


class ReferenceCollector(ast.NodeVisitor):
    """Walks every expression with a scope chain and records uses of imported names."""

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self.references: list[Reference] = []
        self.context = "load"
        self.scope = _Scope("module")
        self.module = self.scope
        self.string_at: ast.expr | None = None  # the string annotation being read

    # -- scopes -------------------------------------------------------------------
    def resolve(self, name: str) -> tuple[str, int] | None:
        scope: _Scope | None = self.scope
        innermost = True
        while scope is not None:
            if scope.kind == "class" and not innermost:
                scope = scope.parent
                continue
            if name in scope.globals:
                scope = self.module
            if name in scope.strong:
                return None
            if name in scope.imports:
                return scope.imports[name]
            if name in scope.weak:
                return None
            innermost = False
            scope = scope.parent
        return None

    def visit_Module(self, node: ast.Module) -> None:
        _bind(self.module, node.body)
        self.generic_visit(node)

    def _in_scope(self, kind: str, body: list[ast.stmt] | list[ast.AST],
                  params: list[str] = ()) -> None:  # type: ignore[assignment]
        outer = self.scope
        self.scope = _Scope(kind, parent=outer, strong=set(params))
        _bind(self.scope, body)
        saved, self.context = self.context, "load"
        for stmt in body:
            self.visit(stmt)
        self.scope, self.context = outer, saved

    def _with(self, context: str, nodes: list[ast.expr | None]) -> None:
        saved, self.context = self.context, context
        for node in nodes:
            if node is not None:
                self.visit(node)
        self.context = saved

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        if not isinstance(node, ast.Lambda):
            self._with("decorator", list(node.decorator_list))
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            self._with("annotation", [a.annotation for a in every if a is not None]
                       + [node.returns])
        self._with("default", [*args.defaults, *args.kw_defaults])
        body: list[ast.AST] = list(node.body) if isinstance(node.body, list) else [node.body]
        self._in_scope("function", body, _params(args))

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._with("decorator", list(node.decorator_list))
        self._with("base", list(node.bases))
        self._with("load", [k.value for k in node.keywords])
        self._in_scope("class", node.body)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp
                       | ast.GeneratorExp) -> None:
        outer = self.scope
        self.scope = _Scope("function", parent=outer)
        _bind(self.scope, [g.target for g in node.generators])
        self.generic_visit(node)
        self.scope = outer

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    # -- expressions -----------------------------------------------------------------
    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._with("annotation", [node.annotation])
        self._with(self.context, [node.target, node.value])

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations are visited by _function

    def visit_Call(self, node: ast.Call) -> None:
        chain = _chain(node.func)
        if chain is not None:
            self.record(node.func, chain, "call", node)
        else:
            self._with("load", [node.func])
        checked = isinstance(node.func, ast.Name) and node.func.id in _TYPE_CHECKS \
            and self.resolve(node.func.id) is None and len(node.args) == 2
        for index, arg in enumerate(node.args):
            if checked and index == 1:
                types = arg.elts if isinstance(arg, ast.Tuple) else [arg]
                self._with("isinstance", list(types))
            else:
                self._with("load" if self.context == "call" else self.context, [arg])
        self._with("load" if self.context == "call" else self.context,
                   [k.value for k in node.keywords])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _chain(node)
        if chain is None:
            self.generic_visit(node)
        elif isinstance(node.ctx, ast.Load):
            self.record(node, chain, self.context)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.record(node, (node.id, []), self.context)

    def visit_Constant(self, node: ast.Constant) -> None:
        if self.context != "annotation" or not isinstance(node.value, str) \
                or self.string_at is not None:
            return
        try:
            inner = ast.parse(node.value.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError):
            return
        self.string_at = node
        self._with("string-annotation", [inner.body])
        self.string_at = None

    def visit_Subscript(self, node: ast.Subscript) -> None:
        chain = _chain(node.value)
        if chain is not None and (chain[1] or [chain[0]])[-1] == "Literal":
            self.visit(node.value)  # Literal["x"]: the strings are values, not types
            return
        self.generic_visit(node)

    def record(self, node: ast.expr, chain: tuple[str, list[str]], context: str,
               call: ast.Call | None = None) -> None:
        head, rest = chain
        found = self.resolve(head)
        if found is None:
            return
        target, via_line = found
        where = self.string_at or node
        line, end_line = where.lineno, where.end_lineno or where.lineno
        positional, keywords, star = 0, (), False
        if call is not None:
            positional = sum(1 for a in call.args if not isinstance(a, ast.Starred))
            keywords = tuple(sorted(k.arg for k in call.keywords if k.arg))
            star = any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords)
        self.references.append(Reference(
            target=".".join([target, *rest]),
            line=line, col=self.columns.col(line, where.col_offset), end_line=end_line,
            end_col=self.columns.col(end_line, where.end_col_offset or where.col_offset),
            context=context, via_line=via_line, positional=positional, keywords=keywords, star=star))


def collect_classes(tree: ast.Module) -> list[ClassInfo]:
    """What each top-level class body defines, for resolving patch targets."""
    found: list[ClassInfo] = []
    for node in _top_level(tree.body):
        if not isinstance(node, ast.ClassDef):
            continue
        members: set[str] = set()
        scope = _Scope("class")
        _bind(scope, node.body)
        members.update(scope.imports, scope.strong, scope.weak)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(item):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) \
                            and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                        members.add(sub.attr)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                members.add(item.target.id)
        bases = tuple(".".join([c[0], *c[1]]) if (c := _chain(b)) else "" for b in node.bases)
        dynamic = bool(members & {"__getattr__", "__getattribute__"}) or any(
            k.arg == "metaclass" for k in node.keywords) or any(
            isinstance(b, ast.Starred) for b in node.bases)
        found.append(ClassInfo(name=node.name, line=node.lineno, bases=bases,
                               members=tuple(sorted(members)), dynamic=dynamic))
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, including those inside top-level if/try blocks."""
    out: list[ast.stmt] = []
    for stmt in body:
        out.append(stmt)
        if isinstance(stmt, ast.If):
            out.extend(_top_level(stmt.body) + _top_level(stmt.orelse))
        elif isinstance(stmt, ast.Try):
            out.extend(_top_level(stmt.body) + _top_level(stmt.orelse)
                       + [s for h in stmt.handlers for s in _top_level(h.body)])
    return out


def collect_usage(tree: ast.Module, columns: ColumnMap
                  ) -> tuple[tuple[Reference, ...], tuple[ClassInfo, ...]]:
    """References and class bodies of one module; a too-deep tree gives none."""
    collector = ReferenceCollector(columns)
    try:
        collector.visit(tree)
        classes = collect_classes(tree)
    except RecursionError:
        return (), ()
    references = sorted(collector.references, key=lambda r: (r.line, r.col, r.target))
    return tuple(references), tuple(classes)
