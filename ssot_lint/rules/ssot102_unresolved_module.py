"""SSOT102 unresolved-module."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.rules._imports import (
    MISSING_MODULE,
    broken_entry,
    checked_imports,
    guarded_severity,
    status_of,
)
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {"app/services/__init__.py": "", "app/services/user_context.py": "class Ctx: ...\n"}
# compiled extensions, a Cython source and a stub-only module are modules too
_NATIVE = {"app/native/__init__.py": "",
           "app/native/_speedups.cpython-311-x86_64-linux-gnu.so": "",
           "app/native/_fast.abi3.so": "", "app/native/_win.cp311-win_amd64.pyd": "",
           "app/native/_plain.so": "", "app/native/_cy.pyx": "",
           "app/native/_typed.pyi": "def f() -> int: ...\n",
           "app/native/libfoo.so.1": ""}


class UnresolvedModuleRule(Rule):
    """A first-party module that does not exist.

    Why: the import raises ``ModuleNotFoundError`` the moment the module is loaded;
    in a test file that breaks collection for the whole run. Existence is decided
    statically with the import system's precedence (a package beats a module file
    beats a namespace directory; a module file has no submodules). Compiled extensions
    (``foo.so``, ``foo.abi3.so``, ``foo.cpython-311-x86_64-linux-gnu.so``, ``foo.pyd``),
    Cython sources (``foo.pyx``, built into such an extension) and stubs (``foo.pyi``)
    are modules too; a compiled one is preferred over ``foo.py``, as ``FileFinder`` does.
    Below a namespace package that is open (no ``__init__.py`` in it or any package
    above it, such as ``google/``), other installed distributions may add modules, so
    a module missing there is unknown, not reported.
    The message names the first missing component and suggests the likely intended
    module: a same-named module next to the importing file (a botched
    relative-to-absolute rewrite) or the closest existing module.
    """

    code = "SSOT102"
    slug = "unresolved-module"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("The module does not exist: correct the path (the message suggests the closest "
              "module), or add a [broken] entry with `use_instead` so everyone learns the right"
              " one.")
    severity = "error"
    summary = "first-party module does not exist"
    config = "[project] packages, source_roots; policy.guarded_imports"
    VALID = (Example("from app.services.user_context import Ctx\nimport os.path\n", files=_FILES),
             Example("from app.native import _speedups, _fast, _win, _plain, _cy, _typed\n"
                     "import app.native._speedups\nfrom app.native._cy import anything\n",
                     files=_NATIVE),
             Example("try:\n    import app.legacy\nexcept ImportError:\n    pass\n",
                     files=_FILES, registry='[policy]\nguarded_imports = "ignore"\n'),
             Example("from .helpers import setup\n",
                     files={"src/lib/__init__.py": "", "app/__init__.py": "",
                            "app/helpers.py": "def setup(): ...\n"},
                     registry='[project]\nsource_roots = ["src"]\n',
                     note="app/ is under no source root (an example beside a src layout): "
                          "its relative imports are not resolved, so not reported"),
             Example("from app.packages.urllib3.poolmanager import PoolManager\n",
                     files={"app/__init__.py": "",
                            "app/packages.py": "import sys\nfor name in ('urllib3',):\n"
                                               "    sys.modules[f'app.packages.{name}'] = "
                                               "__import__(name)\n"},
                     note="app.packages registers modules in sys.modules under names of its "
                          "own: what is missing below it may exist at run time"),
             Example("from app.plugins.fakeendpoint import fake\n",
                     files={"app/plugins/__init__.py":
                            "from app.plugin import plugin_paths\n"
                            "__path__.extend(plugin_paths(__name__))\n",
                            "app/plugin.py": "def plugin_paths(name): ...\n"},
                     note="app.plugins extends its own __path__ (twisted.plugins does): "
                          "its submodules come from directories found at run time"),
             Example("from google.protobuf import message\nimport google.auth.credentials\n",
                     files={"google/.namespace": "", "google/api_core/__init__.py": "",
                            "google/api_core/retry.py": "import google.protobuf\n"},
                     registry='[project]\npackages = ["google"]\n',
                     note="google/ has no __init__.py: a namespace package, which other "
                          "distributions extend (google.protobuf, google.auth), so a module "
                          "missing below it here may be installed"))
    INVALID = (Example("from app.service.user_context import Ctx\n", files=_FILES, lines=(1,)),
               Example("import app.services.user_ctx\n", files=_FILES, lines=(1,)),
               Example("from ...too.far import x\n", files=_FILES, lines=(1,)),
               Example("import app.native.libfoo\n", files=_NATIVE, lines=(1,),
                       note="a versioned shared library (libfoo.so.1) is no module"),
               Example("from app.plugins.missing import hook\n",
                       files={**_FILES, "app/__init__.py": "", "app/plugins/.namespace": "",
                              "app/plugins/base.py": ""},
                       lines=(1,),
                       note="app.plugins is a namespace directory below a regular package: "
                            "its path is app's own directory, so nothing else can add to it"))

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        policy = ctx.project.registry.policy
        for ri in checked_imports(ctx):
            if ri.fact.expects_failure:
                continue
            status = status_of(ctx, ri)
            if status.status != MISSING_MODULE or broken_entry(ctx, ri) is not None:
                continue
            severity = guarded_severity(policy, ri, self.severity)
            if severity is None:
                continue
            if ri.module is None:
                if ctx.source.module is None and ctx.source.package is None:
                    # Under no source root the file has no package Python would give it
                    # (it depends on how the file is run): its relative imports cannot be
                    # resolved, so they are unknown, never reported missing.
                    continue
                message = (f"relative import `{status.missing}` climbs above the top-level "
                           "package")
            elif status.missing == ri.module:
                message = f"module `{ri.module}` does not exist"
            else:
                message = (f"module `{ri.module}` does not exist (`{status.missing}` is "
                           "missing)")
            if status.suggestion:
                message += f"; did you mean `{status.suggestion}`?"
            yield ctx.finding(self, ri.fact, message, severity=severity, symbol=ri.path)
