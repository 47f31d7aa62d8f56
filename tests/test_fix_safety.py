"""The fixer's safety guarantees: form preserved, verified, atomic, idempotent, race-safe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ssot_lint.api import build_project, select_files
from ssot_lint.fix.run import fix_project
from ssot_lint.fix.source import SourceError, atomic_write, read_source
from ssot_lint.fix.verify import PlannedImport, verify_rewrite
from ssot_lint.load.config import load_config
from tests.conftest import FIX_MODELS as MODELS
from tests.conftest import FIX_REGISTRY as REGISTRY
from tests.conftest import run_fix, write_project

SPLIT = "from app.agents.state import DeepAgentState, AgentPhase\n"
SPLIT_FIXED = ("from app.agents.state import DeepAgentState\n"
               "from app.services.context import AgentPhase\n")


def _root(tmp_path: Path, main: bytes | str) -> Path:
    return write_project(tmp_path / "proj", {**MODELS, "app/main.py": main}, REGISTRY)


def test_crlf_line_endings_are_kept_including_inserted_lines(tmp_path: Path) -> None:
    source = "# header\r\n" + SPLIT.replace("\n", "\r\n") + "x = 1\r\n"
    root = _root(tmp_path, source.encode())
    run_fix(root)
    assert (root / "app/main.py").read_bytes() == (
        "# header\r\n" + SPLIT_FIXED.replace("\n", "\r\n") + "x = 1\r\n").encode()


def test_bom_and_declared_encoding_are_kept(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf" + SPLIT.encode()
    latin = ("# -*- coding: latin-1 -*-\n" + SPLIT + "name = 'caf\xe9'\n").encode("latin-1")
    root = write_project(tmp_path / "proj", {**MODELS, "app/bom.py": bom, "app/latin.py": latin},
                         REGISTRY)
    result = run_fix(root)
    assert len(result.fixed) == 2
    assert (root / "app/bom.py").read_bytes() == b"\xef\xbb\xbf" + SPLIT_FIXED.encode()
    assert (root / "app/latin.py").read_bytes() == (
        "# -*- coding: latin-1 -*-\n" + SPLIT_FIXED + "name = 'caf\xe9'\n").encode("latin-1")


def test_permissions_are_kept_and_no_temporary_files_remain(tmp_path: Path) -> None:
    root = _root(tmp_path, SPLIT)
    path = root / "app/main.py"
    path.chmod(0o750)
    run_fix(root)
    assert path.read_text() == SPLIT_FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    registry = REGISTRY + '[policy]\nrelative_imports = "forbid"\n'
    files = {**MODELS,
             "app/a.py": "from .agents.registry import AgentRegistry as R\n" + SPLIT,
             "app/b.py": "from app.services.context import UserExecutionContext\n" + SPLIT,
             "app/c.py": "import app.agents.bridge as bridge\n"
                         "from app.agents.bridge import create_bridge\n"}
    root = write_project(tmp_path / "proj", files, registry)
    first = run_fix(root)
    assert len(first.diffs) == 3
    snapshot = {p: p.read_bytes() for p in root.rglob("*.py")}
    second = run_fix(root)
    assert second.fixed == [] and second.diffs == []
    assert {p: p.read_bytes() for p in root.rglob("*.py")} == snapshot


def test_file_changed_since_it_was_checked_is_not_overwritten(tmp_path: Path) -> None:
    root = _root(tmp_path, SPLIT)
    config = load_config(root, overrides={})
    project = build_project(config)
    edited = "# edited by someone else\n" + SPLIT
    (root / "app/main.py").write_text(edited)
    result = fix_project(project, select_files(project, []), cwd=root)
    assert (root / "app/main.py").read_text() == edited
    assert result.fixed == []
    assert result.errors == [("app/main.py", "the file changed while it was being checked; "
                                             "not rewritten (run fix again)")]


def test_atomic_write_refuses_when_the_file_changed_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_text("x = 1\n")
    source = read_source(path, 1 << 20)
    path.write_text("x = 2\n")
    with pytest.raises(SourceError, match="changed on disk since it was read"):
        atomic_write(path, source.encode("x = 3\n"), source.data)
    assert path.read_text() == "x = 2\n"
    assert os.listdir(tmp_path) == ["mod.py"]


def test_cr_only_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    source = SPLIT.replace("\n", "\r").encode()
    root = _root(tmp_path, source)
    result = run_fix(root)
    assert (root / "app/main.py").read_bytes() == source
    assert result.fixed == []
    assert any("byte for byte" in why for _, why in result.not_fixed)


def test_verify_refuses_output_that_does_not_parse() -> None:
    problem = verify_rewrite("from a import b\n", "from a import (b\n", module="m",
                             is_package=False, planned={})
    assert problem is not None and problem.startswith("the rewritten file does not parse")


def test_verify_refuses_changes_outside_imports() -> None:
    problem = verify_rewrite("from a import b\nx = b(1)\n", "from c import b\nx = b(2)\n",
                             module="m", is_package=False,
                             planned={(1, 15): PlannedImport("b", "c.b")})
    assert problem is not None and problem.startswith(
        "the rewrite would change text outside the edited imports")
    problem = verify_rewrite("from a import b\nx = b(1)\n", "from c import b\nx = b( 1)\n",
                             module="m", is_package=False,
                             planned={(1, 15): PlannedImport("b", "c.b")})
    assert problem is not None  # even a whitespace change outside the imports is refused
    problem = verify_rewrite("from a import b\nx = [\n1]\n", "from a import b\nx = [\n2]\n",
                             module="m", is_package=False, planned={},
                             renames={"q": "r"})  # with renames only the trees are compared
    assert problem == "the rewrite would change code outside the imports; not written"


def test_verify_refuses_unplanned_bindings_and_accepts_planned_ones() -> None:
    old = "from a import b, c\n"
    planned = {(1, 15): PlannedImport("b", "z.b")}
    assert verify_rewrite(old, "from a import c\nfrom z import b\n", module="m",
                          is_package=False, planned=planned) is None
    problem = verify_rewrite(old, "from a import c\nfrom z import b as bb\n", module="m",
                             is_package=False, planned=planned)
    assert problem is not None and "unexpected: bb = z.b; missing: b = z.b" in problem
    moved = verify_rewrite("if x:\n    from a import b\n", "from a import b\nif x:\n    pass\n",
                           module="m", is_package=False, planned={})
    assert moved is not None  # an import moved to another block is not the same program


def test_verify_resolves_relative_imports_against_the_package() -> None:
    planned = {(1, 17): PlannedImport("h", "app.util.h")}
    assert verify_rewrite("from .util import h\n", "from app.util import h\n",
                          module="app.main", is_package=False, planned=planned) is None
