"""Every fact says who reads it, and the cache's interface digest follows those tags.

The remembered findings of a file are replayed while the other files' interface
digests are unchanged, so the digest must cover exactly what other files' rules can
read. These tests hold the model to that: an untagged field fails them (and the
import of ``ssot_lint.model.facts``), the view other files get has exactly the
interface fields, and changing any field changes exactly the digest parts its tag
names — whatever fields are added later, since the samples come from the type hints.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

import pytest

from ssot_lint.cache.interface import GRAPH, LAZY, SEMANTIC, interface_of
from ssot_lint.model import tags
from ssot_lint.model.facts import FileFacts, FileInterface, ImportFact
from tests.conftest import fact_sample


def test_every_fact_field_carries_a_tag_that_agrees_with_the_view() -> None:
    assert tags.misplaced(FileFacts, FileInterface) == []
    for spec in fields(FileFacts):
        assert tags.tag_of(spec) in tags.FILE_TAGS, spec.name
    view = {f.name for f in fields(FileInterface)}
    assert view == {f.name for f in fields(FileFacts) if tags.tag_of(f) != "own"}
    assert {"references", "suppressions"} <= {f.name for f in fields(FileFacts)} - view


# A model with the three mistakes the tags catch (module level: the hints must resolve).
@dataclass(frozen=True)
class Place:
    name: str = field(metadata=tags.VALUE)
    line: int = 1  # no tag


@dataclass(frozen=True)
class View:
    places: tuple[Place, ...] = field(default=(), metadata=tags.INTERFACE)
    loose: bool = False  # no tag


@dataclass(frozen=True)
class Full(View):
    notes: tuple[str, ...] = field(default=(), metadata=tags.INTERFACE)  # not on View


def test_an_untagged_field_is_refused() -> None:
    assert tags.misplaced(Full, View) == [
        "Full.loose: tag it interface or graph", "Full.notes: tag it own",
        "Place.line: tag it value or position"]
    with pytest.raises(TypeError, match="Place.line has no value/position tag"):
        interface_of(FileFacts(definitions=(Place("x"),)))  # type: ignore[arg-type]  # a wrong model on purpose


def test_the_view_holds_no_own_field() -> None:
    facts = fact_sample(FileFacts)
    view = FileInterface.of(facts)
    assert type(view) is FileInterface
    for spec in fields(FileInterface):
        assert getattr(view, spec.name) == getattr(facts, spec.name)
    for spec in fields(FileFacts):
        if tags.tag_of(spec) == "own":
            with pytest.raises(AttributeError):
                getattr(view, spec.name)


def _parts(facts: FileFacts) -> dict[str, str]:
    face = interface_of(facts)
    return {"semantic": face[SEMANTIC], "graph": face[GRAPH], "lazy": face[LAZY]}


def _changed(a: FileFacts, b: FileFacts) -> set[str]:
    one, two = _parts(a), _parts(b)
    return {part for part in one if one[part] != two[part]}


_EXPECTED = {"own": set(), "interface": {"semantic"}, "graph": {"semantic", "graph"}}


@pytest.mark.parametrize("name", [f.name for f in fields(FileFacts)])
def test_a_fact_field_changes_the_digest_parts_its_tag_names(name: str) -> None:
    spec = next(f for f in fields(FileFacts) if f.name == name)
    hint = typing.get_type_hints(FileFacts)[name]
    changed = _changed(FileFacts(), replace(FileFacts(), **{name: fact_sample(hint)}))
    assert changed == _EXPECTED[tags.tag_of(spec) or "untagged"]


def _nested_fields() -> list[tuple[str, type, str]]:
    hints = typing.get_type_hints(FileInterface)
    found = []
    for spec in fields(FileInterface):
        kinds = [k for k in (hints[spec.name], *typing.get_args(hints[spec.name]))
                 if isinstance(k, type) and is_dataclass(k)]
        kinds += [a for k in typing.get_args(hints[spec.name]) for a in typing.get_args(k)
                  if isinstance(a, type) and is_dataclass(a)]
        found += [(spec.name, kind, inner.name) for kind in kinds for inner in fields(kind)]
    return found


@pytest.mark.parametrize(("holder", "kind", "name"), _nested_fields(),
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_nested_field_changes_the_digest_parts_its_tag_names(holder: str, kind: type,
                                                                  name: str) -> None:
    """A value is read by resolution (semantic); a position only by the graph, and only
    for graph fields; an import inside a function puts its position in the lazy part."""
    hint = typing.get_type_hints(FileInterface)[holder]
    spec = next(f for f in fields(kind) if f.name == name)
    base = fact_sample(kind)
    other = replace(base, **{name: _other(kind, name, getattr(base, name))})

    def holding(item: Any) -> FileFacts:
        values: dict[str, Any] = {holder: (item,) if typing.get_origin(hint) is tuple else item}
        return FileFacts(**values)

    changed = _changed(holding(base), holding(other))
    graph = tags.tag_of(next(f for f in fields(FileFacts) if f.name == holder)) == "graph"
    if name == "in_function":
        assert changed == {"semantic", "graph", "lazy"}  # the import moves to the lazy part
    elif tags.tag_of(spec) == "value":
        assert changed == {"semantic"} | ({"graph"} if graph else set())
    else:
        assert changed == ({"graph"} if graph else set())
        lazy = replace(base, in_function=True) if kind is ImportFact else None
        if lazy is not None:
            moved = replace(lazy, **{name: getattr(other, name)})
            assert _changed(holding(lazy), holding(moved)) == {"lazy"}


def _other(kind: type, name: str, value: Any) -> Any:
    hint = typing.get_type_hints(kind)[name]
    if name == "in_function":
        return True
    return fact_sample(hint, variant=1) if fact_sample(hint, variant=1) != value \
        else fact_sample(hint, variant=2)
