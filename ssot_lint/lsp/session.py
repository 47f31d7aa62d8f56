"""The project as the editor sees it: disk files, with open buffers laid over them.

Every check goes through ``ssot_lint.api.check`` with the open buffers as its
``overlay``: the same discovery, cache, remembered findings and rules as
``ssot-lint check``, so the editor and CI cannot disagree. Config and registry are
read again on each check (both are small), which is how an edited registry is
picked up without a restart; a broken one is kept as ``problem`` instead of raised.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ssot_lint.api import DiskView, check, resolve_config
from ssot_lint.cache.scan import LazyFacts
from ssot_lint.discover import SourceFile
from ssot_lint.errors import MultiError, SsotLintError
from ssot_lint.load.registry import load_registry
from ssot_lint.model.config import Config
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.project import Project


@dataclass(frozen=True)
class Settings:
    """What the user chose for the server (command line or ``initializationOptions``)."""

    config_file: Path | None = None
    registry: Path | None = None
    unsafe_fixes: bool = False  # offer rename fixes (``fix --unsafe-fixes``) as quick fixes
    docs_url: str | None = None  # base of the rule pages; None: no links
    debounce: float = 0.15  # seconds of quiet typing before a buffer is checked


@dataclass(frozen=True)
class Problem:
    """Why the project cannot be checked now (a malformed registry or config)."""

    message: str
    file: Path
    line: int  # 1-based; 1 when the error names no line


@dataclass
class Outcome:
    """One check of the open buffers."""

    findings: dict[Path, list[Finding]] = field(default_factory=dict)  # by real path
    project: Project | None = None
    problem: Problem | None = None


@dataclass
class Checked:
    """One buffer as last checked: the text the findings are about."""

    text: str
    findings: list[Finding]


class Session:
    """The server's state besides the buffers' text (which pygls keeps)."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = Path(os.path.realpath(root))
        self.settings = settings
        self.registry: Registry | None = None  # the last registry that loaded (for hovers)
        self.project: Project | None = None  # the last checked project (for fixes)
        self.problem: Problem | None = None
        self.target_version = (sys.version_info.major, sys.version_info.minor)  # config's
        # The disk as the last check read it, trusted until the client reports a change
        # (saves, watched files): an edit then costs no walk and no stat of every file.
        self.disk: DiskView | None = None
        self.trust_disk = False  # only once the client watches files for the server
        self._known_paths: tuple[DiskView, frozenset[str]] | None = None
        # The last check's facts: rows it decoded are not decoded again (an import
        # edit would otherwise decode every file's facts for the graph and SSOT303).
        self.facts: LazyFacts | None = None
        self.generation = 0  # bumped by ``disk_changed``; a check started before keeps
        #                      its answer but not its view of the disk

    def disk_changed(self) -> None:
        """The client says files changed on disk: the next check looks again."""
        self.generation += 1
        self.disk = None

    def config(self) -> Config:
        # Extraction stays in this process: forking workers from a server with running
        # threads can copy a held lock into the child and hang it (a cold start on a
        # large project is therefore serial; `ssot-lint check` warms the same cache).
        return resolve_config([self.root], config_file=self.settings.config_file,
                              registry=self.settings.registry, jobs=1, executor="local")

    def check(self, buffers: Mapping[Path, str]) -> Outcome:
        """Findings for every buffer, judged against the project with all buffers laid
        over the disk (so one buffer's new import reaches another's cycle check)."""
        try:
            config = self.config()
            registry_path = config.registry_path
        except SsotLintError as exc:
            return self._failed(exc, self.root / "pyproject.toml")
        self.target_version = config.target_version
        inside: dict[Path | str, str] = {
            Path(os.path.realpath(p)): text for p, text in buffers.items()
            if _under(Path(os.path.realpath(p)), config.root)}
        if not inside:  # nothing to check (`check` would take the whole project)
            return self._registry_only(config)
        if self.disk is not None and not self._knows(inside):
            self.disk = None  # a buffer of a file the last walk did not see: walk again
        generation = self.generation
        try:
            result = check(sorted(Path(p) for p in inside), config, overlay=inside,
                           disk=self.disk, seed=self.facts)
        except SsotLintError as exc:
            return self._failed(exc, registry_path)
        facts = result.extra.get("facts")
        self.facts = facts if isinstance(facts, LazyFacts) else None
        disk = result.extra.get("disk")
        if self.trust_disk and generation == self.generation and isinstance(disk, DiskView):
            self.disk = disk
        self.problem = None
        self.registry = result.project.registry
        self.project = result.project
        outcome = Outcome(findings={Path(path): [] for path in inside}, project=result.project)
        for finding in result.findings:
            path = Path(os.path.realpath(finding.path))
            if path in outcome.findings:
                outcome.findings[path].append(finding)
        return outcome

    def _knows(self, buffers: Mapping[Path | str, str]) -> bool:
        """Whether every buffer is a file of the trusted disk view."""
        assert self.disk is not None
        if self._known_paths is None or self._known_paths[0] is not self.disk:
            self._known_paths = (self.disk, frozenset(str(f.path) for f in self.disk.files))
        return all(str(path) in self._known_paths[1] for path in buffers)

    def _registry_only(self, config: Config) -> Outcome:
        """Load the registry (for hovers, and to report a broken one at once)."""
        try:
            self.registry = load_registry(config.registry_path, display_base=Path.cwd())
        except SsotLintError as exc:
            return self._failed(exc, config.registry_path)
        self.problem = None
        return Outcome()

    def _failed(self, exc: SsotLintError, default: Path) -> Outcome:
        first = exc.errors[0] if isinstance(exc, MultiError) and exc.errors else exc
        where = Path(first.file) if first.file else default
        self.problem = Problem(message=str(exc), file=Path(os.path.realpath(where)),
                               line=first.line or 1)
        return Outcome(problem=self.problem)

    def source_of(self, path: Path) -> SourceFile | None:
        """The checked project's file at ``path``, if the last check had one."""
        if self.project is None:
            return None
        real = os.path.realpath(path)
        by_path = self.project.shared.get("lsp-files-by-path")
        if by_path is None:
            by_path = self.project.shared["lsp-files-by-path"] = {
                os.path.realpath(f.path): f for f in self.project.files}
        assert isinstance(by_path, dict)
        found = by_path.get(real)
        return found if isinstance(found, SourceFile) else None


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
