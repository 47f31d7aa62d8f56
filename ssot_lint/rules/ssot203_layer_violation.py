"""SSOT203 layer-violation."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Layers, Registry
from ssot_lint.rules._graph import EDGE_KEY, GraphRule
from ssot_lint.rules.base import Example
from ssot_lint.rules.ssot201_boundary_violation import BoundaryViolationRule

if TYPE_CHECKING:
    from ssot_lint.graph.analysis import GraphAnalysis

_FILES = {"app/api.py": "import app.main\nROUTES = []\nAPP = None\n", "app/util.py": "X = 1\n",
          "app/helpers.py": "from app import api\n"}
_LAYERS = """
[[layers]]
name = "app layers"
order = ["app.api", "app.main", "app.util"]
reason = "the API is the entry point; nothing below may call back into it"
"""


class LayerViolationRule(GraphRule):
    """A module in a lower layer imports a module of a higher layer, directly or indirectly.

    Why: layers keep dependencies pointing one way (routes -> services -> db), so a
    lower layer can be reused, tested and changed without dragging the upper ones
    along. Each ``[[layers]]`` entry lists module prefixes, highest first; a module is
    in the layer of its longest matching prefix. An indirect violation goes through
    modules outside the stack and is reported at the first import on the shortest
    chain, with the chain in the message; there is one finding per (importing module,
    higher layer) pair. A chain through another layered module is that module's own
    finding. A direct violation (no chain) whose import SSOT201 already reports for
    the same edge is not repeated: the service boundary finding is kept, and
    SSOT203 stays when it shows a chain, or when SSOT201 is not selected or is
    suppressed there. If a file that could be on such a chain cannot be parsed and nothing
    else breaks the stack, the stack is reported as "unknown — partial graph" (a
    warning) instead of passing silently. With ``exhaustive = true`` (import-linter's
    idea), every module directly inside a package that holds a layer must be in a
    layer: one that is not is reported in its own file, so a new module is placed in
    the stack instead of sitting outside it, where chains pass through it unjudged.
    """

    code = "SSOT203"
    slug = "layer-violation"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Move the code to the right layer or invert the dependency (pass the higher-layer"
              " object in) so lower layers never import higher ones.")
    severity = "error"
    summary = "a lower layer imports a higher layer, directly or indirectly"
    fixable = "no"
    config = "[[layers]] name, order, reason, owner, exhaustive; policy.type_checking_imports"
    VALID = (
        Example("import app.util\n", files=_FILES, registry=_LAYERS),
        Example("import app.util\n", files=_FILES, registry=_LAYERS + "exhaustive = true\n",
                note="exhaustive: app.main is placed (app.helpers is not: reported in its file)"),
    )
    INVALID = (
        Example("from app import api\n", files=_FILES, registry=_LAYERS, lines=(1,)),
        Example("import app.util\nimport app.helpers\n", files=_FILES, registry=_LAYERS,
                lines=(2,), note="app.main -> app.helpers -> app.api"),
        Example("from app.api import (\n    ROUTES,\n    APP,\n)\n", files=_FILES,
                registry=_LAYERS, lines=(2,), note="one finding per statement"),
        Example("from app.api import APP\n", files=_FILES,
                registry=_LAYERS + '[services.web]\npackages = ["app.api"]\n'
                '[services.core]\npackages = ["app.main"]\n', lines=(),
                note="SSOT201 reports this import of this edge: not repeated"),
        Example("import app.util\n", files=_FILES, registry=_LAYERS.replace(
                    '"app.main", ', "") + "exhaustive = true\n", lines=(1,), messages=((
                    1, 1, "`app.main` is in no layer of 'app layers', which must place every "
                    "module of `app` (exhaustive = true) — why: the API is the entry point; "
                    "nothing below may call back into it"),),
                note="exhaustive = true: a module of the stack's package in no layer"),
    )

    def applies(self, registry: Registry) -> bool:
        return bool(registry.layers)

    @staticmethod
    def drop_repeated(found: list[Finding]) -> list[Finding]:
        """A file's finished findings without each *direct* SSOT203 finding that SSOT201
        reports for the same import of the same edge.

        Both would point at one statement and say "this import crosses a line you drew";
        SSOT201 (the service boundary) is kept. An indirect SSOT203 (a chain) adds the
        chain, so it stays; so does every SSOT203 when SSOT201 is not selected or its
        finding there is suppressed (the engine calls this on the finished list).
        """
        boundary = {(f.line, f.column, value) for f in found
                    if f.code == BoundaryViolationRule.code
                    for key, value in f.extra if key == EDGE_KEY}
        if not boundary:
            return found
        return [f for f in found if f.code != LayerViolationRule.code
                or not any(key == EDGE_KEY and (f.line, f.column, value) in boundary
                           for key, value in f.extra)]

    def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]:
        """The violations of every ``[[layers]]`` stack, each judged on the edges that
        count (``policy.type_checking_imports``) minus its own ``ignore_imports``."""
        found = []
        for stack in graph.project.registry.layers:
            found += _stack_violations(graph, stack)
            if stack.exhaustive:
                found += _unlisted(graph, stack)
        return found


def _stack_violations(analysis: GraphAnalysis, stack: Layers) -> list[GraphViolation]:
    """One stack's violations: for each module of a lower layer and each higher layer it
    reaches, one violation at the first import of the shortest chain. Chains pass only
    through modules *outside* the stack: a chain through another layered module is that
    module's own violation (or a legal step), so each finding points at the import that
    is actually wrong."""
    mg = analysis.modules
    keep = analysis.dependency_filter()
    graph = analysis.judged(stack.ignore_imports)
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
            found.append(unknown_verdict(LayerViolationRule.code, f"layer stack '{stack.name}'",
                                         mg.partial, unknown, analysis.problem_line))
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
    return GraphViolation(LayerViolationRule.code, site.rel, message, site=site, hint=hint,
                          edges=edges, modules=tuple(chain))


def _unlisted(analysis: GraphAnalysis, stack: Layers) -> list[GraphViolation]:
    """``exhaustive = true``: a module directly inside a package that holds a layer, but
    in no layer, reported in its own file (a namespace package: its first file).

    The packages are the parents of the ``order`` entries; a child that is itself such
    a package is judged through its own children. Without this, a new module would sit
    outside the stack, where chains may pass through it unjudged.
    """
    mg = analysis.modules
    containers = {entry.rpartition(".")[0] for entry in stack.order}
    found = []
    for module in sorted(mg.graph.nodes):
        parent = module.rpartition(".")[0]
        if parent not in containers or module in containers or \
                under(module, stack.order) is not None:
            continue
        rel = mg.file_of.get(module) or min(
            (rel for name, rel in mg.file_of.items() if name.startswith(module + ".")),
            default=None)
        if rel is None:
            continue
        where = f"`{parent}`" if parent else "the project"
        found.append(GraphViolation(
            LayerViolationRule.code, rel, modules=(module,),
            message=(f"`{module}` is in no layer of '{stack.name}', which must place every "
                     f"module of {where} (exhaustive = true){why(stack.reason, stack.owner)}"),
            hint=f"add `{module}` to the stack's order where it belongs (highest first)"))
    return found
