"""SSOT203: a lower layer must not import a higher one, directly or indirectly.

A ``[[layers]]`` stack lists module prefixes highest first; a module is in the layer
whose prefix is its longest match. For each module of a lower layer and each higher
layer it reaches, one violation is reported at the first import of the shortest
chain. Chains pass only through modules *outside* the stack: a chain through another
layered module is that module's own violation (or a legal step), so each finding
points at the import that is actually wrong.
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
from ssot_lint.graph.sites import under, why
from ssot_lint.graph.violation import GraphViolation, unknown_verdict
from ssot_lint.model.registry import Layers

CODE = "SSOT203"


def layer_violations(mg: ModuleGraph, graph: nx.DiGraph, stack: Layers, keep: SitePredicate,
                     problem_line: dict[str, tuple[int, int]]) -> list[GraphViolation]:
    layer_of: dict[str, int] = {}
    for module in graph.nodes:
        prefix = under(module, stack.order)
        if prefix is not None:
            layer_of[module] = stack.order.index(prefix)

    def outside(node: str) -> bool:
        return node not in layer_of

    found: list[GraphViolation] = []
    for higher in range(len(stack.order) - 1):
        targets = {m for m, i in layer_of.items() if i == higher}
        hop = shortest_hops(graph, targets, outside)
        for module in sorted(m for m, i in layer_of.items() if i > higher):
            best: tuple[int, str] | None = None
            for succ in sorted(graph.successors(module)):
                if layer_of.get(succ) == higher:
                    length = 1
                elif outside(succ) and succ in hop:
                    length = len(chain_from(module, succ, hop)) - 1
                else:
                    continue
                if best is None or (length, succ) < best:
                    best = (length, succ)
            if best is not None:
                found.append(_violation(mg, stack, module, layer_of[module], higher,
                                        chain_from(module, best[1], hop), keep))
    if not found:
        lower = sorted(m for m, i in layer_of.items() if i > 0)
        unknown = reachable_partial(graph, lower, outside, mg.partial)
        if unknown:
            found.append(unknown_verdict(CODE, f"layer stack '{stack.name}'", mg.partial,
                                         unknown, problem_line))
    return found


def _violation(mg: ModuleGraph, stack: Layers, module: str, own: int, higher: int,
               chain: list[str], keep: SitePredicate) -> GraphViolation:
    site = mg.first_site(chain[0], chain[1], keep)
    how = "imports" if len(chain) == 2 else "indirectly imports"
    message = (f"`{module}` (layer `{stack.order[own]}`) {how} `{chain[-1]}` from the higher "
               f"layer `{stack.order[higher]}` of '{stack.name}'")
    if len(chain) > 2:
        message += ": " + chain_text(mg, chain, keep)
    message += f"; lower layers may not import higher ones{why(stack.reason, stack.owner)}"
    hint = ("invert the dependency (pass it in, or move the shared code down a layer)"
            if len(chain) == 2 else
            f"remove or move the import of `{chain[1]}`, or cut the chain further along")
    edges = tuple(zip(chain, chain[1:], strict=False))
    return GraphViolation(CODE, site.rel, message, site=site, hint=hint, edges=edges,
                          modules=tuple(chain))
