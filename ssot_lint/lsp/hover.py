"""What the registry says about the import under the cursor (or the name it binds).

The answer comes from the registry alone, like ``ssot-lint where``: canonical or
alias, broken or deprecated with ``use_instead`` and the reason, and the service that
owns the module (with its owner). Positions come from the buffer's own facts.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from ssot_lint.discover import SourceFile
from ssot_lint.graph.services import ServiceMap
from ssot_lint.lsp.session import Session
from ssot_lint.model.facts import FileFacts
from ssot_lint.model.registry import Registry, match_entry
from ssot_lint.resolve.imports import resolve_import
from ssot_lint.rules._imports import import_line


def paths_at(facts: FileFacts, source: SourceFile, line: int, col: int) -> list[str]:
    """The absolute dotted path imported (or used through an import) at ``line``/``col``
    (1-based, code points), then its prefixes; empty when nothing is there.

    A use such as ``m.Name.attr`` names ``pkg.mod.Name.attr``; the registry may know
    ``pkg.mod.Name`` or ``pkg.mod``, so the caller describes the longest one it knows.
    """
    for fact in facts.imports:
        if _within(line, col, fact.line, fact.col, fact.end_line, fact.end_col):
            path = resolve_import(fact, source).path
            return _prefixes(path) if path else []
    for reference in facts.references:
        if _within(line, col, reference.line, reference.col, reference.end_line,
                   reference.end_col) and not reference.target.startswith("."):
            return _prefixes(reference.target)
    return []


def _prefixes(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _within(line: int, col: int, start_line: int, start_col: int, end_line: int,
            end_col: int) -> bool:
    return (start_line, start_col) <= (line, col) <= (end_line, end_col)


def describe(registry: Registry, path: str) -> str | None:
    """Markdown for ``path``, or None when the registry says nothing about it."""
    lines: list[str] = []
    entry = registry.symbols.get(path)
    if entry is not None:
        lines.append(f"**canonical** `{entry.path}` ({entry.origin})")
        if entry.aliases:
            lines.append("aliases (work, but are not canonical): "
                         + ", ".join(f"`{a}`" for a in entry.aliases))
    alias_of = registry.alias_index().get(path)
    if alias_of is not None:
        lines.append(f"**alias** of the canonical `{alias_of.path}` ({alias_of.origin})")
        lines.append(f"use instead: `{import_line(alias_of.path)}`")
    for kind, entries in registry.rule_sections():
        rule = match_entry(entries, path)
        if rule is None:
            continue
        why = f": {rule.reason}" if rule.reason else ""
        lines.append(f"**{kind}** `{rule.path}`{why} ({rule.origin})")
        if rule.use_instead:
            rest = path[len(rule.path):] if path.startswith(rule.path + ".") else ""
            lines.append(f"use instead: `{import_line(rule.use_instead + rest)}`")
        if rule.hint:
            lines.append(f"hint: {rule.hint}")
        if rule.docs:
            lines.append(f"docs: {rule.docs}")
    service = ServiceMap(registry.services).of(path)
    if service is not None:
        owner = f", owner {service.owner}" if service.owner else ""
        lines.append(f"service **{service.name}**{owner}"
                     + (f": {service.reason}" if service.reason else ""))
    if not lines:
        return None
    return "\n\n".join([f"`{path}`", *lines])


def hover_text(registry: Registry, paths: list[str]) -> str | None:
    """The description of the longest of ``paths`` the registry knows."""
    for path in paths:
        text = describe(registry, path)
        if text is not None:
            return text
    return None


def hover_at(session: Session, doc: TextDocument, position: types.Position
             ) -> types.Hover | None:
    """The hover for ``position`` in ``doc``: the buffer's own facts place the import."""
    from ssot_lint.facts.extract import extract_facts

    source = session.source_of(Path(doc.path))
    if session.registry is None or source is None:
        return None
    facts = extract_facts(doc.source.encode("utf-8", "surrogatepass"), session.target_version)
    at = doc.position_codec.position_from_client_units(doc.lines, position)
    text = hover_text(session.registry, paths_at(facts, source, at.line + 1, at.character + 1))
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                    value=text))
