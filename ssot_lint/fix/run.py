"""Drive ``fix``: check, plan, rewrite in memory until stable, verify, then write.

Fixing is repeated in memory (at most ``MAX_ROUNDS`` times) because one fix can expose
another — a relative import made absolute may turn out to be a deprecated path — so
that a second ``fix`` run finds nothing left to do. Files are written only at the end,
each atomically and only if it still has the bytes that were checked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ssot_lint.api import build_project, select_files
from ssot_lint.discover import SourceFile
from ssot_lint.engine import run_rules
from ssot_lint.facts.extract import extract_facts
from ssot_lint.files import sweep_temporaries
from ssot_lint.fix.apply import rewrite_text
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


def fix(paths: Sequence[Path], config: Config, *, unsafe: bool = False, write: bool = True,
        cwd: Path | None = None) -> FixResult:
    """Fix ``paths`` (default: the project); with ``write=False`` only compute diffs."""
    project = build_project(config)
    # A path named inside the project stays there: through a symbolic link out of it
    # (`fix svc/link.py`, link.py -> ../../elsewhere.py) the file is not written.
    top = os.path.join(os.path.abspath(config.root), "")
    inside = frozenset(os.path.realpath(p) for p in paths
                       if os.path.abspath(p).startswith(top))
    return fix_project(project, select_files(project, paths), unsafe=unsafe, write=write,
                       cwd=cwd, named_inside=inside)


def fix_project(project: Project, files: Sequence[SourceFile], *, unsafe: bool = False,
                write: bool = True, cwd: Path | None = None,
                named_inside: frozenset[str] = frozenset()) -> FixResult:
    """Fix ``files`` of an already scanned ``project``.

    ``named_inside``: real paths of files the user named by a path inside the project;
    they are written only if they really are inside it.

    A file whose bytes no longer match the facts of the scan is left alone, so what is
    rewritten is always what was checked.
    """
    config = project.config
    result = FixResult(files_checked=len(files))
    findings = _by_file(files, run_rules(project, files, config.select, config.ignore, cwd),
                        cwd)
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
            new_text = rewrite_text(project, source, state.text, plan)
            state.not_fixed = plan.skipped
            state.needs_unsafe = plan.needs_unsafe
            if new_text is None:
                continue
            state.text = new_text
            state.fixed.extend(f for key in sorted(plan.fixes) for f in plan.fixes[key])
            changed.append(source)
        if not changed:
            break
        for source in changed:
            data = states[source.rel].original.encode(states[source.rel].text)
            project.facts[source.rel] = extract_facts(data, config.target_version)
        project = Project(config=config, registry=project.registry, files=project.files,
                          facts=project.facts, unlisted=project.unlisted)
        findings.update(_by_file(changed, run_rules(project, changed, config.select,
                                                    config.ignore, cwd), cwd))
        todo = changed
    if write:  # a killed run's temporary files, wherever this run may write
        for directory in sorted({os.path.dirname(str(f.path)) for f in files}):
            sweep_temporaries(Path(directory))
    for rel in sorted(states):
        home = _home(states[rel].source.path, config.root, named_inside)
        _finish(states[rel], write, result, findings, home)
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
        original = read_source(source.path, config.max_file_size)
    except SourceError as exc:
        result.errors.append((display_path(source.path, cwd), str(exc)))
        return None
    if extract_facts(original.data, config.target_version) != project.facts.get(source.rel):
        result.errors.append((display_path(source.path, cwd), "the file changed while it was being checked; "
                                          "not rewritten (run fix again)"))
        return None
    return _FileState(source=source, original=original, text=original.text,
                      display=display_path(source.path, cwd), initial=list(initial))


def _home(path: Path, root: Path, named_inside: frozenset[str]) -> Path:
    """Where ``path`` may really be written: inside the project for its files (and for
    a file named by a path inside it), and for a file named outside it, the directory
    it was named in. ``ssot_lint.files.write_atomic`` refuses a real location elsewhere
    (a symbolic link out of the project)."""
    top = os.path.join(os.path.abspath(root), "")
    if os.path.abspath(path).startswith(top) or os.path.realpath(path) in named_inside:
        return root
    return Path(os.path.abspath(path)).parent


def _finish(state: _FileState, write: bool, result: FixResult,
            findings: dict[str, list[Finding]], within: Path) -> None:
    rel = state.source.rel
    result.not_fixed.extend(state.not_fixed)
    result.needs_unsafe.extend(state.needs_unsafe)
    if state.text == state.original.text:
        return
    if write:
        try:
            atomic_write(state.source.path, state.original.encode(state.text),
                         state.original.data, within=within)
        except (SourceError, OSError) as exc:
            result.errors.append((state.display, str(exc)))
            findings[rel] = state.initial
            return
    result.fixed.extend(state.fixed)
    result.diffs.append((state.display, state.original.text, state.text))
