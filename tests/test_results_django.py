"""Remembered findings on real code: Django 5.1.4 edited the ways a developer would.

The fixture-project tests (``test_results_cache.py``) cover each kind of edit in
isolation; this runs the same comparison — a remembered run against a ``--no-cache``
run, every field of every finding — on the pinned Django sdist (downloaded once into
the gitignored ``.corpora/``), with a registry that gives the graph rules plenty to
say: services, a layer stack, a forbidden contract and deprecated paths.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ssot_lint.api import check, resolve_config
from ssot_lint.model.finding import Finding
from tests.conftest import DJANGO, unpack

pytestmark = pytest.mark.corpus

QUERY = "django/db/models/query.py"
REGISTRY = {
    "services": {"foundation": (["django.utils", "django.dispatch", "django.conf",
                                 "django.apps", "django.core"], []),
                 "db": (["django.db"], ["foundation"]),
                 "web": (["django.http", "django.urls", "django.views", "django.forms",
                          "django.template", "django.templatetags"], ["foundation", "db"]),
                 "contrib": (["django.contrib"], ["*"])},
    "layers": ["django.contrib", "django.views", "django.urls", "django.http", "django.db",
               "django.utils"],
}


@pytest.fixture(scope="module")
def django(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = unpack(DJANGO, tmp_path_factory.mktemp("django"))
    registry = 'version = 1\n[project]\npackages = ["django"]\n'
    for name, (packages, may_import) in REGISTRY["services"].items():
        registry += (f"\n[services.{name}]\npackages = {json.dumps(packages)}\n"
                     f"may_import = {json.dumps(may_import)}\n")
    registry += f'\n[[layers]]\nname = "stack"\norder = {json.dumps(REGISTRY["layers"])}\n'
    registry += ('\n[[contracts]]\nname = "utils below contrib"\nkind = "forbidden"\n'
                 'source = ["django.utils"]\nforbidden = ["django.contrib"]\n'
                 '\n[deprecated."django.utils.functional.lazystr"]\nhint = "use lazy(str)"\n'
                 '\n[deprecated."django.db.models.Manager"]\nhint = "a test entry"\n')
    (tree / "ssot-registry.toml").write_text(registry)
    # Only the django package: the test suite would triple the run time and add nothing.
    (tree / "pyproject.toml").write_text('[tool.ssot-lint]\nexclude = ["tests", "docs", '
                                         '"scripts", "extras", "js_tests"]\n')
    for path in tree.rglob("*.py"):  # old mtimes: the stat fast path may trust them
        os.utime(path, (1_600_000_000, 1_600_000_000))
    return tree


def findings(root: Path, paths: list[Path], cache: bool) -> tuple[list[Finding], int]:
    config = resolve_config([root], cache=cache, jobs=2)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        result = check(paths, config)
    finally:
        os.chdir(cwd)
    return result.findings, int(result.extra.get("remembered", 0))


def assert_exact(root: Path, paths: list[Path]) -> int:
    remembered, reused = findings(root, paths, cache=True)
    assert remembered == findings(root, paths, cache=False)[0]
    return reused


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_django_edits_keep_remembered_findings_exact(django: Path) -> None:
    everything = [django]
    one = [django / QUERY]
    assert_exact(django, everything)  # cold, then
    whole, _ = findings(django, everything, cache=True)
    assert whole, "the registry makes the graph rules report on Django"
    assert {f.code for f in whole} >= {"SSOT201", "SSOT202", "SSOT203", "SSOT204"}
    files = assert_exact(django, everything)
    assert files > 800  # every file replayed

    # A method body edited above a function-level import (lines move, interface does not).
    edit(django, QUERY, "    def count(self):\n", "    def count(self):\n        _ = 1\n")
    assert assert_exact(django, everything) == files - 1  # only the edited file is judged
    assert assert_exact(django, one) == 1  # and the hook's run replays what that found
    edit(django, QUERY, "        _ = 1\n", "        _ = 2\n")
    assert assert_exact(django, one) == 0  # the hook judging the file itself

    # A module-level import added (new graph edge, new deprecated use).
    edit(django, QUERY, "import copy\n", "import copy\nfrom django.db.models import Manager\n")
    assert_exact(django, one)
    assert_exact(django, everything)

    # A line added at the top of a module in a cycle: SSOT204 elsewhere cites its lines.
    edit(django, "django/db/models/deletion.py", "from collections", "# moved\nfrom collections")
    assert_exact(django, everything)

    # A definition removed that other modules import (SSOT103 appears elsewhere).
    edit(django, "django/utils/functional.py", "def lazystr(text):", "def _gone(text):")
    assert_exact(django, everything)
    assert_exact(django, [django / "django/utils/text.py"])
