"""A crash is not a verdict: exit 3, one line, the traceback only on request; an output
that cannot be written is exit 2 with one line, never a traceback.

Exit 1 means "findings". If a crash also exited 1, CI could not tell a broken tool from
a failing lint, so internal errors have their own code (docs/check.md#exit-codes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli

FILES = {"app/core/models.py": "class User: pass\n",
         "app/legacy/__init__.py": "from app.core.models import User\n",
         "svc/views.py": "from app.legacy import User\n"}
REGISTRY = '[symbols."app.core.models.User"]\naliases = ["app.legacy.User"]\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", FILES, REGISTRY, packages=("app", "svc"))


def _boom(*_args: object, **_kwargs: object) -> None:
    raise KeyError("a bug")


@pytest.mark.parametrize("debug", ["", "1"])
def test_an_internal_error_exits_3_with_one_line(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 debug: str) -> None:
    """A bug anywhere in a command (here: the check itself raising) is exit 3 and one
    line saying it is a bug and how to report it; SSOT_LINT_DEBUG=1 adds the traceback."""
    import ssot_lint.api

    monkeypatch.setattr(ssot_lint.api, "check", _boom)
    monkeypatch.setenv("SSOT_LINT_DEBUG", debug)
    result = run_cli(["check", "--no-cache"], project)
    assert result.exit_code == 3
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("ssot-lint: internal error: KeyError: 'a bug' -- this is a bug in "
                           "ssot-lint")
    assert "SSOT_LINT_DEBUG=1" in last
    if debug:
        assert "Traceback (most recent call last)" in result.stderr
        assert "_boom" in result.stderr
    else:
        assert result.stderr.count("\n") == 1


def _run(args: list[str], cwd: Path, stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=cwd,
                          stdout=stdout, stderr=subprocess.PIPE, text=True,  # type: ignore[arg-type]
                          timeout=300, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


COMMANDS = [["check", "--no-cache"], ["check", "--no-cache", "--format", "json"],
            ["registry", "init"], ["where", "app.core.models.User"], ["--version"]]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_error_line_and_exit_2(project: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = _run(args, project, full)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[-1] == ("ssot-lint: error: cannot write to standard output: "
                                            "No space left on device")
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_is_one_error_line_and_exit_2(project: Path, args: list[str]) -> None:
    """The reader went away before anything was written (``ssot-lint check | head -0``)."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = _run(args, project, write)
    finally:
        os.close(write)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[-1] == ("ssot-lint: error: cannot write to standard output: "
                                            "Broken pipe")
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_findings_still_exit_1_and_a_clean_run_0(project: Path) -> None:
    assert_clean_exit(run_cli(["check", "--no-cache"], project), 1)
    (project / "svc" / "views.py").write_text("from app.core.models import User\n")
    assert_clean_exit(run_cli(["check", "--no-cache"], project), 0)
