"""Allow ``python -m ssot_lint``.

``python -m`` puts the current directory first on ``sys.path``. Run inside the project
being analysed -- the usual place -- a ``click.py`` or ``json.py`` there would be
imported, that is executed, instead of the real module. So that entry is dropped before
anything else is imported (the ``ssot-lint`` console script never had it).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]

    from ssot_lint.cli import main

    main()
