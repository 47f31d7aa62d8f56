"""Read a source file exactly, and write it back atomically without changing its form.

A rewrite must keep everything the user did not ask to change: the encoding (PEP 263),
a UTF-8 BOM, the line endings (libcst keeps them; new lines use the file's first
ending) and the permissions. The write is ``ssot_lint.files.write_atomic`` (a temporary file
in the same directory moved over the original, so a reader never sees a half-written
file), and it happens only if the file on disk still has the bytes we read.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

from ssot_lint.files import RefusedPath, read_bytes, write_atomic


@dataclass(frozen=True)
class SourceText:
    """A file's bytes and the text they decode to (BOM removed, line endings kept)."""

    path: Path
    data: bytes
    text: str
    encoding: str  # as ``tokenize`` detects it; "utf-8-sig" when there is a BOM

    @property
    def digest(self) -> str:
        return digest_of(self.data)

    def encode(self, text: str) -> bytes:
        """``text`` in this file's encoding (a BOM is written back by "utf-8-sig")."""
        return text.encode(self.encoding)


class SourceError(Exception):
    """Why a file cannot be rewritten; the message is shown to the user."""


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, limit: int) -> SourceText:
    """Read ``path``; raise ``SourceError`` when it cannot be rewritten byte-exactly."""
    try:
        data = read_bytes(path, limit)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode: {exc}") from exc
    if text.encode(encoding) != data:
        raise SourceError(f"its bytes do not round-trip through {encoding}; not rewritten")
    return SourceText(path=path, data=data, text=text, encoding=encoding)


def atomic_write(path: Path, data: bytes, original: bytes, within: Path | None = None
                 ) -> None:
    """Replace ``path`` with ``data`` if it still has the bytes ``original``.

    ``ssot_lint.files.write_atomic`` does the writing (temporary file, fsync, rename;
    mode, owner, group and extended attributes kept; hard links and, with ``within``,
    a real location outside the project refused). Raises ``SourceError`` when the file
    is read-only or changed since it was read; it is then left alone.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise SourceError(f"cannot stat: {exc.strerror or exc}") from exc
    # Replacing a file only needs a writable directory, so a read-only file (or, for
    # root, any file) would be overwritten; its mode says the user wants it left alone.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise SourceError("the file is read-only; not rewritten (make it writable to fix it)")
    try:
        write_atomic(path, data, within=within, expected=original)
    except RefusedPath as exc:
        raise SourceError(exc.strerror or str(exc)) from None
