"""The analysed project: files, facts, module index, registry and name resolution.

This is what rules see. It is built by the composition root (``ssot_lint.api``) from
plain inputs, so tests can build one from a ``tmp_path`` tree without mocks.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, MutableMapping, ValuesView
from functools import cached_property

from ssot_lint.discover import SourceFile
from ssot_lint.model.config import Config
from ssot_lint.model.facts import FileFacts, FileInterface
from ssot_lint.model.registry import Registry
from ssot_lint.resolve.imports import ResolvedImport, resolve_import
from ssot_lint.resolve.modules import ModuleIndex
from ssot_lint.resolve.names import NameResolver


class Interfaces(Mapping[str, FileInterface]):
    """Every file's :class:`FileInterface` by ``rel``: ``Project.facts``, read-only."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def __getitem__(self, rel: str) -> FileInterface:
        view = self._project._view(rel)
        if view is None:
            raise KeyError(rel)
        return view

    def __contains__(self, rel: object) -> bool:
        return rel in self._project._store

    def __iter__(self) -> Iterator[str]:
        return iter(self._project._store)

    def __len__(self) -> int:
        return len(self._project._store)

    def items(self) -> ItemsView[str, FileInterface]:
        views = self._project._views
        return {rel: views.get(rel) or self._project._keep_view(rel, facts)
                for rel, facts in self._project._store.items()}.items()

    def values(self) -> ValuesView[FileInterface]:
        return dict(self.items()).values()


class Project:
    """The analysed project, as rules see it.

    Other files are seen only through their :class:`FileInterface` (``facts_of``,
    ``facts``): what a file exports, never its references or suppressions, so a
    rule *cannot* make a file's findings depend on what the cache's interface digest
    leaves out. The file being judged comes complete through the engine
    (``FileContext.facts``); ``complete_facts`` is the engine's, not the rules'.
    """

    def __init__(self, config: Config, registry: Registry, files: list[SourceFile],
                 facts: MutableMapping[str, FileFacts], unlisted: tuple[str, ...] = (),
                 excluded: tuple[str, ...] = ()) -> None:
        self.config = config
        self.registry = registry
        self.files = files
        # by SourceFile.rel (scan.LazyFacts decodes lazily)
        self._store: MutableMapping[str, FileFacts] = facts
        self._views: dict[str, FileInterface] = {}
        # Directories (root-relative, "a/b/") that exist but could not be listed.
        self.unlisted = unlisted
        # Excluded entries that could be modules ("a/build/", "a/local_settings" for a file):
        # not analysed, but they may well exist, so their modules are never called missing.
        self.excluded = excluded
        # Answers rules derive from the whole project (a module's import bindings, where a
        # path is re-exported from, the import graph: ``graph.analysis.analysis_of``),
        # computed once per run instead of once per file.
        self.shared: dict[object, object] = {}

    def __repr__(self) -> str:
        return f"Project(root={self.config.root!s}, files={len(self.files)})"

    @property
    def facts(self) -> Interfaces:
        """Every file's interface by ``rel`` (read-only; see :meth:`facts_of`)."""
        return Interfaces(self)

    def _keep_view(self, rel: str, facts: FileFacts) -> FileInterface:
        view = self._views[rel] = FileInterface.of(facts)
        return view

    def _view(self, rel: str) -> FileInterface | None:
        view = self._views.get(rel)
        if view is None:
            facts = self._store.get(rel)
            if facts is None:
                return None
            view = self._keep_view(rel, facts)
        return view

    def add_facts(self, rel: str, facts: FileFacts) -> None:
        """Record (or replace) a file's facts: a file named outside the project, a file
        the fixer rewrote. Pipeline code only; rules never write."""
        self._views.pop(rel, None)
        self._store[rel] = facts

    def with_facts(self, changed: Mapping[str, FileFacts]) -> Project:
        """A new project (indexes, resolution and graph built afresh) where ``changed``
        files have new facts; this one must not be used any more (they share facts)."""
        for rel, facts in changed.items():
            self._store[rel] = facts
        return Project(self.config, self.registry, self.files, self._store, self.unlisted,
                       self.excluded)

    def detach(self) -> None:
        """Decode every file's facts now, so the project outlives the cache it was read from."""
        self._store = dict(self._store.items())

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

    def computed(self, names: Iterable[str]) -> dict[str, object]:
        """The whole-project answers among ``names`` (cached properties) computed so far:
        ``cache.results`` remembers them for the next run with the same inputs."""
        return {name: self.__dict__[name] for name in names if name in self.__dict__}

    def preset(self, name: str, value: object) -> None:
        """Give the cached property ``name`` a value remembered from an earlier run with
        the same inputs, so it is not computed again."""
        if not isinstance(getattr(type(self), name, None), cached_property):
            raise AttributeError(f"Project.{name} is not a cached property")
        self.__dict__[name] = value

    def facts_of(self, source: SourceFile) -> FileInterface | None:
        """What ``source`` exports to the other files (None when it has no facts)."""
        return self._view(source.rel)

    def complete_facts(self, source: SourceFile) -> FileFacts | None:
        """A file's complete facts, for the engine judging that very file (rules get
        them as ``FileContext.facts``; they read other files through :meth:`facts_of`).

        The store may hold other files' facts without references (``scan.LazyFacts``
        with ``slim``): nothing can read another file's references.
        """
        complete = getattr(self._store, "complete", None)
        return complete(source.rel) if complete is not None else self._store.get(source.rel)

    def is_first_party(self, module: str) -> bool:
        return module.split(".")[0] in self.first_party

    def resolved_imports(self, source: SourceFile) -> list[ResolvedImport]:
        facts = self._view(source.rel)
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
