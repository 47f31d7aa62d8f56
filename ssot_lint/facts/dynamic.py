"""Which attributes a module serves dynamically (lazy package facades), read statically.

A module can provide attributes that no statement binds: a module-level ``__getattr__``
(PEP 562, as ``def`` or as ``__getattr__ = make_getattr(...)``), replacing itself in
``sys.modules`` (``sys.modules[__name__] = _LazyModule(...)``), or
``lazy_loader.attach``/``attach_stub``. Name resolution must neither call every other
name missing (the facade serves them) nor call every name present (a ``__getattr__``
that serves one name raises ``AttributeError`` for the rest).

So this module answers, exactly where the code is literal and "unknown" everywhere else:

- a ``__getattr__`` whose every path either passes a test of its parameter against
  literals (``name == "x"``, ``name in {"a", "b"}``, ``name in _LAZY`` for a module-level
  literal collection or dict that nothing mutates, ``name not in ...`` followed by a
  raise, ``try: _LAZY[name] except KeyError: raise AttributeError``) or raises
  ``AttributeError`` serves exactly the names tested (a superset at worst, which only
  makes resolution more lenient);
- ``lazy_loader.attach(__name__, submodules, submod_attrs)`` with literal arguments
  serves the submodules and the listed attributes; ``attach_stub`` serves the names of
  the package's ``.pyi`` (resolved later, by ``resolve.names``);
- anything else (a computed ``__getattr__``, a ``return`` no test guards, a
  ``sys.modules`` replacement) serves unknown names.

Only the tree is read; nothing is imported or evaluated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from ssot_lint.facts.walk import walk

_LAZY_LOADER = "lazy_loader"
_ATTACH = frozenset({"attach", "attach_stub"})
_MUTATORS = frozenset({"update", "add", "append", "extend", "insert", "setdefault", "pop",
                       "remove", "discard", "clear", "__setitem__", "__delitem__", "popitem"})
_SIMPLE = (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Import, ast.ImportFrom,
           ast.Pass, ast.Global, ast.Nonlocal)


@dataclass(frozen=True)
class Dynamic:
    """What a module serves dynamically (see ``FileFacts.has_getattr`` and friends)."""

    present: bool = False
    names: tuple[str, ...] | None = None  # exactly these (with ``present``); None: unknown
    stub: bool = False  # lazy_loader.attach_stub: the .pyi's names too


def _top_level(body: list[ast.stmt], loops: bool = False) -> Iterator[ast.stmt]:
    """Statements that run at import time in module scope (into if/try/with, not defs;
    into loops too with ``loops``)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If) or (loops and isinstance(
                stmt, (ast.For, ast.AsyncFor, ast.While))):
            yield from _top_level(stmt.body, loops)
            yield from _top_level(stmt.orelse, loops)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _top_level(stmt.body, loops)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            for part in (stmt.body, stmt.orelse, stmt.finalbody):  # type: ignore[attr-defined]
                yield from _top_level(part, loops)
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                yield from _top_level(handler.body, loops)


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_sys_modules_self(target: ast.expr) -> bool:
    """``sys.modules[__name__]`` (or ``modules[__name__]``) as an assignment target."""
    if not isinstance(target, ast.Subscript) or not _is_name(target.slice, "__name__"):
        return False
    value = target.value
    return (isinstance(value, ast.Attribute) and value.attr == "modules"
            and _is_name(value.value, "sys")) or _is_name(value, "modules")


def registers_modules(tree: ast.Module, text: str) -> bool:
    """Whether modules below this one may exist at run time under names no file has:
    the module assigns ``sys.modules[key]`` (anywhere, loops included) for a key other
    than ``__name__`` (``sys.modules[f"requests.packages.{mod}"] = ...``), or it changes
    its own ``__path__`` (``__path__.extend(pluginPackagePaths(__name__))`` in
    ``twisted.plugins``, ``__path__ = extend_path(__path__, __name__)`` in pkgutil-style
    namespace packages), so its submodules come from directories found at run time."""
    if "modules[" in text:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and not _is_sys_modules_self(target):
                        value = target.value
                        if (isinstance(value, ast.Attribute) and value.attr == "modules"
                                and _is_name(value.value, "sys")) or _is_name(value, "modules"):
                            return True
    if "__path__" in text:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_is_name(t, "__path__") for t in targets):
                    return True
            elif isinstance(node, ast.Attribute) and node.attr in _MUTATORS \
                    and _is_name(node.value, "__path__"):
                return True
    return False


class _Literals:
    """Module-level names bound once to a literal collection that nothing mutates."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self._values: dict[str, ast.expr] | None = None

    def _build(self) -> dict[str, ast.expr]:
        counts: dict[str, int] = {}
        values: dict[str, ast.expr] = {}
        for stmt in _top_level(self.tree.body, loops=True):  # a rebinding in a loop counts
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                targets, value = [stmt.target], stmt.value
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                targets = [ast.Name(id=stmt.name)]
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                targets = [stmt.target]
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                targets = [ast.Name(id=(a.asname or a.name).split(".")[0]) for a in stmt.names]
            for target in targets:
                for node in walk(target):
                    if isinstance(node, ast.Name):
                        counts[node.id] = counts.get(node.id, 0) + 1
                        if value is not None and target is node and len(targets) == 1:
                            values[node.id] = value
        mutated: set[str] = set()
        for node in walk(self.tree):
            changed = (isinstance(node, ast.Subscript)
                       and isinstance(node.ctx, (ast.Store, ast.Del))) \
                or (isinstance(node, ast.Attribute) and node.attr in _MUTATORS)
            if changed and isinstance(node.value, ast.Name):  # type: ignore[attr-defined]
                mutated.add(node.value.id)  # type: ignore[attr-defined]
            elif isinstance(node, ast.Global):
                mutated.update(node.names)
        return {name: value for name, value in values.items()
                if counts.get(name) == 1 and name not in mutated}

    def strings(self, node: ast.expr, depth: int = 0) -> set[str] | None:
        """The strings a literal collection holds (a dict's keys), else None."""
        if depth > 5:
            return None
        if isinstance(node, ast.Name):
            if self._values is None:
                self._values = self._build()
            value = self._values.get(node.id)
            return self.strings(value, depth + 1) if value is not None else None
        if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("frozenset", "set", "tuple", "list"):
                return self.strings(node.args[0], depth + 1)
        if isinstance(node, ast.Call) and not node.args and not node.keywords \
                and isinstance(node.func, ast.Attribute) and node.func.attr == "keys":
            return self.strings(node.func.value, depth + 1)
        if isinstance(node, ast.Dict):
            keys = node.keys
            if all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys):
                return {k.value for k in keys}  # type: ignore[union-attr]
            return None
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            return {e.value for e in node.elts}  # type: ignore[attr-defined]
        return None

    def values(self, node: ast.expr) -> set[str] | None:
        """The strings in the values of a literal dict of string lists (submod_attrs)."""
        if isinstance(node, ast.Name):
            if self._values is None:
                self._values = self._build()
            value = self._values.get(node.id)
            return self.values(value) if value is not None else None
        if not isinstance(node, ast.Dict):
            return None
        found: set[str] = set()
        for value in node.values:
            names = self.strings(value)
            if names is None:
                return None
            found |= names
        return found


class _Getattr:
    """The names a ``def __getattr__(name)`` serves, when its tests say so literally."""

    def __init__(self, param: str, literals: _Literals) -> None:
        self.param = param
        self.literals = literals

    def _is_param(self, node: ast.expr) -> bool:
        return _is_name(node, self.param)

    def _test(self, test: ast.expr) -> tuple[str, set[str]] | None:
        """("in", S): true only for names in S; ("out", S): true for every name not in S."""
        if isinstance(test, ast.BoolOp):
            parts = [self._test(value) for value in test.values]
            if any(p is None for p in parts):
                if isinstance(test.op, ast.And):  # true only where a positive part is
                    positive = [p[1] for p in parts if p is not None and p[0] == "in"]
                    return ("in", set.intersection(*positive)) if positive else None
                return None
            kinds = {p[0] for p in parts if p is not None}
            if len(kinds) != 1:
                return None
            (kind,) = kinds
            sets = [p[1] for p in parts if p is not None]
            if (kind == "in") == isinstance(test.op, ast.Or):
                return kind, set.union(*sets)
            return kind, set.intersection(*sets)
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, (ast.Eq, ast.NotEq)):
            if self._is_param(right):
                left, right = right, left
            if self._is_param(left) and isinstance(right, ast.Constant) \
                    and isinstance(right.value, str):
                return ("in" if isinstance(op, ast.Eq) else "out"), {right.value}
            return None
        if isinstance(op, (ast.In, ast.NotIn)) and self._is_param(left):
            names = self.literals.strings(right)
            if names is None:
                return None
            return ("in" if isinstance(op, ast.In) else "out"), names
        return None

    def _raises(self, stmt: ast.stmt) -> bool:
        """``raise AttributeError`` / ``raise AttributeError(...)`` (``from ...`` allowed)."""
        if not isinstance(stmt, ast.Raise) or stmt.exc is None:
            return False
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return _is_name(exc, "AttributeError")

    def _lookup_try(self, stmt: ast.Try) -> set[str] | None:
        """``try: ... X[name] ... except KeyError: raise AttributeError`` serves X's keys;
        ``try: return globals()[name] ...`` serves what the module binds anyway."""
        if stmt.orelse or stmt.finalbody or len(stmt.handlers) != 1:
            return None
        handler = stmt.handlers[0]
        if handler.type is None or not _is_name(handler.type, "KeyError") \
                or len(handler.body) != 1 or not self._raises(handler.body[0]):
            return None
        keys: set[str] | None = None
        for node in walk(ast.Module(body=stmt.body, type_ignores=[])):
            if isinstance(node, ast.Subscript) and self._is_param(node.slice):
                base = node.value
                if isinstance(base, ast.Call) and _is_name(base.func, "globals"):
                    found: set[str] | None = set()
                else:
                    found = self.literals.strings(base)
                if found is None:
                    return None
                keys = found if keys is None else keys | found
        return keys

    def served(self, body: list[ast.stmt]) -> set[str] | None:
        """Names for which ``body`` may return normally; None when not decidable."""
        for i, stmt in enumerate(body):
            rest = body[i + 1:]
            if self._raises(stmt):
                return set()
            if isinstance(stmt, ast.If):
                verdict = self._test(stmt.test)
                if verdict is not None and verdict[0] == "in":
                    others = self.served(stmt.orelse + rest)
                    return None if others is None else verdict[1] | others
                if verdict is not None and verdict[0] == "out" \
                        and self.served(stmt.body) == set():
                    # names outside the set raise; those inside go on (else, then the rest)
                    return verdict[1]
                if self.served(stmt.body) == set():
                    # the branch raises for whoever takes it; the others go on
                    return self.served(stmt.orelse + rest)
                return None
            if isinstance(stmt, ast.Try):
                keys = self._lookup_try(stmt)
                if keys is None:
                    return None
                return keys
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Yield, ast.Await)):
                return None
            if not isinstance(stmt, _SIMPLE):
                return None  # return, loops, with, match ...: not decidable here
        return None  # falling off the end returns None: every name "exists"


def _lazy_loader_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(aliases of the ``lazy_loader`` module, local names of its attach functions)."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == _LAZY_LOADER:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module == _LAZY_LOADER and not node.level:
            for alias in node.names:
                if alias.name in _ATTACH:
                    functions.add(alias.asname or alias.name)
    return modules, functions


def _attach_kind(call: ast.expr, modules: set[str], functions: set[str]) -> str | None:
    """"attach" / "attach_stub" for a call of lazy_loader's functions, else None."""
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _ATTACH \
            and isinstance(func.value, ast.Name) and func.value.id in modules:
        return func.attr
    if isinstance(func, ast.Name) and func.id in functions:
        return "attach_stub" if func.id.endswith("stub") else "attach"
    return None


def _attach_names(call: ast.Call, literals: _Literals) -> set[str] | None:
    """Names ``lazy_loader.attach(name, submodules, submod_attrs)`` serves, if literal."""
    args: dict[str, ast.expr] = {}
    for position, arg in zip(("package_name", "submodules", "submod_attrs"), call.args[:3],
                             strict=False):
        args[position] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        args[keyword.arg] = keyword.value
    served: set[str] = set()
    submodules = args.get("submodules")
    if submodules is not None and not (isinstance(submodules, ast.Constant)
                                       and submodules.value is None):
        names = literals.strings(submodules)
        if names is None:
            return None
        served |= names
    attrs = args.get("submod_attrs")
    if attrs is not None and not (isinstance(attrs, ast.Constant) and attrs.value is None):
        names = literals.values(attrs)
        if names is None:
            return None
        served |= names
    return served


def _targets(stmt: ast.stmt) -> list[ast.expr]:
    if isinstance(stmt, ast.Assign):
        found: list[ast.expr] = []
        for target in stmt.targets:
            found.extend(target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target])
        return found
    if isinstance(stmt, ast.AnnAssign):
        return [stmt.target]
    return []


def _namespace_call(node: ast.expr) -> bool:
    """``globals()`` (or ``vars()`` without arguments, the same dict at module level).
    ``locals()`` is left out: writing to it is undefined behaviour, and it is common in
    function bodies, where it would only cost a walk."""
    return isinstance(node, ast.Call) and not node.args and not node.keywords \
        and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars")


def binds_computed_names(tree: ast.Module, text: str) -> bool:
    """Whether the module binds names nothing static can list: ``globals()[key] = value``,
    ``globals().update(...)`` (numpy's ``numerictypes`` adds its scalar types so), the
    same through ``vars()``, and the namespace handed to code that may write to it:
    ``exec(code, globals())`` or protobuf's generated ``_globals = globals()`` then
    ``_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, 'x_pb2', _globals)``. Anywhere
    in the file: a function called at import time may do it."""
    if "exec" in text and any(
            isinstance(node, ast.Call) and _is_name(node.func, "exec")
            for stmt in _top_level(tree.body, loops=True) if isinstance(stmt, _SIMPLE)
            for node in ast.walk(stmt)):
        return True  # ``exec(source)`` at module level binds whatever the source defines
    if "globals()" not in text and "vars()" not in text:
        return False
    nodes = list(walk(tree))
    aliases = {target.id for node in nodes if isinstance(node, ast.Assign)
               and _namespace_call(node.value)
               for target in node.targets if isinstance(target, ast.Name)}

    def namespace(node: ast.expr) -> bool:
        return _namespace_call(node) or (isinstance(node, ast.Name) and node.id in aliases)

    for node in nodes:
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                and namespace(node.value):
            return True
        if isinstance(node, ast.Attribute) and node.attr in _MUTATORS \
                and namespace(node.value):
            return True
        if isinstance(node, ast.Call) and any(
                namespace(arg.value if isinstance(arg, ast.Starred) else arg)
                for arg in (*node.args, *(k.value for k in node.keywords if k.arg is not None))):
            return True  # ``f(**globals())`` unpacks a copy: not the namespace itself
    return False


def all_changed_elsewhere(tree: ast.Module) -> bool:
    """Whether code outside module level may change ``__all__``: a function or class body
    that calls a mutating method on it (numpy's ``extend_all(module)`` appends another
    module's names) or declares it ``global``. The module-level forms are read exactly
    by the visitor; these make the list unknowable."""
    for stmt in _top_level(tree.body):
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in walk(stmt):
            if isinstance(node, ast.Attribute) and node.attr in _MUTATORS \
                    and _is_name(node.value, "__all__"):
                return True
            if isinstance(node, ast.Global) and "__all__" in node.names:
                return True
    return False


def dynamic_attributes(tree: ast.Module, text: str) -> Dynamic:
    """What ``tree`` (a module) serves dynamically. ``text`` only gates the work: a module
    without the words cannot have any of the forms."""
    if "__getattr__" not in text and "sys.modules" not in text and "modules[" not in text \
            and _LAZY_LOADER not in text:
        return Dynamic()
    literals = _Literals(tree)
    modules, functions = _lazy_loader_names(tree) if _LAZY_LOADER in text else (set(), set())
    present = stub = False
    names: set[str] | None = set()
    for stmt in _top_level(tree.body):
        served: set[str] | None
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and stmt.name == "__getattr__":
            arguments = stmt.args.posonlyargs + stmt.args.args
            served = _Getattr(arguments[0].arg, literals).served(stmt.body) \
                if len(arguments) == 1 and not isinstance(stmt, ast.AsyncFunctionDef) else None
        elif any(_is_name(t, "__getattr__") for t in _targets(stmt)):
            value = stmt.value  # type: ignore[attr-defined]
            kind = _attach_kind(value, modules, functions) if value is not None else None
            if kind == "attach_stub":
                stub, served = True, set()
            elif kind == "attach":
                served = _attach_names(value, literals)
            else:
                served = None
        elif any(_is_sys_modules_self(t) for t in _targets(stmt)):
            served = None
        elif isinstance(stmt, ast.ImportFrom) \
                and any((a.asname or a.name) == "__getattr__" for a in stmt.names):
            served = None  # ``from ._lazy import __getattr__``: another module's answer
        else:
            continue
        present = True
        names = None if names is None or served is None else names | served
    if not present:
        return Dynamic()
    return Dynamic(present=True, names=tuple(sorted(names)) if names is not None else None,
                   stub=stub)


@dataclass(frozen=True)
class ModuleNames:
    """What the visitor's statement walk cannot tell about a module's names."""

    dynamic: Dynamic
    computed: bool  # binds computed names: unknown which names exist
    all_names: tuple[str, ...] | None
    all_dynamic: bool


def module_names(tree: ast.Module, text: str, *, has_getattr_def: bool,
                 all_names: list[str] | None, all_dynamic: bool) -> ModuleNames:
    """Dynamic attributes, computed names and a corrected ``__all__`` for one module.

    ``has_getattr_def`` is the visitor's finding of a module-level ``def __getattr__``
    (also inside loops, which this module does not read: unknown names then);
    ``all_names``/``all_dynamic`` are its reading of module-level ``__all__``
    statements. Code too deeply nested to walk gives the answer that reports nothing.
    """
    try:
        dynamic: Dynamic | None = dynamic_attributes(tree, text)
    except RecursionError:
        dynamic = None
    if dynamic is None or (has_getattr_def and not dynamic.present):
        dynamic = Dynamic(present=True)  # serves unknown names
    # A function that adds to ``__all__`` adds computed names to the module (numpy's
    # ``dtypes``: ``setattr(dtypes, name, DType); __all__.append(name)``): both the
    # list and the module's names are unknowable then.
    elsewhere = False
    if "__all__." in text or ("global" in text and "__all__" in text):
        try:
            elsewhere = all_changed_elsewhere(tree)
        except RecursionError:
            elsewhere = True
    try:
        computed = elsewhere or binds_computed_names(tree, text)
    except RecursionError:
        computed = True
    if elsewhere:
        all_names, all_dynamic = None, True
    return ModuleNames(dynamic=dynamic, computed=computed,
                       all_names=tuple(all_names) if all_names is not None else None,
                       all_dynamic=all_dynamic)
