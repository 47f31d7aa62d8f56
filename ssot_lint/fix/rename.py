"""Unsafe fixes: rename an imported name and every reference to it in one file.

Used only for registry entries that declare the replacement a drop-in with a
different name (``fix = "rename"``) and only under ``--unsafe-fixes``. libcst's scope
analysis finds the references of the import's binding. The rename is refused — and
the file keeps its import — when it cannot be done safely: the name is bound anywhere
else in the file (shadowing, ``global``), it is listed in ``__all__`` or imported from
this module by another one, it is referenced where a ``Name`` cannot be rewritten (a
string annotation), or the new name is already used in the file.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst
from libcst.metadata import MetadataWrapper, Scope, ScopeProvider

from ssot_lint.discover import SourceFile
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project


def rename_references(wrapper: MetadataWrapper, old: str, new: str) -> set[int] | str:
    """``id()``s of the ``Name`` nodes to rewrite, or the reason the rename is unsafe."""
    scopes = {s for s in wrapper.resolve(ScopeProvider).values() if s is not None}
    bindings = [a for scope in scopes for a in scope.assignments[old]]
    if len(bindings) != 1:
        return f"`{old}` is bound more than once in the file (shadowing or reassignment)"
    if any(isinstance(n, cst.Global) and any(g.name.value in (old, new) for g in n.names)
           for n in _all_nodes(wrapper.module)):
        return f"a `global` statement names `{old}` or `{new}`"
    if _used(scopes, new):
        return f"the new name `{new}` is already used in the file"
    ids: set[int] = set()
    for access in bindings[0].references:
        if not isinstance(access.node, cst.Name):
            return f"`{old}` is referenced in a string annotation; rename it by hand"
        ids.add(id(access.node))
    return ids


def _used(scopes: Collection[Scope], name: str) -> bool:
    return any(scope.assignments[name] or scope.accesses[name] for scope in scopes)


def _all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class _Collect(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            found.append(node)

    module.visit(_Collect())
    return found


def exported_problem(project: Project, source: SourceFile, name: str) -> str | None:
    """Why renaming module-level ``name`` would break other modules, if it would."""
    facts = project.facts_of(source)
    if facts is not None and facts.all_names is not None and name in facts.all_names:
        return f"`{name}` is listed in `__all__`"
    if source.module is None:
        return None
    wanted = f"{source.module}.{name}"
    for other in project.files:
        other_facts = project.facts_of(other)
        if other is source or other_facts is None:
            continue
        for fact in other_facts.imports:
            if fact.kind not in ("from", "star"):
                continue
            module = absolute_module(fact, other)
            if fact.kind == "star" and module == source.module:
                return f"`{other.rel}` star-imports this module, so `{name}` may be used there"
            if module is not None and f"{module}.{fact.name}" == wanted:
                return f"`{other.rel}` imports `{name}` from this module"
    return None
