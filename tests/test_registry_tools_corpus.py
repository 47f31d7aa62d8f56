"""``registry init`` -> ``check`` on a real code base of more than 2,000 files: Django 5.1.4.

The pinned sdist is downloaded from PyPI in test setup into the git-ignored
``.corpora/`` directory (never committed) and unpacked once. Django's test apps are
top-level packages under ``tests/`` (its test runner puts that directory on
``sys.path``), so the bootstrap uses two source roots and finds ~200 services with
real cross-service imports: a hard case for "no boundary violations on day one".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.api import check, resolve_config
from ssot_lint.load.registry import load_registry
from ssot_lint.registry_tools.codebase import load_codebase
from ssot_lint.registry_tools.init import InitReport, bootstrap
from ssot_lint.registry_tools.toml_writer import render
from tests.conftest import DJANGO, schema_errors, shared_tree

pytestmark = pytest.mark.corpus



def django_tree() -> Path:
    return shared_tree(DJANGO, "registry-tools")


@pytest.fixture(scope="module")
def bootstrapped() -> tuple[Path, Path, InitReport, int]:
    root = django_tree()
    project = load_codebase(root, (".", "tests"))
    draft, report = bootstrap(project)
    # Where a user would put it: this also makes the tree its own project root.
    registry = root / "ssot-registry.toml"
    registry.write_text(render(draft), encoding="utf-8")
    return root, registry, report, len(project.files)


def test_bootstrap_of_django_loads_and_lists_duplicates(
        bootstrapped: tuple[Path, Path, InitReport, int]) -> None:
    _, registry_path, report, files = bootstrapped
    assert files >= 2000
    text = registry_path.read_text(encoding="utf-8")
    assert schema_errors(text) == []
    registry = load_registry(registry_path)
    assert "django" in registry.services and len(registry.services) > 100
    assert len(registry.symbols) > 2000
    # Canonical is how Django itself imports a name most (ties: the shallowest public
    # path): Model through its package facade, the defining module as an alias.
    model = registry.symbols["django.db.models.Model"]
    assert "django.db.models.base.Model" in model.aliases
    # Names defined in several modules are listed for a human, not registered.
    assert [m for m, _, _ in report.duplicates["CharField"]] == [
        "django.db.models.fields", "django.forms.fields"]
    assert len(report.duplicates["Command"]) > 20
    assert "django.forms.fields.CharField" not in registry.symbols
    assert "# CharField: django.db.models.fields (django/db/models/fields/__init__.py:" in text
    # Services may import today what they import today; the comment shows the rest.
    assert registry.services["admin_views"].may_import
    assert "under full independence" in text


def test_check_after_init_has_no_boundary_violations_on_day_one(
        bootstrapped: tuple[Path, Path, InitReport, int]) -> None:
    root, registry_path, _, files = bootstrapped
    config = resolve_config([root])
    assert (config.root, config.registry_path) == (root.resolve(), registry_path.resolve())
    result = check([], config)
    assert result.files_checked == files
    codes = {f.code for f in result.findings}
    assert not codes & {"SSOT201", "SSOT202", "SSOT203"}, sorted(codes)
    assert "SSOT112" in codes  # imports through re-exports: the registry's opinion shows
