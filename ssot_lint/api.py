"""The composition root: build config, registry, project and run a command.

The CLI is a thin layer over these functions; Python callers (and tests) can use
them directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssot_lint.discover import SourceFile, check_source_roots, discover, source_file_for
from ssot_lint.engine import run_rules
from ssot_lint.errors import ConfigError
from ssot_lint.load.config import load_config
from ssot_lint.load.registry import load_registry
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.project import Project
from ssot_lint.scan import Overlay, options_for, overlay_of, read_facts, scan

Buffers = Mapping[Path | str, str]
"""Unsaved editor buffers: text by path, checked instead of the files on disk."""


@dataclass(frozen=True)
class DiskView:
    """What a cached check read from the disk: the files, and each one's digest and
    interface. Handed to the next check (``disk=``), it skips discovery and the ``stat``
    of every file — only for a caller that is told when the disk changes (the editor
    server, by the client's file events); a command always looks."""

    files: list[SourceFile]
    scanned: dict[str, tuple[str, str]]


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


def build_project(config: Config, registry: Registry | None = None, *,
                  overlay: Buffers | None = None) -> Project:
    """Discover and extract facts for every file of the project.

    ``overlay``: unsaved buffers read instead of the disk (the editor server's view).
    """
    registry = registry or load_registry(config.registry_path, display_base=Path.cwd())
    files = discover(config.root, registry.source_roots, exclude=config.exclude,
                     respect_gitignore=config.respect_gitignore)
    facts = scan(files, config.target_version, config.max_file_size, options_for(config),
                 root=config.root, overlay=overlay_of(overlay))
    return Project(config=config, registry=registry, files=files, facts=facts)


def select_files(project: Project, paths: Sequence[Path],
                 overlay: Overlay | None = None) -> list[SourceFile]:
    """The files to report on: the project's files under ``paths`` plus explicit files."""
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
                project.facts[source.rel] = read_facts(source, project.config.target_version,
                                                       project.config.max_file_size, overlay)
            chosen[source.rel] = source
            continue
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


def check(paths: Sequence[Path], config: Config, *,
          overlay: Buffers | None = None, disk: DiskView | None = None) -> CheckResult:
    """Findings for ``paths`` (default: the project), judged against the whole project.

    With the cache on, findings are remembered too (``ssot_lint.results``): a run
    re-checks only the files an edit can have changed, and decodes only the facts it
    needs. The answer is the same as an uncached run's, always. ``overlay``: unsaved
    buffers checked instead of the files on disk (never remembered as their content);
    ``disk``: the ``extra["disk"]`` of an earlier check, when nothing changed on disk since.
    """
    buffers = overlay_of(overlay)
    if not config.cache:
        project = build_project(config, overlay=overlay)
        files = select_files(project, paths, buffers)
        findings = run_rules(project, files, config.select, config.ignore)
        return CheckResult(findings=findings, files_checked=len(files), project=project)
    from ssot_lint.cache import FactsCache
    from ssot_lint.discover_memo import discover_remembered
    from ssot_lint.results import ResultsMemo, code_fingerprint, project_keys, setting_key
    from ssot_lint.scan import report_notes, scan_cached

    registry = load_registry(config.registry_path, display_base=Path.cwd())
    check_source_roots(config.root, registry.source_roots)  # refused before writing anything
    options = options_for(config)
    assert options.cache_dir is not None
    cache = FactsCache.open(options.cache_dir, config.target_version)
    try:
        if disk is not None:
            files = disk.files
        else:
            files = discover_remembered(config.root, registry.source_roots,
                                        exclude=config.exclude,
                                        respect_gitignore=config.respect_gitignore, cache=cache,
                                        code=code_fingerprint())
        scanned = scan_cached(files, config.target_version, config.max_file_size, options, cache,
                              slim=True, overlay=buffers,
                              trusted=disk.scanned if disk is not None else None)
        cache.flush(under=str(config.root) + os.sep)  # new facts to disk, out of memory
        project = Project(config=config, registry=registry, files=files, facts=scanned.facts)
        selected = select_files(project, paths, buffers)
        keys = project_keys(setting_key(config, registry, Path.cwd()), files,
                            scanned.interfaces, registry.policy.cycle_imports == "all")
        memo = ResultsMemo(cache, keys, scanned.digests, scanned.interfaces, selected)
        replayed = memo.whole()
        if replayed is not None:
            findings = replayed
        else:
            memo.prepare(project)
            findings = run_rules(project, selected, config.select, config.ignore, memo=memo)
            memo.remember_whole(findings)
            memo.save(project)
        cache.flush(under=str(config.root) + os.sep)
    finally:
        cache.close()
        report_notes(cache.notes)
    return CheckResult(findings=findings, files_checked=len(selected), project=project,
                       extra={"remembered": memo.reused,
                              "disk": DiskView(files, scanned.on_disk())})
