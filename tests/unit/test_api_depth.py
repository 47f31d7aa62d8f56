"""Depth in analysed code or the registry is data, not stack: no RecursionError.

A 1,000-component dotted import, the same string in ``mock.patch``/``import_module``,
an attribute chain of 2,500 links on a deprecated symbol, a registry key of 1,000
components and a 600-module star-import chain all give findings (or none), never a crash.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_check, write_project

LONG = ".".join(["app"] + ["a"] * 1000)


def test_deep_names_are_findings_not_crashes(tmp_path: Path) -> None:
    files = {
        "app/core/models.py": "class User: pass\n",
        "svc/views.py": (f"import {LONG}\nfrom unittest import mock\nimport importlib\n"
                         f'mock.patch("{LONG}.X")\nimportlib.import_module("{LONG}")\n'
                         "import app.core.models\n"
                         "x = app.core.models.User" + ".a" * 2500 + "\n"),
    }
    registry = (f'[deprecated."app.core.models.User"]\nreason = "old"\n'
                f'[broken."{LONG}.Q"]\nreason = "gone"\n')
    root = write_project(tmp_path / "proj", files, registry, packages=("app", "svc"))
    found = [(f.path, f.line, f.code) for f in run_check(root)]
    assert found == [("svc/views.py", 1, "SSOT102"), ("svc/views.py", 4, "SSOT104"),
                     ("svc/views.py", 5, "SSOT122"), ("svc/views.py", 7, "SSOT301")], found


def test_a_600_module_star_import_chain_is_unknown_not_a_crash(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"chain/m{i}.py": f"from chain.m{i + 1} import *\n"
                                     for i in range(600)}
    files["chain/m600.py"] = "X = 1\n"
    files["chain/short0.py"] = "from chain.short1 import *\n"
    files["chain/short1.py"] = "Y = 1\n"
    files["svc/use.py"] = ("from chain.m0 import X\nfrom chain.m0 import Nope\n"
                           "from chain.short0 import Y\nfrom chain.short0 import Nope\n")
    root = write_project(tmp_path / "proj", files, packages=("chain", "svc"))
    found = [(f.path, f.line, f.code) for f in run_check(root)]
    # beyond the bound nothing is claimed (no finding for line 2); a short chain still
    # resolves and still reports the missing name
    assert found == [("svc/use.py", 4, "SSOT103")], found
