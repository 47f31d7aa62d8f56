"""Render a ``Draft`` as a formatted, commented TOML registry with tomlkit.

tomlkit is the well-kept, comment-preserving TOML writer: it quotes dotted keys,
escapes strings and formats dates correctly, which string concatenation gets wrong
sooner or later. Output order is the draft's order, so generators decide it (and keep
it deterministic). An entry's own comments go inside its table, under its header; a
group's "--- package ---" comment goes *above* the group's first header (at the end
of the previous table, or before the section), never inside an entry it is not about.
"""

from __future__ import annotations

from collections.abc import Iterable

import tomlkit
from tomlkit.items import Array, Table

from ssot_lint.escape import printable
from ssot_lint.registry_tools.draft import Draft, DraftRule, DraftService, DraftSymbol


def _array(values: Iterable[str]) -> Array:
    items = list(values)
    array = tomlkit.array()
    array.extend(items)
    if len(items) > 1:
        array.multiline(True)
    return array


def _comments(table: Table, lines: Iterable[str]) -> None:
    for line in lines:
        table.add(tomlkit.comment(printable(line)))


def _symbol(entry: DraftSymbol) -> Table:
    table = tomlkit.table()
    _comments(table, entry.comments)
    if entry.aliases:
        table.add("aliases", _array(entry.aliases))
    if entry.verified is not None:
        table.add("verified", entry.verified)
    if entry.note:
        table.add("note", entry.note)
    return table


def _rule(entry: DraftRule) -> Table:
    table = tomlkit.table()
    _comments(table, entry.comments)
    for key in ("use_instead", "reason", "hint"):
        value = getattr(entry, key)
        if value:
            table.add(key, value)
    return table


def _service(entry: DraftService) -> Table:
    table = tomlkit.table()
    _comments(table, entry.comments)
    table.add("packages", _array(entry.packages))
    table.add("may_import", _array(entry.may_import))
    return table


def _grouped(draft: Draft, paths: Iterable[str]) -> list[tuple[str, str | None]]:
    """Each path with a "--- group ---" comment where a new top-level package starts."""
    out: list[tuple[str, str | None]] = []
    previous = None
    for path in paths:
        group = draft.group_of(path)
        out.append((path, f"--- {group} ---" if group != previous else None))
        previous = group
    return out


def _section(draft: Draft, tables: dict[str, Table]) -> tuple[Table, str | None]:
    """A super-table of ``tables`` with group comments above each group's first entry;
    also the first group's comment, which the caller writes above the section."""
    section = tomlkit.table(is_super_table=True)
    first: str | None = None
    previous: Table | None = None
    for path, group in _grouped(draft, tables):
        table = tables[path]
        if group is not None:
            if previous is None:
                first = group
            else:
                previous.add(tomlkit.nl())
                previous.add(tomlkit.comment(printable(group)))
        section.add(path, table)
        previous = table
    return section, first


def render(draft: Draft) -> str:
    """The TOML text of ``draft`` (loads with ``ssot_lint.load.registry``)."""
    doc = tomlkit.document()
    for line in draft.header:
        doc.add(tomlkit.comment(printable(line)))
    doc.add("version", 1)
    if draft.packages or draft.source_roots:
        project = tomlkit.table()
        if draft.packages:
            project.add("packages", _array(draft.packages))
        if draft.source_roots:
            project.add("source_roots", _array(draft.source_roots))
        doc.add(tomlkit.nl())
        doc.add("project", project)
    if draft.duplicate_exclude:
        policy = tomlkit.table()
        _comments(policy, draft.policy_comments)
        policy.add("duplicate_exclude", _array(draft.duplicate_exclude))
        doc.add(tomlkit.nl())
        doc.add("policy", policy)
    sections: list[tuple[str, Table, str | None]] = []
    if draft.symbols:
        symbols, first = _section(draft, {path: _symbol(entry)
                                          for path, entry in draft.symbols.items()})
        sections.append(("symbols", symbols, first))
    for kind, entries in (("broken", draft.broken), ("deprecated", draft.deprecated)):
        if entries:
            table, first = _section(draft, {path: _rule(entry) for path, entry in entries.items()})
            sections.append((kind, table, first))
    if draft.services:
        services = tomlkit.table(is_super_table=True)
        for name, service in draft.services.items():
            services.add(name, _service(service))
        sections.append(("services", services, None))
    for key, table, first in sections:
        doc.add(tomlkit.nl())
        if first:
            doc.add(tomlkit.comment(printable(first)))
        doc.add(key, table)
    if draft.notes:
        doc.add(tomlkit.nl())
        for line in draft.notes:
            doc.add(tomlkit.comment(printable(line)))
    text = tomlkit.dumps(doc)
    return text if text.endswith("\n") else text + "\n"
