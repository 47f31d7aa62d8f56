"""Fast child iteration over ``ast`` trees, for the walks that visit every node.

``ast.iter_child_nodes`` and ``ast.walk`` are generic: two nested generators per node
and a ``getattr`` plus two ``isinstance`` checks for every field, including the fields
that can never hold a node (identifiers, ints) and the ``ctx``/operator fields whose
nodes are childless markers (``Load``, ``Add``, ...) that no fact is made from. On a
large code base that overhead was most of the time spent walking.

:func:`child_fields` gives, once per node class, the fields that can hold nodes, in
``_fields`` order, so a walk visits exactly the nodes ``ast.iter_child_nodes`` would
(in the same order), minus those markers. Classes this module does not know (a newer
Python's) keep every field, so the walk is never wrong, only less quick.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

# Fields that hold childless markers or plain values in every node class that has them.
_MARKER_OR_VALUE_FIELDS = frozenset({
    "ctx", "op", "ops",  # Load/Store/Del, operators: no children, no facts
    "id", "attr", "arg", "asname", "module", "level", "kind", "type_comment", "is_async",
    "conversion", "simple", "tag", "rest", "type_ignores", "kwd_attrs",
})
# ``name``/``names``/``value`` are plain values only in these classes (elsewhere
# ``name`` can be a node, e.g. 3.12's ``TypeAlias.name``; ``names`` a list of aliases).
_VALUE_FIELDS_BY_CLASS: dict[str, frozenset[str]] = {
    "FunctionDef": frozenset({"name"}),
    "AsyncFunctionDef": frozenset({"name"}),
    "ClassDef": frozenset({"name"}),
    "ExceptHandler": frozenset({"name"}),
    "alias": frozenset({"name"}),
    "MatchAs": frozenset({"name"}),
    "MatchStar": frozenset({"name"}),
    "Global": frozenset({"names"}),
    "Nonlocal": frozenset({"names"}),
    "Constant": frozenset({"value"}),
    "TypeVar": frozenset({"name"}),
    "ParamSpec": frozenset({"name"}),
    "TypeVarTuple": frozenset({"name"}),
}
# Node lists that may hold ``None`` (``{**d}``'s key, a keyword-only argument's absent default).
_LISTS_WITH_NONE = frozenset({ast.Dict, ast.arguments})
_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """The fields of node class ``cls`` that can hold child nodes, in ``_fields`` order."""
    found = _FIELDS.get(cls)
    if found is None:
        skip = _MARKER_OR_VALUE_FIELDS | _VALUE_FIELDS_BY_CLASS.get(cls.__name__, frozenset())
        found = _FIELDS[cls] = tuple(f for f in getattr(cls, "_fields", ()) if f not in skip)
    return found


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in ``ast.iter_child_nodes`` order, markers left out."""
    cls = type(node)
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = child_fields(cls)
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value is None:
            continue
        if type(value) is list:
            out.extend(value)  # the remaining lists hold only nodes (and None, see below)
        elif isinstance(value, ast.AST):
            out.append(value)
    if cls in _LISTS_WITH_NONE:
        out = [child for child in out if child is not None]
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk`` (breadth first, same order) without the marker nodes."""
    queue = deque((node,))
    popleft, extend = queue.popleft, queue.extend
    while queue:
        current = popleft()
        extend(children(current))
        yield current
