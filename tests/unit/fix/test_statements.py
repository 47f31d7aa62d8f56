"""Statement-level and whole-module rewriting give byte-identical results.

``fix`` rewrites only the runs of imports it edits (``ssot_lint/fix/statements.py``)
and falls back to parsing the whole module with libcst when it cannot show that libcst
would see the run the same way. Each test runs ``fix --diff`` twice on a real fixture
tree — once as it runs, once with the statement-level path switched off — and requires
the same diffs, the same fixed/not-fixed findings with the same reasons, and the same
remaining findings; and it checks which path was taken, so a test cannot pass because
the fast path silently never ran.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssot_lint.fix.apply as apply
from ssot_lint.fix import statements
from ssot_lint.fix.run import FixResult, fix
from ssot_lint.fix.statements import default_indent
from ssot_lint.fix.verify import Piece, PlannedImport, verify_splice
from ssot_lint.load.config import load_config
from tests.conftest import FIX_MODELS, FIX_REGISTRY, SHOP_REGISTRY, shop_files, write_project

SCENARIOS = Path(__file__).resolve().parents[2] / "functional" / "scenarios"

# the import-sorting fixture of tests/test_fix_style.py, with moved names
MODULES = {
    "shop/catalog/models.py": "class Product: ...\nclass Category: ...\nPRICE_LIMIT = 10\n",
    "shop/catalog/pricing.py": "def discount(): ...\ndef tax(): ...\n",
    "shop/catalog/storefront_recommendations.py": (
        "class RecommendationEngineConfiguration: ...\n"
        "class PersonalisedRecommendationEngine: ...\n"),
    "shop/legacy.py": ("from shop.catalog.models import Category, Product\n"
                       "from shop.catalog.pricing import discount, tax\n"
                       "from shop.catalog.storefront_recommendations import (\n"
                       "    PersonalisedRecommendationEngine,\n"
                       "    RecommendationEngineConfiguration,\n)\n"),
    "shop/orders/__init__.py": "",
    "shop/orders/cart.py": "class Cart: ...\n",
}
REGISTRY = "".join(
    f'[symbols."{home}.{name}"]\naliases = ["shop.legacy.{name}"]\n\n'
    for home, name in [("shop.catalog.models", "Product"), ("shop.catalog.models", "Category"),
                       ("shop.catalog.pricing", "discount"), ("shop.catalog.pricing", "tax"),
                       ("shop.catalog.storefront_recommendations",
                        "PersonalisedRecommendationEngine"),
                       ("shop.catalog.storefront_recommendations",
                        "RecommendationEngineConfiguration")])
HERE = "shop/orders/views.py"


def _outcome(result: FixResult) -> tuple[object, ...]:
    return (result.diffs, result.fixed, result.not_fixed, result.needs_unsafe,
            result.remaining, result.errors, result.encodings)


class Paths:
    """Counts, in this process, the files each path rewrote."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0  # statement-level rewrites that succeeded
        self.fallbacks = 0  # files handed to the whole-module path
        real_runs = statements.rewrite_runs
        real_module = apply._rewrite_module

        def runs(*args: Any, **kwargs: Any) -> Any:
            done = real_runs(*args, **kwargs)
            self.runs += done is not None
            return done

        def module(*args: Any, **kwargs: Any) -> Any:
            self.fallbacks += 1
            return real_module(*args, **kwargs)

        monkeypatch.setattr(apply, "rewrite_runs", runs)
        monkeypatch.setattr(apply, "_rewrite_module", module)


def both(root: Path, monkeypatch: pytest.MonkeyPatch, unsafe: bool = False
         ) -> tuple[FixResult, Paths]:
    """``fix --diff`` statement-level and whole-module; asserts they agree."""
    config = load_config(root, overrides={"jobs": 1, "cache": False})
    with monkeypatch.context() as patch:
        paths = Paths(patch)
        fast = fix([], config, unsafe=unsafe, write=False, cwd=root)
    with monkeypatch.context() as patch:
        patch.setattr(apply, "STATEMENT_LEVEL", False)
        whole = fix([], config, unsafe=unsafe, write=False, cwd=root)
    assert _outcome(fast) == _outcome(whole)
    return fast, paths


def _shop(root: Path, source: str | bytes) -> Path:
    return write_project(root, {**MODULES, HERE: source}, REGISTRY,
                         packages=("shop",))


# Sources the statement-level path handles: each must come out as the whole-module
# rewrite makes it, through the statement-level path.
SPLICED = {
    "merge into the sorted block": (
        "import os\n\nfrom shop.catalog.models import Category\n"
        "from shop.legacy import Product, discount\nfrom shop.orders.cart import Cart\n\n"
        "print(os, Category, Product, discount, Cart)\n"),
    "docstring, header comments, a gap with comments": (
        "#!/usr/bin/env python\n# header\n\n\"\"\"Doc.\"\"\"\n\n# about the imports\n\n"
        "# right above\nfrom shop.legacy import Category\nfrom shop.orders.cart import Cart\n"),
    "comment above a statement that would be merged away": (
        "from shop.catalog.models import Product\n# keep me\nfrom shop.legacy import Category\n"),
    "a comment above the first statement that would be merged away": (
        "x = 1\n# why\nfrom shop.legacy import Category\n"
        "from shop.catalog.models import Product\n"),
    "a comment and a blank line above a run: not sorted, order kept": (
        "x = 1\n# c\n\nfrom shop.catalog.pricing import tax\nfrom shop.legacy import Category\n"),
    "a blank line above a run: sorted": (
        "x = 1\n\nfrom shop.catalog.pricing import tax\nfrom shop.legacy import Category\n"),
    "two runs, one in a function": (
        "from shop.legacy import tax\n\nx = 1\n\n\ndef f():\n    y = 2\n\n"
        "    from shop.legacy import Product, tax\n    return Product, tax, y\n"),
    "nested block, first statement": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from shop.legacy import RecommendationEngineConfiguration, discount\n"
        "    from shop.orders.cart import Cart\n"),
    "tab indentation, wrapped names": (
        "def f():\n\tpass\n\n\nclass C:\n\tdef g(self):\n\t\tx = 1\n"
        "\t\tfrom shop.legacy import PersonalisedRecommendationEngine, "
        "RecommendationEngineConfiguration\n\t\treturn x\n"),
    "two-space indentation elsewhere first": (
        "if True:\n  a = 1\nelse:\n  a = 2\n\n\ndef f():\n    b = 1\n"
        "    from shop.legacy import PersonalisedRecommendationEngine, "
        "RecommendationEngineConfiguration\n    return b\n"),
    "elif chain decides the indentation": (
        "if a: b = 1\nelif c:\n   b = 2\n\n\ndef f():\n    z = 0\n"
        "    from shop.legacy import PersonalisedRecommendationEngine, "
        "RecommendationEngineConfiguration\n"),
    "after a function, blank lines only": (
        "def f():\n    return 1\n\n\nfrom shop.legacy import Category\n"
        "from shop.orders.cart import Cart\n"),
    "parenthesised, trailing comma, comments inside": (
        "from shop.legacy import (  # moved\n    Category,  # the category\n"
        "    Product,\n)\nfrom shop.orders.cart import Cart\n"),
    "backslash inside the statement": "from shop.legacy import Category, \\\n    Product\n",
    "no newline at the end": "import os\nfrom shop.legacy import Category",
    "non-ASCII text around": (
        "s = 'straße'\nfrom shop.legacy import Category  # ü\nt = 'é'; u = 1\n"),
    "already imported: the statement goes": (
        "from shop.catalog.models import Category\nfrom shop.legacy import Category\n"),
    "UTF-8 BOM": "\ufefffrom shop.legacy import Category\nprint(Category)\n",
    "relative import stays relative": "from ..legacy import Product\nfrom .cart import Cart\n",
    "an else line above": (
        "try:\n    import json\nexcept ImportError:\n    json = None\nelse:\n"
        "    from shop.legacy import Category\n"),
    "try/except body": (
        "try:\n    from shop.legacy import Product\nexcept ImportError:\n    Product = None\n"),
}

# Sources the statement-level path must hand to the whole-module path.
FALLBACK = {
    "statements sharing a line": "x = 1; from shop.legacy import Category\n",
    "import then another statement": "from shop.legacy import Category; y = 1\n",
    "import on its block's line": "if True: from shop.legacy import Category\n",
    "CRLF line endings": "import os\r\nfrom shop.legacy import Category\r\n",
    "form feed": "\x0cfrom shop.legacy import Category\n",
    "comment between a block's header and its first import": (
        "if True:\n    # why\n    from shop.legacy import Category\n"),
    "comment after a function, above the import": (
        "def f():\n    return 1\n    # deep\n\nfrom shop.catalog.pricing import tax\n"
        "from shop.legacy import Category\n"),
}


@pytest.mark.parametrize("name", sorted(SPLICED))
def test_spliced_rewrites_equal_whole_module_rewrites(tmp_path: Path, name: str,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    source = SPLICED[name]
    data = b"\xef\xbb\xbf" + source[1:].encode() if source.startswith("\ufeff") \
        else source.encode()
    root = _shop(tmp_path, data)
    result, paths = both(root, monkeypatch)
    assert result.diffs, result.not_fixed
    assert paths.runs >= 1 and paths.fallbacks == 0, (paths.runs, paths.fallbacks)


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_what_cannot_be_spliced_goes_through_the_whole_module(
        tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _shop(tmp_path, FALLBACK[name].encode())
    result, paths = both(root, monkeypatch)
    assert result.fixed or result.not_fixed
    assert paths.runs == 0 and paths.fallbacks >= 1, (paths.runs, paths.fallbacks)


def test_renames_go_through_the_whole_module(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path, {
        **FIX_MODELS,
        "app/main.py": ("from app.core.tracker import get_execution_tracker\n\n"
                        "def run():\n    return get_execution_tracker()\n")},
        FIX_REGISTRY)
    result, paths = both(root, monkeypatch, unsafe=True)
    assert "get_agent_state_tracker()" in result.diffs[0][2]
    assert paths.runs == 0 and paths.fallbacks == 1


# the golden scenarios in which ``fix`` has something to rewrite
FIXED_SCENARIOS = ("broken_import", "non_canonical", "options", "relative")


@pytest.mark.parametrize("scenario", FIXED_SCENARIOS)
def test_functional_scenarios_agree(tmp_path: Path, scenario: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS / scenario / "project", root)
    result, paths = both(root, monkeypatch)
    assert result.diffs and paths.runs >= 1


def test_fix_fixture_and_shop_projects_agree(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    users = {f"app/users/u{i}.py": text for i, text in enumerate([
        "from app.agents.registry import AgentRegistry\nfrom app.agents.bridge import x\n",
        "import os\n\nfrom app.agents.state import AgentPhase, DeepAgentState\n",
        "def f():\n    from app.core.tracker import Tracker\n    return Tracker\n",
    ])}
    fixture = write_project(tmp_path / "fixture", {**FIX_MODELS, **users}, FIX_REGISTRY)
    result, paths = both(fixture, monkeypatch)
    assert result.diffs and paths.runs >= 3 and paths.fallbacks == 0
    shop = write_project(tmp_path / "shop", shop_files(), SHOP_REGISTRY)
    result, paths = both(shop, monkeypatch)
    assert result.diffs and paths.runs >= 10


# -- generated files -------------------------------------------------------------------

IMPORTS = ["from shop.legacy import Category", "from shop.legacy import Product, tax",
           "from shop.legacy import (\n{i}    PersonalisedRecommendationEngine,\n{i}    tax,\n{i})",
           "from shop.catalog.models import Category", "from shop.catalog.pricing import tax",
           "import os", "from shop.orders.cart import Cart  # cart",
           "from shop.legacy import discount as d",
           "from shop.legacy import RecommendationEngineConfiguration"]
OTHER = ["x = 1", "# a comment", "", "print('# not a comment')", "y = (\n{i}    1,\n{i})",
         "s = '''\n# inside a string\n'''"]


@st.composite
def _programs(draw: Callable[..., Any]) -> str:
    """A module of import runs, other statements, comments and blocks."""
    def block(depth: int) -> list[str]:
        indent = "    " * depth
        lines: list[str] = []
        for _ in range(draw(st.integers(1, 6))):
            kind = draw(st.sampled_from(["import", "import", "other", "block"]
                                        if depth < 2 else ["import", "other"]))
            if kind == "import":
                lines.append(indent + draw(st.sampled_from(IMPORTS)).format(i=indent))
            elif kind == "other":
                text = draw(st.sampled_from(OTHER)).format(i=indent)
                lines.append(indent + text if text else "")
            else:
                header = draw(st.sampled_from(["if x:", "def f():", "class C:", "try:"]))
                lines.append(indent + header)
                body = block(depth + 1)
                lines.extend(body)
                if header == "try:":
                    lines += [indent + "except ImportError:", indent + "    pass"]
        if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
            lines.append(indent + "pass")
        return lines

    return "\n".join(block(0)) + "\n"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=_programs())
def test_generated_modules_agree(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        ast.parse(source)
    except SyntaxError:
        return  # e.g. an import after a comment-only block body; not a module to fix
    with tempfile.TemporaryDirectory() as directory:
        both(_shop(Path(directory), source), monkeypatch)


@settings(max_examples=200, deadline=None)
@given(source=_programs())
def test_the_default_indent_is_libcsts(source: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    assert default_indent(tree, source.split("\n")) == cst.parse_module(source).default_indent


# -- the proof a spliced rewrite passes ------------------------------------------------

OLD = "x = 1\n# above\nfrom shop.legacy import Category  # why\ny = 2\n"


def _piece(new_run: str) -> tuple[str, Piece]:
    tree = ast.parse(OLD)
    run = tree.body[1]
    assert isinstance(run, ast.ImportFrom)
    old_run = "# above\nfrom shop.legacy import Category  # why\n"
    return (OLD.replace(old_run, new_run),
            Piece(old="pass\n" + old_run, new="pass\n" + new_run, stand_in=1,
                  wrapped=False, statements=(run,)))


PLANNED = {(3, 25): PlannedImport(bound="Category", path="shop.catalog.models.Category")}


@pytest.mark.parametrize(("new_run", "reason"), [
    ("# above\nfrom shop.catalog.models import Category  # why\n", None),
    ("# above\nfrom shop.catalog.models import Category\n", "lose or duplicate a comment"),
    ("# above\nfrom shop.catalog.models import Category as C  # why\n",
     "do not bind what was planned"),
    ("# above\nfrom shop.catalog.models import Category, Product  # why\n",
     "do not bind what was planned"),
    ("# above\nfrom shop.catalog.models import Category  # why\nz = 3\n",
     "change code outside the imports"),
    ("# above\nfrom shop.catalog.models import (Category  # why\n", "does not parse"),
])
def test_a_spliced_rewrite_is_checked(new_run: str, reason: str | None) -> None:
    new, piece = _piece(new_run)
    import_lines = {3}
    found = verify_splice(OLD, new, module="shop.orders.views", is_package=False,
                          planned=PLANNED, pieces=[piece], import_lines=import_lines)
    assert (found is None) if reason is None else (found is not None and reason in found)
