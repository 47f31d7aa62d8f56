"""Text from the registry or a Markdown document never reaches a terminal raw.

Reasons, hints, service and layer names are free text someone else wrote: a line
break would split one line of output into two (or forge one), an escape sequence
would drive the terminal. ``where``, ``export-markdown``, ``check --format github``
and ``import-markdown``'s notes all escape them with the same helper as text output.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli

ESC = "\x1b[2J"
REGISTRY = (
    '[symbols."app.core.models.User"]\naliases = ["app.legacy.User"]\n'
    '[deprecated."app.core.models.Old"]\nuse_instead = "app.core.models.User"\n'
    'reason = "gone\\nFORGED LINE \\u001b[2J"\nhint = "see\\u001b]8;;http://x\\u0007 docs"\n'
    '[services."a\\nb"]\npackages = ["app"]\nreason = "r\\u001b[31m"\n'
)
FILES = {"app/core/models.py": "class User: pass\nclass Old: pass\n",
         "app/legacy/__init__.py": "from app.core.models import User\n",
         "app/use.py": "from app.core.models import Old\n"}


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", FILES, REGISTRY, packages=("app",))


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text
    assert not any(line.startswith("FORGED LINE") for line in text.splitlines())


def test_where_escapes_registry_text(tmp_path: Path) -> None:
    result = run_cli(["where", "app.core.models.Old"], _project(tmp_path))
    assert_clean_exit(result, 0, 1)
    _assert_clean(result.stdout + result.stderr)
    assert "DEPRECATED app.core.models.Old: gone\\nFORGED LINE \\x1b[2J" in result.stdout


def test_export_markdown_escapes_registry_text(tmp_path: Path) -> None:
    result = run_cli(["registry", "export-markdown"], _project(tmp_path))
    assert_clean_exit(result, 0)
    _assert_clean(result.stdout)
    assert "### a\\nb Service" in result.stdout


def test_github_annotations_escape_registry_text(tmp_path: Path) -> None:
    result = run_cli(["check", "--no-cache", "--format", "github"], _project(tmp_path))
    assert_clean_exit(result, 1)
    _assert_clean(result.stdout)
    [annotation] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotation.startswith("::warning file=app/use.py,line=1,col=29,")
    assert "see\\x1b]8;;http://x\\x07 docs" in annotation


def test_import_markdown_notes_escape_the_document(tmp_path: Path) -> None:
    document = tmp_path / "registry.md"
    document.write_text("# SSOT IMPORT REGISTRY\n\n```python\n"
                        f"from app.x import [PLACEHOLDER{ESC}]  # weird\n"
                        "from app.core.models import User  # CANONICAL\n```\n",
                        encoding="utf-8")
    result = run_cli(["registry", "import-markdown", str(document)], tmp_path)
    assert_clean_exit(result, 0, 1)
    _assert_clean(result.stdout + result.stderr)
    assert "\\x1b[2J" in result.stderr
