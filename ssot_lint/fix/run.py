"""Drive ``fix``: check, plan, rewrite in memory until stable, verify, then write.

Fixing is repeated in memory (at most ``MAX_ROUNDS`` times) because one fix can expose
another — a relative import made absolute may turn out to be a deprecated path — so
that a second ``fix`` run finds nothing left to do. Files are written only at the end,
each atomically and only if it still has the bytes that were checked. The project is
read as ``check`` reads it (``ssot_lint.cache.open_project``) and the first round's
findings are ``check``'s, remembered ones included, so only the files with something to
fix are parsed again; the libcst rewrites run in forked workers.

Every location ``fix`` reports is in the file as it was before the first round (the
``-`` side of ``fix --diff``): a finding of a later round is mapped back through each
round's line changes. With a baseline, tolerated findings are left as they are: they
are not rewritten, do not count as remaining and do not fail the run, like ``check
--baseline`` hides them.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ssot_lint.api import remembered_run, select_files
from ssot_lint.baseline import Entry, apply_baseline
from ssot_lint.cache import Progress, open_project
from ssot_lint.discover import SourceFile
from ssot_lint.engine import run_rules
from ssot_lint.facts.extract import extract_facts
from ssot_lint.files import sweep_temporaries
from ssot_lint.fix.apply import rewrite_text
from ssot_lint.fix.layout import Style, project_style
from ssot_lint.fix.plan import FIXABLE, FilePlan, plan_file
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
        cwd: Path | None = None, baseline: Iterable[Entry] | None = None,
        progress: Progress | None = None) -> FixResult:
    """Fix ``paths`` (default: the project); with ``write=False`` only compute diffs.

    A ``fix --diff`` answer is remembered under a key derived from everything the
    findings depend on plus its own inputs (unsafe, the import style, the baseline), and
    replayed while none of them changed.
    """
    entries = list(baseline) if baseline is not None else None
    with open_project(config, progress=progress, slim=True) as reading:
        files = select_files(reading.project, paths)
        memo = reading.memo(files, cwd)
        style = project_style(frozenset(reading.project.first_party), config.root)
        key = None
        if memo is not None and not write:
            key = memo.derived_key(f"fix --diff unsafe={unsafe} {_style_key(style)} "
                                   f"baseline={_baseline_key(entries)}")
        if memo is not None and key is not None:
            known = _decode_result(memo.derived(key))
            if known is not None:
                return known
        found, _ = remembered_run(reading, files, cwd=cwd, progress=progress, memo=memo)
        # A path named inside the project stays there: through a symbolic link out of it
        # (`fix svc/link.py`, link.py -> ../../elsewhere.py) the file is not written.
        top = os.path.join(os.path.abspath(config.root), "")
        inside = frozenset(os.path.realpath(p) for p in paths
                           if os.path.abspath(p).startswith(top))
        result = fix_project(reading.project, files, unsafe=unsafe, write=write, cwd=cwd,
                             baseline=entries, findings=found, digests=reading.digests,
                             style=style, named_inside=inside)
        if memo is not None and key is not None and not result.errors:
            memo.remember_derived(key, _encode_result(result))
        return result


def _style_key(style: Style) -> str:
    return (f"first_party={sorted(style.first_party)} line_length={style.line_length} "
            f"indent={style.indent!r}")


def _baseline_key(entries: list[Entry] | None) -> str:
    if entries is None:
        return "none"
    return hashlib.sha256("\n".join(sorted(repr(e) for e in entries)).encode()).hexdigest()


def _encode_result(result: FixResult) -> dict[str, Any]:
    from ssot_lint.cache.results import encode_findings

    return {"fixed": encode_findings(result.fixed),
            "not_fixed": [[encode_findings([f])[0], why] for f, why in result.not_fixed],
            "needs_unsafe": encode_findings(result.needs_unsafe),
            "remaining": encode_findings(result.remaining),
            "diffs": [list(diff) for diff in result.diffs],
            "files_checked": result.files_checked,
            "encodings": dict(result.encodings),
            "baselined": result.baselined}


def _decode_result(value: Any) -> FixResult | None:
    """A remembered ``fix --diff`` answer, or None when absent, damaged or foreign."""
    from ssot_lint.cache.results import decode_findings

    if not isinstance(value, dict):
        return None
    try:
        not_fixed = [(decode_findings([row])[0], why) for row, why in value["not_fixed"]]
        diffs = [(a, b, c) for a, b, c in value["diffs"]]
        encodings = value["encodings"]
        if not all(isinstance(why, str) for _, why in not_fixed) or not all(
                isinstance(x, str) for diff in diffs for x in diff) or \
                type(value["files_checked"]) is not int or \
                type(value["baselined"]) is not int or not isinstance(encodings, dict) or \
                not all(isinstance(k, str) and isinstance(v, str)
                        for k, v in encodings.items()):
            return None
        return FixResult(fixed=decode_findings(value["fixed"]), not_fixed=not_fixed,
                         needs_unsafe=decode_findings(value["needs_unsafe"]),
                         remaining=decode_findings(value["remaining"]), diffs=diffs,
                         files_checked=value["files_checked"], encodings=encodings,
                         baselined=value["baselined"])
    except (KeyError, TypeError, ValueError):
        return None


def fix_project(project: Project, files: Sequence[SourceFile], *, unsafe: bool = False,
                write: bool = True, cwd: Path | None = None,
                baseline: Iterable[Entry] | None = None,
                findings: list[Finding] | None = None,
                digests: Mapping[str, str] | None = None,
                style: Style | None = None,
                named_inside: frozenset[str] = frozenset()) -> FixResult:
    """Fix ``files`` of an already scanned ``project``.

    ``findings`` are the files' findings if already known (else the rules run);
    ``digests`` (rel -> content digest of the scanned bytes) make the "unchanged since
    the scan" test a hash instead of a parse. A file whose bytes no longer match the
    scan is left alone, so what is rewritten is always what was checked. Findings
    ``baseline`` tolerates are neither fixed nor counted as remaining. ``named_inside``:
    real paths of files the user named by a path inside the project; they are written
    only if they really are inside it.
    """
    config = project.config
    result = FixResult(files_checked=len(files))
    entries = list(baseline) if baseline is not None else None

    def found(paths: Sequence[SourceFile], judged: Project) -> list[Finding]:
        raw = run_rules(judged, paths, config.select, config.ignore, cwd)
        if entries is None:
            return raw
        return apply_baseline(raw, entries, None, config.root, cwd or Path.cwd()).new

    initial = findings if findings is not None else run_rules(project, files, config.select,
                                                              config.ignore, cwd)
    if entries is not None:
        kept = apply_baseline(initial, entries, None, config.root, cwd or Path.cwd()).new
        result.baselined = len(initial) - len(kept)
        initial = kept
    style = style or project_style(frozenset(project.first_party), config.root)
    return _fix_rounds(project, files, _by_file(files, initial, cwd), result, unsafe, write,
                       cwd, digests or {}, style, found, named_inside)


def _fix_rounds(project: Project, files: Sequence[SourceFile],
                findings: dict[str, list[Finding]], result: FixResult, unsafe: bool,
                write: bool, cwd: Path | None, digests: Mapping[str, str], style: Style,
                found: Callable[[Sequence[SourceFile], Project], list[Finding]],
                named_inside: frozenset[str]) -> FixResult:
    config = project.config
    states: dict[str, _FileState] = {}
    todo = [f for f in files if any(x.code in FIXABLE for x in findings.get(f.rel, []))]
    for _ in range(MAX_ROUNDS):
        changed: list[SourceFile] = []
        work: list[tuple[SourceFile, str, FilePlan]] = []
        for source in todo:
            state = states.get(source.rel) or _open(project, source, config, result, cwd,
                                                     findings.get(source.rel, []), digests)
            if state is None:
                continue
            states[source.rel] = state
            plan = plan_file(project, source, findings.get(source.rel, []), unsafe)
            work.append((source, state.text, plan))
        for (source, _, _), (new_text, plan) in zip(
                work, rewrite_all(project, work, config.jobs, style), strict=True):
            state = states[source.rel]
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
        project = project.with_facts({source.rel: extract_facts(
            states[source.rel].original.encode(states[source.rel].text), config.target_version)
            for source in changed})
        findings.update(_by_file(changed, found(changed, project), cwd))
        todo = changed
    if any(state.text != state.original.text for state in states.values()):
        # Graph rules (cycles, boundary chains, layers) judge the whole import graph: a
        # fix in one file can clear a finding reported in another, untouched file. So
        # what remains is judged again on the final project, for every file.
        findings = _by_file(files, found(files, project), cwd)
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


MIN_PARALLEL_REWRITES = 8  # fewer files are rewritten in this process
_WORK: list[tuple[Project, SourceFile, str, FilePlan, Style | None]] = []  # for forked workers


def rewrite_all(project: Project, work: list[tuple[SourceFile, str, FilePlan]],
                jobs: int | None, style: Style | None = None
                ) -> list[tuple[str | None, FilePlan]]:
    """``rewrite_text`` for every ``(file, text, plan)``, in that order.

    libcst's parse, visits and code generation are most of a fix's time (about a
    second for a large file), and each file's rewrite depends only on its own text and
    plan (and, for renames, on the project, read only): so they run in forked worker
    processes, which inherit the project instead of receiving it. The results — new
    text and the plan with whatever the rewrite withdrew — are the same whatever the
    number of processes. Platforms without ``fork`` rewrite in this process.
    """
    import multiprocessing

    from ssot_lint.cache.parallel import available_cores

    workers = min(jobs or available_cores(), len(work) // MIN_PARALLEL_REWRITES)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [(rewrite_text(project, source, text, plan, style), plan)
                for source, text, plan in work]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _WORK[:] = [(project, source, text, plan, style) for source, text, plan in work]
    try:
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_rewrite_one, range(len(work)), chunksize=1))
    except BrokenProcessPool:  # a worker died (out of memory, killed): do it here
        return [(rewrite_text(project, source, text, plan, style), plan)
                for source, text, plan in work]
    finally:
        _WORK.clear()


def _rewrite_one(index: int) -> tuple[str | None, FilePlan]:
    """In a forked worker: rewrite the ``index``-th file of ``_WORK``."""
    project, source, text, plan, style = _WORK[index]
    return rewrite_text(project, source, text, plan, style), plan


def _by_file(files: Sequence[SourceFile], found: list[Finding], cwd: Path | None
             ) -> dict[str, list[Finding]]:
    rel_of = {display_path(f.path, cwd): f.rel for f in files}
    grouped: dict[str, list[Finding]] = {f.rel: [] for f in files}
    for finding in found:
        grouped.setdefault(rel_of.get(finding.path, finding.path), []).append(finding)
    return grouped


def _open(project: Project, source: SourceFile, config: Config, result: FixResult,
          cwd: Path | None, initial: list[Finding],
          digests: Mapping[str, str]) -> _FileState | None:
    """Read a file to fix, making sure it still is what was checked."""
    try:
        original = read_source(source.path, config.max_file_size)
    except SourceError as exc:
        result.errors.append((display_path(source.path, cwd), str(exc)))
        return None
    if source.rel in digests:
        from ssot_lint.cache.store import digest_of

        changed = digest_of(original.data) != digests[source.rel]
    else:
        changed = extract_facts(original.data, config.target_version) != \
            project.complete_facts(source)
    if changed:
        result.errors.append((display_path(source.path, cwd),
                              "the file changed while it was being checked; not rewritten "
                              "(run fix again)"))
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
    result.encodings[state.display] = state.original.encoding
