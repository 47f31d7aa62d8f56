"""Per-file facts: what a file imports, defines and suppresses.

Facts are a pure function of a file's bytes and the target Python version. They do
not depend on where the file lives (relative imports keep their ``level``; the
resolver makes them absolute), so they can be cached by content hash and shipped
between processes. They are frozen dataclasses made of tuples and strings only, and
round-trip through plain JSON-compatible dicts (``to_dict``/``from_dict``) so a cache
never needs pickle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ssot_lint.model.references import ClassInfo, Reference

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

    kind: str
    module: str  # as written, without leading dots ("" for ``from . import x``)
    name: str | None  # imported name for "from"; None for "import"/"star"
    asname: str | None
    level: int  # number of leading dots of a relative import (0 = absolute)
    line: int  # 1-based position of this name (the alias), for reporting
    col: int  # 1-based
    end_line: int
    end_col: int
    stmt_line: int  # first line of the whole statement (suppressions live there)
    in_function: bool = False
    in_type_checking: bool = False
    in_fallback: bool = False  # inside ``try: ... except ImportError:`` (the try body)
    expects_failure: bool = False  # inside ``with pytest.raises(ImportError)`` and friends
    in_class: bool = False

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

    name: str
    kind: str  # "class" | "function" | "assign" | "import"
    line: int
    col: int
    in_type_checking: bool = False
    deprecated: str | None = None  # PEP 702 @deprecated("message") if decorated
    # Bound only when an optional import failed (an ``except ImportError`` handler) or
    # only when it succeeded (that ``try``'s ``else``): a stand-in, not the object.
    optional: bool = False
    # ``Name = other`` / ``Name = mod.attr``: the dotted name the value is (an alias).
    value: str | None = None


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

    code: str  # "SSOT001" or "SSOT002"
    message: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything the later stages need to know about one file."""

    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[Definition, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    all_names: tuple[str, ...] | None = None  # literal ``__all__``, if any
    # The module serves attributes dynamically: a module-level ``__getattr__`` (``def`` or
    # ``__getattr__ = ...``), ``sys.modules[__name__] = ...`` or ``lazy_loader.attach``.
    has_getattr: bool = False
    all_dynamic: bool = False  # ``__all__`` is computed, so which names it lists is unknown
    problem: SyntaxProblem | None = None
    references: tuple[Reference, ...] = ()  # uses of imported names (SSOT301-303)
    classes: tuple[ClassInfo, ...] = ()  # top-level class bodies (SSOT104)
    # Exactly the names the dynamic attributes serve, when the code says so literally
    # (``if name == "x"``, ``name in {...}``, a literal dict, ``lazy_loader.attach`` with
    # literal lists); None when ``has_getattr`` and the names are not decidable.
    getattr_names: tuple[str, ...] | None = None
    getattr_stub: bool = False  # ``lazy_loader.attach_stub``: serves the names of the .pyi
    opaque: bool = False  # a compiled extension or Cython source: exists, names unknown
    names_dynamic: bool = False  # binds computed names (``globals()[key] = ...``)
    # Assigns ``sys.modules[key]`` for a key other than ``__name__`` (requests.packages):
    # submodules of this module may appear at run time, so a missing one is unknown.
    registers_modules: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileFacts:
        """Inverse of :meth:`to_dict`; raises ``TypeError``/``KeyError`` on bad data."""
        problem = data.get("problem")
        return cls(
            imports=tuple(ImportFact(**d) for d in data["imports"]),
            definitions=tuple(Definition(**d) for d in data["definitions"]),
            suppressions=tuple(
                Suppression(**{**d, "codes": tuple(d["codes"])}) for d in data["suppressions"]
            ),
            all_names=tuple(data["all_names"]) if data.get("all_names") is not None else None,
            has_getattr=bool(data["has_getattr"]),
            all_dynamic=bool(data.get("all_dynamic", False)),
            problem=SyntaxProblem(**problem) if problem else None,
            references=tuple(Reference.from_dict(d) for d in data.get("references", ())),
            classes=tuple(ClassInfo.from_dict(d) for d in data.get("classes", ())),
            getattr_names=tuple(data["getattr_names"])
            if data.get("getattr_names") is not None else None,
            getattr_stub=bool(data.get("getattr_stub", False)),
            opaque=bool(data.get("opaque", False)),
            names_dynamic=bool(data.get("names_dynamic", False)),
            registers_modules=bool(data.get("registers_modules", False)),
            extra=dict(data.get("extra") or {}),
        )
