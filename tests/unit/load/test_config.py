"""Configuration: root discovery, [tool.ssot-lint] validation and precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.errors import ConfigError, MultiError, SsotLintError
from ssot_lint.load.config import find_root, load_config, parse_version
from ssot_lint.model.config import NEWEST_TARGET


def pyproject(root: Path, body: str, project: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(project + "[tool.ssot-lint]\n" + body, encoding="utf-8")
    return root


def config_errors(root: Path, **overrides: object) -> list[SsotLintError]:
    try:
        load_config(root, overrides=dict(overrides))
    except MultiError as exc:
        return list(exc.errors)
    except SsotLintError as exc:
        return [exc]
    raise AssertionError("the configuration was accepted")


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    root = pyproject(tmp_path, 'registry = "r.toml"\nexclud = ["x"]\n',
                     project='[project]\nname = "demo"\n\n')
    [error] = config_errors(root)
    assert isinstance(error, ConfigError)
    assert (error.line, error.key) == (6, "tool.ssot-lint.exclud")
    assert str(error).startswith(f"{(root / 'pyproject.toml').as_posix()}:6: "
                                 "[tool.ssot-lint.exclud] unknown key 'exclud'")


@pytest.mark.parametrize(("body", "line", "fragment"), [
    ('exclude = "build"\n', 2, "expected a list of strings"),
    ("select = [101]\n", 2, "expected a list of strings"),
    ('respect_gitignore = "yes"\n', 2, "expected true or false"),
    ("max_file_size = 0\n", 2, "expected a positive number of bytes"),
    ("format = 1\n", 2, "expected a string"),
    ('format = "xml"\n', 2, "'xml' is not one of"),
    ("target_version = 3.11\n", 2, "expected a string"),
    ('target_version = "three"\n', 2, "is not a Python version like"),
    ('target_version = "3.31"\n', 2, "is not a Python version like"),
])
def test_wrong_types(tmp_path: Path, body: str, line: int, fragment: str) -> None:
    [error] = config_errors(pyproject(tmp_path, body))
    assert fragment in error.message
    assert error.line == line


def test_all_errors_at_once(tmp_path: Path) -> None:
    errors = config_errors(pyproject(tmp_path, 'foo = 1\nformat = "xml"\nbar = 2\n'))
    assert sorted(e.line or 0 for e in errors) == [2, 3, 4]


def test_invalid_toml_in_pyproject(tmp_path: Path) -> None:
    root = pyproject(tmp_path, "exclude = [\n")
    [error] = config_errors(root)
    assert error.message.startswith("invalid TOML") and error.line == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("3.11", (3, 11)), ("3.9", (3, 9)), ("py312", (3, 12)), ("310", (3, 10)),
    ("3.11.4", (3, 11)), (" 3.12 ", (3, 12)),
    ("3", None), ("2.7", None), ("3.x", None), ("3.31", None), ("", None),
])
def test_parse_version(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize(("spec", "expected"), [
    (">=3.10", (3, 10)), (">=3.9,<4", (3, 9)), ("<4, >=3.12", (3, 12)), ("~=3.11", (3, 11)),
    ("==3.11.*", (3, 11)), (">3.10", (3, 10)), (">=3.8, >=3.10", (3, 10)),
    (">= 3.10.2", (3, 10)),
])
def test_target_defaults_to_requires_python_floor(tmp_path: Path, spec: str,
                                                  expected: tuple[int, int]) -> None:
    root = pyproject(tmp_path, "", project=f'[project]\nrequires-python = "{spec}"\n')
    assert load_config(root).target_version == expected


def test_target_default_without_requires_python_is_the_newest(tmp_path: Path) -> None:
    assert load_config(pyproject(tmp_path, "")).target_version == NEWEST_TARGET


def test_precedence_defaults_pyproject_command_line(tmp_path: Path) -> None:
    root = pyproject(tmp_path, 'target_version = "3.10"\nformat = "json"\nexclude = ["a/"]\n'
                     'extend_exclude = ["b/"]\nselect = ["SSOT1"]\n',
                     project='[project]\nrequires-python = ">=3.12"\n')
    config = load_config(root)
    assert (config.target_version, config.output_format) == ((3, 10), "json")
    assert config.exclude == ("a/", "b/")
    assert config.select == ("SSOT1",)
    config = load_config(root, overrides={"target_version": "3.13", "output_format": "text",
                                          "exclude": ("c/",), "select": ()})
    assert (config.target_version, config.output_format) == ((3, 13), "text")
    assert config.exclude == ("a/", "b/", "c/")
    assert config.select == ("SSOT1",)  # an empty override does not clear the file's value


def test_bad_target_version_option(tmp_path: Path) -> None:
    [error] = config_errors(pyproject(tmp_path, ""), target_version="3.99")
    assert "--target-version expects a version like 3.11" in error.message


def test_root_is_found_from_a_nested_path(tmp_path: Path) -> None:
    (tmp_path / "ssot-registry.toml").write_text("version = 1\n")
    nested = tmp_path / "pkg" / "sub"
    nested.mkdir(parents=True)
    (nested / "mod.py").write_text("")
    assert find_root(nested / "mod.py") == tmp_path.resolve()
    config = load_config(nested)
    assert config.root == tmp_path.resolve()
    assert config.registry_path == (tmp_path / "ssot-registry.toml").resolve()


def test_registry_directory_is_found(tmp_path: Path) -> None:
    (tmp_path / "ssot-registry").mkdir()
    assert load_config(tmp_path).registry_path == (tmp_path / "ssot-registry").resolve()


def test_registry_key_is_relative_to_the_root(tmp_path: Path) -> None:
    root = pyproject(tmp_path, 'registry = "conf/imports.toml"\n')
    assert load_config(root / ".").registry_path == (root / "conf" / "imports.toml").resolve()


def test_standalone_config_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "ssot-lint.toml"
    path.write_text('exclude = ["x/"]\n\nnope = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, config_file=path)
    assert info.value.line == 3 and "unknown key 'nope'" in info.value.message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, config_file=tmp_path / "nope.toml")
