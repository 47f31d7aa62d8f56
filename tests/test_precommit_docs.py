"""The hook manifest and the README's pre-commit and CI snippets are valid as written.

pre-commit's own loaders validate the manifest and the config snippets; the CI
snippets must parse and must use only options ``ssot-lint check`` really has.
"""

from __future__ import annotations

import re
import shlex
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
