"""``ssot-lint audit`` end to end: files written, exit codes, --compare, the progress bar."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssot_lint.cli import cli
from ssot_lint.commands.audit import show_progress
from tests.conftest import make_audit_project as make_project


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "CI"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "ssot_lint", "audit", *args], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mono")


def test_writes_html_report_and_json_data(project: Path) -> None:
    done = _run(project, "-o", "report.html", "--json", "audit.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ("ssot-lint audit: report.html: 77.8% compliant, 11 violations in "
                           "6 files (18 files checked)\n")
    html = (project / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    data = json.loads((project / "audit.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["overall"]["findings"] == 11
    assert "progress" not in data


def test_markdown_by_suffix_or_option_and_stdout(project: Path) -> None:
    assert _run(project, "-o", "report.md").returncode == 0
    assert (project / "report.md").read_text(encoding="utf-8").startswith("# SSOT audit of mono")
    done = _run(project, "--format", "markdown", "--title", "Weekly SSOT")
    assert done.returncode == 0 and done.stdout.startswith("# Weekly SSOT\n")
    html = _run(project)
    assert html.stdout.startswith("<!DOCTYPE html>")


def test_compare_shows_the_burn_down(project: Path) -> None:
    assert _run(project, "--json", "before.json", "-o", "before.html").returncode == 0
    (project / "api" / "views.py").write_text("from shared.client import Client as OldClient\n"
                                              "from api.routes import Invoice\n")
    (project / "tools" / "script.py").write_text("from shared.client import Client\n")
    done = _run(project, "--compare", "before.json", "--json", "after.json", "-o", "after.md")
    assert done.returncode == 0, done.stderr
    progress = json.loads((project / "after.json").read_text(encoding="utf-8"))["progress"]
    # billing/reports.py's import of OldClient through api.views goes too (the same object)
    assert progress["findings"] == {"name": "findings", "before": 11, "now": 8, "change": -3}
    assert {"name": "SSOT111", "before": 5, "now": 2, "change": -3} in progress["rules"]
    assert {"name": "shared.legacy.OldClient", "before": 4, "now": 1,
            "change": -3} in progress["deprecated"]
    api = next(s for s in progress["services"] if s["name"] == "api")
    assert (api["findings"]["before"], api["findings"]["now"]) == (5, 4)
    report = (project / "after.md").read_text(encoding="utf-8")
    assert "## Progress since " in report
    assert "| `shared.legacy.OldClient` | 4 | 1 | -3 |" in report
    assert "| api | 5 | 4 | -1 | 75 | 75 |" in report
    html = _run(project, "--compare", "before.json").stdout
    assert 'id="progress"' in html and '<span class="down">-2</span>' in html


@pytest.mark.parametrize(("content", "message"), [
    (None, "previous audit not found"),
    ("{not json", "not valid JSON"),
    ('{"version": 7}', "audit format version 7 is not supported"),
    ('{"version": 1, "overall": {}}', "audit is missing 'rules'"),
    ('{"version": 1, "overall": {"findings": 1}, "rules": [{"code": 1}], "deprecated": [],'
     ' "services": []}', "audit data is damaged"),
])
def test_unusable_previous_audit_exits_2(project: Path, content: str | None,
                                         message: str) -> None:
    if content is not None:
        (project / "old.json").write_text(content)
    done = _run(project, "--compare", "old.json", "-o", "r.html")
    assert done.returncode == 2
    assert done.stderr.startswith("ssot-lint: error: old.json")
    assert message in done.stderr and "ssot-lint audit --json" in done.stderr
    assert not (project / "r.html").exists()  # checked before the long run


def test_unwritable_output_exits_2(project: Path) -> None:
    done = _run(project, "-o", "missing-dir/report.html")
    assert done.returncode == 2
    assert "missing-dir/report.html" in done.stderr and "cannot write the report" in done.stderr


def test_no_progress_bar_when_not_a_terminal(project: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(project), "-o", str(project / "r.html")])
    assert result.exit_code == 0, result.output
    assert "reading files" not in result.output and "checking files" not in result.output
    piped = _run(project, "-o", "r.html")
    assert "files" in piped.stderr and "reading files" not in piped.stderr


def _stderr_on_a_terminal(cwd: Path, env: dict[str, str]) -> str:
    """Run the audit with stderr attached to a pseudo-terminal; return what it showed."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "CI"}
    full_env.update(env)
    proc = subprocess.Popen([sys.executable, "-m", "ssot_lint", "audit", "-o", "r.html"],
                            cwd=cwd, stdout=subprocess.DEVNULL, stderr=slave, env=full_env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_but_never_in_ci(project: Path) -> None:
    shown = _stderr_on_a_terminal(project, {"TERM": "xterm"})
    assert "reading files" in shown and "checking files" in shown and "18/18" in shown
    in_ci = _stderr_on_a_terminal(project, {"TERM": "xterm", "CI": "true"})
    assert "reading files" not in in_ci and "77.8% compliant" in in_ci


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_show_progress_decision() -> None:
    assert show_progress(None, _Stream(True), {"TERM": "xterm"}) is True
    assert show_progress(None, _Stream(False), {}) is False
    assert show_progress(None, _Stream(True), {"CI": "1"}) is False
    assert show_progress(None, _Stream(True), {"TERM": "dumb"}) is False
    assert show_progress(False, _Stream(True), {}) is False
    assert show_progress(True, _Stream(False), {"CI": "1"}) is True


def test_usages_duplicates_and_stale_entries_from_the_real_rules(tmp_path: Path) -> None:
    """SSOT301 uses, SSOT401 duplicates and SSOT902 stale entries (the audit always
    verifies the registry) reach the report through the rules that produce them."""
    root = make_project(tmp_path / "mono", {
        "api/usage.py": "from shared.legacy import OldClient\n\n\n"
                        "def make() -> OldClient:\n    return OldClient()\n",
        "billing/client.py": "class Client:\n    pass\n",
    }, registry_extra='[symbols."shared.client.Gone"]\n')
    assert _run(root, "--json", "audit.json", "-o", "r.html").returncode == 0
    data = json.loads((root / "audit.json").read_text(encoding="utf-8"))
    old = next(d for d in data["deprecated"] if d["symbol"] == "shared.legacy.OldClient")
    assert (old["imports"], old["usages"], old["references"], old["files"]) == (5, 2, 7, 5)
    assert [s for s in old["sites"] if s["path"] == "api/usage.py"] == [
        {"path": "api/usage.py", "line": 1, "code": "SSOT111"},
        {"path": "api/usage.py", "line": 4, "code": "SSOT301"},
        {"path": "api/usage.py", "line": 5, "code": "SSOT301"}]
    assert [(d["path"], d["symbol"]) for d in data["duplicates"]] == [
        ("billing/client.py", "billing.client.Client")]
    assert [(s["path"], s["symbol"]) for s in data["stale_entries"]] == [
        ("ssot-registry.toml", "shared.client.Gone")]
    html = (root / "r.html").read_text(encoding="utf-8")
    assert "stale registry entries (SSOT902)</td><td class=\"n\">1</td>" in html


def test_missing_path_exits_2(project: Path) -> None:
    done = _run(project, "no-such-dir", "-o", "r.html")
    assert done.returncode == 2
    assert "path does not exist: no-such-dir" in done.stderr


def test_same_project_same_report_bytes(project: Path) -> None:
    pinned = {"SOURCE_DATE_EPOCH": "1767225600"}
    first = _run(project, "--json", "a.json", env=pinned)
    second = _run(project, "--json", "b.json", env=pinned)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout and "2026-01-01T00:00:00Z" in first.stdout
    assert (project / "a.json").read_bytes() == (project / "b.json").read_bytes()


def test_baseline_debt_is_shown_apart_with_compliance_with_and_without(project: Path) -> None:
    check = subprocess.run([sys.executable, "-m", "ssot_lint", "check", "--write-baseline",
                            "ssot-baseline.toml"], cwd=project, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    # one new violation after the baseline was written: an error in a new file
    (project / "tools" / "new_job.py").write_text("from shared.gone import thing\n")
    done = _run(project, "--baseline", "ssot-baseline.toml", "--json", "audit.json",
                "-o", "report.md")
    assert done.returncode == 0, done.stderr
    data = json.loads((project / "audit.json").read_text(encoding="utf-8"))
    debt = data["baseline"]
    assert debt["file"] == "ssot-baseline.toml"
    assert debt["new"] == 1 and debt["known"] == data["overall"]["findings"] - 1 == 11
    assert debt["stale"] == 0 and sum(debt["by_rule"].values()) == 11
    files = data["overall"]["files"]
    # with the debt: every file with an error counts; without: only the new error's file
    assert debt["compliance_without"] == round(100 * (files - 1) / files, 1)
    assert data["overall"]["compliance"] < debt["compliance_without"]
    assert f"{debt['compliance_without']:.1f}% without the baseline's 11 known findings " \
           "(1 new)" in done.stderr
    report = (project / "report.md").read_text(encoding="utf-8")
    assert "## Baseline `ssot-baseline.toml`" in report
    assert f"| new (not in the baseline) | 1 | {debt['compliance_without']:.1f}% |" in report
    html = _run(project, "--baseline", "ssot-baseline.toml").stdout
    assert '<h2 id="baseline">Baseline <code>ssot-baseline.toml</code></h2>' in html
    # without --baseline the JSON document keeps its shape
    assert _run(project, "--json", "plain.json").returncode == 0
    assert "baseline" not in json.loads((project / "plain.json").read_text(encoding="utf-8"))
