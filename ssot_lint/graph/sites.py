"""Import sites: one per first-party import fact, with the module it really targets.

An import names a module; this decides which graph node it is an edge to:

* ``import a.b.c`` -> ``a.b.c``. The parent packages ``a`` and ``a.b`` are executed too,
  but are *not* edges: counting them would make every package whose ``__init__``
  imports its own submodules a cycle (a false positive peers are known for). The
  imports an ``__init__`` makes are edges of the package module itself.
* ``from a.b import c`` -> ``a.b.c`` when ``c`` is a submodule, else ``a.b``.
* ``from a.b import *`` -> ``a.b``. Relative imports are made absolute first.

``mock.patch`` targets and ``importlib.import_module`` strings are not edges (they
run in tests or at an unknown time), nor are imports inside
``pytest.raises(ImportError)`` (they are meant to fail). Stub files (``.pyi``) are
type information only and make no edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import ImportFact
from ssot_lint.resolve.project import Project


@dataclass(frozen=True)
class ImportSite:
    """One import statement name: who imports what, where, and in which scope."""

    importer: str  # module of the importing file
    target: str  # the module it depends on (may not exist: then ``exists`` is False)
    rel: str  # importing file, relative to the project root
    fact: ImportFact
    exists: bool
    name: str | None = None  # the name imported *from* ``target`` (None: the module itself)

    @property
    def scope(self) -> str:
        """``module``, ``function``, ``type_checking`` or ``fallback``."""
        return self.fact.context

    @property
    def eager(self) -> bool:
        """True when it runs as soon as the importing module is imported."""
        return not (self.fact.in_function or self.fact.in_type_checking)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.rel, self.fact.line, self.fact.col, self.target)


def target_of(project: Project, module: str, name: str | None) -> str:
    """The module an import depends on: ``module.name`` if that is a submodule."""
    if name and project.index.exists(f"{module}.{name}"):
        return f"{module}.{name}"
    return module


def import_sites(project: Project, source: SourceFile) -> list[ImportSite]:
    """The first-party import sites of one file, in source order."""
    if source.module is None or source.is_stub:
        return []
    sites: list[ImportSite] = []
    for ri in project.resolved_imports(source):
        fact = ri.fact
        if not fact.is_statement or fact.expects_failure or ri.module is None:
            continue
        if not project.is_first_party(ri.module):
            continue
        target = target_of(project, ri.module, fact.name if fact.kind == "from" else None)
        name = fact.name if fact.kind == "from" and target == ri.module else None
        sites.append(ImportSite(importer=source.module, target=target, rel=source.rel,
                                fact=fact, exists=project.index.exists(target), name=name))
    return sites


def by_statement(sites: Iterable[ImportSite]) -> list[list[ImportSite]]:
    """Sites grouped per (statement, target module), in source order.

    ``from billing.api import (a, b, c)`` is one statement and one edge: boundary
    rules report it once, naming ``a, b, c``, not once per name. Two submodules
    imported by one statement are two edges, hence two groups.
    """
    groups: dict[tuple[str, int, str, str, int, str], list[ImportSite]] = {}
    for site in sorted(sites, key=lambda s: s.sort_key):
        fact = site.fact
        key = (site.rel, fact.stmt_line, fact.kind, fact.module, fact.level, site.target)
        groups.setdefault(key, []).append(site)
    return sorted(groups.values(), key=lambda g: g[0].sort_key)


def described(group: Iterable[ImportSite]) -> str:
    """What a statement imports from its target: "`a`, `b` from `m`", or "`m`"."""
    sites = list(group)
    names = [s.name for s in sites if s.name]
    target = f"`{sites[0].target}`"
    return f"{', '.join(f'`{n}`' for n in names)} from {target}" if names else target


def under(module: str, prefixes: tuple[str, ...] | list[str]) -> str | None:
    """The longest of ``prefixes`` that is ``module`` or a dotted parent of it."""
    best: str | None = None
    for prefix in prefixes:
        if (module == prefix or module.startswith(prefix + ".")) and \
                (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def why(reason: str | None, owner: str | None) -> str:
    """`` — why: ...; owner: ...`` so whoever broke a rule learns why and whom to ask."""
    parts = []
    if reason:
        parts.append(f"why: {reason}")
    if owner:
        parts.append(f"owner: {owner}")
    return (" — " + "; ".join(parts)) if parts else ""
