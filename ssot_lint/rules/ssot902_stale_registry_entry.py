"""SSOT902 stale-registry-entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Origin, Status
from ssot_lint.resolve.definitions import defines, definition_site
from ssot_lint.resolve.names import OK, UNKNOWN
from ssot_lint.resolve.project import Project
from ssot_lint.rules.base import Example, FileContext, Rule, registry_finding

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
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Update or delete the stale registry entry (run `ssot-lint registry verify` for "
              "details); a deprecated path that no longer exists should become [broken].")
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
            "resolves; a deprecated path that is gone, with a use_instead that is too",
                messages=(
                    (3, 1, "canonical path `app.agents.compat.AgentRegistry` is a re-export, "
                     "not a definition; it is defined in `app.agents.registry.AgentRegistry`"),
                    (5, 1, "[broken] `app.agents.registry.AgentRegistry` is no longer broken: "
                     "it resolves now; remove the entry or move it to [deprecated]"),
                    (7, 1, "[deprecated] `app.agents.gone.Thing` no longer exists: no module "
                     "`app.agents.gone`"),
                    (7, 1, "use_instead `app.agents.registry.Missing` of [deprecated] "
                     "`app.agents.gone.Thing` does not resolve: `app.agents.registry` has no "
                     "`Missing`"))),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        """Nothing per file: :meth:`verify` checks the registry as a whole."""
        return iter(())

    def verify(self, project: Project, cwd: Path | None = None) -> list[Finding]:
        """The findings for every registry entry the code contradicts, sorted.

        Run by the engine once per ``check --verify-registry`` and by ``registry
        verify``; the findings are located in the registry file, not in a source file.
        """
        verifier = _Verifier(project, cwd)
        verifier.symbols()
        verifier.rules()
        verifier.modules()
        return sorted(verifier.findings, key=Finding.sort_key)


YES, NO, UNDECIDED = "yes", "no", "undecided"


def resolves(project: Project, path: str) -> str:
    """Whether ``path`` (a module, ``module.Name`` or ``module.Name.attr``) resolves."""
    if not project.is_first_party(path):
        return UNDECIDED
    if project.index.exists(path):
        return YES
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        if not project.index.exists(module):
            continue
        lookup = project.names.lookup(module, parts[cut])
        if lookup.status == UNKNOWN or lookup.via == "__getattr__":
            return UNDECIDED
        if lookup.status != OK:
            return NO
        return YES if cut == len(parts) - 1 else UNDECIDED  # attributes are not indexed
    return NO


class _Verifier:
    def __init__(self, project: Project, cwd: Path | None) -> None:
        self.project = project
        self.cwd = cwd
        self.findings: list[Finding] = []

    def report(self, origin: Origin, symbol: str, message: str, hint: str) -> None:
        self.findings.append(registry_finding(StaleRegistryEntryRule, origin, message,
                                              cwd=self.cwd, hint=hint, symbol=symbol))

    def symbols(self) -> None:
        for path, entry in sorted(self.project.registry.symbols.items()):
            state = resolves(self.project, path)
            if state == NO:
                self.report(entry.origin, path, f"canonical path `{path}` does not resolve: "
                            f"{self.missing(path)}", "point the entry at where the symbol is "
                            "defined now, or remove it")
            elif state == YES and self.project.index.exists(path):
                self.report(entry.origin, path, f"canonical path `{path}` is a module, not a "
                            "definition", "register the class, function or constant it "
                            "defines (module.Name)")
            elif state == YES:
                module, name = path.rsplit(".", 1)
                if not defines(self.project, module, name):
                    site = definition_site(self.project, path)
                    where = f"; it is defined in `{site}`" if site and site != path else ""
                    self.report(entry.origin, path, f"canonical path `{path}` is a re-export, "
                                f"not a definition{where}", "make the defining module the "
                                "canonical home and list this path under aliases")
            home = definition_site(self.project, path) if state == YES else None
            for alias in entry.aliases:
                alias_state = resolves(self.project, alias)
                if alias_state == NO:
                    self.report(entry.origin, alias, f"alias `{alias}` of `{path}` does not "
                                f"resolve: {self.missing(alias)}", "remove the alias, or move "
                                "it to [broken] with use_instead")
                elif alias_state == YES and home is not None:
                    other = definition_site(self.project, alias)
                    if other is not None and other != home:
                        self.report(entry.origin, alias, f"alias `{alias}` resolves to "
                                    f"`{other}`, not to `{home}`", "an alias must be the same "
                                    "object as the canonical symbol")

    def rules(self) -> None:
        registry = self.project.registry
        for kind, entries in registry.rule_sections():
            for path, entry in sorted(entries.items()):
                state = resolves(self.project, path)
                if kind == Status.BROKEN and state == YES:
                    self.report(entry.origin, path, f"[broken] `{path}` is no longer broken: "
                                "it resolves now; remove the entry or move it to [deprecated]",
                                "remove it, or move it to [deprecated] if the path should "
                                "still be avoided")
                if kind == Status.DEPRECATED and state == NO:
                    self.report(entry.origin, path, f"[deprecated] `{path}` no longer exists: "
                                f"{self.missing(path)}", "move it to [broken] so imports of it "
                                "are reported as errors")
                if entry.use_instead and resolves(self.project, entry.use_instead) == NO:
                    self.report(entry.origin, entry.use_instead, f"use_instead "
                                f"`{entry.use_instead}` of [{kind}] `{path}` does not resolve: "
                                f"{self.missing(entry.use_instead)}",
                                "point use_instead at a path that exists")

    def modules(self) -> None:
        registry = self.project.registry
        for name, service in sorted(registry.services.items()):
            for package in service.packages:
                if not self.project.index.exists(package):
                    self.report(service.origin, package, f"service `{name}`: package "
                                f"`{package}` does not exist", "fix or remove the package")
            for public in service.public:
                if resolves(self.project, public) == NO:
                    self.report(service.origin, public, f"service `{name}`: public path "
                                f"`{public}` does not resolve", "fix or remove the path")
        for stack in registry.layers:
            for module in stack.order:
                if not self.project.index.exists(module):
                    self.report(stack.origin, module, f"layer stack `{stack.name}`: module "
                                f"`{module}` does not exist", "fix or remove the layer")
        for contract in registry.contracts:
            for module in (*contract.source, *contract.forbidden):
                if not self.project.index.exists(module):
                    self.report(contract.origin, module, f"contract `{contract.name}`: module "
                                f"`{module}` does not exist", "fix or remove the module")

    def missing(self, path: str) -> str:
        parent, _, name = path.rpartition(".")
        if parent and self.project.index.exists(parent):
            return f"`{parent}` has no `{name}`"
        return f"no module `{self.project.index.first_missing(path)}`"
