"""Does a name exist in a first-party module? Decided from facts, never by importing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import FileInterface
from ssot_lint.resolve.imports import absolute_module
from ssot_lint.resolve.modules import ModuleIndex

OK = "ok"
MISSING = "missing"
TYPE_CHECKING_ONLY = "type_checking_only"
# Cannot be decided: an unparsable or compiled module, a third-party star import,
# dynamic attributes or computed names.
UNKNOWN = "unknown"
# Every module object has these, whether or not its source mentions them.
MODULE_ATTRIBUTES = frozenset({"__name__", "__file__", "__doc__", "__spec__", "__loader__",
                               "__package__", "__path__", "__dict__", "__builtins__",
                               "__cached__"})


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

    def __init__(self, index: ModuleIndex, facts_of: Callable[[SourceFile], FileInterface | None],
                 is_first_party: Callable[[str], bool]) -> None:
        self.index = index
        self.facts_of = facts_of
        self.is_first_party = is_first_party
        self._cache: dict[tuple[str, str], NameLookup] = {}
        self._tables: dict[str, dict[str, tuple[str | None, str]]] = {}

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
            if self.index.open_namespace(module):  # another portion may provide it
                return NameLookup(UNKNOWN, "namespace package")
            return NameLookup(MISSING)
        files = self.index.files(module)
        runtime = next((f for f in files if not f.is_stub), None)
        stub = next((f for f in files if f.is_stub), None)
        seen = seen | {module}
        if runtime is None:  # a stub-only module: its names are the stub's
            assert stub is not None
            return self._in_readable(stub, name, seen, is_stub=True)
        found = self._in_readable(runtime, name, seen)
        if found.status in (OK, UNKNOWN) or stub is None:
            return found
        facts = self.facts_of(runtime)
        in_stub = self._in_readable(stub, name, seen, is_stub=True)
        if facts is not None and facts.getattr_stub:
            # lazy_loader.attach_stub serves exactly what the package's .pyi imports
            if in_stub.status in (OK, UNKNOWN):
                return NameLookup(in_stub.status, "attach_stub")
            return found
        if found.status == MISSING and in_stub.status == OK:
            # declared for type checkers only: the .py that runs does not bind it
            return NameLookup(TYPE_CHECKING_ONLY, "stub")
        return found

    def _in_readable(self, source: SourceFile, name: str, seen: frozenset[str],
                     is_stub: bool = False) -> NameLookup:
        """``name`` in one file, or UNKNOWN when the file cannot be read for names."""
        if source.is_opaque:
            return NameLookup(UNKNOWN, "compiled module")
        facts = self.facts_of(source)
        if facts is None or facts.problem is not None:
            return NameLookup(UNKNOWN, "unparsable module")
        if facts.opaque:
            return NameLookup(UNKNOWN, "compiled module")
        return self._in_file(source, facts, name, seen, is_stub)

    def _in_file(self, source: SourceFile, facts: FileInterface, name: str,
                 seen: frozenset[str], is_stub: bool = False) -> NameLookup:
        """The lookup Python's ``from module import name`` makes: the module's namespace
        (its bindings and what its star imports bind), then its dynamic attributes.

        In a stub everything is for type checkers, so ``if TYPE_CHECKING:`` makes no
        difference there; in a ``.py`` a name bound only under it (directly or by a star
        import inside it) does not exist at run time, unless the module is a lazy facade
        whose dynamic attributes serve it.
        """
        type_checking_only = False
        bound = self._bindings(source, facts).get(name)
        if bound is not None:
            runtime_kind, checking_only = bound
            if runtime_kind is not None:
                return NameLookup(OK, runtime_kind)
            if is_stub:
                return NameLookup(OK, checking_only)
            type_checking_only = True
        for fact in facts.imports:
            if fact.kind != "star":
                continue
            guarded = fact.in_type_checking and not is_stub
            target = absolute_module(fact, source)
            if target is None:
                continue
            if not self.is_first_party(target):
                if guarded:
                    type_checking_only = True  # it may bind the name, for type checkers only
                    continue
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
            if found.status in (OK, UNKNOWN) and not guarded:
                return NameLookup(found.status, f"star import from {target}")
            if found.status != MISSING:
                type_checking_only = True
        if facts.names_dynamic:
            return NameLookup(UNKNOWN, "computed names")
        if facts.has_getattr:
            served = facts.getattr_names
            if served is None:
                if type_checking_only:
                    # a lazy facade provides at run time what it binds for type checkers
                    return NameLookup(OK, "lazy facade")
                return NameLookup(UNKNOWN, "__getattr__")
            if name in served:
                return NameLookup(OK, "__getattr__")
        if type_checking_only:
            return NameLookup(TYPE_CHECKING_ONLY)
        return NameLookup(MISSING)

    def _bindings(self, source: SourceFile,
                  facts: FileInterface) -> dict[str, tuple[str | None, str]]:
        """name -> (kind of its first run-time binding or None, kind of its first binding)
        for one file, built once: star-import chains through modules with thousands of
        definitions (transformers' dummy objects) look names up again and again."""
        table = self._tables.get(source.rel)
        if table is None:
            table = {}
            for definition in facts.definitions:
                runtime, first = table.get(definition.name, (None, definition.kind))
                if runtime is None and not definition.in_type_checking:
                    runtime = definition.kind
                table[definition.name] = (runtime, first)
            self._tables[source.rel] = table
        return table

    def _runtime_facts(self, module: str) -> FileInterface | None:
        """The facts that decide ``from module import *``: the file Python loads (a stub
        only for a stub-only module); None when unreadable. Opaque modules give
        ``FileInterface(opaque=True)``."""
        files = self.index.files(module)
        source = next((f for f in files if not f.is_stub), files[0] if files else None)
        if source is None:
            return None
        if source.is_opaque:
            return FileInterface(opaque=True)
        return self.facts_of(source)

    def _all_names(self, module: str) -> tuple[str, ...] | None:
        facts = self._runtime_facts(module)
        return facts.all_names if facts is not None else None

    def _all_dynamic(self, module: str) -> bool:
        facts = self._runtime_facts(module)
        return facts is not None and (facts.all_dynamic or facts.opaque)

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
                names.update(facts.getattr_names or ())
        prefix = module + "."
        names.update(m[len(prefix):].split(".")[0] for m in self.index.all_modules()
                     if m.startswith(prefix))
        return sorted(names)
