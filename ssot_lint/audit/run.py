"""Analyse the project for an audit, reporting progress as files are read and checked.

The audit is the long run users start by hand on a whole monorepo, so it reports
progress through a callback; the command decides whether a bar is drawn (only on a
terminal, never in CI logs or pipes). Reading goes through ``ssot_lint.cache`` with the run's
options, so the facts cache and parallel extraction serve the audit too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ssot_lint.api import remembered_run, select_files
from ssot_lint.cache import Progress, open_project
from ssot_lint.discover import SourceFile
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project


@dataclass
class AuditRun:
    """The analysed project, the files reported on, and their findings (sorted)."""

    project: Project
    files: list[SourceFile]
    findings: list[Finding]


def analyse(paths: Sequence[Path], config: Config, *, cwd: Path | None = None,
            progress: Progress | None = None) -> AuditRun:
    """Read the whole project, then run every enabled rule over the files under ``paths``.

    The project is read as every command reads it (``ssot_lint.cache``), the progress
    callback seeing files as they are read.
    """
    with open_project(config, progress=progress) as reading:
        chosen = select_files(reading.project, paths)
        findings, _ = remembered_run(reading, chosen, cwd=cwd, progress=progress)
        project = reading.detach()  # the report reads every file's facts
    return AuditRun(project=project, files=chosen, findings=findings)
