"""``ssot-lint registry ...``: import, verify, bootstrap and export the registry.

Generated registries go to stdout, or to ``-o FILE`` (never over an existing file
without ``--force``) and are loaded back before the command reports success, so a
file these commands write always loads. Reports for humans go to stderr.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ssot_lint.commands._common import (
    read_overrides,
    registry_options,
    source_options,
    source_options_without_exclude,
    terminal_progress,
)
from ssot_lint.commands.where import command as where_command

if TYPE_CHECKING:
    from ssot_lint.model.config import Config


@click.group(name="registry")
def command() -> None:
    """Import, verify, bootstrap and export the registry."""


def _write(text: str, output: Path | None, force: bool, *, is_toml: bool) -> None:
    """Print ``text`` or write it to ``output``; a written registry must load."""
    from ssot_lint.errors import ConfigError

    if output is None:
        click.echo(text, nl=False)
        return
    from ssot_lint.files import write_atomic

    if os.path.lexists(output) and not force:
        raise ConfigError(f"{output} exists; pass --force to overwrite it")
    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from None
    if is_toml:
        from ssot_lint.load.registry import load_registry

        load_registry(output)
    click.echo(f"wrote {output}", err=True)


def _config(paths: tuple[Path, ...], registry: Path | None, config_file: Path | None,
            **overrides: Any) -> Config:
    from ssot_lint.api import resolve_config

    return resolve_config(list(paths), config_file=config_file, registry=registry,
                          **overrides)


@command.command(name="import-markdown")
@click.argument("markdown", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the TOML registry here (default: stdout).")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A code base to settle ties: the module that defines a name is canonical.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def import_markdown(markdown: Path, output: Path | None, root: Path | None, force: bool) -> None:
    """Convert a Markdown import registry (MARKDOWN) to a TOML registry."""
    from ssot_lint.errors import ConfigError
    from ssot_lint.escape import printable
    from ssot_lint.files import read_text
    from ssot_lint.registry_tools.markdown_merge import convert
    from ssot_lint.registry_tools.toml_writer import render

    try:
        text = read_text(markdown)
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(f"cannot read {markdown}: {why}") from None
    defines = None
    if root is not None:
        from ssot_lint.registry_tools.codebase import defines as code_defines
        from ssot_lint.registry_tools.codebase import load_codebase

        project = load_codebase(root)
        defines = lambda module, name: code_defines(project, module, name)  # noqa: E731
    conversion = convert(text, markdown.name, defines)
    shown = markdown.as_posix()
    for skipped in conversion.skipped:  # the document's text: escaped, one note per line
        click.echo(printable(f"{shown}:{skipped.line}: skipped: {skipped.reason}: "
                             f"{skipped.text}"), err=True)
    for message in conversion.report.contradictions:
        click.echo(printable(f"{shown}: contradiction: {message}"), err=True)
    for message in conversion.report.ties:
        click.echo(printable(f"{shown}: tie: {message}"), err=True)
    counts = conversion.summary()
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()), err=True)
    _write(render(conversion.draft), output, force, is_toml=True)


@command.command(name="verify")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@registry_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              help="Output format (default: text).")
@source_options
def verify(paths: tuple[Path, ...], registry: Path | None, config_file: Path | None,
           output_format: str | None, **source: Any) -> None:
    """Check the registry against the code (SSOT902); exit 1 if anything is stale.

    PATHS locate the project (default: the current directory), as for `check`.
    """
    from ssot_lint.api import build_project
    from ssot_lint.errors import EXIT_FINDINGS, ExitCode
    from ssot_lint.registry_tools.verify import scope_notes, verify_registry
    from ssot_lint.report import Summary
    from ssot_lint.report.json_report import render_json
    from ssot_lint.report.text import render_text

    config = _config(paths, registry, config_file, **read_overrides(source))
    with terminal_progress() as progress:
        project = build_project(config, progress=progress)
    findings = verify_registry(project)
    entries = (len(project.registry.symbols) + len(project.registry.broken)
               + len(project.registry.deprecated) + len(project.registry.services)
               + len(project.registry.layers) + len(project.registry.contracts))
    renderer = render_json if output_format == "json" else render_text
    click.echo(renderer(findings, Summary.of(findings, len(project.registry.files)), True),
               nl=False)
    if (output_format or "text") == "text":
        for note in scope_notes(project):
            click.echo(note)
        state = f"{len(findings)} stale" if findings else "all verified"
        click.echo(f"Registry {', '.join(project.registry.files)}: {entries} entries, {state}.")
    if findings:
        raise ExitCode(EXIT_FINDINGS)


@command.command(name="init")
@click.argument("path", required=False, default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the registry here (default: stdout).")
@click.option("--source-root", "source_roots", multiple=True,
              help="Source root relative to PATH (repeatable; default: detected).")
@click.option("--package", "packages", multiple=True,
              help="First-party top-level package (repeatable; default: detected).")
@click.option("--canonical", type=click.Choice(["most-used", "public", "defining"]),
              default="most-used", show_default=True,
              help="Which path is canonical: the one the project imports most (ties: the "
                   "shallowest public path), the shallowest public path, or the defining "
                   "module.")
@click.option("--services-depth", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="N",
              help="Make the packages at depth N services (2 = each subpackage of a "
                   "top-level package), for single-package projects.")
@click.option("--exclude", "init_exclude", multiple=True, metavar="GLOB",
              help="Do not read definitions or re-exports from files matching this "
                   "gitignore-style glob (repeatable); `check` still checks them.")
@click.option("--keep-placeholders", is_flag=True,
              help="Count placeholder definitions (bodies that only raise or call "
                   "requires_backends, or defined under `except ImportError`) as definitions.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@source_options_without_exclude
def init(path: Path, output: Path | None, source_roots: tuple[str, ...],
         packages: tuple[str, ...], canonical: str, services_depth: int,
         init_exclude: tuple[str, ...], keep_placeholders: bool, force: bool,
         **source: Any) -> None:
    """Bootstrap a registry from the code base at PATH (default: the current directory)."""
    from ssot_lint.registry_tools.codebase import load_codebase
    from ssot_lint.registry_tools.init import bootstrap, plural
    from ssot_lint.registry_tools.toml_writer import render

    with terminal_progress() as progress:
        project = load_codebase(path, tuple(source_roots) or None, tuple(packages),
                                overrides=read_overrides(source), progress=progress)
    draft, report = bootstrap(project, list(packages) or None, canonical=canonical,
                              services_depth=services_depth, exclude=init_exclude,
                              placeholders=not keep_placeholders)
    shown = ", ".join(report.packages[:10]) + (", ..." if len(report.packages) > 10 else "")
    click.echo(f"packages ({len(report.packages)}): {shown}; source roots: "
               f"{', '.join(project.registry.source_roots)}; files: {len(project.files):,}",
               err=True)
    click.echo(f"symbols: {report.symbols:,}, aliases: {report.aliases:,}, names defined in "
               f"several modules: {len(report.duplicates):,}, services: "
               f"{len(report.services):,}, cross-service edges: {len(report.edges):,}",
               err=True)
    click.echo(f"canonical: {canonical}; {plural(report.not_defining, 'symbol')} canonical "
               "at a re-export rather than the defining module", err=True)
    if report.placeholders:
        files = sorted(report.placeholders)
        listed = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
        click.echo(f"placeholders: {plural(sum(report.placeholders.values()), 'definition')} "
                   f"in {plural(len(files), 'file')} ({listed}) only raise or are defined "
                   "under `except ImportError`: not counted as definitions "
                   "(--keep-placeholders counts them)", err=True)
    if report.excluded:
        click.echo(f"excluded from init (still checked): {plural(len(report.excluded), 'file')}",
                   err=True)
    _write(render(draft), output, force, is_toml=True)


# `ssot-lint registry where` is the very command `ssot-lint where` (one definition).
command.add_command(where_command, name="where")


@command.command(name="export-markdown")
@click.option("--registry", type=click.Path(path_type=Path), help="Registry file or directory.")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="pyproject.toml (or ssot-lint.toml) to read settings from.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Markdown here (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def export_markdown(registry: Path | None, config_file: Path | None, output: Path | None,
                    force: bool) -> None:
    """Render the registry as a Markdown document grouped by service."""
    from ssot_lint.load.registry import load_registry
    from ssot_lint.registry_tools.markdown_export import export_markdown as export

    config = _config((), registry, config_file)
    loaded = load_registry(config.registry_path, display_base=Path.cwd())
    _write(export(loaded, ", ".join(loaded.files)), output, force, is_toml=False)
