"""SSOT002 unreadable-file."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules.base import Example, FileContext, Rule


class UnreadableFileRule(Rule):
    """The file cannot be read or decoded.

    Why: permissions, a wrong PEP 263 encoding declaration, bytes that are not valid in
    the declared encoding, or null bytes mean Python cannot load the file either. The
    message says what failed and how to fix it; the run continues with the other files.
    """

    code = "SSOT002"
    slug = "unreadable-file"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Make the file readable (permissions, encoding declaration) or exclude it; "
              "oversized generated files belong in `exclude`.")
    severity = "error"
    summary = "the file cannot be read or decoded"
    VALID = (Example("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n"),)
    INVALID = (Example("# -*- coding: no-such-codec -*-\nx = 1\n", lines=(1,)),
               Example("x = 1\ny = '\x00'\n", lines=(2,)))

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        problem = ctx.facts.problem
        if problem is not None and problem.code == self.code:
            yield ctx.finding(self, None, problem.message, line=problem.line, col=problem.col)
