"""Analyse the project for an audit, reporting progress as files are read and checked.

The audit is the long run users start by hand on a whole monorepo, so it reports
progress through a callback; the command decides whether a bar is drawn (only on a
terminal, never in CI logs or pipes). Reading goes through ``scan`` with the run's
scan options, so the facts cache and parallel extraction serve the audit too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ssot_lint.api import build_project, note_unlisted, select_files
from ssot_lint.discover import SourceFile, discover
from ssot_lint.engine import run_rules
from ssot_lint.load.registry import load_registry
from ssot_lint.model.config import Config
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.scan import options_for, scan

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
            progress: Progress | None = None) -> AuditRun:
    """Read the whole project, then run every enabled rule over the files under ``paths``.

    Without a progress callback the project is built exactly as ``check`` builds it.
    With one, files are scanned in about twenty slices so the bar moves; a slice is
    scanned without ``root``, so it never tells the facts cache that the files of
    the other slices have vanished.
    """
    if progress is None:
        project = build_project(config)
    else:
        registry = load_registry(config.registry_path, display_base=Path.cwd())
        unlisted: list[tuple[str, str]] = []
        files = discover(config.root, registry.source_roots, exclude=config.exclude,
                         respect_gitignore=config.respect_gitignore, unlisted=unlisted)
        note_unlisted(unlisted)
        options = options_for(config)
        facts: dict[str, FileFacts] = {}
        total = len(files)
        step = max(CHUNK, -(-total // 20))
        progress("reading", 0, total)
        for start in range(0, total, step):
            facts.update(scan(files[start:start + step], config.target_version,
                              config.max_file_size, options))
            progress("reading", min(start + step, total), total)
        project = Project(config=config, registry=registry, files=files, facts=facts,
                          unlisted=tuple(rel for rel, _ in unlisted))
    chosen = select_files(project, paths)
    report = progress or _no_progress
    report("checking", 0, len(chosen))
    findings = run_rules(project, _counted(chosen, report), config.select, config.ignore,
                         cwd=cwd)
    return AuditRun(project=project, files=chosen, findings=findings)


def _counted(files: list[SourceFile], progress: Progress) -> Iterator[SourceFile]:
    """Yield ``files`` and report each one as done once the engine moves past it."""
    total = len(files)
    for done, source in enumerate(files, start=1):
        yield source
        if done % CHUNK == 0 or done == total:
            progress("checking", done, total)
