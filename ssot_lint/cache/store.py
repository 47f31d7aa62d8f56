"""The per-file facts cache: one SQLite file that CI can save and restore.

Facts are a pure function of a file's bytes, the target Python version and the
extractor, so they are stored by *content digest* under a key that also names the
tool version, a fingerprint of the extractor's and the model's source (so no edit
to them needs a manual version bump) and the target. A second table remembers each path's
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

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ssot_lint import __version__
from ssot_lint.cache.codec import MODEL_FINGERPRINT, decode_facts, encode_facts
from ssot_lint.cache.interface import INTERFACE_LENGTH, interface_of
from ssot_lint.facts.version import FACTS_VERSION
from ssot_lint.model.facts import FileFacts

__all__ = ["FactsCache", "decode_facts", "digest_of", "encode_facts", "facts_salt",
           "interface_of"]

DEFAULT_CACHE_DIR = ".ssot_lint_cache"
DB_NAME = "facts.sqlite3"
SCHEMA_VERSION = 6  # bump when the tables or what they hold change; older files are dropped
# A file modified this recently may change again within the same mtime tick without
# its stat changing ("racy" entries, as git calls them): its stat is not remembered.
RACY_SECONDS = 2.0
_SQL_CHUNK = 500
WRITE_AHEAD_BYTES = 4 << 20  # queued facts text written before the end of a run
KEPT_SCOPES = 6  # results of this many earlier project states are kept (about two)

_TABLES = ("facts", "stats", "results", "discovery")
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS facts (digest TEXT NOT NULL, salt TEXT NOT NULL, "
    "data TEXT NOT NULL, interface TEXT NOT NULL, crc INTEGER NOT NULL, "
    "PRIMARY KEY (digest, salt)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT NOT NULL, "
    "interface TEXT NOT NULL, salt TEXT NOT NULL) WITHOUT ROWID",
    # Findings remembered by ssot_lint.cache.results, under keys that name everything they
    # depend on; ``scope`` is the part of the key shared by one run's rows.
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, scope TEXT NOT NULL, "
    "data TEXT NOT NULL, crc INTEGER NOT NULL, written REAL NOT NULL) WITHOUT ROWID",
    # The last walk of the project, with the stats it depends on (discover_memo.py).
    "CREATE TABLE IF NOT EXISTS discovery (key TEXT PRIMARY KEY, data TEXT NOT NULL, "
    "crc INTEGER NOT NULL) WITHOUT ROWID",
)


def digest_of(data: bytes) -> str:
    """The content key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _source_fingerprint() -> str:
    """A digest of the source of the extractor and of the facts model.

    Facts are a function of the bytes *and of this code*: an edited extractor (in a
    development checkout, where the version does not change) must never be served
    the facts an older one produced, and nobody has to remember to bump a number.
    """
    import ssot_lint.facts
    import ssot_lint.model

    digest = hashlib.blake2b(digest_size=8)
    paths = [os.path.join(os.path.dirname(ssot_lint.facts.__file__), name)
             for name in os.listdir(os.path.dirname(ssot_lint.facts.__file__))
             if name.endswith(".py")]
    model = os.path.dirname(ssot_lint.model.__file__)
    cache = os.path.dirname(__file__)
    paths += [os.path.join(model, "facts.py"), os.path.join(model, "references.py"),
              os.path.join(model, "tags.py"), os.path.join(cache, "codec.py"),
              os.path.join(cache, "interface.py")]
    for path in sorted(paths):
        with open(path, "rb") as handle:
            digest.update(os.path.basename(path).encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


_SOURCE_FINGERPRINT: list[str] = []


def _tool_key() -> str:
    # The interpreter's own parser builds the facts: another Python may parse otherwise.
    python = ".".join(map(str, sys.version_info[:3]))
    if not _SOURCE_FINGERPRINT:
        _SOURCE_FINGERPRINT.append(_source_fingerprint())
    return (f"ssot-lint {__version__}; facts {FACTS_VERSION}; model {MODEL_FINGERPRINT}; "
            f"extractor {_SOURCE_FINGERPRINT[0]}; python {python}")


def facts_salt(target: tuple[int, int]) -> str:
    """Everything besides the bytes that changes extraction: tool, extractor, model, target."""
    return f"{_tool_key()}; target {target[0]}.{target[1]}"


def _crc(digest: str, salt: str, data: str) -> int:
    # surrogateescape: a key may name a file whose name is not valid UTF-8
    return zlib.crc32(f"{digest}\0{salt}\0{data}".encode("utf-8", "surrogateescape"))


def _sql_text(text: str) -> str | bytes:
    """``text`` as SQLite can store it: a path whose name is not valid UTF-8 holds lone
    surrogates (``os.fsdecode``), which SQLite refuses; those go in as their bytes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")
    return text


def _from_sql(value: Any) -> Any:
    """Inverse of :func:`_sql_text` (bytes back to the surrogate-escaped text)."""
    return value.decode("utf-8", "surrogateescape") if type(value) is bytes else value


LOCK_TIMEOUT = 10.0  # seconds to wait for another process's write lock, then run without


def _busy(exc: BaseException) -> bool:
    """Is ``exc`` another process holding the database (not damage)?"""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


_OURS = (".gitignore", DB_NAME, f"{DB_NAME}-journal", f"{DB_NAME}-wal", f"{DB_NAME}-shm")
_IGNORE_TEXT = "# created by ssot-lint: never commit the cache\n*\n"


def check_cache_directory(directory: Path) -> None:
    """Refuse a cache directory ssot-lint must not write into (``ConfigError``).

    The cache lives in a directory of its own: one ssot-lint created, or an empty
    one. A directory holding anything else (``--cache-dir .`` would drop a
    ``.gitignore`` of ``*`` into the project and hide every file) is refused, and so
    is a symbolic link as the directory or as the database (every run would write
    wherever it points: another tree, another application's SQLite file).
    """
    from ssot_lint.errors import ConfigError

    shown = str(directory)
    what = "give --cache-dir (or cache_dir, SSOT_LINT_CACHE_DIR) a new or empty directory"
    if os.path.islink(directory):
        raise ConfigError(f"the cache directory {shown} is a symbolic link; ssot-lint does not "
                          f"follow it: {what}")
    if not os.path.lexists(directory):
        return
    if not os.path.isdir(directory):
        raise ConfigError(f"the cache directory {shown} is not a directory: {what}")
    try:
        entries = sorted(os.listdir(directory))
    except OSError:
        return  # unreadable: opening the database fails, and the run goes on without it
    for name in entries:
        path = os.path.join(directory, name)
        if name in _OURS or (name.startswith("..gitignore.") and name.endswith(".tmp")):
            if os.path.islink(path):
                raise ConfigError(f"{path} is a symbolic link; ssot-lint does not follow it: "
                                  f"delete it, or {what}")
            if name == ".gitignore" and not _our_ignore(path):
                raise ConfigError(f"the cache directory {shown} holds a .gitignore ssot-lint "
                                  f"did not write: {what}")
            continue
        raise ConfigError(f"the cache directory {shown} is not empty and is not an ssot-lint "
                          f"cache (it holds {name!r}): {what}")


def _our_ignore(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(len(_IGNORE_TEXT) + 1) == _IGNORE_TEXT
    except OSError:
        return False


class FactsCache:
    """Cached facts for one target; use :meth:`open`, then ``lookup``/``store``/``close``."""

    def __init__(self, directory: Path, target: tuple[int, int]) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self.salt = facts_salt(target)
        self.notes: list[str] = []  # why the cache was rebuilt or skipped, for the user
        self._db: sqlite3.Connection | None = None
        self._stats: dict[str, tuple[int, int, int, str, str, str]] = {}
        self._new_facts: dict[str, tuple[str, str]] = {}  # digest -> (data, interface)
        self._new_bytes = 0  # size of the queued facts text
        self._new_results: dict[str, tuple[str, str]] = {}  # key -> (scope, data)
        self._live_scopes: set[str] = set()
        self._results_bytes = 0  # size of the queued results text
        self._results_written = False  # some written ahead: prune at flush
        self._new_discovery: tuple[str, str] | None = None
        self._new_stats: dict[str, tuple[int, int, int, str, str, str]] = {}
        self._seen: set[str] = set()

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, directory: Path, target: tuple[int, int]) -> FactsCache:
        """Open (or create) the cache; a damaged one is deleted and recreated."""
        check_cache_directory(directory)
        cache = cls(directory, target)
        try:
            cache._connect()
        except (sqlite3.Error, OSError) as exc:
            if _busy(exc):
                cache._let_go(exc)
                return cache
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
            _write_atomic(ignore, _IGNORE_TEXT)
        db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
        self._db = db
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            for table in _TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("COMMIT")
        if version != SCHEMA_VERSION:
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._stats = {_from_sql(row[0]): row[1:] for row in db.execute(
            "SELECT path, size, mtime_ns, inode, digest, interface, salt FROM stats")}

    def _let_go(self, exc: BaseException) -> None:
        """Another process holds the database: run without it, leaving it untouched."""
        self.notes.append(f"the facts cache at {self.path} is locked by another process "
                          f"({exc}); running without it")
        self._close_quietly()

    def _close_quietly(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._stats = {}

    def _damaged(self, exc: BaseException, note: str) -> None:
        """A query failed: damage is discarded; a lock held elsewhere never is."""
        if _busy(exc):
            self._let_go(exc)
        else:
            self._discard(note)

    def _discard(self, note: str) -> None:
        """Forget a damaged database: close it and delete its files."""
        self.notes.append(note)
        self._close_quietly()
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

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

    def known_interface(self, path: str) -> str | None:
        """The interface digest remembered with ``path``'s stat (after :meth:`known_digest`
        matched) by a run with the same tool and target (interfaces depend on both),
        so a warm run needs no query of the facts table at all."""
        entry = self._stats.get(path)
        face = entry[4] if entry is not None and entry[5] == self.salt else None
        return face if isinstance(face, str) and len(face) == INTERFACE_LENGTH else None

    def _select(self, query: str, keys: Iterable[str], *params: str) -> Iterator[tuple[Any, ...]]:
        """Rows of ``query`` (whose last placeholder list is ``IN ({marks})``), in chunks."""
        assert self._db is not None
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), _SQL_CHUNK):
            chunk = wanted[start:start + _SQL_CHUNK]
            yield from self._db.execute(query.format(marks=",".join("?" * len(chunk))),
                                        (*params, *map(_sql_text, chunk)))

    def interfaces(self, digests: Iterable[str]) -> dict[str, str]:
        """The interface digest of each cached facts row among ``digests`` (not decoded).

        Checking a row's CRC needs its data, so this trusts the interface column; a
        damaged row is caught when its facts are loaded, and re-extracting the same
        bytes gives the same interface (facts are a pure function of the bytes).
        """
        if self._db is None:
            return {}
        found: dict[str, str] = {}
        try:
            for digest, interface in self._select(
                    "SELECT digest, interface FROM facts WHERE salt = ? AND digest IN ({marks})",
                    digests, self.salt):
                if isinstance(interface, str) and len(interface) == INTERFACE_LENGTH:
                    found[digest] = interface
        except sqlite3.Error as exc:
            self._damaged(exc, f"the facts cache at {self.path} was damaged ({exc}); rebuilt it")
            return {}
        return found

    def load(self, digests: Iterable[str], references: bool = True) -> dict[str, FileFacts]:
        """Facts for those ``digests`` that are cached and intact (damaged rows are skipped);
        without their references if ``references`` is false."""
        found: dict[str, FileFacts] = {}
        digests = set(digests)
        for digest in [d for d in digests if d in self._new_facts]:  # extracted this run
            found[digest] = decode_facts(self._new_facts[digest][0], references=references)
            digests.discard(digest)
        if self._db is None:
            return found
        try:
            for digest, data, interface, crc in self._select(
                    "SELECT digest, data, interface, crc FROM facts "
                    "WHERE salt = ? AND digest IN ({marks})", digests, self.salt):
                if not isinstance(data, str) or not isinstance(interface, str) or \
                        crc != _crc(digest, self.salt, f"{data}\0{interface}"):
                    continue  # damaged row: extract again and overwrite it
                try:
                    found[digest] = decode_facts(data, references=references)
                except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                    continue
        except sqlite3.Error as exc:
            self._damaged(exc, f"the facts cache at {self.path} was damaged ({exc}); rebuilt it")
            return {}
        return found

    def results(self, keys: Iterable[str]) -> dict[str, str]:
        """Remembered results (``ssot_lint.cache.results``) for those ``keys``, intact rows only."""
        found: dict[str, str] = {}
        if self._db is None:
            return found
        try:
            for raw, data, crc in self._select(
                    "SELECT key, data, crc FROM results WHERE key IN ({marks})", keys):
                key = _from_sql(raw)
                if isinstance(key, str) and isinstance(data, str) and crc == _crc(key, "", data):
                    found[key] = data
        except sqlite3.Error as exc:
            self._damaged(exc, f"the facts cache at {self.path} was damaged ({exc}); rebuilt it")
            return {}
        return found

    # -- writing ---------------------------------------------------------------------
    def remember(self, path: str, stat: os.stat_result | None, digest: str,
                 encoded: str | None = None, interface: str | None = None) -> None:
        """Record ``path``'s digest and interface (and new facts as JSON text) for
        :meth:`flush`. The stat is remembered only with an interface."""
        self._seen.add(path)
        if encoded is not None:
            if interface is None:
                interface = interface_of(decode_facts(encoded))
            self._new_facts[digest] = (encoded, interface)
        if stat is None or interface is None or time.time() - stat.st_mtime < RACY_SECONDS:
            return
        entry = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digest, interface, self.salt)
        if self._stats.get(path) != entry:
            self._new_stats[path] = entry

    def discovery(self, key: str) -> str | None:
        """The walk remembered under ``key`` (intact rows only)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT data, crc FROM discovery WHERE key = ?",
                                   (key,)).fetchone()
        except sqlite3.Error:
            return None  # a damaged table costs a walk; the next flush reports it
        if row is None or not isinstance(row[0], str) or row[1] != _crc(key, "", row[0]):
            return None
        return str(row[0])

    def remember_discovery(self, key: str, data: str) -> None:
        """Store this walk at :meth:`flush` (replacing any other: one project per cache)."""
        self._new_discovery = (key, data)

    def store_facts(self, digest: str, encoded: str, interface: str) -> None:
        """Queue a new facts row; written by :meth:`flush`, or earlier once many are queued
        (so a cold run over a large project never holds all their text)."""
        self._new_facts[digest] = (encoded, interface)
        self._new_bytes += len(encoded)
        if self._new_bytes > WRITE_AHEAD_BYTES:
            self.write_facts()

    def write_facts(self) -> None:
        """Write the queued facts rows now, in one transaction (skipped if busy)."""
        if self._db is None or not self._new_facts:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._insert_facts(self._db)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            self._rollback()  # they stay queued for flush, which reports any problem
            return
        self._new_facts.clear()
        self._new_bytes = 0

    def _insert_facts(self, db: sqlite3.Connection) -> None:
        db.executemany("INSERT OR REPLACE INTO facts (digest, salt, data, interface, crc) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [(d, self.salt, text, face, _crc(d, self.salt, f"{text}\0{face}"))
                        for d, (text, face) in sorted(self._new_facts.items())])

    def remember_result(self, key: str, scope: str, data: str,
                        live: Iterable[str] = ()) -> None:
        """Store a result row at :meth:`flush`, when rows of scopes not in ``live`` (nor
        ``scope``) are dropped: they belong to earlier states of the project and can
        never be used again.
        """
        self._new_results[key] = (scope, data)
        self._live_scopes.update((scope, *live))
        self._results_bytes += len(data)
        if self._results_bytes > WRITE_AHEAD_BYTES and self._db is not None:
            try:  # early, so a large project's results are never all held here
                self._db.execute("BEGIN IMMEDIATE")
                self._insert_results(self._db)
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._rollback()  # they stay queued for flush, which reports any problem

    def _insert_results(self, db: sqlite3.Connection) -> None:
        now = time.time()
        db.executemany("INSERT OR REPLACE INTO results (key, scope, data, crc, written) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [(_sql_text(key), scope, data, _crc(key, "", data), now)
                        for key, (scope, data) in sorted(self._new_results.items())])
        self._new_results.clear()
        self._results_bytes = 0
        self._results_written = True

    def flush(self, under: str | None = None) -> None:
        """Write what this run learned in one transaction; forget vanished paths ``under``.

        A busy or read-only cache is skipped (the run's answer does not depend on it).
        """
        if self._db is None:
            return
        gone = [path for path in self._stats
                if under is not None and path.startswith(under) and path not in self._seen]
        if not (self._new_facts or self._new_stats or gone or self._new_results
                or self._results_written or self._new_discovery):
            return
        try:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            self._insert_facts(db)
            if self._new_results or self._results_written:
                self._insert_results(db)
                self._prune_results(db)
            db.executemany("INSERT OR REPLACE INTO stats (path, size, mtime_ns, inode, digest, "
                           "interface, salt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(_sql_text(p), *entry)
                            for p, entry in sorted(self._new_stats.items())])
            db.executemany("DELETE FROM stats WHERE path = ?",
                           [(_sql_text(p),) for p in sorted(gone)])
            if self._new_discovery is not None:
                key, data = self._new_discovery
                db.execute("DELETE FROM discovery")
                db.execute("INSERT INTO discovery (key, data, crc) VALUES (?, ?, ?)",
                           (key, data, _crc(key, "", data)))
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
        self._new_bytes = 0
        self._new_stats.clear()
        self._new_results.clear()
        self._results_bytes = 0
        self._results_written = False
        self._live_scopes.clear()
        self._new_discovery = None

    def _prune(self, db: sqlite3.Connection) -> None:
        """Drop other tool versions' rows, and unreferenced facts once they pile up."""
        db.execute("DELETE FROM facts WHERE substr(salt, 1, ?) != ?",
                   (len(_tool_key()), _tool_key()))
        (facts,) = db.execute("SELECT count(*) FROM facts").fetchone()
        (stats,) = db.execute("SELECT count(*) FROM stats").fetchone()
        if facts > 2 * stats + 1000:
            db.execute("DELETE FROM facts WHERE digest NOT IN (SELECT digest FROM stats)")

    def _prune_results(self, db: sqlite3.Connection) -> None:
        """Keep the rows of this run's scopes and of the most recent others.

        Rows of an earlier state of the project are only useful if it comes back
        (switching branches, undoing an edit), so a few recent states are kept.
        """
        live = sorted(self._live_scopes)
        marks = ",".join("?" * len(live))
        db.execute(f"DELETE FROM results WHERE scope NOT IN ({marks}) AND scope NOT IN "
                   f"(SELECT scope FROM results WHERE scope NOT IN ({marks}) GROUP BY scope "
                   "ORDER BY max(written) DESC LIMIT ?)", (*live, *live, KEPT_SCOPES))

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
    from ssot_lint.files import write_atomic

    write_atomic(path, text.encode("utf-8"))
