"""Malformed registries and configurations, end to end: exit 2, file, line and key.

The loader's unit tests (tests/unit/load/test_registry_errors.py, test_config.py) pin each
message; these run the real command line the way a user or CI does and check the
contract around it: exit code 2, every problem on stderr as ``file:line: [key] what``,
nothing half-printed on stdout, no traceback -- and the same for every command that
reads the registry, not only ``check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli

SOURCES = {"pkg/a.py": "import pkg.b\n", "pkg/b.py": "X = 1\n"}

# name -> (registry text, or {file name: text} for a registry directory; extra args;
#          fragments that must all appear on stderr)
REGISTRY_CASES: dict[str, tuple[str | dict[str, str], list[str], list[str]]] = {
    "bad toml": ('version = 1\n[project\npackages = ["pkg"]\n', [],
                 ["ssot-registry.toml:2: invalid TOML"]),
    "wrong type": ('version = 1\n[project]\npackages = 3\n', [],
                   ["ssot-registry.toml:3: [project.packages] expected a list of strings"]),
    "wrong choice": ('version = 1\n[policy]\nrelative_imports = "sometimes"\n', [],
                     ["ssot-registry.toml:3: [policy.relative_imports] 'sometimes' is not"]),
    "unknown key": ('version = 1\n[policy]\nrelative = "forbid"\n', [],
                    ["ssot-registry.toml:3: [policy.relative] unknown key 'relative'"]),
    "unsupported version": ("version = 2\n", [], ["ssot-registry.toml:1: [version] unsupported"]),
    "canonical and broken": (
        'version = 1\n[symbols."pkg.b.X"]\n\n[broken."pkg.b.X"]\nuse_instead = "pkg.a"\n', [],
        ['ssot-registry.toml:2: [symbols."pkg.b.X"]', "canonical and as broken",
         "ssot-registry.toml:4"]),
    "use_instead itself": ('version = 1\n[broken."pkg.b"]\nuse_instead = "pkg.b"\n', [],
                           ['ssot-registry.toml:2: [broken."pkg.b"] use_instead points at']),
    "may_import missing service": (
        'version = 1\n[services.api]\npackages = ["pkg"]\nmay_import = ["ghost"]\n', [],
        ["ssot-registry.toml:2: [services.api] may_import names unknown service 'ghost'"]),
    "may_import itself": (
        'version = 1\n[services.api]\npackages = ["pkg"]\nmay_import = ["api"]\n', [],
        ["ssot-registry.toml:2: [services.api] service 'api' lists itself in may_import"]),
    "conflicting directory": (
        {"team_a.toml": 'version = 1\n[deprecated."pkg.b"]\nuse_instead = "pkg.a"\n',
         "team_b.toml": '[deprecated."pkg.b"]\nuse_instead = "pkg.c"\n'}, [],
        ['ssot-registry/team_b.toml:1: [deprecated."pkg.b"]', "ssot-registry/team_a.toml:2",
         "declared differently"]),
    "empty directory": ({}, [], ["contains no *.toml files"]),
    "empty file": ("", [], ["ssot-registry.toml:1: the registry is empty"]),
    "comments only": ("# to do\n", [], ["ssot-registry.toml:1: the registry is empty"]),
    "missing --registry": ("version = 1\n", ["--registry", "nope.toml"], ["registry not found"]),
    # use_instead advice that leads back to itself: fix could never apply it
    "use_instead cycle": ('version = 1\n[deprecated."pkg.a.X"]\nuse_instead = "pkg.b.X"\n'
                          '[broken."pkg.b"]\nuse_instead = "pkg.a"\n', [],
                          ['ssot-registry.toml:2: [deprecated."pkg.a.X"] use_instead leads in a '
                           "circle: pkg.a.X -> pkg.b -> pkg.a.X"]),
    "use_instead under itself": ('version = 1\n[deprecated."pkg.old"]\n'
                                 'use_instead = "pkg.old.new"\n', [],
                                 ["use_instead leads in a circle: pkg.old -> pkg.old"]),
    # wrong types are refused, never coerced (True == 1 == 1.0 in Python)
    "version true": ("version = true\n", [], ["ssot-registry.toml:1: [version] unsupported "
                                              "registry version True"]),
    "version float": ("version = 1.0\n", [], ["ssot-registry.toml:1: [version] unsupported "
                                              "registry version 1.0"]),
    "missing version": ('[project]\npackages = ["pkg"]\n', [],
                        ["ssot-registry.toml:1: [version] missing `version = 1`"]),
    "missing version in a directory file": (
        {"a.toml": 'version = 1\n[project]\npackages = ["pkg"]\n',
         "b.toml": '[deprecated."pkg.b"]\nuse_instead = "pkg.a"\n'}, [],
        ["ssot-registry/b.toml:1: [version] missing"]),
    "string for a list": ('version = 1\n[project]\npackages = "pkg"\n', [],
                          ["ssot-registry.toml:3: [project.packages] expected a list of strings "
                           '(write ["pkg"])']),
    # a key holding a line break or an escape stays on its one prefixed line
    "control characters in a key": ('version = 1\n[broken."a\\nb\\u001b[2J"]\n', [],
                                    ['ssot-registry.toml:2: [broken."a\\nb\\x1b[2J"] '
                                     "'a\\nb\\x1b[2J' is not a dotted import path"]),
    "every error at once": (
        'version = 1\n[project]\npackages = 3\n[policy]\nrelative = "forbid"\n'
        '[broken."pkg.x"]\nuse_instead = "pkg.x"\n', [],
        ["ssot-registry.toml:3: [project.packages]", "ssot-registry.toml:5: [policy.relative]",
         'ssot-registry.toml:6: [broken."pkg.x"]']),
}

# name -> (pyproject text, extra args, fragments)
CONFIG_CASES: dict[str, tuple[str, list[str], list[str]]] = {
    "bad toml": ('[tool.ssot-lint]\nselect = ["SSOT1"\n', [],
                 ["pyproject.toml:2: invalid TOML"]),
    "unknown key": ("[tool.ssot-lint]\nfrobnicate = true\n", [],
                    ["pyproject.toml:2: [tool.ssot-lint.frobnicate] unknown key 'frobnicate'"]),
    "wrong type": ('[tool.ssot-lint]\nselect = "SSOT1"\n', [],
                   ["pyproject.toml:2: [tool.ssot-lint.select] expected a list of strings"]),
    "bad choice and version": ('[tool.ssot-lint]\nformat = "xml"\ntarget_version = "2.7"\n', [],
                               ["pyproject.toml:2: [tool.ssot-lint.format] 'xml' is not one of",
                                "pyproject.toml:3: [tool.ssot-lint.target_version] '2.7'"]),
    # the places ssot-lint reads in a pyproject.toml are type-checked before use
    "tool not a table": ("tool = 1\n", [], ["pyproject.toml:1: [tool] expected a table, got an "
                                            "integer"]),
    "project not a table": ('project = "x"\n', [],
                            ["pyproject.toml:1: [project] expected a table, got a string"]),
    "tool.ssot-lint not a table": ('[tool]\nssot-lint = [1]\n', [],
                                   ["pyproject.toml:2: [tool.ssot-lint] expected a table, got "
                                    "an array"]),
    "requires-python not a string": ("[project]\nrequires-python = 3.11\n", [],
                                     ["pyproject.toml:2: [project.requires-python] expected a "
                                      "string, got a float"]),
    "max_file_size true": ("[tool.ssot-lint]\nmax_file_size = true\n", [],
                           ["pyproject.toml:2: [tool.ssot-lint.max_file_size] expected a "
                            "positive number of bytes"]),
    "bad --target-version": ("", ["--target-version", "2.7"], ["--target-version expects"]),
    "missing --config": ("", ["--config", "nope.toml"], ["config file not found: nope.toml"]),
}


def _project(tmp_path: Path, registry: str | dict[str, str]) -> Path:
    root = write_project(tmp_path / "proj", SOURCES)
    if isinstance(registry, dict):
        (root / "ssot-registry.toml").unlink()
        (root / "ssot-registry").mkdir()
        for name, text in registry.items():
            (root / "ssot-registry" / name).write_text(text)
    else:
        (root / "ssot-registry.toml").write_text(registry)
    return root


def _assert_user_error(stdout: str, stderr: str, fragments: list[str]) -> None:
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines and all(line.startswith("ssot-lint: error: ") for line in lines), stderr
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)


@pytest.mark.parametrize("case", sorted(REGISTRY_CASES))
def test_malformed_registry_exits_2_naming_file_line_and_key(tmp_path: Path, case: str) -> None:
    registry, args, fragments = REGISTRY_CASES[case]
    root = _project(tmp_path, registry)
    result = run_cli(["check", "--no-cache", *args], root)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr, fragments)


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_malformed_config_exits_2_naming_file_line_and_key(tmp_path: Path, case: str) -> None:
    pyproject, args, fragments = CONFIG_CASES[case]
    root = _project(tmp_path, "version = 1\n")
    if pyproject:
        (root / "pyproject.toml").write_text(pyproject)
    result = run_cli(["check", "--no-cache", *args], root)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr, fragments)


@pytest.mark.parametrize("text", ["tool = 1\n# configures ssot-lint? cannot tell\n",
                                  '[tool]\nssot-lint = "yes"\n'])
def test_a_malformed_pyproject_in_an_ancestor_is_a_config_error(tmp_path: Path,
                                                                  text: str) -> None:
    """Looking upwards for the project root, a pyproject.toml that mentions ssot-lint
    but has the wrong shape is reported (exit 2), not a crash and not skipped."""
    (tmp_path / "pyproject.toml").write_text(text)
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.py").write_text("x = 1\n")
    result = run_cli(["check", "--no-cache"], work)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr, ["pyproject.toml:", "expected a table"])


def test_an_unrelated_malformed_ancestor_pyproject_is_not_ours(tmp_path: Path) -> None:
    """One that never mentions ssot-lint cannot configure it: the search goes on."""
    (tmp_path / "pyproject.toml").write_text("tool = 1\nproject = 2\n")
    root = _project(tmp_path / "inner", "version = 1\n")
    result = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(result, 0)


def test_mutual_may_import_is_allowed(tmp_path: Path) -> None:
    """Two services that may import each other is a legitimate declaration, not a cycle error
    (cycles between *modules* are SSOT204's business, judged on the code)."""
    root = _project(tmp_path, 'version = 1\n[services.a]\npackages = ["pkg"]\nmay_import = ["b"]\n'
                              '[services.b]\npackages = ["other"]\nmay_import = ["a"]\n')
    result = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(result, 0)


def _commands() -> list[list[str]]:
    """Every command that reads the registry, as this build of ssot-lint has them."""
    from ssot_lint.cli import cli

    wanted = [["check"], ["graph"], ["fix", "--diff"], ["fix"], ["audit"], ["where", "pkg.b.X"],
              ["registry", "verify"], ["registry", "export-markdown"]]  # cycles too: below
    return [args for args in wanted if args[0] in cli.commands]  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_rejects_a_bad_registry_the_same_way(tmp_path: Path,
                                                           command: list[str]) -> None:
    root = _project(tmp_path, 'version = 1\n[broken."pkg.b"]\nuse_instead = "pkg.b"\n')
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run_cli(command, root)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr,
                       ['ssot-registry.toml:2: [broken."pkg.b"] use_instead points at'])
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before  # a refused run writes nothing


@pytest.mark.parametrize("command", [["fix"], ["fix", "--diff"], ["registry", "verify"]],
                         ids=" ".join)
def test_a_use_instead_cycle_is_named_by_fix_and_verify(tmp_path: Path,
                                                        command: list[str]) -> None:
    """Fix cannot follow advice that goes in a circle; it says so (as verify does)
    instead of leaving the import without a reason."""
    root = _project(tmp_path, 'version = 1\n[deprecated."pkg.b.X"]\nuse_instead = "pkg.c.X"\n'
                              '[deprecated."pkg.c.X"]\nuse_instead = "pkg.b.X"\n')
    result = run_cli(command, root)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr,
                       ["use_instead leads in a circle: pkg.b.X -> pkg.c.X -> pkg.b.X"])
    assert result.stderr.count("circle") == 1


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_dask_without_a_scheduler_is_refused_warm_or_cold(tmp_path: Path, warm: bool) -> None:
    """A usage error does not depend on whether the cache happens to hold every file."""
    root = _project(tmp_path, 'version = 1\n[project]\npackages = ["pkg"]\n')
    if warm:
        assert_clean_exit(run_cli(["check"], root), 0)
    result = run_cli(["check", "--executor", "dask"], root)
    assert_clean_exit(result, 2)
    _assert_user_error(result.stdout, result.stderr,
                       ["--executor dask needs --scheduler ADDRESS"])
