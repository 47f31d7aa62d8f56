"""Configuration conventions users bring from ruff: kebab-case keys, "did you mean",
per-file ignores, and rule codes that must exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from ssot_lint.errors import ConfigError, SsotLintError
from ssot_lint.load.config import load_config
from ssot_lint.rules import all_rules, rule_codes
from tests.conftest import run_check, write_project


def _pyproject(root: Path, body: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.ssot-lint]\n" + body, encoding="utf-8")
    return root


def _error(root: Path, **overrides: object) -> SsotLintError:
    with pytest.raises(SsotLintError) as info:
        load_config(root, overrides=dict(overrides))
    return info.value


def test_rule_codes_from_module_names_equal_the_rules() -> None:
    assert rule_codes() == tuple(rule.code for rule in all_rules())


def test_kebab_and_snake_case_keys_mean_the_same(tmp_path: Path) -> None:
    kebab = load_config(_pyproject(tmp_path / "k", 'extend-exclude = ["gen/"]\n'
                                   'target-version = "3.9"\nrespect-gitignore = false\n'
                                   'max-file-size = 1000\n'))
    snake = load_config(_pyproject(tmp_path / "s", 'extend_exclude = ["gen/"]\n'
                                   'target_version = "3.9"\nrespect_gitignore = false\n'
                                   'max_file_size = 1000\n'))
    for config in (kebab, snake):
        assert config.exclude == ("gen/",)
        assert config.target_version == (3, 9)
        assert config.respect_gitignore is False and config.max_file_size == 1000


def test_a_kebab_key_error_quotes_the_key_as_written(tmp_path: Path) -> None:
    error = _error(_pyproject(tmp_path, 'extend-exclude = "gen/"\n'))
    assert (error.line, error.key) == (2, "tool.ssot-lint.extend-exclude")
    assert "expected a list of strings" in error.message


def test_a_key_written_both_ways_is_an_error(tmp_path: Path) -> None:
    error = _error(_pyproject(tmp_path, 'extend-exclude = ["a"]\nextend_exclude = ["b"]\n'))
    assert "'extend-exclude' and 'extend_exclude' are the same key; keep one" in str(error)


@pytest.mark.parametrize(("body", "expected"), [
    ('exclud = ["x"]\n', "unknown key 'exclud'; did you mean 'exclude'?"),
    ('per-file-ignore = {}\n', "unknown key 'per-file-ignore'; did you mean 'per-file-ignores'?"),
    ('targetversion = "3.9"\n', "unknown key 'targetversion'; did you mean 'target_version'?"),
    ("frobnicate = true\n", "unknown key 'frobnicate'; expected one of: registry, exclude"),
])
def test_unknown_key_gets_a_did_you_mean(tmp_path: Path, body: str, expected: str) -> None:
    error = _error(_pyproject(tmp_path, body))
    assert error.line == 2 and expected in error.message


@pytest.mark.parametrize(("args", "expected"), [
    (["--select", "SSOT1O1"], "--select: unknown rule code 'SSOT1O1' (did you mean 'SSOT101'?)"),
    (["--ignore", "SSOT101,SSOT999"], "--ignore: unknown rule code 'SSOT999'"),
    (["--select", "E501"], "--select: unknown rule code 'E501'; rule codes are SSOT001..SSOT902"),
])
def test_unknown_rule_code_on_the_command_line_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        args: list[str], expected: str) -> None:
    root = write_project(tmp_path, {"app/main.py": "import json\n"})
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as info:
        main(["check", *args])
    assert info.value.code == 2
    assert f"ssot-lint: error: {expected}" in capsys.readouterr().err


def test_rule_code_prefixes_are_not_unknown(tmp_path: Path) -> None:
    config = load_config(_pyproject(tmp_path, 'select = ["SSOT1", "SSOT2"]\n'),
                         overrides={"ignore": ("SSOT901",)})
    assert config.select == ("SSOT1", "SSOT2") and config.ignore == ("SSOT901",)


def test_unknown_rule_code_in_config_names_the_line(tmp_path: Path) -> None:
    error = _error(_pyproject(tmp_path, 'select = ["SSOT101"]\nignore = ["SSOT1O3"]\n'))
    assert isinstance(error, ConfigError) and error.line == 3
    assert "unknown rule code 'SSOT1O3' (did you mean 'SSOT103'?)" in error.message


_FILES = {
    "shop/models.py": "class Order: ...\n",
    "shop/convert_orders.py": "from shop.models import Ordr\n",
    "shop/tools/convert_refunds.py": "from shop.models import Refund\n",
    "shop/views.py": "from shop.models import Missing\n",
}


def test_per_file_ignores_drop_codes_in_matching_files_only(tmp_path: Path) -> None:
    root = write_project(tmp_path, _FILES)
    (root / "pyproject.toml").write_text(
        '[tool.ssot-lint]\nper-file-ignores = {"**/convert_*.py" = ["SSOT103"]}\n',
        encoding="utf-8")
    found = [(f.path, f.code) for f in run_check(root)]
    assert found == [("shop/views.py", "SSOT103")]


def test_extend_per_file_ignores_adds_to_per_file_ignores(tmp_path: Path) -> None:
    root = write_project(tmp_path, _FILES)
    (root / "pyproject.toml").write_text(
        '[tool.ssot-lint]\nper_file_ignores = {"shop/convert_orders.py" = ["SSOT1"]}\n'
        '[tool.ssot-lint.extend-per-file-ignores]\n"views.py" = ["SSOT103"]\n',
        encoding="utf-8")
    config = load_config(root)
    assert config.per_file_ignores == (("shop/convert_orders.py", ("SSOT1",)),
                                       ("views.py", ("SSOT103",)))
    found = [(f.path, f.code) for f in run_check(root)]
    assert found == [("shop/tools/convert_refunds.py", "SSOT103")]


def test_a_suppression_of_a_per_file_ignored_code_is_not_unused(tmp_path: Path) -> None:
    root = write_project(tmp_path, {
        "shop/models.py": "class Order: ...\n",
        "shop/convert_x.py": "from shop.models import Ordr  # ssot-lint: ignore[SSOT103]\n",
    })
    (root / "pyproject.toml").write_text(
        '[tool.ssot-lint]\nper-file-ignores = {"convert_*.py" = ["SSOT103"]}\n',
        encoding="utf-8")
    assert run_check(root) == []


@pytest.mark.parametrize(("body", "fragment"), [
    ('per-file-ignores = ["x"]\n', 'expected a table of glob = ["CODE", ...]'),
    ('per-file-ignores = {"x.py" = "SSOT103"}\n', "'x.py': expected a list of rule codes"),
    ('per-file-ignores = {"x.py" = ["SSOT13"]}\n', "'x.py': unknown rule code 'SSOT13'"),
])
def test_malformed_per_file_ignores(tmp_path: Path, body: str, fragment: str) -> None:
    error = _error(_pyproject(tmp_path, body))
    assert error.line == 2 and fragment in error.message


def test_per_file_ignores_glob_must_be_a_pattern(tmp_path: Path) -> None:
    error = _error(_pyproject(tmp_path, 'per-file-ignores = {"a/[z-a].py" = ["SSOT103"]}\n'))
    assert "'a/[z-a].py': not a gitignore-style pattern" in error.message
