"""Our architecture findings checked against the peers on the same project and contracts.

tach (``tach check --output json``) judges service boundaries and public interfaces
(SSOT201); import-linter (``lint-imports``) judges layers and forbidden contracts
(SSOT203, SSOT202), chains included. Both run as subprocesses on a tmp project; both
are test-only dependencies (the ``test`` extra).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.api import build_project
from ssot_lint.graph.analysis import analysis_of
from ssot_lint.load.config import load_config
from ssot_lint.rules import rule_by_code
from ssot_lint.rules._graph import GraphRule
from tests.conftest import run_check, write_project

pytestmark = pytest.mark.peers

BIN = Path(sys.executable).parent


def _peer(name: str, root: Path) -> subprocess.CompletedProcess[str]:
    exe = BIN / name
    assert exe.exists(), f"{name} is missing: pip install -e '.[test]' installs it"
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([str(exe), *({"tach": ["check", "--output", "json"]}.get(name, []))],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


# -- service boundaries vs tach ------------------------------------------------------

SERVICE_FILES = {
    "web/views.py": ("from core.models import User\nimport core.db\nimport shared.util\n"
                     "from auth.api import login\nfrom auth.internal import secret\n"),
    "web/forms.py": "def clean():\n    from auth.api.tokens import check\n",
    "core/models.py": "from shared.util import x\nclass User: ...\n",
    "core/db.py": "def connect():\n    import web.views\n",
    "shared/util.py": ("from typing import TYPE_CHECKING\nx = 1\nif TYPE_CHECKING:\n"
                       "    from core.models import User\n"),
    "auth/api/__init__.py": "def login(): ...\n",
    "auth/api/tokens.py": "def check(): ...\n",
    "auth/internal.py": "secret = 1\n",
}
DEPENDS = {"web": ["core", "shared", "auth"], "core": ["shared"], "shared": [], "auth": []}


def _tach_toml(ignore_type_checking: bool) -> str:
    text = ("source_roots = [\".\"]\n"
            f"ignore_type_checking_imports = {str(ignore_type_checking).lower()}\n")
    for name, deps in DEPENDS.items():
        text += f"\n[[modules]]\npath = \"{name}\"\ndepends_on = {json.dumps(deps)}\n"
    return text + '\n[[interfaces]]\nexpose = ["api", "api.*"]\nfrom = ["auth"]\n'


def _services_registry(type_checking: str) -> str:
    text = f'[policy]\ntype_checking_imports = "{type_checking}"\n'
    for name, deps in DEPENDS.items():
        text += f"\n[services.{name}]\npackages = [\"{name}\"]\nmay_import = {json.dumps(deps)}\n"
    return text.replace('[services.auth]\npackages = ["auth"]\n',
                        '[services.auth]\npackages = ["auth"]\npublic = ["auth.api"]\n')


@pytest.mark.parametrize("ignore_type_checking", [True, False])
def test_boundaries_agree_with_tach(tmp_path: Path, ignore_type_checking: bool) -> None:
    root = write_project(tmp_path / "proj", SERVICE_FILES,
                         _services_registry("ignore" if ignore_type_checking else "check"))
    (root / "tach.toml").write_text(_tach_toml(ignore_type_checking))
    result = _peer("tach", root)
    assert result.returncode == 1, result.stderr
    tach = sorted((item["Located"]["file_path"], item["Located"]["line_number"])
                  for item in json.loads(result.stdout) if "Located" in item)
    ours = sorted((f.path, f.line) for f in run_check(root, select=("SSOT201",)))
    expected = [("core/db.py", 2), ("web/views.py", 5)]
    if not ignore_type_checking:
        expected.insert(1, ("shared/util.py", 4))
    assert tach == expected
    assert ours == tach


# -- layers and forbidden contracts vs import-linter ----------------------------------

LAYER_FILES = {
    "app/routes/api.py": "from app.services import orders\n",
    "app/services/orders.py": "from app.db import session\n",
    "app/db/session.py": ("import app.utils.cache\n"
                          "def flush():\n    from app.services import orders\n"),
    "app/db/models.py": "X = 1\n",
    "app/utils/cache.py": "import app.utils.web\n",
    "app/utils/web.py": "import app.routes.api\n",
    "app/cli/main.py": "import app.config\nfrom app.db import models\n",
    "app/config.py": "import app.settings\n",
    "app/settings.py": "from app.db.session import flush\n",
}
IMPORTLINTER = """[importlinter]
root_package = app

[importlinter:contract:layers]
name = backend layers
type = layers
layers =
    app.routes
    app.services
    app.db

[importlinter:contract:cli]
name = cli starts without the database
type = forbidden
source_modules =
    app.cli
forbidden_modules =
    app.db
"""
REGISTRY = """
[[layers]]
name = "backend layers"
order = ["app.routes", "app.services", "app.db"]

[[contracts]]
name = "cli starts without the database"
kind = "forbidden"
source = ["app.cli"]
forbidden = ["app.db"]
"""
_LINK = re.compile(r"^\s*(-\s+)?([\w.]+) -> ([\w.]+) \(l\.([\d, ]+)\)$")


def _importlinter_chains(output: str) -> set[tuple[tuple[str, ...], int]]:
    """(chain, line of its first import) for every chain lint-imports prints."""
    chains: list[tuple[list[str], int]] = []
    for line in output.splitlines():
        match = _LINK.match(line)
        if not match:
            continue
        if match.group(1) or not chains:
            chains.append(([match.group(2), match.group(3)], int(match.group(4).split(",")[0])))
        else:
            chains[-1][0].append(match.group(3))
    return {(tuple(chain), line) for chain, line in chains}


def _our_chains(root: Path, code: str) -> set[tuple[tuple[str, ...], int]]:
    project = build_project(load_config(root))
    rule = rule_by_code(code)
    assert rule is not None and issubclass(rule, GraphRule)
    found = set()
    for violation in analysis_of(project).violations(rule()):
        assert violation.site is not None
        chain = (violation.edges[0][0], *(b for _, b in violation.edges))
        found.add((chain, violation.site.fact.line))
    return found


def test_layers_and_contracts_agree_with_import_linter(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", LAYER_FILES, REGISTRY)
    (root / ".importlinter").write_text(IMPORTLINTER)
    result = _peer("lint-imports", root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 2 broken." in result.stdout
    theirs = _importlinter_chains(result.stdout)
    assert theirs == {
        (("app.db.session", "app.services.orders"), 3),
        (("app.db.session", "app.utils.cache", "app.utils.web", "app.routes.api"), 1),
        (("app.cli.main", "app.db.models"), 2),
        (("app.cli.main", "app.config", "app.settings", "app.db.session"), 1),
    }
    assert _our_chains(root, "SSOT203") | _our_chains(root, "SSOT202") == theirs


def test_a_syntax_error_stops_import_linter_but_not_us(tmp_path: Path) -> None:
    files = {**LAYER_FILES, "app/settings.py": "from app.db.session import flush\ndef x(:\n"}
    root = write_project(tmp_path / "proj", files, REGISTRY)
    (root / ".importlinter").write_text(IMPORTLINTER)
    result = _peer("lint-imports", root)
    assert result.returncode != 0
    assert "Syntax error" in result.stdout + result.stderr
    assert "Contracts:" not in result.stdout  # it gave no verdict at all
    findings = run_check(root)
    # routes.api -> services.orders -> db.session -> utils.cache -> utils.web -> routes.api
    # is also an import cycle (SSOT204), reported at its first breaker
    assert sorted((f.path, f.line, f.code) for f in findings) == [
        ("app/cli/main.py", 2, "SSOT202"),  # the direct import is still found
        ("app/db/session.py", 1, "SSOT203"), ("app/db/session.py", 1, "SSOT204"),
        ("app/db/session.py", 3, "SSOT203"),
        ("app/settings.py", 2, "SSOT001")]
