"""``ssot-lint graph``: export the dependency graph, violating edges marked.

Module-level imports stay light (click only); the graph machinery and networkx are
imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ssot_lint.commands._common import (
    read_overrides,
    registry_options,
    source_options,
    terminal_progress,
)

if TYPE_CHECKING:
    from ssot_lint.resolve.project import Project


@click.command(name="graph")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", default="dot", show_default=True,
              type=click.Choice(["dot", "mermaid", "json", "graphml"]), help="Output format.")
@click.option("--level", default="module", show_default=True,
              type=click.Choice(["service", "package", "module"]),
              help="Draw services (with import counts), packages or modules.")
@click.option("--depth", type=click.IntRange(min=1),
              help="Cut module/package names to their first N components.")
@click.option("--focus", metavar="MODULE",
              help="Only edges touching MODULE (or anything under it) and its neighbours.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to FILE instead of standard output.")
@registry_options
@source_options
def command(paths: tuple[Path, ...], output_format: str, level: str, depth: int | None,
            focus: str | None, output: Path | None, registry: Path | None,
            config_file: Path | None, **source: Any) -> None:
    """Export the first-party import graph of PATHS (default: the whole project).

    PATHS limit the graph to the imports made by files under them; the whole project
    is still read. Edges that break a rule (SSOT201-SSOT204) are marked red.
    """
    from ssot_lint.api import build_project, resolve_config, select_files
    from ssot_lint.errors import ConfigError
    from ssot_lint.graph.analysis import analysis_of
    from ssot_lint.graph.export import RENDERERS
    from ssot_lint.graph.view import build_view

    config = resolve_config(list(paths), config_file=config_file, registry=registry,
                            **read_overrides(source))
    with terminal_progress() as progress:
        project = build_project(config, progress=progress)
    files = {f.rel for f in select_files(project, list(paths))} if paths else None
    view = build_view(analysis_of(project).modules, level=level, depth=depth, focus=focus,
                      files=files, marks=_marks(project))
    text = RENDERERS[output_format](view)
    if output is None:
        click.echo(text, nl=False)
        return
    from ssot_lint.files import write_atomic

    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(view.nodes)} nodes and {len(view.edges)} edges to {output}", err=True)


def _marks(project: Project) -> dict[tuple[str, str], set[str]]:
    """The edges the graph rules (``Rule.graph``) report, as ``check`` would report them."""
    from ssot_lint.engine import code_enabled, run_rules
    from ssot_lint.graph.analysis import analysis_of
    from ssot_lint.graph.marks import violation_marks
    from ssot_lint.rules import all_rules
    from ssot_lint.rules._graph import GraphRule

    config = project.config
    rules = [rule() for rule in all_rules()
             if rule.graph and code_enabled(rule.code, config.select, config.ignore)]
    if not rules:
        return {}
    findings = run_rules(project, project.files, [rule.code for rule in rules], (),
                         cwd=config.root)
    analysis = analysis_of(project)
    whole = [violation for rule in rules
             if isinstance(rule, GraphRule) and rule.marks_all_edges
             for violation in analysis.violations(rule)]
    return violation_marks(analysis.modules, findings, whole)
