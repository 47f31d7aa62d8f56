"""``ssot-lint where NAME_OR_PATH``: how do I import X? Answered from the registry.

``ssot-lint registry where`` is the same command (users look for it under both).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="where")
@click.argument("query")
@click.option("--registry", type=click.Path(path_type=Path), help="Registry file or directory.")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="pyproject.toml (or ssot-lint.toml) to read settings from.")
def command(query: str, registry: Path | None, config_file: Path | None) -> None:
    """Print the canonical import for NAME_OR_PATH, its aliases and any breakage.

    Exit 1 when the registry does not know it (close matches are suggested).
    Also available as `ssot-lint registry where`.
    """
    answer(query, registry, config_file)


def answer(query: str, registry: Path | None, config_file: Path | None) -> None:
    """Print what the registry says about ``query``; exit 1 when it knows nothing."""
    from ssot_lint.api import resolve_config
    from ssot_lint.cache import read_registry
    from ssot_lint.errors import EXIT_FINDINGS, ExitCode
    from ssot_lint.registry_tools.where import render, where

    config = resolve_config([], config_file=config_file, registry=registry)
    result = where(read_registry(config), query.strip())
    click.echo(render(result), nl=False)
    if not result.found:
        raise ExitCode(EXIT_FINDINGS)
