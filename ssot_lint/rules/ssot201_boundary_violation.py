"""SSOT201 boundary-violation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ssot_lint.graph.services import ServiceMap, boundary_violation
from ssot_lint.graph.sites import by_statement, import_sites
from ssot_lint.model.finding import Finding
from ssot_lint.rules._graph import edge_marker
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"billing/api.py": "def charge(): ...\ndef refund(): ...\n",
          "billing/ledger.py": "ROWS = []\n"}
_SERVICES = """
[services.app]
packages = ["app"]
may_import = {may_import}
reason = "app is deployed alone"
owner = "team-app"

[services.billing]
packages = ["billing"]
{public}
"""


def _registry(may_import: str = "[]", public: str = "") -> str:
    return _SERVICES.format(may_import=may_import, public=public)


class BoundaryViolationRule(Rule):
    """A module of one service imports a module of another service it may not import.

    Why: services are deployed, owned and released separately; an import across a
    boundary that the registry does not allow couples them (one breaks when the other
    changes, or fails to start where the other is not installed). A module belongs to
    the service whose ``packages`` entry is its longest prefix; modules in no service
    are not checked. A service may always import itself, the services in its
    ``may_import`` (``"*"`` = any), and nothing else. Imports inside functions count
    (they run too); ``TYPE_CHECKING`` imports count unless
    ``policy.type_checking_imports = "ignore"``. When the imported service lists
    ``public`` modules, other services may import it only through them (or their
    submodules). The message names both services, the allowed list, and the rule's
    ``reason`` and ``owner``. There is one finding per import statement and imported
    module, at its first name: ``from billing.api import (charge, refund)`` is one
    finding naming `charge`, `refund`; ``from billing import api, ledger`` is two
    (two modules, two edges).
    """

    code = "SSOT201"
    slug = "boundary-violation"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Depend on the other service through an allowed path (a shared package or its "
              "public API), or, if the dependency is intended, add it to `may_import` with a "
              "reason.")
    severity = "error"
    summary = "a service imports a service not in its may_import (or a non-public module)"
    fixable = "no"
    graph = True
    config = "[services] packages, may_import, public, reason, owner; policy.type_checking_imports"
    VALID = (
        Example("from billing.api import charge\n", files=_FILES,
                registry=_registry('["billing"]')),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from billing.api import charge\n", files=_FILES,
                registry='[policy]\ntype_checking_imports = "ignore"\n' + _registry(),
                note="TYPE_CHECKING imports ignored by policy"),
        Example("from billing.api import charge\n", files=_FILES,
                registry=_registry('["billing"]', 'public = ["billing.api"]')),
    )
    INVALID = (
        Example("from billing.api import charge\n", files=_FILES, registry=_registry(),
                lines=(1,)),
        Example("def pay():\n    import billing.api\n", files=_FILES, registry=_registry(),
                lines=(2,), note="function-level imports count"),
        Example("from billing import ledger\n", files=_FILES,
                registry=_registry('["billing"]', 'public = ["billing.api"]'), lines=(1,),
                note="not through the public module"),
        Example("from billing.api import (\n    charge,\n    refund,\n)\n", files=_FILES,
                registry=_registry(), lines=(2,),
                note="one finding per statement and module, naming `charge`, `refund`"),
        Example("from billing import api, ledger\n", files=_FILES, registry=_registry(),
                lines=(1, 1), note="two modules: two edges, two findings"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        registry = ctx.project.registry
        if not registry.services:
            return
        services = ServiceMap(registry.services)
        for statement in by_statement(import_sites(ctx.project, ctx.source)):
            site = statement[0]
            violation = boundary_violation(site, services, registry, statement)
            if violation is not None:
                finding = ctx.finding(self, site.fact, violation.message, hint=violation.hint,
                                      symbol=site.target)
                yield replace(finding, extra=(edge_marker(site.importer, site.target),))
