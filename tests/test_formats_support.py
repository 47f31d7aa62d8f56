"""Shared fixture project and CLI runner for the output-format, baseline and CI tests.

(No tests here; the name keeps it next to the tests that use it.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from tests.helpers import write_project

REGISTRY = '''
[broken."app.agents.bridge"]
use_instead = "app.services.bridge"
reason = "moved, 100% sure: see <docs> & \\"notes\\""
hint = "line one\\nline two"

[symbols."app.registry.canonical.Registry"]
aliases = ["app.registry.Registry"]
'''

MAIN = ("from app.agents.bridge import make_bridge\n"
        "from app.registry import Registry\n"
        "import app.services.missing\n")

FILES: dict[str, str] = {
    "app/services/bridge.py": "def make_bridge(): ...\n",
    "app/registry/canonical.py": "class Registry: ...\n",
    "app/registry/__init__.py": "from app.registry.canonical import Registry\n",
    "app/main.py": MAIN,
    "app/clean.py": "from app.services.bridge import make_bridge\n",
    "scripts/we,ird:name.py": "import app.services.missing\n",
}


def make_project(root: Path, files: dict[str, str] | None = None,
                 registry: str = REGISTRY) -> Path:
    """The realistic little project most CI tests run on (4 findings in 2 files)."""
    return write_project(root, dict(FILES if files is None else files), registry)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real console entry point; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err
