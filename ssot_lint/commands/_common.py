"""Helpers shared by the subcommands (kept out of ``cli`` so commands never import it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

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
source_options = _stack(
    click.option("--target-version", help="Python version the code targets, e.g. 3.11."),
    click.option("--exclude", multiple=True, help="Extra gitignore-style patterns to skip."),
)
