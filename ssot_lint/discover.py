"""Find the project's Python files and give each its module name.

Discovery never follows a symlink out of the project and never descends into a
symlinked directory (so loops cannot happen); it honours ``.gitignore`` files at every
level (with ``pathspec``, the standard implementation of git's wildmatch rules),
the configured ``exclude`` patterns and a list of directories that are never source.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pathspec

from ssot_lint.errors import ConfigError, RegistryError
from ssot_lint.model.config import DEFAULT_EXCLUDES

PY_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class SourceFile:
    """A discovered file: absolute path, path relative to the root, and module name."""

    path: Path
    rel: str  # POSIX, relative to the project root
    module: str | None  # None when not under a source root or not importable by name
    is_package: bool  # an __init__ file
    # The package of a file whose own name is not importable (``migrations/0002_x.py``):
    # such files are loaded by path, but their relative imports still work.
    package: str | None = None

    @property
    def is_stub(self) -> bool:
        return self.path.suffix == ".pyi"


def _spec(lines: list[str]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _is_pattern(line: str) -> bool:
    try:
        _spec([line])
    except (ValueError, re.error):  # pathspec's GitIgnorePatternError is a ValueError
        return False
    return True


def _gitignore_spec(lines: list[str]) -> pathspec.PathSpec:
    """A ``.gitignore``'s patterns; like git, a line that is no valid pattern (``!``, a
    lone ``\\``, ``[z-a]``) is skipped rather than failing the run."""
    try:
        return _spec(lines)
    except (ValueError, re.error):
        return _spec([line for line in lines if _is_pattern(line)])


def _exclude_spec(exclude: tuple[str, ...]) -> pathspec.PathSpec:
    """The default and configured excludes; a bad configured pattern is a user error."""
    bad = [pattern for pattern in exclude if not _is_pattern(pattern)]
    if bad:
        raise ConfigError(f"invalid exclude pattern {bad[0]!r}: not a gitignore-style pattern")
    return _spec(list(DEFAULT_EXCLUDES) + list(exclude))


class _Ignorer:
    """Combines default excludes, configured excludes and nested .gitignore files."""

    def __init__(self, root: Path, exclude: tuple[str, ...], respect_gitignore: bool) -> None:
        self.root = root
        self.base = _exclude_spec(exclude)
        self.respect_gitignore = respect_gitignore
        self.gitignores: list[tuple[str, pathspec.PathSpec]] = []

    def enter(self, directory: Path, rel_dir: str) -> None:
        if not self.respect_gitignore:
            return
        gitignore = directory / ".gitignore"
        if gitignore.is_file():
            try:
                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                return
            self.gitignores.append((rel_dir, _gitignore_spec(lines)))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if self.base.match_file(probe):
            return True
        for base_dir, spec in self.gitignores:
            if base_dir == "":
                if spec.match_file(probe):
                    return True
            elif rel.startswith(base_dir + "/") and spec.match_file(probe[len(base_dir) + 1:]):
                return True
        return False


def module_name(rel_to_root: Path) -> tuple[str | None, bool]:
    """Module name for a path relative to its source root (None if not importable)."""
    parts = list(rel_to_root.parts)
    if not parts:
        return None, False
    stem = parts[-1].rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = parts[:-1] if is_package else parts[:-1] + [stem]
    if not parts or not all(part.isidentifier() for part in parts):
        return None, is_package
    return ".".join(parts), is_package


def discover(root: Path, source_roots: tuple[str, ...], *, exclude: tuple[str, ...] = (),
             respect_gitignore: bool = True, follow_links: bool = False) -> list[SourceFile]:
    """All Python files under ``root``, sorted by relative path, with module names."""
    root = root.resolve()
    ignorer = _Ignorer(root, exclude, respect_gitignore)
    roots = sorted({(root / r).resolve() for r in source_roots}, key=lambda p: (-len(p.parts), p))
    bad = sorted(r for r in source_roots
                 if not (root / r).is_dir() or not (root / r).resolve().is_relative_to(root))
    if bad:  # otherwise every first-party import would look unresolved, which misleads
        raise RegistryError(f"source root {bad[0]!r} is not a directory inside the project root "
                            f"{root.as_posix()}; fix [project] source_roots in the registry",
                            key="project.source_roots")
    found: list[SourceFile] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dir_path = Path(directory)
        rel_dir = dir_path.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        ignorer.enter(dir_path, rel_dir)
        keep = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if (dir_path / name).is_symlink() and not follow_links:
                continue
            if not ignorer.ignored(rel, True):
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.endswith(PY_SUFFIXES):
                continue
            full = dir_path / name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if ignorer.ignored(rel, False):
                continue
            if not full.is_file():
                continue  # a FIFO, socket or device named *.py: reading it could block forever
            if full.is_symlink():
                try:
                    target = full.resolve(strict=True)
                except (OSError, RuntimeError):
                    continue  # dangling link or loop
                if not follow_links and root not in target.parents:
                    continue
            found.append(_source_file(full, rel, roots))
    found.sort(key=lambda f: f.rel)
    return found


def _source_file(full: Path, rel: str, roots: list[Path]) -> SourceFile:
    for source_root in roots:
        try:
            inner = full.relative_to(source_root)
        except ValueError:
            continue
        name, is_package = module_name(inner)
        dirs = inner.parts[:-1]
        package = ".".join(dirs) if name is None and not is_package and dirs and all(
            part.isidentifier() for part in dirs) else None
        return SourceFile(path=full, rel=rel, module=name, is_package=is_package, package=package)
    return SourceFile(path=full, rel=rel, module=None, is_package=full.stem == "__init__")


def source_file_for(path: Path, root: Path, source_roots: tuple[str, ...]) -> SourceFile:
    """Describe one explicitly named file (which may lie outside the project)."""
    full = path.resolve()
    try:
        rel = full.relative_to(root.resolve()).as_posix()
    except ValueError:
        return SourceFile(path=full, rel=path.as_posix(), module=None,
                          is_package=full.stem == "__init__")
    roots = sorted({(root / r).resolve() for r in source_roots}, key=lambda p: (-len(p.parts), p))
    return _source_file(full, rel, roots)
