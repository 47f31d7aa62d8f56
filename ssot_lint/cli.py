"""The ``ssot-lint`` command line: options in, exit code out.

Exit codes: 0 no findings, 1 findings, 2 usage/config/registry errors (and an output
that cannot be written), 3 an internal error. Commands never call ``sys.exit``
themselves; errors travel as ``SsotLintError`` to ``main``.
"""

from __future__ import annotations

import contextlib
import os
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
from ssot_lint.commands._output import output_options
from ssot_lint.errors import (
    DEBUG_ENV,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    ExitCode,
    SsotLintError,
    error_lines,
)
from ssot_lint.escape import printable
from ssot_lint.report import FORMATS


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
@click.option("--exit-zero", is_flag=True, default=None,
              help="Exit 0 even when there are findings.")
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
    from ssot_lint.commands._output import deliver

    overrides: dict[str, Any] = {
        "select": _codes(select), "ignore": _codes(ignore), "output_format": output_format,
        "exit_zero": exit_zero, "quiet": quiet, "verify_registry": verify_registry,
        **read_overrides(output),
    }
    config = resolve_config(list(paths), config_file=config_file, registry=registry,
                            **overrides)
    if output.pop("show_diff", False):  # as `fix --diff`: safe fixes only, nothing written
        from ssot_lint.fix.report import unified_diff_bytes, write_diff
        from ssot_lint.fix.run import fix

        with terminal_progress(quiet=bool(config.quiet)) as progress:
            diff = unified_diff_bytes(fix(list(paths), config, write=False, progress=progress))
        write_diff(diff, sys.stdout)  # bytes: never ANSI-stripped
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
    """Console entry point: run the CLI and map every outcome to an exit code.

    0/1 are verdicts, 2 is bad input (including a standard output that cannot be
    written: a full disk, a closed pipe), 3 is a bug in ssot-lint: one line on standard
    error saying so, the traceback only with ``SSOT_LINT_DEBUG=1``. No traceback
    ever reaches a user who did not ask for it.
    """
    real_stdout = sys.stdout
    if real_stdout is not None:
        sys.stdout = _GuardedStdout(real_stdout)
    try:
        _run(argv)
    finally:
        sys.stdout = real_stdout


def _run(argv: Sequence[str] | None) -> None:
    try:
        code = _invoke(argv)
        _flush_stdout()  # a full or closed stdout fails here, not at interpreter exit
    except OutputError as exc:
        _silence_stdout()
        _error(f"ssot-lint: error: {printable(str(exc))}")
        sys.exit(EXIT_ERROR)
    except SsotLintError as exc:
        _error("\n".join(f"ssot-lint: error: {printable(line)}" for line in error_lines(exc)))
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        _error("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 -- the last line of defence: no traceback
        _internal_error(exc)
    sys.exit(code)


def _invoke(argv: Sequence[str] | None) -> int:
    """Run the command; its verdict as an exit code (errors propagate)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="ssot-lint",
                 standalone_mode=False)
    except ExitCode as exc:
        return exc.code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return EXIT_CLEAN


def _flush_stdout() -> None:
    # None: started with stdout closed (click writes nothing); closed: a command that
    # owns the stream (the language server's transport) closed it when done
    if sys.stdout is not None and not getattr(sys.stdout, "closed", False):
        sys.stdout.flush()


class OutputError(SsotLintError):
    """Standard output cannot be written (full disk, closed pipe): exit 2, one line."""


class _GuardedStdout:
    """``sys.stdout`` for the length of a run: a failing write or flush becomes an
    ``OutputError`` instead of an ``OSError`` that could come from anywhere."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            written = self._stream.write(text)
        except OSError as exc:
            raise _output_error(exc) from exc
        return written if isinstance(written, int) else len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _output_error(exc) from exc
        except ValueError as exc:  # flushed after being closed
            raise OutputError("cannot write to standard output: it is closed") from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_error(exc: OSError) -> OutputError:
    return OutputError(f"cannot write to standard output: {exc.strerror or exc}")


def _silence_stdout() -> None:
    """Point the standard output descriptor at /dev/null: Python flushes ``sys.stdout``
    again on the way out, and a second failure there would print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]  # checked
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _error(text: str) -> None:
    """Error lines on standard error; a failing stderr is ignored (nowhere left to report)."""
    with contextlib.suppress(OSError):
        click.echo(text, err=True)


def _internal_error(exc: BaseException) -> None:
    """A bug: one line naming it and where to report it, the traceback on request."""
    if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    detail = printable(str(exc))
    if len(detail) > 200:
        detail = detail[:200] + "..."
    _error(f"ssot-lint: internal error: {type(exc).__name__}: {detail} -- this is a bug in "
           f"ssot-lint {__version__}; please report it to the ssot-lint issue tracker with "
           f"the output of the same command run with {DEBUG_ENV}=1")
    sys.exit(EXIT_INTERNAL)
