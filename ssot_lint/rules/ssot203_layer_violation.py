"""SSOT203 layer-violation."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules._graph import graph_findings
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/api.py": "import app.main\nROUTES = []\nAPP = None\n", "app/util.py": "X = 1\n",
          "app/helpers.py": "from app import api\n"}
_LAYERS = """
[[layers]]
name = "app layers"
order = ["app.api", "app.main", "app.util"]
reason = "the API is the entry point; nothing below may call back into it"
"""


class LayerViolationRule(Rule):
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
    warning) instead of passing silently.
    """

    code = "SSOT203"
    slug = "layer-violation"
    scope = "project"  # judged on the import graph alone
    severity = "error"
    summary = "a lower layer imports a higher layer, directly or indirectly"
    fixable = "no"
    config = "[[layers]] name, order, reason, owner; policy.type_checking_imports"
    VALID = (
        Example("import app.util\n", files=_FILES, registry=_LAYERS),
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
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.project.registry.layers:
            yield from graph_findings(ctx, self)
