"""Run the real ``ssot-lint`` entry point and capture what a user would see.

``run_cli`` calls ``ssot_lint.cli.main`` in this process (cheap, and any exception
that escapes it fails the test with its traceback); ``run_cli_subprocess`` starts
``python -m ssot_lint`` like a shell would, for the tests whose promise is about the
whole process (no traceback on stderr, no side effects).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssot_lint.cli import main


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    def findings_at(self, path: str) -> list[tuple[int, str]]:
        """(line, code) of the JSON findings for ``path``."""
        return [(f["line"], f["code"]) for f in self.json()["findings"] if f["path"] == path]


def assert_clean_exit(result: CliResult, *codes: int) -> None:
    """The run ended with one of ``codes`` and printed no Python traceback."""
    assert "Traceback (most recent call last)" not in result.stderr + result.stdout, result.stderr
    assert result.exit_code in codes, (result.exit_code, result.stdout[-2000:], result.stderr)


def run_cli(args: list[str], cwd: Path) -> CliResult:
    """``ssot-lint ARGS`` in ``cwd``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    code: int | str | None = 0
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
            except SystemExit as exc:
                code = exc.code
    finally:
        os.chdir(previous)
    return CliResult(exit_code=code if isinstance(code, int) else 1,
                     stdout=out.getvalue(), stderr=err.getvalue())


def run_cli_subprocess(args: list[str], cwd: Path, *, env: dict[str, str] | None = None,
                       timeout: float = 600, runner: list[str] | None = None) -> CliResult:
    """``python -m ssot_lint ARGS`` (or ``runner + ARGS``) in ``cwd``, as a new process."""
    command = (runner or [sys.executable, "-m", "ssot_lint"]) + args
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=full_env, timeout=timeout, check=False)
    return CliResult(exit_code=proc.returncode, stdout=proc.stdout, stderr=proc.stderr)
