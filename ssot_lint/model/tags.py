"""Who reads a fact: the tags that make the cache's keys a function of the model.

Every field of ``FileFacts`` says who may read it, in its ``dataclasses.field``
metadata, and the cache derives its keys from those tags alone (``cache/interface.py``):

- ``OWN``: only the file's own rules read it (references, suppressions). It is not
  on the file's :class:`~ssot_lint.model.facts.FileInterface`, so no other file's
  rule *can* read it, and an edit to it re-checks that file alone.
- ``INTERFACE``: what the file exports to the others (definitions, ``__all__``,
  ``__getattr__``, classes...): other files' name resolution reads it, so it is in
  the *semantic* part of the interface digest, without positions.
- ``GRAPH``: an interface field the import graph also reads *with* positions
  (the graph rules cite other files' import lines): in the semantic part without
  positions and in the *graph* part with them.

Every field of a facts dataclass held by an interface field says whether it is a
``VALUE`` (in every part) or a ``POSITION`` (a line or column: in the graph part
only). A field without a tag fails ``tests/unit/model/test_tags.py``: the digest
cannot silently leave out, or depend on, a field nobody classified.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from dataclasses import Field, fields, is_dataclass
from types import MappingProxyType
from typing import Any

TAG = "ssot_lint.reader"  # the metadata key

OWN: Mapping[str, str] = MappingProxyType({TAG: "own"})
INTERFACE: Mapping[str, str] = MappingProxyType({TAG: "interface"})
GRAPH: Mapping[str, str] = MappingProxyType({TAG: "graph"})
VALUE: Mapping[str, str] = MappingProxyType({TAG: "value"})
POSITION: Mapping[str, str] = MappingProxyType({TAG: "position"})

FILE_TAGS = ("own", "interface", "graph")  # for a FileFacts field
PART_TAGS = ("value", "position")  # for a field of a nested facts dataclass


def tag_of(field: Field[Any]) -> str | None:
    """The tag of a dataclass field, or None when it has none."""
    tag = field.metadata.get(TAG)
    return tag if isinstance(tag, str) else None


def _nested(hint: Any) -> Iterator[type]:
    """The dataclasses a field of type ``hint`` may hold."""
    if isinstance(hint, type) and is_dataclass(hint):
        yield hint
    for arg in typing.get_args(hint):
        if arg is not Ellipsis and arg is not type(None):
            yield from _nested(arg)


def misplaced(full: type, view: type) -> list[str]:
    """Every field whose tag is missing or contradicts the view, as ``Class.field: why``.

    ``full`` is the complete facts class, ``view`` the class other files see (its
    base): a field of ``view`` is tagged interface or graph, a field only ``full``
    has is tagged own, and every field of a dataclass an interface field may hold
    is tagged value or position (recursively).
    """
    problems = []
    shown = {f.name for f in fields(view)}
    for spec in fields(full):
        wanted = ("interface", "graph") if spec.name in shown else ("own",)
        if tag_of(spec) not in wanted:
            problems.append(f"{full.__name__}.{spec.name}: tag it {' or '.join(wanted)}")
    hints = typing.get_type_hints(view)
    todo = [kind for spec in fields(view) for kind in _nested(hints[spec.name])]
    done: set[type] = set()
    while todo:
        kind = todo.pop()
        if kind in done:
            continue
        done.add(kind)
        inner = typing.get_type_hints(kind)
        for spec in fields(kind):
            if tag_of(spec) not in PART_TAGS:
                problems.append(f"{kind.__name__}.{spec.name}: tag it value or position")
            todo.extend(_nested(inner[spec.name]))
    return problems
