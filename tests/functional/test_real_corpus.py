"""``ssot-lint check`` on a real codebase: Django 5.1.4 (2,788 Python files).

The sdist is downloaded from PyPI on first use into ``.corpora/`` (gitignored) and
reused. The test writes a registry for Django (symbols with aliases, a broken and a
deprecated path Django really imports), runs the real CLI, and checks the counts
against numbers derived here independently with ``ast`` (relative imports resolved
by this file's own small resolver, not ssot-lint's).
"""

from __future__ import annotations

import ast
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.functional.cli import run_main
from tests.functional.corpus import django_tree

pytestmark = pytest.mark.corpus

REGISTRY = """\
version = 1

[project]
packages = ["django"]

[symbols."django.db.models.base.Model"]
aliases = ["django.db.models.Model"]

[symbols."django.http.response.HttpResponse"]
aliases = ["django.http.HttpResponse"]

[broken."django.utils.deprecation.RemovedInDjango60Warning"]
use_instead = "django.utils.deprecation.RemovedInDjango61Warning"
reason = "pretend the 6.0 warning class was removed early"

[deprecated."django.utils.functional.cached_property"]
use_instead = "functools.cached_property"
hint = "the standard library has it since Python 3.8"
"""

# Django's own test suite ships files that are broken on purpose (they test Django's
# error handling). Each must be found; nothing else may be unresolved.
DELIBERATELY_BROKEN = {
    # `from django.db import modelz`: tests an app whose models module fails to import
    ("tests/admin_scripts/broken_app/models.py", "SSOT103"),
    # `from django import Xtemplate`: a template tag library that fails to import
    ("tests/template_tests/broken_tag.py", "SSOT103"),
    # `from .....test import Error`: Sphinx linkcode test data that must fail
    ("tests/sphinx/testdata/package/import_error.py", "SSOT102"),
    # `1syntax_error`: the test runner's syntax-error fixture
    ("tests/test_runner_apps/tagged/tests_syntax_error.py", "SSOT001"),
}
SKIPPED_DIRS = {".git", "__pycache__", "build", "dist", "node_modules", ".venv", "venv", "env",
                ".env", ".tox", ".nox", "site-packages", ".mypy_cache", ".pytest_cache"}


@pytest.fixture(scope="module")
def django() -> Path:
    return django_tree()


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file()
                  and not SKIPPED_DIRS.intersection(p.relative_to(root).parts[:-1])
                  and not any(part.endswith(".egg-info") for part in p.relative_to(root).parts))


def from_imports(root: Path) -> tuple[Counter[tuple[str, str]], int]:
    """(absolute module, name) of every ``from`` import in every parsable file, and the
    number of files Python 3.10 cannot parse."""
    counts: Counter[tuple[str, str]] = Counter()
    unparsable = 0
    for path in python_files(root):
        parts = list(path.relative_to(root).with_suffix("").parts)
        package = parts[:-1]
        try:
            tree = ast.parse(path.read_bytes(), feature_version=(3, 10))
        except (SyntaxError, ValueError):
            unparsable += 1
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level - 1 <= len(
                    package) else None
                if not base:
                    continue
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                counts[(module, alias.name)] += 1
    return counts, unparsable


def test_check_django(django: Path, tmp_path: Path) -> None:
    (django / "ssot-registry.toml").write_text(REGISTRY, encoding="utf-8")
    started = time.perf_counter()
    result = run_main(["check", "--format", "json", "--no-cache"], django)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    summary = report["summary"]
    by_code = Counter(f["code"] for f in report["findings"])
    print(f"\nDjango: {summary['files_checked']} files, {summary['findings']} findings "
          f"{dict(sorted(by_code.items()))} in {elapsed:.1f} s")

    files = python_files(django)
    assert len(files) >= 2000
    assert summary["files_checked"] == len(files)

    imports, unparsable = from_imports(django)
    expected = {
        "SSOT101": imports[("django.utils.deprecation", "RemovedInDjango60Warning")],
        # Deprecation follows the object (registry `scope`, default "object" when
        # use_instead is another object): `RemovedAfterNextVersionWarning =
        # RemovedInDjango60Warning` in django.utils.deprecation is the broken class under
        # another name, so importing it is reported too (as a working but replaced path).
        "SSOT111": imports[("django.utils.functional", "cached_property")]
        + imports[("django.utils.deprecation", "RemovedAfterNextVersionWarning")],
        "SSOT112": imports[("django.db.models", "Model")] + imports[("django.http",
                                                                     "HttpResponse")],
    }
    assert all(count > 10 for count in expected.values()), expected  # Django really uses them
    assert {code: by_code[code] for code in expected} == expected
    assert by_code["SSOT001"] + by_code["SSOT002"] == unparsable

    unresolved = {(f["path"], f["code"]) for f in report["findings"]
                  if f["code"] in ("SSOT001", "SSOT002", "SSOT102", "SSOT103")}
    assert unresolved == DELIBERATELY_BROKEN

    deprecated = [f for f in report["findings"] if f["code"] == "SSOT111"]
    renamed = [f for f in deprecated if "RemovedAfterNextVersionWarning" in f["message"]]
    # the [broken] entry's object under another name: its use_instead, its severity
    assert renamed and all("RemovedInDjango61Warning" in f["message"]
                           and f["severity"] == "error" for f in renamed)
    assert all(f["severity"] == "warning" and "functools.cached_property" in f["message"]
               for f in deprecated if f not in renamed)
    broken = [f for f in report["findings"] if f["code"] == "SSOT101"]
    # the pretended replacement does not exist, so no fix is offered, and the message says so
    assert broken and all("fix" not in f and "no automatic fix" in f["message"]
                          and "RemovedInDjango61Warning" in f["message"] for f in broken)
