"""The file system is hostile too: links, pipes, permissions, races, odd names.

Every case runs the real CLI (or, for the race, the real discovery and scan stages with
the file removed in between) and asserts that the run finishes with a finding or a clean
skip, never a traceback or a hang.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.cache.scan import scan
from ssot_lint.discover import discover
from ssot_lint.load.config import load_config
from tests.conftest import write_project
from tests.trust._cli import CliResult, assert_clean_exit, run_cli, run_cli_subprocess
from tests.trust._privileges import obey_file_modes

HEALTHY = {"pkg/healthy.py": "import pkg.really_missing\n"}


def _paths(stdout: str) -> list[str]:
    return sorted({line.split(":", 1)[0] for line in stdout.splitlines() if ": SSOT" in line})


def test_symlink_loops_are_skipped(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", HEALTHY)
    os.symlink("..", root / "pkg" / "parent_loop")  # a directory loop
    os.symlink("loop_b.py", root / "pkg" / "loop_a.py")  # a file loop a -> b -> a
    os.symlink("loop_a.py", root / "pkg" / "loop_b.py")
    os.symlink("nowhere.py", root / "pkg" / "dangling.py")
    result = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(result, 1)
    assert _paths(result.stdout) == ["pkg/healthy.py"]
    assert "in 1 of 2 files" in result.stdout  # healthy.py and pkg/__init__.py


def test_symlinks_out_of_the_project_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("import pkg.missing_outside\n")
    root = write_project(tmp_path / "proj",
                         {**HEALTHY, "pkg/real.py": "import pkg.missing_inside\n"})
    os.symlink(outside / "secret.py", root / "pkg" / "linked_file.py")
    os.symlink(outside, root / "pkg" / "linked_dir")
    os.symlink("real.py", root / "pkg" / "alias.py")  # a link inside the project is fine
    result = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(result, 1)
    assert _paths(result.stdout) == ["pkg/alias.py", "pkg/healthy.py", "pkg/real.py"]
    assert "missing_outside" not in result.stdout


def test_a_fifo_named_py_does_not_hang_the_run(tmp_path: Path) -> None:
    """Reading a FIFO blocks until a writer comes: discovery must not hand it to the reader."""
    root = write_project(tmp_path / "proj", HEALTHY)
    os.mkfifo(root / "pkg" / "pipe.py")
    result = run_cli_subprocess(["check", "--no-cache"], root, timeout=120)
    assert_clean_exit(result, 1)
    assert _paths(result.stdout) == ["pkg/healthy.py"]


def test_a_file_that_vanishes_after_discovery_is_a_finding(tmp_path: Path) -> None:
    """Discovery and reading are separate stages; a file deleted in between (an editor's
    swap file, a branch switch) must be reported, with or without the facts cache."""
    root = write_project(tmp_path / "proj", {**HEALTHY, "pkg/gone.py": "x = 1\n"})
    config = load_config(root)
    files = discover(root, (".",))
    assert [f.rel for f in files] == ["pkg/__init__.py", "pkg/gone.py", "pkg/healthy.py"]
    (root / "pkg" / "gone.py").unlink()
    for facts in (scan(files, config.target_version, config.max_file_size),
                  scan(files, config.target_version, config.max_file_size,
                       _cached_options(tmp_path / "cache"), root=root)):
        problem = facts["pkg/gone.py"].problem
        assert problem is not None
        assert (problem.code, problem.message) == ("SSOT002", "file vanished while being checked")
        assert facts["pkg/healthy.py"].problem is None


def _cached_options(cache_dir: Path) -> object:
    from ssot_lint.cache.scan import ScanOptions

    return ScanOptions(cache_dir=cache_dir, jobs=1)


def test_an_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    """``chmod 000`` does not stop root, and these tests often run as root: the CLI runs in
    a child that obeys file modes (see _privileges.py), so the file is unreadable through
    the very kernel check an ordinary user meets. No mock stands in for the file system."""
    root = write_project(tmp_path / "proj", {**HEALTHY, "pkg/locked.py": "x = 1\n"})
    locked = root / "pkg" / "locked.py"
    locked.chmod(0)
    proc = subprocess.run([sys.executable, "-m", "ssot_lint", "check", "--no-cache"], cwd=root,
                          capture_output=True, text=True, preexec_fn=obey_file_modes(),
                          timeout=300,
                          check=False)
    result = CliResult(proc.returncode, proc.stdout, proc.stderr)
    assert_clean_exit(result, 1)
    lines = [line for line in result.stdout.splitlines() if ": SSOT" in line]
    assert lines == [
        "pkg/healthy.py:1:8: SSOT102 module `pkg.really_missing` does not exist",
        "pkg/locked.py:1:1: SSOT002 cannot read file: Permission denied; check its permissions",
    ]
    assert stat.S_IMODE(locked.stat().st_mode) == 0  # untouched


def test_max_file_size_option_and_config_key(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {**HEALTHY, "pkg/big.py": "x = 1\n" * 200})
    result = run_cli(["check", "--no-cache", "--max-file-size", "1000"], root)
    assert_clean_exit(result, 1)
    assert ("pkg/big.py:1:1: SSOT002 file is 1,200 bytes, over max_file_size (1,000); raise "
            "max_file_size or exclude the file") in result.stdout.splitlines()
    (root / "pyproject.toml").write_text("[tool.ssot-lint]\nmax_file_size = 1000\n")
    assert "pkg/big.py:1:1: SSOT002" in run_cli(["check", "--no-cache"], root).stdout
    # the command line wins over the config file
    assert "pkg/big.py" not in run_cli(["check", "--no-cache", "--max-file-size", "5000"],
                                       root).stdout
    bad = run_cli(["check", "--max-file-size", "0"], root)
    assert_clean_exit(bad, 2)
    assert "--max-file-size" in bad.stderr
    (root / "pyproject.toml").write_text("[tool.ssot-lint]\nmax_file_size = \"big\"\n")
    bad = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(bad, 2)
    assert ("pyproject.toml:2: [tool.ssot-lint.max_file_size] expected a positive number"
            in bad.stderr)


def test_a_named_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", HEALTHY)
    result = run_cli(["check", "pkg/nope.py"], root)
    assert_clean_exit(result, 2)
    assert "pkg/nope.py" in result.stderr


@pytest.mark.parametrize("command", [["check"], ["fix"], ["graph"], ["fix", "--diff"]],
                         ids=" ".join)
def test_a_symlink_loop_named_on_the_command_line_is_a_usage_error(tmp_path: Path,
                                                                   command: list[str]) -> None:
    """``Path.resolve`` raises RuntimeError on a loop (before Python 3.13): it must become
    exit 2 with the path, not a traceback."""
    root = write_project(tmp_path / "proj", HEALTHY)
    os.symlink("loop_b.py", root / "pkg" / "loop_a.py")
    os.symlink("loop_a.py", root / "pkg" / "loop_b.py")
    result = run_cli([*command, "pkg/loop_a.py"], root)
    assert_clean_exit(result, 2)
    assert result.stderr == ("ssot-lint: error: path is a broken or looping symbolic link: "
                             "pkg/loop_a.py\n")
    looped_registry = run_cli(["check", "--registry", "pkg/loop_a.py"], root)
    assert_clean_exit(looped_registry, 2)
    assert "the registry path is a symbolic link loop" in looped_registry.stderr


def test_invalid_gitignore_lines_are_skipped_like_git_does(tmp_path: Path) -> None:
    """black's sdist ships test .gitignore files with ``!`` lines; pathspec rejects them
    (found by the ecosystem run). git skips such lines; so does discovery."""
    root = write_project(tmp_path / "proj", {**HEALTHY, "pkg/skipped.py": "import pkg.gone\n"})
    (root / "pkg" / ".gitignore").write_text("!\n\\\n[z-a]\nskipped.py\n")
    for command in (["check", "--no-cache"], ["graph"], ["fix", "--diff"]):
        result = run_cli(command, root)
        assert_clean_exit(result, 0, 1)
        assert "skipped.py" not in result.stdout
    assert _paths(run_cli(["check", "--no-cache"], root).stdout) == ["pkg/healthy.py"]


def test_an_invalid_exclude_pattern_is_a_usage_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", HEALTHY)
    result = run_cli(["check", "--exclude", "!"], root)
    assert_clean_exit(result, 2)
    assert result.stderr == ("ssot-lint: error: invalid exclude pattern '!': not a "
                             "gitignore-style pattern\n")
