"""The interface digest: what other files' findings may depend on, derived from the model.

A file's findings depend on the other files only through their
:class:`~ssot_lint.model.facts.FileInterface` (``Project.facts_of`` hands out nothing
else) and, for the graph rules, through the import graph built from it. So the
digest of a file's interface is computed from the model's tags
(``ssot_lint/model/tags.py``), never from a list of field names kept by hand:

1. *semantic*: every ``INTERFACE`` and ``GRAPH`` field, with each nested fact's
   ``VALUE`` fields only (no ``POSITION``): what name resolution reads;
2. *graph*: every ``GRAPH`` field with positions, except the positions of imports
   inside functions: what the graph rules read (they cite other files' import lines);
3. *lazy*: the positions of imports inside functions, which the graph cites only when
   the registry's ``cycle_imports = "all"`` counts them in cycles.

``OWN`` fields (references, suppressions) are in no part: no other file can read
them. An edit to a function body, a comment or a suppression usually changes none
of the first two parts, and then ``ssot_lint.cache.results`` re-checks the edited
file alone. A nested field without a tag is refused here (``TypeError``), so a new
fact cannot slip into or out of the key unclassified.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from typing import Any

from ssot_lint.model import tags
from ssot_lint.model.facts import FileFacts, FileInterface, ImportFact

__all__ = ["GRAPH", "INTERFACE_LENGTH", "LAZY", "SEMANTIC", "interface_of"]

INTERFACE_LENGTH = 96  # three 32-digit digests, in this order:
SEMANTIC, GRAPH, LAZY = slice(0, 32), slice(32, 64), slice(64, 96)

_SEMANTIC_FIELDS = tuple(f.name for f in fields(FileInterface)
                         if tags.tag_of(f) in ("interface", "graph"))
_GRAPH_FIELDS = tuple(f.name for f in fields(FileInterface) if tags.tag_of(f) == "graph")
_VALUES: dict[type, tuple[str, ...]] = {}  # class -> its VALUE fields
_PLACED: dict[type, tuple[str, ...]] = {}  # class -> its VALUE and POSITION fields


def _names(obj: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kind = type(obj)
    if kind not in _VALUES:
        if not is_dataclass(obj):
            raise TypeError(f"cannot digest {kind.__name__} as facts")
        for spec in fields(obj):
            if tags.tag_of(spec) not in tags.PART_TAGS:
                raise TypeError(f"{kind.__name__}.{spec.name} has no value/position tag "
                                "(ssot_lint/model/tags.py)")
        _VALUES[kind] = tuple(f.name for f in fields(obj) if tags.tag_of(f) == "value")
        _PLACED[kind] = tuple(f.name for f in fields(obj))
    return _VALUES[kind], _PLACED[kind]


def _unplaced(obj: Any) -> list[Any]:
    """``json.dumps`` hook: a nested fact as its ``VALUE`` fields."""
    return [getattr(obj, name) for name in _names(obj)[0]]


def _placed(obj: Any) -> list[Any]:
    """``json.dumps`` hook: a nested fact as its ``VALUE`` and ``POSITION`` fields."""
    return [getattr(obj, name) for name in _names(obj)[1]]


def _lazy(value: Any) -> bool:
    """A fact whose position the graph cites only under ``cycle_imports = "all"``."""
    return isinstance(value, ImportFact) and value.in_function


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _dump(value: Any, hook: Any) -> str:
    return json.dumps(value, default=hook, separators=(",", ":"))


def interface_of(facts: FileFacts | FileInterface) -> str:
    """The three digests (semantic, graph, lazy) of ``facts``' interface, concatenated."""
    semantic = [getattr(facts, name) for name in _SEMANTIC_FIELDS]
    graph: list[Any] = []
    lazy: list[Any] = []
    for name in _GRAPH_FIELDS:
        value = getattr(facts, name)
        if isinstance(value, tuple):
            graph.append([_unplaced(item) if _lazy(item) else item for item in value])
            lazy += [item for item in value if _lazy(item)]
        else:
            graph.append(value)
    return (_digest(_dump(semantic, _unplaced)) + _digest(_dump(graph, _placed))
            + _digest(_dump(lazy, _placed)))
