"""docs/ci.md's "both hooks with a baseline" snippet works as written with real pre-commit.

A repository adopted ssot-lint with a baseline: ``shop/report.py`` has a deprecated
import that cannot be fixed automatically (``fix = "none"``), recorded in the
baseline. A commit adds a broken, fixable import to that same file. With the snippet's
two local hooks, ``ssot-lint-fix`` rewrites the new import and fails once (it changed a
file), the check passes because only baselined debt is left, and after ``git add`` the
commit goes through. Without ``--baseline`` the fixer would block every commit that
touches the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_project

REPO = Path(__file__).resolve().parents[1]
REGISTRY = '''
[deprecated."shop.payments.old.total"]
use_instead = "shop.payments.gateway.total"
fix = "none"

[broken."shop.payments.legacy"]
use_instead = "shop.payments.gateway"
reason = "deleted in the billing rewrite"
'''
OLD_DEBT = "from shop.payments.old import total\n\nprint(total)\n"


def _snippet() -> str:
    page = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = page[page.index("### Both hooks with a baseline"):]
    [snippet] = re.findall(r"```yaml\n(.*?)```", section[:section.index("\n## ")], re.S)
    return str(snippet)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=600)


def test_fix_and_check_hooks_with_a_baseline(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({"PRE_COMMIT_HOME": str(tmp_path / "home"), "GIT_AUTHOR_NAME": "dev",
                "GIT_AUTHOR_EMAIL": "dev@example.invalid", "GIT_COMMITTER_NAME": "dev",
                "GIT_COMMITTER_EMAIL": "dev@example.invalid", "GIT_CONFIG_NOSYSTEM": "1",
                # the `language: system` hooks find this environment's ssot-lint
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    root = write_project(tmp_path / "repo", {
        "shop/payments/gateway.py": "def charge(): ...\ndef total(): ...\n",
        "shop/payments/old.py": "def total(): ...\n",
        "shop/report.py": OLD_DEBT,
    }, REGISTRY)
    (root / ".pre-commit-config.yaml").write_text(_snippet(), encoding="utf-8")
    ssot = [sys.executable, "-m", "ssot_lint"]
    written = _run([*ssot, "check", "--write-baseline", "ssot-baseline.toml"], root, env)
    assert written.returncode == 0, written.stderr
    git = ["git", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "adopt ssot-lint"]):
        assert _run([*git, *args], root, env).returncode == 0

    (root / "shop/report.py").write_text(
        "from shop.payments.legacy import charge\n" + OLD_DEBT + "print(charge)\n",
        encoding="utf-8")
    _run(["git", "add", "shop/report.py"], root, env)
    # without the baseline, the fixer blocks on the old debt it cannot fix
    plain = _run([*ssot, "fix", "--diff", "shop/report.py"], root, env)
    assert plain.returncode == 1 and "2 findings remain" in plain.stderr

    pre_commit = [sys.executable, "-m", "pre_commit", "run"]
    first = _run(pre_commit, root, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert re.search(r"ssot-lint fix\.+Failed", first.stdout)
    assert re.search(r"ssot-lint\.+Passed", first.stdout), first.stdout
    assert "Fixed 1 finding in 1 file; 0 findings remain (2 more in the baseline)." \
        in first.stdout
    assert (root / "shop/report.py").read_text(encoding="utf-8") == (
        "from shop.payments.gateway import charge\n" + OLD_DEBT + "print(charge)\n")

    _run(["git", "add", "shop/report.py"], root, env)
    second = _run(pre_commit, root, env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _run(["git", "commit", "-q", "-m", "charge"], root, env).returncode == 0
