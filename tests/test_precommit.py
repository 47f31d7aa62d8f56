"""The real ``pre-commit`` tool runs this repository's hooks on a real git repository.

``pre-commit try-repo`` installs ssot-lint from a snapshot of this working tree into
its own virtual environment (from PyPI, like a user's machine would) and runs the
hooks on the staged files of a temporary repository with a registry and a violating
change: ``ssot-lint`` fails with the finding, ``ssot-lint-fix`` rewrites the import,
and then ``ssot-lint`` passes; an installed hook blocks, then allows, ``git commit``.
This is slow (one environment install), so it runs once, in one test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_project

pytestmark = pytest.mark.precommit

REPO = Path(__file__).resolve().parents[1]
REGISTRY = '''
[broken."shop.payments.legacy"]
use_instead = "shop.payments.gateway"
reason = "the legacy module was deleted in the 2025 billing rewrite"
'''
BAD = "from shop.payments.legacy import charge\n\n\ndef pay():\n    return charge()\n"
GOOD = "from shop.payments.gateway import charge\n\n\ndef pay():\n    return charge()\n"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({"PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "dev",
                "GIT_AUTHOR_EMAIL": "dev@example.invalid", "GIT_COMMITTER_NAME": "dev",
                "GIT_COMMITTER_EMAIL": "dev@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"})
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=900)


def _snapshot(target: Path, env: dict[str, str]) -> str:
    """This working tree (tracked and new, not ignored files) as a one-commit repo."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=target, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_pre_commit_hooks_fail_fix_and_pass(tmp_path: Path) -> None:
    env = _env(tmp_path / "pre-commit-home")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    rev = _snapshot(hooks, env)
    user = write_project(tmp_path / "shop-repo", {
        "shop/payments/gateway.py": "def charge(): ...\n",
        "shop/orders.py": "import json\n",
    }, REGISTRY)
    git = ["git", "-c", "init.defaultBranch=main"]
    assert _run([*git, "init", "-q"], user, env).returncode == 0
    _run(["git", "add", "-A"], user, env)
    assert _run(["git", "commit", "-q", "-m", "base"], user, env).returncode == 0
    (user / "shop" / "checkout.py").write_text(BAD, encoding="utf-8")
    _run(["git", "add", "shop/checkout.py"], user, env)
    pre_commit = [sys.executable, "-m", "pre_commit"]

    failed = _run([*pre_commit, "try-repo", str(hooks), "ssot-lint", "--ref", rev], user, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "ssot-lint" in failed.stdout and "Failed" in failed.stdout
    assert ("shop/checkout.py:1:34: SSOT101 `shop.payments.legacy.charge` is a broken import "
            "path: the legacy module was deleted in the 2025 billing rewrite; use "
            "`shop.payments.gateway.charge` instead") in failed.stdout

    fixed = _run([*pre_commit, "try-repo", str(hooks), "ssot-lint-fix", "--ref", rev], user, env)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # a fixer that changed files
    assert "files were modified by this hook" in fixed.stdout
    assert (user / "shop" / "checkout.py").read_text(encoding="utf-8") == GOOD

    _run(["git", "add", "shop/checkout.py"], user, env)
    passed = _run([*pre_commit, "try-repo", str(hooks), "ssot-lint", "--ref", rev], user, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # Installed as a git hook with the docs' snippet (docs/ci.md), its two placeholders
    # filled in: the URL and COMMIT-SHA. (The repo path is written as try-repo writes it,
    # so the installed environment is reused.)
    snippet = _docs_snippet()
    assert "https://github.com/your-org/ssot-lint" in snippet and "COMMIT-SHA" in snippet
    (user / ".pre-commit-config.yaml").write_text(
        snippet.replace("https://github.com/your-org/ssot-lint", os.path.relpath(hooks, user))
        .replace("COMMIT-SHA", rev), encoding="utf-8")
    assert _run([*pre_commit, "install"], user, env).returncode == 0
    (user / "shop" / "refund.py").write_text(BAD.replace("def pay", "def refund"), encoding="utf-8")
    _run(["git", "add", "-A"], user, env)
    blocked = _run(["git", "commit", "-m", "refunds"], user, env)
    assert blocked.returncode != 0  # ssot-lint-fix rewrote the import: review and add
    assert "files were modified by this hook" in blocked.stdout + blocked.stderr
    assert (user / "shop" / "refund.py").read_text(encoding="utf-8") == \
        GOOD.replace("def pay", "def refund")
    _run(["git", "add", "-A"], user, env)
    allowed = _run(["git", "commit", "-m", "refunds"], user, env)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def _docs_snippet() -> str:
    """The first YAML block of docs/ci.md's "Pre-commit" section, as written."""
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Pre-commit\n"):]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]
