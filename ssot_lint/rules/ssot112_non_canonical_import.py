"""SSOT112 non-canonical-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Edit, Finding
from ssot_lint.rules._fixes import replacement_problem, unresolved, with_note
from ssot_lint.rules._imports import checked_imports, import_line
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/agents/__init__.py": "",
    "app/agents/supervisor/__init__.py": "",
    "app/agents/supervisor/agent_registry.py": "class AgentRegistry: ...\n",
    "app/agents/registry.py": "from app.agents.supervisor.agent_registry import AgentRegistry\n",
}
_REGISTRY = """
[symbols."app.agents.supervisor.agent_registry.AgentRegistry"]
aliases = ["app.agents.registry.AgentRegistry"]
"""


# The canonical path is a re-export (app.main.AgentRegistry), the defining path an alias.
_FACADE = """
[symbols."app.main.AgentRegistry"]
aliases = ["app.agents.supervisor.agent_registry.AgentRegistry"]
"""


class NonCanonicalImportRule(Rule):
    """A registered symbol imported through one of its ``aliases``.

    Why: an alias works today, but it is a second source of truth: the day the
    re-export is removed or points elsewhere, every importer breaks or silently gets a
    different object. The message names the canonical import line to use instead;
    ``ssot-lint fix`` rewrites it (keeping any ``as`` name). The module-level import
    that *builds* a registered path of the same symbol is not reported: when the
    canonical path is a package re-export (``pkg.Name``, as ``registry init`` chooses
    when that is how the project imports it), ``pkg/__init__.py`` must import the
    name from where it is defined, and so must a module re-exporting it as an alias.
    """

    code = "SSOT112"
    slug = "non-canonical-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Import the symbol from its canonical home instead of the alias; `ssot-lint fix` "
              "rewrites these safely.")
    severity = "warning"
    summary = "registered symbol imported through an alias"
    fixable = "safe"
    config = "[symbols] aliases"
    VALID = (Example("from app.agents.supervisor.agent_registry import AgentRegistry\n",
                     files=_FILES, registry=_REGISTRY),
             Example("from app.agents.supervisor.agent_registry import AgentRegistry\n",
                     files=_FILES, registry=_FACADE,
                     note="this import builds the canonical app.main.AgentRegistry"))
    INVALID = (Example("from app.agents.registry import AgentRegistry as Registry\n",
                       files=_FILES, registry=_REGISTRY, lines=(1,),
                       fixed="from app.agents.supervisor.agent_registry import AgentRegistry "
                             "as Registry\n"),
               Example("def f():\n    from app.agents.supervisor.agent_registry import "
                       "AgentRegistry\n", files=_FILES, registry=_FACADE, lines=(2,),
                       note="a function-level import builds nothing"))

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        aliases = ctx.project.shared.get("aliases")
        if aliases is None:
            aliases = ctx.project.registry.alias_index()
            ctx.project.shared["aliases"] = aliases
        assert isinstance(aliases, dict)
        if not aliases:
            return
        for ri in checked_imports(ctx):
            if ri.path is None or ri.fact.kind != "from":
                continue
            entry = aliases.get(ri.path)
            if entry is None:
                continue
            if not (ri.fact.in_function or ri.fact.in_class) and ctx.source.module and \
                    f"{ctx.source.module}.{ri.fact.bound_name}" in (entry.path, *entry.aliases):
                continue  # this import builds a registered path of the same symbol
            line = import_line(entry.path, ri.fact.asname)
            message = (f"`{ri.fact.name}` is imported via the alias `{ri.path}`; its canonical "
                       f"home is `{entry.path}`: use `{line}`")
            # The same object: a different last name is kept local with `as`, not renamed.
            problem = replacement_problem(ctx.project, ri, entry.path)
            fix = Edit("import from the canonical home", "replace-import", ri.path,
                       entry.path) if problem is None else None
            yield ctx.finding(self, ri.fact, with_note(message, unresolved(ctx.project,
                                                                           entry.path)),
                              symbol=ri.path, fix=fix)
