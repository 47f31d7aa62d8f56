"""``registry verify``: check the registry against the code, statically.

The checks themselves are SSOT902's (``rules/ssot902_stale_registry_entry.py``), so
``registry verify`` and ``check --verify-registry`` cannot drift apart; this module
adds what only the registry tool prints (which scope an entry has, where it is not
obvious).
"""

from __future__ import annotations

from pathlib import Path

from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.rules.ssot902_stale_registry_entry import StaleRegistryEntryRule


def scope_notes(project: Project) -> list[str]:
    """Which scope each ``[broken]``/``[deprecated]`` entry has, where it is not obvious:
    the entry's path re-exports an object defined elsewhere and ``scope`` is not set."""
    from ssot_lint.rules._usage import OBJECT, entry_scope

    notes: list[str] = []
    registry = project.registry
    for kind, entries in registry.rule_sections():
        for path, entry in sorted(entries.items()):
            if entry.scope is not None:
                continue
            scope, site, why = entry_scope(project, entry)
            if site is None or site == path:
                continue
            if scope == OBJECT:
                covered = (f"every import of `{site}` (where it is defined) and every use "
                           "through one is covered; set scope = \"path\" to cover this "
                           "spelling only")
            else:
                covered = (f"only this spelling is covered, not `{site}` where it is "
                           "defined; set scope = \"object\" to cover the object")
            notes.append(f"{entry.origin}: note: [{kind}] `{path}` has scope \"{scope}\" "
                         f"({why}): {covered}")
    return notes


def verify_registry(project: Project, cwd: Path | None = None) -> list[Finding]:
    """SSOT902 findings for every registry entry the code contradicts, sorted (the
    checks live in the rule's module: ``check --verify-registry`` runs the same)."""
    return StaleRegistryEntryRule().verify(project, cwd)
