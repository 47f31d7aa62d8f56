"""Render a ``Draft`` as a formatted, commented TOML registry with tomlkit.

tomlkit is the well-kept, comment-preserving TOML writer: it quotes dotted keys,
escapes strings and formats dates correctly, which string concatenation gets wrong
sooner or later. Output order is the draft's order, so generators decide it (and keep
it deterministic); comments go inside each table, under its header.
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


def _symbol(entry: DraftSymbol, group_comment: str | None) -> Table:
    table = tomlkit.table()
    if group_comment:
        table.add(tomlkit.comment(printable(group_comment)))
    _comments(table, entry.comments)
    if entry.aliases:
        table.add("aliases", _array(entry.aliases))
    if entry.verified is not None:
        table.add("verified", entry.verified)
    if entry.note:
        table.add("note", entry.note)
    return table


def _rule(entry: DraftRule, group_comment: str | None) -> Table:
    table = tomlkit.table()
    if group_comment:
        table.add(tomlkit.comment(printable(group_comment)))
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
    sections: list[tuple[str, Table]] = []
    if draft.symbols:
        symbols = tomlkit.table(is_super_table=True)
        for path, group in _grouped(draft, draft.symbols):
            symbols.add(path, _symbol(draft.symbols[path], group))
        sections.append(("symbols", symbols))
    for kind, entries in (("broken", draft.broken), ("deprecated", draft.deprecated)):
        if entries:
            table = tomlkit.table(is_super_table=True)
            for path, group in _grouped(draft, entries):
                table.add(path, _rule(entries[path], group))
            sections.append((kind, table))
    if draft.services:
        services = tomlkit.table(is_super_table=True)
        for name, service in draft.services.items():
            services.add(name, _service(service))
        sections.append(("services", services))
    for key, table in sections:
        doc.add(tomlkit.nl())
        doc.add(key, table)
    if draft.notes:
        doc.add(tomlkit.nl())
        for line in draft.notes:
            doc.add(tomlkit.comment(printable(line)))
    text = tomlkit.dumps(doc)
    return text if text.endswith("\n") else text + "\n"
