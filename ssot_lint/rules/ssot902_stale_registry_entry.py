"""SSOT902 stale-registry-entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from ssot_lint.model.finding import Finding
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/agents/__init__.py": "",
    "app/agents/registry.py": "class AgentRegistry: ...\n",
    "app/agents/compat.py": "from app.agents.registry import AgentRegistry\n",
}


class StaleRegistryEntryRule(Rule):
    """A registry entry that the code no longer agrees with.

    Why: a registry is only "verified" if a machine verifies it. Canonical homes move,
    "broken" paths get fixed, deprecated shims get deleted, and a registry that says
    otherwise sends people to the wrong import. Checked statically with the same module
    index as ``check`` (nothing is imported): every canonical path resolves to a
    definition (not a re-export), every alias and ``use_instead`` resolves, every
    ``[broken]`` path really does not resolve, every ``[deprecated]`` path still
    exists, and every service package, public path, layer and contract module exists.
    Reported at the registry file and line of the entry by ``ssot-lint registry
    verify`` and by ``check --verify-registry`` (or ``verify_registry = true``).
    Entries that cannot be decided statically (third-party paths, modules with a
    ``__getattr__``, attributes of a class) are not reported.
    """

    code = "SSOT902"
    slug = "stale-registry-entry"
    severity = "warning"
    summary = "registry entry contradicted by the code (registry verify)"
    config = "check --verify-registry, verify_registry"
    # The findings are in the registry file, and only when verification is on.
    example_path: ClassVar[str] = "ssot-registry.toml"
    example_options: ClassVar[dict[str, Any]] = {"verify_registry": True}
    VALID = (
        Example("from app.agents.registry import AgentRegistry\n", files=_FILES, registry="""
[symbols."app.agents.registry.AgentRegistry"]
aliases = ["app.agents.compat.AgentRegistry"]

[broken."app.agents.old_registry"]
use_instead = "app.agents.registry"
"""),
    )
    INVALID = (
        Example("from app.agents.registry import AgentRegistry\n", files=_FILES, registry="""
[symbols."app.agents.compat.AgentRegistry"]

[broken."app.agents.registry.AgentRegistry"]

[deprecated."app.agents.gone.Thing"]
use_instead = "app.agents.registry.Missing"
""", lines=(3, 5, 7, 7), note="a re-export registered as canonical; a broken path that "
            "resolves; a deprecated path that is gone, with a use_instead that is too"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        """Nothing per file: ``registry_tools.verify`` checks the registry as a whole."""
        return iter(())
