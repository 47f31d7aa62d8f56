"""ModuleIndex: which first-party modules exist, and where the answer is open."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.discover import SourceFile
from ssot_lint.resolve.modules import ModuleIndex


def _index(*rels: str) -> ModuleIndex:
    files = []
    for rel in rels:
        parts = rel[:-3].split("/")
        package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if package else parts)
        files.append(SourceFile(Path("/p") / rel, rel, module, package))
    return ModuleIndex(files)


INDEX = _index("google/api_core/__init__.py", "google/api_core/retry.py",
               "google/cloud/storage/__init__.py",
               "app/__init__.py", "app/plugins/base.py", "tools/lint/check.py")


@pytest.mark.parametrize(("name", "kind"), [
    ("google", "namespace"), ("google.api_core", "package"),
    ("google.api_core.retry", "module"), ("google.cloud", "namespace"),
    ("app.plugins", "namespace"), ("google.protobuf", None),
    ("google.api_core.retry.deep", None),
])
def test_kind_follows_the_import_system(name: str, kind: str | None) -> None:
    assert INDEX.kind(name) == kind


@pytest.mark.parametrize(("name", "is_open"), [
    ("google", True),  # PEP 420: other distributions add google.protobuf, google.auth
    ("google.cloud", True),  # a namespace below a namespace is still open
    ("tools.lint", True),
    ("google.api_core", False),  # a regular package: its own directory only
    ("app", False),
    ("app.plugins", False),  # a namespace below a regular package is closed
    ("google.protobuf", False),  # does not exist at all
    ("", False),
])
def test_open_namespace_only_when_no_regular_package_is_above(name: str,
                                                                is_open: bool) -> None:
    assert INDEX.open_namespace(name) is is_open
