"""Facts as compact JSON: the cache's row format and the workers' reply format.

Each facts dataclass is written as a JSON *array* of its field values in field order
(no repeated key strings), and read back by decoders derived once from the
dataclasses' own type hints, so a field added to the model is encoded and decoded
without touching this module. Decoding builds objects without calling ``__init__``
(the single largest cost of a warm run was re-running dataclass constructors for
~100,000 references): through ``__dict__``, or through the slot descriptors of
``slots=True`` classes; classes with a ``__post_init__`` are built normally.

:data:`MODEL_FINGERPRINT` hashes the field layout of every facts class; it is part of
the cache key, so rows written for another layout are never decoded.
"""

from __future__ import annotations

import hashlib
import json
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from ssot_lint.model.facts import FileFacts

Decoder = Callable[[Any], Any]
_NAMES: dict[type, tuple[str, ...]] = {}


def field_values(obj: Any) -> list[Any]:
    """``json.dumps`` hook: a facts dataclass as the list of its field values (in order)."""
    kind = type(obj)
    names = _NAMES.get(kind)
    if names is None:
        if not is_dataclass(obj):
            raise TypeError(f"cannot encode {kind.__name__} as facts")
        names = _NAMES[kind] = tuple(f.name for f in fields(obj))
    return [getattr(obj, name) for name in names]


def encode_facts(facts: FileFacts) -> str:
    """Compact JSON text of ``facts`` (encoded in C; ASCII, so surrogates survive)."""
    return json.dumps(facts, default=field_values, separators=(",", ":"))


def _identity(value: Any) -> Any:
    return value


_INT_LIMIT = 1 << 63  # what SQLite and every position in a file fit in


def _str(value: Any) -> Any:
    # json.loads makes a new string for every value; the same module names, kinds
    # and targets recur across thousands of files, so share one copy of each.
    if type(value) is not str:
        raise TypeError("expected a string")
    return sys.intern(value)


def _int(value: Any) -> Any:
    if type(value) is not int or not -_INT_LIMIT <= value < _INT_LIMIT:  # bool is no int
        raise TypeError("expected an integer")
    return value


def _bool(value: Any) -> Any:
    if type(value) is not bool:
        raise TypeError("expected true or false")
    return value


def _dict(value: Any) -> Any:
    if type(value) is not dict:
        raise TypeError("expected an object")
    return value


def _decoder(hint: Any, layout: list[str]) -> Decoder:
    """A function turning JSON data back into a value of type ``hint``, checking its type.

    A row with a valid CRC can still hold a value of another type (written by other
    code, or forged): every value is checked, so such a row raises ``TypeError`` or
    ``ValueError`` and counts as damaged instead of reaching a rule. A type this codec
    cannot decode exactly is refused when the decoders are built (at import), not
    discovered as rows that never decode.
    """
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass_decoder(hint, layout)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"the facts codec cannot decode {hint}: only `X | None` unions")
        layout.append("optional")
        decode = _decoder(inner[0], layout)
        return lambda value: None if value is None else decode(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            layout.append("tuple")
            item = _decoder(args[0], layout)

            def homogeneous(value: Any) -> Any:
                if type(value) is not list:
                    raise TypeError("expected an array")
                return tuple(map(item, value))
            return homogeneous
        layout.append(f"tuple[{len(args)}]")
        items = [_decoder(arg, layout) for arg in args]

        def fixed(value: Any) -> Any:
            if type(value) is not list or len(value) != len(items):
                raise TypeError(f"expected an array of {len(items)}")
            return tuple(decode(v) for decode, v in zip(items, value, strict=True))
        return fixed
    if origin is dict and len(args) == 2 and args[0] is str and args[1] is not Any:
        layout.append("dict[str]")
        values = _decoder(args[1], layout)

        def mapping(value: Any) -> Any:
            if type(value) is not dict:
                raise TypeError("expected an object")
            return {sys.intern(key): values(item) for key, item in value.items()}
        return mapping
    if origin is dict or hint is dict:
        layout.append("dict")
        return _dict
    if isinstance(hint, type) and issubclass(hint, Enum) and issubclass(hint, str):
        layout.append(f"{hint.__name__}({','.join(member.value for member in hint)})")
        return hint  # written as its value (a str); Enum(value) refuses any other
    known = {str: _str, int: _int, bool: _bool}
    if hint not in known:
        raise TypeError(f"the facts codec cannot decode {hint}; use str, int, bool, "
                        "X | None, tuple[X, ...], tuple[X, Y], dict, dict[str, X], a str "
                        "Enum or a dataclass")
    layout.append(hint.__name__)
    return known[hint]


def _dataclass_decoder(cls: type, layout: list[str]) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    layout.append(f"{cls.__name__}({','.join(names)})")
    decoders = [_decoder(hints[name], layout) for name in names]
    count = len(names)
    slots: list[Any] = [getattr(cls, name, None) for name in names] \
        if "__slots__" in cls.__dict__ else []
    if hasattr(cls, "__post_init__") \
            or any(type(slot) is not types.MemberDescriptorType for slot in slots):
        def build_checked(row: Any) -> Any:
            if type(row) is not list or len(row) != count:
                raise ValueError(f"not a {cls.__name__} row")
            return cls(*(d(v) for d, v in zip(decoders, row, strict=True)))
        return build_checked
    new = object.__new__
    convert = [(i, d) for i, d in enumerate(decoders) if d is not _identity]
    if slots:
        return _slotted_builder(cls, count, convert, [slot.__set__ for slot in slots])

    def build(row: Any) -> Any:
        if type(row) is not list or len(row) != count:
            raise ValueError(f"not a {cls.__name__} row")
        for index, decode in convert:  # the row is a fresh list from json: reuse it
            row[index] = decode(row[index])
        obj: Any = new(cls)
        obj.__dict__.update(zip(names, row, strict=True))
        return obj

    return build


def _slotted_builder(cls: type, count: int, convert: list[tuple[int, Decoder]],
                     setters: list[Callable[[Any, Any], None]]) -> Decoder:
    """Build a slotted (``__dict__``-less) frozen dataclass without calling ``__init__``.

    Each slot's own descriptor stores the value: what the generated ``__init__`` does
    through ``object.__setattr__``, without the call and keyword handling (about a
    third of the time per reference).
    """
    new = object.__new__

    def build(row: Any) -> Any:
        if type(row) is not list or len(row) != count:
            raise ValueError(f"not a {cls.__name__} row")
        for index, decode in convert:  # the row is a fresh list from json: reuse it
            row[index] = decode(row[index])
        obj: Any = new(cls)
        for setter, value in zip(setters, row, strict=True):
            setter(obj, value)
        return obj

    return build


def dataclass_codec(cls: type) -> tuple[Decoder, str]:
    """A checking decoder for the JSON :func:`field_values` makes of a ``cls`` value, and
    a fingerprint of ``cls``'s field layout (for cache keys). Besides the facts, the
    parsed registry is stored this way (``registry_memo``)."""
    layout: list[str] = []
    decoder = _dataclass_decoder(cls, layout)
    fingerprint = hashlib.blake2b(";".join(layout).encode(), digest_size=6).hexdigest()
    return decoder, fingerprint


_DECODE_ROOT, MODEL_FINGERPRINT = dataclass_codec(FileFacts)


_REFERENCES_AT = [f.name for f in fields(FileFacts)].index("references")


def decode_facts(text: str, *, references: bool = True) -> FileFacts:
    """Inverse of :func:`encode_facts`; raises ``ValueError``/``TypeError`` on anything else.

    ``references=False`` leaves the references out (never building those objects):
    what a run keeps of the files it is not judging (``scan.LazyFacts``).
    """
    row = json.loads(text)
    if not references and type(row) is list and len(row) > _REFERENCES_AT:
        row[_REFERENCES_AT] = []
    result: FileFacts = _DECODE_ROOT(row)
    return result
