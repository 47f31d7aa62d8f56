"""Replay the last walk of the project while nothing it depended on changed.

Which files a project has changes only when a directory's entries change (a file or
directory created, deleted, renamed or replaced — each changes that directory's
mtime), when a ``.gitignore`` changes, or when the discovery settings do. So a walk
is stored with the ``stat`` of every directory it listed and every ``.gitignore`` it
read (git's "untracked cache" rests on the same property), and the next run stats
those few thousand paths instead of listing and matching every entry. Anything else
is a new walk: a different key (root, source roots, excludes, ``.gitignore`` use,
ssot-lint's code), a changed stat, a path modified within two seconds of being read
(its mtime could still change within the same tick), or a symlinked ``.py`` file
anywhere (its target may change where no watched directory sees it).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from ssot_lint.cache.store import RACY_SECONDS, FactsCache
from ssot_lint.discover import UNWATCHABLE, SourceFile, discover
from ssot_lint.model.config import DEFAULT_EXCLUDES

Stamp = tuple[int, int, int, int] | None  # mtime_ns, ctime_ns, inode, size; None: absent


def _stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size)


def discover_remembered(root: Path, source_roots: tuple[str, ...], *, exclude: tuple[str, ...],
                        respect_gitignore: bool, cache: FactsCache,
                        code: str, unlisted: list[tuple[str, str]] | None = None,
                        excluded: list[str] | None = None) -> list[SourceFile]:
    """``discover(...)``, replayed from ``cache`` when nothing it depended on changed
    (``excluded`` receives the walk's excluded module paths, replayed too).

    The caller checks the source roots first (``discover.check_source_roots``); a
    replay stays exact without repeating it, since a source root that disappears or
    changes kind changes its parent directory's mtime.
    """
    root = root.resolve()
    if os.name == "nt":  # paths are rebuilt from POSIX strings below
        return discover(root, source_roots, exclude=exclude, respect_gitignore=respect_gitignore,
                        unlisted=unlisted, excluded=excluded)
    key = hashlib.blake2b(json.dumps(
        [str(root), list(source_roots), list(exclude), respect_gitignore,
         list(DEFAULT_EXCLUDES), code]).encode(), digest_size=16).hexdigest()
    stored = cache.discovery(key)
    if stored is not None:
        replayed = _replay(stored, root)
        if replayed is not None:
            if excluded is not None:
                excluded.extend(replayed[1])
            return replayed[0]
    started = time.time()
    watch: list[str] = []
    pruned: list[str] = []
    files = discover(root, source_roots, exclude=exclude, respect_gitignore=respect_gitignore,
                     watch=watch, unlisted=unlisted, excluded=pruned)  # unlisted: not stored
    if excluded is not None:
        excluded.extend(pruned)
    if UNWATCHABLE in watch:
        return files
    stamps = [(path, _stamp(path)) for path in watch]
    racy = (started - RACY_SECONDS) * 1e9
    if all(stamp is None or max(stamp[0], stamp[1]) < racy for _, stamp in stamps):
        cache.remember_discovery(key, json.dumps({
            "watch": stamps,
            "files": [[f.rel, f.module, f.is_package, f.package] for f in files],
            "excluded": pruned}))
    return files


def _replay(stored: str, root: Path) -> tuple[list[SourceFile], list[str]] | None:
    """The stored walk's files and excluded paths if every watched path still has its
    stamp, else None."""
    try:
        data = json.loads(stored)
        base = str(root) + os.sep
        listed: set[str] = set()
        for path, stamp in data["watch"]:
            if type(path) is not str or not (path == str(root) or path.startswith(base)):
                return None  # a row naming a path outside the project is never trusted
            if _stamp(path) != (tuple(stamp) if stamp is not None else None):
                return None
            listed.add(path)
        files = []
        for rel, module, is_package, package in data["files"]:
            if not (type(rel) is str and type(is_package) is bool
                    and all(v is None or type(v) is str for v in (module, package))):
                return None
            if not _inside(rel) or os.path.dirname(base + rel) not in listed:
                return None  # every file of a walk is in a directory the walk listed
            files.append(SourceFile(path=Path(base + rel), rel=rel, module=module,
                                    is_package=is_package, package=package))
        excluded = data["excluded"]
        if not (type(excluded) is list and all(
                type(rel) is str and _inside(rel.rstrip("/")) and
                os.path.dirname(base + rel.rstrip("/")) in listed for rel in excluded)):
            return None
        return files, excluded
    except (ValueError, TypeError, KeyError):
        return None  # a row from another version, or damaged: walk again


def _inside(rel: str) -> bool:
    """Is ``rel`` a plain relative path (no ``..``, no absolute path, no empty part)?"""
    return not rel.startswith("/") and "\0" not in rel and \
        all(part not in ("", ".", "..") for part in rel.split("/"))
