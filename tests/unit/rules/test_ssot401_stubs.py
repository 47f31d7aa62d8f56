"""SSOT401 and stub files: a ``.pyi`` declares, it does not define (issue 15 §ecosystem).

mypy 1.13.0 ships typeshed (``mypy/typeshed/stdlib/*.pyi``: stubs for *other*
modules, with no implementation beside them); its ``class Call`` was reported as a
second definition of ``mypyc.ir.ops.Call`` 137 times over. A stub is judged only when
it is the one readable declaration of a compiled or Cython module.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_check, write_project

REGISTRY = '[project]\npackages = ["app"]\n\n[symbols."app.core.Call"]\n'


def _duplicates(root: Path) -> list[tuple[str, int]]:
    return sorted((f.path, f.line) for f in run_check(root) if f.code == "SSOT401")


def test_stubs_are_judged_only_for_compiled_modules(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/core.py": "class Call: ...\n",
        # a typeshed-like tree: stubs of other modules, nothing to import at run time
        "app/typeshed/stdlib/_ast.pyi": "class Call: ...\n",
        "app/typeshed/stdlib/ast.pyi": "from _ast import *\nclass Call: ...\n",
        # a stub beside its .py: the .py's definition is the one reported
        "app/copy.py": "class Call:\n    pass\n",
        "app/copy.pyi": "class Call: ...\n",
        # a compiled module: its stub is all there is to read
        "app/_speedups.cpython-311-x86_64-linux-gnu.so": "",
        "app/_speedups.pyi": "\nclass Call: ...\n",
    }, REGISTRY)
    (root / "app/typeshed/__init__.py").unlink()  # a directory of data, not a package
    (root / "app/typeshed/stdlib/__init__.py").unlink()
    assert _duplicates(root) == [("app/_speedups.pyi", 2), ("app/copy.py", 1)]
