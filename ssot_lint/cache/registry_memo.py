"""The parsed and validated registry, remembered by the bytes of its files.

Reading a registry is ``tomllib``, then validation, then the line of every entry (for
messages); for a 100,000-entry registry that took seconds on *every* run, a warm
facts cache included, although the registry rarely changes. So the cache directory
keeps one more file, ``registry.json``: the ``Registry`` a successful load built, as
compact JSON (``codec.field_values``), under a key naming everything that object
depends on:

- the bytes of every file of the registry, and the name each is shown by (it is in
  every entry's ``origin``);
- the source of ssot-lint itself (``results.code_fingerprint``: an edited loader or
  model is never served an object the old code built), the registry model's field
  layout, the Python version (and so its ``tomllib``).

On a hit nothing is parsed. Anything else -- another key, a file that does not decode,
fails its digest or holds a value of the wrong type -- means reading the registry
afresh, exactly as without a cache, and (after a successful read) replacing the memo.
A registry with errors is never remembered: its errors are reported by a fresh read.
The memo is written only after the facts cache has opened (and so checked) the
directory, atomically, and only when the files did not change while being read.
Like the facts cache, it guards against *accidental* damage only: a cache directory
restored from an untrusted source can change results (``--no-cache`` reads afresh).
"""

from __future__ import annotations

import gc
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

from ssot_lint import __version__
from ssot_lint.cache.codec import dataclass_codec, field_values
from ssot_lint.cache.store import REGISTRY_MEMO
from ssot_lint.files import DATA_LIMIT, read_bytes, write_atomic
from ssot_lint.model.registry import Registry

_FORMAT = "ssot-lint registry memo 1"
# The memo of the largest registry ssot-lint reads (DATA_LIMIT of TOML) is bigger than
# the TOML itself: every default value is spelled out.
_MEMO_LIMIT = 4 * DATA_LIMIT

_DECODE, _LAYOUT = dataclass_codec(Registry)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def registry_key(path: Path, display_base: Path | None) -> str | None:
    """The memo key of the registry at ``path`` as it is now; None when it cannot be
    read as a whole (a missing, linked or unreadable file: the loader says what)."""
    from ssot_lint.cache.results import code_fingerprint
    from ssot_lint.fspath import link_problem
    from ssot_lint.load.registry import display_name, registry_files

    if link_problem(path) or not path.exists():
        return None
    files = registry_files(path)
    if not files:
        return None
    key = hashlib.blake2b(digest_size=16)
    python = ".".join(map(str, sys.version_info[:3]))
    key.update(f"{_FORMAT}\0{__version__}\0{code_fingerprint()}\0{_LAYOUT}\0{python}\0"
               .encode())
    for file in files:
        try:
            data = read_bytes(file)
        except OSError:
            return None
        name = display_name(file, display_base)
        key.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return key.hexdigest()


def encode_registry(registry: Registry) -> str:
    """Compact JSON of ``registry`` (ASCII, so any text survives)."""
    return json.dumps(registry, default=field_values, separators=(",", ":"))


def decode_registry(text: str) -> Registry:
    """Inverse of :func:`encode_registry`; ``ValueError``/``TypeError`` on anything else
    (every value's type is checked, as for facts rows).

    The collector is paused meanwhile: building a few hundred thousand objects would
    otherwise trigger collections that re-walk all of them, doubling the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        registry = _DECODE(json.loads(text))
    finally:
        if enabled:
            gc.enable()
    if not isinstance(registry, Registry):  # pragma: no cover - the decoder builds one
        raise TypeError("not a registry")
    return registry


class RegistryMemo:
    """The memo file in one cache directory: :meth:`recall`, then :meth:`remember`."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / REGISTRY_MEMO
        self.notes: list[str] = []  # damage found, for the user

    def recall(self, key: str) -> Registry | None:
        """The registry remembered under ``key``; None when there is none (or it is damaged)."""
        try:
            data = read_bytes(self.path, _MEMO_LIMIT)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.notes.append(f"cannot read the registry cache {self.path} ({exc}); "
                              "read the registry afresh")
            return None
        header, newline, body = data.partition(b"\n")
        try:
            fields = json.loads(header)
            if type(fields) is not dict or fields.get("format") != _FORMAT:
                raise ValueError("not a registry memo")
            if fields.get("key") != key:
                return None  # another registry (or another ssot-lint): not damage
            if fields.get("digest") != _digest(body) or not newline:
                raise ValueError("its digest does not match")
            return decode_registry(body.decode("utf-8"))
        except (ValueError, TypeError, RecursionError) as exc:
            self.notes.append(f"the registry cache {self.path} was damaged ({exc}); read the "
                              "registry afresh")
            return None

    def remember(self, key: str, registry: Registry) -> None:
        """Store ``registry`` under ``key``, replacing the memo (atomically).

        Failure to write only costs the next run a fresh read, so it is a note, not
        an error.
        """
        body = encode_registry(registry).encode("ascii")
        header = json.dumps({"format": _FORMAT, "key": key, "digest": _digest(body)})
        try:
            write_atomic(self.path, header.encode("ascii") + b"\n" + body)
        except OSError as exc:
            self.notes.append(f"cannot write the registry cache {self.path} ({exc})")


def load_remembered(path: Path, display_base: Path | None,
                    memo: RegistryMemo) -> tuple[Registry, str | None]:
    """The registry at ``path`` from ``memo`` when its files are unchanged, else read
    afresh (raising what ``load_registry`` raises). Also returns the key to
    :meth:`RegistryMemo.remember` the fresh registry under (None: nothing to store)."""
    from ssot_lint.load.registry import load_registry

    key = registry_key(path, display_base)
    if key is not None:
        found = memo.recall(key)
        if found is not None:
            return replace(found, digest=key), None
    registry = load_registry(path, display_base=display_base)
    if key is None or registry_key(path, display_base) != key:
        return registry, None  # the files changed while being read: remember nothing
    return replace(registry, digest=key), key
