"""``ssot-lint rule``: documentation printed from the rule classes (pages: tests/test_docs.py)."""

from __future__ import annotations

import pytest

from ssot_lint.rules import all_rules
from ssot_lint.rules.ssot101_broken_import import BrokenImportRule
from tests.conftest import run_cli


def test_rule_prints_doc_severity_fix_config_and_examples(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rule", "SSOT101"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "SSOT101 broken-import"
    assert lines[2] == "The import matches a ``[broken]`` registry entry: a path known not to work."
    assert "Why: broken paths are the ones that already broke test collection" in out
    assert "Default severity: error" in lines
    assert "Fix available: yes (safe: `ssot-lint fix` applies it)" in lines
    assert f"Configuration: {BrokenImportRule.config}" in lines
    assert "Example 1, reported on line 1:" in lines
    assert ("    from app.agents.agent_websocket_bridge import "
            "create_agent_websocket_bridge") in lines
    assert "  after `ssot-lint fix`:" in lines
    assert "Example 2, not reported (expected to fail):" in lines
    assert not any(line != line.rstrip() for line in lines)


def test_rule_accepts_slug_and_lower_case(capsys: pytest.CaptureFixture[str]) -> None:
    by_code = run_cli(["rule", "SSOT101"], capsys)[1]
    assert run_cli(["rule", "broken-import"], capsys)[1] == by_code
    assert run_cli(["rule", "ssot101"], capsys)[1] == by_code


def test_rule_all_documents_every_rule_in_code_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rule", "--all"], capsys)
    assert code == 0
    headers = [line.split()[0] for line in out.splitlines()
               if line.startswith("SSOT") and len(line.split()) == 2]
    assert headers == [rule.code for rule in all_rules()]


@pytest.mark.parametrize(("args", "message"), [
    (["rule", "SSOT999"], "unknown rule 'SSOT999'; known rules: SSOT001"),
    (["rule"], "give a rule CODE or --all"),
    (["rule", "SSOT101", "--all"], "give a rule CODE or --all"),
])
def test_rule_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str],
                           message: str) -> None:
    code, _, err = run_cli(args, capsys)
    assert code == 2 and message in err
