"""Remembered findings (``ssot_lint.cache.results``) are exact: a cached run equals an uncached one.

One realistic project triggers most rules at once (broken, deprecated, non-canonical
and unresolved imports, re-exports through ``__all__`` and star imports, deprecated
usage, PEP 702 markers, duplicate definitions, services, contracts, layers, import
cycles with lazy imports, inline suppressions and ``--verify-registry``). Each edit
starts from a warm cache, changes the project the way a developer would, and compares
every field of every finding of the cached run with an uncached run, for the whole
project and for the edited files alone. Damaged result rows and concurrent runs are
checked the same way. ``extra["remembered"]`` shows the memo is really used.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple
from pathlib import Path

import pytest

from ssot_lint.api import CheckResult, check, resolve_config
from ssot_lint.cache import results
from ssot_lint.cache import store as cache_module
from ssot_lint.cache.store import DB_NAME
from ssot_lint.graph.analysis import GraphAnalysis
from ssot_lint.model.finding import Finding
from tests.conftest import OLD, edit, settle, write, write_project

REGISTRY = """
[broken."app.old"]
use_instead = "app.core.engine.Engine"
reason = "removed in 2.0"

[deprecated."app.core.engine.LegacyEngine"]
use_instead = "app.core.engine.Engine"
hint = "LegacyEngine shares state between requests."

[deprecated."app.gone.Thing"]
use_instead = "app.core.engine.Missing"

[symbols."app.core.engine.Engine"]
aliases = ["app.core.Engine"]

[services.app]
packages = ["app"]
may_import = []
reason = "app is deployed alone"
owner = "team-app"

[services.billing]
packages = ["billing"]

[[contracts]]
name = "the cli stays off the database"
kind = "forbidden"
source = ["app.cli"]
forbidden = ["app.db"]
reason = "the cli must start without a database"

[[layers]]
name = "app layers"
order = ["app.web", "app.services", "app.core"]
reason = "dependencies point down"
"""

PYPROJECT = "[tool.ssot-lint]\nverify_registry = true\n"

FILES: dict[str, str] = {
    "app/__init__.py": "",
    "app/core/__init__.py": (
        "from app.core.engine import Engine, LegacyEngine\n"
        "from app.core.util import *\n"
    ),
    "app/core/engine.py": (
        "from typing_extensions import deprecated\n"
        "\n"
        "class Engine:\n"
        "    pass\n"
        "\n"
        "class LegacyEngine(Engine):\n"
        "    pass\n"
        "\n"
        "@deprecated('use run_v2(); run_v1 leaks connections')\n"
        "def run_v1():\n"
        "    return 1\n"
        "\n"
        "def run_v2():\n"
        "    return 2\n"
        "\n"
        "def helper():\n"
        "    return 3\n"
    ),
    "app/core/util.py": (
        "__all__ = ['public_a', 'public_b']\n"
        "\n"
        "def public_a():\n"
        "    return 'a'\n"
        "\n"
        "def public_b():\n"
        "    return 'b'\n"
        "\n"
        "def _private():\n"
        "    return '_'\n"
    ),
    "app/core/lazy.py": (  # serves names nothing static can list
        "def __getattr__(name):\n"
        "    from importlib import import_module\n"
        "    return import_module(f'app.plugins.{name}')\n"
    ),
    "app/db.py": "ENGINE = None\n",
    "app/dup.py": "class Engine:\n    pass\n",
    # orders -> payments -> orders and payments -> refunds -> payments: two breakers,
    # so the cycle finding in orders.py cites an import line of payments.py.
    "app/services/__init__.py": "",
    "app/services/orders.py": (
        "from app.core import Engine\n"
        "from app.core.engine import LegacyEngine\n"
        "from app.core.engine import run_v1, helper\n"
        "from app.core import public_a\n"
        "from app.services import payments\n"
        "import billing.api\n"
        "\n"
        "\n"
        "def place(order: LegacyEngine) -> LegacyEngine:\n"
        "    public_a()\n"
        "    run_v1()\n"
        "    helper()\n"
        "    return LegacyEngine()\n"
        "\n"
        "\n"
        "def refund():\n"
        "    total = 0\n"
        "    from app.web import views\n"
        "    return views, total, Engine, payments\n"
    ),
    "app/services/payments.py": (
        "import app.services.orders\n"
        "import app.services.refunds\n"
        "import app.db\n"
        "from app.core.util import public_b, missing_name\n"
        "from app.old import thing\n"
        "from app.core.lazy import anything\n"
        "\n"
        "\n"
        "def pay():\n"
        "    return app.services.orders, thing, anything, public_b, missing_name\n"
    ),
    "app/services/refunds.py": (
        "from app.services import payments\n"
        "import app.missing_module\n"
        "from app.core import _private\n"
        "\n"
        "\n"
        "def back():\n"
        "    return payments\n"
    ),
    "app/web/__init__.py": "",
    "app/web/views.py": (
        "from app.services.orders import place\n"
        "from app.core.engine import LegacyEngine  # ssot-lint: ignore[SSOT111]\n"
        "from app.core.engine import Engine  # ssot-lint: ignore[SSOT103]\n"
        "\n"
        "\n"
        "def render(engine: LegacyEngine):\n"
        "    return place, Engine\n"
        "\n"
        "\n"
        "def later():\n"
        "    from app.services import orders\n"
        "    return orders\n"
    ),
    "app/cli.py": (
        "import app.services.payments\n"
        "\n"
        "\n"
        "def main():\n"
        "    ready = True\n"
        "    import app.db\n"
        "    return ready, app.db\n"
    ),
    "app/checks.py": (
        "from unittest import mock\n"
        "\n"
        "\n"
        "@mock.patch('app.core.engine.Engine.start')\n"
        "def check_start(start):\n"
        "    return start\n"
    ),
    "billing/__init__.py": "",
    "billing/api.py": "def charge():\n    return 0\n",
}


# -- the project ---------------------------------------------------------------------
def build(tmp_path: Path, registry: str = REGISTRY, files: dict[str, str] = FILES) -> Path:
    root = write_project(tmp_path / "proj", dict(files), registry, packages=("app", "billing"))
    (root / "pyproject.toml").write_text(PYPROJECT)
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))
    return root


_CODE = results.code_fingerprint()


@pytest.fixture(autouse=True)
def same_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process runs the code it imported, whatever happens to the checkout meanwhile
    (others may be editing it): keep the code part of the keys to that code's."""
    monkeypatch.setattr(results, "code_fingerprint", lambda: _CODE)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = build(tmp_path)
    monkeypatch.chdir(project)  # findings' paths are relative to the working directory
    return project


def run(root: Path, paths: list[Path] | None = None, cache: bool = True) -> CheckResult:
    return check(paths or [], resolve_config([root], jobs=1, cache=cache))


def rows(findings: list[Finding]) -> list[tuple[object, ...]]:
    """Every field of every finding, in order (a readable diff when they differ)."""
    return [astuple(f) for f in findings]


def assert_exact(root: Path, paths: list[Path] | None = None) -> CheckResult:
    """The cached run's findings are the uncached run's: same fields, same order."""
    remembered = run(root, paths)
    fresh = run(root, paths, cache=False)
    assert rows(remembered.findings) == rows(fresh.findings)
    assert remembered.findings == fresh.findings
    assert remembered.files_checked == fresh.files_checked
    return remembered


def python_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*.py") if ".ssot_lint_cache" not in p.parts)


# -- edits: each changes the warm project and names the files to check alone ---------
Edit = Callable[[Path], list[str]]

ORDERS = "app/services/orders.py"
PAYMENTS = "app/services/payments.py"
REFUNDS = "app/services/refunds.py"
VIEWS = "app/web/views.py"
UTIL = "app/core/util.py"
ENGINE = "app/core/engine.py"
CLI = "app/cli.py"


def comment_appended(root: Path) -> list[str]:
    edit(root, ORDERS, "    return views, total, Engine, payments\n",
         "    return views, total, Engine, payments\n# reviewed\n")
    return [ORDERS]


def touched_only(root: Path) -> list[str]:
    settle(root / ORDERS)
    return [ORDERS]


def line_above_lazy_import_with_contract_finding(root: Path) -> list[str]:
    """cli.main's lazy ``import app.db`` breaks a contract (SSOT202): the finding moves."""
    edit(root, CLI, "    import app.db\n", "    log = []\n    import app.db\n")
    return [CLI]


def lines_above_lazy_import_with_layer_finding(root: Path) -> list[str]:
    """orders.refund's lazy import of app.web breaks the layers (SSOT203): it moves."""
    edit(root, ORDERS, "    from app.web import views\n",
         "    total += 1\n    total += 2\n    from app.web import views\n")
    return [ORDERS]


def lazy_import_reindented(root: Path) -> list[str]:
    """Same line, another column: the graph finding's column moves."""
    edit(root, CLI, "    ready = True\n    import app.db\n",
         "    ready = True\n    if ready:\n        import app.db\n")
    return [CLI]


def body_uses_deprecated_symbol(root: Path) -> list[str]:
    edit(root, VIEWS, "    return place, Engine\n",
         "    LegacyEngine()\n    return place, Engine\n")
    return [VIEWS]


def line_at_top_of_cycle_member(root: Path) -> list[str]:
    """payments.py's imports move: the SSOT204 message in orders.py cites one of them."""
    edit(root, PAYMENTS, "import app.services.orders\n",
         '"""Payments."""\nimport app.services.orders\n')
    return [PAYMENTS, ORDERS]


def line_at_top_of_reporting_file(root: Path) -> list[str]:
    edit(root, ORDERS, "from app.core import Engine\n", "# orders\nfrom app.core import Engine\n")
    return [ORDERS]


def definition_removed(root: Path) -> list[str]:
    edit(root, UTIL, "def public_b():\n    return 'b'\n", "")
    return [UTIL, PAYMENTS]


def definition_renamed(root: Path) -> list[str]:
    edit(root, ENGINE, "def helper():", "def helper2():")
    return [ENGINE, ORDERS]


def name_added_to_all(root: Path) -> list[str]:
    edit(root, UTIL, "'public_b']", "'public_b', '_private']")
    return [UTIL, REFUNDS]


def name_removed_from_all(root: Path) -> list[str]:
    edit(root, UTIL, "['public_a', 'public_b']", "['public_b']")
    return [UTIL, ORDERS]


def all_made_dynamic(root: Path) -> list[str]:
    """A computed ``__all__`` may list anything: ``_private`` is no longer reported."""
    edit(root, UTIL, "__all__ = ['public_a', 'public_b']\n",
         "__all__ = [name for name in ('public_a', 'public_b', '_private')]\n")
    return [UTIL, REFUNDS]


def getattr_removed(root: Path) -> list[str]:
    write(root, "app/core/lazy.py", "VALUE = 1\n")
    return ["app/core/lazy.py", PAYMENTS]


def getattr_made_literal(root: Path) -> list[str]:
    """The facade now serves one literal name: every other import from it is missing."""
    write(root, "app/core/lazy.py", "def __getattr__(name):\n    if name == 'other':\n"
          "        return 1\n    raise AttributeError(name)\n")
    return ["app/core/lazy.py", PAYMENTS]


def compiled_module_added(root: Path) -> list[str]:
    """A compiled extension provides the missing module (its bytes are never read)."""
    (root / "app/missing_module.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF\0\xff")
    return [REFUNDS]


def import_creates_cycle(root: Path) -> list[str]:
    write(root, "app/db.py", "import app.cli\nENGINE = None\n")
    return ["app/db.py", CLI]


def import_removed_breaks_cycle(root: Path) -> list[str]:
    edit(root, PAYMENTS, "import app.services.refunds\n", "")
    return [PAYMENTS, ORDERS, REFUNDS]


def lazy_import_made_eager(root: Path) -> list[str]:
    edit(root, ORDERS, "    from app.web import views\n", "")
    edit(root, ORDERS, "import billing.api\n", "import billing.api\nfrom app.web import views\n")
    return [ORDERS, VIEWS]


def import_made_relative(root: Path) -> list[str]:
    edit(root, ORDERS, "from app.services import payments\n", "from . import payments\n")
    return [ORDERS]


def import_moved_under_type_checking(root: Path) -> list[str]:
    edit(root, PAYMENTS, "import app.services.refunds\n",
         "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.services.refunds\n")
    return [PAYMENTS, ORDERS]


def suppression_added(root: Path) -> list[str]:
    edit(root, ORDERS, "from app.core.engine import LegacyEngine\n",
         "from app.core.engine import LegacyEngine  # ssot-lint: ignore[SSOT111]\n")
    return [ORDERS]


def suppression_of_graph_finding_added(root: Path) -> list[str]:
    edit(root, ORDERS, "from app.services import payments\n",
         "from app.services import payments  # ssot-lint: ignore[SSOT204]\n")
    return [ORDERS]


def suppression_removed(root: Path) -> list[str]:
    edit(root, VIEWS, "LegacyEngine  # ssot-lint: ignore[SSOT111]\n", "LegacyEngine\n")
    return [VIEWS]


def file_level_suppression_added(root: Path) -> list[str]:
    edit(root, VIEWS, "from app.services.orders import place\n",
         "# ssot-lint: ignore-file[SSOT301, SSOT204]\nfrom app.services.orders import place\n")
    return [VIEWS]


def deprecated_marker_added(root: Path) -> list[str]:
    edit(root, ENGINE, "def helper():", "@deprecated('helper() is going away')\ndef helper():")
    return [ENGINE, ORDERS]


def deprecated_marker_removed(root: Path) -> list[str]:
    edit(root, ENGINE, "@deprecated('use run_v2(); run_v1 leaks connections')\n", "")
    return [ENGINE, ORDERS]


def deprecated_marker_reworded(root: Path) -> list[str]:
    edit(root, ENGINE, "run_v1 leaks connections", "run_v1 is slow")
    return [ORDERS]


def class_member_added(root: Path) -> list[str]:
    """The patch target ``Engine.start`` (SSOT104 in app/checks.py) comes into being."""
    edit(root, ENGINE, "class Engine:\n    pass\n",
         "class Engine:\n    def start(self):\n        return self\n")
    return [ENGINE, "app/checks.py"]


def stub_added(root: Path) -> list[str]:
    """Names resolve through the stub: ``missing_name`` exists there."""
    write(root, "app/core/util.pyi", "def public_a() -> str: ...\nmissing_name = ...\n")
    return [PAYMENTS, ORDERS]


def package_init_deleted(root: Path) -> list[str]:
    """app.services becomes a namespace package."""
    (root / "app/services/__init__.py").unlink()
    return [ORDERS, PAYMENTS]


def file_added(root: Path) -> list[str]:
    write(root, "app/services/extra.py",
          "from app.core.engine import LegacyEngine\nfrom app.services import orders\n\n\n"
          "class Engine(LegacyEngine):\n    pass\n")
    return ["app/services/extra.py"]


def missing_module_created(root: Path) -> list[str]:
    write(root, "app/missing_module.py", "X = 1\n")
    return [REFUNDS]


def package_created_over_module_name(root: Path) -> list[str]:
    """``from app.core import lazy`` style targets change when a package appears."""
    write(root, "app/old/__init__.py", "thing = 1\n")
    return [PAYMENTS]


def file_deleted(root: Path) -> list[str]:
    (root / UTIL).unlink()
    return [PAYMENTS, ORDERS, "app/core/__init__.py"]


def file_renamed(root: Path) -> list[str]:
    os.rename(root / "app/db.py", root / "app/database.py")
    return [PAYMENTS, CLI, "app/database.py"]


def file_copied(root: Path) -> list[str]:
    """Two files with the same bytes (one facts row, two results)."""
    write(root, "app/dup2.py", (root / "app/dup.py").read_text())
    return ["app/dup2.py", "app/dup.py"]


def syntax_error_in_imported_module(root: Path) -> list[str]:
    edit(root, UTIL, "def _private():", "def _private(:")
    return [UTIL, PAYMENTS, "app/core/__init__.py"]


def syntax_error_in_cycle_member(root: Path) -> list[str]:
    edit(root, REFUNDS, "def back():", "def back(:")
    return [REFUNDS, ORDERS]


def syntax_error_on_chain_to_contract(root: Path) -> list[str]:
    edit(root, PAYMENTS, "def pay():", "def pay(:")
    return [CLI, PAYMENTS]


def gitignore_excludes_file(root: Path) -> list[str]:
    write(root, ".gitignore", "app/dup.py\n")
    return [ORDERS]


def registry(root: Path, old: str, new: str) -> None:
    path = root / "ssot-registry.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    settle(path)


def registry_entry_added(root: Path) -> list[str]:
    registry(root, "[symbols.", '[deprecated."app.core.engine.helper"]\n'
             'use_instead = "app.core.engine.run_v2"\n\n[symbols.')
    return [ORDERS, "app/core/__init__.py"]


def registry_entry_removed(root: Path) -> list[str]:
    registry(root, '[broken."app.old"]\nuse_instead = "app.core.engine.Engine"\n'
             'reason = "removed in 2.0"\n', "")
    return [PAYMENTS]


def registry_comment_moves_entries(root: Path) -> list[str]:
    """SSOT902 findings point at registry lines."""
    registry(root, "version = 1\n", "version = 1\n# maintained by team-app\n\n")
    return [PAYMENTS]


def registry_service_allowed(root: Path) -> list[str]:
    registry(root, "may_import = []", 'may_import = ["billing"]')
    return [ORDERS]


def registry_policy_counts_lazy_cycles(root: Path) -> list[str]:
    registry(root, "[services.app]", '[policy]\ncycle_imports = "all"\n\n[services.app]')
    return [ORDERS, VIEWS]


def registry_hint_changed(root: Path) -> list[str]:
    registry(root, "shares state between requests", "is not thread-safe")
    return [ORDERS, VIEWS]


def config(root: Path, text: str) -> None:
    path = root / "pyproject.toml"
    path.write_text(text)
    settle(path)


def config_select(root: Path) -> list[str]:
    config(root, PYPROJECT + 'select = ["SSOT1", "SSOT9"]\n')
    return [VIEWS, ORDERS]


def config_ignore(root: Path) -> list[str]:
    """Ignoring SSOT103 also silences the unused ``ignore[SSOT103]`` (SSOT901)."""
    config(root, PYPROJECT + 'ignore = ["SSOT103", "SSOT204"]\n')
    return [VIEWS, PAYMENTS]


def config_verify_off(root: Path) -> list[str]:
    config(root, "[tool.ssot-lint]\nverify_registry = false\n")
    return [PAYMENTS]


def config_excludes_file(root: Path) -> list[str]:
    """An excluded module is not analysed (its duplicate Engine is no longer reported)
    but not absent: payments' import of it stays unknown, never missing."""
    config(root, PYPROJECT + 'extend_exclude = ["app/core/lazy.py", "app/dup.py"]\n')
    return [PAYMENTS]


def config_target_version(root: Path) -> list[str]:
    """Facts are extracted again for 3.9, where ``match`` is a syntax error."""
    write(root, "app/matcher.py", "def kind(x):\n    match x:\n        case 1:\n"
          "            return 1\n")
    config(root, PYPROJECT + 'target_version = "3.9"\n')
    return ["app/matcher.py"]


def config_max_file_size(root: Path) -> list[str]:
    """engine.py is too big now: its findings are keyed by its interface, not its digest."""
    config(root, PYPROJECT + "max_file_size = 200\n")
    return [ENGINE, ORDERS]


def working_directory_changed(root: Path) -> list[str]:
    os.chdir(root / "app")  # the fixture's monkeypatch.chdir restores it
    return [ORDERS]


EDITS: list[Edit] = [
    comment_appended, touched_only, line_above_lazy_import_with_contract_finding,
    lines_above_lazy_import_with_layer_finding, lazy_import_reindented,
    body_uses_deprecated_symbol, line_at_top_of_cycle_member, line_at_top_of_reporting_file,
    definition_removed, definition_renamed, name_added_to_all, name_removed_from_all,
    all_made_dynamic, getattr_removed, getattr_made_literal, compiled_module_added,
    import_creates_cycle, import_removed_breaks_cycle,
    lazy_import_made_eager, import_made_relative, import_moved_under_type_checking,
    suppression_added, suppression_of_graph_finding_added, suppression_removed,
    file_level_suppression_added, deprecated_marker_added, deprecated_marker_removed,
    deprecated_marker_reworded, class_member_added, stub_added, package_init_deleted,
    file_added, missing_module_created,
    package_created_over_module_name, file_deleted, file_renamed, file_copied,
    syntax_error_in_imported_module, syntax_error_in_cycle_member,
    syntax_error_on_chain_to_contract, gitignore_excludes_file, registry_entry_added,
    registry_entry_removed, registry_comment_moves_entries, registry_service_allowed,
    registry_policy_counts_lazy_cycles, registry_hint_changed, config_select, config_ignore,
    config_verify_off, config_excludes_file, config_target_version, config_max_file_size,
    working_directory_changed,
]


NEUTRAL = (comment_appended, touched_only, package_init_deleted)  # same findings expected


def warm(root: Path) -> list[Finding]:
    """Fill the cache (a cold run, then a run that replays everything) and check both."""
    first = assert_exact(root)
    second = run(root)
    assert second.findings == first.findings
    assert second.extra["remembered"] == second.files_checked
    return first.findings


@pytest.mark.parametrize("order", ["project-first", "file-first"])
@pytest.mark.parametrize("change", EDITS, ids=lambda e: e.__name__)
def test_edit_gives_exact_findings(root: Path, change: Edit, order: str) -> None:
    before = warm(root)
    alone = [root / rel for rel in change(root)]
    if order == "file-first":  # a pre-commit run over the edited files, then the project
        for path in alone:
            assert_exact(root, [path])
        assert_exact(root, alone)
    after = assert_exact(root)
    again = run(root)  # everything is remembered now, and still exact
    assert again.findings == after.findings
    assert again.extra["remembered"] == again.files_checked
    for path in alone:
        assert_exact(root, [path])
    if change not in NEUTRAL:  # the project really changed (the test is not vacuous)
        assert after.findings != before


# -- what the memo saves ---------------------------------------------------------------
def test_unchanged_project_is_replayed_entirely(root: Path) -> None:
    warm(root)
    again = run(root)
    assert again.files_checked == python_files(root)
    assert again.extra["remembered"] == python_files(root)
    one = run(root, [root / ORDERS])
    assert (one.files_checked, one.extra["remembered"]) == (1, 1)


@pytest.mark.parametrize("change", [
    comment_appended, line_above_lazy_import_with_contract_finding,
    lines_above_lazy_import_with_layer_finding, lazy_import_reindented,
    body_uses_deprecated_symbol, suppression_added, suppression_removed,
], ids=lambda e: e.__name__)
def test_body_only_edit_rechecks_that_file_alone(root: Path, change: Edit) -> None:
    """Nothing another file's findings depend on changed: only the edited file is judged."""
    warm(root)
    (edited,) = change(root)
    after = assert_exact(root)
    assert after.extra["remembered"] == python_files(root) - 1
    assert any(f.path == edited for f in after.findings)  # re-judged, not just dropped


def test_moved_lazy_import_moves_its_graph_findings(root: Path) -> None:
    """The remembered SSOT202/SSOT203 findings follow the lazy imports they are at."""
    before = warm(root)
    line_above_lazy_import_with_contract_finding(root)
    lines_above_lazy_import_with_layer_finding(root)
    after = assert_exact(root)
    assert after.extra["remembered"] == python_files(root) - 2
    graph = {(f.path, f.code, f.line) for f in after.findings if f.code in ("SSOT202", "SSOT203")}
    assert {(CLI, "SSOT202", 7), (ORDERS, "SSOT203", 20)} <= graph
    assert {(CLI, "SSOT202", 6), (ORDERS, "SSOT203", 18)} <= {
        (f.path, f.code, f.line) for f in before}


def test_imports_moved_down_replay_graph_findings_without_the_graph(root: Path) -> None:
    """A line added at the top of a file moves every import in it (a new graph key),
    but its graph findings cite no other file's lines: they are shifted from the
    position-free row, the graph is not rebuilt, and they equal an uncached run's."""
    before = warm(root)
    edit(root, CLI, "import app.services.payments\n",
         "# a line above every import\nimport app.services.payments\n")
    one = assert_exact(root, [root / CLI])  # the pre-commit run over the edited file
    assert GraphAnalysis not in one.project.shared  # replayed, not recomputed
    assert (CLI, "SSOT202", 7) in {(f.path, f.code, f.line) for f in one.findings}
    assert (CLI, "SSOT202", 6) in {(f.path, f.code, f.line) for f in before}
    assert_exact(root)  # and the whole project, every other file's graph rows replayed


def test_moved_imports_of_a_cycle_rebuild_the_graph(root: Path) -> None:
    """orders.py's SSOT204 finding cites payments.py's import line: when payments.py's
    imports move, orders.py's graph findings are computed again, never shifted."""
    warm(root)
    line_at_top_of_cycle_member(root)
    one = assert_exact(root, [root / ORDERS])
    assert GraphAnalysis in one.project.shared
    assert any(f.code == "SSOT204" and f"({PAYMENTS}:3)" in f.message for f in one.findings)
    assert_exact(root)


def test_moved_syntax_error_behind_an_unknown_verdict_is_not_replayed(tmp_path: Path
                                                                    ) -> None:
    """A contract's "unknown — partial graph" verdict sits at the unparsable file's
    syntax error; when a line above it moves the error, the verdict moves with it
    (no position-free row is written for a file that cannot be parsed)."""
    root = write_project(tmp_path / "p", {
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "import pkg.c\ndef broken(:\n    pass\n",
        "pkg/c.py": "",
        "pkg/d.py": "",
    }, '[[contracts]]\nname = "a stays off d"\nkind = "forbidden"\nsource = ["pkg.a"]\n'
       'forbidden = ["pkg.d"]\n', packages=("pkg",))
    first = assert_exact(root)
    assert [(f.line, f.code) for f in first.findings if f.path.endswith("pkg/b.py")] == [
        (2, "SSOT001"), (2, "SSOT202")]  # the verdict is unknown, at the syntax error
    edit(root, "pkg/b.py", "import pkg.c\n", "# a line above\nimport pkg.c\n")
    for paths in ([root / "pkg/b.py"], None):
        moved = assert_exact(root, paths)
        assert [(f.line, f.code) for f in moved.findings if f.path.endswith("pkg/b.py")] == [
            (3, "SSOT001"), (3, "SSOT202")]


def test_interface_edit_rechecks_every_file(root: Path) -> None:
    warm(root)
    definition_removed(root)
    after = assert_exact(root)
    assert after.extra["remembered"] == 0
    assert [(f.path, f.code) for f in after.findings if "public_b" in f.message] == [
        (PAYMENTS, "SSOT103")]


# -- states that come back --------------------------------------------------------------
def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".ssot_lint_cache" not in p.parts}


def restore(root: Path, files: dict[str, bytes]) -> None:
    for rel in snapshot(root):
        if rel not in files:
            (root / rel).unlink()
    for rel, data in files.items():
        path = root / rel
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            settle(path)


def test_two_edits_then_revert(root: Path) -> None:
    original = snapshot(root)
    before = warm(root)
    definition_removed(root)
    assert_exact(root)
    line_at_top_of_cycle_member(root)
    assert_exact(root)
    restore(root, original)
    after = assert_exact(root)
    assert after.findings == before
    assert after.extra["remembered"] == after.files_checked  # recent states are kept


def test_states_flipping_back_and_forth(root: Path) -> None:
    original = snapshot(root)
    warm(root)
    deprecated_marker_added(root)
    changed = snapshot(root)
    for state in (original, changed, original, changed, original):
        restore(root, state)
        assert_exact(root)
        assert_exact(root, [root / ORDERS])
        assert_exact(root, [root / ENGINE])


# -- lazy imports counted in cycles (policy cycle_imports = "all") -----------------------
LAZY_CYCLES = REGISTRY + '\n[policy]\ncycle_imports = "all"\n'
# payments imports refunds lazily: the cycle finding in orders.py cites that lazy line.
LAZY_FILES = {**FILES, PAYMENTS: FILES[PAYMENTS].replace("import app.services.refunds\n", "")
              .replace("def pay():\n", "def pay():\n    import app.services.refunds\n")}


def line_above_lazy_import_in_payments(root: Path) -> list[str]:
    edit(root, PAYMENTS, "    import app.services.refunds\n",
         "    due = 0\n    import app.services.refunds\n")
    return [PAYMENTS, ORDERS]


def line_above_lazy_import_in_views(root: Path) -> list[str]:
    edit(root, VIEWS, "    from app.services import orders\n",
         "    orders = None\n    from app.services import orders\n")
    return [VIEWS]


@pytest.mark.parametrize("change", [
    line_above_lazy_import_in_payments, line_above_lazy_import_in_views,
    lines_above_lazy_import_with_layer_finding, line_above_lazy_import_with_contract_finding,
    lazy_import_reindented, comment_appended,
], ids=lambda e: e.__name__)
def test_lazy_cycle_policy_edit_gives_exact_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Edit) -> None:
    root = build(tmp_path, LAZY_CYCLES, LAZY_FILES)
    monkeypatch.chdir(root)
    before = warm(root)
    cycle = [f for f in before if f.code == "SSOT204"]
    assert [f.path for f in cycle] == [ORDERS]
    assert f"({PAYMENTS}:9)" in cycle[0].message  # a lazy import line of another file
    alone = [root / rel for rel in change(root)]
    for path in alone:
        assert_exact(root, [path])
    after = assert_exact(root)
    assert run(root).findings == after.findings
    if change is line_above_lazy_import_in_payments:
        assert [f"({PAYMENTS}:10)" in f.message for f in after.findings
                if f.code == "SSOT204"] == [True]


# -- damage -----------------------------------------------------------------------------
@contextmanager
def database(root: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(root / ".ssot_lint_cache" / DB_NAME, isolation_level=None)
    try:
        yield db
    finally:
        db.close()


def crc(key: str, data: str) -> int:
    """The results table's row checksum (``cache._crc(key, "", data)``)."""
    return zlib.crc32(f"{key}\0\0{data}".encode())


def wrong_types(data: str) -> str:
    """Findings-shaped JSON whose fields have the wrong types (a line that is a string)."""
    value = json.loads(data)
    found = value.get("findings") if isinstance(value, dict) else value
    if isinstance(found, list):
        for row in found:
            row[1] = str(row[1])
    return json.dumps(value)


DAMAGE: dict[str, Callable[[str, str], tuple[str, int | None]]] = {
    # name: (key, data) -> (new data, new crc or None for a stale one)
    "garbage, stale crc": lambda key, data: ("garbage", None),
    "garbage, valid crc": lambda key, data: ("garbage", crc(key, "garbage")),
    "truncated json, valid crc": lambda key, data: (data[:-3], crc(key, data[:-3])),
    "object, valid crc": lambda key, data: ('{"not": "findings"}',
                                            crc(key, '{"not": "findings"}')),
    "short rows, valid crc": lambda key, data: ('[["app/x.py", 1]]', crc(key, '[["app/x.py", 1]]')),
    "null, valid crc": lambda key, data: ("null", crc(key, "null")),
    "number, valid crc": lambda key, data: ("5", crc(key, "5")),
    "string, valid crc": lambda key, data: ('"SSOT101"', crc(key, '"SSOT101"')),
    "wrong field types, valid crc": lambda key, data: (wrong_types(data),
                                                       crc(key, wrong_types(data))),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_result_rows_are_never_trusted(root: Path, damage: str) -> None:
    warm(root)
    line_above_lazy_import_with_contract_finding(root)  # F, O and G rows of cli.py in use
    assert_exact(root)
    with database(root) as db:
        stored = db.execute("SELECT key, data FROM results").fetchall()
        assert {key[0] for key, _ in stored} >= {"F", "O", "G", "V", "P"}
        for key, data in stored:
            new, check_sum = DAMAGE[damage](key, data)
            db.execute("UPDATE results SET data = ?, crc = coalesce(?, crc + 1) WHERE key = ?",
                       (new, check_sum, key))
    edit(root, CLI, "    log = []\n", "    log = [1]\n")  # cli.py: F misses, O misses, G hits
    assert_exact(root, [root / CLI])
    assert_exact(root)
    after = assert_exact(root)  # the damaged rows were replaced by good ones
    assert run(root).extra["remembered"] == after.files_checked


@pytest.mark.parametrize("how", ["rows deleted", "table dropped", "one kind deleted"])
def test_missing_result_rows_are_recomputed(root: Path, how: str) -> None:
    before = warm(root)
    with database(root) as db:
        if how == "rows deleted":
            db.execute("DELETE FROM results")
        elif how == "table dropped":
            db.execute("DROP TABLE results")
        else:
            db.execute("DELETE FROM results WHERE key LIKE 'F:%' OR key LIKE 'V:%'")
    assert_exact(root, [root / ORDERS])
    after = assert_exact(root)
    assert after.findings == before
    assert run(root).extra["remembered"] == after.files_checked


# -- concurrent runs --------------------------------------------------------------------
CHECK_SCRIPT = """
import json, sys
from dataclasses import astuple
from pathlib import Path
from ssot_lint.api import check, resolve_config
result = check([], resolve_config([Path.cwd()], jobs=1))
print(json.dumps([astuple(f) for f in result.findings]))
"""


def test_concurrent_runs_give_exact_findings(root: Path) -> None:
    """Two processes fill and replay one cache at the same time, over several states."""
    def together() -> None:
        expected = json.loads(json.dumps(rows(run(root, cache=False).findings)))
        runs = [subprocess.Popen([sys.executable, "-c", CHECK_SCRIPT], cwd=root,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        for process in runs:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            assert "warning" not in err, err
            assert json.loads(out) == expected

    together()  # cold: both write
    together()  # warm: both replay
    definition_removed(root)  # every file re-checked
    together()
    line_above_lazy_import_with_contract_finding(root)  # one file, graph rows moved
    together()
    assert_exact(root)
    with database(root) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_too_big_file_edited_to_the_same_size(root: Path) -> None:
    """A file over max_file_size is never read: same size, same (SSOT002) facts."""
    config(root, PYPROJECT + "max_file_size = 200\n")
    warm(root)
    assert (ENGINE, "SSOT002") in {(f.path, f.code) for f in run(root).findings}
    edit(root, ENGINE, "def helper():", "def helpxr():")
    assert_exact(root)
    assert_exact(root, [root / ENGINE])
    write(root, ENGINE, "from typing_extensions import deprecated\n\n"
          "@deprecated('gone')\ndef helper():\n    return 3\n")  # under the limit again
    after = assert_exact(root)
    assert (ENGINE, "SSOT002") not in {(f.path, f.code) for f in after.findings}
    assert_exact(root, [root / ORDERS])


MATCHER = "def kind(x):\n    match x:\n        case 1:\n            return 1\n"
MATCHER_IF = "def kind(x):\n    if x == 1:\n        return 1\n"


def test_target_version_switch_then_edit(root: Path) -> None:
    """Facts (and so interfaces) depend on the target: ``match`` is a syntax error for 3.9.

    The unparsable matcher.py makes other files' names from it unknown (not reported);
    once it parses again for 3.9, ``from app.matcher import nothing`` is an SSOT103.
    """
    write(root, "app/matcher.py", MATCHER)
    write(root, "app/use_matcher.py", "from app.matcher import kind, nothing\n")
    warm(root)  # target: this interpreter's (3.10 or later)
    config(root, PYPROJECT + 'target_version = "3.9"\n')
    assert "SSOT001" in {f.code for f in assert_exact(root).findings}
    write(root, "app/matcher.py", MATCHER_IF)  # the same definitions, parseable for 3.9
    after = assert_exact(root)
    assert ("app/use_matcher.py", "SSOT103") in {(f.path, f.code) for f in after.findings}
    assert_exact(root, [root / "app/use_matcher.py"])


def test_explicit_file_outside_the_project(root: Path, tmp_path: Path) -> None:
    """A named file outside the project is judged against it, never remembered."""
    outside = tmp_path / "scratch.py"
    outside.write_text("from app.core.engine import LegacyEngine, nothing\nLegacyEngine()\n")
    warm(root)
    first = assert_exact(root, [outside])
    assert {f.code for f in first.findings} >= {"SSOT103", "SSOT111"}
    outside.write_text("from app.core.engine import Engine\n")
    assert assert_exact(root, [outside, root / ORDERS]).extra["remembered"] == 1
    assert_exact(root)


def test_rows_written_ahead_of_the_end_of_a_run_stay_exact(root: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A large project's facts and results are written while the run goes on (so they
    are never all held in memory); with a tiny threshold every row takes that path."""
    monkeypatch.setattr(cache_module, "WRITE_AHEAD_BYTES", 1)
    assert_exact(root)
    edit(root, ORDERS, "\n", "\n# edited\n")
    assert_exact(root)
    assert run(root).extra["remembered"] == python_files(root)


def test_every_finding_field_round_trips_with_its_type_checked() -> None:
    """A field added to ``Finding`` must be typed here too, or nothing would replay."""
    from dataclasses import fields

    from ssot_lint.model.finding import Edit

    assert set(results._FIELD_TYPES) == {f.name for f in fields(Finding)}
    full = Finding(path="a.py", line=3, column=5, code="SSOT111", rule="deprecated-import",
                   severity="warning", message="m", end_line=3, end_column=9, hint="h",
                   symbol="a.b", docs="d", fix=Edit("d", "replace-import", "a", "b", False),
                   extra=(("touches", "c.py"),))
    bare = Finding(path="b.py", line=1, column=1, code="SSOT001", rule="syntax-error",
                   severity="error", message="m")
    rows = json.loads(json.dumps(results.encode_findings([full, bare])))
    assert results.decode_findings(rows) == [full, bare]
    rows[0][1] = True  # a bool is no line number
    with pytest.raises(TypeError):
        results.decode_findings(rows)
