"""Where an object is really defined: re-exports and aliases followed as Python binds them.

``from a import X`` in ``b`` makes ``b.X`` the very object ``a.X``; so do
``X = _x`` after ``from a import X as _x``, ``X = a_mod.X`` after ``import a_mod``, and
``try: from a import X`` with an ``except ImportError:`` stand-in (the stand-in only
exists when the import failed, so it is not the object the code means). Registry
verification, object-scoped deprecation and SSOT401 all ask the same question —
"which definition does this path name?" — and get the same answer from here.
Nothing is imported; everything is read from the facts.
"""

from __future__ import annotations

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import Definition, ImportFact
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project

DEFINING_KINDS = ("class", "function", "assign")
MAX_DEPTH = 25


def module_files(project: Project, module: str) -> list[SourceFile]:
    """A module's source files, implementation before stub."""
    return [f for f in project.index.files(module) if not f.is_stub] or \
        project.index.files(module)


def _own(project: Project, source: SourceFile, name: str) -> Definition | None:
    """The runtime definition of ``name`` in ``source`` that is not an optional stand-in."""
    facts = project.facts_of(source)
    if facts is None:
        return None
    found = [d for d in facts.definitions if d.name == name and d.kind in DEFINING_KINDS
             and not d.in_type_checking]
    real = [d for d in found if not d.optional]
    return real[-1] if real else None


def defines(project: Project, module: str, name: str) -> bool:
    """Does ``module`` itself define ``name`` (a class, function or a value that is not
    merely another name for an object defined elsewhere)?"""
    for source in module_files(project, module):
        own = _own(project, source, name)
        if own is not None and _alias_target(project, source, module, own) is None:
            return True
    return False


def binding_import(project: Project, source: SourceFile, name: str) -> ImportFact | None:
    """The module-level, runtime import in ``source`` that binds ``name``, if any."""
    facts = project.facts_of(source)
    if facts is None:
        return None
    for fact in facts.imports:
        if fact.in_function or fact.in_class or fact.in_type_checking or fact.kind not in (
                "from", "import"):
            continue
        if fact.bound_name == name:
            return fact
    return None


def _imported_path(fact: ImportFact, source: SourceFile) -> str | None:
    target = absolute_module(fact, source)
    if target is None:
        return None
    if fact.kind == "from":
        return f"{target}.{fact.name}"
    return target if fact.asname else target.split(".")[0]


def _alias_target(project: Project, source: SourceFile, module: str,
                  definition: Definition) -> str | None:
    """The path a ``Name = other`` assignment re-binds, when ``other`` is an import or
    another definition of the module; None for a definition of its own."""
    if definition.kind != "assign" or not definition.value:
        return None
    head, _, rest = definition.value.partition(".")
    if head == definition.name:
        return None
    fact = binding_import(project, source, head)
    if fact is not None:
        base = _imported_path(fact, source)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base
    if _own(project, source, head) is not None:
        return f"{module}.{definition.value}"
    return None


def definition_site(project: Project, path: str, _depth: int = 0) -> str | None:
    """Where ``path`` (``module.Name`` or a module) is really defined, following
    re-exports (``from x import Name``, star imports, ``Name = imported``, try-imports
    with a fallback); None if it cannot be found."""
    if _depth > MAX_DEPTH:
        return None
    if project.index.kind(path) in ("package", "module"):
        return path
    if "." not in path:
        return None
    module, name = path.rsplit(".", 1)
    if project.index.kind(module) not in ("package", "module"):
        return None
    for source in module_files(project, module):
        own = _own(project, source, name)
        if own is not None:
            target = _alias_target(project, source, module, own)
            if target is None:
                return path
            return definition_site(project, target, _depth + 1) if \
                project.is_first_party(target) else target
        fact = binding_import(project, source, name)
        if fact is not None:
            target = _imported_path(fact, source)
            if target is None:
                return None
            if fact.kind == "import" or not project.is_first_party(target):
                return target
            return definition_site(project, target, _depth + 1)
        facts = project.facts_of(source)
        for star in (facts.imports if facts else ()):
            if star.kind != "star" or star.in_type_checking or star.in_function:
                continue
            target = absolute_module(star, source)
            if target and project.index.exists(target):
                found = definition_site(project, f"{target}.{name}", _depth + 1)
                if found is not None:
                    return found
        if facts is not None and any(d.name == name and d.optional and not d.in_type_checking
                                     for d in facts.definitions):
            return path  # only a stand-in exists: it is the object at run time
    return None


def memo_site(project: Project, path: str) -> str | None:
    """``definition_site`` remembered for the run (rules ask it for every import)."""
    key = ("definition-site", path)
    shared = project.shared
    if key not in shared:
        shared[key] = definition_site(project, path)
    site = shared[key]
    return site if isinstance(site, str) else None
