"""SSOT301 deprecated-usage."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.references import Reference
from ssot_lint.model.registry import RuleEntry, match_entry
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.rules._imports import tolerated
from ssot_lint.rules._usage import (
    CONTEXT_PHRASES,
    absolute_target,
    object_entry,
    origins,
    path_tolerated,
)
from ssot_lint.rules.base import Example, FileContext, Rule, advice

_FILES = {
    "app/agents/__init__.py": "from app.agents.state import DeepAgentState\n",
    "app/agents/state.py": "class DeepAgentState: ...\nclass AgentPhase: ...\n",
    "app/core/__init__.py": "",
    "app/core/tracker.py": "def get_execution_tracker(): ...\n",
}
_REGISTRY = """
[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.user_execution_context.UserExecutionContext"
hint = "DeepAgentState shares state between users."
paths = ["app/main.py"]

[deprecated."app.core.tracker.get_execution_tracker"]
use_instead = "app.core.agent_tracker.get_agent_state_tracker"
"""
# The import lines themselves are SSOT111's; ``paths`` tolerates them in the VALID examples
# only where the example says so, so the INVALID registry leaves ``paths`` out.
_STRICT = _REGISTRY.replace('paths = ["app/main.py"]\n', "")


class DeprecatedUsageRule(Rule):
    """A use of a deprecated symbol beyond its import.

    Why: a migration is not done when the imports are gone — annotations, base
    classes, ``isinstance`` checks, calls, decorators and default values keep the old
    type alive, and they are exactly what a search for the import misses. Every
    reference to a ``[deprecated]`` entry that names a symbol (``module.Name``, not a
    whole module) is reported, one finding per reference, with the entry's hint and
    ``use_instead``: plain names, ``as`` aliases, attribute chains through a module
    alias (``import app.core.tracker as t; t.get_execution_tracker()``), string
    annotations, and names imported through a re-export. A parameter, local variable
    or local class that merely has the same name is a different object and is not
    reported; comments and ordinary strings are never read. The entry's ``paths``
    globs tolerate whole files, and a use through an import that the entry's
    ``allow_in`` tolerates (under ``TYPE_CHECKING``, inside a function, in a fallback)
    is tolerated too. An entry whose ``use_instead`` is a different object covers
    the object (``scope``, see SSOT111): uses through an import from the defining
    module, or any other re-export, are reported with the entry's advice.
    """

    code = "SSOT301"
    slug = "deprecated-usage"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Replace each use with the entry's `use_instead` (annotations, calls, base "
              "classes); the import goes once the last use does.")
    severity = "warning"
    summary = "use of a deprecated symbol beyond its import"
    config = "[deprecated] use_instead, hint, severity, allow_in, paths, scope"
    message = "use of deprecated `{path}`{where}{advice}"
    VALID = (
        Example("from app.agents.state import AgentPhase\n\n"
                "def run(DeepAgentState: int) -> int:\n    return DeepAgentState\n\n"
                "class Local:\n    class DeepAgentState: ...\n    x = DeepAgentState()\n"
                "# DeepAgentState in a comment\ntext = 'DeepAgentState'\n",
                files=_FILES, registry=_STRICT, note="local names and strings"),
        Example("from app.agents.state import DeepAgentState\n\n"
                "def f(s: DeepAgentState) -> None: ...\n", files=_FILES, registry=_REGISTRY,
                note="tolerated by paths"),
    )
    INVALID = (
        Example("from app.agents.state import DeepAgentState as DAS\n\n"
                "class Mine(DAS):\n"
                "    def f(self, s: 'DAS | None' = None) -> DAS:\n"
                "        if isinstance(s, DAS):\n"
                "            return DAS()\n"
                "        raise ValueError\n",
                files=_FILES, registry=_STRICT, lines=(3, 4, 4, 5, 6)),
        Example("import app.core.tracker as tracker_mod\nfrom app.agents import DeepAgentState\n"
                "\ntracker = tracker_mod.get_execution_tracker()\n"
                "state: DeepAgentState | None = None\n",
                files=_FILES, registry=_STRICT, lines=(4, 5),
                note="module alias and a re-export"),
        Example("from app.schemas.models import DeepAgentState\n\n"
                "def run(state: DeepAgentState) -> None: ...\n",
                files={"app/schemas/__init__.py": "",
                       "app/schemas/models.py": "class DeepAgentState: ...\n",
                       "app/agents/__init__.py": "",
                       "app/agents/state.py": "from app.schemas.models import DeepAgentState\n"},
                registry=_STRICT.split("\n\n[deprecated.\"app.core")[0] + "\n",
                lines=(3,), messages=((3, 16, "use of deprecated "
                                       "`app.agents.state.DeepAgentState` in a type annotation: "
                                       "DeepAgentState shares state between users; use "
                                       "`app.services.user_execution_context."
                                       "UserExecutionContext` instead"),),
                note="deprecation follows the object to its defining module"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        registry = ctx.project.registry
        if not (registry.deprecated or registry.broken) or not ctx.facts.references:
            return
        for ref in ctx.facts.references:
            found = self.entry_for(ctx, ref)
            if found is None:
                continue
            entry, path = found
            where = CONTEXT_PHRASES.get(ref.context, "")
            message = self.render(path=entry.path, where=f" {where}" if where else "",
                                  advice=advice(entry.reason or entry.hint, entry.use_instead,
                                                entry.docs))
            yield ctx.finding(self, None, message, line=ref.line, col=ref.col,
                              severity=entry.severity, hint=entry.hint, symbol=path,
                              docs=entry.docs)

    @staticmethod
    def entry_for(ctx: FileContext, ref: Reference) -> tuple[RuleEntry, str] | None:
        path = absolute_target(ref.target, ctx.source)
        if path is None:
            return None
        key = ("deprecated-usage", path)  # the same for every file: shared
        shared = ctx.project.shared
        if key not in shared:
            shared[key] = _lookup(ctx, path)
        entry = shared[key]
        if not isinstance(entry, RuleEntry):
            return None
        if path_tolerated(ctx, entry.paths):
            return None
        binding = _binding(ctx, ref, path)
        if binding is not None and entry.allow_in and tolerated(ctx, binding, entry):
            return None  # a use through an import the entry tolerates is tolerated too
        if ("deprecated-usage-object", path) in shared:
            return entry, entry.path  # the object by a path no entry names: the entry's path
        return entry, path


def _binding(ctx: FileContext, ref: Reference, path: str) -> ResolvedImport | None:
    """The import (on ``ref.via_line``) that binds the reference's first name."""
    for ri in ctx.imports:
        if ri.fact.line != ref.via_line or ri.path is None:
            continue
        bound = ri.path if ri.fact.kind == "from" or ri.fact.asname else ri.path.split(".")[0]
        if path == bound or path.startswith(bound + "."):
            return ri
    return None


def _lookup(ctx: FileContext, path: str) -> RuleEntry | None:
    deprecated = ctx.project.registry.deprecated
    for candidate in origins(ctx.project, path):
        entry = match_entry(deprecated, candidate)
        if entry is not None and not ctx.project.index.exists(entry.path):
            return entry
    found = object_entry(ctx.project, path)  # the same object by a path no entry names
    if found is not None:
        ctx.project.shared[("deprecated-usage-object", path)] = True
    return found
