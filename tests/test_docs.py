"""The documentation is complete and current: generated parts, links, options, config keys.

``README.md`` and ``docs/`` are what a newcomer reads; these tests fail when a generated
part drifts from the code (``python dev/gen_docs.py`` repairs it), when a relative link
points nowhere, or when a command-line option or configuration key is not documented.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest
from click.testing import CliRunner

from ssot_lint.cli import cli
from ssot_lint.load.config import CONFIG_KEYS
from ssot_lint.report.rules_table import END, START, replace_table, rules_table
from ssot_lint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "dev" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_docs"] = module
    spec.loader.exec_module(module)
    return module


def _all_docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def test_generated_docs_are_current() -> None:
    gen = _gen_docs()
    drift = [str(path.relative_to(REPO)) for path, text in gen.generated().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert drift == [], "out of date; run `python dev/gen_docs.py`"
    assert gen.stale_pages() == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_page_shows_exactly_what_the_rule_command_prints(rule: type) -> None:
    page = (REPO / "docs" / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
    printed = CliRunner().invoke(cli, ["rule", rule.code]).output
    block = page.split("```text\n", 1)[1].rsplit("```\n", 1)[0]
    assert block == printed
    assert f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.slug} | {rule.severity} |" \
        in (REPO / "README.md").read_text(encoding="utf-8")


def test_drift_is_detected_and_repaired(tmp_path: Path) -> None:
    gen = _gen_docs()
    (tmp_path / "docs" / "rules").mkdir(parents=True)
    (tmp_path / "README.md").write_text(f"# x\n\n{START}\n| stale |\n{END}\n", encoding="utf-8")
    (tmp_path / "docs" / "rules" / "SSOT000.md").write_text("gone", encoding="utf-8")
    files = gen.generated(tmp_path)
    assert files[tmp_path / "README.md"] == f"# x\n\n{START}\n{rules_table()}{END}\n"
    assert gen.stale_pages(tmp_path) == [tmp_path / "docs" / "rules" / "SSOT000.md"]
    with pytest.raises(ValueError, match="no"):
        replace_table("no markers here", rules_table())


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors of a Markdown file (code blocks excluded)."""
    anchors: set[str] = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def test_every_relative_link_resolves() -> None:
    broken = []
    for doc in DOCS:
        text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            dest = (doc.parent / file_part).resolve() if file_part else doc
            if not dest.exists():
                broken.append(f"{doc.relative_to(REPO)}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
                broken.append(f"{doc.relative_to(REPO)}: {target} (no such heading)")
    assert broken == []


def _options(command: click.Command, prefix: str = "") -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    name = f"{prefix} {command.name}".strip()
    for param in command.params:
        if isinstance(param, click.Option):
            found |= {(name, opt) for opt in param.opts if opt.startswith("--")}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= _options(sub, name)
    return found


def test_every_command_and_option_is_documented() -> None:
    text = _all_docs_text()
    missing = sorted(f"{command}: {option}" for command, option in _options(cli)
                     if option not in ("--help", "--version") and f"`{option}" not in text)
    assert missing == []
    commands = {f"ssot-lint {name}" for name in cli.commands}
    assert sorted(c for c in commands if f"`{c}" not in text) == []


def test_every_configuration_key_is_documented() -> None:
    configuration = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert sorted(key for key in CONFIG_KEYS if f"`{key}`" not in configuration) == []


def test_readme_stays_short() -> None:
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 200


def test_readme_demo_output_is_what_the_demo_prints() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    printed = CliRunner().invoke(cli, ["check", "--no-cache", str(REPO / "examples" / "demo")])
    lines = [line.replace(str(REPO) + "/", "") for line in printed.output.splitlines()]
    assert shown and all(line in lines for line in shown), shown
