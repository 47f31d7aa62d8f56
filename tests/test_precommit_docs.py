"""The hook manifest and the README's pre-commit and CI snippets are valid as written.

pre-commit's own loaders validate the manifest and the config snippets; the CI
snippets must parse and must use only options ``ssot-lint check`` really has.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_config, load_manifest

from ssot_lint.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")  # the pre-commit and CI page


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_manifest_declares_both_hooks_for_python_files() -> None:
    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert sorted(hooks) == ["ssot-lint", "ssot-lint-fix"]
    assert hooks["ssot-lint"]["entry"] == "ssot-lint check"
    assert hooks["ssot-lint-fix"]["entry"] == "ssot-lint fix"
    for hook in hooks.values():
        assert hook["types"] == ["python"] and hook["require_serial"] is True
        assert hook["language"] == "python"


@pytest.mark.parametrize("index", [0, 1])
def test_readme_pre_commit_snippets_are_valid_configs(tmp_path: Path, index: int) -> None:
    snippet = _blocks(_section("Pre-commit"), "yaml")[index]
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(snippet, encoding="utf-8")
    config = load_config(str(path))
    ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert "ssot-lint" in ids


def _check_commands(text: str) -> list[list[str]]:
    commands = []
    for line in re.findall(r"ssot-lint check[^\n'`]*", text.replace(">\n", " ")):
        commands.append(shlex.split(re.sub(r"\$\{\{.*?\}\}", "main", line))[2:])
    return commands


def test_readme_ci_snippets_parse_and_use_real_options() -> None:
    section = _section("CI (formats, baselines, PR checks)")
    for snippet in _blocks(section, "yaml"):
        assert isinstance(yaml.safe_load(snippet), dict)
    workflow = yaml.safe_load(_blocks(section, "yaml")[0])
    steps = workflow["jobs"]["ssot-lint"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif"))
    sarif_step = next(s for s in steps if "--format sarif" in s.get("run", ""))
    assert f"--output-file {upload['with']['sarif_file']}" in sarif_step["run"]
    command = cli.commands["check"]
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    found = _check_commands(section)
    assert len(found) >= 6
    for args in found:
        options = {a.split("=")[0] for a in args if a.startswith("-")}
        assert options <= known, options - known


def test_remote_snippet_names_no_tag_only_an_explained_commit_placeholder() -> None:
    snippet = yaml.safe_load(_blocks(_section("Pre-commit"), "yaml")[0])
    [repo] = snippet["repos"]
    assert repo["rev"] == "COMMIT-SHA"  # ssot-lint has no tags: a commit, said so below
    assert "replace `COMMIT-SHA` with\nthe full SHA" in _section("Pre-commit")


def test_local_snippet_runs_as_written(tmp_path: Path) -> None:
    """The `repo: local` snippet, byte for byte, blocks a violating file and passes a fix."""
    snippet = _blocks(_section("Pre-commit"), "yaml")[1]
    repo = tmp_path / "shop"
    (repo / "shop").mkdir(parents=True)
    (repo / "shop" / "__init__.py").write_text("")
    (repo / "shop" / "gateway.py").write_text("def charge(): ...\n")
    (repo / "shop" / "checkout.py").write_text("from shop.legacy import charge\n")
    (repo / "ssot-registry.toml").write_text(
        'version = 1\n[broken."shop.legacy"]\nuse_instead = "shop.gateway"\n')
    (repo / ".pre-commit-config.yaml").write_text(snippet)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({"PRE_COMMIT_HOME": str(tmp_path / "home"), "GIT_CONFIG_NOSYSTEM": "1",
                "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")})

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True,
                              check=False, timeout=300)

    assert run("git", "init", "-q").returncode == 0
    run("git", "add", "-A")
    failed = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "shop/checkout.py:1:25: SSOT101" in failed.stdout
    (repo / "shop" / "checkout.py").write_text("from shop.gateway import charge\n")
    run("git", "add", "-A")
    passed = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
