"""``registry import-markdown`` / ``export-markdown`` against the real document and fixtures.

The first user's real Markdown registry is not part of the repository: the tests that pin
what importing it yields are opt-in (marker ``real_registry``, deselected unless the
environment variable ``SSOT_LINT_REAL_REGISTRY`` names the document). Every construct of
its dialect is covered without it by ``tests/test_registry_tools_markdown_dialect.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from ssot_lint.cli import main
from ssot_lint.load.registry import load_registry
from ssot_lint.registry_tools.codebase import defines, load_codebase
from ssot_lint.registry_tools.markdown_export import export_markdown
from ssot_lint.registry_tools.markdown_import import observe
from ssot_lint.registry_tools.markdown_merge import Conversion, convert
from ssot_lint.registry_tools.toml_writer import render
from tests.conftest import comparable, load_text, schema_errors, write_project

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("SSOT_LINT_REAL_REGISTRY", "SSOT_IMPORT_REGISTRY-2025-09-11.md"))
QUIRKS = Path(__file__).parent / "registry_tools" / "quirks.md"


def real_text() -> str:
    assert REAL.is_file(), f"SSOT_LINT_REAL_REGISTRY names no file: {REAL}"
    return REAL.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def real() -> Conversion:
    return convert(real_text(), REAL.name)


# -- the real document ------------------------------------------------------------------

@pytest.mark.real_registry
def test_real_document_counts(real: Conversion) -> None:
    assert real.summary() == {"symbols": 83, "aliases": 9, "broken": 16, "deprecated": 5,
                              "skipped": 34, "contradictions": 3, "ties": 0}


@pytest.mark.real_registry
def test_real_document_sample_entries(real: Conversion) -> None:
    draft = real.draft
    agent_state = draft.symbols["netra_backend.app.agents.models.AgentState"]
    assert agent_state.aliases == ["netra_backend.app.agents.base_agent.AgentState"]
    assert "netra_backend.app.agents.base_agent.AgentState" not in draft.symbols
    clickhouse = draft.symbols["netra_backend.app.db.clickhouse.ClickHouseClient"]
    assert clickhouse.aliases == ["netra_backend.app.db.clickhouse_client.ClickHouseClient"]
    assert clickhouse.verified == dt.date(2025, 9, 11)
    socket = draft.symbols["netra_backend.app.websocket_core.websocket_manager.WebSocketManager"]
    assert socket.aliases == ["netra_backend.app.websocket_core.manager.WebSocketManager"]
    assert draft.symbols["netra_backend.app.agents.corpus_admin_sub_agent."
                         "CorpusAdminSubAgent"].verified is False
    bridge = draft.broken["netra_backend.app.agents.agent_websocket_bridge."
                          "create_agent_websocket_bridge"]
    assert bridge.use_instead == ("netra_backend.app.services.agent_websocket_bridge."
                                  "create_agent_websocket_bridge")
    assert bridge.reason and "Golden Path failure" in bridge.reason
    # "USE INSTEAD: from shared.isolated_environment import IsolatedEnvironment, get_env"
    # replaces the one import above it by name.
    assert draft.broken["netra_backend.app.core.isolated_environment.IsolatedEnvironment"] \
        .use_instead == "shared.isolated_environment.IsolatedEnvironment"
    assert draft.broken["test_framework.ssot.database_test_utility.DatabaseTestUtility"] \
        .use_instead == "test_framework.database_test_utilities.DatabaseTestUtilities"
    assert "netra_backend.app.agents.reporting_agents.uvs_reporting_agent.UVSReportingAgent.run" \
        in draft.broken  # a BROKEN MOCK PATH
    deep = draft.deprecated["netra_backend.app.agents.state.DeepAgentState"]
    assert deep.use_instead == ("netra_backend.app.services.user_execution_context."
                                "UserExecutionContext")  # the "✅ AFTER" import
    legacy = draft.deprecated["netra_backend.app.core.execution_tracker.ExecutionState"]
    assert legacy.use_instead == "netra_backend.app.core.agent_execution_tracker.ExecutionState"


@pytest.mark.real_registry
def test_real_document_contradictions_name_both_lines(real: Conversion) -> None:
    assert real.report.contradictions == [
        "`netra_backend.app.agents.state.DeepAgentState` is listed as verified (line 79) and "
        "as deprecated (line 705): deprecated wins",
        "`netra_backend.app.core.execution_tracker.ExecutionState` is listed as verified "
        "(lines 22, 544) and as deprecated (line 615): deprecated wins",
        "`netra_backend.app.core.execution_tracker.get_execution_tracker` is listed as verified "
        "(line 22) and as deprecated (line 615): deprecated wins",
    ]
    assert "netra_backend.app.agents.state.DeepAgentState" not in real.draft.symbols


@pytest.mark.real_registry
def test_every_import_line_is_converted_or_skipped(real: Conversion) -> None:
    text = real_text()
    statement = re.compile(r"^\s*(from\s+[\w.]+\s+import\b|import\s+[\w.]+|@patch\()")
    import_lines = {n for n, line in enumerate(text.splitlines(), 1) if statement.match(line)}
    observed = observe(text)
    accounted = {o.line for o in observed.observations} | {s.line for s in real.skipped}
    assert len(import_lines) == 98
    assert import_lines - accounted == set()
    reasons = {s.line: s.reason for s in real.skipped}
    assert reasons[123].startswith("placeholder [AUTH_MODEL_CLASSES]")
    assert reasons[204].startswith("mock patch target")  # a CORRECT MOCK PATH
    assert reasons[586] == "not an import (example code)"  # class ExecutionState(Enum):


@pytest.mark.real_registry
def test_real_document_registry_loads_and_matches_the_schema(real: Conversion,
                                                             tmp_path: Path) -> None:
    text = render(real.draft)
    registry = load_text(tmp_path, text)
    assert len(registry.symbols) == 83 and len(registry.broken) == 16
    assert schema_errors(text) == []
    assert "# contradiction: `netra_backend.app.agents.state.DeepAgentState`" in text


@pytest.mark.real_registry
def test_import_export_import_round_trips(real: Conversion, tmp_path: Path) -> None:
    first = load_text(tmp_path, render(real.draft), "first.toml")
    markdown = export_markdown(first, "first.toml")
    again = convert(markdown, "exported.md")
    assert again.skipped == [] and again.report.contradictions == []
    second = load_text(tmp_path, render(again.draft), "second.toml")
    assert comparable(second) == comparable(first)


def test_export_groups_by_service_and_keeps_hints(tmp_path: Path) -> None:
    registry = load_text(tmp_path, """version = 1
[symbols."billing.core.Invoice"]
aliases = ["billing.Invoice"]
verified = true
[deprecated."billing.old.Invoice"]
use_instead = "billing.core.Invoice"
hint = "the old module re-exports it with a warning"
reason = "moved"
[broken."shop.cart"]
use_instead = "shop.basket"
[services.money]
packages = ["billing"]
""")
    markdown = export_markdown(registry, "reg.toml")
    assert "### money Service" in markdown and "### shop Service" in markdown
    assert ("from billing import Invoice  # alias of billing.core.Invoice" in markdown)
    assert "# HINT: the old module re-exports it with a warning" in markdown
    assert "| money | billing | (nothing) |" in markdown
    again = load_text(tmp_path, render(convert(markdown, "x.md").draft), "again.toml")
    assert comparable(again)[:3] == comparable(registry)[:3]


# -- the document's quirks, on a small fixture ---------------------------------------------

@pytest.fixture(scope="module")
def quirks() -> Conversion:
    return convert(QUIRKS.read_text(encoding="utf-8"), QUIRKS.name)


def test_parenthesised_import_keeps_per_name_comments(quirks: Conversion) -> None:
    invoice = quirks.draft.symbols["billing.core.invoice.Invoice"]
    assert invoice.aliases == ["billing.compat.Invoice"]
    assert invoice.verified == dt.date(2025, 9, 11)
    assert "billing.core.invoice.InvoiceLine" in quirks.draft.symbols


def test_bare_use_instead_names_map_in_order(quirks: Conversion) -> None:
    broken = quirks.draft.broken
    assert broken["billing.old.Invoice"].use_instead == "billing.core.invoice.Invoice"
    assert broken["billing.old.make_invoice"].use_instead == "billing.api.make_invoice"
    assert broken["billing.legacy.helpers.Helper"].use_instead == "billing.extras.Helper"
    assert broken["billing.legacy.helpers.Helper"].reason == "WRONG MODULE"
    assert broken["billing.old.Invoice"].reason is None  # not the ISSUE line, not the label


def test_quirks_skipped_lines_have_reasons(quirks: Conversion) -> None:
    lines = QUIRKS.read_text(encoding="utf-8").splitlines()
    skipped = {(lines[s.line - 1].strip(), s.reason) for s in quirks.skipped}
    assert skipped == {
        ("from billing.models import [MODEL_CLASSES]  # ❓ Classes need verification",
         "placeholder [MODEL_CLASSES] names no symbol of billing.models"),
        ("from billing.in_a_text_fence import Nope", "import in a non-Python fence (no language)"),
        ("# USE INSTEAD: from billing.x import C",
         "cannot tell which of the 2 imports above this replaces"),
        ("invoice = Invoice()", "not an import (example code)"),
        ("Prose mentioning `from billing.prose import Thing` is reported too.",
         "import written in prose, not in a Python fence"),
    }


def test_quirks_contradictions_let_broken_and_deprecated_win(quirks: Conversion) -> None:
    assert quirks.report.contradictions == [
        "`billing.old.Invoice` is deprecated (line 41) and broken (line 28): broken wins",
        "`billing.api.send_invoice` is listed as verified (line 14) and as deprecated "
        "(line 40): deprecated wins",
    ]
    assert "billing.api.send_invoice" not in quirks.draft.symbols
    assert "billing.api.send_invoice" in quirks.draft.deprecated
    assert quirks.draft.symbols["billing.extras.Helper"].verified is False


TIE = """### Service
#### ✅ VERIFIED IMPORTS:
```python
from app.one import Widget
from app.two import Widget
```
"""


def test_tie_is_reported_and_kept_without_a_code_base() -> None:
    conversion = convert(TIE, "tie.md")
    assert sorted(conversion.draft.symbols) == ["app.one.Widget", "app.two.Widget"]
    assert len(conversion.report.ties) == 1 and "app.one.Widget (line 4)" in \
        conversion.report.ties[0]


def test_root_settles_a_tie_by_the_defining_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "code", {"app/one.py": "from app.two import Widget\n",
                                             "app/two.py": "class Widget: ...\n"})
    project = load_codebase(root)
    conversion = convert(TIE, "tie.md", lambda m, n: defines(project, m, n))
    assert conversion.report.ties == []
    assert conversion.draft.symbols["app.two.Widget"].aliases == ["app.one.Widget"]


# -- the command ------------------------------------------------------------------------

def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The real console entry point: (exit code, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_cli_prints_skipped_lines_and_summary(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ssot-registry.toml"
    code, stdout, stderr = run_cli(["registry", "import-markdown", str(QUIRKS), "-o", str(out)],
                                   capsys)
    assert code == 0, stderr
    assert f"{QUIRKS.as_posix()}:15: skipped: placeholder [MODEL_CLASSES]" in stderr
    assert "contradiction: `billing.old.Invoice` is deprecated (line 41)" in stderr
    assert "symbols: 4, aliases: 1, broken: 5, deprecated: 1, skipped: 5" in stderr
    assert load_registry(out).symbols["billing.core.invoice.Invoice"].verified == "2025-09-11"
    code, _, stderr = run_cli(["registry", "import-markdown", str(QUIRKS), "-o", str(out)], capsys)
    assert code == 2 and "exists; pass --force to overwrite it" in stderr


def test_cli_writes_toml_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, stdout, _ = run_cli(["registry", "import-markdown", str(QUIRKS)], capsys)
    assert code == 0
    assert load_text(tmp_path, stdout).broken["billing.old.make_invoice"].use_instead == \
        "billing.api.make_invoice"


def test_cli_root_settles_ties_and_export_round_trips(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code_root = write_project(tmp_path / "code", {"app/one.py": "from app.two import Widget\n",
                                                  "app/two.py": "class Widget: ...\n"})
    doc = tmp_path / "tie.md"
    doc.write_text(TIE, encoding="utf-8")
    registry = tmp_path / "reg.toml"
    code, _, stderr = run_cli(["registry", "import-markdown", str(doc), "--root", str(code_root),
                               "-o", str(registry)], capsys)
    assert code == 0 and "ties: 0" in stderr
    assert load_registry(registry).symbols["app.two.Widget"].aliases == ("app.one.Widget",)
    monkeypatch.chdir(tmp_path)
    exported = tmp_path / "REGISTRY.md"
    code, _, _ = run_cli(["registry", "export-markdown", "--registry", str(registry), "-o",
                          str(exported)], capsys)
    assert code == 0
    assert "from app.one import Widget  # alias of app.two.Widget" in exported.read_text()
    code, _, stderr = run_cli(["registry", "export-markdown", "--registry", str(registry), "-o",
                               str(exported)], capsys)
    assert code == 2 and "pass --force" in stderr
    code, stdout, _ = run_cli(["registry", "export-markdown", "--registry", str(registry)],
                              capsys)
    assert code == 0 and stdout == exported.read_text()


def test_fences_inside_list_items_keep_their_comment_headers() -> None:
    text = ("1. **Broken**:\n"
            "   ```python\n"
            "   # THESE PATHS DO NOT EXIST:\n"
            "   from app.old import Thing\n"
            "   # USE INSTEAD: from app.new import Thing\n"
            "   ```\n")
    conversion = convert(text, "list.md")
    assert conversion.skipped == []
    assert conversion.draft.broken["app.old.Thing"].use_instead == "app.new.Thing"
    # the header classified the fence (broken) and is kept out of the reason: a label
    assert conversion.draft.broken["app.old.Thing"].reason is None
