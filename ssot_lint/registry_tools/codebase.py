"""Read a code base for the registry tools: with or without a registry, never importing it.

``init`` and ``import-markdown --root`` look at code that has no registry yet, so
they need a ``Project`` built from the files alone; ``verify`` and ``init`` need to
know where a name is really *defined*, following re-exports the way Python would.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ssot_lint.cache import Progress, build_project
from ssot_lint.load.config import REGISTRY_FILE, load_config
from ssot_lint.model.config import Config
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.definitions import (
    DEFINING_KINDS,
    binding_import,
    defines,
    definition_site,
    module_files,
)
from ssot_lint.resolve.project import Project

# Where a name is defined lives in ``resolve.definitions`` (rules ask it too); the
# registry tools keep importing it from here.
__all__ = ["DEFINING_KINDS", "binding_import", "defines", "definition_site", "detect_source_roots",
           "load_codebase", "module_files"]


def detect_source_roots(root: Path) -> tuple[str, ...]:
    """``("src",)`` for a src layout (packages under ``src/``), else ``(".",)``."""
    src = root / "src"
    if src.is_dir() and any(child.is_dir() and (child / "__init__.py").is_file()
                            for child in src.iterdir()):
        return ("src",)
    return (".",)


def load_codebase(root: Path, source_roots: tuple[str, ...] | None = None,
                  packages: tuple[str, ...] = (), *, overrides: dict[str, Any] | None = None,
                  progress: Progress | None = None) -> Project:
    """A ``Project`` for ``root`` that does not need a registry file to exist.

    ``root`` is the project root as given: settings are read from its own
    ``pyproject.toml`` only, never from a project further up the tree. ``overrides``
    are the command line's (cache, jobs, excludes, target version); the project is
    read as every command reads one (``ssot_lint.cache``), so the first `check` after
    `registry init` does not extract the files again.
    """
    config = load_config(root, overrides=overrides)
    if config.root != root.resolve():
        bare = Config(root=root.resolve(), registry_path=(root / REGISTRY_FILE).resolve())
        config = _overridden(bare, config, overrides or {})
    roots = source_roots or detect_source_roots(config.root)
    registry = Registry(packages=packages, source_roots=roots)
    return build_project(config, registry, progress=progress)


def _overridden(bare: Config, loaded: Config, overrides: dict[str, Any]) -> Config:
    """``bare`` with the command line's settings, as ``load_config`` resolved them."""
    given = {name for name, value in overrides.items() if value not in (None, ())}
    values = {name: getattr(loaded, name) for name in given if name != "exclude"}
    if "exclude" in given:
        values["exclude"] = tuple(overrides["exclude"])
    return replace(bare, **values)
