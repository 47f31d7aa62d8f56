"""Read a code base for the registry tools: with or without a registry, never importing it.

``init`` and ``import-markdown --root`` look at code that has no registry yet, so
they need a ``Project`` built from the files alone; ``verify`` and ``init`` need to
know where a name is really *defined*, following re-exports the way Python would.
"""

from __future__ import annotations

from pathlib import Path

from ssot_lint.discover import discover
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
from ssot_lint.scan import options_for, scan

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
                  packages: tuple[str, ...] = ()) -> Project:
    """A ``Project`` for ``root`` that does not need a registry file to exist.

    ``root`` is the project root as given: settings are read from its own
    ``pyproject.toml`` only, never from a project further up the tree.
    """
    config = load_config(root)
    if config.root != root.resolve():
        config = Config(root=root.resolve(), registry_path=(root / REGISTRY_FILE).resolve())
    roots = source_roots or detect_source_roots(config.root)
    registry = Registry(packages=packages, source_roots=roots)
    files = discover(config.root, roots, exclude=config.exclude,
                     respect_gitignore=config.respect_gitignore)
    # As `check` reads a project: in parallel, through the facts cache, so the first
    # `check` after `registry init` does not extract the files again.
    facts = scan(files, config.target_version, config.max_file_size, options_for(config),
                 root=config.root)
    return Project(config=config, registry=registry, files=files, facts=facts)
