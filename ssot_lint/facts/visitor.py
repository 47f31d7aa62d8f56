"""The ``ast`` walk that records imports and top-level definitions.

Only statements are visited, never expressions, except where a later stage needs a
call's literal string (mock ``patch`` targets, ``importlib.import_module``); that
deeper walk runs only when the text could contain such a call.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ssot_lint.facts.walk import walk
from ssot_lint.model.facts import Definition, ImportFact

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
RAISES_CALLS = frozenset({"raises", "assertRaises", "assertRaisesRegex"})
DEPRECATED_DECORATORS = frozenset({"deprecated"})


@dataclass(frozen=True)
class Scope:
    in_function: bool = False
    in_class: bool = False
    in_type_checking: bool = False
    in_fallback: bool = False
    expects_failure: bool = False
    optional: bool = False  # in an ``except ImportError`` handler or that try's ``else``
    top_level: bool = True  # bindings here are module attributes


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_type_checking(test: ast.expr) -> bool | None:
    """True for ``if TYPE_CHECKING``, False for ``if not TYPE_CHECKING``, else None."""
    if _last_name(test) == "TYPE_CHECKING":
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) \
            and _last_name(test.operand) == "TYPE_CHECKING":
        return False
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_last_name(t) in IMPORT_ERRORS for t in types)


def _expects_import_error(item: ast.withitem) -> tuple[bool, bool]:
    """(expects failure, is a fallback) for one ``with`` item."""
    call = item.context_expr
    if not isinstance(call, ast.Call) or not call.args:
        return False, False
    name = _last_name(call.func)
    first = call.args[0]
    types = first.elts if isinstance(first, ast.Tuple) else [first]
    catches = any(_last_name(t) in IMPORT_ERRORS for t in types)
    if not catches:
        return False, False
    if name in RAISES_CALLS:
        return True, False
    if name == "suppress":
        return False, True
    return False, False


def _dotted(node: ast.expr) -> str | None:
    """``a`` or ``a.b.c`` (an alias of another object), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _literal_names(value: ast.expr | None) -> list[str] | None:
    """The strings of a literal list/tuple of strings, else None."""
    if isinstance(value, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
        return [e.value for e in value.elts]  # type: ignore[attr-defined]
    return None


def _deprecated_message(decorators: list[ast.expr]) -> str | None:
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _last_name(target) in DEPRECATED_DECORATORS:
            if isinstance(decorator, ast.Call) and decorator.args \
                    and isinstance(decorator.args[0], ast.Constant) \
                    and isinstance(decorator.args[0].value, str):
                return decorator.args[0].value
            return "deprecated"
    return None


class FactVisitor:
    """Collects ``ImportFact`` and ``Definition`` values for one module."""

    def __init__(self, columns: ColumnMap, scan_globals: bool = True) -> None:
        self.columns = columns
        # ``global`` statements can only exist if the word does: skipping the walk
        # otherwise is exact, and saves a full walk of every function body.
        self.scan_globals = scan_globals
        self.imports: list[ImportFact] = []
        self.definitions: list[Definition] = []
        self.all_names: list[str] | None = None
        self.all_dynamic = False  # a computed __all__ (``a + b``, ``.extend(x)``): unknowable
        self.has_getattr = False

    # -- bookkeeping -----------------------------------------------------------
    def define(self, name: str, kind: str, node: ast.AST, scope: Scope,
               deprecated: str | None = None, value: str | None = None) -> None:
        if scope.top_level:
            line = getattr(node, "lineno", 1)
            self.definitions.append(Definition(
                name=name, kind=kind, line=line,
                col=self.columns.col(line, getattr(node, "col_offset", 0)),
                in_type_checking=scope.in_type_checking, deprecated=deprecated,
                optional=scope.optional, value=value))

    def define_target(self, target: ast.expr, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            self.define(target.id, "assign", target, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.define_target(element, scope)
        elif isinstance(target, ast.Starred):
            self.define_target(target.value, scope)

    def record_all(self, node: ast.stmt) -> None:
        """``__all__ = [...]`` / ``+= [...]``; anything computed makes it unknown for good."""
        names = _literal_names(getattr(node, "value", None))
        if self.all_dynamic:
            return
        if names is None:
            self.all_dynamic, self.all_names = True, None
        elif isinstance(node, ast.AugAssign):
            self.all_names = (self.all_names or []) + names
        else:
            self.all_names = names

    def record_all_call(self, call: ast.Call) -> None:
        """``__all__.append("x")`` / ``.extend([...])``; other calls make it unknown."""
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if method in ("sort", "reverse"):
            return  # same names
        arg = call.args[0] if len(call.args) == 1 and not call.keywords else None
        names = _literal_names(ast.List(elts=[arg]) if method == "append" and arg else arg) \
            if method in ("append", "extend") else None
        if names is None:
            self.all_dynamic, self.all_names = True, None
        elif not self.all_dynamic:
            self.all_names = (self.all_names or []) + names

    # -- walking ----------------------------------------------------------------
    def visit_body(self, body: list[ast.stmt], scope: Scope) -> None:
        handlers = _STATEMENT_HANDLERS
        for stmt in body:
            handler = handlers.get(type(stmt))
            if handler is not None:  # other statements bind nothing and hold no statements
                handler(self, stmt, scope)

    def visit_stmt(self, node: ast.stmt, scope: Scope) -> None:
        """One statement (dispatched on its class through ``_STATEMENT_HANDLERS``)."""
        handler = _STATEMENT_HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node, scope)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        self.define(node.name, "function", node, scope, _deprecated_message(node.decorator_list))
        if scope.top_level and node.name == "__getattr__":
            self.has_getattr = True
        # ``pytest.raises(ImportError)`` covers the statements it runs, not the body of a
        # function defined there: that body is ordinary code, run later or never.
        inner = replace(scope, in_function=True, top_level=False, expects_failure=False)
        self.visit_body(node.body, inner)
        if self.scan_globals and not scope.in_function:
            self.collect_globals(node)  # the walk covers nested functions too

    def _class(self, node: ast.ClassDef, scope: Scope) -> None:
        self.define(node.name, "class", node, scope, _deprecated_message(node.decorator_list))
        self.visit_body(node.body, replace(scope, in_class=True, top_level=False,
                                           expects_failure=False))

    def _if(self, node: ast.If, scope: Scope) -> None:
        verdict = _is_type_checking(node.test)
        if verdict is None:
            self.visit_body(node.body, scope)
            self.visit_body(node.orelse, scope)
        else:
            self.visit_body(node.body, replace(scope, in_type_checking=verdict
                                               or scope.in_type_checking))
            self.visit_body(node.orelse, replace(scope, in_type_checking=(not verdict)
                                                 or scope.in_type_checking))

    def _try(self, node: ast.Try, scope: Scope) -> None:
        guarded = any(_catches_import_error(h) for h in node.handlers)
        inner = replace(scope, in_fallback=True) if guarded else scope
        self.visit_body(node.body, inner)
        optional = replace(inner, optional=True) if guarded else scope
        for handler in node.handlers:
            if handler.name:
                self.define(handler.name, "assign", handler, scope)
            self.visit_body(handler.body, optional if _catches_import_error(handler) else inner)
        self.visit_body(node.orelse, replace(scope, optional=True) if guarded else scope)
        self.visit_body(node.finalbody, scope)

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> None:
        inner = scope
        for item in node.items:
            expects, fallback = _expects_import_error(item)
            if expects:
                inner = replace(inner, expects_failure=True)
            if fallback:
                inner = replace(inner, in_fallback=True)
            if item.optional_vars is not None:
                self.define_target(item.optional_vars, scope)
        self.visit_body(node.body, inner)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, scope: Scope) -> None:
        if not isinstance(node, ast.While):
            self.define_target(node.target, scope)
        self.visit_body(node.body, scope)
        self.visit_body(node.orelse, scope)

    def _assign(self, node: ast.Assign, scope: Scope) -> None:
        value = _dotted(node.value)
        for target in node.targets:
            if value is not None and isinstance(target, ast.Name):
                self.define(target.id, "assign", target, scope, value=value)
            else:
                self.define_target(target, scope)
            if scope.top_level and isinstance(target, ast.Name) and target.id == "__all__":
                self.record_all(node)

    def _annotated_or_augmented(self, node: ast.AnnAssign | ast.AugAssign, scope: Scope) -> None:
        if isinstance(node, ast.AugAssign) or node.value is not None:
            self.define_target(node.target, scope)
        if scope.top_level and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            self.record_all(node)

    def _expression(self, node: ast.Expr, scope: Scope) -> None:
        if scope.top_level and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute) \
                and isinstance(node.value.func.value, ast.Name) \
                and node.value.func.value.id == "__all__":
            self.record_all_call(node.value)

    def _match(self, node: ast.AST, scope: Scope) -> None:
        for case in node.cases:  # type: ignore[attr-defined]
            self.visit_body(case.body, scope)

    def _type_alias(self, node: ast.AST, scope: Scope) -> None:
        self.define_target(node.name, scope)  # type: ignore[attr-defined]

    def collect_globals(self, function: ast.AST) -> None:
        """``global x`` inside a function makes ``x`` a module attribute once assigned."""
        for node in walk(function):  # breadth first like ast.walk: definitions keep its order
            if type(node) is ast.Global:
                for name in node.names:
                    self.define(name, "assign", node, Scope())

    def _fact(self, kind: str, module: str, name: str | None, asname: str | None, level: int,
              alias: ast.alias | ast.stmt, stmt: ast.stmt, scope: Scope) -> ImportFact:
        line = getattr(alias, "lineno", stmt.lineno)
        end_line = getattr(alias, "end_lineno", None) or line
        return ImportFact(
            kind=kind, module=module, name=name, asname=asname, level=level,
            line=line, col=self.columns.col(line, getattr(alias, "col_offset", stmt.col_offset)),
            end_line=end_line,
            end_col=self.columns.col(end_line, getattr(alias, "end_col_offset", None)
                                     or stmt.col_offset),
            stmt_line=stmt.lineno, in_function=scope.in_function,
            in_type_checking=scope.in_type_checking, in_fallback=scope.in_fallback,
            expects_failure=scope.expects_failure, in_class=scope.in_class)

    def visit_import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            fact = self._fact("import", alias.name, None, alias.asname, 0, alias, node, scope)
            self.imports.append(fact)
            bound = fact.bound_name
            if bound:
                self.define(bound, "import", alias, scope)

    def visit_import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                self.imports.append(self._fact("star", module, None, None, node.level, alias,
                                               node, scope))
                continue
            fact = self._fact("from", module, alias.name, alias.asname, node.level, alias, node,
                              scope)
            self.imports.append(fact)
            self.define(fact.bound_name or alias.name, "import", alias, scope)


_STATEMENT_HANDLERS: dict[type, Callable[[FactVisitor, Any, Scope], None]] = {
    ast.Import: FactVisitor.visit_import,
    ast.ImportFrom: FactVisitor.visit_import_from,
    ast.FunctionDef: FactVisitor._function,
    ast.AsyncFunctionDef: FactVisitor._function,
    ast.ClassDef: FactVisitor._class,
    ast.If: FactVisitor._if,
    ast.Try: FactVisitor._try,
    ast.With: FactVisitor._with,
    ast.AsyncWith: FactVisitor._with,
    ast.For: FactVisitor._loop,
    ast.AsyncFor: FactVisitor._loop,
    ast.While: FactVisitor._loop,
    ast.Assign: FactVisitor._assign,
    ast.AnnAssign: FactVisitor._annotated_or_augmented,
    ast.AugAssign: FactVisitor._annotated_or_augmented,
    ast.Expr: FactVisitor._expression,
}
for _name, _handler in (("TryStar", FactVisitor._try), ("Match", FactVisitor._match),
                        ("TypeAlias", FactVisitor._type_alias)):
    if hasattr(ast, _name):
        _STATEMENT_HANDLERS[getattr(ast, _name)] = _handler


class ColumnMap:
    """Converts ``ast``'s UTF-8 byte offsets into 1-based character columns."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._ascii = text.isascii()
        self._lines: list[str] | None = None

    def col(self, line: int, byte_offset: int) -> int:
        if self._ascii:
            return byte_offset + 1
        if self._lines is None:
            self._lines = self._text.split("\n")
        if 1 <= line <= len(self._lines):
            source = self._lines[line - 1]
            if not source.isascii():
                return len(source.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1
        return byte_offset + 1
