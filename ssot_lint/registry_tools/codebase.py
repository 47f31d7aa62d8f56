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
from ssot_lint.discover import SourceFile
from ssot_lint.load.config import REGISTRY_FILE, load_config
from ssot_lint.model.config import Config
from ssot_lint.model.facts import ImportFact
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project

DEFINING_KINDS = ("class", "function", "assign")


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
    read as every command reads one (``ssot_lint.cache``), cache included.
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


def module_files(project: Project, module: str) -> list[SourceFile]:
    return [f for f in project.index.files(module) if not f.is_stub] or \
        project.index.files(module)


def defines(project: Project, module: str, name: str) -> bool:
    """Does ``module`` itself define ``name`` (class, function or assignment)?"""
    for source in module_files(project, module):
        facts = project.facts_of(source)
        if facts is None:
            continue
        if any(d.name == name and d.kind in DEFINING_KINDS and not d.in_type_checking
               for d in facts.definitions):
            return True
    return False


def binding_import(project: Project, source: SourceFile, name: str) -> ImportFact | None:
    """The module-level, runtime import in ``source`` that binds ``name``, if any."""
    facts = project.facts_of(source)
    if facts is None:
        return None
    for fact in facts.imports:
        if fact.in_function or fact.in_class or fact.in_type_checking or fact.kind not in (
                "from", "import"):
            continue
        if fact.bound_name == name:
            return fact
    return None


def definition_site(project: Project, path: str, _depth: int = 0) -> str | None:
    """Where ``path`` (``module.Name`` or a module) is really defined, following
    re-exports (``from x import Name``, star imports); None if it cannot be found."""
    if _depth > 25:
        return None
    if project.index.kind(path) in ("package", "module"):
        return path
    if "." not in path:
        return None
    module, name = path.rsplit(".", 1)
    if project.index.kind(module) not in ("package", "module"):
        return None
    if defines(project, module, name):
        return path
    for source in module_files(project, module):
        fact = binding_import(project, source, name)
        if fact is not None:
            target = absolute_module(fact, source)
            if target is None:
                return None
            if fact.kind == "import":
                return target if fact.asname else target.split(".")[0]
            return definition_site(project, f"{target}.{fact.name}", _depth + 1)
        facts = project.facts_of(source)
        for star in (facts.imports if facts else ()):
            if star.kind != "star" or star.in_type_checking or star.in_function:
                continue
            target = absolute_module(star, source)
            if target and project.index.exists(target):
                found = definition_site(project, f"{target}.{name}", _depth + 1)
                if found is not None:
                    return found
    return None
