"""``fix`` reports what remains *after* the fix, for every file: a graph finding (an
import cycle) in a file fix did not touch disappears when a fix elsewhere breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.fix.run import fix
from ssot_lint.load.config import load_config
from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli

FILES = {
    "pkg/z.py": "from pkg.b import thing\n",  # deprecated: fix moves it to pkg.c
    "pkg/b.py": "import pkg.z\nthing = 1\n",  # never touched by fix; the cycle is reported here
    "pkg/c.py": "thing = 1\n",
}
REGISTRY = '[deprecated."pkg.b.thing"]\nuse_instead = "pkg.c.thing"\n'


@pytest.mark.parametrize("write", [False, True])
def test_a_cycle_broken_by_a_fix_no_longer_remains(tmp_path: Path, write: bool) -> None:
    root = write_project(tmp_path / "proj", FILES, REGISTRY, packages=("pkg",))
    config = load_config(root, overrides={"cache": False})
    result = fix([], config, write=write, cwd=root)
    assert [f.code for f in result.fixed] == ["SSOT111"]
    assert [(f.path, f.code) for f in result.remaining] == []


def test_the_remaining_count_is_what_check_finds_next(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, REGISTRY, packages=("pkg",))
    before = run_cli(["check", "--no-cache", "--format", "json"], root)
    assert sorted((f["path"], f["code"]) for f in before.json()["findings"]) == [
        ("pkg/b.py", "SSOT204"), ("pkg/z.py", "SSOT111")]
    fixed = run_cli(["fix"], root)
    assert_clean_exit(fixed, 0)
    assert fixed.stdout.endswith("Fixed 1 finding in 1 file; 0 findings remain.\n"), fixed.stdout
    assert_clean_exit(run_cli(["check", "--no-cache"], root), 0)
