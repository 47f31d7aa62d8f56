"""The analysed project: files, facts, module index, registry and name resolution.

This is what rules see. It is built by the composition root (``ssot_lint.api``) from
plain inputs, so tests can build one from a ``tmp_path`` tree without mocks.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ssot_lint.discover import SourceFile
from ssot_lint.model.config import Config
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.imports import ResolvedImport, resolve_import
from ssot_lint.resolve.modules import ModuleIndex
from ssot_lint.resolve.names import NameResolver

if TYPE_CHECKING:
    from ssot_lint.graph.analysis import GraphAnalysis


@dataclass
class Project:
    config: Config
    registry: Registry
    files: list[SourceFile]
    facts: MutableMapping[str, FileFacts]  # by SourceFile.rel (scan.LazyFacts decodes lazily)
    # Directories (root-relative, "a/b/") that exist but could not be listed.
    unlisted: tuple[str, ...] = ()
    # Excluded entries that could be modules ("a/build/", "a/local_settings" for a file):
    # not analysed, but they may well exist, so their modules are never called missing.
    excluded: tuple[str, ...] = ()
    # Answers rules derive from the whole project (a module's import bindings, where a
    # path is re-exported from), computed once per run instead of once per file.
    shared: dict[object, object] = field(init=False, default_factory=dict, repr=False,
                                         compare=False)

    # The module index and name resolver are built on first use: a run that replays
    # every file's remembered findings (ssot_lint.cache.results) needs neither.
    @cached_property
    def index(self) -> ModuleIndex:
        return ModuleIndex(self.files)

    @cached_property
    def first_party(self) -> frozenset[str]:
        return frozenset(self.registry.packages or tuple(sorted(self.index.top_level())))

    @cached_property
    def names(self) -> NameResolver:
        return NameResolver(self.index, self.facts_of, self.is_first_party)

    @cached_property
    def _by_module(self) -> dict[str, SourceFile]:
        return {f.module: f for f in self.files if f.module and not f.is_stub}

    @cached_property
    def _excluded_modules(self) -> frozenset[str]:
        """The module names of the excluded entries, under each source root."""
        prefixes = sorted(("" if root in (".", "") else root.strip("/") + "/"
                           for root in self.registry.source_roots), key=len, reverse=True)
        names = set()
        for rel in self.excluded:
            path = rel.rstrip("/")
            if path.endswith("/__init__"):
                path = path[:-len("/__init__")]
            prefix = next((p for p in prefixes if path.startswith(p)), None)
            if prefix is None:
                continue
            parts = path[len(prefix):].split("/")
            if all(part.isidentifier() for part in parts):
                names.add(".".join(parts))
        return frozenset(names)

    def hidden(self, module: str) -> bool:
        """Whether ``module`` could be in a directory that could not be listed, or in an
        excluded directory or file: then nobody knows whether it exists, and it must not
        be called missing."""
        if self.excluded:
            excluded = self._excluded_modules
            end = 0
            while end != -1:
                end = module.find(".", end + 1)
                if (module if end == -1 else module[:end]) in excluded:
                    return True
        if not self.unlisted:
            return False
        for rel in self.unlisted:
            inside = "" if rel == "./" else rel
            for root in self.registry.source_roots:
                prefix = "" if root in (".", "") else root.strip("/") + "/"
                if prefix.startswith(inside):  # the source root itself is unreadable
                    return True
                if inside.startswith(prefix):
                    package = inside[len(prefix):].strip("/").replace("/", ".")
                    if module == package or module.startswith(package + "."):
                        return True
        return False

    def facts_of(self, source: SourceFile) -> FileFacts | None:
        return self.facts.get(source.rel)

    def complete_facts(self, source: SourceFile) -> FileFacts | None:
        """A file's facts including its references, for judging the file itself.

        ``facts`` may hold other files' facts without references (``scan.LazyFacts``
        with ``slim``): nothing reads another file's references.
        """
        complete = getattr(self.facts, "complete", None)
        return complete(source.rel) if complete is not None else self.facts.get(source.rel)

    def is_first_party(self, module: str) -> bool:
        return module.split(".")[0] in self.first_party

    def resolved_imports(self, source: SourceFile) -> list[ResolvedImport]:
        facts = self.facts.get(source.rel)
        if facts is None:
            return []
        return [resolve_import(fact, source) for fact in facts.imports]

    def file_of_module(self, module: str) -> SourceFile | None:
        return self._by_module.get(module)

    @cached_property
    def has_deprecation_markers(self) -> bool:
        """Whether any first-party definition carries a PEP 702 ``@deprecated`` marker.

        Computed once so SSOT303 costs nothing on the (common) projects that have none.
        """
        return any(d.deprecated is not None for facts in self.facts.values()
                   for d in facts.definitions)

    @cached_property
    def graph(self) -> GraphAnalysis:
        """The dependency graph and its analyses, built once on first use.

        Imported here, not at module level, so runs that need no graph never load
        networkx.
        """
        from ssot_lint.graph.analysis import GraphAnalysis

        return GraphAnalysis(self)
