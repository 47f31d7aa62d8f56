"""Usage rules (SSOT104, SSOT122, SSOT301-303, SSOT401) on fixture projects, and their facts."""

from __future__ import annotations

from pathlib import Path

from ssot_lint.cache.codec import decode_facts, encode_facts
from ssot_lint.facts.extract import extract_facts
from tests.conftest import run_check, write_project

MODELS = {
    "app/agents/__init__.py": "from app.agents.state import DeepAgentState\n",
    "app/agents/state.py": "class DeepAgentState:\n    def to_dict(self): ...\n",
    "app/agents/supervisor/agent_registry.py": "class AgentRegistry: ...\n",
    "app/agents/registry.py": "from app.agents.supervisor.agent_registry import AgentRegistry\n",
}
DEPRECATED = """
[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.context.UserExecutionContext"
hint = "DeepAgentState shares state between users."
"""


def found(root: Path, code: str, path: str = "app/main.py") -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in run_check(root) if f.code == code and f.path == path]


def test_each_reference_is_one_finding_with_hint_and_replacement(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {**MODELS, "app/main.py": (
        "from app.agents.state import DeepAgentState\n"
        "def f(s: DeepAgentState) -> DeepAgentState:\n"
        "    return s.to_dict() or DeepAgentState.to_dict(s)\n")}, DEPRECATED)
    findings = [f for f in run_check(root) if f.code == "SSOT301"]
    assert [(f.line, f.column) for f in findings] == [(2, 10), (2, 29), (3, 27)]
    assert findings[0].message == (
        "use of deprecated `app.agents.state.DeepAgentState` in a type annotation: "
        "DeepAgentState shares state between users; use "
        "`app.services.context.UserExecutionContext` instead")
    assert findings[2].symbol == "app.agents.state.DeepAgentState.to_dict"


def test_shadowing_in_nested_scopes_and_globals(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {**MODELS, "app/main.py": (
        "from app.agents.state import DeepAgentState\n"
        "def outer():\n"
        "    DeepAgentState = dict\n"
        "    def inner():\n"
        "        return DeepAgentState()\n"  # the local of outer: not reported
        "    return inner\n"
        "def uses_global():\n"
        "    global DeepAgentState\n"
        "    return DeepAgentState\n"  # the module's import: reported
        "lam = lambda DeepAgentState: DeepAgentState\n"
        "rows = [DeepAgentState for DeepAgentState in range(2)]\n")}, DEPRECATED)
    assert found(root, "SSOT301") == [(9, 12)]


def test_uses_through_a_tolerated_import_are_tolerated(tmp_path: Path) -> None:
    registry = DEPRECATED + 'allow_in = ["type_checking", "function"]\n'
    root = write_project(tmp_path / "p", {**MODELS, "app/main.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from app.agents.state import DeepAgentState\n"
        "def f(s: 'DeepAgentState') -> None:\n"
        "    from app.agents import DeepAgentState as D\n"
        "    return D()\n"), "app/other.py": (
        "from app.agents.state import DeepAgentState\n"
        "def g(s: DeepAgentState) -> None: ...\n")}, registry)
    assert found(root, "SSOT301") == []
    assert found(root, "SSOT301", "app/other.py") == [(2, 10)]


def test_marker_defers_to_a_registry_entry(tmp_path: Path) -> None:
    files = {"app/old.py": "from typing_extensions import deprecated\n"
                           "@deprecated('use new()')\ndef old(): ...\n",
             "app/main.py": "from app.old import old\nold()\n"}
    root = write_project(tmp_path / "p", files)
    findings = [f for f in run_check(root) if f.path == "app/main.py"]
    assert [(f.line, f.code) for f in findings] == [(1, "SSOT303"), (2, "SSOT303")]
    assert findings[0].message == "`app.old.old` is marked deprecated: use new()"
    root = write_project(tmp_path / "q", files, '[deprecated."app.old.old"]\nhint = "x"\n')
    codes = sorted(f.code for f in run_check(root) if f.path == "app/main.py")
    assert codes == ["SSOT111", "SSOT301"]


def test_duplicate_definitions_honour_aliases_and_exclusions(tmp_path: Path) -> None:
    files = {**MODELS,
             "app/agents/registry.py": "class AgentRegistry: ...\n",  # listed as an alias
             "app/agents/supervisor/agent_registry.pyi": "class AgentRegistry: ...\n",
             "app/legacy/registry.py": "def AgentRegistry(): ...\n",
             "tests/fakes.py": "class AgentRegistry: ...\n",
             "app/main.py": "from app.agents.registry import AgentRegistry\n"}
    registry = ('[symbols."app.agents.supervisor.agent_registry.AgentRegistry"]\n'
                'aliases = ["app.agents.registry.AgentRegistry"]\n')
    root = write_project(tmp_path / "p", files, registry)
    dupes = sorted(f.path for f in run_check(root) if f.code == "SSOT401")
    assert dupes == ["app/legacy/registry.py", "tests/fakes.py"]
    root = write_project(tmp_path / "q", files,
                         registry + '[policy]\nduplicate_exclude = ["tests/**"]\n')
    assert sorted(f.path for f in run_check(root) if f.code == "SSOT401") == [
        "app/legacy/registry.py"]


def test_patch_targets_follow_bases_and_stop_at_unknown_ones(tmp_path: Path) -> None:
    files = {
        "app/models.py": ("from app.base import Base\nimport enum\n"
                          "class Model(Base):\n    name = 'x'\n"
                          "class Color(enum.Enum):\n    RED = 1\n"
                          "class Plain:\n    def run(self): ...\n"
                          "def helper(): ...\n"),
        "app/base.py": "class Base:\n    def save(self): ...\n",
        "app/main.py": ("from unittest.mock import patch\n"
                        "patch('app.models.Model.save')\n"      # inherited: fine
                        "patch('app.models.Color.BLUE')\n"      # unknown base: not judged
                        "patch('app.models.helper.cache')\n"    # attribute of a function
                        "patch('app.models.Plain.run.x')\n"     # too deep to judge
                        "patch('app.models.Model.delete')\n"    # missing, bases all seen
                        "patch('app.models.nothing')\n"
                        "patch('app.nothing.at.all')\n"),
    }
    root = write_project(tmp_path / "p", files)
    findings = [f for f in run_check(root) if f.code == "SSOT104"]
    assert [(f.line, f.message) for f in findings] == [
        (6, "patch target `app.models.Model.delete` does not resolve: class "
            "`app.models.Model` has no attribute `delete`"),
        (7, "patch target `app.models.nothing` does not resolve: `app.models` has no "
            "attribute `nothing`"),
        (8, "patch target `app.nothing.at.all` does not resolve: `app.nothing` does not "
            "exist")]


def test_reference_facts_round_trip_through_json() -> None:
    facts = extract_facts(b"import app.x as m\nfrom .y import Z\n"
                          b"class C(Z):\n    def f(self, a: 'Z') -> None:\n"
                          b"        self.k = m.call(1, *a, key=2)\n", (3, 12))
    assert facts.references and facts.classes
    again = decode_facts(encode_facts(facts))
    assert again == facts
    call = [r for r in facts.references if r.context == "call"][0]
    assert (call.target, call.positional, call.keywords, call.star) == (
        "app.x.call", 1, ("key",), True)
    assert facts.classes[0].members == ("f", "k")
