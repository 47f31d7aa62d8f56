"""SSOT111 deprecated-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.rules._fixes import entry_fix, with_note
from ssot_lint.rules._imports import checked_imports, replacement_for, tolerated
from ssot_lint.rules._usage import object_entries, object_entry
from ssot_lint.rules.base import Example, FileContext, Rule, advice

_FILES = {
    "app/agents/__init__.py": "",
    "app/agents/state.py": "class DeepAgentState: ...\nclass AgentPhase: ...\n",
    "app/services/__init__.py": "",
    "app/services/user_execution_context.py": "class UserExecutionContext: ...\n",
}
_REGISTRY = """
[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.user_execution_context.UserExecutionContext"
hint = "DeepAgentState shares state between users; accept a UserExecutionContext instead."
severity = "error"
allow_in = ["type_checking"]
fix = "none"
"""


# DeepAgentState is defined in app.schemas.agent_models; app.agents.state re-exports it.
_OBJECT_FILES = {
    "app/schemas/__init__.py": "",
    "app/schemas/agent_models.py": "class DeepAgentState: ...\n",
    "app/agents/__init__.py": "",
    "app/agents/state.py": "from app.schemas.agent_models import DeepAgentState\n",
    "app/services/__init__.py": "",
    "app/services/user_execution_context.py": "class UserExecutionContext: ...\n",
}
_OBJECT_REGISTRY = """
[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.user_execution_context.UserExecutionContext"
hint = "DeepAgentState shares state between users."
"""


class DeprecatedImportRule(Rule):
    """The import matches a ``[deprecated]`` registry entry.

    Why: a deprecated path still works, which is exactly why migrations stall; every
    remaining import is a place the migration has not reached. The severity comes from
    the entry (default warning); the message carries the entry's hint, its
    ``use_instead`` and ``docs``. ``allow_in`` (``type_checking``, ``function``,
    ``fallback``) and ``paths`` globs tolerate it where it is intended, such as the
    compatibility shim itself.

    Deprecation follows the object: when the entry's ``use_instead`` is a *different*
    object, every import of the same definition is reported, by whatever path (the
    defining module, another re-export), except in the module whose re-export the
    entry names (the shim). When ``use_instead`` is the same object at a better path,
    only the entry's spelling is wrong. ``scope = "object" | "path"`` on the entry
    overrides the choice; ``registry verify`` says which applies when it is not obvious.
    A ``fix`` is offered only when ``ssot-lint fix`` will make it; a ``use_instead``
    that does not resolve is noted on the finding.
    """

    code = "SSOT111"
    slug = "deprecated-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Migrate each reference to the entry's `use_instead` (the deprecated symbols "
              "table shows where they are). Safe cases are rewritten by `ssot-lint fix`; "
              "tolerate intended uses with `allow_in` or `paths`.")
    severity = "warning"
    summary = "import matches a [deprecated] registry entry"
    fixable = "safe"
    config = "[deprecated] use_instead, hint, severity, docs, allow_in, paths, fix, scope"
    message = "{subject} is deprecated{advice}"
    VALID = (
        Example("from app.services.user_execution_context import UserExecutionContext\n"
                "from app.agents.state import AgentPhase\n", files=_FILES, registry=_REGISTRY),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from app.agents.state import DeepAgentState\n", files=_FILES,
                registry=_REGISTRY, note="tolerated by allow_in"),
        Example("from app.schemas.agent_models import DeepAgentState\n", files=_OBJECT_FILES,
                registry='[deprecated."app.agents.state.DeepAgentState"]\n'
                         'use_instead = "app.schemas.agent_models.DeepAgentState"\n',
                note="use_instead is the same object: only the spelling is deprecated"),
        Example("from app.schemas.agent_models import DeepAgentState\n", files=_OBJECT_FILES,
                registry=_OBJECT_REGISTRY + 'scope = "path"\n',
                note="scope = \"path\" overrides the object scope"),
    )
    INVALID = (
        Example("from app.agents.state import AgentPhase, DeepAgentState\n", files=_FILES,
                registry=_REGISTRY, lines=(1,)),
        Example("from app.agents.state import DeepAgentState, AgentPhase\n",
                files={**_FILES, "app/services/phases.py": "class AgentPhase: ...\n"},
                registry='[deprecated."app.agents.state.AgentPhase"]\n'
                         'use_instead = "app.services.phases.AgentPhase"\n',
                lines=(1,), note="only AgentPhase moves: the import is split",
                fixed="from app.agents.state import DeepAgentState\n"
                      "from app.services.phases import AgentPhase\n"),
        Example("from app.schemas.agent_models import DeepAgentState as State\n",
                files=_OBJECT_FILES, registry=_OBJECT_REGISTRY, lines=(1,), messages=((
                    1, 38, "`app.schemas.agent_models.DeepAgentState` (the object of "
                    "`app.agents.state.DeepAgentState`) is deprecated: DeepAgentState shares "
                    "state between users; use "
                    "`app.services.user_execution_context.UserExecutionContext` instead"),),
                note="the same object, imported from where it is defined"),
        Example("from app.agents.state import DeepAgentState\n", files=_FILES,
                registry='[deprecated."app.agents.state.DeepAgentState"]\n'
                         'use_instead = "app.nowhere.UserExecutionContext"\n', lines=(1,),
                messages=((1, 30, "`app.agents.state.DeepAgentState` is deprecated; use "
                           "`app.nowhere.UserExecutionContext` instead [no automatic fix: "
                           "`app.nowhere.UserExecutionContext` does not resolve (no module "
                           "`app.nowhere`)]"),),
                note="a use_instead that does not resolve is noted, not offered as a fix"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        registry = ctx.project.registry
        if not registry.deprecated and not registry.broken:
            return
        objects = object_entries(ctx.project)
        for ri in checked_imports(ctx):
            if ri.path is None or ri.fact.expects_failure:
                continue
            entry = match_entry(registry.deprecated, ri.path)
            same_as = None
            if entry is None and objects and ri.fact.kind == "from":
                entry = object_entry(ctx.project, ri.path)
                if entry is None or ctx.source.module == entry.path.rpartition(".")[0]:
                    continue  # the module that re-exports it under the entry's path is the shim
                if match_entry(registry.broken, ri.path) is not None or entry.path == ri.path:
                    continue  # SSOT101 reports the broken spelling itself
                same_as = entry.path
            if entry is None or tolerated(ctx, ri, entry):
                continue
            replacement = entry.use_instead if same_as else replacement_for(ri.path, entry)
            fix, note = entry_fix(ctx.project, ri, entry, replacement,
                                  "replace the deprecated import")
            subject = f"`{ri.path}`" + (f" (the object of `{same_as}`)" if same_as else "")
            message = self.render(subject=subject, advice=advice(
                entry.reason or entry.hint, replacement, entry.docs))
            # An import of the object by another path is attributed to the entry (audit rows,
            # fix planning) by naming the entry's path as the finding's symbol.
            yield ctx.finding(self, ri.fact, with_note(message, note), severity=entry.severity,
                              symbol=same_as or ri.path, hint=entry.hint, docs=entry.docs,
                              fix=fix)
