"""``registry import-markdown`` keeps what comments in the document say.

The fixture (``tests/registry_tools/dialect_comments.md``) is written in the dialect of
the first user's registry document: ``# ❌ DEPRECATED: from X import Y`` lines, a
``# DEPRECATED ...:`` header over ``# from X import Y``, a comment between an import and
its ``# ✅ CORRECTED:`` line, and section labels that are not reasons.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ssot_lint.registry_tools.markdown_export import export_markdown
from ssot_lint.registry_tools.markdown_import import observe
from ssot_lint.registry_tools.markdown_merge import Conversion, convert
from ssot_lint.registry_tools.toml_writer import render
from tests.conftest import comparable, load_text, schema_errors

DIALECT = Path(__file__).parent / "registry_tools" / "dialect_comments.md"


@pytest.fixture(scope="module")
def dialect() -> Conversion:
    return convert(DIALECT.read_text(encoding="utf-8"), DIALECT.name)


# -- a document in the real registry's dialect (written for the tests) -----------------

def test_dialect_counts(dialect: Conversion) -> None:
    assert dialect.summary() == {"symbols": 5, "aliases": 1, "broken": 2, "deprecated": 4,
                                 "skipped": 3, "contradictions": 0, "ties": 0}


def test_dialect_keeps_what_the_document_says(dialect: Conversion) -> None:
    draft = dialect.draft
    cart = draft.symbols["shop.cart.model.Cart"]
    assert cart.aliases == ["shop.cart.Cart"] and cart.verified == dt.date(2025, 9, 11)
    # "# ❌ DEPRECATED: from X import Y  # reason" then "# ✅ CORRECTED: ..."
    old_cart = draft.deprecated["shop.old_cart.Cart"]
    assert (old_cart.use_instead, old_cart.reason) == ("shop.cart.model.Cart",
                                                       "carts are per session now")
    # "# DEPRECATED (remove by Q4):" then "# from shop.legacy import refund"
    refund = draft.deprecated["shop.legacy.refund"]
    assert (refund.use_instead, refund.reason) == ("shop.refunds.refund", "remove by Q4")
    # a comment between an import and its "# ✅ CORRECTED:" line: still its replacement,
    # and the comment is its reason
    order = draft.broken["shop.orders.broken.Order"]
    assert (order.use_instead, order.reason) == (
        "shop.orders.model.Order", "The orders module was split during the 2025-08 refactor")
    # section labels are decoration, not reasons
    assert draft.broken["shop.payments.gateway.charge"].reason is None
    assert draft.deprecated["shop.legacy_state.OrderState"].reason is None
    before = draft.deprecated["shop.checkout.state.CheckoutState"]
    assert (before.use_instead, before.reason) == ("shop.checkout.session.CheckoutSession",
                                                   None)  # not "BEFORE (fragmented)"


def test_dialect_every_import_line_is_converted_or_skipped(dialect: Conversion) -> None:
    text = DIALECT.read_text(encoding="utf-8")
    statement = re.compile(r"^\s*(#\s*)?(.*:\s*)?(from\s+[\w.]+\s+import\b|import\s+[\w.]+)")
    import_lines = {n for n, line in enumerate(text.splitlines(), 1) if statement.match(line)}
    observed = observe(text)
    accounted = {o.line for o in observed.observations} | {s.line for s in dialect.skipped} | \
        {o.use_instead_line for o in observed.observations}
    assert import_lines - accounted == set()
    assert [(s.line, s.reason) for s in dialect.skipped] == [
        (14, "placeholder [PRODUCT_CLASSES] names no symbol of shop.catalog"),
        (46, "not an import (example code)"),
        (54, "commented-out import (not a USE INSTEAD / CORRECTED line)")]


def test_dialect_registry_loads_matches_the_schema_and_round_trips(dialect: Conversion,
                                                                    tmp_path: Path) -> None:
    text = render(dialect.draft)
    first = load_text(tmp_path, text, "first.toml")
    assert len(first.symbols) == 5 and len(first.deprecated) == 4
    assert schema_errors(text) == []
    again = convert(export_markdown(first, "first.toml"), "exported.md")
    assert again.skipped == [] and again.report.contradictions == []
    second = load_text(tmp_path, render(again.draft), "second.toml")
    assert comparable(second) == comparable(first)
