"""SSOT204 import-cycle."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules._graph import graph_findings
from ssot_lint.rules.base import Example, FileContext, Rule


class ImportCycleRule(Rule):
    """Modules import each other when they are imported: an import cycle.

    Why: with a cycle, which module is half-initialised depends on which one is
    imported first, so ``ImportError: cannot import name ... (most likely due to a
    circular import)`` appears in one entry point and not another. Only imports that
    run at import time count (module level, class bodies, ``try/except ImportError``);
    imports inside functions are the usual cure and do not count unless
    ``policy.cycle_imports = "all"``; ``TYPE_CHECKING`` imports never count. A package
    whose ``__init__`` imports its own submodules is not a cycle (a submodule does not
    depend on its parent package unless it imports it). One finding per cycle
    (strongly connected component), at the first import of its first cycle breaker;
    the message lists a cycle and the fewest imports whose removal breaks them all.
    """

    code = "SSOT204"
    slug = "import-cycle"
    scope = "project"  # judged on the import graph alone
    severity = "warning"
    summary = "a cycle of module-level imports (with the imports that break it)"
    fixable = "no"
    config = "policy.cycle_imports"
    VALID = (
        Example("import app.other\n",
                files={"app/other.py": "def later():\n    import app.main\n"},
                note="a lazy import breaks the cycle"),
        Example("from app import sub\n", files={"app/__init__.py": "from app import main\n",
                                               "app/sub.py": "X = 1\n"},
                note="a package importing its own submodules"),
    )
    INVALID = (
        Example("import app.other\n", files={"app/other.py": "import app.main\n"}, lines=(1,)),
        Example("import app.other\n", files={"app/other.py": "def later():\n    import app.main\n"},
                registry='[policy]\ncycle_imports = "all"\n', lines=(1,),
                note="lazy imports counted by policy"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from graph_findings(ctx, self)
