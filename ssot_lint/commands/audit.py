"""``ssot-lint audit``: write the compliance report (HTML or Markdown) and its JSON data.

An audit is a report, not a gate: it exits 0 whatever it finds (2 for bad input).
The progress bar goes to stderr, and only when stderr is a terminal and ``CI`` is not
set, so CI logs and pipes never fill with bar redraws.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import click

from ssot_lint.commands._common import registry_options, selection_options, source_options

FORMATS = ("html", "markdown")


def show_progress(flag: bool | None, stream: IO[str], env: Mapping[str, str]) -> bool:
    """``--progress``/``--no-progress`` win; by default only on a terminal outside CI."""
    if flag is not None:
        return flag
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return False
    return not env.get("CI") and env.get("TERM") != "dumb"


class TerminalProgress:
    """A progress callback drawing one click progress bar per phase on stderr."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._phase = ""
        self._done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self._phase:
            self.close()
            self._bar = click.progressbar(length=max(total, 1), label=f"{phase} files",
                                          file=sys.stderr, show_pos=True, width=30)
            self._bar.__enter__()
            self._phase, self._done = phase, 0
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _format_for(output: Path | None, chosen: str | None) -> str:
    if chosen:
        return chosen
    if output is not None and output.suffix.lower() in (".md", ".markdown"):
        return "markdown"
    return "html"


def _write(path: Path, text: str, what: str) -> None:
    from ssot_lint.errors import ConfigError

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the {what}: {exc.strerror or exc}; check the "
                          "directory exists and is writable", file=path.as_posix()) from None


@click.command("audit")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file (default: standard output).")
@click.option("--format", "report_format", type=click.Choice(FORMATS),
              help="Report format (default: markdown for a .md output, else html).")
@click.option("--json", "json_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the audit's data as JSON (input for a later --compare).")
@click.option("--compare", "compare_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A previous --json audit: show progress since then.")
@click.option("--title", help="Report title (default: \"SSOT audit of <project>\").")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A check baseline: show the debt it records apart, with compliance "
                   "with and without it.")
@registry_options
@selection_options
@source_options
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only on a terminal, not when CI is set).")
def command(paths: tuple[Path, ...], output: Path | None, report_format: str | None,
            json_file: Path | None, compare_file: Path | None, title: str | None,
            registry: Path | None, config_file: Path | None, select: tuple[str, ...],
            ignore: tuple[str, ...], target_version: str | None, exclude: tuple[str, ...],
            progress: bool | None, baseline_file: Path | None) -> None:
    """Write an SSOT compliance report for PATHS (default: the whole project)."""
    import json

    from ssot_lint.api import resolve_config
    from ssot_lint.audit import audit
    from ssot_lint.audit.compare import compare, load_previous
    from ssot_lint.audit.html import render_html
    from ssot_lint.audit.markdown import render_markdown
    from ssot_lint.baseline import read_baseline
    from ssot_lint.commands._common import split_codes as _codes

    fmt = _format_for(output, report_format)
    previous = load_previous(compare_file) if compare_file is not None else None
    entries = read_baseline(baseline_file) if baseline_file is not None else None
    config = resolve_config(list(paths), config_file=config_file, registry=registry,
                            select=_codes(select), ignore=_codes(ignore),
                            target_version=target_version, exclude=exclude,
                            verify_registry=True)  # registry health is part of the report
    bar = TerminalProgress() if show_progress(progress, sys.stderr, os.environ) else None
    try:
        result = audit(list(paths), config, title=title, progress=bar, baseline=entries,
                       baseline_name=baseline_file.as_posix() if baseline_file else "")
    finally:
        if bar is not None:
            bar.close()
    comparison = compare(result, previous) if previous is not None else None
    render = render_markdown if fmt == "markdown" else render_html
    report = render(result, comparison)
    if json_file is not None:
        data = result.to_dict()
        if comparison is not None:
            data["progress"] = comparison.to_dict()
        _write(json_file, json.dumps(data, indent=2, ensure_ascii=False) + "\n", "audit JSON")
    if output is None or str(output) == "-":
        click.echo(report, nl=False)
    else:
        _write(output, report, "report")
    where = f"{output.as_posix()}: " if output is not None and str(output) != "-" else ""
    click.echo(f"ssot-lint audit: {where}{result.headline()}", err=True)
