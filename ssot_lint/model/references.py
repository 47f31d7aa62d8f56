"""Reference facts: where imported names are used, and what top-level classes contain.

Pure data, like every fact: frozen, made of strings, ints and tuples (written and
read by ``cache/codec.py``). A reference's ``target`` is the dotted path it
names *as imported in that file* (``m.Name.attr`` for ``import pkg.mod as m`` becomes
``pkg.mod.Name.attr``); relative imports keep their leading dots, because facts do not
know where the file lives. Resolution happens later, in the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssot_lint.model.tags import POSITION, VALUE

# Where a reference occurs; rules say it in messages ("used as a base class").
REFERENCE_CONTEXTS = ("annotation", "string-annotation", "base", "call", "isinstance",
                      "decorator", "default", "load")


@dataclass(frozen=True, slots=True)
class Reference:
    """One use of an imported name (a name load or a dotted chain starting at one)."""

    target: str
    line: int
    col: int  # 1-based, in characters
    end_line: int
    end_col: int
    context: str
    via_line: int = 0  # line of the imported name that binds the reference's first name
    positional: int = 0  # call context only: number of positional arguments
    keywords: tuple[str, ...] = ()  # call context only: keyword argument names
    star: bool = False  # call context only: ``*args`` or ``**kwargs`` present


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A top-level class: what its body defines and which bases it names.

    ``bases`` are dotted names as written ("" for a base that is not a plain dotted
    name); ``dynamic`` is set when attributes may come from somewhere invisible
    (``__getattr__``, a metaclass, a computed base).
    """

    name: str = field(metadata=VALUE)
    line: int = field(metadata=POSITION)
    bases: tuple[str, ...] = field(default=(), metadata=VALUE)
    members: tuple[str, ...] = field(default=(), metadata=VALUE)
    dynamic: bool = field(default=False, metadata=VALUE)
