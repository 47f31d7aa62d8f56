"""Answer "how do I import X?" from the registry, for a symbol name or a dotted path.

The registry is the single source of truth, so the answer comes from it alone (no code
is read): the canonical import line, the aliases that also work but should not be
used, and any broken or deprecated entry that covers the path. A miss suggests the
closest registered names and paths, because the usual cause is a typo.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ssot_lint.escape import printable
from ssot_lint.model.registry import Registry, RuleEntry, SymbolEntry, match_entry
from ssot_lint.rules._imports import import_line


@dataclass
class Answer:
    query: str
    symbols: list[SymbolEntry] = field(default_factory=list)
    via_alias: list[tuple[str, SymbolEntry]] = field(default_factory=list)
    rules: list[RuleEntry] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.symbols or self.via_alias or self.rules)


def where(registry: Registry, query: str) -> Answer:
    """Everything the registry says about ``query`` (a bare name or a dotted path)."""
    answer = Answer(query)
    aliases = registry.alias_index()
    rule_entries = {**registry.deprecated, **registry.broken}
    if "." in query:
        if query in registry.symbols:
            answer.symbols.append(registry.symbols[query])
        if query in aliases:
            answer.via_alias.append((query, aliases[query]))
        for entries in (registry.broken, registry.deprecated):
            entry = match_entry(entries, query)
            if entry is not None:
                answer.rules.append(entry)
        candidates = sorted({*registry.symbols, *aliases, *rule_entries})
    else:
        answer.symbols = [e for p, e in sorted(registry.symbols.items()) if e.name == query]
        answer.via_alias = [(a, e) for a, e in sorted(aliases.items())
                            if a.rsplit(".", 1)[-1] == query]
        answer.rules = [e for p, e in sorted(rule_entries.items())
                        if p.rsplit(".", 1)[-1] == query]
        candidates = sorted({p.rsplit(".", 1)[-1] for p in (*registry.symbols, *aliases,
                                                            *rule_entries)})
    if not answer.found:
        answer.suggestions = difflib.get_close_matches(query, candidates, n=5, cutoff=0.6)
    return answer


def render(answer: Answer) -> str:
    """Plain text: the import line to copy first, then what else the registry knows."""
    lines: list[str] = []
    for entry in answer.symbols:
        lines.append(f"{import_line(entry.path)}")
        lines.append(f"    canonical: {entry.path}  ({entry.origin})")
        if entry.verified:
            lines.append(f"    verified: {entry.verified}")
        for alias in entry.aliases:
            lines.append(f"    alias (works, but is not canonical: SSOT112): {alias}")
    for alias, entry in answer.via_alias:
        if entry in answer.symbols:
            continue
        lines.append(f"{import_line(entry.path)}")
        lines.append(f"    `{alias}` is an alias of the canonical {entry.path}  ({entry.origin})")
    for rule in answer.rules:
        label = str(rule.kind).upper()
        why = f": {rule.reason}" if rule.reason else ""
        lines.append(f"{label} {rule.path}{why}  ({rule.origin})")
        if rule.use_instead:
            rest = answer.query[len(rule.path):] if answer.query.startswith(rule.path + ".") \
                else ""
            lines.append(f"    use instead: {import_line(rule.use_instead + rest)}")
        if rule.hint:
            lines.append(f"    hint: {rule.hint}")
    if not answer.found:
        lines.append(f"`{answer.query}` is not in the registry.")
        if answer.suggestions:
            lines.append("Did you mean: " + ", ".join(answer.suggestions) + "?")
    return "\n".join(printable(line) for line in lines) + "\n"  # registry text, escaped
