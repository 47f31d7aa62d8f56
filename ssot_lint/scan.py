"""Read files and extract their facts. The only stage that touches file contents.

Kept separate from the engine so caching and parallelism live here without any rule
noticing. A scan goes: ``stat`` every file; files whose size, mtime and inode match
the cache take their facts from it unread; the rest are read and hashed, and those
whose content is already cached (a touched file, a fresh CI checkout) are not parsed
either; only what remains is extracted — in this process, in ``jobs`` worker
processes, or on a Dask cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lint.discover import SourceFile
from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.facts import FileFacts, SyntaxProblem

if TYPE_CHECKING:
    from ssot_lint.cache import FactsCache
    from ssot_lint.model.config import Config


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: where the cache is (None: no cache) and where extraction runs."""

    cache_dir: Path | None = None
    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None


def options_for(config: Config) -> ScanOptions:
    """The scan options a run's configuration asks for (cache on by default)."""
    from ssot_lint.cache import DEFAULT_CACHE_DIR
    from ssot_lint.parallel import available_cores

    cache_dir = None
    if config.cache:
        cache_dir = config.cache_dir or config.root / DEFAULT_CACHE_DIR
    return ScanOptions(cache_dir=cache_dir, jobs=config.jobs or available_cores(),
                       executor=config.executor, scheduler=config.scheduler)


def _too_big(size: int, max_file_size: int) -> FileFacts:
    return FileFacts(problem=SyntaxProblem(
        "SSOT002", f"file is {size:,} bytes, over max_file_size ({max_file_size:,}); "
        "raise max_file_size or exclude the file"))


def _unreadable(exc: OSError) -> FileFacts:
    if isinstance(exc, FileNotFoundError):
        return FileFacts(problem=SyntaxProblem("SSOT002", "file vanished while being checked"))
    return FileFacts(problem=SyntaxProblem(
        "SSOT002", f"cannot read file: {exc.strerror or exc}; check its permissions"))


def read_facts(source: SourceFile, target: tuple[int, int], max_file_size: int) -> FileFacts:
    """Facts for one file; read errors and oversized files become problems, not exceptions."""
    try:
        size = source.path.stat().st_size
        if size > max_file_size:
            return _too_big(size, max_file_size)
        data = source.path.read_bytes()
    except OSError as exc:
        return _unreadable(exc)
    return extract_facts(data, target)


def scan(files: Iterable[SourceFile], target: tuple[int, int], max_file_size: int,
         options: ScanOptions | None = None, root: Path | None = None) -> dict[str, FileFacts]:
    """Facts for every file, by ``SourceFile.rel``; identical whatever the options."""
    options = options or ScanOptions()
    files = list(files)
    if options.cache_dir is None:
        return _scan_uncached(files, target, max_file_size, options)
    from ssot_lint.cache import FactsCache

    cache = FactsCache.open(options.cache_dir, target)
    try:
        facts = _scan_cached(files, target, max_file_size, options, cache)
        cache.flush(under=str(root) + os.sep if root is not None else None)
    finally:
        cache.close()
        _report(cache.notes)
    return facts


def _scan_uncached(files: list[SourceFile], target: tuple[int, int], max_file_size: int,
                   options: ScanOptions) -> dict[str, FileFacts]:
    from ssot_lint.parallel import extract

    results: dict[str, FileFacts] = {}
    work: list[tuple[str, bytes]] = []
    for source in files:
        try:
            size = source.path.stat().st_size
            if size > max_file_size:
                results[source.rel] = _too_big(size, max_file_size)
                continue
            work.append((source.rel, source.path.read_bytes()))
        except OSError as exc:
            results[source.rel] = _unreadable(exc)
    extracted = extract(work, target, jobs=options.jobs, executor=options.executor,
                        scheduler=options.scheduler)
    for rel, (facts, _) in extracted.items():
        results[rel] = facts
    return {source.rel: results[source.rel] for source in files}


def _scan_cached(files: list[SourceFile], target: tuple[int, int], max_file_size: int,
                 options: ScanOptions, cache: FactsCache) -> dict[str, FileFacts]:
    from ssot_lint.cache import digest_of
    from ssot_lint.parallel import extract

    results: dict[str, FileFacts] = {}
    stats: dict[str, os.stat_result] = {}
    known: dict[str, str] = {}  # rel -> digest, from the stat fast path
    for source in files:
        try:
            stat = source.path.stat()
        except OSError as exc:
            results[source.rel] = _unreadable(exc)
            continue
        if stat.st_size > max_file_size:
            results[source.rel] = _too_big(stat.st_size, max_file_size)
            continue
        stats[source.rel] = stat
        digest = cache.known_digest(str(source.path), stat)
        if digest is not None:
            known[source.rel] = digest
    cached = cache.load(known.values())

    digests: dict[str, str] = {}  # rel -> digest of what was read this run
    contents: dict[str, bytes] = {}  # digest -> bytes still to extract
    for source in files:
        rel = source.rel
        if rel in results:
            continue
        if rel in known and known[rel] in cached:
            results[rel] = cached[known[rel]]
            continue
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            results[rel] = _unreadable(exc)
            continue
        digests[rel] = digest = digest_of(data)
        contents[digest] = data
    cached.update(cache.load(d for d in contents if d not in cached))
    work = sorted((d, data) for d, data in contents.items() if d not in cached)
    extracted = extract(work, target, jobs=options.jobs, executor=options.executor,
                        scheduler=options.scheduler, encode=cache.usable)

    for source in files:
        rel = source.rel
        if rel in known and known[rel] in cached:
            cache.remember(str(source.path), stats[rel], known[rel])
        if rel not in digests:
            continue
        digest = digests[rel]
        if digest in cached:
            results[rel] = cached[digest]
            cache.remember(str(source.path), stats[rel], digest)
        else:
            facts, encoded = extracted[digest]
            results[rel] = facts
            cache.remember(str(source.path), stats[rel], digest, encoded)
    return {source.rel: results[source.rel] for source in files}


def _report(notes: list[str]) -> None:
    """Tell the user (on stderr, via logging's last-resort handler) what the cache did."""
    if notes:
        import logging

        for note in notes:
            logging.getLogger("ssot_lint").warning("ssot-lint: warning: %s", note)
