"""SSOT204 import-cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ssot_lint.graph.cycles import import_cycles
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.rules._graph import GraphRule
from ssot_lint.rules.base import Example

if TYPE_CHECKING:
    from ssot_lint.graph.analysis import GraphAnalysis

SHOWN_BREAKERS = 5


class ImportCycleRule(GraphRule):
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
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Remove one of the suggested cycle-breaking imports: move shared code to a third "
              "module, or make the import lazy.")
    severity = "warning"
    summary = "a cycle of module-level imports (with the imports that break it)"
    fixable = "no"
    config = "policy.cycle_imports"
    marks_all_edges = True  # `ssot-lint graph` draws every breaker of a reported cycle red
    VALID = (
        Example("import app.other\n",
                files={"app/other.py": "def later():\n    import app.main\n"},
                note="a lazy import breaks the cycle"),
        Example("from app import sub\n", files={"app/__init__.py": "from app import main\n",
                                               "app/sub.py": "X = 1\n"},
                note="a package importing its own submodules"),
    )
    INVALID = (
        Example("import app.other\n", files={"app/other.py": "import app.main\n"}, lines=(1,),
                messages=((1, 8, "import cycle: app.main -> app.other -> app.main; to break it, "
                           "make lazy or remove 1 import: `app.main` -> `app.other` "
                           "(app/main.py:1)"),)),
        Example("import app.other\n", files={"app/other.py": "def later():\n    import app.main\n"},
                registry='[policy]\ncycle_imports = "all"\n', lines=(1,),
                note="lazy imports counted by policy"),
    )

    def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]:
        """One violation per cycle of the imports the policy counts, at its first breaker."""
        mg = graph.modules
        keep = graph.cycle_filter()
        found = []
        for cycle in import_cycles(mg.filtered(keep)):
            members, breakers = cycle.members, cycle.breakers
            site = mg.first_site(*breakers[0], keep)
            listed = ", ".join(
                f"`{a}` -> `{b}` "
                f"({mg.first_site(a, b, keep).rel}:{mg.first_site(a, b, keep).fact.line})"
                for a, b in breakers[:SHOWN_BREAKERS])
            more = (f" and {len(breakers) - SHOWN_BREAKERS} more"
                    if len(breakers) > SHOWN_BREAKERS else "")
            size = f"{len(members)} modules" if len(members) > len(cycle.path) - 1 else ""
            message = f"import cycle: {' -> '.join(cycle.path)}"
            if size:
                message += f" (one of the cycles among {size}: {', '.join(members[:8])}"
                message += ", ...)" if len(members) > 8 else ")"
            plural = "s" if len(breakers) > 1 else ""
            message += (f"; to break it, make lazy or remove {len(breakers)} import{plural}: "
                        f"{listed}{more}")
            found.append(GraphViolation(
                self.code, site.rel, message, site=site, edges=breakers, modules=members,
                hint=("move the import into the function that needs it, import the module "
                      "instead of a name from it, or move the shared code to a third module")))
        return found
