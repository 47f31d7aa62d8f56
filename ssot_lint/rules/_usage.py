"""Shared reasoning for the usage rules (SSOT104, SSOT301-303): where a path really lives.

A reference or patch target names a path as imported in one file; the symbol may be
re-exported several times before it is defined. ``origins`` follows import bindings
through first-party modules (never importing anything) and returns every path along
the way, so a registry entry for any of them — or a PEP 702 marker on the final
definition — is found whichever re-export the code went through.
"""

from __future__ import annotations

from ssot_lint.discover import SourceFile, path_matches
from ssot_lint.model.facts import Definition, FileInterface, ImportFact
from ssot_lint.model.references import ClassInfo
from ssot_lint.model.registry import RuleEntry
from ssot_lint.resolve.definitions import memo_site
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.project import Project
from ssot_lint.rules.base import FileContext

MAX_HOPS = 12

CONTEXT_PHRASES = {
    "annotation": "in a type annotation", "string-annotation": "in a string annotation",
    "base": "as a base class", "call": "in a call", "isinstance": "in an isinstance check",
    "decorator": "as a decorator", "default": "in a default value", "load": "",
}


def absolute_target(target: str, source: SourceFile) -> str | None:
    """A reference target with its leading dots resolved against the file's package."""
    level = len(target) - len(target.lstrip("."))
    if level == 0:
        return target
    fact = ImportFact(kind="from", module=target[level:], name=None, asname=None, level=level,
                      line=1, col=1, end_line=1, end_col=1, stmt_line=1)
    return absolute_module(fact, source)


def split_module(project: Project, path: str) -> tuple[str, list[str]] | None:
    """(longest existing first-party module prefix, the remaining names)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        module = ".".join(parts[:i])
        if project.index.exists(module):
            return module, parts[i:]
    return None


def module_facts(project: Project, module: str) -> tuple[SourceFile, FileInterface] | None:
    for source in project.index.files(module):
        facts = project.facts_of(source)
        if facts is not None and facts.problem is None:
            return source, facts
    return None


def definition(project: Project, module: str, name: str) -> Definition | None:
    found = module_facts(project, module)
    if found is None:
        return None
    runtime = [d for d in found[1].definitions if d.name == name and not d.in_type_checking]
    return runtime[0] if runtime else None


def binding_import(project: Project, module: str, name: str) -> str | None:
    """Where ``name`` comes from when ``module`` binds it by a top-level import."""
    key = ("bindings", module)
    bindings = project.shared.get(key)
    if bindings is None:
        bindings = project.shared[key] = _bindings(project, module)
    assert isinstance(bindings, dict)
    return bindings.get(name)


def _bindings(project: Project, module: str) -> dict[str, str | None]:
    """Each name ``module`` binds by a top-level import -> the path it imports (the
    first binding wins; None when that import cannot be resolved)."""
    found = module_facts(project, module)
    if found is None:
        return {}
    source, facts = found
    bindings: dict[str, str | None] = {}
    for fact in facts.imports:
        if fact.in_function or fact.in_class or fact.kind not in ("from", "import"):
            continue
        name = fact.bound_name
        if name is None or name in bindings:
            continue
        target = absolute_module(fact, source)
        if target is None:
            bindings[name] = None
        elif fact.kind == "from":
            bindings[name] = f"{target}.{fact.name}"
        else:
            bindings[name] = target if fact.asname else target.split(".")[0]
    return bindings


def origins(project: Project, path: str) -> list[str]:
    """``path`` and every path it is re-exported from, the definition's last."""
    chain = [path]
    while len(chain) <= MAX_HOPS:
        split = split_module(project, chain[-1]) if project.is_first_party(chain[-1]) \
            else None
        if split is None or not split[1]:
            break
        module, rest = split
        source = binding_import(project, module, rest[0])
        if source is None:
            break
        following = ".".join([source, *rest[1:]])
        if following in chain:
            break
        chain.append(following)
    return chain


def marker(project: Project, path: str) -> tuple[str, str] | None:
    """(defining path, message) when ``path`` ends at a ``@deprecated`` definition."""
    split = split_module(project, path) if project.is_first_party(path) else None
    if split is None or len(split[1]) < 1:
        return None
    module, rest = split
    found = definition(project, module, rest[0])
    if found is None or found.deprecated is None or found.kind not in ("class", "function"):
        return None
    return f"{module}.{rest[0]}", found.deprecated


def class_info(project: Project, module: str, name: str) -> ClassInfo | None:
    found = module_facts(project, module)
    if found is None:
        return None
    return next((c for c in found[1].classes if c.name == name), None)


def path_tolerated(ctx: FileContext, globs: tuple[str, ...]) -> bool:
    """Whether the file being checked matches one of ``globs`` (an entry's ``paths``)."""
    return path_matches(globs, ctx.source.rel)


OBJECT, PATH = "object", "path"


def entry_scope(project: Project, entry: RuleEntry) -> tuple[str, str | None, str]:
    """(scope, the definition the entry's path names, why that scope).

    A ``[deprecated]``/``[broken]`` entry whose ``use_instead`` is a *different* object
    deprecates the object: every path to its definition is the same thing under
    another spelling. When ``use_instead`` is the same object at a better path, only
    the spelling is wrong. ``scope = "object" | "path"`` on the entry overrides this.
    """
    site = memo_site(project, entry.path) if project.is_first_party(entry.path) else None
    if site is not None and project.index.exists(site):
        site = None  # a module: its names are not one object
    if entry.scope is not None:
        return entry.scope, site, "set by the entry"
    if site is None:
        return PATH, None, "the path names no definition in the code"
    if not entry.use_instead:
        return PATH, site, "there is no use_instead, so only this spelling is known to be wrong"
    other = memo_site(project, entry.use_instead) \
        if project.is_first_party(entry.use_instead) else entry.use_instead
    if other == site:
        return PATH, site, f"use_instead `{entry.use_instead}` is the same object"
    return OBJECT, site, f"use_instead `{entry.use_instead}` is a different object"


def object_entries(project: Project) -> dict[str, RuleEntry]:
    """Definition path -> the object-scoped entry that deprecates it (deprecated first)."""
    key = "object-entries"
    found = project.shared.get(key)
    if found is None:
        table: dict[str, RuleEntry] = {}
        registry = project.registry
        for entries in (registry.deprecated, registry.broken):
            for path in sorted(entries):
                scope, site, _ = entry_scope(project, entries[path])
                if scope == OBJECT and site is not None:
                    table.setdefault(site, entries[path])
        found = project.shared[key] = table
    assert isinstance(found, dict)
    return found


def object_entry(project: Project, path: str) -> RuleEntry | None:
    """The object-scoped entry covering the definition ``path`` resolves to, if any."""
    table = object_entries(project)
    if not table or not project.is_first_party(path):
        return None
    site = memo_site(project, path)
    return table.get(site) if site is not None else None
