"""Helpers shared by the subcommands (kept out of ``cli`` so commands never import it)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def split_codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select A,B --select C`` -> ("A", "B", "C")."""
    return tuple(code.strip().upper() for value in values for code in value.split(",")
                 if code.strip())


def _stack(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Apply click options so they appear in ``--help`` in the order given."""

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


# Every command that reads a project takes these the same way.
registry_options = _stack(
    click.option("--registry", type=click.Path(path_type=Path),
                 help="Registry file or directory (default: ssot-registry.toml at the root)."),
    click.option("--config", "config_file", type=click.Path(path_type=Path),
                 help="pyproject.toml (or ssot-lint.toml) to read settings from."),
)
selection_options = _stack(
    click.option("--select", multiple=True,
                 help="Only these rule codes or prefixes (comma-separated)."),
    click.option("--ignore", multiple=True,
                 help="Skip these rule codes or prefixes (comma-separated)."),
)
# How a project is read: one definition for every command that reads one (check, fix,
# graph, audit, registry init/verify), so each takes the same options, environment
# variables and config keys; ``read_overrides`` turns them into ``Config`` overrides.
_READING = (
    click.option("--target-version", help="Python version the code targets, e.g. 3.11."),
    click.option("--exclude", multiple=True,
                 help="Extra gitignore-style patterns to skip (added to the configured ones)."),
    click.option("--extend-exclude", multiple=True,
                 help="Same as --exclude (ruff's spelling): patterns added to the "
                      "configured ones."),
    click.option("--jobs", "-j", type=click.IntRange(min=1),
                 help="Processes for fact extraction (default: available cores)."),
    click.option("--cache-dir", type=click.Path(path_type=Path), envvar="SSOT_LINT_CACHE_DIR",
                 help="Facts cache directory (default: .ssot_lint_cache at the root; "
                      "env SSOT_LINT_CACHE_DIR)."),
    click.option("--no-cache", is_flag=True, default=False,
                 help="Neither read nor write the cache."),
    click.option("--executor", type=click.Choice(["local", "dask"]),
                 help="Where extraction runs: local processes (default) or a Dask cluster."),
    click.option("--scheduler",
                 help="Dask scheduler address for --executor dask (tcp://host:8786)."),
    click.option("--max-file-size", type=click.IntRange(min=1), metavar="BYTES",
                 help="Report larger files (SSOT002) instead of parsing them (default: 10 MiB)."),
)
source_options = _stack(*_READING)
# `registry init` has an `--exclude` of its own (files init does not learn from but
# `check` still checks), so it takes the reading options without the two exclude ones.
source_options_without_exclude = _stack(*_READING[:1], *_READING[3:])

SOURCE_KEYS = ("target_version", "exclude", "extend_exclude", "jobs", "cache_dir", "no_cache",
               "executor", "scheduler", "max_file_size")


def read_overrides(options: dict[str, Any]) -> dict[str, Any]:
    """Pop ``source_options``' values from a command's keyword arguments and return
    them as ``Config`` overrides (None and () mean "as configured")."""
    values = {key: options.pop(key, None) for key in SOURCE_KEYS}
    cache_dir = values["cache_dir"]
    return {
        "target_version": values["target_version"],
        "exclude": tuple(values["exclude"] or ()) + tuple(values["extend_exclude"] or ()),
        "jobs": values["jobs"], "cache": False if values["no_cache"] else None,
        "cache_dir": Path(cache_dir).resolve() if cache_dir else None,
        "executor": values["executor"], "scheduler": values["scheduler"],
        "max_file_size": values["max_file_size"],
    }


PROGRESS_DELAY = 2.0  # seconds of silence before a progress line appears


class LineProgress:
    """A progress callback redrawing one line on a terminal: "reading 812/2,788 files",
    then "checking ...". Nothing is drawn during the first ``delay`` seconds, so a
    quick run (a warm cache) prints nothing at all."""

    def __init__(self, stream: IO[str], delay: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._start = clock()
        self._delay = delay
        self._last = float("-inf")
        self._shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self._clock()
        if now - self._start < self._delay or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        self._stream.write(f"\rssot-lint: {phase} {done:,}/{total:,} files\x1b[K")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:  # leave the terminal as it was: the line is erased
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


def progress_wanted(stream: IO[str], env: Mapping[str, str], quiet: bool = False,
                    flag: bool | None = None) -> bool:
    """An explicit ``--progress``/``--no-progress`` wins; otherwise progress is drawn
    only on a terminal, never with ``--quiet``, in CI (``CI`` set) or on a dumb one."""
    if flag is not None:
        return flag
    isatty = getattr(stream, "isatty", None)
    if quiet or not (callable(isatty) and isatty()):
        return False
    return not env.get("CI") and env.get("TERM") != "dumb"


@contextmanager
def terminal_progress(*, quiet: bool = False, flag: bool | None = None
                      ) -> Iterator[Callable[[str, int, int], None] | None]:
    """The progress callback for a command (None when no progress is wanted).

    ``SSOT_LINT_PROGRESS_DELAY`` (seconds, default 2) sets how long a run stays
    silent before the line appears; an explicit ``--progress`` shows it at once.
    """
    env = os.environ
    if not progress_wanted(sys.stderr, env, quiet, flag):
        yield None
        return
    try:
        delay = float(env.get("SSOT_LINT_PROGRESS_DELAY", PROGRESS_DELAY))
    except ValueError:
        delay = PROGRESS_DELAY
    line = LineProgress(sys.stderr, 0.0 if flag else delay)
    try:
        yield line
    finally:
        line.close()
