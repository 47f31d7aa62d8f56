"""``fix`` writes imports the way the project's import sorter wants them.

Each fixture is a small project whose import blocks pass ``ruff check --select I`` (ruff's
default isort settings, the registry's packages as first party) before ``fix``; after
it the exact text is pinned and ruff must still pass: a moved name joins an existing
``from`` import of its new module, a statement that changes module moves to its sorted
place (across sections when a relative import becomes absolute, with its comment), a
relative import stays relative when the registry allows it, long statements wrap like
ruff wraps them (``[tool.ruff] line-length`` honoured), and a block that was never
sorted keeps its order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.fix.run import fix
from ssot_lint.load.config import load_config
from tests.conftest import write_project

MODULES = {
    "shop/catalog/models.py": "class Product: ...\nclass Category: ...\nPRICE_LIMIT = 10\n",
    "shop/catalog/pricing.py": "def discount(): ...\ndef tax(): ...\n",
    "shop/catalog/storefront_recommendations.py": (
        "class RecommendationEngineConfiguration: ...\n"
        "class PersonalisedRecommendationEngine: ...\n"),
    "shop/legacy.py": ("from shop.catalog.models import Category, Product\n"
                       "from shop.catalog.pricing import discount\n"
                       "from shop.catalog.storefront_recommendations import (\n"
                       "    PersonalisedRecommendationEngine,\n"
                       "    RecommendationEngineConfiguration,\n)\n"),
    "shop/orders/__init__.py": "",
    "shop/orders/cart.py": "class Cart: ...\n",
}
REGISTRY = """
[symbols."shop.catalog.models.Product"]
aliases = ["shop.legacy.Product"]

[symbols."shop.catalog.models.Category"]
aliases = ["shop.legacy.Category"]

[symbols."shop.catalog.pricing.discount"]
aliases = ["shop.legacy.discount"]

[symbols."shop.catalog.storefront_recommendations.PersonalisedRecommendationEngine"]
aliases = ["shop.legacy.PersonalisedRecommendationEngine"]

[symbols."shop.catalog.storefront_recommendations.RecommendationEngineConfiguration"]
aliases = ["shop.legacy.RecommendationEngineConfiguration"]
"""
FORBID = '[policy]\nrelative_imports = "forbid"\n'


def ruff_sorted(root: Path, rel: str) -> bool:
    """Whether ruff's import sorting (default settings) accepts ``rel``."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "I",
         "--config", "lint.isort.known-first-party = ['shop']",
         "--config", f"line-length = {line_length(root)}", rel],
        cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


def line_length(root: Path) -> int:
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "line-length" in pyproject.read_text():
        return int(pyproject.read_text().split("line-length = ")[1].split()[0])
    return 88


def fixed(tmp_path: Path, source: str, registry: str = REGISTRY,
          extra: dict[str, str] | None = None, rel: str = "shop/orders/views.py",
          sorted_before: bool = True) -> str:
    root = write_project(tmp_path / "proj", {**MODULES, **(extra or {}), rel: source},
                         registry, packages=("shop",))
    assert ruff_sorted(root, rel) == sorted_before
    result = fix([], load_config(root), cwd=root)
    assert result.errors == [] and result.not_fixed == [], result.not_fixed
    assert result.fixed
    if sorted_before:
        assert ruff_sorted(root, rel), (root / rel).read_text()
    return (root / rel).read_text()


def test_a_moved_name_joins_the_existing_import_of_its_module(tmp_path: Path) -> None:
    source = ("import os\n\nimport click\n\n"
              "from shop.catalog.models import Product\n"
              "from shop.legacy import Category\n"
              "from shop.orders.cart import Cart\n\n"
              "print(os, click, Category, Product, Cart)\n")
    assert fixed(tmp_path, source) == (
        "import os\n\nimport click\n\n"
        "from shop.catalog.models import Category, Product\n"
        "from shop.orders.cart import Cart\n\n"
        "print(os, click, Category, Product, Cart)\n")


def test_names_split_between_modules_go_to_their_sorted_places(tmp_path: Path) -> None:
    source = ("from shop.catalog.pricing import tax\n"
              "from shop.legacy import Category, discount\n"
              "from shop.orders.cart import Cart\n")
    assert fixed(tmp_path, source) == (
        "from shop.catalog.models import Category\n"
        "from shop.catalog.pricing import discount, tax\n"
        "from shop.orders.cart import Cart\n")


def test_a_long_import_wraps_as_ruff_wraps_it(tmp_path: Path) -> None:
    source = ("from shop.legacy import (\n"
              "    PersonalisedRecommendationEngine,\n"
              "    RecommendationEngineConfiguration,\n"
              ")\nfrom shop.orders.cart import Cart\n")
    assert fixed(tmp_path, source) == (
        "from shop.catalog.storefront_recommendations import (\n"
        "    PersonalisedRecommendationEngine,\n"
        "    RecommendationEngineConfiguration,\n"
        ")\nfrom shop.orders.cart import Cart\n")
    # without the magic trailing comma, and with a line length that fits it: one line
    source = ("from shop.legacy import PersonalisedRecommendationEngine\n"
              "from shop.orders.cart import Cart\n")
    assert fixed(tmp_path / "wide", source, extra={
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n"}) == (
        "from shop.catalog.storefront_recommendations import "
        "PersonalisedRecommendationEngine\n"
        "from shop.orders.cart import Cart\n")
    assert fixed(tmp_path / "narrow", source, extra={
        "pyproject.toml": "[tool.ruff]\nline-length = 60\n"}) == (
        "from shop.catalog.storefront_recommendations import (\n"
        "    PersonalisedRecommendationEngine,\n"
        ")\nfrom shop.orders.cart import Cart\n")


def test_relative_made_absolute_moves_to_the_first_party_section(tmp_path: Path) -> None:
    source = ('"""Views."""\n\nimport os\n\n'
              "from shop.legacy import Product\n\n"
              "# the cart lives next door\n"
              "from .cart import Cart\n\n"
              "print(os, Product, Cart)\n")
    assert fixed(tmp_path, source, REGISTRY + FORBID) == (
        '"""Views."""\n\nimport os\n\n'
        "from shop.catalog.models import Product\n\n"
        "# the cart lives next door\n"
        "from shop.orders.cart import Cart\n\n"
        "print(os, Product, Cart)\n")


def test_relative_stays_relative_when_the_registry_allows_it(tmp_path: Path) -> None:
    source = "from ..legacy import Product\nfrom .cart import Cart\n"
    assert fixed(tmp_path, source) == (
        "from ..catalog.models import Product\nfrom .cart import Cart\n")


def test_nested_blocks_are_sorted_with_their_indentation(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\n\n"
              "if TYPE_CHECKING:\n"
              "    from shop.legacy import RecommendationEngineConfiguration, discount\n"
              "    from shop.orders.cart import Cart\n")
    assert fixed(tmp_path, source) == (
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from shop.catalog.pricing import discount\n"
        "    from shop.catalog.storefront_recommendations import (\n"
        "        RecommendationEngineConfiguration,\n"
        "    )\n"
        "    from shop.orders.cart import Cart\n")


def test_a_block_that_was_not_sorted_keeps_its_order(tmp_path: Path) -> None:
    source = ("from shop.orders.cart import Cart\n"
              "import os\n"
              "from shop.legacy import Product, discount\n")
    assert fixed(tmp_path, source, sorted_before=False) == (
        "from shop.orders.cart import Cart\n"
        "import os\n"
        "from shop.catalog.models import Product\n"
        "from shop.catalog.pricing import discount\n")


@pytest.mark.parametrize("source", [
    "from shop.legacy import Category  # noqa: F401\nfrom shop.orders.cart import Cart\n",
    "from shop.catalog.models import (  # models\n    Product,\n)\n"
    "from shop.legacy import Category\n",
])
def test_comments_are_never_lost(tmp_path: Path, source: str) -> None:
    text = fixed(tmp_path, source)
    assert sorted(line.split("#")[1] for line in text.splitlines() if "#" in line) == \
        sorted(line.split("#")[1] for line in source.splitlines() if "#" in line)
    assert "Category" in text and "shop.legacy" not in text


def test_wrapped_names_are_indented_as_the_file_indents(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\n\n"
              "if TYPE_CHECKING:\n"
              "  from shop.legacy import RecommendationEngineConfiguration\n"
              "  from shop.orders.cart import Cart\n")
    narrow = {"pyproject.toml": "[tool.ruff]\nline-length = 60\n"}
    assert fixed(tmp_path, source, extra=narrow) == (
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "  from shop.catalog.storefront_recommendations import (\n"
        "    RecommendationEngineConfiguration,\n"
        "  )\n"
        "  from shop.orders.cart import Cart\n")
