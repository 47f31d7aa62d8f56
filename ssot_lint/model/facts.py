"""Per-file facts: what a file imports, defines and suppresses.

Facts are a pure function of a file's bytes and the target Python version. They do
not depend on where the file lives (relative imports keep their ``level``; the
resolver makes them absolute), so they can be cached by content hash and shipped
between processes. They are frozen dataclasses made of tuples, strings, ints and
bools only, written as JSON by the codec derived from their type hints
(``cache/codec.py``), so a cache never needs pickle and a new field needs no
serialisation code. Every field is tagged with who reads it (``model/tags.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ssot_lint.model.references import ClassInfo, Reference
from ssot_lint.model.tags import GRAPH, INTERFACE, OWN, POSITION, VALUE, misplaced

# Import kinds. "import" = ``import a.b``; "from" = ``from a import b``;
# "star" = ``from a import *``; "patch" = a mock.patch("...") string target;
# "dynamic" = importlib.import_module("...") / __import__("...").
# Statements bind names and run where they are written (they are the graph's edges,
# what import rules judge and what the fixer rewrites); strings name a path that is
# imported at an unknown time, if ever.
STATEMENT_KINDS = ("import", "from", "star")
STRING_KINDS = ("patch", "dynamic")
IMPORT_KINDS = STATEMENT_KINDS + STRING_KINDS


@dataclass(frozen=True, slots=True)
class ImportFact:
    """One imported name (a multi-name ``from`` import yields one fact per name)."""

    kind: str = field(metadata=VALUE)
    module: str = field(metadata=VALUE)  # as written, no leading dots ("" for ``from . import x``)
    name: str | None = field(metadata=VALUE)  # imported name for "from"; None for "import"/"star"
    asname: str | None = field(metadata=VALUE)
    level: int = field(metadata=VALUE)  # leading dots of a relative import (0 = absolute)
    line: int = field(metadata=POSITION)  # 1-based position of this name (the alias)
    col: int = field(metadata=POSITION)  # 1-based
    end_line: int = field(metadata=POSITION)
    end_col: int = field(metadata=POSITION)
    # first line of the whole statement (suppressions live there)
    stmt_line: int = field(metadata=POSITION)
    # Inside a function: its position is in the graph digest's *lazy* part (cycles count
    # it only with ``cycle_imports = "all"``; see cache/interface.py).
    in_function: bool = field(default=False, metadata=VALUE)
    in_type_checking: bool = field(default=False, metadata=VALUE)
    # inside ``try: ... except ImportError:`` (the try body)
    in_fallback: bool = field(default=False, metadata=VALUE)
    # inside ``with pytest.raises(ImportError)`` and friends
    expects_failure: bool = field(default=False, metadata=VALUE)
    in_class: bool = field(default=False, metadata=VALUE)

    @property
    def is_statement(self) -> bool:
        """An import statement (``STATEMENT_KINDS``), not a path in a string."""
        return self.kind in STATEMENT_KINDS

    @property
    def bound_name(self) -> str | None:
        """The local name this import binds (None for star imports)."""
        if self.kind == "star" or self.kind in STRING_KINDS:
            return None
        if self.asname:
            return self.asname
        if self.kind == "from":
            return self.name
        return self.module.split(".")[0]

    @property
    def context(self) -> str:
        """Where the import runs, for display: module, function, type_checking, fallback."""
        if self.in_type_checking:
            return "type_checking"
        if self.in_fallback:
            return "fallback"
        if self.in_function:
            return "function"
        return "module"


@dataclass(frozen=True, slots=True)
class Definition:
    """A name bound at module top level (including inside top-level if/try blocks)."""

    name: str = field(metadata=VALUE)
    kind: str = field(metadata=VALUE)  # "class" | "function" | "assign" | "import"
    line: int = field(metadata=POSITION)
    col: int = field(metadata=POSITION)
    in_type_checking: bool = field(default=False, metadata=VALUE)
    # PEP 702 @deprecated("message") if decorated
    deprecated: str | None = field(default=None, metadata=VALUE)
    # Bound only when an optional import failed (an ``except ImportError`` handler) or
    # only when it succeeded (that ``try``'s ``else``): a stand-in, not the object.
    optional: bool = field(default=False, metadata=VALUE)
    # ``Name = other`` / ``Name = mod.attr``: the dotted name the value is (an alias).
    value: str | None = field(default=None, metadata=VALUE)


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline ``# ssot-lint: ignore[...]`` comment. ``codes`` empty means all."""

    line: int
    col: int
    codes: tuple[str, ...] = ()
    file_level: bool = False


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Why a file could not be parsed (becomes an SSOT001/SSOT002 finding)."""

    code: str = field(metadata=VALUE)  # "SSOT001" or "SSOT002"
    message: str = field(metadata=VALUE)
    line: int = field(default=1, metadata=POSITION)
    col: int = field(default=1, metadata=POSITION)


@dataclass(frozen=True, slots=True)
class FileInterface:
    """What one file exports to the others: the only view other files' rules get.

    ``Project.facts_of`` hands out exactly this (never the file's ``FileFacts``), so a
    rule judging another file *cannot* read this file's references or suppressions:
    the attribute does not exist (``AttributeError``, and a mypy error). Its fields
    are the ``INTERFACE``/``GRAPH``-tagged fields of ``FileFacts`` (checked at import,
    below), and the cache's interface digest is derived from these tags
    (``cache/interface.py``): whatever other files can read is in the key of their
    remembered findings.
    """

    imports: tuple[ImportFact, ...] = field(default=(), metadata=GRAPH)
    definitions: tuple[Definition, ...] = field(default=(), metadata=INTERFACE)
    # literal ``__all__``, if any
    all_names: tuple[str, ...] | None = field(default=None, metadata=INTERFACE)
    # The module serves attributes dynamically: a module-level ``__getattr__`` (``def`` or
    # ``__getattr__ = ...``), ``sys.modules[__name__] = ...`` or ``lazy_loader.attach``.
    has_getattr: bool = field(default=False, metadata=INTERFACE)
    # ``__all__`` is computed, so which names it lists is unknown
    all_dynamic: bool = field(default=False, metadata=INTERFACE)
    # why the file could not be read (the graph marks its module partial at that line)
    problem: SyntaxProblem | None = field(default=None, metadata=GRAPH)
    classes: tuple[ClassInfo, ...] = field(default=(), metadata=INTERFACE)  # (SSOT104)
    # Exactly the names the dynamic attributes serve, when the code says so literally
    # (``if name == "x"``, ``name in {...}``, a literal dict, ``lazy_loader.attach`` with
    # literal lists); None when ``has_getattr`` and the names are not decidable.
    getattr_names: tuple[str, ...] | None = field(default=None, metadata=INTERFACE)
    # ``lazy_loader.attach_stub``: serves the names of the .pyi
    getattr_stub: bool = field(default=False, metadata=INTERFACE)
    # a compiled extension or Cython source: exists, names unknown
    opaque: bool = field(default=False, metadata=INTERFACE)
    # binds computed names (``globals()[key] = ...``)
    names_dynamic: bool = field(default=False, metadata=INTERFACE)
    # Assigns ``sys.modules[key]`` for a key other than ``__name__`` (requests.packages):
    # submodules of this module may appear at run time, so a missing one is unknown.
    registers_modules: bool = field(default=False, metadata=INTERFACE)

    @classmethod
    def of(cls, facts: FileInterface) -> FileInterface:
        """The interface of ``facts`` (a new ``FileInterface``, never the facts themselves)."""
        return cls(*[getattr(facts, name) for name in _INTERFACE_NAMES])


@dataclass(frozen=True, slots=True)
class FileFacts(FileInterface):
    """Everything the later stages need to know about one file: its interface (the
    fields above, inherited) and what only its own rules read."""

    suppressions: tuple[Suppression, ...] = field(default=(), metadata=OWN)
    # uses of imported names (SSOT301-303)
    references: tuple[Reference, ...] = field(default=(), metadata=OWN)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False,
                                  metadata=OWN)


_INTERFACE_NAMES = tuple(f.name for f in fields(FileInterface))
_MISPLACED = misplaced(FileFacts, FileInterface)
if _MISPLACED:  # a new field without its tag: refused before any key is computed from it
    raise TypeError("facts fields without a valid tag (ssot_lint/model/tags.py): "
                    + "; ".join(_MISPLACED))
