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
    "app/core/lazy.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
}


class UnresolvedNameRule(Rule):
    """``from first_party.mod import Name`` where ``Name`` does not exist in ``mod``.

    Why: the import raises ``ImportError`` at load time. A name exists when the module
    defines it, binds it by an import (a re-export), has a submodule of that name,
    provides it through a first-party star import (followed transitively, honouring
    ``__all__``), or defines a module ``__getattr__``. A name bound only under
    ``if TYPE_CHECKING:`` does not exist at runtime, so importing it outside a
    ``TYPE_CHECKING`` block is reported too, with that explanation. A module that
    cannot be parsed is never used to report missing names.
    """

    code = "SSOT103"
    slug = "unresolved-name"
    severity = "error"
    summary = "imported name does not exist in the first-party module"
    config = "policy.guarded_imports"
    VALID = (
        Example("from app.core.tracker import AgentExecutionTracker, get_execution_tracker\n"
                "from app.core.tracker import BaseTracker\nfrom app.core import tracker\n"
                "from app.core.lazy import anything\n", files=_FILES),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from app.core.tracker import Hint\n", files=_FILES),
    )
    INVALID = (
        Example("from app.core.tracker import ExecutionTracker\n", files=_FILES, lines=(1,)),
        Example("from app.core.tracker import Hidden, Hint\n", files=_FILES, lines=(1, 1)),
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
            if status.status == TYPE_CHECKING_ONLY and ri.fact.in_type_checking:
                continue
            severity = guarded_severity(policy, ri, self.severity)
            if severity is None:
                continue
            if status.status == TYPE_CHECKING_ONLY:
                message = (f"`{status.missing}` is only bound under `if TYPE_CHECKING:` in "
                           f"`{ri.module}`, so it does not exist at runtime; import it from "
                           "where it is defined, or import it under TYPE_CHECKING here too")
            else:
                message = f"`{ri.module}` has no name `{status.missing}`"
                if status.suggestion:
                    message += f"; did you mean `{status.suggestion}`?"
            yield ctx.finding(self, ri.fact, message, severity=severity, symbol=ri.path)
