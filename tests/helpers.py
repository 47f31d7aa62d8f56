"""Build small realistic projects on disk and run ssot-lint over them."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ssot_lint.api import build_project, select_files
from ssot_lint.engine import run_rules
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding

_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def encode_source(text: str) -> bytes:
    """Encode like an editor would: honour a PEP 263 line when the codec exists."""
    for line in text.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            try:
                codecs.lookup(match.group(1))
            except LookupError:
                break
            return text.encode(match.group(1))
    return text.encode("utf-8")


def write_project(root: Path, files: dict[str, str | bytes], registry: str = "",
                  packages: tuple[str, ...] | None = None) -> Path:
    """Write ``files`` under ``root`` plus an ``ssot-registry.toml``; add missing __init__s.

    Packages get ``__init__.py`` files for every directory that holds Python files
    unless the test writes them (or lists the directory in ``namespace``).
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else encode_source(content))
    for rel in list(files):
        parent = Path(rel).parent
        while parent != Path("."):
            init = root / parent / "__init__.py"
            if not init.exists() and not (root / parent / ".namespace").exists():
                init.write_text("")
            parent = parent.parent
    header = "version = 1\n"
    if packages is not None:
        header += "[project]\npackages = [" + ", ".join(f'"{p}"' for p in packages) + "]\n"
    (root / "ssot-registry.toml").write_text(header + registry)
    return root


def run_check(root: Path, paths: list[Path] | None = None, **overrides: object) -> list[Finding]:
    """Findings for ``paths`` (default: the whole project), with paths relative to ``root``."""
    config = load_config(root, overrides=dict(overrides))
    project = build_project(config)
    files = select_files(project, paths or [])
    return run_rules(project, files, config.select, config.ignore, cwd=root)


def codes_at(findings: list[Finding], path: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in findings if f.path == path]
