"""Static resolution: which first-party modules and names exist.

Projects are real trees in ``tmp_path``; nothing is imported. Module existence
follows the import system's precedence, and name lookups follow re-exports,
submodules, star imports (transitively, honouring ``__all__``) and ``__getattr__``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.api import build_project
from ssot_lint.discover import SourceFile
from ssot_lint.facts.extract import extract_facts
from ssot_lint.load.config import load_config
from ssot_lint.model.facts import FileInterface, ImportFact
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project
from tests.conftest import run_check, write_project


def project(root: Path, files: dict[str, str | bytes], registry: str = "") -> Project:
    write_project(root, files, registry)
    return build_project(load_config(root))


def unresolved(root: Path) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.code, f.message) for f in run_check(root)
            if f.code in ("SSOT102", "SSOT103")]


# -- module index ---------------------------------------------------------------------

def test_package_beats_module_file(tmp_path: Path) -> None:
    proj = project(tmp_path, {"app/__init__.py": "", "app/core/__init__.py": "",
                              "app/core.py": ""})
    assert proj.index.kind("app.core") == "package"
    assert [f.rel for f in proj.index.files("app.core")] == ["app/core/__init__.py"]


def test_module_file_beats_namespace_dir_and_has_no_submodules(tmp_path: Path) -> None:
    proj = project(tmp_path, {"app/__init__.py": "", "app/util.py": "",
                              "app/util/.namespace": "", "app/util/extra.py": ""})
    assert proj.index.kind("app.util") == "module"
    assert proj.index.kind("app.util.extra") is None
    assert not proj.index.exists("app.util.extra")
    assert proj.index.first_missing("app.util.extra.deep") == "app.util.extra"


def test_namespace_package_and_its_modules(tmp_path: Path) -> None:
    proj = project(tmp_path, {"ns/.namespace": "", "ns/mod.py": "X = 1\n"})
    assert proj.index.kind("ns") == "namespace"
    assert proj.index.kind("ns.mod") == "module"
    assert proj.index.files("ns") == []
    assert unresolved(write_project(tmp_path, {"main.py": "from ns import mod\n"
                                                          "from ns.mod import X\n"})) == []


def test_stub_files_come_after_sources(tmp_path: Path) -> None:
    proj = project(tmp_path, {"app/__init__.py": "", "app/typed.pyi": "X: int\n",
                              "app/typed.py": "X = 1\n"})
    assert [f.rel for f in proj.index.files("app.typed")] == ["app/typed.py", "app/typed.pyi"]


def test_src_layout_via_source_roots(tmp_path: Path) -> None:
    registry = '[project]\nsource_roots = ["src"]\n'
    proj = project(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/core.py": "class A: ...\n",
                              "tools/run.py": "from pkg.core import A\nfrom pkg.core import B\n"},
                   registry)
    modules = {f.rel: f.module for f in proj.files}
    assert modules["src/pkg/core.py"] == "pkg.core"
    assert modules["tools/run.py"] is None  # not under a source root
    assert proj.first_party == frozenset({"pkg"})
    found = unresolved(tmp_path)
    assert [(p, line, code) for p, line, code, _ in found] == [("tools/run.py", 2, "SSOT103")]


def test_nested_source_roots_prefer_the_deepest(tmp_path: Path) -> None:
    registry = '[project]\nsource_roots = [".", "libs/core/src"]\n'
    proj = project(tmp_path, {"libs/core/src/corelib/__init__.py": "", "app/__init__.py": ""},
                   registry)
    modules = {f.rel: f.module for f in proj.files}
    assert modules["libs/core/src/corelib/__init__.py"] == "corelib"


def test_packages_are_auto_detected_when_not_declared(tmp_path: Path) -> None:
    proj = project(tmp_path, {"alpha/__init__.py": "", "beta.py": "", "my-scripts/x.py": ""})
    assert proj.first_party == frozenset({"alpha", "beta"})


# -- relative imports -------------------------------------------------------------------

def _fact(level: int, module: str = "", name: str = "x") -> ImportFact:
    return ImportFact(kind="from", module=module, name=name, asname=None, level=level, line=1,
                      col=1, end_line=1, end_col=1, stmt_line=1)


def test_relative_imports_resolve_against_the_files_package() -> None:
    mod = SourceFile(Path("/p/pkg/sub/mod.py"), "pkg/sub/mod.py", "pkg.sub.mod", False)
    init = SourceFile(Path("/p/pkg/sub/__init__.py"), "pkg/sub/__init__.py", "pkg.sub", True)
    top = SourceFile(Path("/p/top.py"), "top.py", "top", False)
    assert absolute_module(_fact(1), mod) == "pkg.sub"
    assert absolute_module(_fact(1, "other"), mod) == "pkg.sub.other"
    assert absolute_module(_fact(2, "x.y"), mod) == "pkg.x.y"
    assert absolute_module(_fact(3), mod) is None  # above the top-level package
    assert absolute_module(_fact(1, "child"), init) == "pkg.sub.child"
    assert absolute_module(_fact(2), init) == "pkg"
    assert absolute_module(_fact(1), top) is None  # a top-level module has no package


# -- names ------------------------------------------------------------------------------

def test_reexport_submodule_and_getattr(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "from app.impl import Thing\n",
        "app/impl.py": "class Thing: ...\n",
        "app/lazy.py": "def __getattr__(name):\n    return _load(name)\n",
        "app/pkg/__init__.py": "",
        "app/pkg/leaf.py": "",
        "main.py": ("from app import Thing\nfrom app import impl\nfrom app.pkg import leaf\n"
                    "from app.lazy import whatever\nfrom app import Missing\n"),
    }
    write_project(tmp_path, files)
    found = unresolved(tmp_path)
    assert [(p, line, code) for p, line, code, _ in found] == [("main.py", 5, "SSOT103")]
    assert "`app` has no name `Missing`" in found[0][3]


def test_transitive_star_imports_honour_dunder_all(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/c.py": "__all__ = ['X', '_private']\nX = 1\nY = 2\n_private = 3\n",
        "pkg/b.py": "from pkg.c import *\n",
        "pkg/a.py": "from .b import *\n",
        "main.py": ("from pkg.a import X\n"         # c -> b -> a
                    "from pkg.b import _private\n"  # listed in c.__all__
                    "from pkg.a import _private\n"  # b has no __all__: _names are not re-exported
                    "from pkg.b import Y\n"),       # not in c.__all__
    }
    write_project(tmp_path, files)
    assert [(p, line, code) for p, line, code, _ in unresolved(tmp_path)] == [
        ("main.py", 3, "SSOT103"), ("main.py", 4, "SSOT103")]


def test_star_import_cycles_terminate(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/a.py": "from pkg.b import *\nA = 1\n",
             "pkg/b.py": "from pkg.a import *\nB = 1\n",
             "main.py": "from pkg.a import B\nfrom pkg.b import A\nfrom pkg.a import C\n"}
    write_project(tmp_path, files)
    assert [(line, code) for _, line, code, _ in unresolved(tmp_path)] == [(3, "SSOT103")]


def test_third_party_star_import_makes_names_unknown_not_missing(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/compat.py": "from os.path import *\n",
             "main.py": "from pkg.compat import join, anything\n"}
    write_project(tmp_path, files)
    assert unresolved(tmp_path) == []


def test_type_checking_only_name_is_reported_with_the_reason(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": "class User: ...\n",
        "pkg/hints.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from pkg.models import User\n"),
        "main.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                    "    from pkg.hints import User\nfrom pkg.hints import User\n"
                    "def f():\n    from pkg.hints import User\n"),
    }
    write_project(tmp_path, files)
    found = unresolved(tmp_path)
    assert [(p, line, code) for p, line, code, _ in found] == [
        ("main.py", 4, "SSOT103"), ("main.py", 6, "SSOT103")]
    assert "only bound under `if TYPE_CHECKING:`" in found[0][3]
    assert "does not exist at runtime" in found[0][3]


def test_type_checking_name_with_runtime_fallback_exists(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "",
             "pkg/hints.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from collections import OrderedDict as Mapping\n"
                              "else:\n    Mapping = dict\n"),
             "main.py": "from pkg.hints import Mapping\n"}
    write_project(tmp_path, files)
    assert unresolved(tmp_path) == []


def test_unparsable_target_never_reports_missing_names(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/broken.py": "def f(:\n",
             "pkg/latin.py": b"x = '\xff'\n",
             "main.py": "from pkg.broken import anything\nfrom pkg.latin import other\n"}
    write_project(tmp_path, files)
    codes = sorted((f.path, f.code) for f in run_check(tmp_path))
    assert codes == [("pkg/broken.py", "SSOT001"), ("pkg/latin.py", "SSOT002")]


def test_missing_module_message_and_suggestion(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/services/__init__.py": "",
             "app/services/user_context.py": "class Ctx: ...\n",
             "app/services/handlers.py": "from app.user_context import Ctx\n",
             "main.py": "import app.servics.user_context\n"}
    write_project(tmp_path, files)
    found = {p: m for p, _, code, m in unresolved(tmp_path)}
    assert "did you mean `app.services.user_context`" in found["app/services/handlers.py"]
    assert "(`app.servics` is missing)" in found["main.py"]
    assert "did you mean `app.services.user_context`" in found["main.py"]


def test_missing_name_suggests_a_close_spelling(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/core.py": "class ExecutionTracker: ...\n",
             "main.py": "from app.core import ExecutionTraker\n"}
    write_project(tmp_path, files)
    [(_, _, _, message)] = unresolved(tmp_path)
    assert message == ("`app.core` has no name `ExecutionTraker`; did you mean "
                       "`ExecutionTracker`?")


def test_star_import_through_a_computed_dunder_all(tmp_path: Path) -> None:
    """The shape of django.db.models / django.contrib.gis.db.models (a real false positive)."""
    files = {
        "db/__init__.py": "",
        "db/aggregates.py": "__all__ = ['Count', 'Sum']\nclass Count: ...\nclass Sum: ...\n",
        "db/models.py": ("from db.aggregates import *\nfrom db.aggregates import __all__ as agg\n"
                         "__all__ = agg + ['Model']\n__all__ += ['Q']\nclass Model: ...\n"
                         "class Q: ...\n"),
        "gis.py": "from db.models import *\n",
        "main.py": "from gis import Count, Model, Q\nfrom gis import Nothing\n",
    }
    write_project(tmp_path, files)
    assert [(p, line, code) for p, line, code, _ in unresolved(tmp_path)] == [
        ("main.py", 2, "SSOT103")]


def test_relative_imports_in_files_whose_name_is_not_importable(tmp_path: Path) -> None:
    """``migrations/0002_initial.py`` is loaded by path, yet ``from ..fields import X``
    in it works; it used to be reported as climbing above the top-level package."""
    files = {"app/__init__.py": "", "app/fields.py": "class ArrayField: ...\n",
             "app/migrations/__init__.py": "",
             "app/migrations/0002_initial.py": ("from ..fields import ArrayField\n"
                                                "from ..fields import Missing\n"
                                                "from ...above import x\n")}
    write_project(tmp_path, files)
    proj = build_project(load_config(tmp_path))
    [migration] = [f for f in proj.files if f.rel == "app/migrations/0002_initial.py"]
    assert (migration.module, migration.package) == (None, "app.migrations")
    found = [(line, code) for p, line, code, _ in unresolved(tmp_path)]
    assert found == [(2, "SSOT103"), (3, "SSOT102")]


def test_module_dunders_exist_without_being_written(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "app/__main__.py": "print('hi')\n",
        "app/main.py": "from app.__main__ import __file__ as main_file\n"
                       "from unittest import mock\n"
                       "mock.patch('app.__main__.__file__', 'x')\n"
                       "from app.__main__ import __flie__\n",
    })
    findings = run_check(root, [root / "app" / "main.py"])
    assert [(f.line, f.code) for f in findings] == [(4, "SSOT103")]


def test_suggestions_stay_in_the_top_level_package_and_close(tmp_path: Path) -> None:
    """Another package's module with the same last name is not what was meant."""
    files = {"app/__init__.py": "", "app/core/__init__.py": "",
             "auth_service/__init__.py": "", "auth_service/core/__init__.py": "",
             "auth_service/core/config.py": "X = 1\n",
             "app/very/deeply/nested/elsewhere/__init__.py": "",
             "app/very/deeply/nested/elsewhere/config.py": "X = 1\n",
             "main.py": "import app.core.config\n"}
    write_project(tmp_path / "far", files, '[project]\npackages = ["app", "auth_service"]\n')
    [(_, _, _, message)] = unresolved(tmp_path / "far")
    assert "did you mean" not in message, message  # not auth_service's, not a far-away one
    files.update({"app/settings/__init__.py": "", "app/settings/config.py": "X = 1\n",
                  "main.py": "import app.setings.config\n"})
    write_project(tmp_path / "near", files, '[project]\npackages = ["app", "auth_service"]\n')
    [(_, _, _, message)] = unresolved(tmp_path / "near")
    assert message.endswith("did you mean `app.settings.config`?")


# -- other files are seen through their interface only ---------------------------------

def test_other_files_are_seen_as_their_interface_only(tmp_path: Path) -> None:
    proj = project(tmp_path, {"app/__init__.py": "",
                              "app/a.py": "from app.b import B  # ssot-lint: ignore\n"
                                          "def f():\n    return B()\n",
                              "app/b.py": "class B: ...\n"})
    a = next(f for f in proj.files if f.rel == "app/a.py")
    view = proj.facts_of(a)
    assert type(view) is FileInterface
    assert [fact.name for fact in view.imports] == ["B"]
    for own in ("references", "suppressions"):
        assert not hasattr(view, own)
        assert not hasattr(proj.facts["app/a.py"], own)
    complete = proj.complete_facts(a)  # the engine's, for the judged file
    assert complete is not None and complete.references and complete.suppressions
    assert dict(proj.facts.items()) == {rel: proj.facts[rel] for rel in proj.facts}
    assert not hasattr(proj.facts, "__setitem__")  # read-only: only the pipeline writes


def test_new_facts_replace_the_view(tmp_path: Path) -> None:
    proj = project(tmp_path, {"app/__init__.py": "", "app/b.py": "class B: ...\n"})
    b = next(f for f in proj.files if f.rel == "app/b.py")
    assert [d.name for d in proj.facts["app/b.py"].definitions] == ["B"]
    proj.add_facts("app/b.py", extract_facts(b"class C: ...\n", (3, 12)))
    view = proj.facts_of(b)
    assert view is not None and [d.name for d in view.definitions] == ["C"]
    again = proj.with_facts({"app/b.py": extract_facts(b"D = 1\n", (3, 12))})
    assert [d.name for d in again.facts["app/b.py"].definitions] == ["D"]
    assert again.names.lookup("app.b", "D").status == "ok"


def test_remembered_summaries_go_in_and_out_through_the_project_api(tmp_path: Path) -> None:
    """``cache.results`` reads the summaries a run computed and presets remembered ones
    through ``computed``/``preset``, never through ``Project.__dict__``."""
    built = project(tmp_path, {"app/main.py": "X = 1\n"})
    names = ("has_deprecation_markers", "first_party")
    assert built.computed(names) == {}
    built.preset("has_deprecation_markers", True)  # remembered: not computed from the facts
    assert built.has_deprecation_markers is True
    assert built.computed(names) == {"has_deprecation_markers": True}
    with pytest.raises(AttributeError, match="not a cached property"):
        built.preset("files", [])
