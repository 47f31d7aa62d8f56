"""``fix`` on a real codebase: the pinned Django 5.1.4 sdist (2,788 Python files).

The sdist is downloaded from PyPI once into the git-ignored ``.corpora/`` directory and
unpacked into a temporary directory. The registry below moves widely used symbols the
way a real migration would: the ``django.test`` re-exports of the test case classes
and ``override_settings`` become aliases of their defining modules (SSOT112), and
``django.http.HttpResponse`` / ``django.db.models.Q`` are deprecated in favour of their
defining modules (SSOT111). ``fix`` must rewrite every one of those imports, leave code
that still compiles, and a following ``check`` must report none of them; and every file
it touches that passed ruff's import sorting (``ruff check --select I`` with ruff's
default isort settings and the registry's packages as first party) before still passes
it after: the new imports are merged, placed and wrapped as a sorter would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DJANGO, run_check, run_fix, unpack

pytestmark = pytest.mark.corpus

REGISTRY = """version = 1

[project]
packages = ["django"]
source_roots = ["."]

[symbols."django.test.testcases.TestCase"]
aliases = ["django.test.TestCase"]

[symbols."django.test.testcases.SimpleTestCase"]
aliases = ["django.test.SimpleTestCase"]

[symbols."django.test.testcases.TransactionTestCase"]
aliases = ["django.test.TransactionTestCase"]

[symbols."django.test.utils.override_settings"]
aliases = ["django.test.override_settings"]

[deprecated."django.http.HttpResponse"]
use_instead = "django.http.response.HttpResponse"
hint = "import responses from django.http.response"

[deprecated."django.db.models.Q"]
use_instead = "django.db.models.query_utils.Q"
"""
MOVED = ("SSOT111", "SSOT112")


@pytest.fixture(scope="module")
def django_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = unpack(DJANGO, tmp_path_factory.mktemp("django"))
    (root / "ssot-registry.toml").write_text(REGISTRY)
    return root


def _compile_errors(root: Path, targets: list[str]) -> set[str]:
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", *targets], cwd=root,
                          capture_output=True, text=True, check=False)
    return set(re.findall(r"\*\*\* Error compiling '([^']+)'", done.stdout))


def unsorted_files(root: Path, targets: list[str], first_party: list[str]) -> set[str]:
    """Files ruff's import sorting (rule I001, default settings) would change."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I",
         "--output-format", "json", "--no-cache",
         "--config", f"lint.isort.known-first-party = {json.dumps(first_party)}", *targets],
        cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return {Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
            for item in json.loads(done.stdout)}


def test_fix_migrates_hundreds_of_django_imports(django_root: Path) -> None:
    root = django_root
    assert sum(1 for _ in root.rglob("*.py")) >= 2000
    errors_before = _compile_errors(root, ["django", "tests"])
    unsorted_before = unsorted_files(root, ["django", "tests"], ["django"])
    before = [f for f in run_check(root) if f.code in MOVED]
    assert len(before) >= 500

    result = run_fix(root)

    assert result.errors == [] and result.not_fixed == [] and result.needs_unsafe == []
    assert sorted((f.path, f.line, f.code) for f in result.fixed) == sorted(
        (f.path, f.line, f.code) for f in before)
    changed = sorted(path for path, _, _ in result.diffs)
    assert len(changed) >= 300
    after = run_check(root)
    assert [f for f in after if f.code in MOVED] == []
    assert _compile_errors(root, changed) == set()
    sorted_before = [path for path in changed if path not in unsorted_before]
    assert len(sorted_before) >= 100  # most of Django is isort-clean
    assert unsorted_files(root, sorted_before, ["django"]) == set()
    assert _compile_errors(root, ["django", "tests"]) == errors_before  # the one file that
    # is a syntax error on purpose (tests/test_runner_apps/tagged/tests_syntax_error.py)
    second = run_fix(root)
    assert second.fixed == [] and second.diffs == []


def test_spliced_and_whole_module_rewrites_agree_on_django(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fix --diff`` with statement-level rewriting (``ssot_lint/fix/statements.py``)
    and with the whole-module rewrite it replaces: the same diff for all 798 files, the
    same fixed and not-fixed findings."""
    import ssot_lint.fix.apply as apply

    root = unpack(DJANGO, tmp_path_factory.mktemp("django-differential"))
    (root / "ssot-registry.toml").write_text(REGISTRY)
    fast = run_fix(root, write=False)
    monkeypatch.setattr(apply, "STATEMENT_LEVEL", False)
    whole = run_fix(root, write=False)
    assert len(fast.diffs) > 700
    assert fast.diffs == whole.diffs
    assert (fast.fixed, fast.not_fixed, fast.remaining) == \
        (whole.fixed, whole.not_fixed, whole.remaining)
