"""The per-file facts cache: one SQLite file that CI can save and restore.

Facts are a pure function of a file's bytes, the target Python version and the
extractor, so they are stored by *content digest* under a key that also names the
tool version, ``FACTS_VERSION`` and the target. A second table remembers each path's
``stat`` (size, mtime, inode) and digest, so an unchanged file is recognised without
reading or hashing it.

Why SQLite rather than a directory of JSON files: a warm run over 10,000 files needs
one query, not 10,000 opens; SQLite's locking makes two runs sharing the cache safe;
and a single file is what CI cache steps save best. The payload is JSON text (never
pickle), each row carries a CRC over its key and payload, and any error reading the
database — a truncated or overwritten file included — discards it and starts afresh:
a damaged cache costs one cold run, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

from ssot_lint import __version__
from ssot_lint.codec import MODEL_FINGERPRINT, decode_facts, encode_facts
from ssot_lint.facts.extract import FACTS_VERSION
from ssot_lint.model.facts import FileFacts

__all__ = ["FactsCache", "decode_facts", "digest_of", "encode_facts", "facts_salt"]

DEFAULT_CACHE_DIR = ".ssot_lint_cache"
DB_NAME = "facts.sqlite3"
SCHEMA_VERSION = 1  # bump when the tables change; older files are dropped
# A file modified this recently may change again within the same mtime tick without
# its stat changing ("racy" entries, as git calls them): its stat is not remembered.
RACY_SECONDS = 2.0
_SQL_CHUNK = 500

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS facts (digest TEXT NOT NULL, salt TEXT NOT NULL, "
    "data TEXT NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY (digest, salt)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID",
)


def digest_of(data: bytes) -> str:
    """The content key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _tool_key() -> str:
    return f"ssot-lint {__version__}; facts {FACTS_VERSION}; model {MODEL_FINGERPRINT}"


def facts_salt(target: tuple[int, int]) -> str:
    """Everything besides the bytes that changes extraction: tool, extractor, model, target."""
    return f"{_tool_key()}; target {target[0]}.{target[1]}"


def _crc(digest: str, salt: str, data: str) -> int:
    return zlib.crc32(f"{digest}\0{salt}\0{data}".encode())


class FactsCache:
    """Cached facts for one target; use :meth:`open`, then ``lookup``/``store``/``close``."""

    def __init__(self, directory: Path, target: tuple[int, int]) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self.salt = facts_salt(target)
        self.notes: list[str] = []  # why the cache was rebuilt or skipped, for the user
        self._db: sqlite3.Connection | None = None
        self._stats: dict[str, tuple[int, int, int, str]] = {}
        self._new_facts: dict[str, str] = {}
        self._new_stats: dict[str, tuple[int, int, int, str]] = {}
        self._seen: set[str] = set()

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, directory: Path, target: tuple[int, int]) -> FactsCache:
        """Open (or create) the cache; a damaged one is deleted and recreated."""
        cache = cls(directory, target)
        try:
            cache._connect()
        except (sqlite3.Error, OSError) as exc:
            cache._discard(f"the facts cache at {cache.path} was unreadable ({exc}); rebuilt it")
            try:
                cache._connect()
            except (sqlite3.Error, OSError) as again:
                cache._db = None
                cache.notes.append(f"cannot use the facts cache at {cache.path}: {again}; "
                                   "running without it (check --cache-dir)")
        return cache

    def _connect(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            _write_atomic(ignore, "# created by ssot-lint: never commit the cache\n*\n")
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db = db
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            db.execute("DROP TABLE IF EXISTS facts")
            db.execute("DROP TABLE IF EXISTS stats")
            db.execute("COMMIT")
        if version != SCHEMA_VERSION:
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._stats = {row[0]: (row[1], row[2], row[3], row[4])
                       for row in db.execute("SELECT path, size, mtime_ns, inode, digest FROM stats")}

    def _discard(self, note: str) -> None:
        """Forget a damaged database: close it and delete its files."""
        self.notes.append(note)
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        self._stats = {}
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass

    @property
    def usable(self) -> bool:
        return self._db is not None

    # -- reading ---------------------------------------------------------------------
    def known_digest(self, path: str, stat: os.stat_result) -> str | None:
        """The digest remembered for ``path`` if its size, mtime and inode are unchanged."""
        self._seen.add(path)
        entry = self._stats.get(path)
        if entry is None or entry[:3] != (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            return None
        return entry[3]

    def load(self, digests: Iterable[str]) -> dict[str, FileFacts]:
        """Facts for those ``digests`` that are cached and intact (damaged rows are skipped)."""
        wanted = sorted(set(digests))
        found: dict[str, FileFacts] = {}
        if self._db is None or not wanted:
            return found
        try:
            for start in range(0, len(wanted), _SQL_CHUNK):
                chunk = wanted[start:start + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT digest, data, crc FROM facts WHERE salt = ? AND digest IN ({marks})",
                    (self.salt, *chunk))
                for digest, data, crc in rows:
                    if not isinstance(data, str) or crc != _crc(digest, self.salt, data):
                        continue  # damaged row: extract again and overwrite it
                    try:
                        found[digest] = decode_facts(data)
                    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                        continue
        except sqlite3.Error as exc:
            self._discard(f"the facts cache at {self.path} was damaged ({exc}); rebuilt it")
            return {}
        return found

    # -- writing ---------------------------------------------------------------------
    def remember(self, path: str, stat: os.stat_result | None, digest: str,
                 encoded: str | None = None) -> None:
        """Record ``path``'s digest (and new facts as JSON text) for :meth:`flush`."""
        self._seen.add(path)
        if encoded is not None:
            self._new_facts[digest] = encoded
        if stat is None or time.time() - stat.st_mtime < RACY_SECONDS:
            return
        entry = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digest)
        if self._stats.get(path) != entry:
            self._new_stats[path] = entry

    def flush(self, under: str | None = None) -> None:
        """Write what this run learned in one transaction; forget vanished paths ``under``.

        A busy or read-only cache is skipped (the run's answer does not depend on it).
        """
        if self._db is None:
            return
        gone = [path for path in self._stats
                if under is not None and path.startswith(under) and path not in self._seen]
        if not (self._new_facts or self._new_stats or gone):
            return
        try:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO facts (digest, salt, data, crc) "
                           "VALUES (?, ?, ?, ?)",
                           [(d, self.salt, text, _crc(d, self.salt, text))
                            for d, text in sorted(self._new_facts.items())])
            db.executemany("INSERT OR REPLACE INTO stats (path, size, mtime_ns, inode, digest) "
                           "VALUES (?, ?, ?, ?, ?)",
                           [(p, *entry) for p, entry in sorted(self._new_stats.items())])
            db.executemany("DELETE FROM stats WHERE path = ?", [(p,) for p in sorted(gone)])
            self._prune(db)
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # locked for too long, read-only, disk full
            self._rollback()
            self.notes.append(f"could not update the facts cache at {self.path}: {exc}")
        except sqlite3.Error as exc:
            self._rollback()
            self._discard(f"the facts cache at {self.path} was damaged ({exc}); it will be "
                          "rebuilt on the next run")
        self._new_facts.clear()
        self._new_stats.clear()

    def _prune(self, db: sqlite3.Connection) -> None:
        """Drop other tool versions' rows, and unreferenced facts once they pile up."""
        db.execute("DELETE FROM facts WHERE substr(salt, 1, ?) != ?",
                   (len(_tool_key()), _tool_key()))
        (facts,) = db.execute("SELECT count(*) FROM facts").fetchone()
        (stats,) = db.execute("SELECT count(*) FROM stats").fetchone()
        if facts > 2 * stats + 1000:
            db.execute("DELETE FROM facts WHERE digest NOT IN (SELECT digest FROM stats)")

    def _rollback(self) -> None:
        try:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
