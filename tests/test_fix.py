"""``ssot-lint fix``: what it rewrites, what it refuses and why, on fixture projects."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ssot_lint.cli import cli
from tests.conftest import FIX_MODELS as MODELS
from tests.conftest import FIX_REGISTRY as REGISTRY
from tests.conftest import run_check, run_fix, write_project


def project(tmp_path: Path, main: str, registry: str = REGISTRY,
            extra: dict[str, str] | None = None) -> Path:
    return write_project(tmp_path / "proj", {**MODELS, **(extra or {}), "app/main.py": main},
                         registry)


def main_of(root: Path) -> str:
    return (root / "app" / "main.py").read_text()


def test_alias_import_becomes_canonical_keeping_as_name_and_comment(tmp_path: Path) -> None:
    root = project(tmp_path, "from app.agents.registry import AgentRegistry as R  # keep\n"
                             "print(R)\n")
    result = run_fix(root)
    assert main_of(root) == ("from app.agents.supervisor.agent_registry import AgentRegistry "
                             "as R  # keep\nprint(R)\n")
    assert [(f.path, f.line, f.code) for f in result.fixed] == [("app/main.py", 1, "SSOT112")]
    assert run_check(root) == []


def test_broken_module_entry_carries_the_name_along(tmp_path: Path) -> None:
    root = project(tmp_path, "from app.agents.bridge import create_bridge\n")
    run_fix(root)
    assert main_of(root) == "from app.services.bridge import create_bridge\n"


def test_split_when_only_one_name_moves(tmp_path: Path) -> None:
    root = project(tmp_path, "from app.agents.state import (  # state types\n"
                             "    DeepAgentState,\n    AgentPhase,\n)\n")
    result = run_fix(root)
    assert main_of(root) == ("from app.agents.state import (  # state types\n"
                             "    DeepAgentState,\n)\n"
                             "from app.services.context import AgentPhase\n")
    assert [f.code for f in result.fixed] == ["SSOT111"]
    assert [(f.code, why) for f, why in result.not_fixed] == [
        ("SSOT111", 'the registry entry says fix = "none": migrate by hand')]


def test_merge_into_an_existing_import(tmp_path: Path) -> None:
    root = project(tmp_path, "import os\n"
                             "from app.services.context import UserExecutionContext\n"
                             "from app.agents.state import AgentPhase, DeepAgentState\n\n"
                             "x = (os, UserExecutionContext, AgentPhase, DeepAgentState)\n")
    run_fix(root)
    assert main_of(root) == ("import os\n"
                             "from app.services.context import UserExecutionContext, AgentPhase\n"
                             "from app.agents.state import DeepAgentState\n\n"
                             "x = (os, UserExecutionContext, AgentPhase, DeepAgentState)\n")


def test_an_import_that_already_exists_is_not_duplicated(tmp_path: Path) -> None:
    root = project(tmp_path, "from app.agents.supervisor.agent_registry import AgentRegistry\n"
                             "from app.agents.registry import AgentRegistry\n"
                             "print(AgentRegistry)\n")
    run_fix(root)
    assert main_of(root) == ("from app.agents.supervisor.agent_registry import AgentRegistry\n"
                             "print(AgentRegistry)\n")


def test_relative_import_made_absolute_then_its_deprecation_fixed(tmp_path: Path) -> None:
    registry = REGISTRY + '[policy]\nrelative_imports = "forbid"\n'
    root = write_project(tmp_path / "proj", {
        **MODELS, "app/agents/worker.py": "from .state import AgentPhase\nfrom . import state\n"},
        registry)
    result = run_fix(root)
    assert (root / "app/agents/worker.py").read_text() == (
        "from app.services.context import AgentPhase\nfrom app.agents import state\n")
    assert sorted(f.code for f in result.fixed) == ["SSOT111", "SSOT121", "SSOT121"]
    assert run_fix(root).fixed == []  # idempotent: nothing left to do


def test_plain_module_import_with_as_is_rewritten_but_without_as_is_not(tmp_path: Path) -> None:
    root = project(tmp_path, "import app.agents.bridge as bridge\nimport app.agents.bridge\n")
    result = run_fix(root)
    assert main_of(root) == "import app.services.bridge as bridge\nimport app.agents.bridge\n"
    assert [(f.line, why) for f, why in result.not_fixed] == [
        (2, "`import app.agents.bridge` binds `app` and the code uses the dotted path; "
            "rewrite it by hand")]


def test_target_that_does_not_define_the_name_is_not_applied(tmp_path: Path) -> None:
    registry = ('[broken."app.core.tracker.Tracker"]\n'
                'use_instead = "app.services.bridge.Tracker"\n'
                '[broken."app.core.tracker.get_execution_tracker"]\n'
                'use_instead = "app.nowhere.get_execution_tracker"\n')
    source = "from app.core.tracker import Tracker, get_execution_tracker\n"
    root = project(tmp_path, source, registry)
    result = run_fix(root)
    assert main_of(root) == source
    assert result.fixed == [] and result.diffs == []
    assert sorted(why for _, why in result.not_fixed) == [
        "the replacement module `app.nowhere` does not exist",
        "the replacement module `app.services.bridge` does not define `Tracker`"]
    assert {f.code for f in result.remaining} == {"SSOT101"}


def test_different_name_needs_rename_mode_and_unsafe_flag(tmp_path: Path) -> None:
    source = ("from app.core.tracker import get_execution_tracker\n\n"
              "def run():\n    return get_execution_tracker()\n")
    root = project(tmp_path, source)
    result = run_fix(root)
    assert main_of(root) == source
    assert [f.code for f in result.needs_unsafe] == ["SSOT111"]
    result = run_fix(root, unsafe=True)
    assert main_of(root) == ("from app.core.agent_tracker import get_agent_state_tracker\n\n"
                             "def run():\n    return get_agent_state_tracker()\n")
    assert [f.code for f in result.fixed] == ["SSOT111"]


def test_rename_refused_when_a_local_name_shadows(tmp_path: Path) -> None:
    source = ("from app.core.tracker import get_execution_tracker\n\n"
              "def run(get_execution_tracker=None):\n    return get_execution_tracker\n")
    root = project(tmp_path, source)
    result = run_fix(root, unsafe=True)
    assert main_of(root) == source
    assert [why for _, why in result.not_fixed] == [
        "rename `get_execution_tracker` -> `get_agent_state_tracker` is unsafe: "
        "`get_execution_tracker` is bound more than once in the file (shadowing or "
        "reassignment)"]


def test_rename_refused_for_names_in_all(tmp_path: Path) -> None:
    source = ("from app.core.tracker import get_execution_tracker\n"
              "__all__ = ['get_execution_tracker']\n")
    root = project(tmp_path, source)
    result = run_fix(root, unsafe=True)
    assert main_of(root) == source
    assert [why for _, why in result.not_fixed] == [
        "rename `get_execution_tracker` -> `get_agent_state_tracker` is unsafe: "
        "`get_execution_tracker` is listed in `__all__`"]


def test_rename_refused_for_names_other_modules_import(tmp_path: Path) -> None:
    source = "from app.core.tracker import get_execution_tracker\n"
    root = project(tmp_path, source, extra={
        "app/user.py": "from app.main import get_execution_tracker\n"})
    result = run_fix(root, unsafe=True)
    assert main_of(root) == source
    assert [why for _, why in result.not_fixed] == [
        "rename `get_execution_tracker` -> `get_agent_state_tracker` is unsafe: "
        "`app/user.py` imports `get_execution_tracker` from this module"]


def test_rename_refused_when_new_name_is_taken(tmp_path: Path) -> None:
    source = ("from app.core.tracker import get_execution_tracker\n"
              "get_agent_state_tracker = 1\nprint(get_execution_tracker)\n")
    root = project(tmp_path, source)
    result = run_fix(root, unsafe=True)
    assert main_of(root) == source
    assert [why for _, why in result.not_fixed] == [
        "rename `get_execution_tracker` -> `get_agent_state_tracker` is unsafe: the new name "
        "`get_agent_state_tracker` is already used in the file"]


def test_rename_with_as_keeps_local_name(tmp_path: Path) -> None:
    root = project(tmp_path, "from app.core.tracker import get_execution_tracker as get\n"
                             "get()\n")
    run_fix(root, unsafe=True)
    assert main_of(root) == ("from app.core.agent_tracker import get_agent_state_tracker as "
                             "get\nget()\n")


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    source = ("from app.agents.registry import AgentRegistry  # ssot-lint: ignore[SSOT112]\n")
    root = project(tmp_path, source)
    assert run_fix(root).fixed == []
    assert main_of(root) == source


def test_diff_writes_nothing_and_cli_exit_codes(tmp_path: Path, monkeypatch: object) -> None:
    source = "from app.agents.registry import AgentRegistry\n"
    root = project(tmp_path, source)
    runner = CliRunner()
    result = runner.invoke(cli, ["fix", "--diff", str(root)], standalone_mode=False)
    assert result.exception is not None and getattr(result.exception, "code", None) == 1
    assert "-from app.agents.registry import AgentRegistry\n" in result.output
    assert "+from app.agents.supervisor.agent_registry import AgentRegistry\n" in result.output
    assert main_of(root) == source
    result = runner.invoke(cli, ["fix", str(root)], standalone_mode=False)
    assert result.exception is None, result.output
    assert "fixed SSOT112" in result.output and "0 findings remain" in result.output
    assert main_of(root) == "from app.agents.supervisor.agent_registry import AgentRegistry\n"


def test_check_diff_prints_the_safe_fixes_and_writes_nothing(tmp_path: Path) -> None:
    source = ("from app.agents.registry import AgentRegistry\n"
              "from app.core.tracker import get_execution_tracker\n")
    root = project(tmp_path, source)
    result = CliRunner().invoke(cli, ["check", "--diff", str(root)], standalone_mode=False)
    assert getattr(result.exception, "code", None) == 1
    diff = result.output
    assert diff.count("\n+from ") == 1  # the rename is unsafe: not in the diff
    assert "+from app.agents.supervisor.agent_registry import AgentRegistry\n" in diff
    assert main_of(root) == source


def test_select_limits_what_is_fixed(tmp_path: Path) -> None:
    registry = REGISTRY + '[policy]\nrelative_imports = "forbid"\n'
    root = write_project(tmp_path / "proj", {**MODELS, "app/agents/worker.py": (
        "from .registry import AgentRegistry\n")}, registry)
    result = run_fix(root, select=("SSOT121",))
    assert (root / "app/agents/worker.py").read_text() == \
        "from app.agents.registry import AgentRegistry\n"
    assert [f.code for f in result.fixed] == ["SSOT121"]


def test_rename_reaches_nested_scopes_but_not_attributes_or_strings(tmp_path: Path) -> None:
    source = ("from app.core.tracker import get_execution_tracker\n\n"
              "class Service:\n"
              "    factory = get_execution_tracker\n\n"
              "    def run(self, other):\n"
              "        inner = lambda: get_execution_tracker()\n"
              "        return other.get_execution_tracker, inner, 'get_execution_tracker'\n")
    root = project(tmp_path, source)
    result = run_fix(root, unsafe=True)
    assert [f.code for f in result.fixed] == ["SSOT111"]
    assert main_of(root) == (
        "from app.core.agent_tracker import get_agent_state_tracker\n\n"
        "class Service:\n"
        "    factory = get_agent_state_tracker\n\n"
        "    def run(self, other):\n"
        "        inner = lambda: get_agent_state_tracker()\n"
        "        return other.get_execution_tracker, inner, 'get_execution_tracker'\n")
