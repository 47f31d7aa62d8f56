"""Analyse the project for an audit, reporting progress as files are read and checked.

The audit is the long run users start by hand on a whole monorepo, so it reports
progress through a callback; the command decides whether a bar is drawn (only on a
terminal, never in CI logs or pipes). Reading goes through ``scan`` in chunks, so a
facts cache or parallel extraction added there benefits the audit too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ssot_lint.api import select_files
from ssot_lint.discover import SourceFile, discover
from ssot_lint.engine import run_rules
from ssot_lint.load.registry import load_registry
from ssot_lint.model.config import Config
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.scan import scan

# (phase, done, total): phase is "reading" or "checking".
Progress = Callable[[str, int, int], None]
CHUNK = 64


@dataclass
class AuditRun:
    """The analysed project, the files reported on, and their findings (sorted)."""

    project: Project
    files: list[SourceFile]
    findings: list[Finding]


def _no_progress(phase: str, done: int, total: int) -> None:
    """Default callback: report nothing."""


def analyse(paths: Sequence[Path], config: Config, *, cwd: Path | None = None,
            progress: Progress = _no_progress) -> AuditRun:
    """Read the whole project, then run every enabled rule over the files under ``paths``."""
    registry = load_registry(config.registry_path, display_base=Path.cwd())
    files = discover(config.root, registry.source_roots, exclude=config.exclude,
                     respect_gitignore=config.respect_gitignore)
    facts: dict[str, FileFacts] = {}
    total = len(files)
    progress("reading", 0, total)
    for start in range(0, total, CHUNK):
        chunk = files[start:start + CHUNK]
        facts.update(scan(chunk, config.target_version, config.max_file_size))
        progress("reading", min(start + CHUNK, total), total)
    project = Project(config=config, registry=registry, files=files, facts=facts)
    chosen = select_files(project, paths)
    progress("checking", 0, len(chosen))
    findings = run_rules(project, _counted(chosen, progress), config.select, config.ignore,
                         cwd=cwd)
    return AuditRun(project=project, files=chosen, findings=findings)


def _counted(files: list[SourceFile], progress: Progress) -> Iterator[SourceFile]:
    """Yield ``files`` and report each one as done once the engine moves past it."""
    total = len(files)
    for done, source in enumerate(files, start=1):
        yield source
        if done % CHUNK == 0 or done == total:
            progress("checking", done, total)
