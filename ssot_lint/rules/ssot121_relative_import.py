"""SSOT121 relative-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Edit, Finding
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/helpers.py": "def helper(): ...\n"}
_FORBID = '[policy]\nrelative_imports = "forbid"\n'


class RelativeImportRule(Rule):
    """A relative import while ``policy.relative_imports = "forbid"``.

    Why: absolute imports name the single path a symbol is registered under, so the
    registry, search and review all see the same string; relative imports hide it and
    break when files move. The message shows the absolute form, and ``ssot-lint fix``
    rewrites it.
    """

    code = "SSOT121"
    slug = "relative-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = "Write the import as an absolute import; `ssot-lint fix` rewrites these."
    severity = "warning"
    summary = "relative import while relative_imports = \"forbid\""
    fixable = "safe"
    config = "policy.relative_imports"
    VALID = (Example("from app.helpers import helper\n", files=_FILES, registry=_FORBID),
             Example("from .helpers import helper\n", files=_FILES,
                     note="relative imports allowed by default"))
    INVALID = (Example("from .helpers import helper\nfrom . import helpers\n", files=_FILES,
                       registry=_FORBID, lines=(1, 2),
                       fixed="from app.helpers import helper\nfrom app import helpers\n"),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.project.registry.policy.relative_imports != "forbid":
            return
        for ri in ctx.imports:
            fact = ri.fact
            if fact.level == 0 or fact.kind not in ("from", "star"):
                continue
            written = "." * fact.level + fact.module
            if ri.module is None:
                continue  # SSOT102 reports relative imports that cannot be resolved
            name = "*" if fact.kind == "star" else fact.name
            alias = f" as {fact.asname}" if fact.asname else ""
            yield ctx.finding(self, fact, f"relative import `from {written} import {name}`; "
                              f"use `from {ri.module} import {name}{alias}`", symbol=ri.path,
                              fix=Edit("make the import absolute", "absolute-import", written,
                                       ri.module))
