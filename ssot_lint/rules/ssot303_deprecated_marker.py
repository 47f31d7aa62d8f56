"""SSOT303 deprecated-marker."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.rules._imports import checked_imports
from ssot_lint.rules._usage import CONTEXT_PHRASES, absolute_target, marker, origins
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/core/__init__.py": "",
    "app/core/tracker.py": (
        "from warnings import deprecated\n\n"
        "@deprecated('use get_agent_state_tracker(); the old tracker leaks across users')\n"
        "def get_execution_tracker(): ...\n\n"
        "def get_agent_state_tracker(): ...\n"),
    "app/core/compat.py": "from app.core.tracker import get_execution_tracker\n",
}


class DeprecatedMarkerRule(Rule):
    """An import or use of a first-party symbol marked ``@deprecated`` in the code.

    Why: PEP 702 (``warnings.deprecated``, ``typing_extensions.deprecated``) lets the
    owner of a class or function declare the deprecation right where it is defined;
    that is a registry entry nobody has to write. Such a top-level class or function
    is treated like a ``[deprecated]`` entry whose hint is the decorator's message:
    importing it (also through a re-export) and using it (calls, annotations, base
    classes, attribute chains through a module alias) are reported. Nothing is
    reported twice: when the registry has its own ``[deprecated]`` entry for the
    symbol, SSOT111/SSOT301 report it instead.
    """

    code = "SSOT303"
    slug = "deprecated-marker"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = "Move callers off the code-level deprecated class or function to its replacement."
    severity = "warning"
    summary = "import or use of a symbol marked @deprecated (PEP 702) in the code"
    config = "(none: the marker is in the code)"
    VALID = (Example("from app.core.tracker import get_agent_state_tracker\n"
                     "get_agent_state_tracker()\n", files=_FILES),)
    INVALID = (
        Example("from app.core.compat import get_execution_tracker\n\n"
                "def run() -> None:\n    get_execution_tracker()\n",
                files=_FILES, lines=(1, 4), note="through a re-export"),
        Example("import app.core.tracker as t\nt.get_execution_tracker()\n", files=_FILES,
                lines=(2,)),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not ctx.project.has_deprecation_markers:
            return
        for ri in checked_imports(ctx):
            if ri.path is None or ri.fact.kind != "from" or ri.fact.expects_failure:
                continue
            found = self._marked(ctx, ri.path)
            if found is not None:
                where, text = found
                yield ctx.finding(self, ri.fact, f"`{where}` is marked deprecated: {text}",
                                  symbol=ri.path, hint=text)
        for ref in ctx.facts.references:
            path = absolute_target(ref.target, ctx.source)
            found = self._marked(ctx, path) if path else None
            if found is None:
                continue
            where, text = found
            phrase = CONTEXT_PHRASES.get(ref.context, "")
            yield ctx.finding(self, None, f"use of `{where}`" + (f" {phrase}" if phrase else "")
                              + f", which is marked deprecated: {text}", line=ref.line,
                              col=ref.col, symbol=path, hint=text)

    @staticmethod
    def _marked(ctx: FileContext, path: str) -> tuple[str, str] | None:
        key = ("deprecated-marker", path)
        if key not in ctx.memo:
            ctx.memo[key] = _lookup(ctx, path)
        found = ctx.memo[key]
        return found if isinstance(found, tuple) else None


def _lookup(ctx: FileContext, path: str) -> tuple[str, str] | None:
    project = ctx.project
    if not project.is_first_party(path):
        return None
    chain = origins(project, path)
    if any(match_entry(project.registry.deprecated, p) for p in chain):
        return None  # the registry says it already (SSOT111/SSOT301)
    found = marker(project, chain[-1])
    if found is None or (ctx.source.module and found[0].startswith(ctx.source.module + ".")
                         and found[0].count(".") == ctx.source.module.count(".") + 1):
        return None
    return found
