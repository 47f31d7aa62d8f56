"""Every file ssot-lint reads or writes goes through here: bounded reads, atomic writes.

ssot-lint reads files that come with a cloned repository (the registry, its config, a
baseline, the sources) and writes files next to the user's (a baseline, a report, a
fixed source). A repository is not trusted, so both directions have one policy each,
in one place, rather than a ``read_text``/``write_text`` per command:

- ``read_bytes``/``read_text`` read only a regular file, never more than a limit. A
  registry committed as a symbolic link to ``/dev/zero``, a FIFO that would block
  forever, a sparse 100 GB file: each is refused before (or while) reading, with the
  reason. The descriptor is opened non-blocking and checked with ``fstat``, so a file
  swapped for a FIFO between a check and the open cannot block the run.
- ``write_atomic`` replaces a file so that a reader (or the next run, after a crash,
  a kill, a full disk or ``ulimit -f``) sees the old bytes or the new ones, never a
  mix: a temporary file in the same directory, ``fsync``, ``rename``. The new file
  keeps what the old one had that a rename would lose: its permission bits, its owner
  and group (when the process may set them), its extended attributes (ACLs and
  SELinux labels live there). A file with several hard links is refused, since a
  rename would silently split it from its other names. With ``within``, a path whose
  real location (symbolic links followed) is outside that directory is refused: a
  committed link must not make ssot-lint write outside the project.
- A temporary file left by a killed run (``.NAME.PID.RANDOM.ssot-lint.tmp``) is
  removed by the next write into that directory, once its process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

# Largest source file read by default (``max_file_size``), and by the SARIF fix
# writer, which re-reads a reported file. See ``default_max_file_size``.
SOURCE_LIMIT = 10 * 1024 * 1024
# Parsing a file of tiny statements (``x1 = 1`` 650,000 times) holds ~190 bytes of
# syntax tree and facts per byte of source (measured: a 2.3 MB file, 430 MB peak);
# the limit leaves room for a second such file in flight and everything else.
_BYTES_PER_SOURCE_BYTE = 400
_MIN_SOURCE_LIMIT = 1024 * 1024

# Data files (registry, configuration, baseline, Markdown, audit JSON): far above
# any real one (a 100k-entry registry is ~6 MB), far below what would hurt a CI runner.
DATA_LIMIT = 64 * 1024 * 1024

TEMP_SUFFIX = ".ssot-lint.tmp"
# .NAME.PID.RANDOM.ssot-lint.tmp (this module), .NAME.RANDOM.ssot-lint.tmp (0.1.0's fix),
# .NAME.PID.tmp (0.1.0's cache .gitignore): only these names are ever removed.
_TEMP_NAMES = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>[0-9]+)\.)?[a-z0-9_]{8}"
                         + re.escape(TEMP_SUFFIX) + r"|\.\.gitignore\.(?P<lpid>[0-9]+)\.tmp")
# A temporary file without a process id is stale once it is this old (seconds): a
# write takes milliseconds, and a live run's file is never this old.
_ORPHAN_AGE = 3600


class RefusedPath(OSError):
    """A path ssot-lint will not read or write; ``strerror`` says why and what to do."""

    def __init__(self, path: Path | str, reason: str, code: int = errno.EINVAL) -> None:
        super().__init__(code, reason, str(path))


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(path: Path | str, mode: int) -> RefusedPath:
    return RefusedPath(path, f"{kind_of(mode)}, not a regular file; not read")


class TooLarge(RefusedPath):
    """A regular file over the read limit (``size`` is what was seen)."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(path, f"file is {size:,} bytes, over the {limit:,}-byte limit; "
                               "not read", errno.EFBIG)
        self.size = size
        self.limit = limit


def machine_memory() -> int | None:
    """Bytes of memory this process may use: the smaller of the physical memory and a
    cgroup (container) limit; None when neither can be learned."""
    sizes: list[int] = []
    with contextlib.suppress(AttributeError, ValueError, OSError):
        sizes.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    for limit_file in ("/sys/fs/cgroup/memory.max",
                       "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = read_text(limit_file, 64).strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text.isdigit() and 0 < int(text) < 1 << 60:  # "max" or a huge number: none
            sizes.append(int(text))
    positive = [size for size in sizes if size > 0]
    return min(positive) if positive else None


def default_max_file_size() -> int:
    """The default ``max_file_size``: 10 MiB, less on a machine that could not hold the
    syntax tree of a worst-case file that size (memory / 400, at least 1 MiB)."""
    memory = machine_memory()
    if memory is None:
        return SOURCE_LIMIT
    return max(_MIN_SOURCE_LIMIT, min(SOURCE_LIMIT, memory // _BYTES_PER_SOURCE_BYTE))


def read_bytes(path: Path | str, limit: int = DATA_LIMIT) -> bytes:
    """The bytes of the regular file ``path``; ``RefusedPath`` (an ``OSError``) otherwise.

    ``TooLarge`` when it has more than ``limit`` bytes (checked on the opened
    descriptor, and again while reading, for a file that grows).
    """
    before = os.stat(path)  # a FIFO or device is refused without even being opened
    if not stat.S_ISREG(before.st_mode):
        raise _not_regular(path, before.st_mode)
    if before.st_size > limit:
        raise TooLarge(path, before.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        opened = os.fstat(fd)  # the file actually opened: it may have been swapped
        if not stat.S_ISREG(opened.st_mode):
            raise _not_regular(path, opened.st_mode)
        if opened.st_size > limit:
            raise TooLarge(path, opened.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            # the size fstat saw plus one, so that one read usually reaches the end
            chunk = os.read(fd, min(max(opened.st_size + 1 - total, 1 << 16),
                                    limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise TooLarge(path, total, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path | str, limit: int = DATA_LIMIT) -> str:
    """The UTF-8 text of ``path`` (``read_bytes``'s checks; ``UnicodeDecodeError``)."""
    return read_bytes(path, limit).decode("utf-8")


def check_readable_file(path: Path | str) -> None:
    """Raise ``RefusedPath`` unless ``path`` (links followed) is a regular file.

    For inputs read by another library (``open`` in ``tomllib``'s caller, say), and to
    refuse a FIFO or device named on the command line before any work is done.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)


def reason(exc: BaseException) -> str:
    """An error's words without the ``[Errno N]`` and the repeated path."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _inside(real: str, within: Path) -> bool:
    base = os.path.realpath(within)
    return real == base or real.startswith(os.path.join(base, ""))


def write_atomic(path: Path | str, data: bytes, *, within: Path | None = None,
                 expected: bytes | None = None) -> None:
    """Replace (or create) ``path`` with ``data``, atomically, keeping its metadata.

    ``within``: refuse a path whose real location is not inside this directory;
    by default the real directory the path is named in, so a symbolic link at ``path``
    may point to a file next to it but never elsewhere.
    ``expected``: replace only if the file still has exactly these bytes (a
    compare-and-swap against a concurrent writer); ``RefusedPath`` otherwise.
    The parent directory must exist: a mistyped ``-o`` does not create directories.
    Raises ``OSError`` (``RefusedPath`` for a refusal); the old file is then intact.
    """
    shown = str(path)
    real = os.path.realpath(path)
    if within is None:
        within = Path(os.path.realpath(os.path.dirname(os.path.abspath(path))))
    if not _inside(real, within):
        raise RefusedPath(shown, f"its real location {real} is outside {within} (a symbolic "
                                 "link); ssot-lint does not write there")
    target = Path(real)
    directory = target.parent
    if not directory.is_dir():
        raise RefusedPath(shown, f"directory {directory} does not exist; create it first",
                          errno.ENOENT)
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None:
        if not stat.S_ISREG(old.st_mode):
            raise RefusedPath(shown, f"{kind_of(old.st_mode)}, not a regular file; not written")
        if old.st_nlink > 1:
            raise RefusedPath(shown, f"the file has {old.st_nlink} hard links; replacing it "
                                     "would separate it from the others, so it is not written "
                                     "(break the link with `cp` first)", errno.EMLINK)
    sweep_temporaries(directory)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.",
                                     suffix=TEMP_SUFFIX, dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if old is not None:
                _copy_metadata(target, handle.fileno(), temp, old)
            else:
                _chmod(handle.fileno(), temp, 0o666 & ~_umask())
            os.fsync(handle.fileno())
        if expected is not None:
            try:
                current = read_bytes(target, max(len(expected), 1))
            except OSError as exc:
                raise RefusedPath(shown, "the file changed on disk since it was read; not "
                                         f"overwritten ({exc.strerror or exc})") from exc
            if current != expected:
                raise RefusedPath(shown, "the file changed on disk since it was read; not "
                                         "overwritten (run again)")
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_directory(directory)


def _chmod(fd: int, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows before 3.13: only the read-only bit exists anyway
        os.chmod(path, mode)


def _copy_metadata(source: Path, fd: int, temp: Path, old: os.stat_result) -> None:
    """Give the new file (``fd``) the old one's mode, owner, group and extended attributes.

    Owner and group are set only when the process may (root, or a group it is in);
    otherwise the file gets the writer's, as any editor would. Mode comes after
    ``fchown`` (which clears set-id bits) and before the attributes (an ACL's mask
    must win over the group bits).
    """
    if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except PermissionError:
            with contextlib.suppress(PermissionError):  # not root: at least a group of ours
                os.fchown(fd, -1, old.st_gid)
    _chmod(fd, temp, stat.S_IMODE(old.st_mode))
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return  # the file system has no extended attributes
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(source, name))
        except OSError:
            # e.g. security.* without the privilege to set it; the file is still written
            continue


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (a crash right after does not bring the old file back)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_swept: set[str] = set()


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill(pid, 0) sends Ctrl-C
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists (another user's), or cannot tell: keep the file
    return True


def is_stale_temporary(directory: Path, name: str) -> bool:
    """Whether ``name`` in ``directory`` is an ssot-lint temporary file nobody writes.

    Stale: its process is gone (the process id is in the name), or, for a name without
    one (ssot-lint 0.1.0's ``fix``), it is over an hour old.
    """
    match = _TEMP_NAMES.fullmatch(name)
    if match is None:
        return False
    pid = match.group("pid") or match.group("lpid")
    if pid is not None:
        return not _alive(int(pid))
    try:
        info = os.lstat(directory / name)
    except OSError:
        return False
    import time

    return stat.S_ISREG(info.st_mode) and time.time() - info.st_mtime > _ORPHAN_AGE


def sweep_temporaries(directory: Path) -> list[str]:
    """Remove stale ssot-lint temporary files from ``directory`` (once per process).

    Only names ssot-lint itself creates are considered, and only regular files whose
    writer is gone; anything else, including a live run's file, is left alone.
    Returns the names removed.
    """
    key = os.path.realpath(directory)
    if key in _swept:
        return []
    _swept.add(key)
    removed: list[str] = []
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries
                     if e.name.startswith(".") and e.name.endswith(".tmp")
                     and e.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    for name in sorted(names):
        if is_stale_temporary(directory, name):
            try:
                os.unlink(directory / name)
            except OSError:
                continue
            removed.append(name)
    return removed
