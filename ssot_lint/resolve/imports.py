"""Turn an ``ImportFact`` into absolute import paths."""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import ImportFact


@dataclass(frozen=True)
class ResolvedImport:
    """An import with its absolute module and the dotted path it names.

    ``module`` is None when a relative import climbs above the top-level package (or the
    importing file has no module name). ``path`` is what registry entries match:
    ``module.Name`` for ``from module import Name``, the module otherwise.
    """

    fact: ImportFact
    module: str | None
    path: str | None

    @property
    def top(self) -> str | None:
        return self.module.split(".")[0] if self.module else None


def absolute_module(fact: ImportFact, source: SourceFile) -> str | None:
    """The absolute module an import refers to (None if it cannot be determined)."""
    if fact.level == 0:
        return fact.module
    if source.module is None:
        if source.package is None:
            return None
        package = source.package.split(".")
    else:
        package = source.module.split(".") if source.is_package \
            else source.module.split(".")[:-1]
    if fact.level - 1 > len(package) - 1 or not package:
        return None
    base = package[: len(package) - (fact.level - 1)]
    if not base:
        return None
    return ".".join(base + ([fact.module] if fact.module else []))


def resolve_import(fact: ImportFact, source: SourceFile) -> ResolvedImport:
    module = absolute_module(fact, source)
    if module is None:
        return ResolvedImport(fact, None, None)
    if fact.kind == "from" and fact.name:
        return ResolvedImport(fact, module, f"{module}.{fact.name}")
    return ResolvedImport(fact, module, module)
