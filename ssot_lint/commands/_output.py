"""What ``check`` does after the rules ran: narrow, baseline, render, write, exit code.

These are the options a CI job or pre-commit hook cares about (``--output-file``,
``--statistics``, ``--fail-on``, ``--changed-since``, the baseline options). They live
here, as one decorator and one function, so the shared ``check`` command only wires
them in. Order matters and is fixed: fingerprints are computed on the full result
(occurrence indexes must not depend on what is shown), then ``--changed-since``
narrows, then the baseline removes tolerated findings, then the report is rendered
and the exit code decided from what is left.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import click

from ssot_lint.escape import portable
from ssot_lint.model.finding import SEVERITY_ORDER

F = TypeVar("F", bound=Callable[..., Any])


def output_options(func: F) -> F:
    """The CI/output options of ``check``, as one decorator."""
    options = [
        click.option("--output-file", "-o", "output_file", type=click.Path(path_type=Path),
                     help="Write the report to this file instead of standard output."),
        click.option("--statistics", is_flag=True, default=False,
                     help="Print the number of findings per rule instead of the findings."),
        click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
                     default="info", show_default=True,
                     help="Lowest severity that makes the exit code 1."),
        click.option("--changed-since", metavar="REV",
                     help="Only report findings in files changed since git revision REV "
                          "(judged against the whole project)."),
        click.option("--baseline", "baseline_file", type=click.Path(path_type=Path),
                     help="Report only findings not recorded in this baseline file."),
        click.option("--write-baseline", type=click.Path(path_type=Path),
                     help="Record the current findings in this baseline file and exit 0."),
        click.option("--update-baseline", is_flag=True, default=False,
                     help="With --baseline: remove entries that no longer match (never adds)."),
        click.option("--strict-baseline", is_flag=True, default=False,
                     help="With --baseline: exit 1 when an entry no longer matches."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass(frozen=True)
class OutputOptions:
    output_file: Path | None = None
    statistics: bool = False
    fail_on: str = "info"
    changed_since: str | None = None
    baseline_file: Path | None = None
    write_baseline: Path | None = None
    update_baseline: bool = False
    strict_baseline: bool = False

    @classmethod
    def of(cls, values: dict[str, Any]) -> OutputOptions:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known and v is not None})


def deliver(result: Any, config: Any, paths: Sequence[Path], values: dict[str, Any]) -> int:
    """Render ``result`` (an ``api.CheckResult`` for ``paths``) as asked; return the exit code."""
    from ssot_lint.api import select_files
    from ssot_lint.baseline import (
        apply_baseline,
        entries_for,
        read_baseline,
        root_relative,
        with_fingerprints,
        write_baseline,
    )
    from ssot_lint.engine import code_enabled

    def ran(code: str) -> bool:
        return code_enabled(code, config.select, config.ignore)

    opts = OutputOptions.of(values)
    _validate(opts, config.output_format)
    cwd = Path.cwd()
    findings = with_fingerprints(result.findings, config.root, cwd)
    # The baseline's scope: root-relative paths of the files this run reports on.
    scope = {source.rel for source in select_files(result.project, paths)}
    changed_count: int | None = None
    if opts.changed_since is not None:
        from ssot_lint.changed import changed_files, filter_changed

        changed = changed_files(opts.changed_since, cwd)
        findings = filter_changed(findings, changed, cwd)
        changed_in_scope = {rel for rel in scope if (config.root / rel).resolve() in changed}
        changed_count = len(changed_in_scope)
        scope = {portable(root_relative(f.path, config.root, cwd)) for f in findings} | \
            changed_in_scope

    if opts.write_baseline is not None:
        previous = read_baseline(opts.write_baseline) if _exists(opts.write_baseline) else []
        # entries this run could not have reproduced (other files, rules not run) are kept
        outside = [e for e in previous if e.identity.path not in scope or not ran(e.identity.code)]
        entries = entries_for(findings, config.root, cwd, previous) + outside
        write_baseline(opts.write_baseline, entries)
        click.echo(f"ssot-lint: wrote {_n(len(entries), 'baseline entr', 'y', 'ies')} to "
                   f"{opts.write_baseline}", err=True)
        return 0

    notes: list[str] = []
    stale_count = 0
    failures: tuple[str, ...] = ()
    if opts.baseline_file is not None:
        outcome = apply_baseline(findings, read_baseline(opts.baseline_file), scope,
                                 config.root, cwd, ran)
        findings, stale_count = outcome.new, len(outcome.stale)
        notes.append(f"baseline: {_n(outcome.matched, 'known finding', '', 's')} hidden, "
                     f"{len(findings)} new")
        for entry in outcome.stale:
            who = f" (owner: {entry.owner})" if entry.owner else ""
            notes.append(f"baseline: no longer found (fixed or stale): {entry.identity.code} "
                         f"{entry.identity.path} `{entry.identity.symbol}` "
                         f"#{entry.identity.occurrence}{who}")
        if stale_count and opts.update_baseline:
            write_baseline(opts.baseline_file, outcome.kept)
            notes.append(f"baseline: removed {_n(stale_count, 'entr', 'y', 'ies')} from "
                         f"{opts.baseline_file}")
        elif stale_count:
            notes.append(f"baseline: {_n(stale_count, 'entr', 'y is', 'ies are')} now fixed or "
                         "stale; remove them with --update-baseline")

    stale_fails = opts.strict_baseline and stale_count > 0 and not opts.update_baseline
    if stale_fails:
        failures = (f"{_n(stale_count, 'baseline entr', 'y is', 'ies are')} fixed or stale "
                    "(--strict-baseline)",)
    _emit(findings, result.files_checked, config, opts, changed_count, failures)
    for note in notes:
        click.echo(f"ssot-lint: {note}", err=True)
    threshold = SEVERITY_ORDER[opts.fail_on]
    failing = any(SEVERITY_ORDER.get(f.severity, 0) <= threshold for f in findings)
    return 1 if (failing or stale_fails) and not config.exit_zero else 0


def _exists(path: Path) -> bool:
    """Whether anything is at ``path`` (``read_baseline`` refuses what is not a file)."""
    return os.path.lexists(path)


def _validate(opts: OutputOptions, output_format: str) -> None:
    from ssot_lint.errors import ConfigError

    if (opts.update_baseline or opts.strict_baseline) and opts.baseline_file is None:
        raise ConfigError("--update-baseline and --strict-baseline need --baseline FILE")
    if opts.write_baseline is not None and opts.baseline_file is not None:
        raise ConfigError("use either --write-baseline FILE or --baseline FILE, not both")
    if opts.statistics and output_format not in ("text", "json"):
        raise ConfigError(f"--statistics prints text or json, not {output_format}")


def _emit(findings: list[Any], files_checked: int, config: Any, opts: OutputOptions,
          changed_count: int | None = None, failures: tuple[str, ...] = ()) -> None:
    from ssot_lint.report import Summary, renderer
    from ssot_lint.report.statistics import render_statistics_json, render_statistics_text

    if opts.statistics:
        render = render_statistics_json if config.output_format == "json" \
            else render_statistics_text
        text = render(findings)
    else:
        summary = Summary.of(findings, files_checked, changed_files=changed_count,
                             failures=failures)
        text = renderer(config.output_format)(findings, summary, config.quiet)
    if opts.output_file is None:
        click.echo(text, nl=False)
        return
    from ssot_lint.files import write_atomic

    try:
        write_atomic(opts.output_file, text.encode("utf-8"))
    except OSError as exc:
        from ssot_lint.errors import ConfigError

        raise ConfigError(f"cannot write --output-file: {exc.strerror or exc}",
                          file=opts.output_file.as_posix()) from None


def _n(count: int, stem: str, one: str, many: str) -> str:
    return f"{count} {stem}{one if count == 1 else many}"
