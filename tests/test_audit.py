"""The audit's figures, on the small four-service monorepo ``make_audit_project`` builds
(``tests/conftest.py``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ssot_lint.audit import audit
from ssot_lint.audit.collect import collect
from ssot_lint.audit.model import NO_SERVICE, ServiceEdge, Site
from ssot_lint.audit.run import analyse
from ssot_lint.load.config import load_config
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from tests.conftest import make_audit_project as make_project
from tests.conftest import write_project

IMPORT_RULES = ("SSOT0", "SSOT1")  # exact counts below do not depend on later rule families


def _config(root: Path, **overrides: object) -> Config:
    return load_config(root, overrides=dict(overrides))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mono")


def test_overall_totals_headline_and_compliance(project: Path) -> None:
    result = audit([], _config(project, select=IMPORT_RULES))
    o = result.overall
    assert (o.files, o.findings, o.files_with_findings, o.files_with_errors) == (18, 8, 5, 2)
    assert o.compliance == 88.9  # 16 of 18 files have no error-level finding
    assert result.headline() == "88.9% compliant, 8 violations in 5 files (18 files checked)"
    assert result.by_severity == {"error": 3, "warning": 5}
    assert [(r.code, r.findings, r.files) for r in result.rules] == [
        ("SSOT111", 5, 4), ("SSOT001", 1, 1), ("SSOT101", 1, 1), ("SSOT112", 1, 1)]
    assert result.rules[0].by_severity == {"error": 1, "warning": 4}


def test_scores_per_service_and_package(project: Path) -> None:
    result = audit([], _config(project, select=IMPORT_RULES))
    services = {s.name: (s.files, s.findings, s.files_with_errors, s.compliance)
                for s in result.services}
    assert services == {
        "api": (4, 5, 1, 75.0), "auth": (3, 0, 0, 100.0), "billing": (4, 2, 1, 75.0),
        "shared": (5, 0, 0, 100.0), NO_SERVICE: (2, 1, 0, 100.0)}
    assert [s.name for s in result.services][-1] == NO_SERVICE
    packages = {p.name: (p.files, p.findings) for p in result.packages}
    assert packages["api"] == (4, 5) and packages["tools"] == (2, 1)
    assert result.packages[0].name == "api"  # most findings first


def test_top_files_rank_errors_before_warnings(project: Path) -> None:
    result = audit([], _config(project, select=IMPORT_RULES))
    assert [(f.path, f.errors, f.findings) for f in result.top_files] == [
        ("api/routes.py", 2, 4), ("billing/broken.py", 1, 1), ("api/views.py", 0, 1),
        # billing/reports.py imports OldClient through api.views: the same deprecated object
        ("billing/reports.py", 0, 1), ("tools/script.py", 0, 1)]
    assert result.top_files[0].by_rule == {"SSOT101": 1, "SSOT111": 2, "SSOT112": 1}
    assert result.top_files[0].service == "api"


def test_deprecated_symbols_count_remaining_references(project: Path) -> None:
    result = audit([], _config(project, select=IMPORT_RULES))
    rows = {d.symbol: d for d in result.deprecated}
    old = rows["shared.legacy.OldClient"]
    assert (old.kind, old.imports, old.usages, old.files) == ("symbol", 4, 0, 4)
    # billing/reports.py imports the same object through api.views: counted under the entry
    assert old.sites == (Site("api/routes.py", 1, "SSOT111"), Site("api/views.py", 1, "SSOT111"),
                         Site("billing/reports.py", 1, "SSOT111"),
                         Site("tools/script.py", 1, "SSOT111"))
    assert old.use_instead == "shared.client.Client" and old.hint.startswith("OldClient opens")
    session = rows["shared.legacy.make_session"]
    assert (session.references, session.severity) == (1, "error")
    retired = rows["shared.retired"]  # fully migrated: still listed, with zero left
    assert (retired.kind, retired.references, retired.sites) == ("module", 0, ())
    assert [d.symbol for d in result.deprecated][0] == "shared.legacy.OldClient"


def test_service_graph_edges_flag_what_may_import_forbids(project: Path) -> None:
    result = audit([], _config(project))
    assert result.edges == (
        # api -> shared: 4 statements (`from shared.legacy import OldClient, make_session`
        # is one import of shared.legacy, as SSOT201 counts it)
        ServiceEdge("api", "billing", 2, True), ServiceEdge("api", "shared", 4, True),
        ServiceEdge("auth", "shared", 1, True), ServiceEdge("billing", "api", 2, False),
        ServiceEdge("billing", "shared", 1, True), ServiceEdge("shared", "auth", 1, False))
    assert result.service_names == ("api", "auth", "billing", "shared")
    # The boundary rule agrees: one SSOT201 finding per import on a red edge.
    boundary = next(r for r in result.rules if r.code == "SSOT201")
    assert boundary.findings == sum(e.imports for e in result.violating_edges) == 3


def test_type_checking_imports_leave_the_graph_when_policy_ignores_them(tmp_path: Path) -> None:
    extra = {"auth/typing_only.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                    "    from billing.invoices import Invoice\n"}
    checked = make_project(tmp_path / "a", extra)
    ignored = make_project(tmp_path / "b", extra,
                           registry_extra='[policy]\ntype_checking_imports = "ignore"\n')
    edge = ServiceEdge("auth", "billing", 1, False)
    assert edge in audit([], _config(checked)).edges
    assert all(e.source != "auth" or e.target != "billing"
               for e in audit([], _config(ignored)).edges)


def test_unregistered_first_party_symbols(tmp_path: Path) -> None:
    root = make_project(tmp_path / "mono", {"auth/more.py": "from shared import client\n"
                                            "from shared.client import Client\n"})
    result = audit([], _config(root))
    assert [(u.path, u.references, u.files) for u in result.unregistered] == [
        ("api.routes.Invoice", 2, 2), ("api.views.OldClient", 1, 1),
        ("auth.keys.signing_key", 1, 1), ("billing.invoices.Invoice", 1, 1)]
    assert result.unregistered_sites == 5  # submodules, aliases, broken, deprecated excluded


def test_paths_limit_the_report_but_not_the_judgement(project: Path) -> None:
    result = audit([project / "billing"], _config(project))
    assert result.overall.files == 4
    assert {s.name for s in result.services if s.files} == {"billing"}
    assert [(e.source, e.target) for e in result.edges] == [("billing", "api"),
                                                            ("billing", "shared")]


def test_usage_duplicate_and_stale_findings_feed_the_report(project: Path) -> None:
    """SSOT301/303 references, SSOT401 duplicates and SSOT902 stale entries, as the
    rules that produce them report them (findings keyed by ``symbol``)."""
    config = _config(project, select=IMPORT_RULES)
    run = analyse([], config, cwd=project)
    extra = [
        Finding("api/views.py", 5, 9, "SSOT301", "deprecated-usage", "warning",
                "`OldClient` is deprecated", symbol="shared.legacy.OldClient"),
        Finding("api/views.py", 7, 1, "SSOT303", "deprecated-marker", "warning",
                "`Legacy` is deprecated", symbol="shared.client.Legacy"),
        Finding("billing/invoices.py", 4, 1, "SSOT401", "duplicate-definition", "warning",
                "`Client` is also defined here", symbol="shared.client.Client"),
        Finding("ssot-registry.toml", 12, 1, "SSOT902", "stale-registry-entry", "warning",
                "`shared.retired` no longer exists", symbol="shared.retired"),
    ]
    run = replace(run, findings=sorted(run.findings + extra, key=Finding.sort_key))
    result = collect(run)
    rows = {d.symbol: d for d in result.deprecated}
    assert (rows["shared.legacy.OldClient"].imports, rows["shared.legacy.OldClient"].usages,
            rows["shared.legacy.OldClient"].files) == (4, 1, 4)
    marker = rows["shared.client.Legacy"]  # in-code deprecation: a row of its own
    assert (marker.references, marker.use_instead, marker.kind) == (1, None, "symbol")
    assert [(i.path, i.line) for i in result.duplicates] == [("billing/invoices.py", 4)]
    assert [(i.path, i.line, i.symbol) for i in result.stale_entries] == [
        ("ssot-registry.toml", 12, "shared.retired")]
    # the registry finding counts as a violation but is not a source file
    assert result.overall.findings == 12 and result.overall.files == 18


def test_advice_for_every_category_found(project: Path) -> None:
    result = audit([], _config(project))
    codes = [a.code for a in result.advice]
    assert codes == sorted({r.code for r in result.rules})
    by_code = {a.code: a for a in result.advice}
    assert "may_import" in by_code["SSOT201"].text
    assert by_code["SSOT112"].fixable == "safe"


def test_same_input_same_data(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = audit([], _config(project)).to_dict()
    second = audit([], _config(project)).to_dict()
    assert first == second
    assert first["generated_at"] == "2026-01-01T00:00:00Z"
    assert first["version"] == 1 and first["overall"]["compliance"] == 77.8


def test_progress_is_reported_per_phase(project: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    audit([], _config(project), progress=lambda phase, done, total: seen.append(
        (phase, done, total)))
    assert seen[0] == ("reading", 0, 18) and ("reading", 18, 18) in seen
    assert seen[-1] == ("checking", 18, 18)


def test_importing_a_submodule_by_from_counts_for_its_service(tmp_path: Path) -> None:
    """``from platform_pkg import billing`` imports platform_pkg.billing: the billing service."""
    registry = """
[project]
packages = ["corp"]
[services.web]
packages = ["corp.web"]
may_import = []
[services.billing]
packages = ["corp.billing"]
may_import = []
"""
    root = write_project(tmp_path / "corp", {
        "corp/web/views.py": "from corp import billing\nfrom corp.billing import api\n",
        "corp/billing/api.py": "X = 1\n",
    }, registry)
    assert audit([], _config(root)).edges == (ServiceEdge("web", "billing", 2, False),)
