"""Property tests for ``fix``: its output parses, differs from the input only in imports,
keeps the file's form (encoding, BOM, line endings), and a second run changes nothing.

Programs are built from import shapes that are hard to rewrite (aliases, parenthesised
and backslash-continued lists, comments, relative imports, ``TYPE_CHECKING`` and
``try/except ImportError`` blocks, semicolons, function and class bodies) mixed with
filler, in random order, with CRLF or LF, a BOM or a PEP 263 declaration; and, for
breadth, libcst-generated programs (hypothesmith) with fixable imports spliced in. The
syntax-tree comparison here is written independently of the fixer's own verifier.
Budgets: see _budget.py (SSOT_LINT_FUZZ=long for a long run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ssot_lint.fix.run import fix
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding
from tests.conftest import write_project
from tests.trust._budget import fuzz

SHAPES = [
    "from pkg.old import thing\n",
    "from pkg.old import thing as t1\n",
    "from pkg.alias import Thing\n",
    "from pkg.alias import Thing as T2, other\n",
    "from pkg.old import (\n    thing,  # why\n)\n",
    "from pkg.alias import (Thing,\n        other)\n",
    "from .old import thing\n",
    "from . import old\n",
    "import pkg.old\n",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.alias import Thing\n",
    "try:\n    from pkg.old import thing\nexcept ImportError:\n    thing = None\n",
    "def f():\n    from pkg.old import thing\n    return thing\n",
    "class C:\n    from pkg.alias import Thing\n",
    "import os; from pkg.old import thing\n",
    "from pkg.old import \\\n    thing\n",
    "from pkg.old import thing  # ssot-lint: ignore[SSOT111]\n",
    "x = 1\n", "print(thing)\n", "# a comment\n", "\n", '"""doc"""\n',
    "if x:\n    y = [thing,\n         2]\n",
]
HEADS = ["", "\ufeff", "# -*- coding: latin-1 -*-\n# Andr\u00e9\n", "#!/usr/bin/env python\n"]
REGISTRY = ('[policy]\nrelative_imports = "forbid"\n'
            '[deprecated."pkg.old.thing"]\nuse_instead = "pkg.new.thing"\n'
            '[symbols."pkg.core.Thing"]\naliases = ["pkg.alias.Thing"]\n')
FIXABLE_CODES = ("SSOT111", "SSOT112", "SSOT121")
SUPPORT = {"pkg/new.py": "thing = 1\n", "pkg/old.py": "from pkg.new import thing\n",
           "pkg/core.py": "class Thing:\n    pass\n",
           "pkg/alias.py": "from pkg.core import Thing\nother = 2\n"}


def _without_imports(text: str) -> str:
    """The module's syntax tree with every import statement taken out, as a dump."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        for name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, name, [s for s in value
                                     if not isinstance(s, (ast.Import, ast.ImportFrom))])
    return ast.dump(tree, include_attributes=False)


def _encode(head: str, body: str, newline: str) -> tuple[bytes, str]:
    text = (head + body).replace("\n", newline)
    if head.startswith("# -*- coding: latin-1"):
        return text.encode("latin-1"), "latin-1"
    return text.encode("utf-8"), "utf-8-sig" if head == "\ufeff" else "utf-8"


def _fix_twice(tmp_path: Path, data: bytes) -> tuple[bytes, bytes]:
    root = write_project(tmp_path, {**SUPPORT, "pkg/gen.py": data}, REGISTRY, packages=("pkg",))
    config = load_config(root, overrides={"cache": False})
    fix([], config, cwd=root)
    once = (root / "pkg" / "gen.py").read_bytes()
    second = fix([], config, cwd=root)
    assert second.diffs == [], second.diffs  # idempotent
    assert (root / "pkg" / "gen.py").read_bytes() == once
    # whatever fixable finding is left, fix says why it did not fix it
    left = {_key(f) for f in second.remaining if f.code in FIXABLE_CODES}
    explained = {_key(f) for f, _ in second.not_fixed} | {_key(f) for f in second.needs_unsafe}
    assert left <= explained, (left - explained, once)
    return data, once


def _key(finding: Finding) -> tuple[str, int, int, str]:
    return finding.path, finding.line, finding.column, finding.code


def _assert_safe(before: bytes, after: bytes, encoding: str, newline: str | None) -> None:
    old, new = before.decode(encoding), after.decode(encoding)
    ast.parse(new)  # parses
    assert _without_imports(old) == _without_imports(new)  # only imports changed
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    if newline == "\r\n":
        assert new.count("\n") == new.count("\r\n")  # no bare LF slipped in
    elif newline == "\n":
        assert "\r" not in new


@fuzz(25)
@given(shapes=st.lists(st.sampled_from(SHAPES), min_size=1, max_size=12),
       head=st.sampled_from(HEADS), newline=st.sampled_from(["\n", "\r\n"]),
       seed=st.integers(0, 10**6))
def test_fix_on_hard_import_shapes(tmp_path_factory: pytest.TempPathFactory, shapes: list[str],
                                   head: str, newline: str, seed: int) -> None:
    data, encoding = _encode(head, "".join(shapes), newline)
    assume(_parses(data))
    tmp = tmp_path_factory.mktemp("fixfuzz")
    before, after = _fix_twice(tmp, data)
    _assert_safe(before, after, encoding, newline)


@fuzz(8)
@given(source=hypothesmith.from_node(), position=st.integers(0, 10**6),
       shape=st.sampled_from(SHAPES[:16]))
def test_fix_on_generated_programs(tmp_path_factory: pytest.TempPathFactory, source: str,
                                   position: int, shape: str) -> None:
    lines = source.splitlines(keepends=True)
    boundaries = [i for i in range(len(lines) + 1)
                  if i == len(lines) or not lines[i][:1].isspace()]
    at = boundaries[position % len(boundaries)]
    body = "".join(lines[:at]) + ("\n" if at and not lines[at - 1].endswith("\n") else "") + \
        shape + "".join(lines[at:])
    data = body.encode("utf-8", "surrogatepass")
    assume(_parses(data))
    tmp = tmp_path_factory.mktemp("fixfuzz")
    before, after = _fix_twice(tmp, data)
    _assert_safe(before, after, "utf-8", None if b"\r" in before else "\n")


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


RENAME_SHAPES = [
    "from pkg.legacy import get_tracker\n",
    "from pkg.legacy import get_tracker as gt\n",
    "tracker = get_tracker()\n",
    "def f(a=get_tracker):\n    return get_tracker(a)\n",
    "class K:\n    t = get_tracker\n",
    "print([get_tracker for _ in range(2)])\n",
    "lambda: get_tracker\n",
    "x = {'get_tracker': get_tracker}\n",
    "def g():\n    get_tracker = 1\n    return get_tracker\n",
    "y = 'get_tracker'  # a string, not a reference\n",
    "__all__ = ['get_tracker']\n",
    "from pkg.alias import Thing\n",
]
RENAME_REGISTRY = (REGISTRY + '[deprecated."pkg.legacy.get_tracker"]\n'
                   'use_instead = "pkg.new.get_execution_tracker"\nfix = "rename"\n')
RENAME_SUPPORT = {**SUPPORT, "pkg/new.py": "thing = 1\ndef get_execution_tracker(): ...\n",
                  "pkg/legacy.py": "from pkg.new import get_execution_tracker as get_tracker\n"}


def _renamed(text: str, old: str, new: str) -> str:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == old:
            node.id = new
    return ast.unparse(tree)


@fuzz(20)
@given(shapes=st.lists(st.sampled_from(RENAME_SHAPES), min_size=1, max_size=8),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_unsafe_renames_change_only_imports_and_references(
        tmp_path_factory: pytest.TempPathFactory, shapes: list[str], newline: str) -> None:
    """With --unsafe-fixes a rename rewrites the import and every reference to it; the
    trees must then be equal once the old name is mapped to the new, or the file kept."""
    body = "from pkg.legacy import get_tracker\n" + "".join(shapes)
    data = body.replace("\n", newline).encode()
    assume(_parses(data))
    root = write_project(tmp_path_factory.mktemp("renamefuzz"),
                         {**RENAME_SUPPORT, "pkg/gen.py": data}, RENAME_REGISTRY,
                         packages=("pkg",))
    config = load_config(root, overrides={"cache": False})
    fix([], config, unsafe=True, cwd=root)
    after = (root / "pkg" / "gen.py").read_bytes()
    assert fix([], config, unsafe=True, cwd=root).diffs == []  # idempotent
    new = after.decode()
    ast.parse(new)
    if b"get_execution_tracker" in after and b"get_tracker" not in after.replace(
            b"'get_tracker'", b""):
        expected = _renamed(body, "get_tracker", "get_execution_tracker")
        assert _without_imports(expected) == _without_imports(new.replace("\r\n", "\n"))
    else:  # not renamed (refused, or only the safe alias fix): references untouched
        assert _without_imports(body) == _without_imports(new.replace("\r\n", "\n"))
