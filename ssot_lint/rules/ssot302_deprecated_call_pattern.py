"""SSOT302 deprecated-call-pattern."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.references import Reference
from ssot_lint.model.registry import Pattern
from ssot_lint.rules._usage import absolute_target, origins
from ssot_lint.rules.base import Example, FileContext, Rule, advice

_FILES = {
    "app/engine/__init__.py": "from app.engine.execution import ExecutionEngine\n",
    "app/engine/execution.py": "class ExecutionEngine:\n    def __init__(self, ctx=None): ...\n"
                               "def run(task, *, legacy=False, timeout=None): ...\n",
}
_REGISTRY = """
[[patterns]]
call = "app.engine.execution.ExecutionEngine"
when = "no-args"
hint = "an engine without a context is shared between users"
use_instead = "app.engine.create_request_scoped_engine"

[[patterns]]
call = "app.engine.execution.run"
when = "keyword:legacy"
hint = "the legacy path is going away"

[[patterns]]
call = "app.engine.execution.run"
when = "keyword:!timeout"
hint = "always pass a timeout"
"""


def shape_matches(when: str, ref: Reference) -> bool:
    """Does a call with ``ref``'s arguments have the shape ``when`` describes?

    A call with ``*args`` or ``**kwargs`` could have any shape, so only ``always``,
    ``has-args`` and ``keyword:NAME`` (when NAME is spelled out) can match it.
    """
    head, _, arg = when.partition(":")
    if head == "always":
        return True
    if head == "has-args":
        return bool(ref.positional or ref.keywords or ref.star)
    if head == "keyword" and not arg.startswith("!"):
        return arg in ref.keywords
    if ref.star:
        return False
    if head == "no-args":
        return not ref.positional and not ref.keywords
    if head == "positional":
        return arg.isdigit() and ref.positional >= int(arg)
    if head == "keyword":
        return arg[1:] not in ref.keywords
    return False


class DeprecatedCallPatternRule(Rule):
    """A call whose *shape* a registry ``[[patterns]]`` entry declares deprecated.

    Why: sometimes the symbol is fine but one way of calling it is not — an
    ``ExecutionEngine()`` without a user context, a ``legacy=True`` flag. A pattern
    names the callable by its dotted path (matched through ``as`` aliases, module
    aliases and re-exports, like SSOT301) and a shape in ``when``: ``always``,
    ``no-args``, ``has-args``, ``positional:N`` (at least N positional arguments),
    ``keyword:NAME`` (NAME passed) or ``keyword:!NAME`` (NAME not passed). No regular
    expressions on source: only calls the parser sees. A call that spreads ``*args``
    or ``**kwargs`` is only matched by shapes it certainly has.
    """

    code = "SSOT302"
    slug = "deprecated-call-pattern"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = "Rewrite the call as the pattern's hint says."
    severity = "warning"
    summary = "call shape declared deprecated by a registry [[patterns]] entry"
    config = "[[patterns]] call, when, hint, use_instead, severity"
    message = "{shape} of `{call}` is deprecated{advice}"
    VALID = (Example("from app.engine import ExecutionEngine\n"
                     "from app.engine.execution import run\n"
                     "ExecutionEngine(ctx=object())\nrun(1, timeout=3)\n"
                     "def f(ExecutionEngine):\n    return ExecutionEngine()\n",
                     files=_FILES, registry=_REGISTRY),)
    INVALID = (Example("import app.engine.execution as ex\n"
                       "from app.engine import ExecutionEngine as E\n"
                       "E()\nex.run(1, legacy=True, timeout=2)\nex.run(2)\n",
                       files=_FILES, registry=_REGISTRY, lines=(3, 4, 5), messages=(
                           (3, 1, "a call without arguments of "
                                  "`app.engine.execution.ExecutionEngine` is deprecated: an "
                                  "engine without a context is shared between users; use "
                                  "`app.engine.create_request_scoped_engine` instead"),
                           (4, 1, "a call with `legacy=` of `app.engine.execution.run` is "
                                  "deprecated: the legacy path is going away"),
                           (5, 1, "a call without `timeout=` of `app.engine.execution.run` is "
                                  "deprecated: always pass a timeout"))),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        patterns = ctx.project.registry.patterns
        if not patterns:
            return
        calls = {p.call for p in patterns}
        for ref in ctx.facts.references:
            if ref.context != "call":
                continue
            path = absolute_target(ref.target, ctx.source)
            if path is None:
                continue
            key = ("call-origins", path)
            shared = ctx.project.shared  # the same for every file
            if key not in shared:
                shared[key] = [p for p in origins(ctx.project, path) if p in calls]
            hits = shared[key]
            assert isinstance(hits, list)
            for pattern in patterns:
                if pattern.call in hits and shape_matches(pattern.when, ref):
                    yield ctx.finding(self, None, _message(pattern), line=ref.line,
                                      col=ref.col, severity=pattern.severity,
                                      hint=pattern.hint, symbol=pattern.call)


def _message(pattern: Pattern) -> str:
    shape = {"always": "any call", "no-args": "a call without arguments",
             "has-args": "a call with arguments"}.get(pattern.when)
    if shape is None:
        head, _, arg = pattern.when.partition(":")
        if head == "positional":
            shape = f"a call with {arg} or more positional arguments"
        elif arg.startswith("!"):
            shape = f"a call without `{arg[1:]}=`"
        else:
            shape = f"a call with `{arg}=`"
    return DeprecatedCallPatternRule.render(shape=shape, call=pattern.call,
                                            advice=advice(pattern.hint, pattern.use_instead))
