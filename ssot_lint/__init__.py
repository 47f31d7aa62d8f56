"""ssot-lint: enforce a Python codebase's single-source-of-truth import registry.

This file is the first of ssot-lint's code to run under ``python -m ssot_lint``, so it
starts with the bootstrap that keeps the analysed project's files from being imported:
``python -m`` puts the current directory -- usually the project -- first on
``sys.path``, and runpy imports this package (to find ``__main__``) with that entry in
place. Every import after the first line would look in the project first: a
``__future__.py``, ``click.py`` or ``json.py`` there would run. So the entry goes before
any import, which is why this module has no ``from __future__ import annotations``
(that statement imports the ``__future__`` module at run time) and imports only ``sys``
(built into the interpreter, never looked up on ``sys.path``). What runs *before* this
line -- runpy and its imports -- is out of ssot-lint's reach: see
``docs/guarantees.md`` ("python -m").
"""

import sys as _sys

#: The ``sys.path`` entry removed by the ``python -m`` bootstrap (None: nothing removed).
#: ``ssot_lint.__main__`` uses it to tell whether a module was already imported from it.
DROPPED_PATH0 = None
if _sys.argv[:1] == ["-m"] and not getattr(_sys.flags, "safe_path", False) and _sys.path:
    # ``sys.argv[0]`` is "-m" only while runpy locates the module named by ``-m``; the
    # entry it put first on sys.path is the current directory (-P/-I leave none).
    DROPPED_PATH0 = _sys.path.pop(0)

__version__ = "0.1.0"

__all__ = ["__version__"]
