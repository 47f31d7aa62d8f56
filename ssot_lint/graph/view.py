"""What ``ssot-lint graph`` draws: the module graph aggregated to a level.

``module`` keeps modules; ``package`` folds each module file into its package;
``service`` folds modules into their ``[services.*]`` (modules in no service are left
out). Imports under ``TYPE_CHECKING`` are not drawn when
``policy.type_checking_imports = "ignore"``, as ``check`` and ``audit`` leave them
out then. ``depth`` cuts module/package names to their first N components; ``focus``
keeps the edges touching one module (or package/service prefix) and its neighbours.
An edge's *count* is the number of import sites behind it; it is marked with the
rule codes of the findings reported on those sites (SSOT201-SSOT203) and with SSOT204
when it is a suggested cycle breaker.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from ssot_lint.errors import ConfigError
from ssot_lint.graph.build import ModuleGraph
from ssot_lint.graph.services import ServiceMap, counts_for_boundaries
from ssot_lint.graph.sites import ImportSite, under
from ssot_lint.resolve.suggest import suggest_module

LEVELS = ("module", "package", "service")


@dataclass(frozen=True)
class ViewNode:
    id: str
    kind: str  # "module" | "package" | "namespace" | "service"
    service: str | None = None
    file: str | None = None
    partial: bool = False  # its file cannot be parsed: its imports are unknown


@dataclass
class ViewEdge:
    source: str
    target: str
    sites: list[ImportSite] = field(default_factory=list)
    violations: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.sites)


@dataclass
class GraphView:
    level: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]


def build_view(mg: ModuleGraph, *, level: str = "module", depth: int | None = None,
               focus: str | None = None, files: Collection[str] | None = None,
               marks: dict[tuple[str, str], set[str]] | None = None) -> GraphView:
    """Aggregate ``mg`` for display. ``files`` limits the importing files shown."""
    if level not in LEVELS:
        raise ConfigError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    if depth is not None and depth < 1:
        raise ConfigError("--depth must be 1 or more")
    if level == "service" and not mg.project.registry.services:
        raise ConfigError("--level service needs services: declare [services.NAME] tables with "
                          "their packages in the registry, or use --level package")
    services = ServiceMap(mg.project.registry.services)
    registry = mg.project.registry  # policy.type_checking_imports = "ignore": not drawn
    name_of = _namer(mg, level, depth, services)
    nodes: dict[str, ViewNode] = {}
    for module in mg.graph.nodes:
        name = name_of(module)
        if name is not None and name not in nodes:
            nodes[name] = _node(mg, name, level, services)
    edges: dict[tuple[str, str], ViewEdge] = {}
    for (importer, target), sites in sorted(mg.sites.items()):
        a, b = name_of(importer), name_of(target)
        if a is None or b is None or a == b:
            continue
        shown = [s for s in sites if (files is None or s.rel in files)
                 and counts_for_boundaries(s, registry)]
        if not shown:
            continue
        edge = edges.setdefault((a, b), ViewEdge(a, b))
        edge.sites.extend(shown)
        edge.violations |= (marks or {}).get((importer, target), set())
    chosen = [edges[key] for key in sorted(edges)]
    if focus is not None:
        chosen = _focus(chosen, focus, sorted(nodes), mg)
        keep = {e.source for e in chosen} | {e.target for e in chosen} | \
            {n for n in nodes if under(n, [focus])}
        nodes = {n: v for n, v in nodes.items() if n in keep}
    for edge in chosen:
        edge.sites.sort(key=lambda s: s.sort_key)
    return GraphView(level, [nodes[n] for n in sorted(nodes)], chosen)


def _namer(mg: ModuleGraph, level: str, depth: int | None,
           services: ServiceMap) -> Callable[[str], str | None]:
    def name_of(module: str) -> str | None:
        if level == "service":
            return services.name_of(module)
        if level == "package" and mg.project.index.kind(module) == "module" and "." in module:
            module = module.rsplit(".", 1)[0]
        if depth is not None:
            module = ".".join(module.split(".")[:depth])
        return module
    return name_of


def _node(mg: ModuleGraph, name: str, level: str, services: ServiceMap) -> ViewNode:
    if level == "service":
        return ViewNode(name, "service", service=name)
    kind = mg.project.index.kind(name) or "package"
    return ViewNode(name, kind, service=services.name_of(name),
                    file=mg.file_of.get(name), partial=name in mg.partial)


def _focus(edges: list[ViewEdge], focus: str, names: list[str],
           mg: ModuleGraph) -> list[ViewEdge]:
    if not any(under(n, [focus]) for n in names):
        hint = suggest_module(focus, None, mg.project.index)
        raise ConfigError(f"--focus {focus!r} matches no node of the graph"
                          + (f"; did you mean {hint!r}?" if hint else "")
                          + " (use a module, package or, with --level service, a service name)")
    return [e for e in edges if under(e.source, [focus]) or under(e.target, [focus])]
