"""SSOT122 dynamic-import."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.rules._imports import broken_advice, replacement_for
from ssot_lint.rules.base import Example, FileContext, Rule, advice

_FILES = {"app/plugins/__init__.py": "", "app/plugins/email.py": "def send(): ...\n",
          "app/plugins/legacy_sms.py": "def send(): ...\n",
          # compiled extensions and Cython sources are modules too (never read)
          "app/plugins/_fax.cpython-311-x86_64-linux-gnu.so": "", "app/plugins/_telex.pyx": ""}
_REGISTRY = """
[deprecated."app.plugins.legacy_sms"]
use_instead = "app.plugins.email"
hint = "SMS delivery is being retired"
"""


class DynamicImportRule(Rule):
    """``importlib.import_module("...")`` / ``__import__("...")`` of a bad first-party module.

    Why: plugin loaders and lazy imports name modules in strings, so a rename that
    every static import survived breaks them only at runtime, in the code path nobody
    tested. A literal first-party module name that does not exist, or that matches a
    ``[broken]`` or ``[deprecated]`` entry, is reported (broken and missing modules as
    errors; deprecated ones with the entry's severity). Names built at runtime (f-strings,
    concatenation) and relative names are not checked. A compiled extension or Cython
    source is a module like any other (see SSOT102).
    """

    code = "SSOT122"
    slug = "dynamic-import"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Change the module string passed to `importlib.import_module` / `__import__` to "
              "an existing, non-deprecated module (the registry's `use_instead`).")
    severity = "error"
    summary = "importlib.import_module/__import__ of a missing, broken or deprecated module"
    config = "[broken], [deprecated]"
    VALID = (Example("import importlib\nimportlib.import_module('app.plugins.email')\n"
                     "importlib.import_module('json')\nname = 'x'\n"
                     "importlib.import_module(f'app.plugins.{name}')\n",
                     files=_FILES, registry=_REGISTRY),
             Example("import importlib\nimportlib.import_module('app.plugins._fax')\n"
                     "importlib.import_module('app.plugins._telex')\n", files=_FILES),)
    INVALID = (Example("import importlib\nfrom importlib import import_module\n\n"
                       "importlib.import_module('app.plugins.sms')\n"
                       "import_module('app.plugins.legacy_sms')\n"
                       "__import__('app.plugin')\n",
                       files=_FILES, registry=_REGISTRY, lines=(4, 5, 6), messages=(
                           (4, 25, "dynamic import of `app.plugins.sms`, which does not exist "
                                   "(`app.plugins.sms` is missing)"),
                           (5, 15, "dynamic import of deprecated module "
                                   "`app.plugins.legacy_sms`: SMS delivery is being retired; "
                                   "use `app.plugins.email` instead"),
                           (6, 12, "dynamic import of `app.plugin`, which does not exist "
                                   "(`app.plugin` is missing)"))),)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        project = ctx.project
        registry = project.registry
        for fact in ctx.facts.imports:
            if fact.kind != "dynamic" or not project.is_first_party(fact.module):
                continue
            path = fact.module
            entry = match_entry(registry.broken, path)
            if entry is not None:
                message = f"dynamic import of broken module `{path}`" + broken_advice(path, entry)
                yield ctx.finding(self, fact, message, severity=entry.severity, symbol=path,
                                  hint=entry.hint, docs=entry.docs)
                continue
            if not project.index.exists(path):
                missing = project.index.first_missing(path)
                yield ctx.finding(self, fact, f"dynamic import of `{path}`, which does not "
                                  f"exist (`{missing}` is missing)", symbol=path)
                continue
            entry = match_entry(registry.deprecated, path)
            if entry is not None:
                message = (f"dynamic import of deprecated module `{path}`"
                           + advice(entry.reason or entry.hint, replacement_for(path, entry),
                                    entry.docs))
                yield ctx.finding(self, fact, message, severity=entry.severity, symbol=path,
                                  hint=entry.hint, docs=entry.docs)
