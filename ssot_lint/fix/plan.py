"""Turn findings into per-name import changes, and say why when a fix cannot be made.

Findings carry their fix as data (``Edit``); here each one is checked against the
project before it becomes an ``AliasChange``: the replacement module must be
first-party and exist, and must define the imported name at runtime. A replacement
with a different name is a rename, which only an entry with ``fix = "rename"`` allows
and only under ``--unsafe-fixes``; an alias of a registered symbol is the same object,
so it keeps its local name with ``as``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ssot_lint.discover import SourceFile
from ssot_lint.fix.imports import AliasChange, Key
from ssot_lint.fix.verify import PlannedImport
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.resolve.project import Project
from ssot_lint.rules import all_rules
from ssot_lint.rules._fixes import (  # one decision for the rules' edits and for the fixer
    RENAME,
    finding_entry,
    refusal,
    replacement_problem,
)

# The codes whose findings the planner edits: the rules that declare a fix, so a rule
# that gains one is fixed without a second list to keep in step.
FIXABLE = tuple(rule.code for rule in all_rules() if rule.fixable != "no")
REPLACING = ("SSOT101", "SSOT111", "SSOT112")  # precedence when several hit one name


@dataclass
class FilePlan:
    """Everything to do to one file, and what was refused with the reason."""

    changes: dict[Key, AliasChange] = field(default_factory=dict)
    planned: dict[Key, PlannedImport] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)  # old local name -> new
    rename_keys: dict[str, Key] = field(default_factory=dict)
    fixes: dict[Key, list[Finding]] = field(default_factory=dict)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)
    needs_unsafe: list[Finding] = field(default_factory=list)

    def drop(self, key: Key, reason: str) -> None:
        """Withdraw the change for ``key`` (e.g. a rename found unsafe) with a reason."""
        self.changes.pop(key, None)
        self.planned.pop(key, None)
        for finding in self.fixes.pop(key, []):
            self.skipped.append((finding, reason))


def plan_file(project: Project, source: SourceFile, findings: Sequence[Finding],
              unsafe: bool) -> FilePlan:
    plan = FilePlan()
    imports = {(ri.fact.line, ri.fact.col): ri for ri in project.resolved_imports(source)
               if ri.fact.is_statement}
    grouped: dict[Key, list[Finding]] = {}
    for finding in findings:
        if finding.code in FIXABLE:
            grouped.setdefault((finding.line, finding.column), []).append(finding)
    for key in sorted(grouped):
        found = grouped[key]
        ri = imports.get(key)
        if ri is None:
            plan.skipped.extend((f, "no import statement at this position") for f in found)
            continue
        with_fix = [f for f in found if f.fix is not None]
        for f in found:
            if f.fix is None:
                plan.skipped.append((f, _no_fix_reason(project, f, ri)))
        replacing = sorted((f for f in with_fix if f.code in REPLACING),
                           key=lambda f: REPLACING.index(f.code))
        if replacing:
            outcome = _replace(project, ri, replacing[0], unsafe, plan, key)
        elif with_fix:
            outcome = _absolute(ri)
        else:
            continue
        if isinstance(outcome, str):
            plan.skipped.extend((f, outcome) for f in with_fix)
            continue
        if outcome is None:  # needs --unsafe-fixes
            plan.needs_unsafe.extend(with_fix)
            continue
        change, bound = outcome
        plan.changes[key] = change
        path = change.module if change.name is None else f"{change.module}.{change.name}"
        if ri.fact.kind == "star":
            path, bound = f"{change.module}.*", "*"
        plan.planned[key] = PlannedImport(bound=bound, path=path)
        plan.fixes[key] = with_fix
    return plan


def _no_fix_reason(project: Project, finding: Finding, ri: ResolvedImport) -> str:
    found = finding_entry(project, finding.code, finding.symbol or "") \
        if finding.code in REPLACING else None
    if found is None:
        return "no automatic fix for this finding"
    return refusal(project, ri, *found)


def _absolute(ri: ResolvedImport) -> tuple[AliasChange, str] | str:
    if ri.module is None:
        return "the relative import cannot be resolved"
    fact = ri.fact
    if fact.kind == "star":
        return AliasChange(ri.module, None, None), "*"
    assert fact.name is not None
    return AliasChange(ri.module, fact.name, fact.asname), fact.asname or fact.name


def _replace(project: Project, ri: ResolvedImport, finding: Finding, unsafe: bool,
             plan: FilePlan, key: Key) -> tuple[AliasChange, str] | str | None:
    fact = ri.fact
    assert finding.fix is not None
    new = finding.fix.new
    problem = replacement_problem(project, ri, new)
    if problem:
        return problem
    if fact.kind == "import":
        return AliasChange(new, None, fact.asname), fact.asname or new.split(".")[0]
    module, _, name = new.rpartition(".")
    assert fact.name is not None
    local = fact.asname or fact.name
    if name == fact.name or finding.code == "SSOT112":
        return AliasChange(module, name, local if local != name else None), local
    found = finding_entry(project, finding.code, finding.symbol or "")
    if found is None or found[0].fix != "rename":
        return RENAME.format(new=new)
    if not unsafe:
        return None
    if fact.asname:
        return AliasChange(module, name, fact.asname), fact.asname
    plan.renames[fact.name] = name
    plan.rename_keys[fact.name] = key
    return AliasChange(module, name, None), name
