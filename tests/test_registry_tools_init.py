"""``registry init`` (bootstrap from code) and ``where`` (how do I import X?)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from ssot_lint.load.registry import load_registry
from ssot_lint.registry_tools.codebase import load_codebase
from ssot_lint.registry_tools.init import bootstrap
from ssot_lint.registry_tools.toml_writer import render
from tests.helpers import run_check, write_project
from tests.test_registry_schema import schema_errors

MONOREPO = {
    "netra_backend/__init__.py": "",
    "netra_backend/app/__init__.py": "",
    "netra_backend/app/agents/__init__.py": "from .registry import AgentRegistry\n",
    "netra_backend/app/agents/registry.py": (
        "class AgentRegistry: ...\n\n\ndef helper(): ...\n\n\ndef _private(): ...\n"),
    "netra_backend/app/compat/__init__.py": "from netra_backend.app.agents.registry import *\n",
    "netra_backend/app/public.py": ("from netra_backend.app.agents.registry import helper\n"
                                    "__all__ = ['helper']\n"),
    "netra_backend/app/api.py": ("from netra_backend.app.agents import AgentRegistry\n"
                                 "from shared.env import get_env\n"),
    "netra_backend/tests/test_api.py": "class TestApi: ...\n",
    "shared/__init__.py": "",
    "shared/env.py": "class Config: ...\n\n\ndef get_env(): ...\n",
    "shared/typing_only.py": ("from typing import TYPE_CHECKING\n"
                              "if TYPE_CHECKING:\n"
                              "    from netra_backend.app.agents import AgentRegistry\n"),
    "auth_service/__init__.py": "",
    "auth_service/config.py": "class Config: ...\n",
    "auth_service/main.py": ("from shared.env import get_env\n\n\ndef run():\n"
                             "    from shared.env import Config\n"),
}


@pytest.fixture()
def monorepo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for rel, text in MONOREPO.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_bootstrap_symbols_aliases_duplicates_and_services(monorepo: Path) -> None:
    draft, report = bootstrap(load_codebase(monorepo))
    assert draft.packages == ["auth_service", "netra_backend", "shared"]
    assert draft.source_roots == ["."]
    assert sorted(draft.symbols) == [
        "auth_service.main.run", "netra_backend.app.agents.registry.AgentRegistry",
        "netra_backend.app.agents.registry.helper", "shared.env.get_env"]
    assert draft.symbols["netra_backend.app.agents.registry.AgentRegistry"].aliases == [
        "netra_backend.app.agents.AgentRegistry", "netra_backend.app.compat.AgentRegistry"]
    # api.py imports AgentRegistry to use it: a consumer, not a re-export.
    assert draft.symbols["netra_backend.app.agents.registry.helper"].aliases == [
        "netra_backend.app.compat.helper", "netra_backend.app.public.helper"]
    assert report.duplicates == {"Config": [("auth_service.config", "auth_service/config.py", 1),
                                            ("shared.env", "shared/env.py", 1)]}
    assert {name: s.may_import for name, s in draft.services.items()} == {
        "auth_service": ["shared"], "netra_backend": ["shared"], "shared": ["netra_backend"]}
    assert draft.services["auth_service"].comments[1] == \
        "  auth_service -> shared: 2 imports (first: auth_service/main.py:1)"


def test_init_output_loads_validates_and_passes_boundaries_on_day_one(
        monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = monorepo / "ssot-registry.toml"
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["registry", "init", str(monorepo), "-o", str(out)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert "symbols: 4, aliases: 4, names defined in several modules: 1" in err
    text = out.read_text()
    assert schema_errors(text) == []
    assert "# Config: auth_service.config (auth_service/config.py:1), shared.env " \
           "(shared/env.py:1)" in text
    assert "under full independence (may_import = []) these would be violations:" in text
    registry = load_registry(out)
    assert registry.services["shared"].may_import == ("netra_backend",)
    findings = run_check(monorepo)
    assert not [f for f in findings if f.code.startswith("SSOT2")]
    # The registry's opinion shows at once: importing through a re-export is SSOT112.
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("netra_backend/app/api.py", 1, "SSOT112"), ("shared/typing_only.py", 3, "SSOT112")]


def test_src_layout_is_detected(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {"src/lib/core.py": "class Engine: ...\n"})
    draft, _ = bootstrap(load_codebase(root))
    assert (draft.source_roots, draft.packages) == (["src"], ["lib"])
    assert list(draft.symbols) == ["lib.core.Engine"]
    assert load_registry_text(tmp_path, render(draft)).source_roots == ("src",)


def load_registry_text(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "generated.toml"
    path.write_text(text)
    return load_registry(path)


# -- where --------------------------------------------------------------------------------

WHERE_REGISTRY = """
[symbols."app.agents.supervisor.agent_registry.AgentRegistry"]
aliases = ["app.agents.registry.AgentRegistry"]
verified = 2025-09-11

[broken."app.agents.agent_websocket_bridge"]
use_instead = "app.services.agent_websocket_bridge"
reason = "never existed"

[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.context.UserExecutionContext"
hint = "accept a UserExecutionContext instead"
"""


def where_cli(root: Path, query: str, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["where", query])
    return int(exc.value.code or 0), capsys.readouterr().out


@pytest.fixture()
def where_root(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", {"app/main.py": ""}, WHERE_REGISTRY)


def test_where_by_name_prints_the_canonical_line_and_aliases(
        where_root: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = where_cli(where_root, "AgentRegistry", capsys, monkeypatch)
    assert code == 0
    assert out.splitlines() == [
        "from app.agents.supervisor.agent_registry import AgentRegistry",
        "    canonical: app.agents.supervisor.agent_registry.AgentRegistry  "
        "(ssot-registry.toml:3)",
        "    verified: 2025-09-11",
        "    alias (works, but is not canonical: SSOT112): app.agents.registry.AgentRegistry"]


def test_where_by_alias_path_and_broken_path(where_root: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = where_cli(where_root, "app.agents.registry.AgentRegistry", capsys, monkeypatch)
    assert code == 0 and out.splitlines()[0] == \
        "from app.agents.supervisor.agent_registry import AgentRegistry"
    assert "is an alias of the canonical" in out
    code, out = where_cli(where_root, "app.agents.agent_websocket_bridge.create_bridge", capsys,
                          monkeypatch)
    assert code == 0 and out.splitlines() == [
        "BROKEN app.agents.agent_websocket_bridge: never existed  (ssot-registry.toml:7)",
        "    use instead: from app.services.agent_websocket_bridge import create_bridge"]
    code, out = where_cli(where_root, "DeepAgentState", capsys, monkeypatch)
    assert "DEPRECATED app.agents.state.DeepAgentState" in out
    assert "    hint: accept a UserExecutionContext instead" in out


def test_where_suggests_close_matches_for_a_typo(where_root: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = where_cli(where_root, "AgentRegistri", capsys, monkeypatch)
    assert code == 1
    assert out == "`AgentRegistri` is not in the registry.\nDid you mean: AgentRegistry?\n"
    code, out = where_cli(where_root, "app.agents.supervisor.agent_registri.AgentRegistry",
                          capsys, monkeypatch)
    assert code == 1 and "app.agents.supervisor.agent_registry.AgentRegistry" in out


def test_init_cli_package_and_source_root_options(monorepo: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["registry", "init", str(monorepo), "--package", "shared", "--source-root", "."])
    assert exc.value.code == 0
    captured = capsys.readouterr()
    registry = load_registry_text(monorepo, captured.out)
    assert registry.packages == ("shared",) and list(registry.services) == ["shared"]
    assert sorted(registry.symbols) == ["shared.env.Config", "shared.env.get_env"]
    assert "packages (1): shared; source roots: .; files: 14" in captured.err
