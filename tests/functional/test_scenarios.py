"""Golden-output CLI tests: one small fixture project per scenario.

Each ``scenarios/<name>/`` holds ``project/`` (a realistic tree with its registry),
``runs.toml`` (command lines and expected exit codes) and ``expected/`` (the exact
stdout of each run: ``<run>.json`` for JSON output, ``<run>.txt`` for text, plus
``<run>.stderr.txt`` when the run writes to stderr). Outputs are compared exactly.
Regenerate after an intended change with ``SSOT_LINT_UPDATE_GOLDEN=1 pytest
tests/functional`` and review the diff.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.functional.cli import SCENARIOS, copy_project, run_main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

UPDATE = os.environ.get("SSOT_LINT_UPDATE_GOLDEN") == "1"


def runs() -> list[Any]:
    params = []
    for directory in sorted(p for p in SCENARIOS.iterdir() if (p / "runs.toml").is_file()):
        spec = tomllib.loads((directory / "runs.toml").read_text(encoding="utf-8"))
        for run in spec["run"]:
            params.append(pytest.param(directory.name, run, id=f"{directory.name}-{run['name']}"))
    return params


def normalise(text: str, project: Path) -> str:
    """Absolute temporary paths (in configuration errors) become ``<project>``."""
    return text.replace(project.resolve().as_posix(), "<project>").replace(
        str(project.resolve()), "<project>")


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"missing golden file {path}; run with SSOT_LINT_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"


@pytest.mark.parametrize(("scenario", "run"), runs())
def test_scenario(tmp_path: Path, scenario: str, run: dict[str, Any]) -> None:
    project = copy_project(scenario, tmp_path)
    result = run_main(list(run["args"]), project)
    assert result.exit_code == run["exit"], result.stdout + result.stderr
    expected = SCENARIOS / scenario / "expected"
    is_json = "json" in run["args"] and "--format" in run["args"]
    stdout = normalise(result.stdout, project)
    check_golden(expected / f"{run['name']}.{'json' if is_json else 'txt'}", stdout)
    stderr_file = expected / f"{run['name']}.stderr.txt"
    if result.stderr or stderr_file.exists():
        check_golden(stderr_file, normalise(result.stderr, project))
    if is_json:
        document = json.loads(result.stdout)
        assert document["summary"]["findings"] == len(document["findings"])
        assert (run["exit"] == 0) == (not document["findings"] or "--exit-zero" in run["args"])


def test_every_core_rule_has_a_scenario() -> None:
    """Every core rule code appears in at least one golden JSON file."""
    seen: set[str] = set()
    for golden in SCENARIOS.glob("*/expected/*.json"):
        seen.update(f["code"] for f in json.loads(golden.read_text())["findings"])
    core = {"SSOT001", "SSOT002", "SSOT101", "SSOT102", "SSOT103", "SSOT111", "SSOT112",
            "SSOT113", "SSOT121", "SSOT901"}
    assert core <= seen, sorted(core - seen)
