"""Service boundaries: which service owns a module, and may it import another?

A module belongs to the service whose ``packages`` entry is its longest dotted prefix
(``[services.X] packages``); modules in no service are not subject to boundary rules.
This is SSOT201's logic; it works per import site and needs no graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lint.graph.sites import ImportSite, described, under, why
from ssot_lint.model.registry import Registry, Service, match_entry


@dataclass(frozen=True)
class BoundaryViolation:
    site: ImportSite
    message: str
    hint: str


class ServiceMap:
    """Longest-prefix lookup from module name to service: the one place that decides
    which service owns a module (SSOT201, ``graph --level service``, ``audit``, the
    editor's hover). The loader guarantees a package belongs to one service only."""

    def __init__(self, services: dict[str, Service]) -> None:
        self.services = services
        self.names = tuple(sorted(services))
        self._owner = {package: service for _, service in sorted(services.items())
                       for package in service.packages}

    def of(self, module: str | None) -> Service | None:
        return match_entry(self._owner, module) if module else None

    def name_of(self, module: str | None) -> str | None:
        service = self.of(module)
        return service.name if service is not None else None

    def allowed(self, importer: Service, imported: Service) -> bool:
        """A service may import itself, the services it lists, or anything with ``*``."""
        return importer.name == imported.name or "*" in importer.may_import \
            or imported.name in importer.may_import


def counts_for_boundaries(site: ImportSite, registry: Registry) -> bool:
    """TYPE_CHECKING imports count unless ``policy.type_checking_imports = "ignore"``."""
    return not (site.fact.in_type_checking and registry.policy.type_checking_imports == "ignore")


def boundary_violation(site: ImportSite, services: ServiceMap, registry: Registry,
                       statement: list[ImportSite] | None = None) -> BoundaryViolation | None:
    """The SSOT201 verdict for one import site (None when it is allowed).

    ``statement`` is every site of the statement with the same target (see
    ``by_statement``): the verdict is the same for all, and the message names them.
    """
    what = described(statement or [site])
    if not counts_for_boundaries(site, registry):
        return None
    importer, imported = services.of(site.importer), services.of(site.target)
    if importer is None or imported is None or importer.name == imported.name:
        return None
    if any(entry.matches(site.importer, site.target)
           for entry in (*importer.ignore_imports, *imported.ignore_imports)):
        return None  # exempted by either service's ignore_imports
    if not services.allowed(importer, imported):
        allowed = ", ".join(f"`{name}`" for name in importer.may_import) or "nothing"
        message = (f"`{site.importer}` (service `{importer.name}`) imports {what} "
                   f"(service `{imported.name}`), but `{importer.name}` may import only: "
                   f"{allowed}{why(importer.reason, importer.owner)}")
        hint = (f"move the shared code into a service `{importer.name}` may import, or add "
                f"\"{imported.name}\" to [services.{importer.name}] may_import if the "
                "dependency is intended")
        return BoundaryViolation(site, message, hint)
    if imported.public and under(site.target, imported.public) is None:
        faces = ", ".join(f"`{p}`" for p in imported.public)
        plural = "s" if len(imported.public) > 1 else ""
        names = f" (imported here: {what.rsplit(' from ', 1)[0]})" if " from " in what else ""
        message = (f"`{site.target}` is internal to service `{imported.name}`{names}; other "
                   f"services import it only through its public module{plural} {faces}"
                   f"{why(imported.reason, imported.owner)}")
        hint = (f"import what you need from {faces}, or ask `{imported.name}` to make it public "
                f"there")
        return BoundaryViolation(site, message, hint)
    return None
