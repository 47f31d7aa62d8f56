"""SSOT202 boundary-chain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ssot_lint.graph.build import chain_from, chain_text, reachable_partial, shortest_hops
from ssot_lint.graph.sites import by_statement, described, under, why
from ssot_lint.graph.violation import GraphViolation, unknown_verdict
from ssot_lint.model.registry import Contract, Registry
from ssot_lint.rules._graph import GraphRule
from ssot_lint.rules.base import Example

if TYPE_CHECKING:
    from ssot_lint.graph.analysis import GraphAnalysis

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


class BoundaryChainRule(GraphRule):
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
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Break the chain at the first import shown, or allow the indirect path in the "
              "contract if it is intended.")
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
                lines=(2,), note="app.main -> app.service -> app.db", messages=((
                    2, 8, "`app.main` indirectly imports `app.db`, forbidden by contract "
                    "'main stays off the database': app.main -> app.service -> app.db — why: "
                    "main must start without a database; owner: team-app"),)),
        Example("from app.db import (ENGINE,\n                    SESSION)\n", files=_FILES,
                registry=_CONTRACT, lines=(1,),
                note="one finding per statement and module, naming `ENGINE`, `SESSION`"),
    )

    def applies(self, registry: Registry) -> bool:
        return bool(registry.contracts)

    def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]:
        """The violations of every ``[[contracts]]`` entry, each judged on the edges that
        count (``policy.type_checking_imports``) minus its own ``ignore_imports``."""
        return [violation for contract in graph.project.registry.contracts
                for violation in _contract_violations(graph, contract)]


def _contract_violations(analysis: GraphAnalysis, contract: Contract) -> list[GraphViolation]:
    """One contract's violations: every direct import statement from a source module into
    a forbidden one, once per statement and imported module; unless ``allow_indirect``,
    every import that starts a chain to a forbidden module, once per imported module,
    with the shortest chain. Chains pass only through modules that are neither source
    nor forbidden (a chain through another source module is that module's own
    violation); a module that is both is treated as forbidden."""
    mg = analysis.modules
    keep = analysis.dependency_filter()
    graph = analysis.judged(contract.ignore_imports)
    code = BoundaryChainRule.code
    forbidden = {m for m in graph.nodes if under(m, contract.forbidden)}
    sources = {m for m in graph.nodes if under(m, contract.source) and m not in forbidden}

    def between(node: str) -> bool:
        return node not in sources and node not in forbidden

    hop = {} if contract.allow_indirect else shortest_hops(graph, forbidden, between)
    found: list[GraphViolation] = []
    tail = why(contract.reason, contract.owner)
    for module in sorted(sources):
        for succ in sorted(graph.successors(module)):
            if succ in forbidden:
                for statement in by_statement(mg.sites_of(module, succ, keep)):
                    site = statement[0]
                    found.append(GraphViolation(
                        code, site.rel, site=site, edges=((module, succ),),
                        modules=(module, succ),
                        message=(f"`{module}` imports {described(statement)}, forbidden by "
                                 f"contract '{contract.name}'{tail}"),
                        hint="remove the import or depend on an allowed module instead"))
            elif between(succ) and succ in hop:
                chain = chain_from(module, succ, hop)
                site = mg.first_site(module, succ, keep)
                found.append(GraphViolation(
                    code, site.rel, site=site, edges=tuple(zip(chain, chain[1:], strict=False)),
                    modules=tuple(chain),
                    message=(f"`{module}` indirectly imports `{chain[-1]}`, forbidden by "
                             f"contract '{contract.name}': {chain_text(mg, chain, keep)}{tail}"),
                    hint=(f"remove the import of `{succ}` or cut the chain further along "
                          "(set allow_indirect = true if only direct imports matter)")))
    if not found:
        starts = sorted(sources)
        unknown = ({m for m in starts if m in mg.partial} if contract.allow_indirect
                   else reachable_partial(graph, starts, between, mg.partial))
        if unknown:
            found.append(unknown_verdict(code, f"contract '{contract.name}'", mg.partial,
                                         unknown, analysis.problem_line))
    return found
