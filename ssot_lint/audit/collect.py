"""Turn an analysed project and its findings into the audit's figures.

Pure aggregation over data already computed (findings, facts, the registry), so it is
cheap and tested on small fixture projects. Every collection is sorted explicitly:
the same project gives the same report, byte for byte, apart from the timestamp.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone

from ssot_lint.audit.advice import advice_for
from ssot_lint.audit.model import (
    NO_SERVICE,
    Audit,
    BaselineDebt,
    DeprecatedSymbol,
    FileTotal,
    HealthItem,
    RuleTotal,
    Scope,
    Site,
)
from ssot_lint.audit.run import AuditRun
from ssot_lint.audit.services import package_of, service_edges, unregistered_symbols
from ssot_lint.baseline import Entry, apply_baseline
from ssot_lint.graph.services import ServiceMap
from ssot_lint.model.finding import SEVERITY_ORDER, Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.rules import rule_by_code
from ssot_lint.rules.base import display_path

DEPRECATED_IMPORT = "SSOT111"
DEPRECATED_USES = ("SSOT301", "SSOT303")  # references beyond the import
STALE_ENTRY, DUPLICATE = "SSOT902", "SSOT401"
TOP_FILES = 20


def generated_at() -> str:
    """UTC time of the run; ``SOURCE_DATE_EPOCH`` pins it for reproducible reports."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch.isdigit()
              else datetime.now(tz=timezone.utc))
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _scope(name: str, paths: list[str], by_path: dict[str, list[Finding]]) -> Scope:
    found = [f for p in paths for f in by_path.get(p, [])]
    codes = Counter(f.code for f in found)
    return Scope(name=name, files=len(paths), findings=len(found),
                 files_with_findings=sum(1 for p in paths if by_path.get(p)),
                 files_with_errors=sum(1 for p in paths
                                       if any(f.severity == "error" for f in by_path.get(p, []))),
                 by_rule=dict(sorted(codes.items())))


def _overall(paths: list[str], by_path: dict[str, list[Finding]],
             findings: list[Finding]) -> Scope:
    """The whole run: file figures over source files, counts over every finding
    (including findings about the registry itself, which is not a source file)."""
    files = _scope("overall", paths, by_path)
    codes = Counter(f.code for f in findings)
    return replace(files, findings=len(findings), by_rule=dict(sorted(codes.items())))


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, path in pairs:
        groups[key].append(path)
    return {key: sorted(groups[key]) for key in sorted(groups)}


def _baseline(run: AuditRun, entries: Iterable[Entry], name: str) -> BaselineDebt:
    """Split the findings by ``entries``; compliance counted over the new ones only."""
    root = run.project.config.root
    scope = {source.rel for source in run.files}
    outcome = apply_baseline(run.findings, entries, scope, root, root)
    new_ids = {id(f) for f in outcome.new}
    known = [f for f in run.findings if id(f) not in new_ids]
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in outcome.new:
        by_path[finding.path].append(finding)
    paths = sorted(scope)
    return BaselineDebt(
        file=name, known=len(known), new=len(outcome.new), stale=len(outcome.stale),
        files=len({f.path for f in known}),
        by_rule=dict(sorted(Counter(f.code for f in known).items())),
        compliance_without=_scope("new", paths, by_path).compliance)


def collect(run: AuditRun, *, title: str | None = None,
            baseline: Iterable[Entry] | None = None, baseline_name: str = "") -> Audit:
    """The audit of ``run``; finding paths must be relative to the project root.

    With ``baseline`` entries, the debt they record is summarised apart
    (``Audit.baseline``); every other figure still counts every finding.
    """
    project, findings = run.project, run.findings
    registry = project.registry
    root = project.config.root
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    paths = sorted(source.rel for source in run.files)
    services = ServiceMap(registry.services)

    service_groups = _grouped((services.name_of(s.module) or NO_SERVICE, s.rel)
                              for s in run.files)
    for name in services.names:
        service_groups.setdefault(name, [])
    service_scopes = tuple(_scope(name, service_groups[name], by_path)
                           for name in sorted(service_groups, key=lambda n: (n == NO_SERVICE, n)))
    package_scopes = tuple(sorted(
        (_scope(name, group, by_path)
         for name, group in _grouped((package_of(s), s.rel) for s in run.files).items()),
        key=lambda s: (-s.findings, -s.files_with_errors, s.name)))

    service_by_path = {s.rel: services.name_of(s.module) or NO_SERVICE for s in run.files}
    file_totals = sorted(
        (FileTotal(path=p, service=service_by_path.get(p, NO_SERVICE), findings=len(fs),
                   errors=sum(1 for f in fs if f.severity == "error"),
                   by_rule=dict(sorted(Counter(f.code for f in fs).items())))
         for p, fs in by_path.items() if p in service_by_path),
        key=lambda t: (-t.errors, -t.findings, t.path))

    unregistered, unregistered_sites = unregistered_symbols(project, run.files)
    severity = Counter(f.severity for f in findings)
    return Audit(
        title=title or f"SSOT audit of {root.name}",
        generated_at=generated_at(),
        registry=display_path(project.config.registry_path, root),
        overall=_overall(paths, by_path, findings),
        by_severity={k: severity[k]
                     for k in sorted(severity, key=lambda s: SEVERITY_ORDER.get(s, 9))},
        rules=_rule_totals(findings),
        services=service_scopes,
        packages=package_scopes,
        top_files=tuple(file_totals[:TOP_FILES]),
        deprecated=_deprecated(run),
        stale_entries=_health(findings, STALE_ENTRY),
        duplicates=_health(findings, DUPLICATE),
        unregistered=unregistered,
        unregistered_sites=unregistered_sites,
        service_names=services.names,
        edges=service_edges(project, run.files, services),
        advice=advice_for([f.code for f in findings]),
        baseline=_baseline(run, baseline, baseline_name) if baseline is not None else None,
    )


def _rule_totals(findings: list[Finding]) -> tuple[RuleTotal, ...]:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    totals = []
    for code in sorted(by_code):
        group = by_code[code]
        rule = rule_by_code(code)
        severity = Counter(f.severity for f in group)
        totals.append(RuleTotal(
            code=code, rule=group[0].rule, summary=rule.summary if rule else "",
            findings=len(group), files=len({f.path for f in group}),
            by_severity={k: severity[k] for k in sorted(severity,
                                                        key=lambda s: SEVERITY_ORDER.get(s, 9))}))
    return tuple(sorted(totals, key=lambda t: (-t.findings, t.code)))


def _health(findings: list[Finding], code: str) -> tuple[HealthItem, ...]:
    return tuple(HealthItem(code=f.code, path=f.path, line=f.line, message=f.message,
                            symbol=f.symbol) for f in findings if f.code == code)


def _deprecated(run: AuditRun) -> tuple[DeprecatedSymbol, ...]:
    """Every deprecated entry with the references that remain (zero once migrated).

    SSOT111 findings are imports; SSOT301/SSOT303 findings are uses beyond the import.
    A finding is attributed to the registry entry its ``symbol`` falls under; an
    in-code deprecation (SSOT303) with no entry gets a row of its own.
    """
    registry = run.project.registry
    sites: dict[str, list[Site]] = defaultdict(list)
    severities: dict[str, str] = {}
    for finding in run.findings:
        if finding.code != DEPRECATED_IMPORT and finding.code not in DEPRECATED_USES:
            continue
        if not finding.symbol:
            continue
        entry = match_entry(registry.deprecated, finding.symbol)
        key = entry.path if entry else finding.symbol
        sites[key].append(Site(finding.path, finding.line, finding.code))
        severities.setdefault(key, finding.severity)
    rows = []
    for key in sorted(set(registry.deprecated) | set(sites)):
        entry = registry.deprecated.get(key)
        found = sorted(sites.get(key, []), key=lambda s: (s.path, s.line, s.code))
        imports = sum(1 for s in found if s.code == DEPRECATED_IMPORT)
        rows.append(DeprecatedSymbol(
            symbol=key,
            kind="module" if run.project.index.exists(key) else "symbol",
            use_instead=entry.use_instead if entry else None,
            hint=(entry.reason or entry.hint) if entry else None,
            severity=entry.severity if entry else severities.get(key, "warning"),
            imports=imports, usages=len(found) - imports,
            files=len({s.path for s in found}), sites=tuple(found)))
    return tuple(sorted(rows, key=lambda r: (-r.references, r.symbol)))
