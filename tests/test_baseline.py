"""Baselines: record today's findings, report only new ones, and only ever shrink.

Fingerprints are code + root-relative path + import/symbol + occurrence index, so
they must survive line shifts and renames of unrelated code, and tell duplicated
imports apart. Every test runs the real CLI over a project on disk.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ssot_lint.baseline import Identity, read_baseline
from ssot_lint.errors import SsotLintError
from tests.conftest import make_formats_project as make_project
from tests.conftest import run_cli

REGISTRY = '''
[broken."app.legacy"]
use_instead = "app.services.bridge"
reason = "moved"
'''

SERVICE = ("from app.legacy import make_bridge\n"
           "\n"
           "def start():\n"
           "    from app.legacy import make_bridge\n"
           "    return make_bridge()\n")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj", {
        "app/services/bridge.py": "def make_bridge(): ...\n",
        "app/service.py": SERVICE,
        "app/other.py": "import app.legacy\n",
        "app/clean.py": "from app.services.bridge import make_bridge\n",
    }, REGISTRY)
    monkeypatch.chdir(root)
    return root


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def test_write_baseline_records_every_finding(project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["check", "--write-baseline", "ssot-baseline.toml"], capsys)
    assert code == 0 and out == ""
    assert "wrote 3 baseline entries to ssot-baseline.toml" in err
    text = (project / "ssot-baseline.toml").read_text(encoding="utf-8")
    assert text.endswith('''version = 1

[[finding]]
code = "SSOT101"
path = "app/other.py"
symbol = "app.legacy"
occurrence = 0
message = "`app.legacy` is a broken import path: moved; use `app.services.bridge` instead"

[[finding]]
code = "SSOT101"
path = "app/service.py"
symbol = "app.legacy.make_bridge"
occurrence = 0
message = "`app.legacy.make_bridge` is a broken import path: moved; use \
`app.services.bridge.make_bridge` instead"

[[finding]]
code = "SSOT101"
path = "app/service.py"
symbol = "app.legacy.make_bridge"
occurrence = 1
message = "`app.legacy.make_bridge` is a broken import path: moved; use \
`app.services.bridge.make_bridge` instead"
''')
    assert not re.search(r"^(line|column)\s*=", text, re.M)  # never the position
    code, out, err = run_cli(["check", "--baseline", "ssot-baseline.toml"], capsys)
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("All checks passed")
    assert "baseline: 3 known findings hidden, 0 new" in err


def test_survives_line_shifts_and_unrelated_renames(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    # lines added above both imports, a function renamed, another added
    _write(project, "app/service.py", '"""Service."""\nimport os\n\n\n' +
           SERVICE.replace("def start", "def boot") + "\ndef extra():\n    return os.sep\n")
    code, out, err = run_cli(["check", "--baseline", "b.toml", "--strict-baseline"], capsys)
    assert (code, "0 new" in err, "stale" in err) == (0, True, False), out + err


def test_new_finding_is_reported_and_old_debt_stays_hidden(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    _write(project, "app/service.py", SERVICE + "\ndef again():\n"
           "    from app.legacy import make_bridge\n    return make_bridge\n")
    code, out, err = run_cli(["check", "--baseline", "b.toml"], capsys)
    assert code == 1
    assert out.splitlines()[0] == ("app/service.py:8:28: SSOT101 `app.legacy.make_bridge` is a "
                                   "broken import path: moved; use "
                                   "`app.services.bridge.make_bridge` instead")
    assert len(out.splitlines()) == 2  # one finding + the summary
    assert "baseline: 3 known findings hidden, 1 new" in err


def test_fixed_entries_are_reported_strict_fails_and_update_only_shrinks(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    # fix one of the duplicated imports, and add a brand-new violation elsewhere
    _write(project, "app/service.py", SERVICE.replace("from app.legacy import make_bridge\n\n",
                                                       "from app.services.bridge import "
                                                       "make_bridge\n\n", 1))
    _write(project, "app/clean.py", "import app.legacy.sub\n")
    code, out, err = run_cli(["check", "--baseline", "b.toml"], capsys)
    assert code == 1  # the new finding in clean.py
    assert "SSOT101" in out and "app/clean.py" in out
    assert ("baseline: no longer found (fixed or stale): SSOT101 app/service.py "
            "`app.legacy.make_bridge` #1") in err
    assert "1 entry is now fixed or stale; remove them with --update-baseline" in err
    # strict: a stale entry alone fails the run
    _write(project, "app/clean.py", "from app.services.bridge import make_bridge\n")
    assert run_cli(["check", "--baseline", "b.toml"], capsys)[0] == 0
    code, out, _ = run_cli(["check", "--baseline", "b.toml", "--strict-baseline"], capsys)
    assert code == 1
    # the summary says why it fails: it is not "All checks passed"
    assert out.splitlines()[-1] == ("No findings (6 files); the run fails: 1 baseline entry is "
                                    "fixed or stale (--strict-baseline).")
    code, out, _ = run_cli(["check", "--baseline", "b.toml", "--strict-baseline", "--format",
                            "json"], capsys)
    assert json.loads(out)["summary"]["failures"] == [
        "1 baseline entry is fixed or stale (--strict-baseline)"]
    # update removes the stale entry and never adds anything
    _write(project, "app/clean.py", "import app.legacy.sub\n")
    code, _, err = run_cli(["check", "--baseline", "b.toml", "--update-baseline"], capsys)
    assert code == 1 and "removed 1 entry from b.toml" in err
    entries = read_baseline(project / "b.toml")
    assert [e.identity for e in entries] == [
        Identity("SSOT101", "app/other.py", "app.legacy", 0),
        Identity("SSOT101", "app/service.py", "app.legacy.make_bridge", 0)]
    # after shrinking, the fixed debt cannot silently come back
    _write(project, "app/service.py", SERVICE)
    code, out, _ = run_cli(["check", "--baseline", "b.toml", "app/service.py"], capsys)
    assert code == 1 and out.startswith("app/service.py:4:28: SSOT101")


def test_reason_and_owner_survive_rewrites(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    text = (project / "b.toml").read_text(encoding="utf-8")
    text = text.replace('symbol = "app.legacy"\n', 'symbol = "app.legacy"\n'
                        'reason = "vendored shim, removed in Q3"\nowner = "team-auth"\n')
    (project / "b.toml").write_text(text, encoding="utf-8")
    run_cli(["check", "--write-baseline", "b.toml"], capsys)  # re-recording keeps them
    _write(project, "app/service.py", "")
    run_cli(["check", "--baseline", "b.toml", "--update-baseline"], capsys)
    [entry] = read_baseline(project / "b.toml")
    assert (entry.identity.path, entry.reason, entry.owner) == (
        "app/other.py", "vendored shim, removed in Q3", "team-auth")


def test_scope_entries_outside_the_checked_files_are_not_stale(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    code, _, err = run_cli(["check", "app/clean.py", "--baseline", "b.toml",
                            "--strict-baseline"], capsys)
    assert code == 0 and "stale" not in err
    code, _, err = run_cli(["check", "--select", "SSOT102", "--baseline", "b.toml",
                            "--strict-baseline"], capsys)
    assert code == 0 and "stale" not in err


def test_paths_are_root_relative_whatever_the_working_directory(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    monkeypatch.chdir(project / "app")
    code, _, err = run_cli(["check", "..", "--baseline", "../b.toml", "--strict-baseline"],
                           capsys)
    assert code == 0 and "3 known findings hidden, 0 new" in err


def test_sarif_carries_the_baseline_fingerprints(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    expected = sorted(e.identity.fingerprint() for e in read_baseline(project / "b.toml"))
    _, out, _ = run_cli(["check", "--format", "sarif"], capsys)
    results = json.loads(out)["runs"][0]["results"]
    assert sorted(r["partialFingerprints"]["ssotLint/v1"] for r in results) == expected
    assert len(set(expected)) == 3  # the duplicated import gets its own fingerprint


@pytest.mark.parametrize(("content", "message"), [
    ('version = 1\n[[finding]]\ncode = "SSOT101"\npath = "app/*.py"\nsymbol = "x"\n',
     "b.toml:2: [finding[0]] baseline entries are exact: wildcards are not allowed"),
    ('version = 1\n\n[[finding]]\ncode = "SSOT101"\nsymbol = "x"\n',
     "b.toml:3: [finding[0]] `path` must be a non-empty string"),
    ('version = 1\n[[finding]]\ncode = "SSOT101"\npath = "a.py"\nsymbol = "x"\nline = 3\n',
     "b.toml:2: [finding[0]] unknown key 'line'"),
    ('version = 2\n', "b.toml:1: [version] expected version = 1"),
    ('version = 1\n[[finding]\ncode = "SSOT101"\n', "b.toml:2: invalid TOML"),
])
def test_malformed_baseline_is_a_clear_usage_error(project: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   content: str, message: str) -> None:
    (project / "b.toml").write_text(content, encoding="utf-8")
    code, _, err = run_cli(["check", "--baseline", "b.toml"], capsys)
    assert code == 2
    assert message in err


def test_option_combinations_are_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["check", "--update-baseline"], capsys)
    assert code == 2 and "need --baseline FILE" in err
    code, _, err = run_cli(["check", "--baseline", "missing.toml"], capsys)
    assert code == 2 and "missing.toml: baseline file not found" in err
    with pytest.raises(SsotLintError):
        read_baseline(project / "missing.toml")


def test_rewriting_with_a_narrower_run_keeps_what_it_did_not_check(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["check", "--write-baseline", "b.toml"], capsys)
    before = read_baseline(project / "b.toml")
    run_cli(["check", "app/clean.py", "--write-baseline", "b.toml"], capsys)
    assert read_baseline(project / "b.toml") == before
    run_cli(["check", "--select", "SSOT102", "--write-baseline", "b.toml"], capsys)
    assert read_baseline(project / "b.toml") == before
