"""SSOT401 duplicate-definition."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import SymbolEntry
from ssot_lint.resolve.definitions import memo_site
from ssot_lint.resolve.project import Project
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
    or in a module the entry lists as an alias; re-exports by import are fine. Not
    reported: a stand-in defined in an ``except ImportError`` fallback (or the ``else``
    of that optional import), which exists only when the real one cannot be imported;
    modules outside ``[project].packages`` (scripts, tests, vendored code) when it is
    set; and the real definition behind a canonical path that merely re-exports it
    (``registry verify`` says to make the definition the canonical home). Two entries
    with one name report a definition once, naming both. Files matching
    ``policy.duplicate_exclude`` globs (for example test fakes) are skipped.
    """

    code = "SSOT401"
    slug = "duplicate-definition"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Keep one definition in the canonical home and re-export or import it elsewhere; "
              "register deliberate copies as aliases or exclude them with "
              "`policy.duplicate_exclude`.")
    severity = "warning"
    summary = "registered symbol defined again in another module"
    config = "[symbols]; [project].packages; policy.duplicate_exclude"
    message = ("`{name}` is defined again in `{module}`; its canonical home is {canonical}: "
               "import it from there (or add this path to duplicate_exclude)")
    VALID = (
        Example("from app.agents.registry import AgentRegistry\n\n"
                "def build() -> AgentRegistry:\n    class AgentRegistry: ...\n"
                "    return AgentRegistry()\n", files=_FILES, registry=_REGISTRY,
                note="re-exports and nested definitions are fine"),
        Example("try:\n    from app.agents.supervisor.agent_registry import AgentRegistry\n"
                "except ImportError:\n    class AgentRegistry:\n        pass\n",
                files=_FILES, registry=_REGISTRY, note="a fallback stand-in"),
        Example("class AgentRegistry:\n    pass\n",
                files={**_FILES, "app/agents/registry.py": "from app.main import AgentRegistry\n"},
                registry='[symbols."app.agents.registry.AgentRegistry"]\n',
                note="the definition behind a canonical re-export"),
        Example("class AgentRegistry:\n    pass\n", files=_FILES,
                registry=_REGISTRY + '\n[project]\npackages = ["lib"]\n',
                note="outside [project].packages"),
    )
    INVALID = (
        Example("class AgentRegistry:\n    pass\n\ndef AgentRegistry_factory(): ...\n",
                files=_FILES, registry=_REGISTRY, lines=(1,), messages=((
                    1, 1, "`AgentRegistry` is defined again in `app.main`; its canonical home "
                    "is `app.agents.supervisor.agent_registry.AgentRegistry`: import it from "
                    "there (or add this path to duplicate_exclude)"),)),
        Example("try:\n    import fast_registry\nexcept ImportError:\n    pass\n"
                "class AgentRegistry:\n    pass\n",
                files={**_FILES, "app/other.py": "class AgentRegistry: ...\n"},
                registry=_REGISTRY + '[symbols."app.other.AgentRegistry"]\n', lines=(5,),
                note="a tie: one finding naming both entries"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        project = ctx.project
        registry = project.registry
        module = ctx.source.module
        if not registry.symbols or module is None or not _in_packages(registry.packages, module):
            return
        by_name = project.shared.get("symbols-by-name")
        if by_name is None:
            index: dict[str, list[SymbolEntry]] = {}
            for entry in sorted(registry.symbols.values(), key=lambda e: e.path):
                index.setdefault(entry.name, []).append(entry)
            by_name = project.shared["symbols-by-name"] = index
        assert isinstance(by_name, dict)
        if path_tolerated(ctx, registry.policy.duplicate_exclude):
            return
        for definition in ctx.facts.definitions:
            if definition.kind not in ("class", "function") or definition.optional \
                    or definition.in_type_checking:
                continue
            here = f"{module}.{definition.name}"
            entries: list[SymbolEntry] = by_name.get(definition.name, [])
            others = [e for e in entries if not _is_home(project, e, module, here)]
            if len(others) < len(entries) or not others:
                continue  # one of the entries names this very definition
            # One finding per definition, however many entries share the name (a tie).
            canonical = ", ".join(f"`{e.path}`" for e in others)
            yield ctx.finding(self, None, self.render(name=definition.name, module=module,
                                                      canonical=canonical),
                              line=definition.line, col=definition.col, symbol=here)


def _in_packages(packages: tuple[str, ...], module: str) -> bool:
    """SSOT401 judges the project's own packages only (all of them when none are set)."""
    top = module.split(".", 1)[0]
    return not packages or any(top == p or module == p or module.startswith(p + ".")
                               for p in packages)


def _is_home(project: Project, entry: SymbolEntry, module: str, here: str) -> bool:
    """This definition is the entry's object: its module, an alias, or the definition a
    canonical path merely re-exports (``registry verify`` says to register it there)."""
    if entry.module == module or here in entry.aliases:
        return True
    return memo_site(project, entry.path) == here
