"""String targets of mock patches and literal dynamic imports.

``mock.patch("pkg.mod.Name")`` and ``importlib.import_module("pkg.mod")`` name import
paths in strings; they break exactly like imports do, so they are facts too.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ssot_lint.facts.walk import walk
from ssot_lint.model.facts import ImportFact

PATCH_FUNCS = frozenset({"patch"})
PATCH_METHODS = frozenset({"dict"})  # patch.dict("pkg.mod.MAPPING", ...)
DYNAMIC_FUNCS = frozenset({"import_module", "__import__"})
TRIGGERS = ("patch", "import_module", "__import__", "setattr")


def could_have_calls(text: str) -> bool:
    """Cheap pre-check so the expression walk runs only where it can find something."""
    return any(word in text for word in TRIGGERS)


def _call_kind(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        if func.id in PATCH_FUNCS:
            return "patch"
        if func.id in DYNAMIC_FUNCS:
            return "dynamic"
        return None
    if isinstance(func, ast.Attribute):
        if func.attr in PATCH_FUNCS:
            return "patch"  # mock.patch, unittest.mock.patch, mocker.patch
        if func.attr in PATCH_METHODS and isinstance(func.value, (ast.Name, ast.Attribute)) \
                and (getattr(func.value, "id", None) == "patch"
                     or getattr(func.value, "attr", None) == "patch"):
            return "patch"
        if func.attr == "import_module":
            return "dynamic"
        if func.attr == "setattr" and isinstance(func.value, ast.Name) \
                and func.value.id == "monkeypatch":
            return "patch"
    return None


def _tolerates_missing(call: ast.Call) -> bool:
    """``patch(..., create=True)`` creates a missing attribute and
    ``monkeypatch.setattr(..., raising=False)`` accepts one: a target missing its last
    name is what they are written for. A value that is not a literal counts as tolerant
    too (it cannot be judged, and a false alarm costs more than a miss)."""
    for keyword in call.keywords:
        wanted = {"create": False, "raising": True}.get(keyword.arg or "")
        if wanted is None:
            continue
        value = keyword.value
        if not (isinstance(value, ast.Constant) and value.value is wanted):
            return True
    return False


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def collect_call_facts(tree: ast.AST,
                       make: Callable[[str, str, ast.expr], ImportFact]) -> list[ImportFact]:
    """Facts for every literal patch target / dynamic import in ``tree``."""
    facts: list[ImportFact] = []
    for node in walk(tree):  # breadth first like ast.walk, which it replaces
        if type(node) is not ast.Call or not node.args:
            continue
        kind = _call_kind(node.func)
        if kind is None:
            continue
        target = _literal(node.args[0])
        if target is None or not target or target.startswith("."):
            continue
        if kind == "patch" and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "setattr" and len(node.args) < 2:
            continue
        if kind == "patch" and _tolerates_missing(node):
            continue
        if kind == "dynamic" and isinstance(node.func, ast.Name) and node.func.id == "__import__" \
                and len(node.args) > 4:
            continue
        parts = target.split(".")
        if not all(part.isidentifier() for part in parts):
            continue
        facts.append(make(kind, target, node.args[0]))
    return facts
