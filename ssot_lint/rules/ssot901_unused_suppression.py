"""SSOT901 unused-suppression."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ssot_lint.graph.analysis import analysis_of
from ssot_lint.model.finding import Finding
from ssot_lint.resolve.project import Project
from ssot_lint.rules.base import Example, FileContext, Rule, registry_finding

_FILES = {"app/agents/__init__.py": "", "app/agents/registry.py": "class AgentRegistry: ...\n"}


class UnusedSuppressionRule(Rule):
    """An inline ``# ssot-lint: ignore[...]`` comment, or a registry ``ignore_imports``
    entry, that suppressed nothing.

    Why: once an import is fixed its suppression comment stays behind and would
    silently hide the next real problem on that line. Only codes that are enabled in
    this run are judged, so ``--select`` does not make suppressions look unused. The
    engine asks (:meth:`unused`) after all other rules ran, with what each suppression
    suppressed.
    A ``ignore_imports = ["a.b -> c.*"]`` entry on a service, layer stack or contract
    is the same kind of exemption: when it matches no import edge of the project any
    more, it is reported at its line in the registry.
    """

    code = "SSOT901"
    slug = "unused-suppression"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = "Delete the `# ssot-lint: ignore` comment: it no longer suppresses anything."
    severity = "warning"
    summary = "inline suppression or registry ignore_imports entry that suppressed nothing"
    VALID = (Example("from app.agents.missing import x  # ssot-lint: ignore[SSOT102]\n",
                     files=_FILES),)
    INVALID = (Example("from app.agents.registry import AgentRegistry  # ssot-lint: "
                       "ignore[SSOT102]\n", files=_FILES, lines=(1,), messages=((
                           1, 48, "`# ssot-lint: ignore[SSOT102]` suppresses nothing here; "
                           "remove it"),)),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        """Nothing here: whether a suppression was used is known only after the others ran."""
        return iter(())

    def unused(self, ctx: FileContext, used: Mapping[int, set[str]],
               enabled: Callable[[str], bool]) -> list[Finding]:
        """A finding for each inline suppression of ``ctx``'s file that suppressed nothing.

        ``used`` maps the index of a suppression in ``ctx.facts.suppressions`` to the codes
        it suppressed; ``enabled`` says whether this run judges a code. A bare ``ignore``
        is judged only when every rule ran: it may be for a rule this run did not select.
        """
        from ssot_lint.rules import all_rules

        found: list[Finding] = []
        for index, suppression in enumerate(ctx.facts.suppressions):
            kind = "ignore-file" if suppression.file_level else "ignore"
            if suppression.codes:
                unused = [c for c in suppression.codes
                          if c not in used.get(index, set()) and enabled(c)]
                if not unused:
                    continue
                what = f"`# ssot-lint: {kind}[{', '.join(unused)}]` suppresses nothing here"
            elif index in used or not all(enabled(r.code) for r in all_rules()):
                continue
            else:
                what = f"`# ssot-lint: {kind}` suppresses nothing here"
            found.append(ctx.finding(self, None, what + "; remove it",
                                     line=suppression.line, col=suppression.col))
        return found

    def unused_ignore_imports(self, project: Project, cwd: Path | None) -> list[Finding]:
        """A finding for each registry ``ignore_imports`` entry that matches no import.

        An exemption that exempts nothing is an unused suppression, as an inline comment
        that suppresses nothing is: reported at the registry line, so it gets removed
        before it silently exempts the next import that happens to match. Edges count
        as they do for SSOT201-SSOT203 (``policy.type_checking_imports``).
        """
        graph = analysis_of(project)
        keep = graph.dependency_filter()
        edges = [edge for edge, sites in sorted(graph.modules.sites.items())
                 if any(keep(site) for site in sites)]
        return [registry_finding(self, entry.origin,
                                 f"{owner} ignore_imports entry `{entry.text}` matches no "
                                 "import; remove it", cwd=cwd, symbol=entry.text)
                for owner, entry in project.registry.ignore_entries()
                if not any(entry.matches(a, b) for a, b in edges)]
