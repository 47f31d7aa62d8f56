"""Bootstrap a registry from a code base: what the code does today, written down.

Adopting a linter must not fail on day one, so services may import what they import
now; what *would* fail under full independence is written next to it as a comment,
and names defined in several modules (where SSOT problems hide) are listed for a
human to decide. Test modules are left out: nothing should import them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ssot_lint.discover import SourceFile
from ssot_lint.registry_tools.draft import Draft, DraftService, DraftSymbol
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project

PUBLIC_KINDS = ("class", "function")


def is_test_module(module: str) -> bool:
    """``tests``/``test`` packages, ``test_*``/``*_test`` modules and ``conftest``."""
    return any(part in ("tests", "test", "conftest") or part.startswith("test_")
               or part.endswith("_test") for part in module.split("."))


def detect_packages(project: Project) -> list[str]:
    """Regular packages at the source roots; if there are none, every top-level name."""
    regular = sorted({f.module.split(".")[0] for f in project.files
                      if f.module and f.is_package and "." not in f.module})
    return regular or sorted(project.index.top_level())


@dataclass
class InitReport:
    packages: list[str]
    symbols: int = 0
    aliases: int = 0
    duplicates: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    edges: dict[tuple[str, str], list[tuple[str, int]]] = field(default_factory=dict)


class _Scan:
    """One pass over the project's facts, collecting definitions, re-exports and edges."""

    def __init__(self, project: Project, packages: list[str]) -> None:
        self.project = project
        self.packages = set(packages)
        self.defined: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        self.reexports: dict[str, list[str]] = defaultdict(list)  # target path -> alias paths
        # module -> (importing module, its __all__ or None)
        self.star_importers: dict[str, list[tuple[str, tuple[str, ...] | None]]] = \
            defaultdict(list)
        self.edges: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        for source in project.files:
            if source.module and not source.is_stub:
                self.file(source, source.module)

    def owner(self, module: str) -> str | None:
        top = module.split(".")[0]
        return top if top in self.packages else None

    def file(self, source: SourceFile, module: str) -> None:
        facts = self.project.facts_of(source)
        owner = self.owner(module)
        if facts is None or facts.problem is not None or owner is None:
            return
        public = not is_test_module(module)
        # A re-export is an import meant to be imported from here: in a package's
        # __init__, or named in a literal __all__ (a consumer's own imports are not).
        exports = facts.all_names
        for definition in facts.definitions:
            if public and definition.kind in PUBLIC_KINDS and not definition.in_type_checking \
                    and not definition.name.startswith("_"):
                self.defined[definition.name].setdefault(module, (source.rel, definition.line))
        for fact in facts.imports:
            target = absolute_module(fact, source)
            if target is None:
                continue
            other = self.owner(target)
            if other is not None and other != owner:
                self.edges[(owner, other)].append((source.rel, fact.line))
            if not public or fact.in_function or fact.in_class or fact.in_type_checking:
                continue
            if fact.kind == "from" and fact.name and fact.asname in (None, fact.name) and (
                    source.is_package or (exports is not None and fact.name in exports)):
                self.reexports[f"{target}.{fact.name}"].append(f"{module}.{fact.name}")
            elif fact.kind == "star" and (source.is_package or exports is not None):
                self.star_importers[target].append((module, exports))

    def exported_by_star(self, module: str, name: str) -> bool:
        for source in self.project.index.files(module):
            facts = self.project.facts_of(source)
            if facts is not None and facts.all_names is not None:
                return name in facts.all_names
        return not name.startswith("_")

    def aliases_of(self, path: str) -> list[str]:
        """Every path that re-exports ``path``, directly or through other re-exports."""
        found: list[str] = []
        frontier = [path]
        seen = {path}
        while frontier:
            current = frontier.pop()
            module, name = current.rsplit(".", 1)
            candidates = list(self.reexports.get(current, ()))
            if self.exported_by_star(module, name):
                candidates += [f"{m}.{name}" for m, exports in self.star_importers.get(module, ())
                               if exports is None or name in exports]
            for alias in candidates:
                if alias not in seen:
                    seen.add(alias)
                    found.append(alias)
                    frontier.append(alias)
        return sorted(found)


def bootstrap(project: Project, packages: list[str] | None = None) -> tuple[Draft, InitReport]:
    """A registry draft describing ``project`` as it is today, and what was found."""
    packages = packages or detect_packages(project)
    scan = _Scan(project, packages)
    report = InitReport(packages=packages)
    draft = Draft(packages=list(packages), source_roots=list(project.registry.source_roots))
    taken: set[str] = set()
    unique = {name: next(iter(modules)) for name, modules in scan.defined.items()
              if len(modules) == 1}
    canonical = {f"{module}.{name}" for name, module in unique.items()}
    for path in sorted(canonical):
        aliases = [a for a in scan.aliases_of(path) if a not in canonical and a not in taken]
        taken.update(aliases)
        draft.symbols[path] = DraftSymbol(path=path, aliases=aliases)
        report.aliases += len(aliases)
    report.symbols = len(draft.symbols)
    for name in sorted(scan.defined):
        modules = scan.defined[name]
        if len(modules) > 1:
            report.duplicates[name] = [(m, rel, line) for m, (rel, line) in sorted(modules.items())]
    report.edges = {edge: sorted(sites) for edge, sites in sorted(scan.edges.items())}
    for package in packages:
        targets = sorted({b for (a, b) in report.edges if a == package})
        service = DraftService(name=package, packages=[package], may_import=targets)
        if targets:
            service.comments.append("may_import is what the code imports today; under full "
                                    "independence (may_import = []) these would be violations:")
            for target in targets:
                sites = report.edges[(package, target)]
                rel, line = sites[0]
                service.comments.append(f"  {package} -> {target}: {len(sites)} import"
                                        f"{'s' if len(sites) != 1 else ''} (first: {rel}:{line})")
        draft.services[package] = service
    draft.header = ["Bootstrapped by `ssot-lint registry init` from the code as it is today.",
                    "Review the [symbols] (canonical = the one module defining the name; "
                    "aliases = its re-exports),",
                    "the names defined in several modules (listed at the end), and tighten "
                    "may_import."]
    draft.notes = _duplicate_notes(report)
    return draft, report


def _duplicate_notes(report: InitReport) -> list[str]:
    if not report.duplicates:
        return []
    lines = [f"--- {len(report.duplicates)} public names defined in more than one module: "
             "decide which is canonical ---"]
    for name, sites in report.duplicates.items():
        lines.append(f"{name}: " + ", ".join(f"{m} ({rel}:{line})" for m, rel, line in sites))
    return lines
