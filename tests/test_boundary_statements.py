"""Boundary findings are per import statement and edge, and SSOT203 does not repeat SSOT201."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_check, write_project

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


_TC_FILES = {
    "app/main.py": "import app.service\n",
    "app/service.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    import app.db\n"),
    "app/db.py": "ENGINE = None\n",
}
_TC_CONTRACT = """
[[contracts]]
name = "main stays off the database"
kind = "forbidden"
source = ["app.main"]
forbidden = ["app.db"]
[[layers]]
name = "stack"
order = ["app.db", "app.main"]
"""


def test_a_type_checking_only_chain_step_is_marked(tmp_path: Path) -> None:
    root = write_project(tmp_path, _TC_FILES, _TC_CONTRACT)
    messages = {code: message for path, _, _, code, message in _found(root)
                if path == "app/main.py"}
    assert messages["SSOT202"] == (
        "`app.main` indirectly imports `app.db`, forbidden by contract 'main stays off the "
        "database': app.main -> app.service -> app.db (TYPE_CHECKING only)")
    assert messages["SSOT203"].startswith(
        "`app.main` (layer `app.main`) indirectly imports `app.db` from the higher layer "
        "`app.db` of 'stack': app.main -> app.service -> app.db (TYPE_CHECKING only);")


def test_type_checking_policy_is_honoured_by_check_graph_and_audit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ssot_lint.cli import main

    registry = ('[policy]\ntype_checking_imports = "ignore"\n' + _TC_CONTRACT +
                '[services.app]\npackages = ["app.main", "app.service"]\n'
                '[services.data]\npackages = ["app.db"]\n')
    root = write_project(tmp_path, _TC_FILES, registry)
    assert _found(root) == []

    def run(*args: str) -> str:
        capsys.readouterr()
        with pytest.raises(SystemExit):
            main(list(args))
        return capsys.readouterr().out

    graph = json.loads(run("graph", str(root), "--format", "json", "--registry",
                           str(root / "ssot-registry.toml")))
    assert [(e["source"], e["target"]) for e in graph["edges"]] == [
        ("app.main", "app.service")]
    services = json.loads(run("graph", str(root), "--level", "service", "--format", "json",
                              "--registry", str(root / "ssot-registry.toml")))
    assert services["edges"] == []


_IGNORE_FILES = {
    "web/api.py": "ROUTES = []\n",
    "web/legacy/views.py": "",
    "core/main.py": "from web.api import ROUTES\n",
    "core/old.py": "import web.legacy.views\n",
}


def test_ignore_imports_exempts_edges_and_reports_entries_matching_nothing(
        tmp_path: Path) -> None:
    registry = """
[services.web]
packages = ["web"]
[services.core]
packages = ["core"]
ignore_imports = ["core.main -> web.api", "core.gone -> web.*"]
[[layers]]
name = "stack"
order = ["web", "core"]
ignore_imports = ["core.* -> web.**"]
[[contracts]]
name = "core off web"
kind = "forbidden"
source = ["core"]
forbidden = ["web"]
ignore_imports = ["core.old -> web.legacy.views"]
"""
    root = write_project(tmp_path, _IGNORE_FILES, registry)
    found = [(path, line, code, message) for path, line, _, code, message in _found(root)]
    assert found == [
        ("core/main.py", 1, "SSOT202",
         "`core.main` imports `ROUTES` from `web.api`, forbidden by contract 'core off web'"),
        ("core/old.py", 1, "SSOT201",
         "`core.old` (service `core`) imports `web.legacy.views` (service `web`), but `core` "
         "may import only: nothing"),
        ("ssot-registry.toml", 7, "SSOT901",
         "[services.core] ignore_imports entry `core.gone -> web.*` matches no import; "
         "remove it"),
    ]


def test_malformed_ignore_imports_is_a_registry_error(tmp_path: Path) -> None:
    from ssot_lint.errors import SsotLintError

    root = write_project(tmp_path, _IGNORE_FILES,
                         '[services.core]\npackages = ["core"]\nignore_imports = ["core.main"]\n')
    with pytest.raises(SsotLintError) as info:
        run_check(root)
    assert "'core.main' is not \"importer -> imported\"" in str(info.value)
    assert "ssot-registry.toml:4" in str(info.value)


def test_module_patterns() -> None:
    from ssot_lint.model.registry import module_matches

    assert module_matches("a.b", "a.*") and not module_matches("a.b.c", "a.*")
    assert module_matches("a.b.c", "a.**") and not module_matches("a", "a.**")
    assert module_matches("a.x.c", "a.*.c") and not module_matches("a.c", "a.*.c")
    assert module_matches("a.b", "a.b") and not module_matches("a.b.c", "a.b")


def test_module_globs_are_validated_where_they_are_matched() -> None:
    """The loader's check of an ``ignore_imports`` side is the matcher's own grammar."""
    from ssot_lint.model.registry import is_module_glob

    assert is_module_glob("a.*.c") and is_module_glob("a.**") and is_module_glob("_x.y2")
    for bad in ("", "a..b", "a.*x", "a-b.c", "a.***", "1a.b", "a.b "):
        assert not is_module_glob(bad), bad
