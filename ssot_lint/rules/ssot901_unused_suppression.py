"""SSOT901 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/agents/__init__.py": "", "app/agents/registry.py": "class AgentRegistry: ...\n"}


class UnusedSuppressionRule(Rule):
    """An inline ``# ssot-lint: ignore[...]`` comment, or a registry ``ignore_imports``
    entry, that suppressed nothing.

    Why: once an import is fixed its suppression comment stays behind and would
    silently hide the next real problem on that line. Only codes that are enabled in
    this run are judged, so ``--select`` does not make suppressions look unused. The
    engine decides this after all other rules ran; this class holds its documentation.
    A ``ignore_imports = ["a.b -> c.*"]`` entry on a service, layer stack or contract
    is the same kind of exemption: when it matches no import edge of the project any
    more, it is reported at its line in the registry.
    """

    code = "SSOT901"
    slug = "unused-suppression"
    severity = "warning"
    summary = "inline suppression or registry ignore_imports entry that suppressed nothing"
    VALID = (Example("from app.agents.missing import x  # ssot-lint: ignore[SSOT102]\n",
                     files=_FILES),)
    INVALID = (Example("from app.agents.registry import AgentRegistry  # ssot-lint: "
                       "ignore[SSOT102]\n", files=_FILES, lines=(1,)),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        return iter(())
