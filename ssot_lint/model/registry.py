"""The registry: the single source of truth for how first-party code is imported.

These are plain values; ``ssot_lint.load.registry`` builds them from TOML and is the
only place that knows the file format. Every entry remembers where it was declared
(``origin``) so findings about the registry itself can point at the right line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class Status(str, Enum):
    """What the registry says a path is: the one spelling of these words.

    A ``str`` so an entry's ``kind`` compares, hashes, prints and serialises as the
    plain word (``"broken"``), as it did before it had a type.
    """

    CANONICAL = "canonical"  # a [symbols] entry: the one place to import it from
    ALIAS = "alias"  # listed in a symbol's aliases: works, but is not canonical
    BROKEN = "broken"  # a [broken] entry: the import fails
    DEPRECATED = "deprecated"  # a [deprecated] entry: works, but migrate

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


RULE_STATUSES = (Status.BROKEN, Status.DEPRECATED)  # the sections of RuleEntry tables

SEVERITIES = ("error", "warning", "info")
ALLOW_CONTEXTS = ("type_checking", "function", "fallback")
FIX_MODES = ("auto", "rename", "none")
SCOPES = ("object", "path")  # what a [broken]/[deprecated] entry covers (None = decided)


@dataclass(frozen=True)
class Origin:
    """Where a registry value was declared."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class SymbolEntry:
    """A canonical import path for a symbol, and the other paths that also work."""

    path: str
    aliases: tuple[str, ...] = ()
    verified: str | None = None  # ISO date, or "false" when marked unverified
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def module(self) -> str:
        return self.path.rsplit(".", 1)[0]


@dataclass(frozen=True)
class RuleEntry:
    """A ``[broken]`` or ``[deprecated]`` path with its migration advice."""

    path: str
    kind: Status  # Status.BROKEN | Status.DEPRECATED (RULE_STATUSES)
    use_instead: str | None = None
    reason: str | None = None
    hint: str | None = None
    docs: str | None = None
    severity: str = "warning"
    allow_in: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    fix: str = "auto"
    # "object": every path to the same definition is covered; "path": only this
    # spelling; None: decided from the code (``rules._usage.entry_scope``).
    scope: str | None = None
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))


@dataclass(frozen=True)
class IgnoredImport:
    """One ``ignore_imports`` entry: ``importer -> imported`` module patterns.

    A pattern is a dotted module name whose segments may be ``*`` (exactly one
    segment) or ``**`` (one or more), as import-linter writes them.
    """

    text: str
    importer: str
    imported: str
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))

    def matches(self, importer: str, imported: str) -> bool:
        return module_matches(importer, self.importer) and \
            module_matches(imported, self.imported)


_GLOB_SEGMENT = re.compile(r"\*\*|\*|[A-Za-z_][A-Za-z0-9_]*")


def is_module_glob(pattern: str) -> bool:
    """Whether ``pattern`` is a dotted module glob: identifiers, ``*`` or ``**`` segments."""
    return bool(pattern) and all(_GLOB_SEGMENT.fullmatch(seg) for seg in pattern.split("."))


def module_matches(module: str, pattern: str) -> bool:
    """Does ``module`` match ``pattern`` (``a.*.c``, ``a.**``; see ``IgnoredImport``)?"""
    regex = _PATTERNS.get(pattern)
    if regex is None:
        parts = [r"[^.]+" if seg == "*" else r"[^.]+(?:\.[^.]+)*" if seg == "**"
                 else re.escape(seg) for seg in pattern.split(".")]
        regex = _PATTERNS[pattern] = re.compile(r"\.".join(parts))
    return regex.fullmatch(module) is not None


_PATTERNS: dict[str, re.Pattern[str]] = {}


@dataclass(frozen=True)
class Service:
    """A deployable unit owning some packages, and the services it may import."""

    name: str
    packages: tuple[str, ...]
    may_import: tuple[str, ...] = ()
    public: tuple[str, ...] = ()
    reason: str | None = None
    owner: str | None = None
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))
    ignore_imports: tuple[IgnoredImport, ...] = ()


@dataclass(frozen=True)
class Layers:
    """An ordered stack of module prefixes, highest first; lower may not import higher."""

    name: str
    order: tuple[str, ...]
    reason: str | None = None
    owner: str | None = None
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))
    ignore_imports: tuple[IgnoredImport, ...] = ()
    # Every module directly inside a package that holds a layer must be in a layer
    # (import-linter's "exhaustive"): a new module is placed, not silently exempt.
    exhaustive: bool = False


@dataclass(frozen=True)
class Contract:
    """A ``[[contracts]]`` entry (kind ``forbidden``): source may not reach forbidden."""

    name: str
    kind: str
    source: tuple[str, ...]
    forbidden: tuple[str, ...]
    allow_indirect: bool = False
    reason: str | None = None
    owner: str | None = None
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))
    ignore_imports: tuple[IgnoredImport, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """A ``[[patterns]]`` entry: a call shape that is deprecated (SSOT302)."""

    call: str
    when: str
    hint: str | None = None
    use_instead: str | None = None
    severity: str = "warning"
    origin: Origin = field(default_factory=lambda: Origin("<registry>"))


@dataclass(frozen=True)
class Policy:
    relative_imports: str = "allow"  # "allow" | "forbid"
    type_checking_imports: str = "check"  # "check" | "ignore"
    unregistered_imports: str = "ignore"  # "ignore" | "warn"
    guarded_imports: str = "warn"  # "warn" | "error" | "ignore"
    cycle_imports: str = "eager"  # "eager" | "all" (also lazy imports, SSOT204)
    duplicate_exclude: tuple[str, ...] = ()  # globs excluded from SSOT401


@dataclass(frozen=True)
class Registry:
    """The whole registry, merged from one file or a directory of files."""

    version: int = 1
    packages: tuple[str, ...] = ()  # empty = auto-detect
    source_roots: tuple[str, ...] = (".",)
    policy: Policy = field(default_factory=Policy)
    symbols: dict[str, SymbolEntry] = field(default_factory=dict)
    broken: dict[str, RuleEntry] = field(default_factory=dict)
    deprecated: dict[str, RuleEntry] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    layers: tuple[Layers, ...] = ()
    contracts: tuple[Contract, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    files: tuple[str, ...] = ()  # the TOML files it was read from

    def ignore_entries(self) -> list[tuple[str, IgnoredImport]]:
        """Every ``ignore_imports`` entry with what declares it (``[services.x]``, ...)."""
        found = [(f"[services.{name}]", entry) for name, service in sorted(self.services.items())
                 for entry in service.ignore_imports]
        found += [(f"[[layers]] '{stack.name}'", entry) for stack in self.layers
                  for entry in stack.ignore_imports]
        found += [(f"[[contracts]] '{contract.name}'", entry) for contract in self.contracts
                  for entry in contract.ignore_imports]
        return found

    def rule_sections(self) -> tuple[tuple[Status, dict[str, RuleEntry]], ...]:
        """``((Status.BROKEN, broken), (Status.DEPRECATED, deprecated))``."""
        return ((Status.BROKEN, self.broken), (Status.DEPRECATED, self.deprecated))

    def alias_index(self) -> dict[str, SymbolEntry]:
        """Map every alias path to the symbol entry it is an alias of."""
        return {alias: entry for entry in self.symbols.values() for alias in entry.aliases}


def match_entry(entries: Mapping[str, T], path: str) -> T | None:
    """The entry whose path is ``path`` or its longest dotted prefix, if any.

    An entry P matches an imported path Q when Q == P or Q starts with P + ".". The one
    longest-prefix lookup: registry entries by path, services by package.
    """
    probe = path
    while probe:
        entry = entries.get(probe)
        if entry is not None:
            return entry
        if "." not in probe:
            return None
        probe = probe.rsplit(".", 1)[0]
    return None
