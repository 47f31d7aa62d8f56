"""SSOT113 unregistered-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.rules._imports import OK, checked_imports, status_of
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/core/__init__.py": "", "app/core/config.py": "class Settings: ...\n"
          "def get_settings(): ...\n"}
_STRICT = '[policy]\nunregistered_imports = "warn"\n'


class UnregisteredImportRule(Rule):
    """Strict mode: a first-party symbol imported from a path the registry does not know.

    Why: a registry only stays the single source of truth if new symbols are added to
    it; with ``policy.unregistered_imports = "warn"`` every ``from first_party.mod
    import Name`` whose path is neither a canonical ``[symbols]`` path nor an alias is
    reported (importing a submodule is not a symbol and is not reported; nor is a
    path a ``[deprecated]`` or ``[broken]`` entry already covers). Off by default.
    """

    code = "SSOT113"
    slug = "unregistered-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ('Add a [symbols."module.Name"] entry for each symbol\'s canonical home (`ssot-lint'
              " registry` tooling can bootstrap them).")
    severity = "warning"
    summary = "first-party symbol with no [symbols] entry (strict mode)"
    config = "policy.unregistered_imports"
    VALID = (
        Example("from app.core.config import Settings\n", files=_FILES,
                registry=_STRICT + '[symbols."app.core.config.Settings"]\n'),
        Example("from app.core.config import get_settings\n", files=_FILES,
                note="strict mode is off"),
        Example("from app.core import config\n", files=_FILES, registry=_STRICT),
        Example("from app.core.config import get_settings\n", files=_FILES,
                registry=_STRICT + '[deprecated."app.core.config.get_settings"]\n',
                note="a deprecated entry is a registration (SSOT111 reports it)"),
    )
    INVALID = (Example("from app.core.config import Settings, get_settings\n", files=_FILES,
                       registry=_STRICT + '[symbols."app.core.config.Settings"]\n',
                       lines=(1,)),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        registry = ctx.project.registry
        if registry.policy.unregistered_imports != "warn":
            return
        aliases = registry.alias_index()
        for ri in checked_imports(ctx):
            if ri.fact.kind != "from" or ri.path is None or ri.module is None:
                continue
            if not ctx.project.is_first_party(ri.module):
                continue
            if ri.path in registry.symbols or ri.path in aliases:
                continue
            if match_entry(registry.deprecated, ri.path) or match_entry(registry.broken, ri.path):
                continue
            if status_of(ctx, ri).status != OK or ctx.project.index.exists(ri.path):
                continue
            yield ctx.finding(self, ri.fact, f"`{ri.path}` is not in the registry; add a "
                              f"[symbols.\"...\"] entry for its canonical home", symbol=ri.path)
