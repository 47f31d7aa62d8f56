"""SSOT401 duplicate-definition."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import SymbolEntry
from ssot_lint.rules._usage import path_tolerated
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/agents/__init__.py": "",
    "app/agents/supervisor/__init__.py": "",
    "app/agents/supervisor/agent_registry.py": "class AgentRegistry: ...\n",
    "app/agents/registry.py": "from app.agents.supervisor.agent_registry import AgentRegistry\n",
    "tests/__init__.py": "",
    "tests/fakes.py": "class AgentRegistry: ...\n",
}
_REGISTRY = """
[symbols."app.agents.supervisor.agent_registry.AgentRegistry"]
aliases = ["app.agents.registry.AgentRegistry"]

[policy]
duplicate_exclude = ["tests/**"]
"""


class DuplicateDefinitionRule(Rule):
    """A registered symbol's name defined again (top-level class or function) elsewhere.

    Why: a registry is a single source of truth only if the symbol exists once. A
    second ``class AgentRegistry`` in another module is a fork: importers get a
    different object depending on the path they use, and fixes land in one copy only.
    Every top-level class or function in a first-party module that has the name of a
    ``[symbols]`` entry is reported unless it is in the canonical module (or its stub)
    or in a module the entry lists as an alias; re-exports by import are fine. Files
    matching ``policy.duplicate_exclude`` globs (for example test fakes) are skipped.
    """

    code = "SSOT401"
    slug = "duplicate-definition"
    severity = "warning"
    summary = "registered symbol defined again in another module"
    config = "[symbols]; policy.duplicate_exclude"
    VALID = (Example("from app.agents.registry import AgentRegistry\n\n"
                     "def build() -> AgentRegistry:\n    class AgentRegistry: ...\n"
                     "    return AgentRegistry()\n", files=_FILES, registry=_REGISTRY,
                     note="re-exports and nested definitions are fine"),)
    INVALID = (Example("class AgentRegistry:\n    pass\n\ndef AgentRegistry_factory(): ...\n",
                       files=_FILES, registry=_REGISTRY, lines=(1,)),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        registry = ctx.project.registry
        if not registry.symbols or ctx.source.module is None:
            return
        by_name = ctx.project.shared.get("symbols-by-name")
        if by_name is None:
            index: dict[str, list[object]] = {}
            for entry in registry.symbols.values():
                index.setdefault(entry.name, []).append(entry)
            by_name = ctx.project.shared["symbols-by-name"] = index
        assert isinstance(by_name, dict)
        if path_tolerated(ctx, registry.policy.duplicate_exclude):
            return
        module = ctx.source.module
        for definition in ctx.facts.definitions:
            if definition.kind not in ("class", "function"):
                continue
            entries: list[SymbolEntry] = by_name.get(definition.name, [])
            for entry in sorted(entries, key=lambda e: e.path):
                here = f"{module}.{definition.name}"
                if entry.module == module or here in entry.aliases:
                    continue
                yield ctx.finding(self, None, f"`{definition.name}` is defined again in "
                                  f"`{module}`; its canonical home is `{entry.path}`: import "
                                  "it from there (or add this path to duplicate_exclude)",
                                  line=definition.line, col=definition.col, symbol=here)
