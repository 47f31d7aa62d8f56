"""Apply one file's plan in a single libcst pass and prove the result safe.

Renames are checked with scope analysis first and withdrawn when unsafe (a file with
renames must also round-trip through libcst unchanged, since renames touch lines
anywhere); then one transformer applies every import change and reference rename, and
``verify_rewrite`` checks that only import lines changed in the text and that the
syntax trees agree. Checking the text diff instead of re-generating the untouched
module keeps libcst's slowest step (code generation) to once per file.
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import MetadataWrapper

from ssot_lint.discover import SourceFile
from ssot_lint.fix.imports import ImportOrder, ImportRewriter, import_keys
from ssot_lint.fix.layout import Style
from ssot_lint.fix.plan import FilePlan
from ssot_lint.fix.rename import exported_problem, rename_references
from ssot_lint.fix.statements import rewrite_runs
from ssot_lint.fix.verify import verify_rewrite, verify_splice
from ssot_lint.resolve.project import Project

# Rewrite only the edited runs of imports (``statements``); False: always the whole
# module (the differential tests compare both).
STATEMENT_LEVEL = True


def rewrite_text(project: Project, source: SourceFile, text: str, plan: FilePlan,
                 style: Style | None = None) -> str | None:
    """The new text, or None when nothing could be applied (reasons go into ``plan``).

    With a ``style``, a run of imports that was sorted stays sorted (``layout``).
    """
    try:
        return _rewrite(project, source, text, plan, style)
    except RecursionError:
        # libcst's code generation and visitors recurse once per nesting level; a long
        # expression chain that CPython parses (a 900-term sum) overflows Python's stack
        _refuse(plan, "the file is nested too deeply for libcst to rewrite; not rewritten")
        return None


def _rewrite(project: Project, source: SourceFile, text: str, plan: FilePlan,
             style: Style | None) -> str | None:
    if not plan.changes:
        return None
    if not plan.renames and STATEMENT_LEVEL:
        done = _rewrite_statements(project, source, text, plan, style)
        if done is not None:
            return done[0]
    return _rewrite_module(project, source, text, plan, style)


def _package(project: Project, source: SourceFile) -> str | None:
    """The package relative statements start from, where they may stay relative."""
    if project.registry.policy.relative_imports != "forbid" and source.module:
        return (source.module if source.is_package else source.module.rpartition(".")[0]) \
            or None
    return None


def _rewrite_statements(project: Project, source: SourceFile, text: str, plan: FilePlan,
                        style: Style | None) -> tuple[str | None] | None:
    """The whole-module rewrite's result, computed on the edited runs only (``statements``).

    None when that cannot be done here; ``plan`` is then untouched and the caller
    rewrites the whole module. A rewrite that does not verify is not refused here but
    left to the whole-module path, which decides (and explains) as it always did.
    """
    try:
        tree = ast.parse(text)
        slots = import_keys(tree, text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    located = {slots[k]: c for k, c in plan.changes.items() if k in slots}
    if not located:
        return None
    try:
        done = rewrite_runs(text, tree, located, style=style,
                            package=_package(project, source))
        if done is None:
            return None
        new_text, applied = done.text, done.applied
        unlocated = sorted(k for k in plan.changes if k not in slots)
        unapplied = sorted(k for k in plan.changes if k in slots and slots[k] not in applied)
        planned = {k: p for k, p in plan.planned.items()
                   if k not in unlocated and k not in unapplied}
        if verify_splice(text, new_text, module=source.module,
                         is_package=source.is_package, planned=planned,
                         pieces=done.pieces, import_lines=done.import_lines):
            return None
    except RecursionError:
        return None
    for key in [*unlocated, *unapplied]:
        plan.drop(key, "the import could not be located for rewriting")
    return (new_text if new_text != text else None,)


def _rewrite_module(project: Project, source: SourceFile, text: str, plan: FilePlan,
                    style: Style | None) -> str | None:
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        _refuse(plan, f"libcst cannot parse the file: {exc}")
        return None
    if "\r" in text.replace("\r\n", "") or (plan.renames and module.code != text):
        _refuse(plan, "libcst does not reproduce this file byte for byte (CR-only line "
                      "endings?); not rewritten")
        return None
    renamed: dict[int, str] = {}
    renames: dict[str, str] = {}
    if plan.renames:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # same nodes, same ids
        for old, new in sorted(plan.renames.items()):
            problem = exported_problem(project, source, old)
            found = problem if problem else rename_references(wrapper, old, new)
            if isinstance(found, str):
                plan.drop(plan.rename_keys[old], f"rename `{old}` -> `{new}` is unsafe: {found}")
                continue
            renamed.update(dict.fromkeys(found, new))
            renames[old] = new
    try:
        slots = import_keys(ast.parse(text), text)
    except (SyntaxError, ValueError, RecursionError) as exc:
        _refuse(plan, f"this Python cannot parse the file to verify a rewrite: {exc}")
        return None
    order = ImportOrder()
    module.visit(order)
    if len(order.order) != len({slot[0] for slot in slots.values()}):
        _refuse(plan, "libcst and ast disagree about the import statements; not rewritten")
        return None
    for key in sorted(set(plan.changes) - set(slots)):
        plan.drop(key, "the import could not be located for rewriting")
    if not plan.changes:
        return None
    rewriter = ImportRewriter({slots[k]: c for k, c in plan.changes.items()}, order.order,
                              renamed, style=style, package=_package(project, source))
    try:
        new_text = module.visit(rewriter).code
    except (cst.ParserSyntaxError, ValueError) as exc:
        _refuse(plan, f"the rewrite failed: {exc}")
        return None
    for key in sorted(k for k in plan.changes if slots[k] not in rewriter.applied):
        plan.drop(key, "the import could not be located for rewriting")
    reason = verify_rewrite(text, new_text, module=source.module,
                            is_package=source.is_package, planned=plan.planned,
                            renames=renames)
    if reason:
        _refuse(plan, reason)
        return None
    return new_text if new_text != text else None


def _refuse(plan: FilePlan, reason: str) -> None:
    for key in sorted(plan.fixes):
        plan.drop(key, reason)
    plan.changes.clear()
