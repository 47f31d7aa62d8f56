"""``pytest.raises(ImportError)`` exempts what the ``with`` block runs, nothing more.

An import asserted to fail is not a dependency (docs/boundaries.md says why); a function
defined inside the block is ordinary code that runs later, so its imports count.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_check, write_project

REGISTRY = """
[services.app]
packages = ["app"]

[services.billing]
packages = ["billing"]
"""

TEST = """\
import pytest


def test_billing_is_unreachable():
    with pytest.raises(ImportError):
        from billing import internals
        import app.gone

        def later():
            from billing import internals
            import app.gone
            return internals, app.gone
"""


def test_only_statements_directly_in_the_block_are_exempt(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"app/test_guard.py": TEST,
                                          "billing/internals.py": "X = 1\n"}, REGISTRY)
    found = sorted((f.line, f.code) for f in run_check(root) if f.path == "app/test_guard.py")
    # lines 6-7: asserted to fail, neither a boundary edge nor an unresolved module;
    # lines 10-11: the nested def is ordinary code.
    assert found == [(10, "SSOT201"), (11, "SSOT102")]
