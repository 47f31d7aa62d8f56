"""The shortcuts that make extraction fast give exactly what the plain walks gave.

``_bind`` skips expressions when the text has no ``:=``; class members come from the
reference walk instead of an ``ast.walk`` of every method; facts use ``__slots__``.
Each is checked here against the straightforward computation it replaced.
"""

from __future__ import annotations

import ast
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest

from ssot_lint.facts.extract import extract_facts
from ssot_lint.facts.references import _bind, _Scope, collect_usage
from ssot_lint.facts.visitor import ColumnMap

PACKAGE = Path(__file__).resolve().parents[3] / "ssot_lint"
TRICKY = '''
import a.b as c, d
from y import x
import os as x
from typing import Literal
class K(c.Base, *bases, metaclass=M):
    import json as j
    attr: int = 0
    lit: Literal[[0 for self.at_class in z]]
    def m(self, p: "d.X", q=c.DEFAULT) -> "Literal['a']":
        self.a, self.b[0] = 1, 2
        (self.c, [self.d, *self.e]) = t
        self.f += 1
        self.g: int = 3
        for self.h in range(3): pass
        with open() as self.i: pass
        del self.j
        [0 for self.k in q]
        lambda: [self.l for self.m2 in z]
        x: Literal[[0 for self.in_literal in z]] = 1
        y: "[0 for self.in_string in z]" = 2
        class Inner:
            def n(self):
                self.inner = 1
            self.class_body = 2
        def nested():
            self.nested = 1
        other.not_self = 1
        self.x.y = 2
    @c.deco
    def w(self):
        global G
        nonlocal_ = {**d}
        try:
            pass
        except ImportError as err:
            pass
    if True:
        def not_direct(self):
            self.indirect_attr = 1
    async def am(self):
        async with c.ctx() as (self.aw1, self.aw2): pass
        async for self.af in c.gen(): pass
match c.p:
    case c.Q(x=0) | {"k": v, **rest} as alias if alias:
        pass
    case [*star]:
        pass
'''


def _sources() -> list[str]:
    return [TRICKY] + [p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))]


def _scope_bodies(tree: ast.Module) -> list[list[ast.AST]]:
    bodies: list[list[ast.AST]] = [list(tree.body)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bodies.append(list(node.body))
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            bodies.append([g.target for g in node.generators])
    return bodies


def _bound(body: list[ast.AST], walrus: bool) -> tuple[object, ...]:
    scope = _Scope("function")
    _bind(scope, body, walrus)
    return list(scope.imports.items()), scope.strong, scope.weak, scope.globals


def _without_walrus() -> list[str]:
    """Sources the shortcut applies to (a text with ``:=`` is always bound in full)."""
    return [source for source in _sources() if ":=" not in source]


def test_the_shortcut_is_tested_on_most_sources() -> None:
    assert len(_without_walrus()) > len(_sources()) * 0.8


@pytest.mark.parametrize("index", range(len(_without_walrus())))
def test_binding_without_walrus_skips_only_what_cannot_bind(index: int) -> None:
    source = _without_walrus()[index]
    for body in _scope_bodies(ast.parse(source)):
        assert _bound(body, walrus=False) == _bound(body, walrus=True)


def _members_by_walking(tree: ast.Module) -> dict[str, set[str]]:
    """What the class members were before: bind each body, ``ast.walk`` each method."""
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        scope = _Scope("class")
        _bind(scope, node.body)
        members = set(scope.imports) | scope.strong | scope.weak
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                members |= {sub.attr for sub in ast.walk(item)
                            if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store)
                            and isinstance(sub.value, ast.Name) and sub.value.id == "self"}
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                members.add(item.target.id)
        found[node.name] = members
    return found


@pytest.mark.parametrize("index", range(len(_sources())))
def test_class_members_from_the_reference_walk_match_walking_each_method(index: int) -> None:
    source = _sources()[index]
    tree = ast.parse(source)
    _, classes = collect_usage(tree, ColumnMap(source), walrus=False)
    assert {c.name: set(c.members) for c in classes} == _members_by_walking(tree)


def test_tricky_members_include_nested_code_but_not_strings_or_indirect_methods() -> None:
    tree = ast.parse(TRICKY)
    _, (k,) = collect_usage(tree, ColumnMap(TRICKY))
    assert {"in_literal", "inner", "class_body", "nested", "k", "m2", "aw1", "af"} <= set(k.members)
    assert not {"in_string", "indirect_attr", "not_self", "y", "l"} & set(k.members)


def test_facts_have_slots_and_survive_pickle() -> None:
    facts = extract_facts(TRICKY.encode(), (3, 11))
    assert facts.imports and facts.references and facts.classes and facts.definitions
    for obj in (facts, facts.imports[0], facts.references[0], facts.classes[0],
                facts.definitions[0]):
        assert not hasattr(obj, "__dict__")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(facts, protocol=protocol))
        assert again == facts and asdict(again) == asdict(facts)
