"""Service membership, the service-level import graph, and unregistered symbols.

Computed from the project's resolved first-party imports (facts already extracted;
nothing is re-parsed or imported). A module belongs to the service whose
``packages`` entry is its longest dotted prefix, as the boundary rules decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ssot_lint.audit.model import ServiceEdge, Unregistered
from ssot_lint.discover import SourceFile
from ssot_lint.graph.services import ServiceMap
from ssot_lint.model.registry import match_entry
from ssot_lint.resolve.project import Project


def package_of(source: SourceFile) -> str:
    """The package a file belongs to: its own package for ``__init__``, else the parent."""
    if source.module is None:
        parent = source.rel.rpartition("/")[0]
        return parent + "/" if parent else "./"
    if source.is_package:
        return source.module
    return source.module.rpartition(".")[0] or source.module


def service_edges(project: Project, files: Iterable[SourceFile],
                  services: ServiceMap) -> tuple[ServiceEdge, ...]:
    """Import counts between different services; ``allowed`` follows ``may_import``.

    An import is counted as SSOT201 reports it: once per statement and imported module
    (``from billing.api import a, b`` is one import of ``billing.api``).

    ``from pkg import sub`` counts as an import of the submodule ``pkg.sub``.
    TYPE_CHECKING imports are left out when ``policy.type_checking_imports = "ignore"``
    (the boundary rules ignore them then); imports meant to fail are always left out.
    """
    registry = project.registry
    skip_tc = registry.policy.type_checking_imports == "ignore"
    statements: set[tuple[str, str, str, int, str]] = set()
    for source in files:
        origin = services.name_of(source.module)
        if origin is None:
            continue
        for ri in project.resolved_imports(source):
            fact = ri.fact
            if not fact.is_statement or fact.expects_failure or ri.module is None:
                continue
            if skip_tc and fact.in_type_checking:
                continue
            module = ri.module
            if fact.kind == "from" and ri.path and project.index.exists(ri.path):
                module = ri.path  # ``from django import forms`` imports django.forms
            target = services.name_of(module)
            if target is not None and target != origin:
                statements.add((origin, target, source.rel, fact.stmt_line, module))
    counts = Counter((origin, target) for origin, target, *_ in statements)
    edges = []
    for (source_name, target_name), count in sorted(counts.items()):
        allowed = services.allowed(registry.services[source_name], registry.services[target_name])
        edges.append(ServiceEdge(source_name, target_name, count, allowed=allowed))
    return tuple(edges)


def unregistered_symbols(project: Project,
                         files: Iterable[SourceFile]) -> tuple[tuple[Unregistered, ...], int]:
    """``from first_party.mod import Name`` paths with no ``[symbols]`` entry or alias.

    Submodule imports are modules, not symbols, and paths under a ``[broken]`` or
    ``[deprecated]`` entry are already registered, so neither counts. Returns the
    paths (most referenced first) and the number of import sites.
    """
    registry = project.registry
    known = set(registry.symbols) | set(registry.alias_index())
    sites: Counter[str] = Counter()
    in_files: dict[str, set[str]] = {}
    for source in files:
        for ri in project.resolved_imports(source):
            fact = ri.fact
            if fact.kind != "from" or ri.path is None or ri.module is None:
                continue
            if fact.expects_failure or not project.is_first_party(ri.module):
                continue
            if ri.path in known or project.index.exists(ri.path):
                continue
            if match_entry(registry.broken, ri.path) or match_entry(registry.deprecated,
                                                                      ri.path):
                continue
            sites[ri.path] += 1
            in_files.setdefault(ri.path, set()).add(source.rel)
    ordered = sorted(sites, key=lambda p: (-sites[p], p))
    found = tuple(Unregistered(p, sites[p], len(in_files[p])) for p in ordered)
    return found, sum(sites.values())
