"""Registry and source-root paths that are not what they seem: symbolic-link loops,
dangling links and FIFOs are reported for what they are (exit 2, one line each), never
a crash, a "not found" or a silently smaller registry; a declaration repeated in two
files of a registry directory counts once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli

FILES = {"pkg/a.py": "import pkg.b\n", "pkg/b.py": "X = 1\n"}
REGISTRY = 'version = 1\n[project]\npackages = ["pkg"]\n'


def _loop(directory: Path, name: str) -> None:
    os.symlink(f"{name}.other", directory / name)
    os.symlink(name, directory / f"{name}.other")


def _errors(result_stderr: str) -> list[str]:
    lines = result_stderr.splitlines()
    assert lines and all(line.startswith("ssot-lint: error: ") for line in lines), result_stderr
    return lines


def test_registry_at_a_symlink_loop_says_so(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, packages=("pkg",))
    _loop(root, "reg.toml")
    result = run_cli(["check", "--no-cache", "--registry", "reg.toml"], root)
    assert_clean_exit(result, 2)
    [line] = _errors(result.stderr)
    assert "reg.toml: the registry path is a symbolic link loop" in line
    assert "not found" not in line


def test_dangling_registry_link_names_its_target(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, packages=("pkg",))
    os.symlink("gone.toml", root / "reg.toml")
    result = run_cli(["check", "--no-cache", "--registry", "reg.toml"], root)
    assert_clean_exit(result, 2)
    [line] = _errors(result.stderr)
    assert "is a symbolic link to 'gone.toml', which does not exist" in line


@pytest.mark.parametrize("command", [["check", "--no-cache"], ["check"], ["graph"],
                                     ["fix", "--diff"], ["registry", "verify"]], ids=" ".join)
def test_a_source_root_at_a_symlink_loop_is_exit_2(tmp_path: Path, command: list[str]) -> None:
    root = write_project(tmp_path / "proj", FILES,
                         'source_roots = ["src"]\n', packages=("pkg",))
    _loop(root, "src")
    result = run_cli(command, root)
    assert_clean_exit(result, 2)
    [line] = _errors(result.stderr)
    assert "[project.source_roots] source root 'src' is a symbolic link loop" in line


def test_every_unusable_toml_entry_of_a_registry_directory_is_reported(tmp_path: Path) -> None:
    """A dangling link, a looping link, a FIFO and a directory named *.toml: each is one
    error naming the entry (not its target); none is silently skipped."""
    root = write_project(tmp_path / "proj", FILES, packages=("pkg",))
    (root / "ssot-registry.toml").unlink()
    directory = root / "ssot-registry"
    directory.mkdir()
    (directory / "main.toml").write_text(REGISTRY)
    os.symlink("nowhere.toml", directory / "dangling.toml")
    _loop(directory, "loop.toml")
    os.mkfifo(directory / "pipe.toml")
    (directory / "dir.toml").mkdir()
    result = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(result, 2)
    lines = _errors(result.stderr)
    assert any("ssot-registry/dangling.toml: registry file is a symbolic link to "
               "'nowhere.toml', which does not exist" in line for line in lines), lines
    assert any("ssot-registry/loop.toml: registry file is a symbolic link loop" in line
               for line in lines), lines
    assert any("ssot-registry/pipe.toml: registry file is a FIFO" in line for line in lines)
    assert any("ssot-registry/dir.toml: registry file is a directory" in line for line in lines)


def test_an_identical_declaration_in_two_registry_files_counts_once(tmp_path: Path) -> None:
    contract = ('[[contracts]]\nname = "b stays below a"\nsource = ["pkg.b"]\n'
                'forbidden = ["pkg.a"]\n'
                '[[layers]]\nname = "stack"\norder = ["pkg.a", "pkg.b"]\n')
    root = write_project(tmp_path / "proj", {"pkg/a.py": "X = 1\n", "pkg/b.py": "import pkg.a\n"},
                         packages=("pkg",))
    (root / "ssot-registry.toml").unlink()
    directory = root / "ssot-registry"
    directory.mkdir()
    (directory / "one.toml").write_text(REGISTRY + contract)
    (directory / "two.toml").write_text("version = 1\n\n# the same, copied\n" + contract)
    result = run_cli(["check", "--no-cache", "--format", "json"], root)
    assert_clean_exit(result, 1)
    codes = sorted(f["code"] for f in result.json()["findings"])
    assert codes == ["SSOT202", "SSOT203"], codes
