"""Run ``ssot-lint ARGS`` under a ``sys.addaudithook`` guard (used by test_security.py).

The hook sees every import, code execution, socket connection, process launch and
file opened for writing in this process and its forked workers. Anything that would
mean the analysed project's code ran, or that ssot-lint wrote outside what it was
asked to, prints ``AUDIT VIOLATION: ...`` and ends the process with exit code 97 at
once (raising would let an ``except OSError`` swallow it).

Environment: SSOT_AUDIT_ROOT (the analysed project), SSOT_AUDIT_MODULES (comma-separated
top-level module names found in it), SSOT_AUDIT_WRITABLE (os.pathsep-separated paths
that may be written to, each a file or a directory prefix).
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.realpath(os.environ["SSOT_AUDIT_ROOT"])
MODULES = frozenset(filter(None, os.environ.get("SSOT_AUDIT_MODULES", "").split(",")))
WRITABLE = tuple(os.path.realpath(p) for p in
                 os.environ.get("SSOT_AUDIT_WRITABLE", "").split(os.pathsep) if p)
LAUNCHES = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
            "os.startfile", "pty.spawn")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _violation(what: str) -> None:
    os.write(2, f"AUDIT VIOLATION: {what}\n".encode("utf-8", "replace"))
    os._exit(97)


def _under(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _written_as(real: str) -> str:
    """The file an ssot-lint temporary file (``.NAME.PID.RANDOM.ssot-lint.tmp``, beside
    NAME, renamed over it) stands for; any other path stands for itself."""
    directory, name = os.path.split(real)
    parts = name.split(".")
    if name.startswith(".") and name.endswith(".ssot-lint.tmp") and len(parts) >= 6 \
            and parts[-4].isdigit():
        return os.path.join(directory, ".".join(parts[1:-4]))
    return real


def _check_write(path: object, what: str) -> None:
    if isinstance(path, int):
        return  # an already-open descriptor
    real = _written_as(os.path.realpath(os.fsdecode(path)))  # type: ignore[arg-type]
    if real == os.devnull or any(_under(real, allowed) for allowed in WRITABLE):
        return
    _violation(f"{what} {real}")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event == "import":
        module, filename = str(args[0]), args[1]
        if module.split(".")[0] in MODULES:
            _violation(f"import of project module {module}")
        if isinstance(filename, str) and _under(os.path.realpath(filename), ROOT):
            _violation(f"import of project file {filename}")
    elif event == "exec":
        filename = getattr(args[0], "co_filename", "")
        if os.path.isabs(filename) and _under(os.path.realpath(filename), ROOT):
            _violation(f"exec of project code {filename}")
    elif event == "socket.connect":
        if isinstance(args[1], tuple):  # an internet address; local pipes are fine
            _violation(f"socket.connect {args[1]}")
    elif event.startswith(LAUNCHES):
        _violation(f"{event} {args!r:.200}")
    elif event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing and path is not None:
            _check_write(path, "open for writing")
    elif event in ("os.rename", "os.replace", "os.remove", "os.rmdir", "os.truncate",
                   "shutil.rmtree", "os.symlink", "os.link", "os.chmod"):
        for path in args[:2]:
            if isinstance(path, (str, bytes, os.PathLike)):
                _check_write(path, event)
    elif event == "sqlite3.connect":
        database = args[0]
        if database not in (":memory:", "", None):
            _check_write(database, "sqlite3.connect")


if __name__ == "__main__":
    sys.addaudithook(_hook)
    from ssot_lint.cli import main

    main(sys.argv[1:])
