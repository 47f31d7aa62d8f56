"""Drive ``fix``: check, plan, rewrite in memory until stable, verify, then write.

Fixing is repeated in memory (at most ``MAX_ROUNDS`` times) because one fix can expose
another — a relative import made absolute may turn out to be a deprecated path — so
that a second ``fix`` run finds nothing left to do. Files are written only at the end,
each atomically and only if it still has the bytes that were checked.

Every location ``fix`` reports is in the file as it was before the first round (the
``-`` side of ``fix --diff``): a finding of a later round is mapped back through each
round's line changes. With a baseline, tolerated findings are left as they are: they
are not rewritten, do not count as remaining and do not fail the run, like ``check
--baseline`` hides them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ssot_lint.api import build_project, select_files
from ssot_lint.baseline import Entry, apply_baseline
from ssot_lint.discover import SourceFile
from ssot_lint.engine import run_rules
from ssot_lint.facts.extract import extract_facts
from ssot_lint.fix.apply import rewrite_text
from ssot_lint.fix.layout import project_style
from ssot_lint.fix.plan import FIXABLE, plan_file
from ssot_lint.fix.source import SourceError, SourceText, atomic_write, read_source
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.rules.base import display_path

MAX_ROUNDS = 4


@dataclass
class FixResult:
    """What ``fix`` did; every list is sorted like findings are."""

    fixed: list[Finding] = field(default_factory=list)
    not_fixed: list[tuple[Finding, str]] = field(default_factory=list)
    needs_unsafe: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # path, before, after
    errors: list[tuple[str, str]] = field(default_factory=list)  # path, why not written
    files_checked: int = 0
    encodings: dict[str, str] = field(default_factory=dict)  # path -> the file's encoding
    baselined: int = 0  # findings left alone because the baseline tolerates them


@dataclass
class _FileState:
    source: SourceFile
    original: SourceText
    text: str
    display: str
    initial: list[Finding]
    fixed: list[Finding] = field(default_factory=list)
    not_fixed: list[tuple[Finding, str]] = field(default_factory=list)
    needs_unsafe: list[Finding] = field(default_factory=list)
    # line in the current text (index, 1-based; 0 unused) -> line in the original file
    origin: list[int] = field(default_factory=list)

    def original_line(self, finding: Finding) -> Finding:
        """``finding`` with its lines counted in the file before ``fix`` changed it."""
        if not self.origin:
            return finding
        def back(line: int | None) -> int | None:
            return self.origin[line] if line is not None and 0 < line < len(self.origin) \
                else line
        return replace(finding, line=back(finding.line) or finding.line,
                       end_line=back(finding.end_line))

    def advance(self, new_text: str) -> None:
        """Record that the text became ``new_text``, keeping lines traceable."""
        old_lines, new_lines = self.text.split("\n"), new_text.split("\n")
        origin = self.origin or list(range(len(old_lines) + 1))
        mapped = [0] * (len(new_lines) + 1)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for offset in range(j2 - j1):
                # an equal line is itself; a changed or added one belongs to the import
                # line it replaces (or follows)
                old = i1 + offset if tag == "equal" or offset < i2 - i1 else \
                    (i2 - 1 if i2 > i1 else max(i1 - 1, 0))
                mapped[j1 + offset + 1] = origin[min(old + 1, len(origin) - 1)]
        self.origin = mapped
        self.text = new_text


def fix(paths: Sequence[Path], config: Config, *, unsafe: bool = False, write: bool = True,
        cwd: Path | None = None, baseline: Iterable[Entry] | None = None) -> FixResult:
    """Fix ``paths`` (default: the project); with ``write=False`` only compute diffs."""
    project = build_project(config)
    return fix_project(project, select_files(project, paths), unsafe=unsafe, write=write,
                       cwd=cwd, baseline=baseline)


def fix_project(project: Project, files: Sequence[SourceFile], *, unsafe: bool = False,
                write: bool = True, cwd: Path | None = None,
                baseline: Iterable[Entry] | None = None) -> FixResult:
    """Fix ``files`` of an already scanned ``project``.

    A file whose bytes no longer match the facts of the scan is left alone, so what is
    rewritten is always what was checked. Findings ``baseline`` tolerates are neither
    fixed nor counted as remaining.
    """
    config = project.config
    result = FixResult(files_checked=len(files))
    entries = list(baseline) if baseline is not None else None

    def found(paths: Sequence[SourceFile]) -> list[Finding]:
        raw = run_rules(project, paths, config.select, config.ignore, cwd)
        if entries is None:
            return raw
        return apply_baseline(raw, entries, None, config.root, cwd or Path.cwd()).new

    initial = run_rules(project, files, config.select, config.ignore, cwd)
    if entries is not None:
        kept = apply_baseline(initial, entries, None, config.root, cwd or Path.cwd()).new
        result.baselined = len(initial) - len(kept)
        initial = kept
    findings = _by_file(files, initial, cwd)
    style = project_style(frozenset(project.first_party), config.root)
    states: dict[str, _FileState] = {}
    todo = [f for f in files if any(x.code in FIXABLE for x in findings.get(f.rel, []))]
    for _ in range(MAX_ROUNDS):
        changed: list[SourceFile] = []
        for source in todo:
            state = states.get(source.rel) or _open(project, source, config, result, cwd,
                                                     findings.get(source.rel, []))
            if state is None:
                continue
            states[source.rel] = state
            plan = plan_file(project, source, findings.get(source.rel, []), unsafe)
            new_text = rewrite_text(project, source, state.text, plan, style)
            state.not_fixed = [(state.original_line(f), why) for f, why in plan.skipped]
            state.needs_unsafe = [state.original_line(f) for f in plan.needs_unsafe]
            if new_text is None:
                continue
            state.fixed.extend(state.original_line(f)
                               for key in sorted(plan.fixes) for f in plan.fixes[key])
            state.advance(new_text)
            changed.append(source)
        if not changed:
            break
        for source in changed:
            data = states[source.rel].original.encode(states[source.rel].text)
            project.facts[source.rel] = extract_facts(data, config.target_version)
        project = Project(config=config, registry=project.registry, files=project.files,
                          facts=project.facts)
        findings.update(_by_file(changed, found(changed), cwd))
        todo = changed
    if any(state.text != state.original.text for state in states.values()):
        # Graph rules (cycles, boundary chains, layers) judge the whole import graph: a
        # fix in one file can clear a finding reported in another, untouched file. So
        # what remains is judged again on the final project, for every file.
        findings = _by_file(files, run_rules(project, files, config.select, config.ignore,
                                             cwd), cwd)
    for rel in sorted(states):
        _finish(states[rel], write, result, findings)
    result.remaining = sorted((f for rel in sorted(findings) for f in findings[rel]),
                              key=Finding.sort_key)
    result.fixed.sort(key=Finding.sort_key)
    result.not_fixed.sort(key=lambda pair: pair[0].sort_key())
    result.needs_unsafe.sort(key=Finding.sort_key)
    return result


def _by_file(files: Sequence[SourceFile], found: list[Finding], cwd: Path | None
             ) -> dict[str, list[Finding]]:
    rel_of = {display_path(f.path, cwd): f.rel for f in files}
    grouped: dict[str, list[Finding]] = {f.rel: [] for f in files}
    for finding in found:
        grouped.setdefault(rel_of.get(finding.path, finding.path), []).append(finding)
    return grouped


def _open(project: Project, source: SourceFile, config: Config, result: FixResult,
          cwd: Path | None, initial: list[Finding]) -> _FileState | None:
    """Read a file to fix, making sure it still is what was checked."""
    try:
        original = read_source(source.path)
    except SourceError as exc:
        result.errors.append((display_path(source.path, cwd), str(exc)))
        return None
    if extract_facts(original.data, config.target_version) != project.facts.get(source.rel):
        result.errors.append((display_path(source.path, cwd),
                              "the file changed while it was being checked; not rewritten "
                              "(run fix again)"))
        return None
    return _FileState(source=source, original=original, text=original.text,
                      display=display_path(source.path, cwd), initial=list(initial))


def _finish(state: _FileState, write: bool, result: FixResult,
            findings: dict[str, list[Finding]]) -> None:
    rel = state.source.rel
    result.not_fixed.extend(state.not_fixed)
    result.needs_unsafe.extend(state.needs_unsafe)
    if state.text == state.original.text:
        return
    if write:
        try:
            atomic_write(state.source.path, state.original.encode(state.text),
                         state.original.digest)
        except (SourceError, OSError) as exc:
            result.errors.append((state.display, str(exc)))
            findings[rel] = state.initial
            return
    result.fixed.extend(state.fixed)
    result.diffs.append((state.display, state.original.text, state.text))
    result.encodings[state.display] = state.original.encoding
