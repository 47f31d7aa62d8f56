"""The ``ssot-lint`` command line: options in, exit code out.

Exit codes: 0 no findings, 1 findings, 2 usage/config/registry errors. Commands
never call ``sys.exit`` themselves; errors travel as ``SsotLintError`` to ``main``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ssot_lint import __version__
from ssot_lint.commands._common import (
    read_overrides,
    registry_options,
    selection_options,
    source_options,
    terminal_progress,
)
from ssot_lint.commands._common import split_codes as _codes
from ssot_lint.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ExitCode, SsotLintError
from ssot_lint.report import FORMATS
from ssot_lint.report.output import output_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ssot-lint")
def cli() -> None:
    """Keep a Python codebase true to its single-source-of-truth import registry."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@registry_options
@selection_options
@click.option("--format", "output_format",
              type=click.Choice(list(FORMATS)),
              help="Output format (default: text).")
@source_options
@click.option("--exit-zero", is_flag=True, default=None, help="Exit 0 even when there are findings.")
@click.option("--quiet", "-q", is_flag=True, default=None, help="Print findings only, no summary.")
@click.option("--verify-registry", is_flag=True, default=None,
              help="Also check the registry against the code (SSOT902, like `registry verify`).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of the safe fixes instead of findings; write nothing.")
@output_options
def check(paths: tuple[Path, ...], registry: Path | None, config_file: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], output_format: str | None,
          exit_zero: bool | None, quiet: bool | None, verify_registry: bool | None,
          **output: Any) -> None:
    """Check every import in PATHS (default: the project) against the registry."""
    from ssot_lint.api import check as run_check
    from ssot_lint.api import resolve_config
    from ssot_lint.report.output import deliver

    overrides: dict[str, Any] = {
        "select": _codes(select), "ignore": _codes(ignore), "output_format": output_format,
        "exit_zero": exit_zero, "quiet": quiet, "verify_registry": verify_registry,
        **read_overrides(output),
    }
    config = resolve_config(list(paths), config_file=config_file, registry=registry,
                            **overrides)
    if output.pop("show_diff", False):  # as `fix --diff`: safe fixes only, nothing written
        from ssot_lint.fix.report import unified_diff
        from ssot_lint.fix.run import fix

        with terminal_progress(quiet=bool(config.quiet)) as progress:
            diff = unified_diff(fix(list(paths), config, write=False, progress=progress))
        click.echo(diff, nl=False)
        if diff and not config.exit_zero:
            raise ExitCode(EXIT_FINDINGS)
        return
    with terminal_progress(quiet=bool(config.quiet)) as progress:
        result = run_check(list(paths), config, progress=progress)
    exit_code = deliver(result, config, list(paths), output)
    if exit_code:
        raise ExitCode(exit_code)


def _add_subcommands() -> None:
    """Attach every ``ssot_lint.commands.<name>.command`` to the group."""
    import importlib
    import pkgutil

    from ssot_lint import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_add_subcommands()


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI and map errors to exit code 2."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="ssot-lint",
                 standalone_mode=False)
    except ExitCode as exc:
        sys.exit(exc.code)
    except SsotLintError as exc:
        click.echo(f"ssot-lint: error: {exc}".replace("\n", "\nssot-lint: error: "), err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(EXIT_CLEAN)
