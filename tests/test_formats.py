"""Golden tests for the CI output formats and the output options of ``check``.

Every test runs the real console entry point over a small project on disk (see
``make_formats_project`` in ``tests/conftest.py``): a broken import whose reason holds ``%``, ``,``,
``:``, ``<``, ``&`` and quotes, a hint with a newline, an alias import, a missing
module, and a file whose *name* holds ``,`` and ``:``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssot_lint.model.finding import Finding
from ssot_lint.report import Summary
from ssot_lint.report.github import escape_data, escape_property
from ssot_lint.report.junit import render_junit
from tests.conftest import make_formats_project as make_project
from tests.conftest import run_cli

GITHUB = """\
::error file=app/main.py,line=1,col=31,endLine=1,endColumn=42,title=SSOT101 broken-import::\
SSOT101 `app.agents.bridge.make_bridge` is a broken import path: moved, 100%25 sure: see <docs> \
& "notes"; use `app.services.bridge.make_bridge` instead%0Aline one%0Aline two
::warning file=app/main.py,line=2,col=26,endLine=2,endColumn=34,\
title=SSOT112 non-canonical-import::\
SSOT112 `Registry` is imported via the alias `app.registry.Registry`; its canonical home is \
`app.registry.canonical.Registry`: use `from app.registry.canonical import Registry`
::error file=app/main.py,line=3,col=8,endLine=3,endColumn=28,title=SSOT102 unresolved-module::\
SSOT102 module `app.services.missing` does not exist
::error file=scripts/we%2Cird%3Aname.py,line=1,col=8,endLine=1,endColumn=28,\
title=SSOT102 unresolved-module::SSOT102 module `app.services.missing` does not exist
ssot-lint: 4 findings in 2 of 9 files
"""

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="ssot-lint" tests="3" failures="2" errors="0">
  <testsuite name="ssot-lint" tests="3" failures="2" errors="0" skipped="0">
    <testcase classname="ssot-lint" name="app/main.py" file="app/main.py" line="1">
      <failure message="3 findings" type="SSOT101,SSOT102,SSOT112">\
app/main.py:1:31: SSOT101 [error] \
`app.agents.bridge.make_bridge` is a broken import path: moved, 100% sure: see &lt;docs&gt; \
&amp; "notes"; use `app.services.bridge.make_bridge` instead
    hint: line one
line two
app/main.py:2:26: SSOT112 [warning] `Registry` is imported via the alias `app.registry.Registry`; \
its canonical home is `app.registry.canonical.Registry`: use `from app.registry.canonical import \
Registry`
app/main.py:3:8: SSOT102 [error] module `app.services.missing` does not exist</failure>
    </testcase>
    <testcase classname="ssot-lint" name="scripts/we,ird:name.py" file="scripts/we,ird:name.py" \
line="1">
      <failure message="1 finding" type="SSOT102">scripts/we,ird:name.py:1:8: SSOT102 [error] \
module `app.services.missing` does not exist</failure>
    </testcase>
    <testcase classname="ssot-lint" name="7 files without findings" />
  </testsuite>
</testsuites>
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    return root


def test_github_format_golden(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "--format", "github"], capsys)
    assert code == 1
    assert out == GITHUB


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    # %-escaping first: an already escaped-looking text must survive a round trip
    assert escape_property("%3A") == "%253A"


def test_junit_format_golden(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "--format", "junit"], capsys)
    assert code == 1
    assert out == JUNIT
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "0"))
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["app/main.py", "scripts/we,ird:name.py"]
    assert 'see <docs> & "notes"' in (cases[0].find("failure").text or "")  # type: ignore[union-attr]


def test_junit_escapes_characters_xml_cannot_hold() -> None:
    finding = Finding(path="a\x01b.py", line=1, column=1, code="SSOT001", rule="syntax-error",
                      severity="error", message="bad \x00 byte & <tag> \x1b[31m")
    xml = render_junit([finding], Summary.of([finding], 1))
    root = ET.fromstring(xml.split("\n", 1)[1])  # parses: nothing invalid slipped through
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("name") == "a\\x01b.py"
    failure = case.find("failure")
    assert failure is not None and "bad \\x00 byte & <tag> \\x1b[31m" in (failure.text or "")


def test_junit_clean_run_is_one_passing_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "clean", {"app/ok.py": "import json\n"})
    monkeypatch.chdir(root)
    code, out, _ = run_cli(["check", "--format", "junit"], capsys)
    assert code == 0
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and suite.get("tests") == "1"
    assert [c.get("name") for c in suite.findall("testcase")] == ["2 files without findings"]


def test_text_and_json_are_unchanged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "Found 4 findings (3 errors, 1 warning) in 2 of 9 files."
    code, out, _ = run_cli(["check", "--format", "json"], capsys)
    document = json.loads(out)
    assert [(f["path"], f["line"], f["code"]) for f in document["findings"]] == [
        ("app/main.py", 1, "SSOT101"), ("app/main.py", 2, "SSOT112"),
        ("app/main.py", 3, "SSOT102"), ("scripts/we,ird:name.py", 1, "SSOT102")]


def test_statistics_counts_per_rule_most_frequent_first(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "--statistics"], capsys)
    assert code == 1
    assert out == ("2  SSOT102  unresolved-module\n"
                   "1  SSOT101  broken-import         [fixable: 1]\n"
                   "1  SSOT112  non-canonical-import  [fixable: 1]\n")
    code, out, _ = run_cli(["check", "--statistics", "--format", "json"], capsys)
    assert json.loads(out) == [
        {"code": "SSOT102", "rule": "unresolved-module", "count": 2, "fixable": 0,
         "unsafe_fixable": 0},
        {"code": "SSOT101", "rule": "broken-import", "count": 1, "fixable": 1,
         "unsafe_fixable": 0},
        {"code": "SSOT112", "rule": "non-canonical-import", "count": 1, "fixable": 1,
         "unsafe_fixable": 0}]
    code, _, err = run_cli(["check", "--statistics", "--format", "sarif"], capsys)
    assert code == 2 and "--statistics prints text or json" in err


def test_output_file_gets_the_report_and_stdout_stays_empty(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "reports" / "ssot.xml"
    code, out, err = run_cli(["check", "--format", "junit", "--output-file", str(target)],
                             capsys)  # a mistyped directory is not created
    assert (code, out) == (2, "")
    assert f"cannot write --output-file: directory {project / 'reports'} does not exist" in err
    assert not (project / "reports").exists()
    (project / "reports").mkdir()
    code, out, _ = run_cli(["check", "--format", "junit", "--output-file", str(target)], capsys)
    assert code == 1 and out == ""
    assert target.read_text(encoding="utf-8") == JUNIT


@pytest.mark.parametrize(("fail_on", "expected"), [("info", 1), ("warning", 1), ("error", 1)])
def test_fail_on_with_errors_present(project: Path, capsys: pytest.CaptureFixture[str],
                                     fail_on: str, expected: int) -> None:
    assert run_cli(["check", "--fail-on", fail_on], capsys)[0] == expected


def test_fail_on_error_passes_a_run_with_only_warnings(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "app/main.py", "--select", "SSOT112"]
    code, out, _ = run_cli(args + ["--fail-on", "error"], capsys)
    assert code == 0 and "SSOT112" in out  # still reported, just not failing
    assert run_cli(args + ["--fail-on", "warning"], capsys)[0] == 1
    assert run_cli(args, capsys)[0] == 1  # default: any finding fails


def test_unknown_format_is_a_usage_error(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["check", "--format", "xml"], capsys)
    assert code == 2 and "xml" in err


def test_format_from_pyproject_and_command_line_precedence(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[tool.ssot-lint]\nformat = "github"\n',
                                            encoding="utf-8")
    code, out, _ = run_cli(["check"], capsys)
    assert code == 1 and out == GITHUB
    code, out, _ = run_cli(["check", "--format", "junit"], capsys)
    assert out == JUNIT


def _unescape(text: str) -> str:
    """The runner's decoding of workflow-command values (the inverse of escaping)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


@given(st.text())
def test_github_property_escaping_round_trips_and_cannot_break_the_command(text: str) -> None:
    escaped = escape_property(text)
    assert not set(escaped) & {",", ":", "\r", "\n"}
    assert _unescape(escaped) == text
    data = escape_data(text)
    assert "\n" not in data and "\r" not in data and _unescape(data) == text


def test_unwritable_output_file_is_a_usage_error(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (project / "reports").mkdir()
    code, out, err = run_cli(["check", "--output-file", "reports"], capsys)
    assert (code, out) == (2, "")
    assert "reports: cannot write --output-file: a directory, not a regular file" in err
    code, _, err = run_cli(["check", "--write-baseline", "reports"], capsys)
    assert code == 2 and "reports: cannot read baseline: a directory, not a regular file" in err
