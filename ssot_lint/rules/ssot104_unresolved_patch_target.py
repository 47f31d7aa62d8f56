"""SSOT104 unresolved-patch-target."""

from __future__ import annotations

from collections.abc import Iterator

from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import match_entry
from ssot_lint.resolve import names as N
from ssot_lint.resolve.project import Project
from ssot_lint.rules._imports import broken_advice
from ssot_lint.rules._usage import binding_import, class_info, definition, split_module
from ssot_lint.rules.base import Example, FileContext, Rule

_FILES = {
    "app/services/__init__.py": "",
    "app/services/bridge.py": (
        "import json\nfrom app.services.base import Base\n\n"
        "class Bridge(Base):\n    retries = 3\n\n"
        "    def __init__(self):\n        self.client = None\n\n"
        "    def send(self): ...\n\n"
        "class External(json.JSONDecoder):\n    pass\n"),
    "app/services/base.py": "class Base:\n    def close(self): ...\n",
    "app/routes.py": "from app.services.bridge import Bridge\n",
    # a compiled extension: its names are unknown, so patches of it are not judged
    "app/services/_speedups.cpython-311-x86_64-linux-gnu.so": "",
    # a lazy facade serving exactly `Bridge` (PEP 562 with a literal test)
    "app/facade.py": ("def __getattr__(name):\n    if name == 'Bridge':\n"
                      "        from app.services.bridge import Bridge\n        return Bridge\n"
                      "    raise AttributeError(name)\n"),
}
_REGISTRY = '[broken."app.agents.bridge"]\nuse_instead = "app.services.bridge"\n'
MAX_DEPTH = 8


class UnresolvedPatchTargetRule(Rule):
    """A mock patch target string that names a first-party path that does not resolve.

    Why: ``mock.patch("pkg.mod.Name")`` imports ``pkg.mod`` and replaces ``Name`` when
    the test runs; a stale string fails only then — or, with ``create=True``-style
    helpers, silently patches nothing. Targets of ``patch(...)``, ``mock.patch(...)``,
    ``unittest.mock.patch(...)``, ``mocker.patch(...)``, ``patch.dict(...)`` and
    ``monkeypatch.setattr("...", value)`` are resolved statically: the module must exist
    and define the name (directly, by import, or as a submodule), and
    ``module.Class.attribute`` must be a method, class attribute or ``self.x``
    assignment of the class or of a base class that can be seen. When a class has a
    base that cannot be seen (third-party, computed) or a metaclass or
    ``__getattr__``, nothing is reported; a module's dynamic attributes and compiled
    modules are judged as SSOT103 judges them (a literal ``__getattr__`` serves exactly
    its names; a compiled module's names are unknown). A dunder attribute of a module
    (``pkg.mod.__salt__``) that the module does not bind is unknown too: loaders and
    test fixtures inject such names into module globals before the patch runs (salt's
    ``__salt__``/``__opts__``/``__grains__``). A patch with ``create=True`` or a
    ``monkeypatch.setattr`` with ``raising=False`` is written for a missing attribute
    and is not judged. Targets matching a ``[broken]`` entry are
    reported too.
    """

    code = "SSOT104"
    slug = "unresolved-patch-target"
    # What to do about a finding, in the words a team lead can hand on (audit).
    remedy = ("Point the patch target at where the name is looked up now (usually the module "
              "that imports it); a target that does not resolve patches nothing, or fails only "
              "at test time.")
    severity = "error"
    summary = "mock.patch / monkeypatch.setattr target string that does not resolve"
    config = "[broken]"
    VALID = (Example(
        "from unittest import mock\n\n"
        "@mock.patch('app.services.bridge.Bridge.send')\n"
        "@mock.patch('app.services.bridge.Bridge.client')\n"
        "@mock.patch('app.services.bridge.Bridge.close')\n"
        "@mock.patch('app.routes.Bridge.retries')\n"
        "@mock.patch('app.services.bridge.External.anything')\n"
        "@mock.patch('os.path.exists')\n"
        "@mock.patch('app.services.bridge.json.dumps')\n"
        "def test(*mocks): ...\n", files=_FILES,
        note="a target through an imported third-party module is not ours to judge"),
        Example("from unittest import mock\n\n"
                "@mock.patch('app.services._speedups.fast_path')\n"
                "@mock.patch('app.facade.Bridge')\n"
                "def test(*mocks): ...\n", files=_FILES),
        Example("from unittest import mock\n\n"
                "@mock.patch('app.services.bridge.__salt__', {'cmd.run': None})\n"
                "def test(m): ...\n", files=_FILES,
                note="a module-level dunder the module never binds is injected at run time "
                     "(salt's loader gives modules __salt__, __opts__, __grains__): unknown"),
        Example("from unittest import mock\n\n"
                "def test(monkeypatch):\n"
                "    with mock.patch('app.services.bridge.PKCS1_OAEP', create=True):\n"
                "        pass\n"
                "    monkeypatch.setattr('app.services.bridge.TIMEOUT', 1, raising=False)\n",
                files=_FILES,
                note="create=True / raising=False: the missing attribute is the point"))
    INVALID = (Example(
        "from unittest import mock\n\n"
        "def test(monkeypatch, mocker):\n"
        "    with mock.patch('app.services.bridge.Bridg'):\n"
        "        pass\n"
        "    mocker.patch('app.services.bridge.Bridge.sned')\n"
        "    monkeypatch.setattr('app.service.bridge.Bridge', None)\n"
        "    mock.patch.dict('app.agents.bridge.CONFIG', {})\n",
        files=_FILES, registry=_REGISTRY, lines=(4, 6, 7, 8)),
        Example("from unittest import mock\n\n@mock.patch('app.facade.Gateway')\n"
                "def test(m): ...\n", files=_FILES, lines=(3,),
                note="the facade's __getattr__ serves only `Bridge`"),
        Example("from unittest import mock\n\n"
                "def test(monkeypatch):\n"
                "    with mock.patch('app.services.bridge.Gone', create=False):\n"
                "        pass\n"
                "    monkeypatch.setattr('app.services.bridge.Nope', 1, raising=True)\n",
                files=_FILES, lines=(4, 6),
                note="create=False and raising=True are the defaults: still judged"))

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        project = ctx.project
        for fact in ctx.facts.imports:
            if fact.kind != "patch" or not project.is_first_party(fact.module):
                continue
            target = fact.module
            entry = match_entry(project.registry.broken, target)
            if entry is not None:
                message = f"patch target `{target}` is a broken path" + broken_advice(target, entry)
                yield ctx.finding(self, fact, message, severity=entry.severity, symbol=target,
                                  hint=entry.hint, docs=entry.docs)
                continue
            problem = unresolved(project, target, 0)
            if problem:
                yield ctx.finding(self, fact, f"patch target `{target}` does not resolve: "
                                  f"{problem}", symbol=target)


def unresolved(project: Project, path: str, depth: int) -> str | None:
    """Why ``path`` cannot be patched, or None (also when it cannot be decided)."""
    if depth > MAX_DEPTH or not project.is_first_party(path):
        return None  # e.g. ``pkg.mod.os.rename`` after ``import os``: not ours to judge
    split = split_module(project, path)
    if split is None:
        return f"module `{path.split('.')[0]}` does not exist"
    module, rest = split
    if not rest:
        return None
    return _attribute(project, module, rest, depth)


def _injected_dunder(name: str) -> bool:
    """``__salt__``-like: a dunder a module reads but never binds is given to it from
    outside (a plugin loader, a test fixture), so its absence in the source says nothing."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _attribute(project: Project, module: str, rest: list[str], depth: int) -> str | None:
    name = rest[0]
    found = project.names.lookup(module, name)
    if found.status == N.UNKNOWN:
        return None
    if found.status in (N.MISSING, N.TYPE_CHECKING_ONLY):
        if len(rest) == 1 and _injected_dunder(name):
            return None
        if len(rest) > 1:
            return f"`{module}.{name}` does not exist"
        return f"`{module}` has no attribute `{name}`"
    if len(rest) == 1:
        return None
    origin = binding_import(project, module, name)
    if origin is not None:
        return unresolved(project, ".".join([origin, *rest[1:]]), depth + 1)
    described = definition(project, module, name)
    if described is None or described.kind != "class":
        return None  # an attribute of a function or a value: cannot be known statically
    return _member(project, module, name, rest[1], depth) if len(rest) == 2 else None


def _member(project: Project, module: str, cls: str, attr: str, depth: int) -> str | None:
    """Why class ``module.cls`` has no ``attr``; None if it has or it cannot be decided."""
    if depth > MAX_DEPTH:
        return None
    info = class_info(project, module, cls)
    if info is None or info.dynamic:
        return None
    if attr in info.members:
        return None
    for base in info.bases:
        if base in ("object", ""):
            if base == "":
                return None
            continue
        head, _, tail = base.partition(".")
        origin = binding_import(project, module, head)
        if origin is None:
            if tail or definition(project, module, head) is None:
                return None  # a builtin or something invisible
            base_path = f"{module}.{head}"
        else:
            base_path = ".".join([origin, tail]) if tail else origin
        if not project.is_first_party(base_path):
            return None
        split = split_module(project, base_path)
        if split is None or len(split[1]) != 1:
            return None
        base_module, (base_name,) = split
        origin_of_base = binding_import(project, base_module, base_name)
        if origin_of_base is not None:
            split = split_module(project, origin_of_base)
            if split is None or len(split[1]) != 1:
                return None
            base_module, (base_name,) = split
        if definition(project, base_module, base_name) is None:
            return None
        if _member(project, base_module, base_name, attr, depth + 1) is None:
            return None
    return f"class `{module}.{cls}` has no attribute `{attr}`"
