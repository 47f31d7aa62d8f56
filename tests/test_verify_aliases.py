"""``registry verify`` resolves aliases to the object Python binds at run time.

``Name = imported``, ``from x import y as _y; Y = _y``, ``Y = module.Y`` and a
try-import with an ``except ImportError`` stand-in all name the imported object, so
an alias registered for them is the canonical symbol, not a different definition.
"""

from __future__ import annotations

from pathlib import Path

from ssot_lint.registry_tools.codebase import definition_site, load_codebase
from tests.conftest import run_check, write_project

FILES = {
    "app/core/impl.py": "class Engine:\n    pass\n",
    "app/core/__init__.py": "from app.core.impl import Engine as _Engine\n\nEngine = _Engine\n",
    "app/compat.py": "import app.core.impl as impl\n\nEngine = impl.Engine\n",
    "app/opt.py": ("try:\n    from app.core.impl import Engine\n"
                   "except ImportError:\n    Engine = None\n"),
    "app/opt2.py": ("try:\n    from app.core.impl import Engine\n"
                    "except ModuleNotFoundError:\n    class Engine:\n        pass\n"),
    "app/own.py": "class _Engine:\n    pass\n\nEngine = _Engine\n",
}


def verify(root: Path) -> list[str]:
    return [f.message for f in run_check(root, verify_registry=True) if f.code == "SSOT902"]


def test_aliases_bound_by_assignment_or_try_import_verify(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, """
[symbols."app.core.impl.Engine"]
aliases = ["app.core.Engine", "app.compat.Engine", "app.opt.Engine", "app.opt2.Engine"]
""")
    assert verify(root) == []


def test_definition_site_follows_each_binding(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES)
    project = load_codebase(root)
    for path in ("app.core.Engine", "app.compat.Engine", "app.opt.Engine", "app.opt2.Engine"):
        assert definition_site(project, path) == "app.core.impl.Engine", path
    assert definition_site(project, "app.own.Engine") == "app.own._Engine"


def test_an_alias_of_a_different_object_is_still_reported(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, """
[symbols."app.core.impl.Engine"]
aliases = ["app.own.Engine"]
""")
    assert verify(root) == ["alias `app.own.Engine` resolves to `app.own._Engine`, not to "
                            "`app.core.impl.Engine`"]


def test_a_canonical_alias_assignment_is_a_re_export(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, '[symbols."app.core.Engine"]\n')
    assert verify(root) == ["canonical path `app.core.Engine` is a re-export, not a definition; "
                            "it is defined in `app.core.impl.Engine`"]


def test_broken_entry_that_resolves_is_902_and_its_101_says_so(tmp_path: Path) -> None:
    files = {**FILES, "app/main.py": "from app.compat import Engine\n"}
    root = write_project(tmp_path / "p", files,
                         '[broken."app.compat.Engine"]\nuse_instead = "app.core.impl.Engine"\n')
    findings = run_check(root, verify_registry=True)
    assert [f.message for f in findings if f.code == "SSOT902"] == [
        "[broken] `app.compat.Engine` is no longer broken: it resolves now; remove the entry "
        "or move it to [deprecated]"]
    [broken] = [f for f in findings if f.code == "SSOT101"]
    assert broken.severity == "warning"
    assert broken.message.startswith("`app.compat.Engine` is registered as [broken] but "
                                     "resolves now (SSOT902: no longer broken")
