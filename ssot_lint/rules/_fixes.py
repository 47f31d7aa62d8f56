"""Whether ``fix`` will make a finding's replacement: decided once, here, for both sides.

"Fixable" in a report (JSON ``fix.safe``, SARIF ``fixes``, ``--statistics``) must mean
that ``ssot-lint fix`` makes the change, so the rules attach an ``Edit`` only after the
same checks the fixer's planner (``ssot_lint.fix.plan``) runs before it rewrites
anything: the replacement must be first-party and resolve, a replacement with another
name is a rename (``fix = "rename"`` and ``--unsafe-fixes`` only), and a star import
or a bare ``import a.b`` cannot be rewritten by name. When the answer is no, the
finding says why instead of offering a fix.
"""

from __future__ import annotations

from ssot_lint.model.finding import Edit
from ssot_lint.model.registry import RuleEntry, match_entry
from ssot_lint.resolve import names as N
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.resolve.project import Project
from ssot_lint.rules._usage import object_entry


def target_problem(project: Project, module: str, name: str | None,
                   in_type_checking: bool) -> str | None:
    """Why ``module`` (``name``) cannot be the fix target, or None when it can."""
    path = f"{module}.{name}" if name else module
    if not project.is_first_party(module):
        return f"`{path}` is not first-party, so ssot-lint cannot check that it exists"
    if not project.index.exists(module):
        return f"the replacement module `{module}` does not exist"
    if name is None:
        return None
    found = project.names.lookup(module, name)
    if found.status == N.OK:
        return None
    if found.status == N.TYPE_CHECKING_ONLY:
        if in_type_checking:
            return None
        return f"`{module}` binds `{name}` only under TYPE_CHECKING"
    if found.status == N.UNKNOWN:
        return (f"`{module}` cannot be analysed ({found.via or 'unknown'}), so `{name}` is "
                "unverified")
    return f"the replacement module `{module}` does not define `{name}`"


RENAME = ("the replacement `{new}` has a different name; if it is a drop-in, set "
          "fix = \"rename\" on the registry entry and run with --unsafe-fixes")


def replacement_problem(project: Project, ri: ResolvedImport, new: str,
                        keeps_name: bool = False) -> str | None:
    """Why the import at ``ri`` cannot be rewritten to ``new`` by name, else None.

    ``keeps_name``: the replacement is the same object (SSOT112), so a different last
    name is bound with ``as`` and is not a rename.
    """
    fact = ri.fact
    if fact.kind == "star":
        return ("a star import: its names cannot be checked against the replacement; "
                "rewrite it by hand")
    if fact.kind == "import":
        problem = target_problem(project, new, None, fact.in_type_checking)
        if problem:
            return problem
        if not fact.asname and new != fact.module:
            return (f"`import {fact.module}` binds `{fact.module.split('.')[0]}` and the code "
                    "uses the dotted path; rewrite it by hand")
        return None
    module, _, name = new.rpartition(".")
    if not module:
        return f"the replacement `{new}` is a top-level module; use `import {new}` by hand"
    return target_problem(project, module, name, fact.in_type_checking)


def unresolved(project: Project, new: str) -> str | None:
    """Why ``new`` (a module or ``module.Name``) does not resolve in the project, if so."""
    if not project.is_first_party(new):
        return None
    if project.index.exists(new):
        return None
    module, _, name = new.rpartition(".")
    if not module or not project.index.exists(module):
        return f"`{new}` does not resolve (no module `{project.index.first_missing(new)}`)"
    found = project.names.lookup(module, name)
    if found.status in (N.OK, N.UNKNOWN):
        return None
    if found.status == N.TYPE_CHECKING_ONLY:
        return f"`{module}` binds `{name}` only under TYPE_CHECKING"
    return f"`{new}` does not resolve (`{module}` has no `{name}`)"


def is_rename(ri: ResolvedImport, new: str) -> bool:
    """A ``from`` import whose replacement binds a different name."""
    return ri.fact.kind == "from" and new.rpartition(".")[2] != ri.fact.name


def entry_fix(project: Project, ri: ResolvedImport, entry: RuleEntry, new: str | None,
              description: str) -> tuple[Edit | None, str | None]:
    """(the edit ``fix`` will make, or None with the reason) for an entry's replacement."""
    if not new:
        return None, None
    problem = replacement_problem(project, ri, new)
    if problem is not None:
        # Only a replacement that does not resolve is worth a note on every finding;
        # a star import or a bare ``import a.b`` is plain from the code and the fix report.
        return None, unresolved(project, new)
    if entry.fix == "none":
        return None, None  # the registry says so
    if is_rename(ri, new):
        if entry.fix != "rename":
            return None, None  # `fix` says why in its report; not worth a note on each finding
        return Edit(description, "replace-import", ri.path or "", new, safe=False), None
    return Edit(description, "replace-import", ri.path or "", new, safe=True), None


def with_note(message: str, note: str | None) -> str:
    """The message, with why no automatic fix is offered when there is a reason to say."""
    return f"{message} [no automatic fix: {note}]" if note else message


def finding_entry(project: Project, code: str, symbol: str) -> tuple[RuleEntry, str | None] | None:
    """(the registry entry behind an SSOT101/SSOT111 finding on ``symbol``, the path to
    import instead), found as the rule found it: by spelling, else by object."""
    registry = project.registry
    entries = registry.broken if code == "SSOT101" else registry.deprecated
    entry = match_entry(entries, symbol)
    if entry is not None:
        if not entry.use_instead:
            return entry, None
        tail = symbol[len(entry.path):] if symbol != entry.path else ""
        return entry, entry.use_instead + tail
    if code == "SSOT111":
        entry = object_entry(project, symbol)
        if entry is not None:
            return entry, entry.use_instead
    return None


def refusal(project: Project, ri: ResolvedImport, entry: RuleEntry, new: str | None) -> str:
    """Why ``fix`` leaves an entry's finding alone (the rule attached no edit)."""
    if entry.fix == "none":
        return "the registry entry says fix = \"none\": migrate by hand"
    if not new:
        return "the registry entry has no use_instead"
    problem = replacement_problem(project, ri, new)
    if problem is not None:
        return problem
    if is_rename(ri, new) and entry.fix != "rename":
        return RENAME.format(new=new)
    return "no automatic fix for this finding"
