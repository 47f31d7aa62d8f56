"""Findings remembered between runs: a warm run re-checks only what an edit can change.

A file's findings are a function of its own facts, the registry, the configuration,
the working directory (paths are shown relative to it), ssot-lint's own code, and
the *interface* of the other files (``cache.interface``: what name resolution and
the import graph read of them). So the facts cache's database also remembers:

- ``F`` rows: a file's finished findings, under both project keys below and the
  digest of the file's bytes. When nothing changed, a run reads these and nothing
  else: no facts are decoded, no rule runs, no graph is built.
- ``O`` rows: the findings of a file's own (``scope = "file"``) rules, under the
  semantic key and the file's digest.
- ``G`` rows: the findings of its graph (``scope = "project"``) rules, under the
  graph key, with the positions of the file's imports they were computed for. An
  edit that only moves the file's function-level imports (a line added above them)
  shifts these findings with them instead of rebuilding the graph.
- ``U`` rows: the same findings under the semantic key, which has no positions at
  all, for a file whose graph findings cite no line but its own imports' (none is
  SSOT204, whose message names the lines of the imports that break the cycle, and
  the file can be parsed: an "unknown" verdict sits at its syntax error). When
  only lines moved (a line added at the top of a file moves all its imports, which
  changes the graph key), they are shifted with the file's imports as ``G`` rows are
  (``moved``), so the graph is not rebuilt.
- ``V``/``P`` rows: ``--verify-registry`` findings and project-wide summaries.
- ``R`` rows: a whole run's findings, under both keys and every selected file's
  digest, so a run where nothing changed reads one row.

The *semantic key* hashes the setting (tool and code version, configuration,
registry, working directory) with every file's path, module name and position-free
interface; the *graph key* the same with the graph part of each interface. An edit
inside a function body changes neither, so a pre-commit run re-checks the edited
file alone. Anything else is a new key under which nothing is known, and the rows of
old keys are dropped. Exactness is by construction: rules see other files only
through their ``FileInterface`` (``Project.facts_of``), whose digest is derived from
the facts' tags (``cache/interface.py``), so everything a result depends on is in
its key. It is tested for every rule by ``tests/test_cache_contract.py`` and by
comparing remembered runs with uncached ones after many kinds of edit, on fixtures
and on Django.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import ssot_lint
from ssot_lint.cache.interface import GRAPH, LAZY, SEMANTIC
from ssot_lint.cache.store import FactsCache, facts_salt
from ssot_lint.discover import SourceFile
from ssot_lint.model.config import Config
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.finding import Edit, Finding
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.project import Project

RESULTS_VERSION = 1
# Settings that change where or how a run works, never what it finds.
_NO_EFFECT = frozenset({"jobs", "cache", "cache_dir", "executor", "scheduler", "output_format",
                        "exit_zero", "quiet"})
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_SUMMARIES = ("has_deprecation_markers",)
_LIBRARIES = ("networkx", "pathspec")  # Project properties worth remembering


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the source of every module of ssot-lint itself.

    The tool version alone would miss a rule edited in a development checkout (an
    editable install keeps its version), and results computed by other code must
    never be replayed. Contents rather than mtimes, so that CI jobs that each install
    the same release reuse each other's results; reading ~130 small files costs a
    couple of milliseconds.
    """
    digest = hashlib.blake2b(digest_size=16)
    stack = [os.path.dirname(ssot_lint.__file__)]
    paths: list[str] = []
    while stack:
        directory = stack.pop()
        with os.scandir(directory) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    stack.append(entry.path)
                elif entry.name.endswith(".py"):
                    paths.append(entry.path)
    base = len(os.path.dirname(ssot_lint.__file__))
    for path in sorted(paths):
        with open(path, "rb") as handle:
            digest.update(f"{path[base:]}\0".encode() + handle.read() + b"\0")
    return digest.hexdigest()


def library_versions() -> str:
    """The installed versions of the libraries whose answers findings depend on.

    networkx finds cycles and paths, pathspec matches path globs; an upgrade could
    change a finding. Read from the ``*.dist-info`` names beside each package (one
    directory listing, no import: ``importlib.metadata`` alone costs ~20 ms).
    """
    found = []
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        version = "absent"
        if origin:
            site = os.path.dirname(os.path.dirname(origin))
            prefix = f"{name}-"
            version = next((entry[len(prefix):-len(".dist-info")]
                            for entry in sorted(os.listdir(site))
                            if entry.lower().startswith(prefix) and entry.endswith(".dist-info")),
                           origin)
        found.append(f"{name} {version}")
    return "; ".join(found)


def setting_key(config: Config, registry: Registry, cwd: Path) -> str:
    """Everything besides the files that decides a run's findings."""
    settings = [(f.name, getattr(config, f.name)) for f in fields(config)
                if f.name not in _NO_EFFECT]
    return _hash("\n".join((f"results {RESULTS_VERSION}", facts_salt(config.target_version),
                            code_fingerprint(), library_versions(), repr(settings),
                            registry.digest or repr(registry), str(cwd))))


def project_keys(setting: str, files: list[SourceFile], interfaces: dict[str, str],
                 lazy_cycles: bool) -> tuple[str, str]:
    """(semantic key, graph key): the setting plus every file's place, module name and
    the semantic (resp. graph) part of its interface."""
    places = [f"{f.rel}\t{f.module}\t{f.is_package}\t{f.package}" for f in files]
    semantic = [setting] + [f"{p}\t{interfaces[f.rel][SEMANTIC]}"
                            for p, f in zip(places, files, strict=True)]
    graph = [setting]
    for place, source in zip(places, files, strict=True):
        face = interfaces[source.rel]
        # function-level import lines matter to the graph when cycles count them
        graph.append(f"{place}\t{face[GRAPH]}{face[LAZY] if lazy_cycles else ''}")
    return _hash("\n".join(semantic)), _hash("\n".join(graph))


def encode_findings(findings: list[Finding]) -> list[list[Any]]:
    """Findings as JSON-ready arrays of their fields (``fix`` nested)."""
    rows = []
    fix_at = _FINDING_FIELDS.index("fix")
    for finding in findings:
        row: list[Any] = [getattr(finding, name) for name in _FINDING_FIELDS]
        fix = finding.fix
        row[fix_at] = None if fix is None else [fix.description, fix.kind, fix.old, fix.new,
                                                fix.safe]
        rows.append(row)
    return rows


_STR, _INT, _OPT_STR, _OPT_INT = (str,), (int,), (str, type(None)), (int, type(None))
_FIELD_TYPES = {"path": _STR, "line": _INT, "column": _INT, "code": _STR, "rule": _STR,
                "severity": _STR, "message": _STR, "end_line": _OPT_INT,
                "end_column": _OPT_INT, "hint": _OPT_STR, "symbol": _OPT_STR,
                "docs": _OPT_STR, "fix": (list, type(None)), "extra": (list,)}
_EDIT_TYPES = (str, str, str, str, bool)


def decode_findings(rows: Any) -> list[Finding]:
    """Inverse of :func:`encode_findings`; raises ``ValueError``/``TypeError`` on anything
    else — every field is type-checked, so a foreign or damaged row is never replayed."""
    if type(rows) is not list:
        raise TypeError("findings must be a list")
    found = []
    for row in rows:
        if type(row) is not list:
            raise TypeError("a finding must be a list")
        values = dict(zip(_FINDING_FIELDS, row, strict=True))
        for name, value in values.items():
            if type(value) not in _FIELD_TYPES[name]:  # bool is no int here
                raise TypeError(f"bad {name}")
        fix = values["fix"]
        if fix is not None:
            if len(fix) != len(_EDIT_TYPES) or any(
                    type(v) is not t for v, t in zip(fix, _EDIT_TYPES, strict=True)):
                raise TypeError("bad fix")
            values["fix"] = Edit(*fix)
        extra = values["extra"]
        if any(type(p) is not list or len(p) != 2 or any(type(v) is not str for v in p)
               for p in extra):
            raise TypeError("bad extra")
        values["extra"] = tuple(tuple(pair) for pair in extra)
        found.append(Finding(**values))
    return found


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _places(facts: FileFacts) -> list[list[int]]:
    return [[f.line, f.col, f.end_line, f.end_col] for f in facts.imports]


def moved(findings: list[Finding], old: list[list[int]], new: list[list[int]]
          ) -> list[Finding] | None:
    """``findings`` located at the imports ``old``, moved to where they are now (``new``).

    The graph key guarantees the same imports in the same order, so the i-th import
    moved from ``old[i]`` to ``new[i]``. None when a finding is not at an import (or
    two imports share a place): then nothing is guessed and the graph is rebuilt.
    """
    if old == new:
        return findings
    if len(old) != len(new):
        return None
    where = {(o[0], o[1]): n for o, n in zip(old, new, strict=True)}
    if len(where) != len(old):
        return None
    out = []
    for finding in findings:
        place = where.get((finding.line, finding.column))
        if place is None:
            return None
        out.append(replace(finding, line=place[0], column=place[1], end_line=place[2],
                           end_column=place[3]))
    return out


class ResultsMemo:
    """The engine's ``FindingsMemo`` over the facts cache's ``results`` table."""

    def __init__(self, cache: FactsCache, keys: tuple[str, str], digests: dict[str, str],
                 interfaces: dict[str, str], selected: list[SourceFile]) -> None:
        self._cache = cache
        self._semantic, self._graph = keys
        self._scopes = (self._semantic, self._graph, self._semantic + self._graph)
        self._digests = digests
        self._interfaces = interfaces
        self._selected = selected
        finals = [self._key("F", s) for s in selected]
        # The whole run's answer, for exactly these files in exactly these states: one
        # row to read when nothing changed (None when a file is outside the project).
        self._whole = None if None in finals else "R:" + _hash("\n".join(
            [self._semantic, self._graph, *(k or "" for k in finals)]))
        self._rows = cache.results([self._whole] if self._whole else [])
        self._rows_loaded = False
        self._more_loaded = False
        self.reused = 0  # files whose finished findings came from the memo

    def whole(self) -> list[Finding] | None:
        """The run's findings if this very run was made before (all files replayed)."""
        found = self._findings(self._whole)
        if found is not None:
            self.reused = len(self._selected)
        return found

    def remember_whole(self, findings: list[Finding]) -> None:
        if self._whole is not None and self._whole not in self._rows:
            self._put(self._whole, self._scopes[2], encode_findings(findings))

    def _key(self, kind: str, source: SourceFile) -> str | None:
        if source.rel not in self._interfaces:
            return None  # an explicitly named file outside the project
        digest = self._digests.get(source.rel) or f"i{self._interfaces[source.rel]}"
        if kind == "F":
            return f"F:{self._semantic}:{self._graph}:{source.rel}:{digest}"
        if kind == "O":
            return f"O:{self._semantic}:{source.rel}:{digest}"
        if kind == "U":
            return f"U:{self._semantic}:{source.rel}"
        return f"G:{self._graph}:{source.rel}"

    def _load(self, key: str | None) -> Any:
        """The remembered JSON value under ``key``, or None."""
        if key is None:
            return None
        if key[0] != "R" and not self._rows_loaded:  # every file's rows: one query
            wanted = [k for s in self._selected if (k := self._key("F", s))]
            self._rows.update(self._cache.results(
                [*wanted, f"V:{self._semantic}", f"P:{self._semantic}"]))
            self._rows_loaded = True
        if key[0] in "OGU" and not self._more_loaded:  # first re-checked file: one query
            unknown = [s for s in self._selected
                       if (k := self._key("F", s)) is not None and k not in self._rows]
            self._rows.update(self._cache.results(
                k for s in unknown for kind in "OGU" if (k := self._key(kind, s))))
            self._more_loaded = True
        text = self._rows.get(key)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def _findings(self, key: str | None) -> list[Finding] | None:
        try:
            value = self._load(key)
            return None if value is None else decode_findings(value)
        except (ValueError, TypeError, KeyError):
            return None  # damaged or foreign: recompute (and overwrite)

    def prepare(self, project: Project) -> None:
        """Give ``project`` the summaries remembered for this key."""
        summary = self._load(f"P:{self._semantic}")
        if isinstance(summary, dict):
            for name in _SUMMARIES:
                if isinstance(summary.get(name), bool):
                    project.preset(name, summary[name])

    def final(self, source: SourceFile) -> list[Finding] | None:
        found = self._findings(self._key("F", source))
        if found is not None:
            self.reused += 1
        return found

    def own(self, source: SourceFile) -> list[Finding] | None:
        return self._findings(self._key("O", source))

    def graph(self, source: SourceFile, facts: FileFacts) -> list[Finding] | None:
        for kind in "GU":  # positioned first; then position-free (see the module doc)
            value = self._load(self._key(kind, source))
            try:
                if not isinstance(value, dict):
                    continue
                found = moved(decode_findings(value["findings"]), value["at"], _places(facts))
            except (ValueError, TypeError, KeyError):
                continue
            if found is not None:
                return found
        return None

    @staticmethod
    def _placed_at_imports(facts: FileFacts, graph: list[Finding]) -> bool:
        """Whether ``graph`` (a file's graph findings) cites no line but the file's own
        import positions, which ``moved`` shifts: then it may be remembered without
        positions (``U`` rows). SSOT204 messages cite other files' import lines; the
        "unknown — partial graph" verdicts sit at the syntax error of an unparsable
        file (whose facts have no imports to follow)."""
        return facts.problem is None and not any(f.code == "SSOT204" for f in graph)

    def registry(self) -> list[Finding] | None:
        return self._findings(f"V:{self._semantic}")

    def _put(self, key: str, scope: str, value: Any) -> None:
        self._cache.remember_result(key, scope, _dump(value), live=self._scopes)

    def remember(self, source: SourceFile, facts: FileFacts, final: list[Finding],
                 own: list[Finding], graph: list[Finding]) -> None:
        if source.rel not in self._interfaces:
            return
        self._put(self._key("F", source) or "", self._scopes[2], encode_findings(final))
        self._put(self._key("O", source) or "", self._semantic, encode_findings(own))
        placed = {"at": _places(facts), "findings": encode_findings(graph)}
        self._put(self._key("G", source) or "", self._graph, placed)
        if self._placed_at_imports(facts, graph):
            self._put(self._key("U", source) or "", self._semantic, placed)

    def derived_key(self, kind: str) -> str | None:
        """A key for another answer computed from exactly this run's inputs (``kind``
        names the computation and its own options, e.g. ``fix --diff``); None when a
        file is outside the project."""
        return None if self._whole is None else "D:" + _hash(f"{self._whole}\n{kind}")

    def derived(self, key: str) -> Any:
        """The JSON value remembered under a :meth:`derived_key`, or None."""
        rows = self._cache.results([key])
        try:
            return json.loads(rows[key]) if key in rows else None
        except ValueError:
            return None

    def remember_derived(self, key: str, value: Any) -> None:
        self._put(key, self._scopes[2], value)

    def remember_registry(self, findings: list[Finding]) -> None:
        self._put(f"V:{self._semantic}", self._semantic, encode_findings(findings))

    def save(self, project: Project) -> None:
        """Remember the project summaries this run computed (if any)."""
        summary = project.computed(_SUMMARIES)
        if summary and f"P:{self._semantic}" not in self._rows:
            self._put(f"P:{self._semantic}", self._semantic, summary)
