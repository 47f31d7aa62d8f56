"""The bundled demo is the README's first command: it must show every rule."""

from __future__ import annotations

import json

from ssot_lint.rules import all_rules
from tests.functional.cli import REPO, run_main


def test_the_demo_shows_every_rule_at_least_once() -> None:
    result = run_main(["check", "examples/demo", "--verify-registry", "--no-cache",
                       "--format", "json"], REPO)
    assert result.exit_code == 1, result.stderr
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    every = {rule.code for rule in all_rules()}
    assert every - codes == set(), f"the demo never shows {sorted(every - codes)}"


def test_the_demo_graph_marks_its_violations_in_red() -> None:
    result = run_main(["graph", "examples/demo", "--level", "service", "--format", "dot"], REPO)
    assert result.exit_code == 0, result.stderr
    edges = [line for line in result.stdout.splitlines() if "->" in line]
    violating = [line for line in edges if line.strip().startswith('"shared" -> "netra_backend"')]
    assert len(violating) == 1 and "SSOT201" in violating[0] and "#d62728" in violating[0]
    allowed = [line for line in edges if line.strip().startswith('"auth_service" -> "shared"')]
    assert len(allowed) == 1 and "#d62728" not in allowed[0]
