"""Every rule example that pins a ``fixed`` source is run through ``fix`` (Fixit-style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.rules import all_rules
from ssot_lint.rules.base import Example, Rule
from tests.conftest import run_check, run_fix, write_project

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-invalid-{index}")
    for rule in all_rules()
    for index, example in enumerate(rule.INVALID)
    if example.fixed is not None
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_fixed_example(tmp_path: Path, rule: type[Rule], example: Example) -> None:
    files = {"app/__init__.py": "", **example.files, "app/main.py": example.code}
    root = write_project(tmp_path / "proj", files, example.registry)
    result = run_fix(root, unsafe=rule.fixable == "unsafe")
    assert (root / "app/main.py").read_text() == example.fixed
    assert {f.code for f in result.fixed} >= {rule.code}
    left = [f for f in run_check(root) if f.path == "app/main.py" and f.code == rule.code]
    assert left == []


def test_fixable_rules_pin_a_fixed_example() -> None:
    for rule in all_rules():
        if rule.fixable != "no":
            assert any(e.fixed is not None for e in rule.INVALID), rule.code
