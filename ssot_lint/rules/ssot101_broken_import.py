"""SSOT101 broken-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.rules._fixes import entry_fix, with_note
from ssot_lint.rules._imports import (
    OK,
    broken_entry,
    checked_imports,
    guarded_severity,
    replacement_for,
    status_of,
)
from ssot_lint.rules.base import Example, FileContext, Rule, advice

_REGISTRY = """
[broken."app.agents.agent_websocket_bridge"]
use_instead = "app.services.agent_websocket_bridge"
reason = "never existed; broke test collection"
"""
_FILES = {"app/services/__init__.py": "", "app/services/agent_websocket_bridge.py":
          "def create_agent_websocket_bridge(): ...\n", "app/agents/__init__.py": ""}


class BrokenImportRule(Rule):
    """The import matches a ``[broken]`` registry entry: a path known not to work.

    Why: broken paths are the ones that already broke test collection or production
    once; the registry records them with what to use instead so the same mistake is
    caught before CI. An entry for a module also covers every name and submodule under
    it. This rule wins over SSOT102/SSOT103 for the same import. Imports inside
    ``try/except ImportError`` follow ``policy.guarded_imports``; imports inside
    ``pytest.raises(ImportError)`` are meant to fail and are not reported.
    """

    code = "SSOT101"
    slug = "broken-import"
    severity = "error"
    summary = "import matches a [broken] registry entry"
    fixable = "safe"
    config = "[broken] use_instead, reason, docs, allow_in, paths; policy.guarded_imports"
    message = "`{path}` is a broken import path{advice}"
    VALID = (
        Example("from app.services.agent_websocket_bridge import create_agent_websocket_bridge\n",
                files=_FILES, registry=_REGISTRY),
        Example("import pytest\n\ndef test_gone():\n    with pytest.raises(ImportError):\n"
                "        from app.agents.agent_websocket_bridge import x\n",
                files=_FILES, registry=_REGISTRY, note="expected to fail"),
    )
    INVALID = (
        Example("from app.agents.agent_websocket_bridge import create_agent_websocket_bridge\n",
                files=_FILES, registry=_REGISTRY, lines=(1,),
                fixed="from app.services.agent_websocket_bridge import "
                      "create_agent_websocket_bridge\n"),
        Example("import app.agents.agent_websocket_bridge as bridge\n", files=_FILES,
                registry=_REGISTRY, lines=(1,)),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        policy = ctx.project.registry.policy
        for ri in checked_imports(ctx):
            if ri.fact.expects_failure:
                continue
            entry = broken_entry(ctx, ri)
            if entry is None or ri.path is None:
                continue
            severity = guarded_severity(policy, ri, entry.severity)
            if severity is None:
                continue
            replacement = replacement_for(ri.path, entry)
            fix, note = entry_fix(ctx.project, ri, entry, replacement, "replace the import path")
            message = self.render(path=ri.path, advice=advice(
                entry.reason or entry.hint, replacement, entry.docs))
            if resolves_now(ctx, ri):
                message += (" [the path resolves now: the [broken] entry looks stale (SSOT902); "
                            "remove it or move it to [deprecated]]")
            yield ctx.finding(self, ri.fact, with_note(message, note), severity=severity,
                              symbol=ri.path, hint=entry.hint, docs=entry.docs, fix=fix)


def resolves_now(ctx: FileContext, ri: ResolvedImport) -> bool:
    """The import resolves in the code (first-party, module and name found)."""
    return ri.module is not None and ctx.project.is_first_party(ri.module) \
        and status_of(ctx, ri).status == OK
