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
from collections.abc import (
    Callable,
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    ValuesView,
)
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssot_lint.discover import SourceFile
from ssot_lint.files import RefusedPath, TooLarge, read_bytes
from ssot_lint.model.facts import FileFacts, SyntaxProblem

if TYPE_CHECKING:
    from ssot_lint.cache.parallel import Extracted
    from ssot_lint.cache.store import FactsCache
    from ssot_lint.model.config import Config


# (phase, done, total): phase is "reading" (facts) or "checking" (rules).
Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    """Default progress callback: report nothing."""


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: where the cache is (None: no cache) and where extraction runs."""

    cache_dir: Path | None = None
    jobs: int | None = 1  # None: the cores available (resolved only if anything is extracted)
    executor: str = "local"
    scheduler: str | None = None


def options_for(config: Config) -> ScanOptions:
    """The scan options a run's configuration asks for (cache on by default)."""
    from ssot_lint.cache.store import DEFAULT_CACHE_DIR
    cache_dir = None
    if config.cache:
        cache_dir = config.cache_dir or config.root / DEFAULT_CACHE_DIR
    return ScanOptions(cache_dir=cache_dir, jobs=config.jobs,
                       executor=config.executor, scheduler=config.scheduler)


def _jobs(options: ScanOptions) -> int:
    from ssot_lint.cache.parallel import available_cores  # imported only when extracting

    return options.jobs or available_cores()


def _too_big(size: int, max_file_size: int) -> FileFacts:
    return FileFacts(problem=SyntaxProblem(
        "SSOT002", f"file is {size:,} bytes, over max_file_size ({max_file_size:,}); "
        "raise max_file_size or exclude the file"))


def _unreadable(exc: OSError) -> FileFacts:
    if isinstance(exc, TooLarge):
        return _too_big(exc.size, exc.limit)
    if isinstance(exc, RefusedPath):  # a FIFO, device or socket where a file was
        return FileFacts(problem=SyntaxProblem("SSOT002", f"{exc.strerror}; a source file "
                                               "must be a regular file"))
    if isinstance(exc, FileNotFoundError):
        return FileFacts(problem=SyntaxProblem("SSOT002", "file vanished while being checked"))
    return FileFacts(problem=SyntaxProblem(
        "SSOT002", f"cannot read file: {exc.strerror or exc}; check its permissions"))


Overlay = Mapping[str, bytes]
"""Unsaved buffers: bytes by real absolute path, read instead of the file on disk.

An editor's buffer is checked as it is, but it is not the file: its facts are never
remembered as the path's content (the cache's stat entry keeps describing the disk).
"""


def overlay_of(buffers: Mapping[Path | str, str] | None) -> Overlay:
    """Buffers by any path spelling -> ``Overlay``: UTF-8 bytes under both the absolute
    and the real path, so a file is found by its discovered path without resolving
    every file's links (a ``realpath`` per file per keystroke is most of a check)."""
    overlay: dict[str, bytes] = {}
    for path, text in (buffers or {}).items():
        # a lone surrogate (an editor can hold one) becomes bytes that are not UTF-8,
        # so the buffer gets the file's finding for them instead of failing the check
        data = text.encode("utf-8", "surrogatepass")
        overlay[os.path.abspath(path)] = overlay[os.path.realpath(path)] = data
    return overlay


def _overlaid(source: SourceFile, overlay: Overlay | None) -> bytes | None:
    return overlay.get(str(source.path)) if overlay else None


# A compiled extension or Cython source is never read: it exists, its names are unknown.
OPAQUE = FileFacts(opaque=True)


def read_facts(source: SourceFile, target: tuple[int, int], max_file_size: int,
               overlay: Overlay | None = None) -> FileFacts:
    """Facts for one file; read errors and oversized files become problems, not exceptions."""
    if source.is_opaque:
        return OPAQUE
    data = _overlaid(source, overlay)
    if data is not None:
        if len(data) > max_file_size:
            return _too_big(len(data), max_file_size)
        from ssot_lint.facts.extract import extract_facts

        return extract_facts(data, target)
    try:
        size = source.path.stat().st_size
        if size > max_file_size:
            return _too_big(size, max_file_size)
        data = read_bytes(source.path, max_file_size)
    except OSError as exc:
        return _unreadable(exc)
    from ssot_lint.facts.extract import extract_facts  # the parser, only when parsing

    return extract_facts(data, target)


def scan(files: Iterable[SourceFile], target: tuple[int, int], max_file_size: int,
         options: ScanOptions | None = None, root: Path | None = None,
         overlay: Overlay | None = None) -> dict[str, FileFacts]:
    """Facts for every file, by ``SourceFile.rel``; identical whatever the options."""
    options = options or ScanOptions()
    files = list(files)
    if options.cache_dir is None:
        return scan_uncached(files, target, max_file_size, options, overlay)
    from ssot_lint.cache.store import FactsCache

    cache = FactsCache.open(options.cache_dir, target)
    try:
        scanned = scan_cached(files, target, max_file_size, options, cache, overlay=overlay)
        facts = dict(scanned.facts.items())
        cache.flush(under=str(root) + os.sep if root is not None else None)
    finally:
        cache.close()
        report_notes(cache.notes)
    return facts


def scan_uncached(files: list[SourceFile], target: tuple[int, int], max_file_size: int,
                  options: ScanOptions, overlay: Overlay | None = None,
                  progress: Progress | None = None) -> dict[str, FileFacts]:
    """Facts for every file without any cache (``overlay``: buffers read instead)."""
    from ssot_lint.cache.parallel import extract

    results: dict[str, FileFacts] = {}
    work: list[tuple[str, bytes]] = []
    report = progress or _no_progress
    report("reading", 0, len(files))
    for source in files:
        if source.is_opaque:
            results[source.rel] = OPAQUE
            continue
        if _overlaid(source, overlay) is not None:
            results[source.rel] = read_facts(source, target, max_file_size, overlay)
            continue
        try:
            size = source.path.stat().st_size
            if size > max_file_size:
                results[source.rel] = _too_big(size, max_file_size)
                continue
            work.append((source.rel, read_bytes(source.path, max_file_size)))
        except OSError as exc:
            results[source.rel] = _unreadable(exc)
    extracted = extract(work, target, jobs=_jobs(options), executor=options.executor,
                        scheduler=options.scheduler)
    for rel, (facts, _) in extracted.items():
        results[rel] = facts
    report("reading", len(files), len(files))
    return {source.rel: results[source.rel] for source in files}


class LazyFacts(MutableMapping[str, FileFacts]):
    """Facts by ``rel``: those already in memory, and cached ones decoded on first use.

    A warm run that finds every file's findings remembered (``ssot_lint.cache.results``)
    never decodes a single facts row; one that re-checks an edited file decodes only
    the files that file's names resolve through. Iterating decodes everything, in
    one query. A row that turns out damaged is re-extracted from the file.

    With ``slim``, the facts kept in memory leave out references: only a file's own
    rules read them (``complete``), while name resolution and the graph read every
    file's imports and definitions. References are most of the facts' memory, so a
    cold run over a large project keeps a fraction of it.

    ``known`` (digest -> facts, see :meth:`decoded`) are facts an earlier reading
    already decoded from the same rows: a slim load takes them instead of decoding
    again. Facts are a pure function of the bytes (the digest) and the target, so this
    is exact; it is what keeps an editor's import edit from decoding every file again.
    """

    def __init__(self, order: list[SourceFile], ready: dict[str, FileFacts],
                 pending: dict[str, str], cache: FactsCache, target: tuple[int, int],
                 max_file_size: int, slim: bool = False,
                 known: Mapping[str, FileFacts] | None = None) -> None:
        self._order = order
        self._by_rel = {source.rel: source for source in order}
        self._ready = ready  # complete facts, or slim ones for rels in self._slimmed
        self._pending = pending  # rel -> digest of a facts row not decoded yet
        self._digests = dict(pending)
        self._decoded: set[str] = set()  # rels whose ready facts are their digest's row
        self._known = known or {}
        self._slimmed: set[str] = set()
        self._cache = cache
        self._target = target
        self._max_file_size = max_file_size
        self._slim = slim

    def _keep(self, rel: str, facts: FileFacts) -> None:
        if self._slim:  # decoded without references, or about to lose them
            self._ready[rel] = replace(facts, references=()) if facts.references else facts
            self._slimmed.add(rel)
        else:
            self._ready[rel] = facts

    def _load(self, rels: list[str], complete: bool = False) -> dict[str, FileFacts]:
        """Decode the pending ``rels`` (slim unless ``complete``); returns what was decoded."""
        wanted = {rel: self._pending.pop(rel) for rel in rels if rel in self._pending}
        if not wanted:
            return {}
        slim = self._slim and not complete
        loaded = self._cache.load([d for d in wanted.values()
                                   if not (slim and d in self._known)],
                                  references=not slim)
        decoded = {}
        for rel, digest in wanted.items():
            facts = loaded.get(digest)
            if facts is None and slim:
                facts = self._known.get(digest)
            if facts is None:  # damaged row, or the cache went away: read the file again
                facts = self._extract_again(self._by_rel[rel])
            else:
                self._decoded.add(rel)
            decoded[rel] = facts
            self._keep(rel, facts)
        return decoded

    def decoded(self, digests: Collection[str]) -> dict[str, FileFacts]:
        """digest -> facts decoded from the rows of ``digests`` (slim or complete, for
        ``known`` of a later reading of the same target): by this reading, or by the
        ones before it (handed on, so a check that needed few rows does not make the
        next one decode everything again)."""
        found = {digest: facts for digest, facts in self._known.items() if digest in digests}
        for rel in self._decoded:
            digest = self._digests[rel]
            if digest in digests and rel in self._ready:
                found[digest] = self._ready[rel]
        return found

    @property
    def target(self) -> tuple[int, int]:
        return self._target

    def complete(self, rel: str) -> FileFacts | None:
        """A file's facts with its references (decoded again if only kept slim)."""
        if rel in self._pending:
            return self._load([rel], complete=True)[rel]
        if rel not in self._slimmed:
            return self._ready.get(rel)
        digest = self._digests[rel]
        facts = self._cache.load([digest]).get(digest)
        return facts if facts is not None else self._extract_again(self._by_rel[rel])

    def _extract_again(self, source: SourceFile) -> FileFacts:
        """Facts of a file whose cached row is unusable, stored again for the next run."""
        from ssot_lint.cache.parallel import extract
        from ssot_lint.cache.store import digest_of, interface_of

        try:
            data = read_bytes(source.path, self._max_file_size)
        except OSError as exc:
            return _unreadable(exc)
        digest = digest_of(data)
        facts, encoded = extract([(digest, data)], self._target, jobs=1,
                                 encode=self._cache.usable)[digest]
        self._cache.remember(str(source.path), None, digest, encoded, interface_of(facts))
        return facts

    def __getitem__(self, rel: str) -> FileFacts:
        if rel in self._pending:
            self._load([rel])
        return self._ready[rel]

    def get(self, rel: str, default: Any = None) -> Any:  # Mapping.get, minus the try/except
        if rel in self._pending:
            self._load([rel])
        return self._ready.get(rel, default)

    def __setitem__(self, rel: str, facts: FileFacts) -> None:
        """Add a file outside the project (an explicitly named path)."""
        self._pending.pop(rel, None)
        self._slimmed.discard(rel)
        self._decoded.discard(rel)
        self._ready[rel] = facts

    def __delitem__(self, rel: str) -> None:
        self._slimmed.discard(rel)
        self._decoded.discard(rel)
        if self._pending.pop(rel, None) is None:
            del self._ready[rel]

    def __contains__(self, rel: object) -> bool:
        return rel in self._ready or rel in self._pending

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for source in self._order:
            if source.rel in self:
                seen.add(source.rel)
                yield source.rel
        yield from (rel for rel in self._ready if rel not in seen)

    def __len__(self) -> int:
        return len(self._ready) + sum(1 for rel in self._pending if rel not in self._ready)

    def _loaded(self) -> dict[str, FileFacts]:
        """Every file's facts, in iteration order (loading all pending files at once)."""
        self._load(list(self._pending))
        return {rel: self._ready[rel] for rel in self}

    def items(self) -> ItemsView[str, FileFacts]:
        return self._loaded().items()

    def values(self) -> ValuesView[FileFacts]:
        return self._loaded().values()


def _read_again(todo: list[SourceFile], digests: dict[str, str],
                ready: dict[str, FileFacts], max_file_size: int
                ) -> Iterator[tuple[str, bytes]]:
    """``(digest, bytes)`` of each distinct content to extract, read as it is needed.

    The files were hashed before; one that changed since is extracted as it is now,
    under its new digest (its stat, taken before, will not match it next run).
    """
    from ssot_lint.cache.store import digest_of

    seen: set[str] = set()
    for source in todo:
        try:
            data = read_bytes(source.path, max_file_size)
        except OSError as exc:
            ready[source.rel] = _unreadable(exc)
            continue
        digest = digest_of(data)
        digests[source.rel] = digest
        if digest not in seen:
            seen.add(digest)
            yield digest, data


@dataclass
class Scanned:
    """What a cached scan learned: facts (lazily) and, per file, the digests of its
    bytes and of its interface (``cache.interface_of``)."""

    facts: LazyFacts
    digests: dict[str, str]  # rel -> content digest (absent: unreadable or too big)
    interfaces: dict[str, str]  # rel -> interface digest, for every file
    buffered: frozenset[str] = frozenset()  # rels read from the overlay, not the disk

    def on_disk(self) -> dict[str, tuple[str, str]]:
        """rel -> (digest, interface) of the files this scan read from the disk and
        found in the cache: what a caller that knows the disk did not change since
        may hand to the next scan as ``trusted``."""
        return {rel: (digest, self.interfaces[rel]) for rel, digest in self.digests.items()
                if rel not in self.buffered and rel in self.interfaces}


def scan_cached(files: list[SourceFile], target: tuple[int, int], max_file_size: int,
                options: ScanOptions, cache: FactsCache, slim: bool = False,
                overlay: Overlay | None = None,
                trusted: Mapping[str, tuple[str, str]] | None = None,
                progress: Progress | None = None, seed: LazyFacts | None = None) -> Scanned:
    """Scan with the cache, leaving cached facts undecoded until someone asks for them.

    ``trusted`` (rel -> digest and interface, from ``Scanned.on_disk`` of an earlier
    scan) skips the ``stat`` of those files: for a caller that is told when the disk
    changes (the editor server, by the client's file events), not for a command.

    Facts extracted now are streamed (``parallel.stream_encoded``) and left as the
    cache's JSON text too, decoded when needed (``slim``: see ``LazyFacts``); only a
    Dask run, or one whose cache cannot be written, gets them back as objects.

    ``seed``: the facts of an earlier scan for the same target (a long-lived caller,
    the editor server): rows it decoded are not decoded again (``LazyFacts.known``).
    """
    from ssot_lint.cache.store import digest_of, interface_of

    ready: dict[str, FileFacts] = {}
    stats: dict[str, os.stat_result] = {}
    known: dict[str, str] = {}  # rel -> digest, from the stat fast path
    faces: dict[str, str] = {}  # digest -> interface
    unchanged: set[str] = set()  # rels whose stat entry (digest and interface) stands
    buffered: dict[str, str] = {}  # rel -> digest of an unsaved buffer's bytes
    for source in files:
        if source.is_opaque:
            ready[source.rel] = OPAQUE
            continue
        path = str(source.path)
        data = _overlaid(source, overlay)
        if data is not None:  # extracted here, and never remembered as the path's content
            ready[source.rel] = read_facts(source, target, max_file_size, overlay)
            if len(data) <= max_file_size:
                buffered[source.rel] = digest_of(data)
            cache.remember(path, None, "")  # seen: its stat entry is not "vanished"
            continue
        if trusted is not None and source.rel in trusted:
            trusted_digest, trusted_face = trusted[source.rel]
            known[source.rel], faces[trusted_digest] = trusted_digest, trusted_face
            unchanged.add(source.rel)
            cache.remember(path, None, "")  # seen, as above
            continue
        try:
            stat = os.stat(path)
        except OSError as exc:
            ready[source.rel] = _unreadable(exc)
            continue
        if stat.st_size > max_file_size:
            ready[source.rel] = _too_big(stat.st_size, max_file_size)
            continue
        stats[source.rel] = stat
        digest = cache.known_digest(path, stat)
        if digest is not None:
            known[source.rel] = digest
            face = cache.known_interface(path)
            if face is not None:
                faces[digest] = face
                unchanged.add(source.rel)
    # digest -> interface of the cached rows (most came with the stats already)
    faces.update(cache.interfaces(d for d in known.values() if d not in faces))

    digests: dict[str, str] = dict(buffered)
    unknown = [s for s in files
               if s.rel not in ready and not (s.rel in known and known[s.rel] in faces)]
    for source in unknown:  # read and hash, keeping no bytes: most may be known by content
        try:
            digests[source.rel] = digest_of(read_bytes(source.path, max_file_size))
        except OSError as exc:
            ready[source.rel] = _unreadable(exc)
    faces.update(cache.interfaces(d for d in digests.values() if d not in faces))
    todo = [s for s in unknown if s.rel in digests and digests[s.rel] not in faces]
    texts: dict[str, str] = {}  # digest -> interface of facts extracted now, text in the cache
    extracted: Extracted = {}
    total = len(files)
    report = progress or _no_progress
    report("reading", total - len(todo), total)
    if not todo:
        pass  # a warm run: the worker machinery is not even imported
    elif cache.usable and options.executor == "local":  # streamed; kept as the cache's text
        from ssot_lint.cache.parallel import stream_encoded

        def sink(digest: str, text: str, face: str) -> None:
            cache.store_facts(digest, text, face)
            texts[digest] = face
            report("reading", min(total, total - len(todo) + len(texts)), total)

        stream_encoded(_read_again(todo, digests, ready, max_file_size), len(todo), target,
                       _jobs(options), sink)
    else:
        from ssot_lint.cache.parallel import extract

        work = sorted(_read_again(todo, digests, ready, max_file_size))
        extracted = extract(work, target, jobs=_jobs(options), executor=options.executor,
                            scheduler=options.scheduler, encode=cache.usable)
        del work
    report("reading", total, total)

    pending: dict[str, str] = {}
    interfaces: dict[str, str] = {}
    for source in files:
        rel = source.rel
        if rel in ready:
            interfaces[rel] = interface_of(ready[rel])
            continue
        digest = digests.get(rel) or known[rel]
        digests[rel] = digest
        if digest in texts:  # new this run, decoded from the cache's text when needed
            interfaces[rel] = faces[digest] = texts[digest]
            cache.remember(str(source.path), stats[rel], digest, interface=texts[digest])
            pending[rel] = digest
        elif digest in extracted:  # new this run (two files may share the bytes)
            facts, encoded = extracted[digest]
            interfaces[rel] = face = faces.get(digest) or interface_of(facts)
            faces[digest] = face
            cache.remember(str(source.path), stats[rel], digest, encoded, face)
            ready[rel] = facts
        else:
            pending[rel] = digest
            interfaces[rel] = faces[digest]
            if rel not in unchanged:  # (an unchanged entry needs no rewriting)
                cache.remember(str(source.path), stats[rel], digest, interface=faces[digest])
    del extracted
    texts.clear()
    seeded = seed.decoded(set(pending.values())) \
        if seed is not None and slim and seed.target == target else None
    lazy = LazyFacts(files, ready, pending, cache, target, max_file_size, slim=slim,
                     known=seeded)
    return Scanned(facts=lazy, digests=digests, interfaces=interfaces,
                   buffered=frozenset(buffered))


def report_notes(notes: list[str]) -> None:
    """Tell the user (on stderr, via logging's last-resort handler) what the cache did."""
    if notes:
        import logging

        for note in notes:
            logging.getLogger("ssot_lint").warning("ssot-lint: warning: %s", note)
