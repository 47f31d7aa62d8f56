"""The run configuration, resolved once from defaults < pyproject < command line."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EXCLUDES = (".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".env", "env",
                    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                    ".ssot_lint_cache", "build", "dist", "node_modules", "site-packages",
                    "*.egg-info")

NEWEST_TARGET = (3, 14)


@dataclass(frozen=True)
class Config:
    """Everything a run needs besides the registry; paths are absolute."""

    root: Path
    registry_path: Path
    config_file: Path | None = None
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # (gitignore-style glob relative to the root, codes ignored in matching files)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_version: tuple[int, int] = field(
        default_factory=lambda: (sys.version_info.major, sys.version_info.minor))
    output_format: str = "text"
    exit_zero: bool = False
    quiet: bool = False
    max_file_size: int = 10 * 1024 * 1024
    verify_registry: bool = False  # also check the registry against the code (SSOT902)
    jobs: int | None = None  # extraction processes; None = available cores
    cache: bool = True  # use the facts cache (--no-cache turns it off)
    cache_dir: Path | None = None  # None = <root>/.ssot_lint_cache
    executor: str = "local"  # "local" (processes) or "dask"
    scheduler: str | None = None  # Dask scheduler address for executor = "dask"

    def display_target(self) -> str:
        return f"{self.target_version[0]}.{self.target_version[1]}"
