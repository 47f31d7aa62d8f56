"""``ssot-lint fix``: apply safe fixes (and, on request, renames) with libcst."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ssot_lint.commands._common import registry_options, selection_options, source_options


@click.command("fix")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@registry_options
@selection_options
@source_options
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of the fixes and write nothing.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply renames declared drop-in by fix = \"rename\" entries.")
@click.option("--exit-zero", is_flag=True, default=None, help="Exit 0 even when findings remain.")
@click.option("--quiet", "-q", is_flag=True, default=None, help="No summary line.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path),
              help="Leave findings recorded in this baseline file alone: they are not "
                   "fixed, not counted as remaining and do not fail the run.")
def command(paths: tuple[Path, ...], registry: Path | None, config_file: Path | None,
            select: tuple[str, ...], ignore: tuple[str, ...], target_version: str | None,
            exclude: tuple[str, ...], show_diff: bool, unsafe_fixes: bool,
            exit_zero: bool | None, quiet: bool | None, baseline_file: Path | None) -> None:
    """Rewrite imports in PATHS (default: the project) to what the registry says.

    Safe fixes: SSOT101/SSOT111 with a resolvable use_instead of the same name,
    SSOT112 (alias -> canonical home) and SSOT121 (relative -> absolute). Every file is
    re-parsed and compared before an atomic write; see the README for the guarantees.
    """
    from ssot_lint.api import resolve_config
    from ssot_lint.baseline import read_baseline
    from ssot_lint.commands._common import split_codes as _codes
    from ssot_lint.errors import EXIT_FINDINGS, ExitCode
    from ssot_lint.fix.report import fix_report, unified_diff_bytes, write_diff
    from ssot_lint.fix.run import fix

    overrides: dict[str, Any] = {
        "select": _codes(select), "ignore": _codes(ignore), "target_version": target_version,
        "exclude": exclude, "exit_zero": exit_zero, "quiet": quiet,
    }
    config = resolve_config(list(paths), config_file=config_file, registry=registry,
                            **overrides)
    baseline = read_baseline(baseline_file) if baseline_file is not None else None
    result = fix(list(paths), config, unsafe=unsafe_fixes, write=not show_diff,
                 baseline=baseline)
    if show_diff:
        # the diff alone on stdout, as bytes (git apply needs them exact); what would be
        # fixed and the summary on stderr
        write_diff(unified_diff_bytes(result), sys.stdout)
        click.echo(fix_report(result, written=False, quiet=bool(config.quiet)), nl=False,
                   err=True)
    else:
        click.echo(fix_report(result, written=True, quiet=bool(config.quiet)), nl=False)
    failed = bool(result.remaining or result.errors or (show_diff and result.diffs))
    if failed and not config.exit_zero:
        raise ExitCode(EXIT_FINDINGS)
