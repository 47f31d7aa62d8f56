"""``registry init`` (bootstrap from code) and ``where`` (how do I import X?)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.cli import main
from ssot_lint.load.registry import load_registry
from ssot_lint.registry_tools.codebase import load_codebase
from ssot_lint.registry_tools.init import bootstrap
from ssot_lint.registry_tools.toml_writer import render
from tests.conftest import run_check, schema_errors, write_project

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
    draft, report = bootstrap(load_codebase(monorepo), canonical="defining")
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
    # one module spells AgentRegistry by its defining module; two use the re-export
    (monorepo / "netra_backend/app/worker.py").write_text(
        "from netra_backend.app.agents.registry import AgentRegistry\n")
    out = monorepo / "ssot-registry.toml"
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["registry", "init", str(monorepo), "-o", str(out)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert "symbols: 4, aliases: 4, names defined in several modules: 1, services: 3, " \
           "cross-service edges: 3" in err
    assert "canonical: most-used; 2 symbols canonical at a re-export rather than the " \
           "defining module" in err
    text = out.read_text()
    assert schema_errors(text) == []
    assert "# Config: auth_service.config (auth_service/config.py:1), shared.env " \
           "(shared/env.py:1)" in text
    assert "# --- 1 public name defined in more than one module" in text
    assert "under full independence (may_import = []) these would be violations:" in text
    assert ('[symbols."netra_backend.app.agents.AgentRegistry"]\n'
            "# most-used: imported as written here 2 times of 3\n") in text
    registry = load_registry(out)
    assert registry.services["shared"].may_import == ("netra_backend",)
    assert registry.symbols["netra_backend.app.agents.AgentRegistry"].aliases == (
        "netra_backend.app.agents.registry.AgentRegistry",
        "netra_backend.app.compat.AgentRegistry")
    findings = run_check(monorepo)
    assert not [f for f in findings if f.code.startswith("SSOT2")]
    # Only the minority spelling is SSOT112 on day one.
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("netra_backend/app/worker.py", 1, "SSOT112")]


@pytest.mark.parametrize(("policy", "canonical"), [
    ("most-used", "netra_backend.app.agents.AgentRegistry"),
    ("public", "netra_backend.app.agents.AgentRegistry"),
    ("defining", "netra_backend.app.agents.registry.AgentRegistry"),
])
def test_canonical_policies(monorepo: Path, policy: str, canonical: str) -> None:
    draft, report = bootstrap(load_codebase(monorepo), canonical=policy)
    assert canonical in draft.symbols
    # nobody imports `helper`: a tie, which goes to the shallowest public path (the
    # star re-export in compat/__init__ and public.__all__ are as deep: by name)
    assert report.not_defining == {"defining": 0, "most-used": 2, "public": 2}[policy]
    helper = {"defining": "netra_backend.app.agents.registry.helper"}.get(
        policy, "netra_backend.app.compat.helper")
    assert helper in draft.symbols


def test_most_used_ties_go_to_the_shallowest_public_path(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "lib/__init__.py": "from lib.core.engine import Engine\n",
        "lib/core/__init__.py": "from lib.core.engine import Engine\n",
        "lib/core/engine.py": "class Engine: ...\n\n\ndef start(): ...\n",
        "lib/cli.py": "from lib.core.engine import start\n",
    })
    draft, _ = bootstrap(load_codebase(root))
    # Engine: nobody imports it (re-exports are not uses): a tie, so the shallowest
    # public path wins
    assert draft.symbols["lib.Engine"].aliases == ["lib.core.Engine", "lib.core.engine.Engine"]
    # start is imported by its defining path only: most used wins
    assert "lib.core.engine.start" in draft.symbols


def test_services_depth_makes_subpackages_services(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "lib/__init__.py": "",
        "lib/top.py": "from lib.models.bert import Bert\n",
        "lib/models/bert.py": "from lib.utils.io import read\n\n\nclass Bert: ...\n",
        "lib/utils/io.py": "def read(): ...\n",
        "lib/tests/test_io.py": "from lib.utils.io import read\n",
    })
    draft, report = bootstrap(load_codebase(root), services_depth=2)
    assert {name: (s.packages, s.may_import) for name, s in draft.services.items()} == {
        "lib": (["lib"], ["lib.models", "lib.utils"]),  # lib.tests is in `lib`
        "lib.models": (["lib.models"], ["lib.utils"]),
        "lib.utils": (["lib.utils"], []),
    }
    text = render(draft)
    assert '[services."lib.models"]' in text
    registry = load_registry_text(tmp_path, text)
    assert registry.services["lib.models"].may_import == ("lib.utils",)


PLACEHOLDERS = {
    "lib/__init__.py": "",
    "lib/models/bert.py": "class BertModel:\n    def forward(self):\n        return 1\n",
    "lib/models/gpt.py": "def generate():\n    return 2\n",
    "lib/utils/dummy_pt_objects.py": (
        "from lib.utils.import_utils import DummyObject, requires_backends\n\n\n"
        "class BertModel(metaclass=DummyObject):\n    _backends = ['torch']\n\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        requires_backends(self, ['torch'])\n\n\n"
        "def generate(*args, **kwargs):\n    requires_backends(generate, ['torch'])\n"),
    "lib/utils/dummy_tf_objects.py": (
        "from lib.utils.import_utils import requires_backends\n\n\n"
        "class BertModel:\n    def __init__(self, *args, **kwargs):\n"
        "        raise ImportError('install tensorflow')\n"),
    "lib/models/base.py": "class Processor:\n    def __call__(self):\n"
                          "        raise NotImplementedError\n",
    "lib/models/other_base.py": ("from lib.utils.import_utils import requires_backends\n\n\n"
                                 "class Processor:\n    def __call__(self):\n"
                                 "        raise NotImplementedError\n"),
    "lib/utils/import_utils.py": ("class DummyObject(type): ...\n\n\n"
                                  "def requires_backends(obj, backends): ...\n"),
    "lib/compat.py": ("try:\n    from yaml import Loader\nexcept ImportError:\n"
                      "    class Loader:\n        pass\n"),
    "lib/loaders.py": "class Loader:\n    def load(self):\n        return 3\n",
}


def test_placeholders_do_not_make_names_duplicates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "p", PLACEHOLDERS)
    draft, report = bootstrap(load_codebase(root))
    assert {"lib.models.bert.BertModel", "lib.models.gpt.generate",
            "lib.loaders.Loader"} <= set(draft.symbols)
    # abstract methods (raise NotImplementedError) are not placeholders
    assert list(report.duplicates) == ["Processor"]
    assert report.placeholders == {"lib/compat.py": 1, "lib/utils/dummy_pt_objects.py": 2,
                                   "lib/utils/dummy_tf_objects.py": 1}
    kept, kept_report = bootstrap(load_codebase(root), placeholders=False)
    assert "lib.models.bert.BertModel" not in kept.symbols
    assert sorted(kept_report.duplicates) == ["BertModel", "Loader", "Processor", "generate"]
    # the placeholder files are no SSOT401 duplicates of the registered real classes
    text = render(draft)
    assert ('[policy]\n# files with placeholder definitions (see the end): not duplicates of '
            'the real ones\nduplicate_exclude = [\n    "lib/compat.py",\n') in text
    (root / "ssot-registry.toml").write_text(text)
    assert [f for f in run_check(root) if f.code == "SSOT401"] == []
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["registry", "init", str(root)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert ("placeholders: 4 definitions in 3 files (lib/compat.py, "
            "lib/utils/dummy_pt_objects.py, lib/utils/dummy_tf_objects.py) only raise or are "
            "defined under `except ImportError`: not counted as definitions "
            "(--keep-placeholders counts them)") in err


def test_init_exclude_leaves_files_out_of_init_but_not_out_of_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(PLACEHOLDERS)
    files["lib/utils/dummy_tf_objects.py"] = "class BertModel:\n    x = 1\n"  # not detected
    root = write_project(tmp_path / "p", files)
    _, report = bootstrap(load_codebase(root))
    assert "BertModel" in report.duplicates
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["registry", "init", str(root), "--exclude", "**/dummy_*.py", "-o",
              str(root / "ssot-registry.toml"), "--force"])
    assert exc.value.code == 0
    assert "excluded from init (still checked): 2 files" in capsys.readouterr().err
    registry = load_registry(root / "ssot-registry.toml")
    assert "lib.models.bert.BertModel" in registry.symbols
    (root / "lib/utils/dummy_tf_objects.py").write_text("from lib.models.bert import Bertt\n")
    assert [(f.path, f.code) for f in run_check(root, select=("SSOT1",))] == [
        ("lib/utils/dummy_tf_objects.py", "SSOT103")]


def test_group_comments_sit_above_each_package_group(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "lib/__init__.py": "",
        "lib/a/core.py": "class A: ...\n",
        "lib/b/core.py": "class B: ...\n",
    })
    text = render(bootstrap(load_codebase(root))[0])
    assert ('# --- lib.a ---\n\n[symbols."lib.a.core.A"]\n\n# --- lib.b ---\n\n'
            '[symbols."lib.b.core.B"]\n') in text


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


def test_registry_where_is_the_same_command(where_root: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, expected = where_cli(where_root, "AgentRegistry", capsys, monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["registry", "where", "AgentRegistry"])
    assert exc.value.code == 0 and capsys.readouterr().out == expected
    with pytest.raises(SystemExit) as exc:
        main(["registry", "where", "AgentRegistri"])
    assert exc.value.code == 1


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


def test_an_init_importing_a_helper_for_itself_does_not_re_export_it(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "lib/__init__.py": "",
        "lib/log.py": "def get_logger(): ...\n",
        "lib/models/__init__.py": ("from lib.log import get_logger\n"
                                   "from lib.models.bert import Bert\n"
                                   "logger = get_logger()\n"),
        "lib/models/bert.py": "class Bert: ...\n",
        "lib/api/__init__.py": "from lib.log import get_logger as get_logger\n",
    })
    draft, _ = bootstrap(load_codebase(root))
    # lifted from its own submodule: a re-export; a helper from elsewhere: not one,
    # unless written `import X as X` (the explicit re-export form)
    assert draft.symbols["lib.models.Bert"].aliases == ["lib.models.bert.Bert"]
    # (models/__init__ uses lib.log.get_logger once: the most used spelling)
    assert draft.symbols["lib.log.get_logger"].aliases == ["lib.api.get_logger"]
    text = render(draft)
    assert "lib.models.get_logger" not in text
