"""The cache contract, for every rule: a remembered run equals an uncached run.

A file's remembered findings are replayed while their key is unchanged: the settings,
ssot-lint's code, the file's bytes, and the other files' *interface digest*
(``cache/interface.py``, derived from the facts' tags) or, for ``scope = "project"``
rules, the graph part of it. A rule that reads anything else of another file makes
the cache serve stale findings. This test holds every rule to that contract without
knowing what it does: rules are collected from ``all_rules()`` (a rule added later is
included), each is run on a multi-file project and on its own examples, cached
(warm, after a first run) and uncached, after each of a set of generic edits to
*other* files — positions shifted, definitions added and removed, ``__all__`` changed,
star imports and imports added and removed, references changed, modules moved — and
the findings must be identical, field by field.

Two misbehaving toy rules show the contract has teeth: a ``scope = "project"`` rule
reading another file's definitions (outside the graph key) fails it, and a file rule
reading another file's references through the engine's ``complete_facts`` fails it;
the same file rule written against the typed view cannot even read them
(``AttributeError``).
"""

from __future__ import annotations

import ast
import inspect
import os
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pytest

import ssot_lint.engine
from ssot_lint.api import check, resolve_config
from ssot_lint.model.finding import Finding
from ssot_lint.rules import all_rules
from ssot_lint.rules.base import Example, FileContext, Rule
from tests.conftest import OLD, edit, settle, write, write_project

# -- the multi-file project -----------------------------------------------------------
REGISTRY = """
[broken."app.old"]
use_instead = "app.core.engine.Engine"
reason = "removed in 2.0"

[deprecated."app.core.engine.LegacyEngine"]
use_instead = "app.core.engine.Engine"

[deprecated."app.core.util.old_call"]
use_instead = "app.core.util.public_a"
scope = "path"

[symbols."app.core.engine.Engine"]
aliases = ["app.core.Engine"]

[services.app]
packages = ["app"]
may_import = []

[services.billing]
packages = ["billing"]

[[contracts]]
name = "the cli stays off the database"
kind = "forbidden"
source = ["app.cli"]
forbidden = ["app.db"]

[[layers]]
name = "app layers"
order = ["app.web", "app.services", "app.core"]

[[patterns]]
call = "app.core.util.old_call"
when = "keyword:y"
hint = "y is going away"

[policy]
relative_imports = "forbid"
unregistered_imports = "warn"
"""

PYPROJECT = "[tool.ssot-lint]\nverify_registry = true\n"

FILES: dict[str, str] = {
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.engine import Engine, LegacyEngine\n"
                            "from app.core.util import *\n",
    "app/core/engine.py": "from typing_extensions import deprecated\n\n\n"
                          "class Engine:\n    def start(self):\n        return 1\n\n\n"
                          "class LegacyEngine(Engine):\n    pass\n\n\n"
                          "@deprecated('use run_v2()')\ndef run_v1():\n    return 1\n\n\n"
                          "def helper():\n    return 3\n",
    "app/core/util.py": "__all__ = ['public_a', 'public_b', 'old_call']\n\n\n"
                        "def public_a():\n    return 'a'\n\n\n"
                        "def public_b():\n    return 'b'\n\n\n"
                        "def old_call(x, y=None):\n    return x\n",
    "app/core/lazy.py": "def __getattr__(name):\n    if name == 'served':\n        return 1\n"
                        "    raise AttributeError(name)\n",
    "app/core/typed.pyi": "def typed_only() -> int: ...\n",
    "app/core/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from app.core.util import public_a as typed_only\n",
    "app/db.py": "ENGINE = None\n",
    "app/dup.py": "class Engine:\n    pass\n",
    "app/services/__init__.py": "",
    "app/services/orders.py": "from app.core import Engine, public_a\n"
                              "from app.core.engine import LegacyEngine, run_v1, helper\n"
                              "from app.core.util import old_call\n"
                              "from app.services import payments\n"
                              "import billing.api\n\n\n"
                              "def place(order: LegacyEngine) -> LegacyEngine:\n"
                              "    public_a()\n    run_v1()\n    helper()\n"
                              "    old_call(1, y=2)\n    Engine().start()\n"
                              "    return LegacyEngine()\n\n\n"
                              "def refund():\n    from app.web import views\n"
                              "    return views, payments\n",
    "app/services/payments.py": "import app.services.orders\nimport app.services.refunds\n"
                                "import app.db\n"
                                "from app.core.util import public_b, missing_name\n"
                                "from app.old import thing\n"
                                "from app.core.lazy import served, unserved\n"
                                "from app.core.typed import typed_only\n"
                                "from .refunds import back\n\n\n"
                                "def pay():\n    return app.services.orders, thing, served\n",
    "app/services/refunds.py": "from app.services import payments\n"
                               "import app.missing_module\nfrom app.core import _private\n"
                               "from app.core.helpers import *\n\n\n"
                               "def back():\n    return payments, helped\n",
    "app/core/helpers.py": "__all__ = ['helped']\n\n\ndef helped():\n    return 1\n",
    "app/web/__init__.py": "",
    "app/web/views.py": "from app.services.orders import place\n"
                        "from app.core.engine import LegacyEngine  # ssot-lint: ignore[SSOT111]\n"
                        "from app.core import Engine  # ssot-lint: ignore[SSOT103]\n\n\n"
                        "def render(engine: LegacyEngine):\n    return place, Engine\n",
    "app/cli.py": "import importlib\nimport app.services.payments\n\n\n"
                  "def main():\n    import app.db\n"
                  "    return importlib.import_module('app.old'), app.db\n",
    "app/checks.py": "from unittest import mock\n\n\n"
                     "@mock.patch('app.core.engine.Engine.start')\n"
                     "@mock.patch('app.core.engine.Engine.stop')\n"
                     "def check_start(start, stop):\n    return start, stop\n",
    "app/broken.py": "def oops(:\n    pass\n",
    "app/undecodable.py": "# -*- coding: no-such-codec -*-\nx = 1\n",
    "billing/__init__.py": "",
    "billing/api.py": "def charge():\n    return 0\n",
}

ENGINE = "app/core/engine.py"
UTIL = "app/core/util.py"
HELPERS = "app/core/helpers.py"
CORE = "app/core/__init__.py"
PAYMENTS = "app/services/payments.py"
REFUNDS = "app/services/refunds.py"
VIEWS = "app/web/views.py"


def move(root: Path, rel: str, to: str) -> None:
    (root / to).parent.mkdir(parents=True, exist_ok=True)
    os.replace(root / rel, root / to)
    settle(root / to)


def build(where: Path, files: dict[str, str], registry: str, pyproject: str = "") -> Path:
    root = write_project(where, dict(files), registry)
    if pyproject:
        (root / "pyproject.toml").write_text(pyproject)
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))
    return root


# -- generic edits to other files: each (name, change) applied in turn ----------------
Step = tuple[str, Callable[[Path], None]]

STEPS: tuple[Step, ...] = (
    ("shift the lines of another file",
     lambda r: edit(r, ENGINE, "from typing_extensions", "# engine\n\n\nfrom typing_extensions")),
    ("edit a function body of another file",
     lambda r: edit(r, PAYMENTS, "def pay():\n", "def pay():\n    total = 0\n    total += 1\n")),
    ("add a definition", lambda r: edit(r, UTIL, "def public_b", "def missing_name():\n"
                                        "    return 0\n\n\ndef public_b")),
    ("remove a definition", lambda r: edit(r, ENGINE, "def helper():\n    return 3\n", "")),
    ("change __all__", lambda r: edit(r, UTIL, "['public_a', ", "['missing_name', ")),
    ("add a star import", lambda r: edit(r, CORE, "from app.core.util import *\n",
                                         "from app.core.util import *\n"
                                         "from app.core.helpers import *\n")),
    ("change __all__ read through a star import",
     lambda r: edit(r, HELPERS, "['helped']", "['helped', 'helper', 'public_a']")),
    ("change a reference in another file",
     lambda r: edit(r, "app/services/orders.py", "    old_call(1, y=2)\n",
                    "    old_call(1, 2, 3)\n    run_v1()\n")),
    ("add a deprecation marker", lambda r: edit(r, UTIL, "def public_b():",
                                                "@deprecated('gone')\ndef public_b():")),
    ("add an import", lambda r: edit(r, UTIL, "__all__", "import app.web.views\n\n__all__")),
    ("add a lazy import above others",
     lambda r: edit(r, "app/db.py", "ENGINE", "def late():\n    import app.cli\n\n\nENGINE")),
    ("remove an import", lambda r: edit(r, PAYMENTS, "import app.services.refunds\n", "")),
    ("add a module", lambda r: write(r, "app/old.py", "thing = 1\n")),
    ("move a module", lambda r: move(r, "app/db.py", "app/storage/db.py")),
    ("move a package", lambda r: move(r, "billing/api.py", "billing/client.py")),
    ("break the syntax of another file", lambda r: edit(r, HELPERS, "def helped", "def helped(:")),
    ("undo the first edits", lambda r: undo_first_edits(r)),
)


def undo_first_edits(root: Path) -> None:
    """Back to states the cache saw before: what it kept of them must still be exact."""
    edit(root, ENGINE, "# engine\n\n\n", "")
    edit(root, HELPERS, "def helped(:", "def helped")


# -- the contract -----------------------------------------------------------------------
def _rows(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [astuple(f) for f in findings]


def _run(root: Path, cache: Path | None, options: dict[str, Any]) -> list[Finding]:
    config = resolve_config([root], jobs=1, cache=cache is not None, cache_dir=cache, **options)
    return check([], config).findings


def contract_breaks(root: Path, steps: tuple[Step, ...], cache: Path,
                    options: dict[str, Any] | None = None,
                    fired: set[str] | None = None) -> list[str]:
    """Where a remembered run differs from an uncached one: ``"step: CODE..."`` entries.

    A first run fills the cache; then the warm project and the project after each
    step are checked both ways (the cache keeps what earlier states remembered, as a
    developer's does). ``fired`` collects the codes found along the way.
    """
    options = options or {}
    broken = []
    _run(root, cache, options)
    for name, change in (("warm", None), *steps):
        if change is not None:
            change(root)
        remembered = _rows(_run(root, cache, options))
        fresh = _rows(_run(root, None, options))
        if fired is not None:
            fired.update(str(row[3]) for row in fresh)
        if remembered != fresh:
            differing = set(remembered) ^ set(fresh)
            codes = sorted({str(row[3]) for row in differing})
            broken.append(f"{name}: {' '.join(codes) or 'order'}")
    return broken


@contextmanager
def only_rules(*rules: type[Rule]) -> Iterator[None]:
    """Run with exactly ``rules`` (each run gets its own cache directory: the rule set is
    not part of the results key, the code is)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ssot_lint.engine, "all_rules", lambda: rules)
        yield


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build(tmp_path / "proj", FILES, REGISTRY, PYPROJECT)
    monkeypatch.chdir(root)  # findings' paths are relative to the working directory
    return root


RULES = all_rules()


def test_every_rule_keeps_the_contract_on_a_multi_file_project(project: Path,
                                                                tmp_path: Path) -> None:
    """All rules at once: the cache decides what to replay by keys alone, never by what
    a rule found, so one run checks each rule's findings (the diff names the codes)."""
    fired: set[str] = set()
    with only_rules(*RULES):
        assert contract_breaks(project, STEPS, tmp_path / "cache", fired=fired) == []
    silent = sorted({rule.code for rule in RULES} - fired)
    assert silent == [], f"extend FILES or STEPS so that {silent} report something here"


def _example_steps(others: list[str]) -> tuple[Step, ...]:
    """Generic edits to an example's other files (never to ``app/main.py``, the judged one)."""
    def each(change: Callable[[Path, str], None]) -> Callable[[Path], None]:
        def changed(root: Path) -> None:
            for rel in others:
                if (root / rel).exists():
                    change(root, rel)
        return changed

    def append(text: str) -> Callable[[Path, str], None]:
        return lambda root, rel: write(root, rel, (root / rel).read_text() + text)

    return (
        ("shift lines, add a definition, change __all__, add a star import",
         each(lambda root, rel: write(root, rel, "# moved\n\n" + (root / rel).read_text()
                                      + "\n\ndef added_by_contract():\n    return 1\n\n\n"
                                      "__all__ = ['added_by_contract']\n"
                                      "from app.main import *\n"))),
        ("add an import", each(append("\nimport app.main\n"))),
        ("remove every definition and import", each(lambda root, rel: write(root, rel, ""))),
        ("move the modules", each(lambda root, rel: move(root, rel, _moved(rel)))),
    )


def _moved(rel: str) -> str:
    stem, suffix = os.path.splitext(rel)
    return f"{stem}_moved{suffix}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_keeps_the_contract_on_its_examples(rule: type[Rule], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    broken = []
    with only_rules(rule):
        for index, example in enumerate((*rule.VALID, *rule.INVALID)):
            root = _example_project(tmp_path / f"example{index}", example)
            monkeypatch.chdir(root)
            others = sorted(rel for rel in example.files if rel.endswith((".py", ".pyi")))
            options = dict(getattr(rule, "example_options", {}))
            broken += [f"example {index}: {problem}" for problem in contract_breaks(
                root, _example_steps(others), tmp_path / f"cache{index}", options)]
    assert broken == []


def _example_project(where: Path, example: Example) -> Path:
    files = {"app/__init__.py": "", **example.files, "app/main.py": example.code}
    return build(where, files, example.registry)


def test_every_registered_rule_is_held_to_the_contract() -> None:
    """Collected, not listed: a rule module added later is in RULES."""
    from ssot_lint.rules import rule_codes

    assert tuple(rule.code for rule in RULES) == rule_codes()


# -- misbehaving rules: the contract must catch them ---------------------------------
class ProjectRuleReadingDefinitions(Rule):
    """A graph-scoped rule that also reads what other modules define: its remembered
    findings are keyed by the import graph only, so they go stale."""

    code = "SSOT990"
    slug = "toy-project-definitions"
    summary = "misbehaving toy"
    scope = "project"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for ri in ctx.imports:
            other = ctx.project.file_of_module(ri.module) if ri.module else None
            view = ctx.project.facts_of(other) if other is not None else None
            if view is not None and ri.fact.name and \
                    ri.fact.name not in {d.name for d in view.definitions}:
                yield ctx.finding(self, ri.fact, f"{ri.fact.name} is not defined there")


class FileRuleReadingReferences(Rule):
    """A file rule that reads how *another* file uses names: through the typed view
    that is impossible (the view has no references)."""

    code = "SSOT991"
    slug = "toy-file-references"
    summary = "misbehaving toy"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for ri in ctx.imports:
            other = ctx.project.file_of_module(ri.module) if ri.module else None
            view = ctx.project.facts_of(other) if other is not None else None
            if view is not None:
                uses = len(view.references)  # type: ignore[attr-defined]  # the point: no such field
                yield ctx.finding(self, ri.fact, f"{uses} uses there")


class FileRuleBypassingTheView(Rule):
    """The same misbehaviour through the engine's own accessor (``complete_facts``, meant
    for the judged file): not stopped by types, so the contract must catch it."""

    code = "SSOT992"
    slug = "toy-file-references-bypass"
    summary = "misbehaving toy"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for ri in ctx.imports:
            other = ctx.project.file_of_module(ri.module) if ri.module else None
            facts = ctx.project.complete_facts(other) if other is not None else None
            if facts is not None and facts.references:
                yield ctx.finding(self, ri.fact, f"{len(facts.references)} uses there")


def test_a_project_rule_reading_definitions_breaks_the_contract(project: Path,
                                                                tmp_path: Path) -> None:
    with only_rules(ProjectRuleReadingDefinitions):
        broken = contract_breaks(project, STEPS, tmp_path / "cache")
    assert "add a definition: SSOT990" in broken
    assert "remove a definition: SSOT990" in broken


def test_a_file_rule_cannot_read_another_files_references(project: Path) -> None:
    with only_rules(FileRuleReadingReferences), \
            pytest.raises(AttributeError, match="references"):
        _run(project, None, {})


def test_a_file_rule_bypassing_the_view_breaks_the_contract(project: Path,
                                                            tmp_path: Path) -> None:
    with only_rules(FileRuleBypassingTheView):
        broken = contract_breaks(project, STEPS, tmp_path / "cache")
    assert "change a reference in another file: SSOT992" in broken


# -- the one way around the view is the engine's accessor: rules never call it ---------
_ENGINE_ONLY = frozenset({"complete_facts", "_store", "_views", "_view", "_keep_view"})
PACKAGE = Path(ssot_lint.engine.__file__).parent


def engine_only_reads(source: str) -> list[tuple[int, str]]:
    """(line, name) of each use of the engine's complete-facts accessors in ``source``."""
    return sorted((node.lineno, node.attr) for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Attribute) and node.attr in _ENGINE_ONLY)


@pytest.mark.parametrize("package", ["rules", "resolve", "graph"])
def test_rules_and_what_they_call_read_other_files_only_through_the_view(package: str) -> None:
    """A rule's FileContext has its own file's complete facts; everything it reads of
    other files goes through ``Project.facts_of``/``facts`` (FileInterface) or the graph."""
    found = {}
    for path in sorted((PACKAGE / package).glob("*.py")):
        if path.name == "project.py":  # Project itself keeps the store
            continue
        uses = engine_only_reads(path.read_text(encoding="utf-8"))
        if uses:
            found[path.name] = uses
    assert found == {}
    bypass = inspect.getsource(FileRuleBypassingTheView)
    assert [name for _, name in engine_only_reads(textwrap.dedent(bypass))] == [
        "complete_facts"]  # the check sees the toy's bypass
