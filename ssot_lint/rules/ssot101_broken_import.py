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


STALE = ("is registered as [broken] but resolves now (SSOT902: no longer broken; remove the "
         "entry or move it to [deprecated])")


class BrokenImportRule(Rule):
    """The import matches a ``[broken]`` registry entry: a path known not to work.

    Why: broken paths are the ones that already broke test collection or production
    once; the registry records them with what to use instead so the same mistake is
    caught before CI. An entry for a module also covers every name and submodule under
    it. This rule wins over SSOT102/SSOT103 for the same import. Imports inside
    ``try/except ImportError`` follow ``policy.guarded_imports``; imports inside
    ``pytest.raises(ImportError)`` are meant to fail and are not reported (only the
    statements the ``with`` block runs: a ``def`` inside it is ordinary code). A path
    that resolves in the code now is reported as a warning that says the entry is stale
    (SSOT902: no longer broken), not as broken code.
    """

    code = "SSOT101"
    slug = "broken-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Replace the import with the entry's `use_instead` path. `ssot-lint fix` does "
              "this automatically where the entry allows it.")
    severity = "error"
    summary = "import matches a [broken] registry entry"
    fixable = "safe"
    config = "[broken] use_instead, reason, docs, allow_in, paths; policy.guarded_imports"
    message = "`{path}` {state}{advice}"
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
                registry=_REGISTRY, lines=(1,), messages=((
                    1, 8, "`app.agents.agent_websocket_bridge` is a broken import path: never "
                    "existed; broke test collection; use `app.services.agent_websocket_bridge` "
                    "instead"),)),
        Example("from app.agents.agent_websocket_bridge import create_agent_websocket_bridge\n",
                files={**_FILES, "app/agents/agent_websocket_bridge.py":
                       "from app.services.agent_websocket_bridge import "
                       "create_agent_websocket_bridge\n"},
                registry=_REGISTRY, lines=(1,), messages=((
                    1, 47, "`app.agents.agent_websocket_bridge.create_agent_websocket_bridge` "
                    "is registered as [broken] but resolves now (SSOT902: no longer broken; "
                    "remove the entry or move it to [deprecated]): never existed; broke test "
                    "collection; use "
                    "`app.services.agent_websocket_bridge.create_agent_websocket_bridge` "
                    "instead"),),
                note="a broken path that resolves now is marked as such"),
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
            state = "is a broken import path"
            if resolves_now(ctx, ri):  # working code: say so, and what to do with the entry
                state = STALE
                severity = "warning" if severity == "error" else severity
            message = self.render(path=ri.path, state=state, advice=advice(
                entry.reason or entry.hint, replacement, entry.docs))
            yield ctx.finding(self, ri.fact, with_note(message, note), severity=severity,
                              symbol=ri.path, hint=entry.hint, docs=entry.docs, fix=fix)


def resolves_now(ctx: FileContext, ri: ResolvedImport) -> bool:
    """The import resolves in the code (first-party, module and name found)."""
    return ri.module is not None and ctx.project.is_first_party(ri.module) \
        and status_of(ctx, ri).status == OK
