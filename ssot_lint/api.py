"""The composition root: build config, registry, project and run a command.

The CLI is a thin layer over these functions; Python callers (and tests) can use
them directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssot_lint.cache import (
    Buffers,
    DiskView,
    Progress,
    Reading,
    build_project,
    open_project,
    read_facts,
)
from ssot_lint.cache.scan import Overlay
from ssot_lint.discover import SourceFile, source_file_for
from ssot_lint.engine import run_rules
from ssot_lint.errors import ConfigError
from ssot_lint.load.config import load_config
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.project import Project

if TYPE_CHECKING:
    from ssot_lint.cache.results import ResultsMemo
    from ssot_lint.cache.scan import LazyFacts

__all__ = ["Buffers", "CheckResult", "DiskView", "Progress", "Reading", "build_project",
           "check", "open_project", "remembered_run", "resolve_config", "select_files"]


@dataclass
class CheckResult:
    findings: list[Finding]
    files_checked: int
    project: Project
    extra: dict[str, Any] = field(default_factory=dict)


def resolve_config(paths: Sequence[Path], *, config_file: Path | None = None,
                   registry: Path | None = None, **overrides: Any) -> Config:
    start = paths[0] if paths else Path.cwd()
    return load_config(start, config_file=config_file, registry=registry, overrides=overrides)


def select_files(project: Project, paths: Sequence[Path],
                 overlay: Overlay | None = None) -> list[SourceFile]:
    """The files to report on: the project's files under ``paths`` plus explicit files
    (a named file may exist only as an unsaved buffer in ``overlay``)."""
    if not paths:
        return list(project.files)
    chosen: dict[str, SourceFile] = {}
    root = os.path.realpath(project.config.root)
    for raw in paths:
        path = Path(os.path.realpath(raw))  # never raises, even on a symlink loop
        if not path.exists() and str(path) not in (overlay or {}):
            if raw.is_symlink():
                raise ConfigError(f"path is a broken or looping symbolic link: {raw}")
            raise ConfigError(f"path does not exist: {raw}")
        if str(path) == root and path.is_dir():
            # The whole project: discovery follows no link out of the root, so every
            # file's real path is under it (the common `ssot-lint check .`).
            chosen.update((source.rel, source) for source in project.files)
            continue
        if path.is_file() or str(path) in (overlay or {}):
            # Named by its own (real) path, a project file is found by its place under
            # the root; only a symlinked file needs every file's real path.
            source = _file_at(project, path, root) or _files_by_real_path(project).get(str(path))
            if source is None:
                source = source_file_for(path, project.config.root,
                                         project.registry.source_roots)
                project.add_facts(source.rel, read_facts(source, project.config.target_version,
                                                         project.config.max_file_size, overlay))
            chosen[source.rel] = source
            continue
        if not path.is_dir():  # a FIFO, device or socket named explicitly: say so
            from ssot_lint.files import kind_of

            raise ConfigError(f"{raw} is {kind_of(path.stat().st_mode)}, not a Python file or "
                              "a directory; name files and directories to check")
        inside = os.path.join(str(path), "")
        for real, source in _files_by_real_path(project).items():
            if real.startswith(inside):
                chosen[source.rel] = source
    return sorted(chosen.values(), key=lambda f: f.rel)


def _file_at(project: Project, path: Path, root: str) -> SourceFile | None:
    """The project file whose path is ``path`` (a real path), if any."""
    if not str(path).startswith(os.path.join(root, "")):
        return None
    by_rel = project.shared.get("files-by-rel")
    if by_rel is None:
        by_rel = project.shared["files-by-rel"] = {f.rel: f for f in project.files}
    assert isinstance(by_rel, dict)
    source = by_rel.get(Path(os.path.relpath(path, root)).as_posix())
    return source if source is not None and str(source.path) == str(path) else None


def _files_by_real_path(project: Project) -> dict[str, SourceFile]:
    """The project's files by real path, built once per project.

    Discovery descends no symlinked directory under the (resolved) root, so only a
    symlinked file itself needs realpath: one lstat per file, not one per component.
    """
    by_path = project.shared.get("files-by-real-path")
    if by_path is None:
        by_path = project.shared["files-by-real-path"] = {
            os.path.realpath(f.path) if os.path.islink(f.path) else str(f.path): f
            for f in project.files}
    assert isinstance(by_path, dict)
    return by_path


def check(paths: Sequence[Path], config: Config, *, overlay: Buffers | None = None,
          disk: DiskView | None = None, progress: Progress | None = None,
          registry: Registry | None = None, seed: LazyFacts | None = None) -> CheckResult:
    """Findings for ``paths`` (default: the project), judged against the whole project.

    A short composition: read the project (``ssot_lint.cache.open_project``), choose
    the files to report on, run the rules through the remembered findings. With the
    cache on, a run re-checks only the files an edit can have changed, and decodes
    only the facts it needs; the answer is the same as an uncached run's, always.
    ``overlay``: unsaved buffers checked instead of the files on disk (never
    remembered as their content); ``disk``: the ``extra["disk"]`` of an earlier check,
    when nothing changed on disk since (the editor server); ``seed``: the
    ``extra["facts"]`` of an earlier check, whose decoded facts are reused where the
    bytes are the same (exact whatever changed since: facts depend on the bytes only).
    """
    with open_project(config, registry=registry, overlay=overlay, disk=disk,
                      progress=progress, slim=True, seed=seed) as reading:
        selected = select_files(reading.project, paths, reading.overlay)
        findings, reused = remembered_run(reading, selected, progress=progress)
    extra: dict[str, Any] = {"remembered": reused}
    if reading.disk is not None:
        extra["disk"] = reading.disk
    if reading.lazy is not None:
        extra["facts"] = reading.lazy
    return CheckResult(findings=findings, files_checked=len(selected), project=reading.project,
                       extra=extra)


def remembered_run(reading: Reading, files: list[SourceFile], *, cwd: Path | None = None,
                   progress: Progress | None = None,
                   memo: ResultsMemo | None = None) -> tuple[list[Finding], int]:
    """The findings for ``files`` of an open reading, and how many files were replayed.

    Every command that reports findings (``check``, ``fix``, ``audit``) runs the rules
    through here, so each reuses what the others remembered: a run that changes
    nothing is one query, an edit re-judges only what it can have changed.
    """
    config = reading.project.config
    memo = memo or reading.memo(files, cwd)
    if memo is not None:
        found = memo.whole()
        if found is not None:
            return found, memo.reused
        memo.prepare(reading.project)
    found = run_rules(reading.project, counted(files, progress), config.select, config.ignore,
                      cwd, memo=memo)
    if memo is None:
        return found, 0
    memo.remember_whole(found)
    memo.save(reading.project)
    return found, memo.reused


def counted(files: list[SourceFile], progress: Progress | None,
            every: int = 64) -> Iterable[SourceFile]:
    """Yield ``files``, reporting ("checking", done, total) as the engine moves past them."""
    if progress is None:
        yield from files
        return
    total = len(files)
    progress("checking", 0, total)
    for done, source in enumerate(files, start=1):
        yield source
        if done % every == 0 or done == total:
            progress("checking", done, total)
