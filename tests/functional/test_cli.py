"""The command line as a user meets it: entry points, output formats, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ssot_lint import __version__
from tests.functional.cli import REPO, copy_project, run_main, run_module

CORE_CODES = {"SSOT001", "SSOT002", "SSOT101", "SSOT102", "SSOT103", "SSOT111", "SSOT112",
              "SSOT113", "SSOT121", "SSOT901"}
FINDING_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                "message", "hint"}
OPTIONAL_KEYS = {"symbol", "docs", "fix"}
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>SSOT\d{3}) (?P<msg>.+)$")


def test_python_dash_m_version() -> None:
    result = run_module(["--version"], REPO)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ssot-lint, version {__version__}"


def test_help_lists_check() -> None:
    result = run_main(["--help"], REPO)
    assert result.exit_code == 0 and "check" in result.stdout


def test_text_paths_are_posix_and_relative_to_the_working_directory(tmp_path: Path) -> None:
    project = copy_project("options", tmp_path / "work space")
    result = run_main(["check", "options"], project.parent)
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    assert lines
    for line in lines:
        match = LINE.match(line)
        assert match, line
        assert match["path"].startswith("options/app/")
        assert "\\" not in match["path"] and not Path(match["path"]).is_absolute()
    assert summary == f"Found {len(lines)} findings (4 errors, 4 warnings) in 2 of 7 files."
    # run from inside a package: paths are still relative to the working directory
    inner = run_main(["check", "."], project / "app")
    assert LINE.match(inner.stdout.splitlines()[0])["path"] == "other.py"  # type: ignore[index]


def test_json_shape(tmp_path: Path) -> None:
    project = copy_project("options", tmp_path)
    result = run_main(["check", "--format", "json"], project)
    document = json.loads(result.stdout)
    assert set(document) == {"version", "findings", "summary"}
    assert document["version"] == 1
    assert set(document["summary"]) == {"files_checked", "findings", "files_with_findings",
                                        "by_severity", "by_code"}
    for finding in document["findings"]:
        assert FINDING_KEYS <= set(finding) <= FINDING_KEYS | OPTIONAL_KEYS
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"],
                                                                finding["column"])
        assert finding["severity"] in ("error", "warning", "info")
        if "fix" in finding:
            assert set(finding["fix"]) == {"description", "old", "new", "safe"}
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in document["findings"]]
    assert keys == sorted(keys)
    assert sum(document["summary"]["by_code"].values()) == len(document["findings"])


def test_two_processes_print_identical_output(tmp_path: Path) -> None:
    """Separate processes with different hash seeds: no set/dict order leaks out."""
    project = copy_project("options", tmp_path)
    for args in (["check", "--no-cache"], ["check", "--no-cache", "--format", "json"]):
        first = run_module(args, project, env={"PYTHONHASHSEED": "1"})
        second = run_module(args, project, env={"PYTHONHASHSEED": "2"})
        assert first.exit_code == second.exit_code == 1
        assert first.stdout == second.stdout and first.stdout


def test_registry_error_exits_2_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project("registry_error", tmp_path)
    result = run_module(["check"], project)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "ssot-lint: error: ssot-registry.toml:6: " in result.stderr


def test_syntax_error_among_good_files_does_not_stop_the_run(tmp_path: Path) -> None:
    project = copy_project("bad_files", tmp_path)
    result = run_main(["check", "--format", "json"], project)
    codes = {(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert ("app/syntax.py", "SSOT001") in codes
    assert ("app/good.py", "SSOT102") in codes  # checked although another file is broken


def test_the_demo_shows_every_core_rule() -> None:
    result = run_main(["check", "examples/demo", "--format", "json"], REPO)
    assert result.exit_code == 1, result.stderr
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert codes >= CORE_CODES, sorted(CORE_CODES - codes)
