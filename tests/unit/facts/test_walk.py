"""The fast ``ast`` walk visits exactly what ``ast`` itself would, minus marker nodes."""

from __future__ import annotations

import ast
from pathlib import Path

from ssot_lint.facts.walk import children, walk

MARKERS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.type_ignore)
SAMPLE = '''
import a.b as c, d
from .. e import (f, g as h)
from x import *
@deco(k=1, *args, **kw)
async def fn(p, /, q: int = 1, *r: str, s, t=2, **u) -> "a.b.C":
    global G
    nonlocal_ = {**d, 1: 2}
    async with ctx() as (v, *w):
        async for i, j in aiter():
            yield from (lambda z=1: z)(x := 3)
    return [y async for y in f(q) if y] or {k: v for k, v in h} or {s for s in t}
class K(Base, metaclass=M):
    x: int = 0
    def m(self):
        self.a, self.b[0] = 1, 2
        del self.c
        try:
            pass
        except (ImportError, OSError) as e:
            raise ValueError(f"{e!r:>{10}}") from e
        else:
            assert x < y <= z, "msg"
        finally:
            print(not -~x, a if b else c, x[1:2:3], *x)
match point:
    case Point(x=0, y=_) | [1, *rest] | {"k": v, **others} as alias if alias:
        pass
    case str() | None | K.A:
        pass
'''


def _expected(node: ast.AST) -> list[ast.AST]:
    return [c for c in ast.iter_child_nodes(node) if not isinstance(c, MARKERS)]


def test_children_match_iter_child_nodes_on_every_kind_of_node() -> None:
    tree = ast.parse(SAMPLE)
    kinds = set()
    for node in ast.walk(tree):
        kinds.add(type(node).__name__)
        assert children(node) == _expected(node), ast.dump(node)
    assert {"MatchClass", "MatchMapping", "Dict", "arguments", "NamedExpr"} <= kinds


def test_children_match_on_this_package() -> None:
    root = Path(__file__).resolve().parents[3] / "ssot_lint"
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert children(node) == _expected(node), (path, ast.dump(node))


def test_walk_is_breadth_first_like_ast_walk() -> None:
    tree = ast.parse(SAMPLE)
    assert list(walk(tree)) == [n for n in ast.walk(tree) if not isinstance(n, MARKERS)]
