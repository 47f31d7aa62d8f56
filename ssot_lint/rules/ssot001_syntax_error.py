"""SSOT001 syntax-error."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules.base import Example, FileContext, Rule


class SyntaxErrorRule(Rule):
    """The file cannot be parsed for the project's target Python version.

    Why: a file that does not parse breaks test collection and hides every import it
    contains from every other check. Syntax is judged for ``target_version`` (default:
    the floor of ``requires-python``), not for the Python that runs ssot-lint, so a
    Python 3.12-only f-string is a finding for a 3.11 project and fine for a 3.12 one;
    the message says which version the file needs. All other files are still checked.
    """

    code = "SSOT001"
    slug = "syntax-error"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Fix the syntax error, or raise target_version if the file really targets a newer"
              " Python. Until it parses, its imports are unknown to every other check.")
    severity = "error"
    summary = "the file cannot be parsed for the target Python version"
    config = "target_version"
    VALID = (Example("x = 1\n"),)
    INVALID = (Example("def broken(:\n    pass\n", lines=(1,)),
               Example("x = 1\nprint 'python 2'\n", lines=(2,)))

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        problem = ctx.facts.problem
        if problem is not None and problem.code == self.code:
            yield ctx.finding(self, None, problem.message, line=problem.line, col=problem.col)
