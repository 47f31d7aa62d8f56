"""Damaged or hostile data files are bad input (exit 2, one line), never a crash.

A previous audit given to ``audit --compare`` is JSON anyone may have edited: every
number in it is replaced by every kind of JSON value (NaN and infinities, which
Python's json accepts; integers of hundreds of digits; strings; nesting deep enough to
exhaust the parser); ``load_previous`` must refuse it (ConfigError) or accept it, and
an accepted file must compare without error. TOML files (registry, configuration,
baseline) nested hundreds of levels deep are an "invalid TOML" error.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssot_lint.audit import audit
from ssot_lint.audit.compare import compare, load_previous
from ssot_lint.errors import ConfigError
from ssot_lint.load.config import load_config
from tests.conftest import make_audit_project as make_project
from tests.conftest import write_project
from tests.trust._budget import fuzz
from tests.trust._cli import assert_clean_exit, run_cli


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], Path]:
    root = make_project(tmp_path_factory.mktemp("audit") / "mono")
    result = audit([], load_config(root, overrides={"verify_registry": True}))
    return result, result.to_dict(), root


def _number_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where the audit holds numbers (the values --compare does arithmetic on)."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _number_paths(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _number_paths(v, (*path, i))]
    return [path] if isinstance(data, (int, float)) and not isinstance(data, bool) else []


HOSTILE_TEXT = st.sampled_from([
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "10" + "0" * 400, "9" * 5000,
    '"12"', "null", "true", "[]", "{}", "[" * 100_000 + "]" * 100_000,
    "{\"a\": " * 5000 + "1" + "}" * 5000,
])


@fuzz(40)
@given(data=st.data())
def test_a_damaged_previous_audit_is_refused_or_compared(
        audited: tuple[Any, dict[str, Any], Path], tmp_path_factory: pytest.TempPathFactory,
        data: st.DataObject) -> None:
    result, clean, _ = audited
    paths = _number_paths(clean)
    assert paths
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True))
    damaged = copy.deepcopy(clean)
    markers = {}
    for index, path in enumerate(chosen):
        node = damaged
        for key in path[:-1]:
            node = node[key]
        marker = f"@@{index}@@"
        node[path[-1]] = marker
        markers[json.dumps(marker)] = data.draw(HOSTILE_TEXT)
    text = json.dumps(damaged)
    for marker, value in markers.items():
        text = text.replace(marker, value)
    file = tmp_path_factory.mktemp("prev") / "old.json"
    file.write_text(text)
    try:
        previous = load_previous(file)
    except ConfigError as exc:
        assert str(exc).startswith(f"{file.as_posix()}: ")
        return
    comparison = compare(result, previous)  # accepted: must not raise
    json.dumps(comparison.to_dict(), allow_nan=False)


@pytest.mark.parametrize("value", ["NaN", "10" + "0" * 400, "[" * 100_000 + "]" * 100_000])
def test_audit_compare_with_a_damaged_file_exits_2(audited: tuple[Any, dict[str, Any], Path],
                                                   value: str) -> None:
    _, clean, root = audited
    text = json.dumps({**clean, "overall": {**clean["overall"], "compliance": "@@"}})
    (root / "old.json").write_text(text.replace('"@@"', value))
    result = run_cli(["audit", "--compare", "old.json", "-o", "r.md"], root)
    assert_clean_exit(result, 2)
    assert result.stderr.startswith("ssot-lint: error: old.json: ")
    assert len(result.stderr.splitlines()) == 1
    assert not (root / "r.md").exists()


DEEP_ARRAY = "x = " + "[" * 500 + "]" * 500 + "\n"
DEEP_TABLE = "x = " + "{a = " * 500 + "1" + "}" * 500 + "\n"


@pytest.mark.parametrize("where", ["registry", "pyproject", "baseline"])
@pytest.mark.parametrize("deep", [DEEP_ARRAY, DEEP_TABLE], ids=["array", "inline table"])
def test_toml_nested_500_deep_is_invalid_toml(tmp_path: Path, where: str, deep: str) -> None:
    root = write_project(tmp_path / "proj", {"pkg/a.py": "x = 1\n"}, packages=("pkg",))
    args = ["check", "--no-cache"]
    if where == "registry":
        (root / "ssot-registry.toml").write_text("version = 1\n" + deep)
        file = "ssot-registry.toml"
    elif where == "pyproject":
        (root / "pyproject.toml").write_text("[tool.ssot-lint]\n" + deep)
        file = "pyproject.toml"
    else:
        (root / "baseline.toml").write_text(deep)
        args += ["--baseline", "baseline.toml"]
        file = "baseline.toml"
    result = run_cli(args, root)
    assert_clean_exit(result, 2)
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("ssot-lint: error: ") and file in line
    assert "invalid TOML: values are nested too deeply" in line
