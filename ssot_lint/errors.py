"""One error root for everything that should stop a run with exit code 2.

Errors in *analyzed* code never raise: they become findings. Errors here are about
the user's inputs to ssot-lint itself (registry, configuration, command line), and
each carries the file, line and key so the message tells the user what to edit.
"""

from __future__ import annotations

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: An internal error -- a bug in ssot-lint, never a verdict on the code or the inputs --
#: so CI can tell a crash from a failing lint (1) and from bad input (2).
EXIT_INTERNAL = 3
#: Set to 1 to get the full traceback of an internal error.
DEBUG_ENV = "SSOT_LINT_DEBUG"


class ExitCode(Exception):
    """Raised by a command to end the run with ``code`` (0 clean, 1 findings, 2 errors).

    Commands never call ``sys.exit``; ``ssot_lint.cli.main`` turns this into the exit code.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class SsotLintError(Exception):
    """Base class for errors that end a run with exit code 2."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
            where += ": "
        key = f"[{self.key}] " if self.key else ""
        return f"{where}{key}{self.message}"


class ConfigError(SsotLintError):
    """The ``[tool.ssot-lint]`` configuration or a command-line option is invalid."""


class RegistryError(SsotLintError):
    """The registry file (or directory) is malformed or contradicts itself."""


class MultiError(SsotLintError):
    """Several independent errors, reported all at once so one run shows every problem."""

    def __init__(self, errors: list[SsotLintError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def error_lines(error: SsotLintError) -> list[str]:
    """One line per independent error (a ``MultiError`` is several), unescaped: the caller
    escapes each, so a line break inside a registry key cannot start an unprefixed line."""
    if isinstance(error, MultiError):
        return [line for sub in error.errors for line in error_lines(sub)]
    return [str(error)]
