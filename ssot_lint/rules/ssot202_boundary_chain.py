"""SSOT202 boundary-chain."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules._graph import graph_findings
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/db.py": "ENGINE = None\nSESSION = None\n", "app/service.py": "import app.db\n",
          "app/pure.py": "X = 1\n"}
_CONTRACT = """
[[contracts]]
name = "main stays off the database"
kind = "forbidden"
source = ["app.main"]
forbidden = ["app.db"]
reason = "main must start without a database"
owner = "team-app"
"""


class BoundaryChainRule(Rule):
    """A ``[[contracts]]`` entry of kind ``forbidden`` is broken, directly or through a chain.

    Why: some dependencies are wrong even when no single import looks wrong — the
    CLI that must start without a database, the domain that must not reach the web
    framework. A contract names ``source`` and ``forbidden`` module prefixes; every
    direct import from a source module into a forbidden one is reported (once per
    statement and imported module, naming the imported names), and unless
    ``allow_indirect = true`` so is every chain (reported at its first import, with
    the whole chain ``a -> b -> c`` in the message, once per imported module). When a
    file that could be on such a chain cannot be parsed, the contract is reported as
    "unknown — partial graph" (a warning naming the files) instead of passing
    silently. Function-level imports count; ``TYPE_CHECKING`` imports count unless
    ``policy.type_checking_imports = "ignore"``.
    """

    code = "SSOT202"
    slug = "boundary-chain"
    scope = "project"  # judged on the import graph alone
    severity = "error"
    summary = "a [[contracts]] forbidden import, direct or through a chain"
    fixable = "no"
    config = "[[contracts]] source, forbidden, allow_indirect, reason, owner"
    VALID = (
        Example("import app.pure\n", files=_FILES, registry=_CONTRACT),
        Example("import app.service\n", files=_FILES,
                registry=_CONTRACT + "allow_indirect = true\n", note="indirect allowed"),
    )
    INVALID = (
        Example("import app.db\n", files=_FILES, registry=_CONTRACT, lines=(1,)),
        Example("import app.pure\nimport app.service\n", files=_FILES, registry=_CONTRACT,
                lines=(2,), note="app.main -> app.service -> app.db"),
        Example("from app.db import (ENGINE,\n                    SESSION)\n", files=_FILES,
                registry=_CONTRACT, lines=(1,),
                note="one finding per statement and module, naming `ENGINE`, `SESSION`"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.project.registry.contracts:
            yield from graph_findings(ctx, self)
