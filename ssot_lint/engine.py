"""Run the rules over the files to report, apply suppressions, and sort.

Rules never print and never filter; selection, per-file ignores, inline
suppressions and ordering happen here, once, so every output format sees the same
finished list. A code ignored for a file (``per-file-ignores``) is treated there as
if ``--ignore`` named it: its findings go, and a suppression of it is not "unused".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from ssot_lint.discover import SourceFile, path_matches
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.rules import all_rules
from ssot_lint.rules.base import FileContext, Rule
from ssot_lint.rules.ssot203_layer_violation import LayerViolationRule
from ssot_lint.rules.ssot901_unused_suppression import UnusedSuppressionRule
from ssot_lint.rules.ssot902_stale_registry_entry import StaleRegistryEntryRule


def code_enabled(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Selection by code or prefix (``SSOT1`` selects SSOT101..SSOT199)."""
    code = code.upper()
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    return not any(code.startswith(i.upper()) for i in ignore)


class PerFileIgnores:
    """``per-file-ignores``: which extra codes are ignored in a file, by gitignore-style glob.

    Globs match the path relative to the project root, as ``exclude`` does (a glob
    without ``/`` matches at any depth: ``__init__.py``, ``convert_*.py``).
    """

    def __init__(self, table: Sequence[tuple[str, tuple[str, ...]]]) -> None:
        self._table = table

    def __bool__(self) -> bool:
        return bool(self._table)

    def codes(self, rel: str) -> tuple[str, ...]:
        return tuple(code for glob, codes in self._table if path_matches((glob,), rel)
                     for code in codes)


def enabled_rules(select: Sequence[str], ignore: Sequence[str]) -> list[Rule]:
    return [rule() for rule in all_rules() if code_enabled(rule.code, select, ignore)]


def apply_suppressions(ctx: FileContext, found: list[Finding], select: Sequence[str],
                       ignore: Sequence[str]) -> list[Finding]:
    """Drop suppressed findings and add SSOT901 for suppressions that matched nothing."""
    suppressions = ctx.facts.suppressions
    if not suppressions:
        return found
    statement_line = {(f.line, f.col): f.stmt_line for f in ctx.facts.imports}
    by_line: dict[int, list[int]] = {}
    for index, suppression in enumerate(suppressions):
        if not suppression.file_level:
            by_line.setdefault(suppression.line, []).append(index)
    used: dict[int, set[str]] = {}
    kept: list[Finding] = []
    for finding in found:
        candidates = [i for i, s in enumerate(suppressions) if s.file_level]
        candidates += by_line.get(finding.line, [])
        stmt = statement_line.get((finding.line, finding.column))
        if stmt is not None and stmt != finding.line:
            candidates += by_line.get(stmt, [])
        hit = next((i for i in candidates
                    if not suppressions[i].codes or finding.code in suppressions[i].codes), None)
        if hit is None:
            kept.append(finding)
        else:
            used.setdefault(hit, set()).add(finding.code)
    if code_enabled(UnusedSuppressionRule.code, select, ignore):
        kept += UnusedSuppressionRule().unused(ctx, used,
                                               lambda code: code_enabled(code, select, ignore))
    return kept


class FindingsMemo(Protocol):
    """Findings remembered from earlier runs (``ssot_lint.cache.results`` implements it).

    Each method returns None for "not known: compute it". ``final`` is a file's
    finished findings (after suppressions); ``own`` the raw findings of its
    ``scope = "file"`` rules; ``graph`` those of its ``scope = "project"`` rules.
    """

    def final(self, source: SourceFile) -> list[Finding] | None: ...

    def own(self, source: SourceFile) -> list[Finding] | None: ...

    def graph(self, source: SourceFile, facts: FileFacts) -> list[Finding] | None: ...

    def registry(self) -> list[Finding] | None: ...

    def remember(self, source: SourceFile, facts: FileFacts, final: list[Finding],
                 own: list[Finding], graph: list[Finding]) -> None: ...

    def remember_registry(self, findings: list[Finding]) -> None: ...


def run_rules(project: Project, files: Iterable[SourceFile], select: Sequence[str] = (),
              ignore: Sequence[str] = (), cwd: Path | None = None,
              memo: FindingsMemo | None = None) -> list[Finding]:
    """All findings for ``files`` (judged against the whole ``project``), sorted.

    With a ``memo``, a file whose findings are remembered is not looked at (its facts
    are not even decoded); a re-checked file takes its own rules' and its graph rules'
    findings from the memo where their inputs did not change, so an edit inside a
    function body neither re-judges other files nor rebuilds the graph.
    """
    own: list[Rule] = []
    graph: list[Rule] = []
    findings: list[Finding] = []
    per_file = PerFileIgnores(project.config.per_file_ignores)
    for source in files:
        known = memo.final(source) if memo is not None else None
        if known is not None:
            findings.extend(known)
            continue
        facts: FileFacts | None = project.complete_facts(source)
        if facts is None:
            continue
        if not own and not graph:  # loaded on the first file to judge: a replayed run needs none
            rules = enabled_rules(select, ignore)
            own = [rule for rule in rules if rule.scope != "project"]
            graph = [rule for rule in rules if rule.scope == "project"]
        ctx = FileContext(project, source, facts, cwd)
        own_found = memo.own(source) if memo is not None else None
        if own_found is None:
            own_found = [f for rule in own for f in rule.check(ctx)]
        graph_found = memo.graph(source, facts) if memo is not None else None
        if graph_found is None:
            graph_found = [f for rule in graph for f in rule.check(ctx)]
        found = own_found + graph_found
        ignore_here = tuple(ignore)
        if per_file:
            ignore_here += per_file.codes(source.rel)
            found = [f for f in found if code_enabled(f.code, select, ignore_here)]
        final = LayerViolationRule.drop_repeated(apply_suppressions(ctx, found, select,
                                                                    ignore_here))
        if memo is not None:
            memo.remember(source, facts, final, own_found, graph_found)
        findings.extend(final)
    if code_enabled(UnusedSuppressionRule.code, select, ignore) and \
            project.registry.ignore_entries():
        findings.extend(UnusedSuppressionRule().unused_ignore_imports(project, cwd))
    if project.config.verify_registry and \
            code_enabled(StaleRegistryEntryRule.code, select, ignore):
        known = memo.registry() if memo is not None else None
        if known is None:
            known = StaleRegistryEntryRule().verify(project, cwd)  # the registry as a whole
            if memo is not None:
                memo.remember_registry(known)
        findings.extend(known)
    findings.sort(key=Finding.sort_key)
    return findings
