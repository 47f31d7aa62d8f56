"""Shared reasoning for the import rules: resolution status, tolerance, guarded policy.

Kept here so SSOT101/102/103 agree on precedence (a broken entry wins over an
unresolved report) and compute each import's status once per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ssot_lint.discover import path_matches
from ssot_lint.model.registry import Policy, RuleEntry, match_entry
from ssot_lint.resolve import names as N
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.resolve.suggest import suggest_module, suggest_name
from ssot_lint.rules.base import FileContext, advice

if TYPE_CHECKING:
    from ssot_lint.resolve.project import Project


# Resolution statuses of an import: the name lookup's (``resolve.names``), with
# "missing" split into a missing module and a missing name, plus "external".
OK = N.OK
EXTERNAL = "external"  # not first-party: not ours to resolve
UNKNOWN = N.UNKNOWN  # cannot be decided (unparsable target, third-party star import)
MISSING_MODULE = "missing_module"
MISSING_NAME = "missing_name"
TYPE_CHECKING_ONLY = N.TYPE_CHECKING_ONLY


@dataclass(frozen=True)
class Status:
    status: str
    missing: str | None = None  # the missing module prefix, or the missing name
    suggestion: str | None = None
    via: str | None = None  # for TYPE_CHECKING_ONLY: "stub" when only the .pyi declares it


def status_of(ctx: FileContext, ri: ResolvedImport) -> Status:
    key = ("status", ri.fact)
    cached = ctx.memo.get(key)
    if cached is None:
        cached = _status(ctx, ri)
        ctx.memo[key] = cached
    assert isinstance(cached, Status)
    return cached


def _status(ctx: FileContext, ri: ResolvedImport) -> Status:
    project = ctx.project
    if ri.module is None:
        return Status(MISSING_MODULE, missing="." * ri.fact.level + ri.fact.module)
    if not project.is_first_party(ri.module):
        return Status(EXTERNAL)
    index = project.index
    if not index.exists(ri.module):
        if project.hidden(ri.module):  # its directory could not be listed: cannot tell
            return Status(UNKNOWN)
        missing = index.first_missing(ri.module)
        if index.open_namespace(missing.rpartition(".")[0]) \
                or _registered_at_run_time(project, missing):
            return Status(UNKNOWN)
        return Status(MISSING_MODULE, missing=missing,
                      suggestion=suggest_module(ri.module, ctx.source.module, index))
    if ri.fact.kind != "from" or not ri.fact.name:
        return Status(OK)
    found = project.names.lookup(ri.module, ri.fact.name)
    if found.status == N.OK:
        return Status(OK)
    if found.status == N.UNKNOWN:
        return Status(UNKNOWN)
    if found.status == N.MISSING and project.hidden(f"{ri.module}.{ri.fact.name}"):
        return Status(UNKNOWN)  # a submodule in an excluded or unlistable directory
    if found.status == N.TYPE_CHECKING_ONLY:
        return Status(TYPE_CHECKING_ONLY, missing=ri.fact.name, via=found.via)
    return Status(MISSING_NAME, missing=ri.fact.name,
                  suggestion=suggest_name(ri.fact.name, project.names.names_in(ri.module)))


def _registered_at_run_time(project: Project, missing: str) -> bool:
    """Whether the existing module above ``missing`` puts modules into ``sys.modules``
    under names of its own choosing, so that ``missing`` may exist at run time."""
    parent = missing.rpartition(".")[0]
    source = project.file_of_module(parent) if parent else None
    facts = project.facts_of(source) if source is not None else None
    return facts is not None and facts.registers_modules


def broken_entry(ctx: FileContext, ri: ResolvedImport) -> RuleEntry | None:
    """The ``[broken]`` entry this import matches and is not tolerated by."""
    if ri.path is None:
        return None
    entry = match_entry(ctx.project.registry.broken, ri.path)
    if entry is None or tolerated(ctx, ri, entry):
        return None
    return entry


def tolerated(ctx: FileContext, ri: ResolvedImport, entry: RuleEntry) -> bool:
    """True when the entry's ``allow_in`` contexts or ``paths`` globs cover this import."""
    fact = ri.fact
    contexts = {"type_checking": fact.in_type_checking, "function": fact.in_function,
                "fallback": fact.in_fallback}
    if any(contexts.get(c, False) for c in entry.allow_in):
        return True
    return path_matches(entry.paths, ctx.source.rel)


def guarded_severity(policy: Policy, ri: ResolvedImport, severity: str) -> str | None:
    """Severity for a resolution failure, given ``policy.guarded_imports`` (None = skip)."""
    if not ri.fact.in_fallback:
        return severity
    if policy.guarded_imports == "ignore":
        return None
    if policy.guarded_imports == "warn":
        return "warning"
    return "error"


def import_line(path: str, asname: str | None = None) -> str:
    """The ``from module import Name`` line for a dotted symbol path."""
    module, _, name = path.rpartition(".")
    suffix = f" as {asname}" if asname and asname != name else ""
    return f"from {module} import {name}{suffix}" if module else f"import {path}{suffix}"


def checked_imports(ctx: FileContext) -> list[ResolvedImport]:
    return [ri for ri in ctx.imports if ri.fact.is_statement]


def replacement_for(imported: str, entry: RuleEntry) -> str | None:
    """Map ``imported`` onto the entry's ``use_instead`` (a module entry carries the tail)."""
    if not entry.use_instead:
        return None
    if imported == entry.path:
        return entry.use_instead
    return entry.use_instead + imported[len(entry.path):]


def broken_advice(imported: str, entry: RuleEntry) -> str:
    """``: reason; use `X` instead (see docs)`` for a message about a ``[broken]`` path."""
    return advice(entry.reason or entry.hint, replacement_for(imported, entry), entry.docs)

