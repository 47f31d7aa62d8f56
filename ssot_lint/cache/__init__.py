"""Reading a project: the one way every command gets its files and facts.

Everything that makes reading fast lives in this package — the facts cache
(``store``), the cached and parallel scan (``scan``, ``parallel``), the facts codec
(``codec``), the remembered walk (``discover_memo``) and remembered findings
(``results``) — and the rest of ssot-lint sees it only through this module:

- :func:`open_project` — a context manager yielding a :class:`Reading`: the
  ``Project`` (facts decoded lazily while the reading is open) and, with the cache
  on, a findings memo for the files a run reports on;
- :func:`build_project` — the same, with every fact decoded, for callers that keep
  the project after the cache is closed.

Both take the same inputs for every command (``check``, ``fix``, ``graph``,
``audit``, ``registry init``/``verify``, the editor server): the run's ``Config``
(cache on/off and directory, jobs, executor, target version, excludes), an
optional ``overlay`` of unsaved editor buffers, and an optional progress callback.
Whatever the options, the facts are the same as an uncached run's; the overlay's
texts are read instead of the disk and never stored as the disk's content.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lint.cache.scan import Overlay, Progress, ScanOptions, options_for, overlay_of, read_facts
from ssot_lint.discover import SourceFile, check_source_roots, discover
from ssot_lint.model.config import Config
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.project import Project

if TYPE_CHECKING:
    from ssot_lint.cache.registry_memo import RegistryMemo
    from ssot_lint.cache.results import ResultsMemo
    from ssot_lint.cache.scan import LazyFacts
    from ssot_lint.cache.store import FactsCache

__all__ = ["Buffers", "DiskView", "Progress", "Reading", "ScanOptions", "build_project",
           "open_project", "read_facts", "read_registry"]

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
    unlisted: tuple[str, ...] = ()  # directories discovery could not list
    excluded: tuple[str, ...] = ()  # excluded paths that could be modules


@dataclass
class Reading:
    """An open read of a project: its ``Project`` and what the cache knows about it."""

    project: Project
    cache: FactsCache | None = None
    digests: dict[str, str] = field(default_factory=dict)  # rel -> content digest
    interfaces: dict[str, str] = field(default_factory=dict)  # rel -> interface digest
    overlay: Overlay = field(default_factory=dict)  # path -> bytes read instead of the disk
    disk: DiskView | None = None  # what was read from the disk (cached reads only)
    lazy: LazyFacts | None = None  # the facts as read (cached reads only): a later seed

    def memo(self, selected: list[SourceFile], cwd: Path | None = None) -> ResultsMemo | None:
        """Remembered findings for a run reporting on ``selected`` (None: no cache)."""
        if self.cache is None:
            return None
        from ssot_lint.cache.results import ResultsMemo, project_keys, setting_key

        project = self.project
        # what could not be listed or was excluded changes findings (Project.hidden)
        # but not the files
        setting = setting_key(project.config, project.registry, cwd or Path.cwd()) + "".join(
            f"\nunlisted {rel}" for rel in project.unlisted) + "".join(
            f"\nexcluded {rel}" for rel in project.excluded)
        keys = project_keys(setting, project.files, self.interfaces,
                            project.registry.policy.cycle_imports == "all")
        return ResultsMemo(self.cache, keys, self.digests, self.interfaces, selected)


    def detach(self) -> Project:
        """The project with every fact decoded, usable after the reading is closed."""
        self.project.detach()
        return self.project


def note_unlisted(unlisted: list[tuple[str, str]]) -> tuple[str, ...]:
    """Say which directories could not be listed (their files were not checked, and
    imports of their modules are not reported missing: ``Project.hidden``); their paths."""
    from ssot_lint.cache.scan import report_notes

    report_notes([f"cannot list directory {rel} ({why}): its files are not checked and "
                  "imports of its modules are not reported as missing; make it readable"
                  for rel, why in sorted(unlisted)])
    return tuple(rel for rel, _ in unlisted)


def read_registry(config: Config) -> Registry:
    """The registry ``config`` names, for a command that reads nothing else (``where``).

    With the cache on, it comes through the registry memo (``registry_memo``) like
    every other command's; a fresh read is remembered only in a cache directory an
    earlier run made, so such a command never creates one.
    """
    options = options_for(config)
    if options.cache_dir is None:
        return _registry_for(config, None)
    from ssot_lint.cache.registry_memo import RegistryMemo, load_remembered
    from ssot_lint.cache.scan import report_notes
    from ssot_lint.cache.store import check_cache_directory

    check_cache_directory(options.cache_dir)
    memo = RegistryMemo(options.cache_dir)
    registry, key = load_remembered(config.registry_path, Path.cwd(), memo)
    if key is not None and options.cache_dir.is_dir():
        memo.remember(key, registry)
    report_notes(memo.notes)
    return registry


def _registry_for(config: Config, registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from ssot_lint.load.registry import load_registry

    return load_registry(config.registry_path, display_base=Path.cwd())


@contextmanager
def open_project(config: Config, *, registry: Registry | None = None,
                 overlay: Buffers | None = None, disk: DiskView | None = None,
                 progress: Progress | None = None, slim: bool = False,
                 seed: LazyFacts | None = None) -> Iterator[Reading]:
    """Discover and scan the project as ``config`` says; facts decode lazily inside.

    ``registry`` defaults to the one ``config`` names (``registry init`` passes one
    it made up). With ``slim``, facts kept in memory leave out references until a
    file is judged (``scan.LazyFacts``). New facts and remembered findings are
    written to the cache when the block ends normally. ``disk``: an earlier reading's
    view of the disk, trusted instead of walking and stat-ing (see :class:`DiskView`).
    ``seed``: an earlier reading's ``lazy`` facts, whose decoded rows are reused
    (``scan.LazyFacts``; for a long-lived caller such as the editor server).
    """
    buffers = overlay_of(overlay)
    options = options_for(config)
    memo: RegistryMemo | None = None
    memo_key: str | None = None
    if registry is None and options.cache_dir is not None:
        from ssot_lint.cache.registry_memo import RegistryMemo, load_remembered
        from ssot_lint.cache.store import check_cache_directory

        check_cache_directory(options.cache_dir)  # before the memo in it is read
        memo = RegistryMemo(options.cache_dir)
        registry, memo_key = load_remembered(config.registry_path, Path.cwd(), memo)
    registry = _registry_for(config, registry)
    check_source_roots(config.root, registry.source_roots)  # refused before writing anything
    if options.cache_dir is None:
        from ssot_lint.cache.scan import scan_uncached

        found: list[tuple[str, str]] = []
        pruned: list[str] = []
        files = discover(config.root, registry.source_roots, exclude=config.exclude,
                         respect_gitignore=config.respect_gitignore, unlisted=found,
                         excluded=pruned)
        unlisted = note_unlisted(found)
        facts = scan_uncached(files, config.target_version, config.max_file_size, options,
                              overlay=buffers, progress=progress)
        yield Reading(Project(config=config, registry=registry, files=files, facts=facts,
                              unlisted=unlisted, excluded=tuple(sorted(pruned))),
                      overlay=buffers)
        return
    from ssot_lint.cache.discover_memo import discover_remembered
    from ssot_lint.cache.results import code_fingerprint
    from ssot_lint.cache.scan import report_notes, scan_cached
    from ssot_lint.cache.store import FactsCache

    cache = FactsCache.open(options.cache_dir, config.target_version)
    if memo is not None:
        if memo_key is not None and options.cache_dir.is_dir():  # checked and made by open
            memo.remember(memo_key, registry)
        cache.notes.extend(memo.notes)
    under = str(config.root) + os.sep
    try:
        if disk is not None:
            files, unlisted, excluded = disk.files, disk.unlisted, disk.excluded
        else:
            found = []
            pruned = []
            files = discover_remembered(config.root, registry.source_roots,
                                        exclude=config.exclude,
                                        respect_gitignore=config.respect_gitignore, cache=cache,
                                        code=code_fingerprint(), unlisted=found,
                                        excluded=pruned)
            unlisted = note_unlisted(found)
            excluded = tuple(sorted(pruned))
        scanned = scan_cached(files, config.target_version, config.max_file_size, options,
                              cache, slim=slim, overlay=buffers,
                              trusted=disk.scanned if disk is not None else None,
                              progress=progress, seed=seed)
        cache.flush(under=under)  # new facts to disk, out of memory
        project = Project(config=config, registry=registry, files=files, facts=scanned.facts,
                          unlisted=unlisted, excluded=excluded)
        yield Reading(project, cache, scanned.digests, scanned.interfaces, buffers,
                      DiskView(files, scanned.on_disk(), unlisted, excluded), scanned.facts)
        cache.flush(under=under)
    finally:
        cache.close()
        report_notes(cache.notes)


def build_project(config: Config, registry: Registry | None = None, *,
                  overlay: Buffers | None = None,
                  progress: Progress | None = None) -> Project:
    """The whole project with every file's facts in memory (see :func:`open_project`)."""
    with open_project(config, registry=registry, overlay=overlay, progress=progress) as reading:
        return reading.detach()
