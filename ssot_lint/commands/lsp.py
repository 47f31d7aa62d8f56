"""``ssot-lint lsp``: the language server, over stdin/stdout (``ssot-lint[lsp]``)."""

from __future__ import annotations

from pathlib import Path

import click

from ssot_lint.errors import ConfigError


@click.command(name="lsp")
@click.option("--registry", type=click.Path(path_type=Path),
              help="Registry file or directory (default: from the project's config).")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="pyproject.toml (or ssot-lint.toml) to read settings from.")
@click.option("--unsafe-fixes", is_flag=True, default=False,
              help="Also offer rename fixes (fix = \"rename\" entries) as quick fixes.")
@click.option("--docs-url", metavar="URL",
              help="Base URL of the rule pages (<URL>SSOT111.md) linked from diagnostics; "
                   "no links without it.")
@click.option("--debounce", type=click.FloatRange(min=0), default=0.15, show_default=True,
              metavar="SECONDS", help="Quiet time after an edit before the buffer is checked.")
def command(registry: Path | None, config_file: Path | None, unsafe_fixes: bool,
            docs_url: str | None, debounce: float) -> None:
    """Run the language server on stdio (editors start it; see docs/editor.md)."""
    try:
        from ssot_lint.lsp.server import serve
    except ImportError as exc:
        raise ConfigError(f"`ssot-lint lsp` needs the lsp extra ({exc.name} is missing): "
                          "pip install 'ssot-lint[lsp]'") from None
    from ssot_lint.lsp.session import Settings

    serve(Settings(config_file=config_file.resolve() if config_file else None,
                   registry=registry.resolve() if registry else None,
                   unsafe_fixes=unsafe_fixes, docs_url=docs_url, debounce=debounce))
