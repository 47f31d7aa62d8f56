"""Does a name exist in a first-party module? Decided from facts, never by importing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import FileFacts
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.modules import ModuleIndex

OK = "ok"
MISSING = "missing"
TYPE_CHECKING_ONLY = "type_checking_only"
UNKNOWN = "unknown"
# Every module object has these, whether or not its source mentions them.
MODULE_ATTRIBUTES = frozenset({"__name__", "__file__", "__doc__", "__spec__", "__loader__",
                               "__package__", "__path__", "__dict__", "__builtins__",
                               "__cached__"})  # the module cannot be analysed (syntax error, third-party star import)


#: How many ``from m import *`` hops a lookup follows. Python itself has no limit, but
#: each hop is a nested call here; a longer chain (600 modules were seen in a
#: hostile tree) is answered "unknown" -- never a false finding, never a RecursionError.
STAR_CHAIN_LIMIT = 100


@dataclass(frozen=True)
class NameLookup:
    status: str
    via: str | None = None  # how it exists: "definition", "import", "submodule", ...


class NameResolver:
    """Answers ``lookup(module, name)`` using the module index and per-file facts."""

    def __init__(self, index: ModuleIndex, facts_of: Callable[[SourceFile], FileFacts | None],
                 is_first_party: Callable[[str], bool]) -> None:
        self.index = index
        self.facts_of = facts_of
        self.is_first_party = is_first_party
        self._cache: dict[tuple[str, str], NameLookup] = {}

    def lookup(self, module: str, name: str) -> NameLookup:
        key = (module, name)
        if key not in self._cache:
            self._cache[key] = self._lookup(module, name, frozenset())
        return self._cache[key]

    def _lookup(self, module: str, name: str, seen: frozenset[str]) -> NameLookup:
        kind = self.index.kind(module)
        if kind is None:
            return NameLookup(MISSING)
        if self.index.exists(f"{module}.{name}") and kind in ("package", "namespace"):
            return NameLookup(OK, "submodule")
        if name in MODULE_ATTRIBUTES:
            return NameLookup(OK, "module attribute")
        if kind == "namespace":
            return NameLookup(MISSING)
        result = NameLookup(MISSING)
        for source in self.index.files(module):
            facts = self.facts_of(source)
            if facts is None or facts.problem is not None:
                return NameLookup(UNKNOWN, "unparsable module")
            found = self._in_file(source, facts, name, seen | {module})
            if found.status == OK or found.status == UNKNOWN:
                return found
            if found.status == TYPE_CHECKING_ONLY:
                result = found
        return result

    def _in_file(self, source: SourceFile, facts: FileFacts, name: str,
                 seen: frozenset[str]) -> NameLookup:
        type_checking_only = False
        for definition in facts.definitions:
            if definition.name == name:
                if not definition.in_type_checking:
                    return NameLookup(OK, definition.kind)
                type_checking_only = True
        if facts.has_getattr:
            return NameLookup(OK, "__getattr__")
        for fact in facts.imports:
            if fact.kind != "star" or fact.in_type_checking:
                continue
            target = absolute_module(fact, source)
            if target is None:
                continue
            if not self.is_first_party(target):
                return NameLookup(UNKNOWN, f"star import from {target}")
            if target in seen or not self.index.exists(target):
                continue
            if len(seen) >= STAR_CHAIN_LIMIT:
                return NameLookup(UNKNOWN, f"star-import chain longer than {STAR_CHAIN_LIMIT}")
            if name.startswith("_") and not self._in_all(target, name):
                continue
            if not self._exported(target, name):
                continue
            found = self._lookup(target, name, seen)
            if found.status in (OK, UNKNOWN):
                return NameLookup(found.status, f"star import from {target}")
        if type_checking_only:
            return NameLookup(TYPE_CHECKING_ONLY)
        return NameLookup(MISSING)

    def _all_names(self, module: str) -> tuple[str, ...] | None:
        for source in self.index.files(module):
            facts = self.facts_of(source)
            if facts is not None and facts.all_names is not None:
                return facts.all_names
        return None

    def _all_dynamic(self, module: str) -> bool:
        return any((facts := self.facts_of(source)) is not None and facts.all_dynamic
                   for source in self.index.files(module))

    def _in_all(self, module: str, name: str) -> bool:
        if self._all_dynamic(module):
            return True  # a computed __all__ may list it; never report what we cannot know
        names = self._all_names(module)
        return names is not None and name in names

    def _exported(self, module: str, name: str) -> bool:
        """Would ``from module import *`` bind ``name``? (Unknown counts as yes.)"""
        if self._all_dynamic(module):
            return True
        names = self._all_names(module)
        if names is not None:
            return name in names
        return not name.startswith("_")

    def names_in(self, module: str) -> list[str]:
        """Runtime names a module offers (for "did you mean" suggestions)."""
        names: set[str] = set()
        for source in self.index.files(module):
            facts = self.facts_of(source)
            if facts is not None:
                names.update(d.name for d in facts.definitions if not d.in_type_checking)
        prefix = module + "."
        names.update(m[len(prefix):].split(".")[0] for m in self.index.all_modules()
                     if m.startswith(prefix))
        return sorted(names)
