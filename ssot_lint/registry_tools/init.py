"""Bootstrap a registry from a code base: what the code does today, written down.

Adopting a linter must not fail on day one, so services may import what they import
now; what *would* fail under full independence is written next to it as a comment,
and names defined in several modules (where SSOT problems hide) are listed for a
human to decide. Test modules are left out: nothing should import them.

The canonical path of each object is, by default, the spelling the project itself
imports most (``--canonical most-used``): a registry that contradicts how a project
imports turns day one into thousands of SSOT112 findings and a ``fix`` that rewrites
every file toward deep internal paths. Ties go to the shallowest public path (a
package ``__init__`` re-export or a name in ``__all__``).

Placeholder definitions — classes and functions that only raise or call
``requires_backends`` (transformers' ``utils/dummy_*_objects.py``), or that are
defined under ``except ImportError`` — stand in for the real object when an optional
dependency is missing. They are not second definitions: counting them would make
every public class "defined in several modules" and drop it from the registry.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pathspec

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import FileInterface, ImportFact
from ssot_lint.registry_tools.draft import Draft, DraftService, DraftSymbol
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project

PUBLIC_KINDS = ("class", "function")
CANONICAL_POLICIES = ("most-used", "public", "defining")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 public name``, ``2 public names`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


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
    placeholders: dict[str, int] = field(default_factory=dict)  # file -> placeholder defs
    excluded: list[str] = field(default_factory=list)  # files left out by --exclude
    canonical_policy: str = "most-used"
    not_defining: int = 0  # symbols whose canonical path is not the defining module
    services: list[str] = field(default_factory=list)


# -- placeholders ------------------------------------------------------------------------

_HANDLED = ("ImportError", "ModuleNotFoundError", "OptionalDependencyNotAvailable")


def _name_of(node: ast.expr | None) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _only_raises(body: list[ast.stmt]) -> bool:
    """A body that only raises ImportError (or the like) or calls a ``requires_*`` helper.

    ``raise NotImplementedError`` is an abstract method, not a placeholder.
    """
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(
        s.value, ast.Constant) and isinstance(s.value.value, str))]  # docstrings
    if not statements:
        return False
    for statement in statements:
        if isinstance(statement, ast.Raise) and (
                _name_of(statement.exc) in _HANDLED
                or _name_of(statement.exc).endswith("ImportError")):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and \
                _name_of(statement.value).lstrip("_").startswith("requires"):
            continue
        return False
    return True


_HELPERS = ("DummyObject", "OptionalDependencyNotAvailable")


def may_hold_placeholders(facts: FileInterface) -> bool:
    """Can a file hold placeholders? Only one that imports a ``requires_*`` helper,
    ``DummyObject`` or ``OptionalDependencyNotAvailable``, or has a guarded import
    (``try: import x`` / ``except ImportError``). Only those are parsed again."""
    return any(f.in_fallback or (f.name or "").lstrip("_").startswith("requires")
               or f.name in _HELPERS for f in facts.imports)


def _placeholder_class(node: ast.ClassDef) -> bool:
    """A class whose methods all only raise (the attributes and docstring aside)."""
    if any(isinstance(k.value, ast.Name) and k.value.id == "DummyObject" for k in node.keywords
           if k.arg == "metaclass"):
        return True
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    others = [s for s in node.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                          ast.Assign, ast.AnnAssign, ast.Pass,
                                                          ast.Expr))]
    return bool(methods) and not others and all(_only_raises(m.body) for m in methods)


def _handles_import_error(handler: ast.ExceptHandler) -> bool:
    names: list[ast.expr] = []
    if isinstance(handler.type, ast.Tuple):
        names = list(handler.type.elts)
    elif handler.type is not None:
        names = [handler.type]
    return any((isinstance(n, ast.Name) and n.id in _HANDLED)
               or (isinstance(n, ast.Attribute) and n.attr in _HANDLED) for n in names)


def placeholder_lines(source: SourceFile) -> set[int]:
    """Lines of the module-level placeholder definitions of ``source`` (read with ast).

    Only called for files defining a name some other module defines too, so most
    files are never read twice.
    """
    from ssot_lint.files import SOURCE_LIMIT, read_bytes

    try:  # bounded and non-blocking, like every read (ssot_lint.files)
        tree = ast.parse(read_bytes(source.path, SOURCE_LIMIT))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    found: set[int] = set()

    def visit(body: list[ast.stmt], guarded: bool) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                if guarded or _placeholder_class(node):
                    found.add(node.lineno)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if guarded or _only_raises(node.body):
                    found.add(node.lineno)
            elif isinstance(node, ast.If):
                visit(node.body, guarded)
                visit(node.orelse, guarded)
            elif isinstance(node, ast.Try):
                visit(node.body, guarded)
                for handler in node.handlers:
                    visit(handler.body, guarded or _handles_import_error(handler))
                visit(node.orelse, guarded)
                visit(node.finalbody, guarded)

    visit(tree.body, False)
    return found


# -- the scan -----------------------------------------------------------------------------


class _Scan:
    """One pass over the project's facts, collecting definitions, re-exports and edges."""

    def __init__(self, project: Project, packages: list[str], owners: list[str],
                 excluded: pathspec.GitIgnoreSpec | None) -> None:
        self.project = project
        self.packages = set(packages)
        self.owners = sorted(owners, key=lambda o: (-o.count("."), o))  # longest first
        # name -> defining module -> (file, line)
        self.defined: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        self.reexports: dict[str, list[str]] = defaultdict(list)  # target path -> alias paths
        # module -> (importing module, its __all__ or None)
        self.star_importers: dict[str, list[tuple[str, tuple[str, ...] | None]]] = \
            defaultdict(list)
        self.edges: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        self.usage: Counter[str] = Counter()  # "module.Name" as imported -> import statements
        self.public_defining: set[str] = set()  # "module.Name" in its module's __all__
        self.packages_modules: set[str] = set()
        self.excluded: list[str] = []
        self.all_names: dict[str, tuple[str, ...] | None] = {}
        for source in project.files:
            if not source.module or source.is_stub:
                continue
            if excluded is not None and excluded.match_file(source.rel):
                self.excluded.append(source.rel)
                self.count_all(source)
                continue
            self.file(source, source.module)

    def owner(self, module: str) -> str | None:
        for prefix in self.owners:
            if module == prefix or module.startswith(prefix + "."):
                return prefix
        return None

    def count_usage(self, source: SourceFile, fact: ImportFact) -> None:
        """Count one spelling of a first-party name (``from X import Name``).

        A re-export is not counted: it builds a facade, it does not choose a spelling.
        """
        if fact.kind != "from" or not fact.name:
            return
        target = absolute_module(fact, source)
        if target is not None and target.split(".")[0] in self.packages:
            self.usage[f"{target}.{fact.name}"] += 1

    def count_all(self, source: SourceFile) -> None:
        facts = self.project.facts_of(source)
        for fact in facts.imports if facts is not None else ():
            self.count_usage(source, fact)

    def file(self, source: SourceFile, module: str) -> None:
        facts = self.project.facts_of(source)
        top = module.split(".")[0]
        if facts is None or facts.problem is not None or top not in self.packages:
            self.count_all(source)
            return
        owner = self.owner(module)
        public = not is_test_module(module)
        if source.is_package:
            self.packages_modules.add(module)
        # A re-export is an import meant to be imported from here: a name in a literal
        # __all__, a star import in an __init__, or — in an __init__ without __all__ —
        # a name lifted from the package's own submodules or written ``import X as X``.
        # A helper an __init__ imports from elsewhere for its own use is not one.
        exports = facts.all_names
        self.all_names[module] = exports
        for definition in facts.definitions:
            if public and definition.kind in PUBLIC_KINDS and not definition.in_type_checking \
                    and not definition.name.startswith("_"):
                self.defined[definition.name].setdefault(module, (source.rel, definition.line))
                if exports is not None and definition.name in exports:
                    self.public_defining.add(f"{module}.{definition.name}")
        for fact in facts.imports:
            target = absolute_module(fact, source)
            if target is None:
                continue
            other = self.owner(target)
            if owner is not None and other is not None and other != owner:
                self.edges[(owner, other)].append((source.rel, fact.line))
            if not public or fact.in_function or fact.in_class:
                self.count_usage(source, fact)
                continue
            reexport = False
            if fact.kind == "from" and fact.name and fact.asname in (None, fact.name):
                if exports is not None:
                    reexport = fact.name in exports
                elif source.is_package:
                    # TYPE_CHECKING imports in an __init__ declare a lazy module's names
                    reexport = target.startswith(module + ".") or fact.asname == fact.name
                if reexport:
                    self.reexports[f"{target}.{fact.name}"].append(f"{module}.{fact.name}")
            elif fact.kind == "star" and not fact.in_type_checking and (
                    source.is_package or exports is not None):
                self.star_importers[target].append((module, exports))
            if not reexport:
                self.count_usage(source, fact)

    def exported_by_star(self, module: str, name: str) -> bool:
        exports = self.all_names.get(module)
        if exports is not None:
            return name in exports
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
            if module in self.star_importers and self.exported_by_star(module, name):
                candidates += [f"{m}.{name}" for m, exports in self.star_importers[module]
                               if exports is None or name in exports]
            for alias in candidates:
                if alias not in seen:
                    seen.add(alias)
                    found.append(alias)
                    frontier.append(alias)
        return sorted(found)

    def is_public(self, path: str, defining: str) -> bool:
        """A re-export (package ``__init__`` or ``__all__``), or a name its module exports."""
        module = path.rsplit(".", 1)[0]
        if path != defining:
            return True
        return module in self.packages_modules or path in self.public_defining


def choose(scan: _Scan, defining: str, candidates: list[str], policy: str) -> str:
    """The canonical path among ``candidates`` (the defining path and its re-exports)."""
    if policy == "defining":
        return defining

    def shallow_public(path: str) -> tuple[int, int, str]:
        return (0 if scan.is_public(path, defining) else 1, path.count("."), path)

    if policy == "public":
        return min(candidates, key=shallow_public)
    return min(candidates, key=lambda p: (-scan.usage[p], *shallow_public(p)))


def service_prefixes(project: Project, packages: list[str], depth: int) -> list[str]:
    """The packages at ``depth`` (1 = the top-level packages), plus each top-level
    package itself so the modules above that depth still belong to a service."""
    if depth <= 1:
        return list(packages)
    found = set(packages)
    for source in project.files:
        module = source.module
        if not module or not source.is_package or module.split(".")[0] not in packages:
            continue
        parts = module.split(".")
        if len(parts) == depth and not is_test_module(module):
            found.add(module)
    return sorted(found)


def bootstrap(project: Project, packages: list[str] | None = None, *,
              canonical: str = "most-used", services_depth: int = 1,
              exclude: tuple[str, ...] = (),
              placeholders: bool = True) -> tuple[Draft, InitReport]:
    """A registry draft describing ``project`` as it is today, and what was found.

    ``exclude``: gitignore-style globs of files init does not read definitions and
    re-exports from (their imports still count as usage); ``check`` still checks them.
    ``placeholders=False`` counts guarded placeholder definitions as definitions.
    """
    packages = packages or detect_packages(project)
    owners = service_prefixes(project, packages, services_depth)
    spec = pathspec.GitIgnoreSpec.from_lines(list(exclude)) if exclude else None
    scan = _Scan(project, packages, owners, spec)
    report = InitReport(packages=packages, canonical_policy=canonical, services=owners)
    report.excluded = scan.excluded
    draft = Draft(packages=list(packages), source_roots=list(project.registry.source_roots))
    if placeholders:
        _drop_placeholders(project, scan, report)
    unique = {name: next(iter(modules)) for name, modules in scan.defined.items()
              if len(modules) == 1}
    defining_paths = sorted(f"{module}.{name}" for name, module in unique.items())
    defining_set = set(defining_paths)
    chosen: list[tuple[str, str, list[str]]] = []  # (group, canonical, aliases)
    taken: set[str] = set()
    for defining in defining_paths:
        candidates = [defining] + [a for a in scan.aliases_of(defining)
                                   if a not in defining_set and a not in taken]
        taken.update(candidates[1:])
        path = choose(scan, defining, candidates, canonical)
        aliases = sorted(c for c in candidates if c != path)
        chosen.append((_group(scan, path), path, aliases))
    for group, path, aliases in sorted(chosen):
        entry = DraftSymbol(path=path, aliases=aliases)
        used = scan.usage[path]
        total = used + sum(scan.usage[a] for a in aliases)
        if total and aliases:  # a choice was made: show what it rests on
            entry.comments.append(f"{canonical}: imported as written here "
                                  f"{plural(used, 'time')} of {total:,}")
        if path not in defining_set:
            report.not_defining += 1
        draft.symbols[path] = entry
        draft.symbol_groups[path] = group
        report.aliases += len(aliases)
    report.symbols = len(draft.symbols)
    for name in sorted(scan.defined):
        modules = scan.defined[name]
        if len(modules) > 1:
            report.duplicates[name] = [(m, rel, line) for m, (rel, line) in sorted(modules.items())]
    report.edges = {edge: sorted(sites) for edge, sites in sorted(scan.edges.items())}
    for owner in owners:
        targets = sorted({b for (a, b) in report.edges if a == owner})
        service = DraftService(name=owner, packages=[owner], may_import=targets)
        if targets:
            service.comments.append("may_import is what the code imports today; under full "
                                    "independence (may_import = []) these would be violations:")
            for target in targets:
                sites = report.edges[(owner, target)]
                rel, line = sites[0]
                service.comments.append(f"  {owner} -> {target}: {plural(len(sites), 'import')}"
                                        f" (first: {rel}:{line})")
        draft.services[owner] = service
    if report.placeholders:
        draft.policy_comments.append("files with placeholder definitions (see the end): "
                                     "not duplicates of the real ones")
        draft.duplicate_exclude = sorted(report.placeholders)
    draft.header = _header(canonical)
    draft.notes = _notes(report)
    return draft, report


def _group(scan: _Scan, path: str) -> str:
    """The package an entry is grouped under: its module if a package, else the parent."""
    module = path.rsplit(".", 1)[0]
    if module in scan.packages_modules or "." not in module:
        return module
    return module.rsplit(".", 1)[0]


def _drop_placeholders(project: Project, scan: _Scan, report: InitReport) -> None:
    """Forget placeholder definitions of names defined in several modules."""
    lines_of: dict[str, set[int]] = {}
    by_rel = {f.rel: f for f in project.files}
    for name in sorted(scan.defined):
        modules = scan.defined[name]
        if len(modules) < 2:
            continue
        for module, (rel, line) in sorted(modules.items()):
            if rel not in lines_of:
                source = by_rel.get(rel)
                facts = project.facts_of(source) if source is not None else None
                lines_of[rel] = placeholder_lines(source) if source is not None and \
                    facts is not None and may_hold_placeholders(facts) else set()
            if line in lines_of[rel] and len(modules) > 1:
                del modules[module]
                report.placeholders[rel] = report.placeholders.get(rel, 0) + 1


_POLICY_TEXT = {
    "most-used": "canonical = the path the project imports most (ties: the shallowest "
                 "public path)",
    "public": "canonical = the shallowest public path (a package re-export or a name "
              "in __all__)",
    "defining": "canonical = the one module defining the name",
}


def _header(policy: str) -> list[str]:
    return ["Bootstrapped by `ssot-lint registry init` from the code as it is today.",
            f"Review the [symbols] ({_POLICY_TEXT[policy]}; aliases = its other "
            "re-exported paths),",
            "the names defined in several modules (listed at the end), and tighten "
            "may_import."]


def _notes(report: InitReport) -> list[str]:
    lines: list[str] = []
    if report.placeholders:
        lines.append(f"--- {plural(sum(report.placeholders.values()), 'placeholder definition')}"
                     " (only raise, or defined under `except ImportError`) not counted as "
                     "definitions ---")
        lines += [f"{rel}: {count}" for rel, count in sorted(report.placeholders.items())]
    if report.duplicates:
        lines.append(f"--- {plural(len(report.duplicates), 'public name')} defined in more "
                     "than one module: decide which is canonical ---")
        for name, sites in report.duplicates.items():
            lines.append(f"{name}: " + ", ".join(f"{m} ({rel}:{line})" for m, rel, line in sites))
    return lines
