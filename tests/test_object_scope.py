"""Deprecation follows the object: an entry on a re-export reaches the defining module.

The shape is the first user's: ``DeepAgentState`` is defined in a schemas module and
re-exported by ``agents.state``, which is the path the registry deprecates; most code
imports it from where it is defined.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from ssot_lint.errors import SsotLintError
from ssot_lint.load.registry import load_registry
from tests.conftest import run_check, write_project

FILES = {
    "app/schemas/agent_models.py": "class DeepAgentState:\n    pass\n",
    "app/schemas/__init__.py": "from app.schemas.agent_models import *\n",
    "app/agents/state.py": "from app.schemas.agent_models import DeepAgentState\n",
    "app/services/context.py": "class UserExecutionContext: ...\n",
    "app/jobs/a.py": ("from app.schemas.agent_models import DeepAgentState\n\n"
                      "def run(state: DeepAgentState) -> DeepAgentState:\n"
                      "    return DeepAgentState()\n"),
    "app/jobs/b.py": ("from app.schemas import DeepAgentState as S\n\n"
                      "def check(x: object) -> bool:\n    return isinstance(x, S)\n"),
    "app/jobs/c.py": ("import app.schemas.agent_models as models\n\n"
                      "STATE = models.DeepAgentState()\n"),
    "app/jobs/d.py": "from app.agents.state import DeepAgentState\n",
}
ENTRY = """
[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.context.UserExecutionContext"
hint = "DeepAgentState shares state between users."
"""


def codes(root: Path, code: str) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in run_check(root) if f.code == code]


def test_every_path_to_the_definition_and_every_use_is_reported(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, ENTRY)
    findings = run_check(root)
    imports = [(f.path, f.line) for f in findings if f.code == "SSOT111"]
    # a.py (the defining module), b.py (another re-export), d.py (the entry's own path);
    # the shim app/agents/state.py itself is not reported.
    assert imports == [("app/jobs/a.py", 1), ("app/jobs/b.py", 1), ("app/jobs/d.py", 1)]
    uses = [(f.path, f.line, f.column) for f in findings if f.code == "SSOT301"]
    assert uses == [("app/jobs/a.py", 3, 16), ("app/jobs/a.py", 3, 35), ("app/jobs/a.py", 4, 12),
                    ("app/jobs/b.py", 4, 26), ("app/jobs/c.py", 3, 9)]
    # attributed to the entry (audit rows, fix planning, fingerprints)
    assert {f.symbol for f in findings if f.code in ("SSOT111", "SSOT301")} == {
        "app.agents.state.DeepAgentState"}
    first = next(f for f in findings if f.code == "SSOT111")
    assert first.message == (
        "`app.schemas.agent_models.DeepAgentState` (the object of "
        "`app.agents.state.DeepAgentState`) is deprecated: DeepAgentState shares state "
        "between users; use `app.services.context.UserExecutionContext` instead")
    assert first.fix is None  # a different name: `fix` will not rewrite it, so no fix offered


def test_same_object_at_a_better_path_deprecates_the_spelling_only(tmp_path: Path) -> None:
    registry = ('[deprecated."app.agents.state.DeepAgentState"]\n'
                'use_instead = "app.schemas.agent_models.DeepAgentState"\n')
    root = write_project(tmp_path / "p", FILES, registry)
    assert codes(root, "SSOT111") == [("app/jobs/d.py", 1)]
    assert codes(root, "SSOT301") == []


def test_scope_path_overrides_and_scope_object_can_be_forced(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, ENTRY + 'scope = "path"\n')
    assert codes(root, "SSOT111") == [("app/jobs/d.py", 1)]
    forced = ('[deprecated."app.agents.state.DeepAgentState"]\n'
              'use_instead = "app.schemas.agent_models.DeepAgentState"\nscope = "object"\n')
    root = write_project(tmp_path / "q", FILES, forced)
    assert codes(root, "SSOT111") == [("app/jobs/a.py", 1), ("app/jobs/b.py", 1),
                                      ("app/jobs/d.py", 1)]


def test_a_bad_scope_is_a_registry_error_naming_the_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, ENTRY + 'scope = "everything"\n')
    with pytest.raises(SsotLintError) as exc:
        load_registry(root / "ssot-registry.toml")
    assert "'everything' is not one of: object, path" in str(exc.value)
    assert ":6" in str(exc.value)  # the line of the scope key


def test_registry_verify_says_which_scope_applies(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path / "p", FILES, ENTRY)
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as exc:
        main(["registry", "verify"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert ('ssot-registry.toml:3: note: [deprecated] `app.agents.state.DeepAgentState` has '
            'scope "object" (use_instead `app.services.context.UserExecutionContext` is a '
            'different object): every import of `app.schemas.agent_models.DeepAgentState` '
            '(where it is defined) and every use through one is covered') in out
    root = write_project(tmp_path / "q", FILES, ENTRY + 'scope = "object"\n')
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit):
        main(["registry", "verify"])
    assert "note:" not in capsys.readouterr().out  # explicit: nothing to explain
