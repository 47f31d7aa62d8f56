"""Run the real ``ssot-lint`` command line in-process or as a subprocess.

In-process runs go through ``ssot_lint.cli.main`` (the console entry point, which
maps errors to exit codes), so exit codes and output are exactly what a user sees.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).resolve().parent / "scenarios"


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_main(args: list[str], cwd: Path) -> Result:
    """``ssot-lint ARGS`` in ``cwd``, in this process."""
    from ssot_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


def run_module(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Result:
    """``python -m ssot_lint ARGS`` in ``cwd``, as a separate process."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=cwd,
                          capture_output=True, text=True, env=environment, timeout=600)
    return Result(done.returncode, done.stdout, done.stderr)


def copy_project(name: str, destination: Path) -> Path:
    """A fresh copy of scenario ``name``'s project (runs may write caches into it)."""
    target = destination / name
    shutil.copytree(SCENARIOS / name / "project", target)
    return target
