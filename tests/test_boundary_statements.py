"""Boundary findings are per import statement and edge, and SSOT203 does not repeat SSOT201."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_check, write_project

_FILES = {
    "web/api.py": "ROUTES = []\nAPP = None\n",
    "web/__init__.py": "",
    "core/main.py": "from web.api import (\n    ROUTES,\n    APP,\n)\nimport core.helpers\n",
    "core/helpers.py": "from web import api\n",
    "core/__init__.py": "",
}
_REGISTRY = """
[services.web]
packages = ["web"]
[services.core]
packages = ["core"]
may_import = []
[[layers]]
name = "stack"
order = ["web", "core.main"]
[[contracts]]
name = "core stays off the web"
kind = "forbidden"
source = ["core.main"]
forbidden = ["web"]
"""


def _found(root: Path, **overrides: object) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message)
            for f in run_check(root, **overrides)]


def test_one_finding_per_statement_and_edge_listing_the_names(tmp_path: Path) -> None:
    root = write_project(tmp_path, _FILES, _REGISTRY)
    found = [f for f in _found(root) if f[0] == "core/main.py"]
    # SSOT203 (core.main imports the higher layer web) is the same import of the same
    # edge as SSOT201's: not repeated
    assert [(line, col, code) for _, line, col, code, _ in found] == [
        (2, 5, "SSOT201"), (2, 5, "SSOT202"), (5, 8, "SSOT202")]
    assert found[0][4].startswith(
        "`core.main` (service `core`) imports `ROUTES`, `APP` from `web.api` (service `web`), "
        "but `core` may import only: nothing")
    assert found[1][4] == ("`core.main` imports `ROUTES`, `APP` from `web.api`, forbidden by "
                           "contract 'core stays off the web'")


def test_an_indirect_layer_finding_at_a_boundary_site_stays(tmp_path: Path) -> None:
    files = {"web/api.py": "", "lib/util.py": "import web.api\n",
             "core/main.py": "from lib import util\n"}
    root = write_project(tmp_path, files, """
[services.lib]
packages = ["lib"]
may_import = ["*"]
[services.core]
packages = ["core"]
[[layers]]
name = "stack"
order = ["web", "core.main"]
""")
    found = [(line, col, code) for path, line, col, code, _ in _found(root)
             if path == "core/main.py"]
    assert found == [(1, 17, "SSOT201"), (1, 17, "SSOT203")]


def test_layer_finding_stays_when_the_boundary_rule_is_not_selected(tmp_path: Path) -> None:
    root = write_project(tmp_path, _FILES, _REGISTRY)
    found = [(line, code) for path, line, _, code, _ in _found(root, select=("SSOT203",))
             if path == "core/main.py"]
    assert found == [(2, "SSOT203")]


def test_layer_finding_stays_when_the_boundary_finding_is_suppressed(tmp_path: Path) -> None:
    files = dict(_FILES)
    files["core/main.py"] = "from web.api import ROUTES  # ssot-lint: ignore[SSOT201]\n"
    root = write_project(tmp_path, files, _REGISTRY)
    found = [(line, code) for path, line, _, code, _ in _found(root, select=("SSOT2",))
             if path == "core/main.py"]
    assert found == [(1, "SSOT202"), (1, "SSOT203")]


def test_two_modules_in_one_statement_are_two_edges(tmp_path: Path) -> None:
    files = {"web/api.py": "", "web/views.py": "", "core/main.py": "from web import api, views\n"}
    root = write_project(tmp_path, files, '[services.web]\npackages = ["web"]\n'
                         '[services.core]\npackages = ["core"]\n')
    messages = [m for _, _, _, _, m in _found(root)]
    assert [m.split(" (service `web`)")[0] for m in messages] == [
        "`core.main` (service `core`) imports `web.api`",
        "`core.main` (service `core`) imports `web.views`"]
