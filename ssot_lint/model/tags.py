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

from collections.abc import Mapping
from dataclasses import Field
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
