"""The graph rules on a real codebase: the pinned Django 5.1.4 sdist (2,788 Python files).

The sdist is downloaded from PyPI once into ``.corpora/`` (gitignored) and unpacked
into tmp_path. We declare services, a layer stack and a contract over Django's
packages, then require that SSOT201 finds exactly the import sites tach finds with the
same service map, and that SSOT203 finds exactly the layer pairs import-linter finds.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.api import build_project
from ssot_lint.cli import main
from ssot_lint.engine import run_rules
from ssot_lint.load.config import load_config
from tests.conftest import DJANGO, unpack

pytestmark = [pytest.mark.corpus, pytest.mark.peers]

BIN = Path(sys.executable).parent

SERVICES = {
    "foundation": (["django.utils", "django.dispatch", "django.conf", "django.apps",
                    "django.core"], []),
    "db": (["django.db"], ["foundation"]),
    "web": (["django.http", "django.urls", "django.views", "django.middleware",
             "django.template", "django.templatetags", "django.shortcuts", "django.forms"],
            ["foundation", "db"]),
    "contrib": (["django.contrib"], ["*"]),
    "testing": (["django.test"], ["*"]),
}
LAYERS = ["django.contrib", "django.views", "django.urls", "django.http", "django.db",
          "django.utils"]


@pytest.fixture(scope="module")
def django(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = unpack(DJANGO, tmp_path_factory.mktemp("django"))
    registry = 'version = 1\n[project]\npackages = ["django"]\n'
    for name, (packages, may_import) in SERVICES.items():
        registry += (f"\n[services.{name}]\npackages = {json.dumps(packages)}\n"
                     f"may_import = {json.dumps(may_import)}\n")
    registry += f'\n[[layers]]\nname = "django stack"\norder = {json.dumps(LAYERS)}\n'
    registry += ('\n[[contracts]]\nname = "utils never reach the ORM"\nkind = "forbidden"\n'
                 'source = ["django.utils"]\nforbidden = ["django.db"]\n')
    (root / "ssot-registry.toml").write_text(registry)
    return root


def _tach_toml() -> str:
    every = [p for packages, _ in SERVICES.values() for p in packages]
    text = ('source_roots = ["."]\nexclude = ["tests", "docs", "scripts", "extras"]\n'
            "ignore_type_checking_imports = false\n")
    for packages, may_import in SERVICES.values():
        allowed = every if "*" in may_import else \
            [p for s in may_import for p in SERVICES[s][0]] + packages
        for package in packages:
            deps = sorted(set(allowed) - {package})
            text += f'\n[[modules]]\npath = "{package}"\ndepends_on = {json.dumps(deps)}\n'
    return text


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def _statement_line(path: Path, line: int) -> int:
    """The first line of the import statement of ``path`` that spans ``line``."""
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno):
            return node.lineno
    return line


def test_django_graph_rules_agree_with_tach_and_import_linter(django: Path) -> None:
    project = build_project(load_config(django))
    assert len(project.files) >= 2000
    findings = run_rules(project, project.files, ("SSOT2",), (), cwd=django)
    # one finding per import statement and edge (its names listed); tach reports each name
    ours_201 = {(f.path, _statement_line(django / f.path, f.line))
                for f in findings if f.code == "SSOT201"}

    (django / "tach.toml").write_text(_tach_toml())
    tach = _run(django, "tach", "check", "--output", "json")
    assert tach.returncode == 1, tach.stderr
    sites = sorted((item["Located"]["file_path"], item["Located"]["line_number"])
                   for item in json.loads(tach.stdout) if "Located" in item)
    assert sites and ours_201
    # both sides' sites moved to the first line of the import statement holding them
    assert {(path, _statement_line(django / path, line)) for path, line in sites} == ours_201

    (django / ".importlinter").write_text(
        "[importlinter]\nroot_package = django\n\n[importlinter:contract:layers]\n"
        "name = django stack\ntype = layers\nlayers =\n"
        + "".join(f"    {layer}\n" for layer in LAYERS))
    linter = _run(django, "lint-imports")
    assert "django stack BROKEN" in linter.stdout, linter.stdout + linter.stderr
    theirs = set(re.findall(r"^(\S+) is not allowed to import (\S+):", linter.stdout, re.M))
    ours = {tuple(re.search(r"\(layer `([\w.]+)`\).*the higher layer `([\w.]+)`", f.message)
                  .groups()) for f in findings if f.code == "SSOT203"}
    assert theirs and ours == theirs

    # every SSOT202 finding starts a chain that really ends in django.db
    chains = [f for f in findings if f.code == "SSOT202"]
    assert chains and all("`django.db" in f.message for f in chains)


def test_django_graph_command_completes(django: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = os.getcwd()
    os.chdir(django)
    try:
        with pytest.raises(SystemExit) as done:
            main(["graph", "--level", "service", "--format", "json", "-o", "services.json"])
    finally:
        os.chdir(old)
    assert done.value.code == 0
    data = json.loads((django / "services.json").read_text())
    assert [n["id"] for n in data["nodes"]] == sorted(SERVICES)
    marked = {(e["source"], e["target"]) for e in data["edges"] if "SSOT201" in e["violations"]}
    assert ("foundation", "db") in marked and ("web", "contrib") in marked
    assert ("contrib", "db") not in marked  # contrib may import anything
