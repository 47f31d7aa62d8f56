"""A registry under construction: plain values plus the comments a human should read.

Generators (``import-markdown``, ``init``) fill a ``Draft``; ``toml_writer`` renders it.
Keeping the generators free of TOML details means each can be tested on its values,
and the writer is the one place that knows how the file looks.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass
class DraftSymbol:
    path: str
    aliases: list[str] = field(default_factory=list)
    verified: _dt.date | bool | None = None
    note: str | None = None
    comments: list[str] = field(default_factory=list)  # written above the table


@dataclass
class DraftRule:
    path: str
    kind: str  # "broken" | "deprecated"
    use_instead: str | None = None
    reason: str | None = None
    hint: str | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class DraftService:
    name: str
    packages: list[str]
    may_import: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """Everything a generated registry holds; lists are rendered in the order given."""

    header: list[str] = field(default_factory=list)  # comment lines at the top of the file
    packages: list[str] = field(default_factory=list)
    source_roots: list[str] = field(default_factory=list)
    duplicate_exclude: list[str] = field(default_factory=list)  # [policy] (SSOT401)
    policy_comments: list[str] = field(default_factory=list)
    symbols: dict[str, DraftSymbol] = field(default_factory=dict)
    symbol_groups: dict[str, str] = field(default_factory=dict)  # path -> group (package)
    broken: dict[str, DraftRule] = field(default_factory=dict)
    deprecated: dict[str, DraftRule] = field(default_factory=dict)
    services: dict[str, DraftService] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # a comment block at the end

    def group_of(self, path: str) -> str:
        """The group ``path`` is written under: the generator's choice (``init`` groups
        by package), else its top-level package."""
        return self.symbol_groups.get(path) or path.split(".", 1)[0]
