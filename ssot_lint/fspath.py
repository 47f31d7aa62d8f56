"""Paths the user (or a cloned repository) handed us, resolved without surprises.

``Path.resolve`` raises ``RuntimeError`` on a symbolic-link loop before Python 3.13,
and ``Path.exists`` calls a loop or a dangling link "missing". Both turn a bad input
into a crash or a misleading "not found"; these helpers say what the link is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ssot_lint.files import kind_of


def real_path(path: Path | str) -> Path:
    """``path`` made absolute with symbolic links resolved; a loop or a dangling link is
    resolved as far as it goes (never an exception), so callers can report it."""
    return Path(os.path.realpath(path))


def link_problem(path: Path | str) -> str | None:
    """Why ``path`` cannot be followed ("is a symbolic link loop", ...), or None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)!r}, which does not exist"
    return None


def not_regular(path: Path | str) -> str | None:
    """Why ``path`` is not a regular file one can read (a link problem, a FIFO, a
    device, a directory), or None for a regular file (or one that does not exist)."""
    problem = link_problem(path)
    if problem:
        return problem
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return f"is {kind_of(mode)}, not a regular file"  # worded as ssot_lint.files words it
