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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssot_lint.facts.visitor import ColumnMap
from ssot_lint.facts.walk import children
from ssot_lint.model.references import ClassInfo, Reference

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPE_TYPES = frozenset(_SCOPES)
_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_MATCH_NAMES = frozenset(getattr(ast, n) for n in ("MatchAs", "MatchStar") if hasattr(ast, n))
_MATCH_MAPPING = getattr(ast, "MatchMapping", None)
# Without a walrus, the only fields of these statements that can bind a name (directly
# or in a nested statement); the rest are expressions that only read names. Anything
# not listed (targets, patterns, newer statements) is walked whole.
_BIND_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Return: (), ast.Expr: (), ast.Raise: (), ast.Assert: (), ast.Pass: (), ast.Break: (),
    ast.Continue: (),
    ast.Delete: ("targets",), ast.Assign: ("targets",), ast.AugAssign: ("target",),
    ast.AnnAssign: ("target",),
    ast.For: ("target", "body", "orelse"), ast.AsyncFor: ("target", "body", "orelse"),
    ast.While: ("body", "orelse"), ast.If: ("body", "orelse"),
    ast.With: ("items", "body"), ast.AsyncWith: ("items", "body"),
    ast.withitem: ("optional_vars",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"), ast.ExceptHandler: ("body",),
}
if hasattr(ast, "TryStar"):
    _BIND_FIELDS[ast.TryStar] = _BIND_FIELDS[ast.Try]
if hasattr(ast, "Match"):
    _BIND_FIELDS[ast.Match] = ("cases",)
    _BIND_FIELDS[ast.match_case] = ("pattern", "body")
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


def _bind(scope: _Scope, body: Sequence[ast.AST], walrus: bool = True) -> None:
    """Record what ``body`` binds in ``scope``, without entering nested scopes.

    The stack is popped from the end, so of two imports binding one name the later
    statement wins (``setdefault``); the order must stay as it is. Without a walrus
    (``walrus=False``) a name can only be bound by a statement or an assignment target,
    so the expressions around them (values, tests, decorators) are not walked.
    """
    stack: list[ast.AST] = list(body)
    pop, push, extend = stack.pop, stack.append, stack.extend
    imports, strong, weak = scope.imports, scope.strong, scope.weak
    targets = _BIND_FIELDS if not walrus else {}
    while stack:
        node = pop()
        cls = type(node)
        if cls is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                weak.add(node.id)  # type: ignore[attr-defined]
            continue  # a Name has no children but its context marker
        if cls is ast.Import or cls is ast.ImportFrom:
            for name, target in _import_targets(node):  # type: ignore[arg-type]
                imports.setdefault(name, target)
            continue
        if cls in _DEFINITIONS:
            strong.add(node.name)  # type: ignore[attr-defined]
            if walrus:
                extend(node.decorator_list)  # type: ignore[attr-defined]
            continue
        if cls in _SCOPE_TYPES:
            continue
        if cls is ast.ExceptHandler:
            if node.name:  # type: ignore[attr-defined]
                weak.add(node.name)  # type: ignore[attr-defined]
        elif cls is ast.Global:
            scope.globals.update(node.names)  # type: ignore[attr-defined]
        elif cls is ast.Nonlocal:
            strong.update(node.names)  # type: ignore[attr-defined]
        elif cls in _MATCH_NAMES:
            if node.name:  # type: ignore[attr-defined]
                weak.add(node.name)  # type: ignore[attr-defined]
        elif cls is _MATCH_MAPPING and node.rest:  # type: ignore[attr-defined]
            weak.add(node.rest)  # type: ignore[attr-defined]
        fields = targets.get(cls)
        if fields is None:
            extend(children(node))
        else:
            for field_name in fields:
                value = getattr(node, field_name)
                if type(value) is list:
                    extend(value)
                elif value is not None:
                    push(value)


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


class ReferenceCollector:
    """Walks every expression with a scope chain and records uses of imported names.

    Dispatch is by node class through :data:`_HANDLERS` (``ast.NodeVisitor`` builds a
    method name and looks it up for every node, which dominated the walk); nodes
    without a handler have their children visited in ``ast`` order.
    """

    def __init__(self, columns: ColumnMap, walrus: bool = True) -> None:
        self.columns = columns
        self.walrus = walrus  # False when the text has no ``:=`` (see ``_bind``)
        self.references: list[Reference] = []
        self.context = "load"
        self.scope = _Scope("module")
        self.module = self.scope
        self.string_at: ast.expr | None = None  # the string annotation being read
        self.class_scopes: dict[int, _Scope] = {}  # id(ClassDef) -> its scope, for ClassInfo
        # ``self.x`` stores of the method being visited (None outside methods), and of
        # every method visited, by id(FunctionDef), for ClassInfo.
        self.self_attributes: set[str] | None = None
        self.method_attributes: dict[int, set[str]] = {}
        # One object per distinct target string / keyword tuple of the file: equal
        # values, so equal facts, in a fraction of the memory.
        self._shared: dict[str | tuple[str, ...], str | tuple[str, ...]] = {}
        self._numbers: dict[int, int] = {}  # one int object per distinct line number

    # -- dispatch -------------------------------------------------------------------
    def visit(self, node: ast.AST) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            visit = self.visit
            for child in children(node):
                visit(child)
        else:
            handler(self, node)

    def visit_children(self, node: ast.AST) -> None:
        visit = self.visit
        for child in children(node):
            visit(child)

    def skip(self, node: ast.AST) -> None:
        """Nodes that can hold no expression (imports, ``global``, ``pass``, ...)."""

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
        _bind(self.module, node.body, self.walrus)
        self.visit_children(node)

    def _in_scope(self, kind: str, body: list[ast.stmt] | list[ast.AST],
                  params: list[str] = ()) -> _Scope:  # type: ignore[assignment]
        outer = self.scope
        self.scope = inner = _Scope(kind, parent=outer, strong=set(params))
        _bind(inner, body, self.walrus)
        saved, self.context = self.context, "load"
        visit = self.visit
        for stmt in body:
            visit(stmt)
        self.scope, self.context = outer, saved
        return inner

    def _with(self, context: str, nodes: list[ast.expr] | list[ast.expr | None]) -> None:
        saved, self.context = self.context, context
        visit = self.visit
        for node in nodes:
            if node is not None:
                visit(node)
        self.context = saved

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        if type(node) is not ast.Lambda:
            if node.decorator_list:  # type: ignore[union-attr]
                self._with("decorator", node.decorator_list)  # type: ignore[union-attr]
            self._type_params(node)
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            self._with("annotation", [a.annotation for a in every if a is not None]
                       + [node.returns])  # type: ignore[union-attr]
        if args.defaults or args.kw_defaults:
            self._with("default", [*args.defaults, *args.kw_defaults])
        body: list[ast.AST] = list(node.body) if isinstance(node.body, list) else [node.body]
        self._in_scope("function", body, _params(args))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._with("decorator", node.decorator_list)
        self._with("base", node.bases)
        self._with("load", [k.value for k in node.keywords])
        self._type_params(node)
        outer = self.scope
        self.scope = inner = _Scope("class", parent=outer)
        _bind(inner, node.body, self.walrus)
        saved, self.context = self.context, "load"
        for stmt in node.body:
            if type(stmt) is ast.FunctionDef or type(stmt) is ast.AsyncFunctionDef:
                self._method(stmt)
            else:
                self.visit(stmt)
        self.scope, self.context = outer, saved
        self.class_scopes[id(node)] = inner

    def _method(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Visit a method, collecting its ``self.name = ...`` stores on the way (ClassInfo).

        The stores of code nested in the method count for the method too, as they did
        when each method was walked on its own (``ast.walk``).
        """
        enclosing, self.self_attributes = self.self_attributes, set()
        self.visit(node)
        found = self.method_attributes[id(node)] = self.self_attributes
        self.self_attributes = enclosing
        if enclosing is not None:
            enclosing |= found

    def _type_params(self, node: ast.AST) -> None:
        """3.12+ type parameters are not read for references, but may hold stores."""
        params = getattr(node, "type_params", None)
        if params and self.self_attributes is not None:
            for param in params:
                self.self_attributes |= _self_attributes(param)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp
                       | ast.GeneratorExp) -> None:
        outer = self.scope
        self.scope = _Scope("function", parent=outer)
        _bind(self.scope, [g.target for g in node.generators], self.walrus)
        self.visit_children(node)
        self.scope = outer

    # -- expressions -----------------------------------------------------------------
    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._with("annotation", [node.annotation])
        self._with(self.context, [node.target, node.value])

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        chain = _chain(func)
        if chain is not None:
            self.record(func, chain, "call", node)
        else:
            self._with("load", [func])
        checked = type(func) is ast.Name and func.id in _TYPE_CHECKS \
            and len(node.args) == 2 and self.resolve(func.id) is None
        inner = "load" if self.context == "call" else self.context
        for index, arg in enumerate(node.args):
            if checked and index == 1:
                types = arg.elts if isinstance(arg, ast.Tuple) else [arg]
                self._with("isinstance", types)
            else:
                self._with(inner, [arg])
        if node.keywords:
            self._with(inner, [k.value for k in node.keywords])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _chain(node)
        if chain is None:
            self.visit_children(node)
        elif type(node.ctx) is ast.Load:
            self.record(node, chain, self.context)
        elif self.self_attributes is not None and type(node.ctx) is ast.Store \
                and type(node.value) is ast.Name and node.value.id == "self" \
                and self.string_at is None:
            self.self_attributes.add(node.attr)  # ``self.attr = ...`` in a method

    def visit_Name(self, node: ast.Name) -> None:
        if type(node.ctx) is ast.Load:
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
            if self.self_attributes is not None and self.string_at is None:
                self.self_attributes |= _self_attributes(node.slice)  # not visited
            return
        self.visit_children(node)

    def record(self, node: ast.expr, chain: tuple[str, list[str]], context: str,
               call: ast.Call | None = None) -> None:
        head, rest = chain
        found = self.resolve(head)
        if found is None:
            return
        target, via_line = found
        where = self.string_at or node
        # One int object per line number of the file: every AST node carries its own
        # copies, and each would outlive the tree inside the references.
        numbers = self._numbers
        line = numbers.setdefault(where.lineno, where.lineno)
        end = where.end_lineno or line
        end_line = numbers.setdefault(end, end)
        positional, star = 0, False
        keywords: tuple[str, ...] = ()
        if call is not None:
            positional = sum(1 for a in call.args if not isinstance(a, ast.Starred))
            keywords = tuple(sorted(k.arg for k in call.keywords if k.arg))
            keywords = self._shared.setdefault(keywords, keywords)  # type: ignore[assignment]
            star = any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords)
        dotted = ".".join([target, *rest]) if rest else target
        dotted = self._shared.setdefault(dotted, dotted)  # type: ignore[assignment]
        columns = self.columns
        self.references.append(Reference(
            target=dotted,
            line=line, col=columns.col(line, where.col_offset), end_line=end_line,
            end_col=columns.col(end_line, where.end_col_offset or where.col_offset),
            context=context, via_line=via_line, positional=positional, keywords=keywords,
            star=star))


_HANDLERS: dict[type, Callable[[ReferenceCollector, Any], None]] = {
    ast.Module: ReferenceCollector.visit_Module,
    ast.FunctionDef: ReferenceCollector._function,
    ast.AsyncFunctionDef: ReferenceCollector._function,
    ast.Lambda: ReferenceCollector._function,
    ast.ClassDef: ReferenceCollector.visit_ClassDef,
    ast.ListComp: ReferenceCollector._comprehension,
    ast.SetComp: ReferenceCollector._comprehension,
    ast.DictComp: ReferenceCollector._comprehension,
    ast.GeneratorExp: ReferenceCollector._comprehension,
    ast.AnnAssign: ReferenceCollector.visit_AnnAssign,
    ast.Call: ReferenceCollector.visit_Call,
    ast.Attribute: ReferenceCollector.visit_Attribute,
    ast.Name: ReferenceCollector.visit_Name,
    ast.Constant: ReferenceCollector.visit_Constant,
    ast.Subscript: ReferenceCollector.visit_Subscript,
    ast.arg: ReferenceCollector.skip,  # annotations are visited by _function
    ast.Import: ReferenceCollector.skip,
    ast.ImportFrom: ReferenceCollector.skip,
    ast.Global: ReferenceCollector.skip,
    ast.Nonlocal: ReferenceCollector.skip,
    ast.Pass: ReferenceCollector.skip,
    ast.Break: ReferenceCollector.skip,
    ast.Continue: ReferenceCollector.skip,
}


def collect_classes(tree: ast.Module, scopes: dict[int, _Scope],
                    methods: dict[int, set[str]]) -> list[ClassInfo]:
    """What each top-level class body defines, for resolving patch targets.

    ``scopes`` (by ``id`` of the ``ClassDef``) and ``methods`` (the ``self.x`` stores
    of each method, by ``id`` of the ``FunctionDef``) come from the reference walk,
    which already visits all of it: walking each class body again cost a fifth of the
    extraction time.
    """
    found: list[ClassInfo] = []
    for node in _top_level(tree.body):
        if not isinstance(node, ast.ClassDef):
            continue
        members: set[str] = set()
        scope = scopes[id(node)]
        members.update(scope.imports, scope.strong, scope.weak)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                members.update(methods[id(item)])
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                members.add(item.target.id)
        bases = tuple(".".join([c[0], *c[1]]) if (c := _chain(b)) else "" for b in node.bases)
        dynamic = bool(members & {"__getattr__", "__getattribute__"}) or any(
            k.arg == "metaclass" for k in node.keywords) or any(
            isinstance(b, ast.Starred) for b in node.bases)
        found.append(ClassInfo(name=node.name, line=node.lineno, bases=bases,
                               members=tuple(sorted(members)), dynamic=dynamic))
    return found


def _self_attributes(tree: ast.AST) -> set[str]:
    """Names assigned as ``self.name`` anywhere in ``tree`` (nested code included).

    For the few parts of a method the reference walk does not visit.
    """
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    pop, extend = stack.pop, stack.extend
    attribute, name, store = ast.Attribute, ast.Name, ast.Store
    while stack:
        node = pop()
        if type(node) is attribute:
            value = node.value
            if type(value) is name and value.id == "self" \
                    and type(node.ctx) is store:
                found.add(node.attr)
                continue  # its only child is the name ``self``
        elif type(node) is name:
            continue
        extend(children(node))
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


def collect_usage(tree: ast.Module, columns: ColumnMap, walrus: bool = True
                  ) -> tuple[tuple[Reference, ...], tuple[ClassInfo, ...]]:
    """References and class bodies of one module; a too-deep tree gives none.

    ``walrus=False`` promises the source has no ``:=``, which lets ``_bind`` skip
    expressions; it is only an optimisation (``True`` is always correct).
    """
    collector = ReferenceCollector(columns, walrus)
    try:
        collector.visit(tree)
        classes = collect_classes(tree, collector.class_scopes, collector.method_attributes)
    except RecursionError:
        return (), ()
    references = sorted(collector.references, key=lambda r: (r.line, r.col, r.target))
    return tuple(references), tuple(classes)
