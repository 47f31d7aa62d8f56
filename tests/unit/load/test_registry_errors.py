"""Every way a registry can be wrong stops the run with the file, line and key.

Errors are collected and reported together, so one run shows every mistake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.errors import MultiError, RegistryError, SsotLintError
from ssot_lint.load.registry import load_registry

_SHIFTED: set[str] = set()


def write_registry(path: Path, text: str) -> None:
    """Write a registry file that starts with the required ``version = 1`` line unless
    ``text`` is about the version (or empty); ``errors_of`` reports lines relative to
    ``text`` as the test wrote it."""
    if text and not text.startswith("version"):
        text = "version = 1\n" + text
        _SHIFTED.add(path.name)
    path.write_text(text, encoding="utf-8")


def errors_of(path: Path) -> list[SsotLintError]:
    try:
        load_registry(path, display_base=path.parent if path.is_file() else path)
    except MultiError as exc:
        errors = list(exc.errors)
    except SsotLintError as exc:
        errors = [exc]
    else:
        raise AssertionError("the registry was accepted")
    for error in errors:
        if error.line and Path(error.file or "").name in _SHIFTED:
            error.line -= 1
    _SHIFTED.clear()
    return errors


def one_error(tmp_path: Path, text: str) -> RegistryError:
    path = tmp_path / "ssot-registry.toml"
    write_registry(path, text)
    [error] = errors_of(path)
    assert isinstance(error, RegistryError)
    assert error.file == "ssot-registry.toml"
    return error


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    error = one_error(tmp_path, "version = 1\n\n[project]\npackages = [\"a\"\n")
    assert error.message.startswith("invalid TOML")
    assert error.line == 4  # tomllib says "at end of document": the last line


def test_invalid_toml_line_is_exact_for_a_bad_value(tmp_path: Path) -> None:
    error = one_error(tmp_path, "version = 1\n[policy]\nrelative_imports = forbid\n")
    assert error.line == 3
    assert str(error).startswith("ssot-registry.toml:3: invalid TOML")


def test_unknown_top_level_key_with_line(tmp_path: Path) -> None:
    error = one_error(tmp_path, "version = 1\n\n[projet]\npackages = []\n")
    assert (error.line, error.key) == (3, "projet")
    assert "unknown key 'projet'" in error.message and "project" in error.message


def test_unknown_nested_key_with_line(tmp_path: Path) -> None:
    error = one_error(tmp_path, '[broken."app.old"]\nuse_instead = "app.new"\nreson = "typo"\n')
    assert (error.line, error.key) == (3, 'broken."app.old".reson')
    assert "unknown key 'reson'" in error.message


def test_unknown_key_in_an_array_of_tables(tmp_path: Path) -> None:
    text = ('[[layers]]\norder = ["a.x", "a.y"]\n\n[[layers]]\norder = ["a.z", "a.w"]\n'
            'owners = "x"\n')
    error = one_error(tmp_path, text)
    assert error.line == 6 and "unknown key 'owners'" in error.message


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("[project]\npackages = 1\n", 2, "expected a list of strings"),
    ("[project]\npackages = [\"a\", 2]\n", 2, "expected a list of strings"),
    ("symbols = 1\n", 1, "expected a table"),
    ('[deprecated."a.b"]\nseverity = 2\n', 2, "expected a string"),
    ('[deprecated."a.b"]\nseverity = "fatal"\n', 2, "'fatal' is not one of: error, warning, info"),
    ('[deprecated."a.b"]\nallow_in = ["tests"]\n', 2, "'tests' is not one of"),
    ('[symbols."a.b"]\nverified = 3\n', 2, "expected a date, true or false"),
    ("[policy]\nguarded_imports = true\n", 2, "expected a string"),
    ('[layers]\norder = ["a.x", "a.y"]\n', 1, "expected an array of tables ([[layers]])"),
    ('[[contracts]]\nsource = ["a"]\nforbidden = ["b"]\nallow_indirect = "no"\n', 4,
     "expected true or false"),
    ('[[layers]]\norder = ["a.x", "a.y"]\nexhaustive = "yes"\n', 3, "expected true or false"),
    ("version = 2\n", 1, "unsupported registry version 2"),
])
def test_wrong_types(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    error = one_error(tmp_path, text)
    assert fragment in error.message
    assert error.line == line


def test_non_dotted_paths(tmp_path: Path) -> None:
    text = ('[symbols."app.my-mod.Name"]\n\n[broken."app/old"]\n\n'
            '[deprecated."app.ok"]\nuse_instead = "app new"\n\n[symbols.Lonely]\n')
    path = tmp_path / "ssot-registry.toml"
    write_registry(path, text)
    found = sorted((e.line, e.message) for e in errors_of(path))
    assert [line for line, _ in found] == [1, 3, 6, 8]
    assert "'app.my-mod.Name' is not a dotted import path" in found[0][1]
    assert "'app/old' is not a dotted import path" in found[1][1]
    assert "'app new' is not a dotted import path" in found[2][1]
    assert "needs a module and a name" in found[3][1]


def test_canonical_and_broken(tmp_path: Path) -> None:
    text = '[symbols."app.mod.Name"]\n\n[broken."app.mod.Name"]\nreason = "gone"\n'
    error = one_error(tmp_path, text)
    assert error.line == 1
    assert "'app.mod.Name' is registered as canonical and as broken" in error.message
    assert "ssot-registry.toml:4" in error.message


@pytest.mark.parametrize(("text", "fragment"), [
    ('[symbols."a.m.X"]\naliases = ["a.m.X"]\n', "lists itself as an alias"),
    ('[symbols."a.m.X"]\naliases = ["a.n.Y"]\n[symbols."a.n.Y"]\n',
     "alias 'a.n.Y' is also a canonical symbol"),
    ('[symbols."a.m.X"]\naliases = ["a.X"]\n[symbols."a.n.Y"]\naliases = ["a.X"]\n',
     "alias 'a.X' is also an alias of 'a.m.X'"),
    ('[symbols."a.m.X"]\naliases = ["a.X"]\n[broken."a.X"]\n',
     "alias 'a.X' is also registered as broken"),
])
def test_alias_conflicts(tmp_path: Path, text: str, fragment: str) -> None:
    assert fragment in one_error(tmp_path, text).message


def test_deprecated_and_broken(tmp_path: Path) -> None:
    error = one_error(tmp_path, '[broken."a.old"]\n\n[deprecated."a.old"]\nhint = "x"\n')
    assert error.line == 3 and "'a.old' is both deprecated and broken" in error.message


def test_use_instead_pointing_at_itself(tmp_path: Path) -> None:
    error = one_error(tmp_path, '[deprecated."a.old"]\nuse_instead = "a.old"\n')
    assert error.line == 1 and "use_instead points at the deprecated path itself" in error.message


def test_may_import_unknown_service_and_itself(tmp_path: Path) -> None:
    text = ('[services.api]\npackages = ["api"]\nmay_import = ["api", "sharde"]\n\n'
            '[services.shared]\npackages = ["shared"]\n')
    path = tmp_path / "ssot-registry.toml"
    write_registry(path, text)
    messages = sorted(e.message for e in errors_of(path))
    assert messages == [
        "may_import names unknown service 'sharde'; known: api, shared",
        "service 'api' lists itself in may_import (a service may always import itself)",
    ]


def test_package_owned_by_two_services(tmp_path: Path) -> None:
    text = ('[services.a]\npackages = ["common"]\n\n[services.b]\npackages = ["b", "common"]\n')
    error = one_error(tmp_path, text)
    assert error.line == 4 and "package 'common' belongs to services 'a' and 'b'" in error.message


def test_service_without_packages(tmp_path: Path) -> None:
    assert "needs at least one package" in one_error(tmp_path, "[services.a]\n").message


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    text = ('[projet]\n\n[policy]\nrelative_imports = "never"\n\n'
            '[symbols."a.m.X"]\n\n[broken."a.m.X"]\n')
    path = tmp_path / "ssot-registry.toml"
    write_registry(path, text)
    errors = errors_of(path)
    assert [e.line for e in errors] == [1, 4, 6]  # sorted by line, whatever found them
    assert [e.key for e in errors] == ["projet", "policy.relative_imports", 'symbols."a.m.X"']


def test_directory_merge_conflict_names_both_files(tmp_path: Path) -> None:
    directory = tmp_path / "ssot-registry"
    directory.mkdir()
    write_registry(directory / "auth.toml", '[deprecated."shared.old"]\nuse_instead = "shared.a"\n')
    write_registry(directory / "backend.toml", 'version = 1\n\n[deprecated."shared.old"]\n'
                                            'use_instead = "shared.b"\n')
    [error] = errors_of(directory)
    assert error.file == "backend.toml" and error.line == 3
    assert "declared differently in auth.toml:2 and in this file" in error.message


def test_directory_merge_identical_duplicates_and_sections(tmp_path: Path) -> None:
    directory = tmp_path / "ssot-registry"
    directory.mkdir()
    shared = '[symbols."shared.env.Env"]\naliases = ["shared.Env"]\n'
    write_registry(directory / "a.toml", '[project]\npackages = ["shared", "api"]\n' + shared)
    write_registry(directory / "b.toml", "# the same entry, other line\n\n" + shared +
                                      '[[layers]]\norder = ["api.web", "api.db"]\n')
    write_registry(directory / "notes.md", "not a registry file")
    registry = load_registry(directory, display_base=directory)
    assert registry.files == ("a.toml", "b.toml")
    assert list(registry.symbols) == ["shared.env.Env"]
    assert registry.symbols["shared.env.Env"].origin.file == "a.toml"
    assert registry.packages == ("shared", "api")
    assert [layer.order for layer in registry.layers] == [("api.web", "api.db")]


def test_cross_file_contradiction_is_found(tmp_path: Path) -> None:
    directory = tmp_path / "ssot-registry"
    directory.mkdir()
    write_registry(directory / "a.toml", '[symbols."app.m.X"]\n')
    write_registry(directory / "b.toml", '\n[broken."app.m.X"]\n')
    [error] = errors_of(directory)
    assert error.file == "a.toml" and "(at b.toml:3)" in error.message


def test_empty_registry_directory(tmp_path: Path) -> None:
    directory = tmp_path / "ssot-registry"
    directory.mkdir()
    [error] = errors_of(directory)
    assert "contains no *.toml files" in error.message


def test_missing_registry(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="registry not found"):
        load_registry(tmp_path / "nope.toml")


def test_registry_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ssot-registry.toml"
    path.write_bytes(b'[symbols."a.m.X"]\nnote = "caf\xe9"\n')
    [error] = errors_of(path)
    assert "cannot read registry" in error.message


def test_unquoted_dotted_path_explains_the_quoting(tmp_path: Path) -> None:
    path = tmp_path / "ssot-registry.toml"
    path.write_text('version = 1\n\n[broken.app.old]\nreason = "x"\n\n[symbols.app.mod.Name]\n',
                    encoding="utf-8")
    errors = errors_of(path)
    assert [(e.line, e.key) for e in errors] == [(3, "broken.app.old"),
                                                 (6, "symbols.app.mod.Name")]
    assert errors[0].message == ("TOML reads this as nested tables, not as the path 'app.old'; "
                                 'quote it: [broken."app.old"]')
