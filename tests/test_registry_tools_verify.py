"""``registry verify`` / SSOT902: every way a registry entry can go stale, on one project."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from tests.conftest import run_check, write_project

FILES = {
    "app/agents/__init__.py": "from app.agents.registry import make\n",
    "app/agents/registry.py": "class AgentRegistry: ...\n\n\ndef make(): ...\n",
    "app/agents/compat.py": "from app.agents.registry import AgentRegistry\n",
    "app/agents/other.py": "class AgentRegistry: ...\n",
    "app/legacy.py": "def old(): ...\n\n\ndef older(): ...\n",
    "app/dynamic.py": "def __getattr__(name): ...\n",
    "app/main.py": "from app.agents.registry import AgentRegistry\n",
}

STALE = """
[symbols."app.agents.missing.Thing"]

[symbols."app.agents.make"]

[symbols."app.agents.compat"]

[symbols."app.agents.registry.AgentRegistry"]
aliases = ["app.agents.compat.AgentRegistry", "app.agents.other.AgentRegistry",
           "app.agents.nowhere.AgentRegistry"]

[broken."app.old_module"]
use_instead = "app.new_module"

[broken."app.legacy.old"]

[deprecated."app.gone.Thing"]
use_instead = "app.agents.registry.AgentRegistry"

[deprecated."app.legacy.older"]
use_instead = "app.agents.registry.nothing"

[services.app]
packages = ["app"]

[services.billing]
packages = ["billing"]

[[layers]]
name = "app layers"
order = ["app.agents", "app.nothere"]
"""

UNDECIDABLE = """
[broken."requests.sessions.Session"]

[symbols."app.dynamic.Anything"]

[broken."app.agents.registry.AgentRegistry.method"]

[broken."app.agents.registry.NotThere"]
use_instead = "app.agents.registry.AgentRegistry"
"""


def line_of(registry: str, header: str) -> int:
    """The line of ``header`` in the registry file (which starts with ``version = 1``)."""
    return ("version = 1\n" + registry).splitlines().index(header) + 1


def test_every_stale_case_is_reported_at_its_entry(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, STALE)
    found = [(f.path, f.line, f.code, f.message) for f in run_check(root, verify_registry=True)
             if f.code == "SSOT902"]
    at = lambda header: line_of(STALE, header)  # noqa: E731
    assert found == sorted([
        ("ssot-registry.toml", at('[symbols."app.agents.missing.Thing"]'), "SSOT902",
         "canonical path `app.agents.missing.Thing` does not resolve: no module "
         "`app.agents.missing`"),
        ("ssot-registry.toml", at('[symbols."app.agents.make"]'), "SSOT902",
         "canonical path `app.agents.make` is a re-export, not a definition; it is defined in "
         "`app.agents.registry.make`"),
        ("ssot-registry.toml", at('[symbols."app.agents.compat"]'), "SSOT902",
         "canonical path `app.agents.compat` is a module, not a definition"),
        ("ssot-registry.toml", at('[symbols."app.agents.registry.AgentRegistry"]'), "SSOT902",
         "alias `app.agents.other.AgentRegistry` resolves to `app.agents.other.AgentRegistry`, "
         "not to `app.agents.registry.AgentRegistry`"),
        ("ssot-registry.toml", at('[symbols."app.agents.registry.AgentRegistry"]'), "SSOT902",
         "alias `app.agents.nowhere.AgentRegistry` of `app.agents.registry.AgentRegistry` does "
         "not resolve: no module `app.agents.nowhere`"),
        ("ssot-registry.toml", at('[broken."app.old_module"]'), "SSOT902",
         "use_instead `app.new_module` of [broken] `app.old_module` does not resolve: "
         "`app` has no `new_module`"),
        ("ssot-registry.toml", at('[broken."app.legacy.old"]'), "SSOT902",
         "[broken] `app.legacy.old` is no longer broken: it resolves now; remove the entry or "
         "move it to [deprecated]"),
        ("ssot-registry.toml", at('[deprecated."app.gone.Thing"]'), "SSOT902",
         "[deprecated] `app.gone.Thing` no longer exists: no module `app.gone`"),
        ("ssot-registry.toml", at('[deprecated."app.legacy.older"]'), "SSOT902",
         "use_instead `app.agents.registry.nothing` of [deprecated] `app.legacy.older` does not "
         "resolve: `app.agents.registry` has no `nothing`"),
        ("ssot-registry.toml", at("[services.billing]"), "SSOT902",
         "service `billing`: package `billing` does not exist"),
        ("ssot-registry.toml", at("[[layers]]"), "SSOT902",
         "layer stack `app layers`: module `app.nothere` does not exist"),
    ], key=lambda t: (t[0], t[1], 1, t[2], t[3]))


def test_entries_that_cannot_be_decided_statically_are_not_reported(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, UNDECIDABLE)
    assert [f for f in run_check(root, verify_registry=True) if f.code == "SSOT902"] == []


def test_check_runs_verification_only_when_asked(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", FILES, STALE)
    assert not [f for f in run_check(root) if f.code == "SSOT902"]
    assert not [f for f in run_check(root, verify_registry=True, ignore=("SSOT902",))
                if f.code == "SSOT902"]
    (root / "pyproject.toml").write_text("[tool.ssot-lint]\nverify_registry = true\n")
    assert len([f for f in run_check(root) if f.code == "SSOT902"]) == 11


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_verify_command_exit_codes_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    stale = write_project(tmp_path / "stale", FILES, STALE)
    monkeypatch.chdir(stale)
    code, out, _ = run_cli(["registry", "verify"], capsys)
    assert code == 1
    line = line_of(STALE, '[broken."app.legacy.old"]')
    assert f"ssot-registry.toml:{line}:1: SSOT902 [broken] `app.legacy.old` is no longer " \
           "broken: it resolves now; remove the entry or move it to [deprecated]" in out
    assert out.endswith("Registry ssot-registry.toml: 11 entries, 11 stale.\n")
    code, out, _ = run_cli(["check", "--verify-registry", "--select", "SSOT9"], capsys)
    assert code == 1 and out.count("SSOT902") == 11
    clean = write_project(tmp_path / "clean", FILES, UNDECIDABLE)
    monkeypatch.chdir(clean)
    code, out, _ = run_cli(["registry", "verify"], capsys)
    assert (code, out) == (0, "Registry ssot-registry.toml: 4 entries, all verified.\n")


def test_verify_reports_registry_errors_with_exit_2(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "bad", FILES, '[symbols."app.x.Y"]\nalias = []\n')
    code, _, err = run_cli(["registry", "verify", str(root)], capsys)
    assert code == 2 and "unknown key 'alias'" in err and "ssot-registry.toml:3" in err


def test_verify_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    root = write_project(tmp_path / "stale", FILES, STALE)
    code, out, _ = run_cli(["registry", "verify", str(root), "--format", "json"], capsys)
    document = json.loads(out)
    assert code == 1 and document["summary"]["by_code"] == {"SSOT902": 11}
    assert {f["rule"] for f in document["findings"]} == {"stale-registry-entry"}
