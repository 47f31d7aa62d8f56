"""SSOT202: ``[[contracts]]`` of kind ``forbidden`` — source modules must not reach
forbidden ones.

Every direct import statement from a source module into a forbidden one is reported
where it is written, once per statement and imported module (naming the imported
names). Unless ``allow_indirect = true``, a source module that reaches a
forbidden module through other modules is reported at the first import of the chain,
once per imported module, with the shortest chain. Chains pass only through modules
that are neither source nor forbidden (a chain through another source module is that
module's own violation). A module that is both source and forbidden is treated as
forbidden: imports inside the forbidden set are not the contract's business.
"""

from __future__ import annotations

import networkx as nx

from ssot_lint.graph.build import (
    ModuleGraph,
    SitePredicate,
    chain_from,
    chain_text,
    reachable_partial,
    shortest_hops,
)
from ssot_lint.graph.sites import by_statement, described, under, why
from ssot_lint.graph.violation import GraphViolation, unknown_verdict
from ssot_lint.model.registry import Contract

CODE = "SSOT202"


def contract_violations(mg: ModuleGraph, graph: nx.DiGraph, contract: Contract,
                        keep: SitePredicate,
                        problem_line: dict[str, tuple[int, int]]) -> list[GraphViolation]:
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
                        CODE, site.rel, site=site, edges=((module, succ),),
                        modules=(module, succ),
                        message=(f"`{module}` imports {described(statement)}, forbidden by "
                                 f"contract '{contract.name}'{tail}"),
                        hint="remove the import or depend on an allowed module instead"))
            elif between(succ) and succ in hop:
                chain = chain_from(module, succ, hop)
                site = mg.first_site(module, succ, keep)
                found.append(GraphViolation(
                    CODE, site.rel, site=site, edges=tuple(zip(chain, chain[1:], strict=False)),
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
            found.append(unknown_verdict(CODE, f"contract '{contract.name}'", mg.partial,
                                         unknown, problem_line))
    return found
