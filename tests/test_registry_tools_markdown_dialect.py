"""``registry import-markdown`` on a document written here in the first user's dialect.

``tests/registry_tools/dialect.md`` is a small registry in the style of the real one
(service sections with VERIFIED / AVAILABLE / BROKEN blocks, ``# USE INSTEAD:`` lines,
``❓`` markers, placeholders, mock-path sections, "WORKING IMPORTS" compatibility notes,
"LEGACY IMPORT PATHS (DEPRECATED BUT WORKING)" and a BEFORE/AFTER migration). The tests
pin what the importer makes of every construct, so a clone tests the importer without
the real document (that one is an opt-in corpus test: see ``tests/conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ssot_lint.load.registry import load_registry
from ssot_lint.registry_tools.markdown_export import export_markdown
from ssot_lint.registry_tools.markdown_import import observe
from ssot_lint.registry_tools.markdown_merge import Conversion, convert
from ssot_lint.registry_tools.toml_writer import render
from tests.conftest import schema_errors

DIALECT = Path(__file__).parent / "registry_tools" / "dialect.md"
BACKEND = "shop_backend.app"


@pytest.fixture(scope="module")
def dialect() -> Conversion:
    return convert(DIALECT.read_text(encoding="utf-8"), DIALECT.name)


def test_every_construct_lands_in_the_right_table(dialect: Conversion) -> None:
    draft = dialect.draft
    assert sorted(draft.broken) == [
        "shop_backend.app.core.environment.Environment",
        "shop_backend.app.orders.payment_gateway.create_payment_gateway",
        "shop_backend.app.workers.legacy.fraud_worker.FraudWorker",
        "shop_backend.app.workers.legacy.fraud_worker.FraudWorker.run",  # a BROKEN MOCK PATH
    ]
    assert sorted(draft.deprecated) == [f"{BACKEND}.core.fulfilment_tracker.FulfilmentState",
                                        f"{BACKEND}.orders.state.LegacyOrderState"]
    assert len(draft.symbols) == 13
    # Placeholders, example code and correct mock paths name no symbol.
    assert not any("ACCOUNT_MODEL" in path or "MyAccounts" in path for path in draft.symbols)


def test_compatibility_notes_make_aliases_of_the_original_location(dialect: Conversion) -> None:
    symbols = dialect.draft.symbols
    state = symbols[f"{BACKEND}.orders.models.OrderState"]  # "Original SSOT location"
    assert state.aliases == [f"{BACKEND}.orders.base_order.OrderState"]
    assert f"{BACKEND}.orders.base_order.OrderState" not in symbols
    cache = symbols[f"{BACKEND}.db.cache.CacheClient"]  # "Compatibility import" is the alias
    assert cache.aliases == [f"{BACKEND}.db.cache_client.CacheClient"]
    assert cache.verified == dt.date(2025, 10, 1)  # from the group comment "VERIFIED 2025-10-01"
    assert symbols[f"{BACKEND}.workers.refund_worker.RefundWorker"].verified is False  # ❓
    assert symbols[f"{BACKEND}.orders.base_order.BaseOrder"].verified is None


def test_use_instead_lines_attach_to_the_import_above_by_name(dialect: Conversion) -> None:
    broken = dialect.draft.broken
    gateway = broken[f"{BACKEND}.orders.payment_gateway.create_payment_gateway"]
    assert gateway.use_instead == f"{BACKEND}.services.payment_gateway.create_payment_gateway"
    assert gateway.reason == ("CRITICAL: Fixed 2025-09-30 - This was causing checkout failures "
                              "for every customer")
    # "USE INSTEAD: from shared.environment import Environment, get_env": by name.
    assert broken[f"{BACKEND}.core.environment.Environment"].use_instead == \
        "shared.environment.Environment"
    fraud = broken[f"{BACKEND}.workers.legacy.fraud_worker.FraudWorker"]
    # "THESE PATHS DO NOT EXIST:" classifies the fence; a section label is not a reason
    assert fraud.use_instead is None and fraud.reason is None


def test_migration_before_after_deprecates_with_the_after_import(dialect: Conversion) -> None:
    legacy = dialect.draft.deprecated[f"{BACKEND}.orders.state.LegacyOrderState"]
    assert legacy.use_instead == f"{BACKEND}.services.customer_context.CustomerContext"
    assert dialect.report.contradictions == [
        f"`{BACKEND}.core.fulfilment_tracker.FulfilmentState` is listed as verified (line 25) "
        "and as deprecated (line 111): deprecated wins",
        f"`{BACKEND}.orders.state.LegacyOrderState` is listed as verified (line 34) and as "
        "deprecated (line 120): deprecated wins",
    ]
    assert f"{BACKEND}.orders.state.LegacyOrderState" not in dialect.draft.symbols


def test_every_import_line_is_converted_or_skipped_with_a_reason(dialect: Conversion) -> None:
    text = DIALECT.read_text(encoding="utf-8")
    statement = re.compile(r"^\s*(from\s+[\w.]+\s+import\b|import\s+[\w.]+|@patch\()")
    import_lines = {n for n, line in enumerate(text.splitlines(), 1) if statement.match(line)}
    accounted = ({o.line for o in observe(text).observations}
                 | {s.line for s in dialect.skipped})
    assert len(import_lines) == 21
    assert import_lines - accounted == set()
    reasons = {s.line: s.reason for s in dialect.skipped}
    assert reasons[62] == ("placeholder [ACCOUNT_MODEL_CLASSES] names no symbol of "
                           "accounts.core.models.account_models")
    assert reasons[80] == "mock patch target (where to patch, not an import path)"
    assert reasons[68] == reasons[104] == "not an import (example code)"


def test_the_result_loads_matches_the_schema_and_round_trips(dialect: Conversion,
                                                             tmp_path: Path) -> None:
    text = render(dialect.draft)
    assert schema_errors(text) == []
    first_path = tmp_path / "first.toml"
    first_path.write_text(text, encoding="utf-8")
    first = load_registry(first_path)
    assert len(first.symbols) == 13 and len(first.broken) == 4
    again = convert(export_markdown(first, "first.toml"), "exported.md")
    assert again.skipped == [] and again.report.contradictions == []
    assert sorted(again.draft.symbols) == sorted(dialect.draft.symbols)
    assert sorted(again.draft.broken) == sorted(dialect.draft.broken)
