"""``--changed-since REV``: a pull-request check over a real git repository.

The project is judged whole; only findings in files changed since the merge base
with REV (committed, staged, unstaged or untracked) are shown, plus findings whose
chain touches a changed file (``("touches", path)`` in ``Finding.extra``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ssot_lint.changed import changed_files, filter_changed, touched_paths, touches
from ssot_lint.model.finding import Finding
from tests.conftest import make_formats_project as make_project
from tests.conftest import run_cli

REGISTRY = '''
[broken."app.legacy"]
use_instead = "app.services.bridge"

[services.app]
packages = ["app"]
may_import = []

[services.billing]
packages = ["billing"]
'''


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "HOME": str(root), "PATH": "/usr/bin:/bin:/usr/local/bin", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "repo", {
        "app/services/bridge.py": "def make_bridge(): ...\n",
        "app/old_debt.py": "import app.legacy\n",  # a violation nobody touches in the PR
        "app/api.py": "from app.services.bridge import make_bridge\n",
        "app/models.py": "class User: ...\n",
        "billing/ledger.py": "ROWS = []\n",
    }, REGISTRY)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(root)
    return root


def test_only_changed_files_are_reported_but_judged_against_the_whole_project(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # committed on the branch: a name that the (unchanged) models module lacks
    (repo / "app/api.py").write_text("from app.models import Usr\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "typo")
    # unstaged edit: a boundary violation into an unchanged service
    (repo / "app/models.py").write_text("import billing.ledger\nclass User: ...\n",
                                        encoding="utf-8")
    # untracked new file
    (repo / "app/new.py").write_text("from app.legacy import thing\n", encoding="utf-8")
    code, out, _ = run_cli(["check", "--changed-since", "main", "-q"], capsys)
    assert code == 1
    reported = [(line.split(":")[0], line.split(": ")[1].split()[0]) for line in out.splitlines()]
    assert reported == [("app/api.py", "SSOT103"), ("app/models.py", "SSOT201"),
                        ("app/new.py", "SSOT101")]  # app/old_debt.py is not in the PR
    assert "app/old_debt.py" in run_cli(["check", "-q"], capsys)[1]


def test_commits_that_landed_on_the_base_after_branching_do_not_count(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "main")
    (repo / "app/api.py").write_text("import app.legacy\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "someone else's change on main")
    git(repo, "checkout", "-q", "feature")
    (repo / "app/old_debt.py").write_text("import app.legacy as legacy\n", encoding="utf-8")
    assert changed_files("main", repo) == {(repo / "app/old_debt.py").resolve()}
    code, out, _ = run_cli(["check", "--changed-since", "main", "-q"], capsys)
    assert code == 1 and [line.split(":")[0] for line in out.splitlines()] == ["app/old_debt.py"]


def test_a_clean_branch_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "--changed-since", "main"], capsys)
    assert code == 0 and out.startswith("All checks passed")


def test_the_summary_counts_the_changed_files(repo: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    total = len([p for p in repo.rglob("*.py") if ".git" not in p.parts])
    code, out, _ = run_cli(["check", "--changed-since", "main"], capsys)
    assert out == f"All checks passed (0 changed files of {total}).\n"
    (repo / "app/api.py").write_text("from app.models import Usr\n", encoding="utf-8")
    (repo / "app/clean.py").write_text("import json\n", encoding="utf-8")
    code, out, _ = run_cli(["check", "--changed-since", "main"], capsys)
    assert out.splitlines()[-1] == (f"Found 1 finding (1 error) in 1 of 2 changed files of "
                                    f"{total + 1}.")
    code, out, _ = run_cli(["check", "--changed-since", "main", "--format", "json"], capsys)
    assert json.loads(out)["summary"]["changed_files"] == 2


def test_a_chain_finding_is_kept_when_its_chain_touches_a_changed_file(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    for name in ("main.py", "service.py", "db.py"):
        (tmp_path / "app" / name).write_text("")
    chain = Finding(path="app/main.py", line=1, column=1, code="SSOT202", rule="boundary-chain",
                    severity="error", message="app.main -> app.service -> app.db",
                    extra=touches(["app/service.py", "app/db.py", "app/service.py"]))
    plain = Finding(path="app/main.py", line=2, column=1, code="SSOT101", rule="broken-import",
                    severity="error", message="broken")
    assert chain.extra == (("touches", "app/db.py"), ("touches", "app/service.py"))
    assert touched_paths(chain) == ("app/main.py", "app/db.py", "app/service.py")
    changed = {(tmp_path / "app" / "db.py").resolve()}
    assert filter_changed([chain, plain], changed, cwd=tmp_path) == [chain]


@pytest.mark.parametrize(("rev", "message"), [
    ("no-such-branch", "'no-such-branch' is not a git revision"),
    ("--output=x", "expects a git revision"),
])
def test_bad_revisions_are_usage_errors(repo: Path, capsys: pytest.CaptureFixture[str],
                                        rev: str, message: str) -> None:
    code, _, err = run_cli(["check", f"--changed-since={rev}"], capsys)
    assert code == 2 and message in err


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "plain", {"app/a.py": "import json\n"})
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run_cli(["check", "--changed-since", "main"], capsys)
    assert code == 2 and "git rev-parse --show-toplevel` failed" in err


def test_with_a_baseline_only_changed_files_entries_can_be_stale(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["check", "--write-baseline", "b.toml"], capsys)[0] == 0  # old_debt.py
    (repo / "app/api.py").write_text("import app.legacy\n", encoding="utf-8")
    code, out, err = run_cli(["check", "--changed-since", "main", "--baseline", "b.toml",
                              "--strict-baseline", "-q"], capsys)
    assert code == 1 and out.startswith("app/api.py:1:8: SSOT101") and "stale" not in err
    (repo / "app/api.py").write_text("import json\n", encoding="utf-8")
    (repo / "app/old_debt.py").write_text("import json\n", encoding="utf-8")  # debt paid
    code, _, err = run_cli(["check", "--changed-since", "main", "--baseline", "b.toml",
                            "--strict-baseline"], capsys)
    assert code == 1 and "fixed or stale): SSOT101 app/old_debt.py `app.legacy` #0" in err
