"""``--changed-since REV``: which files a pull request touches, according to git.

The project is still read and judged whole (a boundary is crossed by an import in
one file, but the boundary is defined by the rest); this module only decides which
findings a pull-request check shows: those in changed files, plus findings whose
*chain* touches a changed file. Graph rules say which files a finding's chain goes
through by adding ``("touches", path)`` pairs to ``Finding.extra`` (paths written
like ``Finding.path``: POSIX, relative to the working directory), one pair per file.

Changed means: differs between the merge base of ``REV`` and ``HEAD`` and the working
tree (so committed, staged and unstaged edits all count, but commits that landed on
``REV`` after the branch was cut do not), plus untracked files that are not ignored.
Deleted files have nothing to report and are left out.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from ssot_lint.errors import ConfigError
from ssot_lint.model.finding import Finding

TOUCHES_KEY = "touches"


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", check=False)
    except FileNotFoundError:
        raise ConfigError("--changed-since needs git, and `git` is not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise ConfigError(f"--changed-since: `git {' '.join(args)}` failed: {message}")
    return done.stdout


def changed_files(rev: str, cwd: Path) -> set[Path]:
    """Absolute paths of existing files changed since ``rev`` (see the module docstring)."""
    if not rev or rev.startswith("-"):
        raise ConfigError(f"--changed-since expects a git revision, got {rev!r}")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
        base = _git(["merge-base", rev, "HEAD"], top).strip()
    except ConfigError:
        raise ConfigError(f"--changed-since: {rev!r} is not a git revision with a common "
                          "history with HEAD (in CI, fetch it first, e.g. `git fetch origin "
                          "main`, and check out with full history)") from None
    listed = _git(["diff", "--name-only", "--no-renames", "-z", base, "--"], top)
    listed += _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], top)
    found = set()
    for name in listed.split("\0"):
        if name:
            path = top / name
            if path.is_file():
                found.add(path.resolve())
    return found


def touches(paths: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``Finding.extra`` pairs for the files a chain goes through (sorted, no repeats).

    A rule adds them with ``dataclasses.replace(finding, extra=finding.extra +
    touches(paths))``; paths are display paths, like ``Finding.path``.
    """
    return tuple((TOUCHES_KEY, path) for path in sorted(set(paths)))


def touched_paths(finding: Finding) -> tuple[str, ...]:
    """The files a finding is about: its own path plus any chain it reports."""
    return (finding.path, *(value for key, value in finding.extra if key == TOUCHES_KEY))


def filter_changed(findings: Iterable[Finding], changed: set[Path],
                   cwd: Path | None = None) -> list[Finding]:
    """Findings in a changed file, or whose chain touches one."""
    base = cwd or Path.cwd()
    resolved: dict[str, bool] = {}

    def is_changed(display: str) -> bool:
        if display not in resolved:
            resolved[display] = Path(os.path.normpath(base / display)).resolve() in changed
        return resolved[display]

    return [f for f in findings if any(is_changed(p) for p in touched_paths(f))]
