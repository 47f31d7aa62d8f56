"""Allow ``python -m ssot_lint``.

The current directory was removed from ``sys.path`` by ``ssot_lint/__init__.py``, which
runs before this file (see there). What that bootstrap cannot undo is a module the
interpreter imported from the current directory before ssot-lint's first line ran
(runpy's own imports, e.g. ``contextlib.py``): that code has run already, so the results
of this process cannot be trusted. The run is refused, naming the module and the safe
ways to start ssot-lint.
"""

from __future__ import annotations

import os
import sys


def shadowing_modules(directory: str | None) -> list[str]:
    """Names of imported modules whose file lies directly in ``directory``.

    ssot-lint's own package is skipped (running from a source checkout is legitimate).
    """
    if not directory:
        return []
    base = os.path.realpath(directory)
    found = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or name.partition(".")[0] == "ssot_lint":
            continue
        path = os.path.realpath(file)
        top = os.path.dirname(path)
        if os.path.basename(path) == "__init__.py":
            top = os.path.dirname(top)
        if top == base:
            found.append(name)
    return sorted(found)


if __name__ == "__main__":
    import ssot_lint

    shadows = shadowing_modules(ssot_lint.DROPPED_PATH0)
    if shadows:
        print(f"ssot-lint: error: python -m imported {', '.join(shadows)} from the current "
              "directory before ssot-lint started (that code has run); start ssot-lint with "
              "`ssot-lint` or `python -P -m ssot_lint` instead", file=sys.stderr)
        sys.exit(2)

    from ssot_lint.cli import main

    main()
