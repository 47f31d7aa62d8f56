"""Every rule's VALID and INVALID examples, run automatically (Fixit-style).

A valid example must produce no finding of its rule in ``app/main.py``; an invalid
one must produce exactly the listed lines. Adding a rule adds its examples here
without touching this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.rules import all_rules
from ssot_lint.rules.base import Example, Rule
from tests.conftest import run_check, write_project

CASES = [
    pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for index, example in enumerate(examples)
]


def _run(tmp_path: Path, example: Example,
         rule: type[Rule] | None = None) -> list[tuple[int, int, str, str]]:
    files: dict[str, str] = {"app/__init__.py": "", **example.files, "app/main.py": example.code}
    root = write_project(tmp_path / "proj", files, example.registry)
    # A rule whose findings are not in app/main.py (SSOT902: the registry file) says where
    # they are and which run options turn it on.
    options = getattr(rule, "example_options", {})
    target = getattr(rule, "example_path", "app/main.py")
    findings = run_check(root, [root / "app" / "main.py"], **options)
    return [(f.line, f.column, f.code, f.message) for f in findings if f.path == target]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(tmp_path: Path, rule: type[Rule], kind: str, example: Example) -> None:
    found = _run(tmp_path, example, rule)
    lines = sorted(line for line, _, code, _ in found if code == rule.code)
    if kind == "valid":
        assert lines == [], f"{rule.code} fired on a valid example: {found}"
    else:
        assert lines == sorted(example.lines), (
            f"{rule.code}: expected lines {example.lines}, got {found}")
    if example.messages:  # the example pins line, column and message text
        pinned = sorted((line, col, message) for line, col, code, message in found
                        if code == rule.code)
        assert pinned == sorted(example.messages), f"{rule.code}: got {pinned}"


def test_every_rule_has_examples_and_docs() -> None:
    for rule in all_rules():
        assert rule.VALID and rule.INVALID, f"{rule.code} needs valid and invalid examples"
        assert rule.doc().count("\n") >= 2, f"{rule.code} needs a docstring explaining why"
        assert rule.remedy, f"{rule.code} needs a remedy (what to do, shown by audit)"
        assert rule.code.startswith("SSOT") and rule.slug == rule.slug.lower()
