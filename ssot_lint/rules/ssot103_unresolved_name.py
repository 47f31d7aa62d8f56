"""SSOT103 unresolved-name."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules._imports import (
    MISSING_NAME,
    TYPE_CHECKING_ONLY,
    broken_entry,
    checked_imports,
    guarded_severity,
    status_of,
)
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/core/__init__.py": "",
    "app/core/tracker.py": (
        "from typing import TYPE_CHECKING\n"
        "from app.core.base import *\n"
        "if TYPE_CHECKING:\n"
        "    from app.core.types import Hint\n"
        "class AgentExecutionTracker: ...\n"
        "def get_execution_tracker(): ...\n"
    ),
    "app/core/base.py": "__all__ = ['BaseTracker']\nclass BaseTracker: ...\nclass Hidden: ...\n",
    "app/core/types.py": "class Hint: ...\n",
}
# PEP 562 with literal tests: serves exactly "Tracker" and "LEGACY"
_LAZY = {**_FILES, "app/core/lazy.py": (
    "def __getattr__(name):\n"
    "    if name == 'Tracker':\n"
    "        from app.core.tracker import AgentExecutionTracker\n"
    "        return AgentExecutionTracker\n"
    "    if name in {'LEGACY'}:\n"
    "        return None\n"
    "    raise AttributeError(name)\n")}
# a lazy facade (transformers' pattern): what it binds for type checkers runs too; a
# plain module with a star import under TYPE_CHECKING binds it for type checkers only
_TYPED = {
    **_FILES,
    "app/core/facade.py": (
        "import sys\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from app.core.tracker import AgentExecutionTracker\n"
        "    from app.core.base import *\n"
        "else:\n"
        "    sys.modules[__name__] = _LazyModule(__name__, _import_structure)\n"),
    "app/core/typed.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from app.core.base import *\n"),
}
# compiled (names unknown), stub-only (names from the .pyi), and a .py with its stub
_NATIVE = {
    "app/core/__init__.py": "",
    "app/core/_speedups.cpython-311-x86_64-linux-gnu.so": "",
    "app/core/_native.pyi": "def checksum(data: bytes) -> int: ...\n",
    "app/core/both.py": "def run(): ...\n",
    "app/core/both.pyi": "def run() -> None: ...\ndef only_typed() -> None: ...\n",
}


class UnresolvedNameRule(Rule):
    """``from first_party.mod import Name`` where ``Name`` does not exist in ``mod``.

    Why: the import raises ``ImportError`` at load time. A name exists when the module
    defines it, binds it by an import (a re-export), has a submodule of that name,
    provides it through a first-party star import (followed transitively, honouring
    ``__all__``, also under ``if TYPE_CHECKING:``), or serves it dynamically. A name
    bound only under ``if TYPE_CHECKING:`` (directly or by a star import there) does not
    exist at runtime, so importing it outside a ``TYPE_CHECKING`` block is reported too,
    with that explanation. A module that cannot be parsed is never used to report
    missing names.

    Dynamic attributes: a module-level ``__getattr__`` whose tests compare the name with
    literals (``name == "x"``, ``name in {...}``, a module-level literal dict or list)
    and otherwise raise ``AttributeError`` serves exactly those names, so any other name
    is reported; any other ``__getattr__`` (``__getattr__ = make(...)`` included), a
    ``sys.modules[__name__]`` replacement or ``lazy_loader.attach`` with computed
    arguments makes other names unknown (never reported), and such a lazy facade
    provides its ``TYPE_CHECKING`` names at run time. ``lazy_loader.attach_stub`` serves
    the names of the package's ``__init__.pyi``.

    Compiled and stub modules: a compiled extension (``.so``, ``.pyd``, any platform
    tag) or Cython ``.pyx`` has unknown names, never reported. A stub-only module's
    names are its ``.pyi``'s. When ``foo.py`` and ``foo.pyi`` both exist, the ``.py``
    runs, so its names decide; a name only the stub declares is reported like a
    ``TYPE_CHECKING`` name (fine to import for type checkers).
    """

    code = "SSOT103"
    slug = "unresolved-name"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("The name is not defined in that module: import it from where it is defined (the "
              "message suggests it), or register the canonical home in [symbols].")
    severity = "error"
    summary = "imported name does not exist in the first-party module"
    config = "policy.guarded_imports"
    VALID = (
        Example("from app.core.tracker import AgentExecutionTracker, get_execution_tracker\n"
                "from app.core.tracker import BaseTracker\nfrom app.core import tracker\n",
                files=_FILES),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from app.core.tracker import Hint\n"
                "    from app.core.typed import BaseTracker\n", files=_TYPED),
        Example("from app.core.lazy import Tracker, LEGACY\n", files=_LAZY),
        Example("from app.core.facade import AgentExecutionTracker, BaseTracker\n",
                files=_TYPED),
        Example("from app.core._speedups import anything\n"
                "from app.core._native import checksum\n"
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from app.core.both import only_typed\n", files=_NATIVE),
        Example("from app.core.parser import Parser\n",
                files={"app/core/parser.py": "exec(r\"\"\"\nclass Parser: ...\n\"\"\")\n"},
                note="the module defines its names by exec at module level (twisted's "
                     "xpathparser): they are computed, so unknown"),
        Example("from google import protobuf\n",
                files={"google/.namespace": "", "google/api_core/__init__.py": ""},
                registry='[project]\npackages = ["google"]\n',
                note="google/ is an open namespace package: another installed distribution "
                     "may provide google.protobuf"),
    )
    INVALID = (
        Example("from app.core.tracker import ExecutionTracker\n", files=_FILES, lines=(1,)),
        Example("from app.core.tracker import Hidden, Hint\n", files=_FILES, lines=(1, 1)),
        Example("from app.core.lazy import Tracker\nfrom app.core.lazy import Missing\n",
                files=_LAZY, lines=(2,),
                note="`app.core.lazy` has no name `Missing` (its __getattr__ serves Tracker, "
                     "LEGACY)"),
        Example("from app.core.typed import BaseTracker\n", files=_TYPED, lines=(1,),
                note="only bound under TYPE_CHECKING, through the star import"),
        Example("from app.core.both import run, only_typed\n"
                "from app.core._native import crc\n", files=_NATIVE, lines=(1, 2),
                note="`only_typed` is declared only in the stub `both.pyi`; the stub-only "
                     "`_native` has no `crc`"),
        Example("from app.plugins import missing\n",
                files={"app/plugins/.namespace": "", "app/plugins/base.py": ""}, lines=(1,),
                note="app.plugins is a namespace directory below the regular package app: "
                     "closed, so `missing` cannot come from elsewhere"),
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        policy = ctx.project.registry.policy
        for ri in checked_imports(ctx):
            if ri.fact.expects_failure:
                continue
            status = status_of(ctx, ri)
            if status.status not in (MISSING_NAME, TYPE_CHECKING_ONLY):
                continue
            if broken_entry(ctx, ri) is not None:
                continue
            if status.status == TYPE_CHECKING_ONLY \
                    and (ri.fact.in_type_checking or ctx.source.is_stub):
                continue  # read by type checkers only, which see these names
            severity = guarded_severity(policy, ri, self.severity)
            if severity is None:
                continue
            if status.status == TYPE_CHECKING_ONLY and status.via == "stub":
                message = (f"`{status.missing}` is declared only in the stub of "
                           f"`{ri.module}` (its `.pyi`); the `.py` that runs does not bind it, "
                           "so it does not exist at runtime; import it under TYPE_CHECKING")
            elif status.status == TYPE_CHECKING_ONLY:
                message = (f"`{status.missing}` is only bound under `if TYPE_CHECKING:` in "
                           f"`{ri.module}`, so it does not exist at runtime; import it from "
                           "where it is defined, or import it under TYPE_CHECKING here too")
            else:
                message = f"`{ri.module}` has no name `{status.missing}`"
                if status.suggestion:
                    message += f"; did you mean `{status.suggestion}`?"
            yield ctx.finding(self, ri.fact, message, severity=severity, symbol=ri.path)
