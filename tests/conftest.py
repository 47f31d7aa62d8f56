"""Suite-wide test configuration and the helpers the test modules share.

Fixture projects, CLI runners and pinned corpora live here, in one place: test modules
import them with ``from tests.conftest import ...`` (plain functions and constants, as
most are used at import time, in parametrisations or in hypothesis strategies) and never
from one another. Sub-suites keep their own support modules next to them
(``tests/trust/_*.py``, ``tests/functional/cli.py``, ``tests/lsp/_project.py``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import types
import typing
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from ssot_lint.api import build_project, select_files
from ssot_lint.cache.parallel import MIN_PARALLEL_FILES
from ssot_lint.cli import main
from ssot_lint.engine import run_rules
from ssot_lint.fix.run import FixResult, fix
from ssot_lint.load.config import load_config
from ssot_lint.load.registry import load_registry
from ssot_lint.model.finding import Finding
from ssot_lint.model.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not fail, not skip) ``real_registry`` tests unless their document is named.

    A clone must test itself: the first user's real Markdown registry lives outside the
    repository, so the tests that read it run only when ``SSOT_LINT_REAL_REGISTRY`` names it.
    """
    if os.environ.get("SSOT_LINT_REAL_REGISTRY"):
        return
    chosen = [item for item in items if item.get_closest_marker("real_registry") is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen


# --- Small realistic projects on disk, checked in-process ----------------------------

_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def encode_source(text: str) -> bytes:
    """Encode like an editor would: honour a PEP 263 line when the codec exists."""
    for line in text.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            try:
                codecs.lookup(match.group(1))
            except LookupError:
                break
            return text.encode(match.group(1))
    return text.encode("utf-8")


# --- Edits the facts cache must notice: each written file gets a past mtime of its own,
# so the stat fast path trusts it and still sees every change (cache/results tests).
OLD = 1_600_000_000  # a past mtime: the stat fast path trusts such files
_ticks = itertools.count(1)


def settle(path: Path) -> None:
    """A past mtime no other write used: the stat fast path trusts it and sees the change."""
    stamp = OLD + next(_ticks)
    os.utime(path, (stamp, stamp))


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    settle(path)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text()
    assert old in text, f"{old!r} not in {rel}"
    write(root, rel, text.replace(old, new, 1))


def write_project(root: Path, files: dict[str, str | bytes], registry: str = "",
                  packages: tuple[str, ...] | None = None) -> Path:
    """Write ``files`` under ``root`` plus an ``ssot-registry.toml``; add missing __init__s.

    Packages get ``__init__.py`` files for every directory that holds Python files
    unless the test writes them (or lists the directory in ``namespace``).
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else encode_source(content))
    for rel in list(files):
        parent = Path(rel).parent
        while parent != Path("."):
            init = root / parent / "__init__.py"
            if not init.exists() and not (root / parent / ".namespace").exists():
                init.write_text("")
            parent = parent.parent
    header = "version = 1\n"
    if packages is not None:
        header += "[project]\npackages = [" + ", ".join(f'"{p}"' for p in packages) + "]\n"
    (root / "ssot-registry.toml").write_text(header + registry)
    return root


def run_check(root: Path, paths: list[Path] | None = None, **overrides: object) -> list[Finding]:
    """Findings for ``paths`` (default: the whole project), with paths relative to ``root``."""
    config = load_config(root, overrides=dict(overrides))
    project = build_project(config)
    files = select_files(project, paths or [])
    return run_rules(project, files, config.select, config.ignore, cwd=root)


def codes_at(findings: list[Finding], path: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in findings if f.path == path]


def fact_sample(hint: Any, variant: int = 0) -> Any:
    """A value of type ``hint`` (a facts dataclass and everything in it filled in), built
    from the type hints alone, so it covers fields added later; another ``variant``
    gives a value different in every field (``in_function`` stays false: a lazy import
    is placed elsewhere in the interface digest)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: False if f.name == "in_function" else
                       fact_sample(hints[f.name], variant) for f in fields(hint) if f.init})
    if origin in (typing.Union, types.UnionType):
        return fact_sample(next(a for a in args if a is not type(None)), variant)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(fact_sample(args[0], variant) for _ in range(2))
        return tuple(fact_sample(a, variant) for a in args)
    if origin is dict or hint is dict:
        return {"key": f"value{variant}"}
    return {str: f"name{variant}", int: 7 + variant, bool: variant % 2 == 0}[hint]


# --- Pinned real-world corpora from PyPI, downloaded once into the gitignored .corpora/ -
#
# Every test that needs real code nobody here wrote gets it from here: the sdist archive
# is fetched once with ``pip download`` (no wheels, no dependencies) into
# ``.corpora/sdists/``, and unpacked with tarfile's ``data`` filter (no links out of the
# tree, no device files) either into a test's own temporary directory (when the test
# writes into the tree) or once into a shared ``.corpora/<label>/`` copy.

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / ".corpora"
ARCHIVES = CORPORA / "sdists"
DJANGO = "django==5.1.4"


def sdist(requirement: str) -> Path:
    """The sdist archive of ``requirement`` (``name==version``), downloading it if needed."""
    name, version = requirement.split("==")
    found = _archive(name, version)
    if found is None:
        ARCHIVES.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", requirement, "--no-deps",
             "--no-binary", ":all:", "--quiet", "-d", str(ARCHIVES)],
            capture_output=True, text=True, timeout=900, check=False)
        found = _archive(name, version)
        if done.returncode != 0 or found is None:
            raise RuntimeError(f"could not download {requirement} from PyPI:\n"
                               f"{done.stdout}{done.stderr}")
    return found


def unpack(requirement: str, dest: Path) -> Path:
    """Unpack ``requirement``'s sdist into ``dest``; return its source tree."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist(requirement)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Pythons without extraction filters
            tar.extractall(dest)  # noqa: S202 - a pinned sdist from PyPI
    [tree] = [p for p in dest.iterdir() if p.is_dir()]
    return tree


def shared_tree(requirement: str, label: str) -> Path:
    """A copy unpacked once under ``.corpora/<label>/`` (a marker file says it is complete)."""
    target = CORPORA / label / requirement.replace("==", "-")
    if not (target / ".complete").is_file():
        shutil.rmtree(target, ignore_errors=True)
        unpack(requirement, target)
        (target / ".complete").write_text(requirement)
    [tree] = [p for p in target.iterdir() if p.is_dir()]
    return tree


def _archive(name: str, version: str) -> Path | None:
    if not ARCHIVES.is_dir():
        return None
    wanted = {f"{n}-{version}.tar.gz".lower() for n in (name, name.replace("-", "_"))}
    return next((p for p in sorted(ARCHIVES.iterdir()) if p.name.lower() in wanted), None)


# --- The audit tests' monorepo: four services, two forbidden edges, deprecated symbols
# mid-migration, a broken path, an alias, a syntax error -------------------------------

AUDIT_REGISTRY = """
[project]
packages = ["api", "billing", "shared", "auth"]

[symbols."shared.client.Client"]
aliases = ["shared.Client"]

[broken."billing.old_invoices"]
use_instead = "billing.invoices"
reason = "removed in the billing rewrite"

[deprecated."shared.legacy.OldClient"]
use_instead = "shared.client.Client"
hint = "OldClient opens a connection per call; use Client."

[deprecated."shared.legacy.make_session"]
use_instead = "shared.client.Client"
hint = "sessions are owned by Client now"
severity = "error"

[deprecated."shared.retired"]
use_instead = "shared.client"
hint = "fully migrated; kept so nobody brings it back"

[services.api]
packages = ["api"]
may_import = ["shared", "billing"]

[services.billing]
packages = ["billing"]
may_import = ["shared"]

[services.shared]
packages = ["shared"]
may_import = []

[services.auth]
packages = ["auth"]
may_import = ["shared"]
"""

AUDIT_FILES: dict[str, str] = {
    "shared/__init__.py": "from shared.client import Client\n",
    "shared/client.py": "class Client:\n    pass\n",
    "shared/legacy.py": "class OldClient:\n    pass\n\n\ndef make_session():\n    return None\n",
    "shared/retired.py": "VALUE = 1\n",
    "shared/tokens.py": ("from auth.keys import signing_key\n\n\n"
                         "def sign(x):\n    return signing_key()\n"),
    "auth/keys.py": "def signing_key():\n    return 'k'\n",
    "auth/login.py": "from shared.client import Client\n",
    "api/routes.py": (
        "from shared.legacy import OldClient, make_session\n"
        "from shared import Client\n"
        "from billing.invoices import Invoice\n"
        "from billing.old_invoices import Invoice as OldInvoice\n"
    ),
    "api/views.py": "from shared.legacy import OldClient\nfrom api.routes import Invoice\n",
    "api/health.py": "import shared.client\n",
    "billing/invoices.py": "from shared.client import Client\n\n\nclass Invoice:\n    pass\n",
    "billing/reports.py": "from api.views import OldClient\nfrom api.routes import Invoice\n",
    "billing/broken.py": "def f(:\n    pass\n",
    "tools/script.py": "from shared.legacy import OldClient\n",
}


def make_audit_project(root: Path, extra: dict[str, str] | None = None,
                       registry_extra: str = "") -> Path:
    return write_project(root, {**AUDIT_FILES, **(extra or {})},
                         AUDIT_REGISTRY + registry_extra)


# --- The output-format, baseline and CI tests' project, and the console entry point ---

FORMATS_REGISTRY = '''
[broken."app.agents.bridge"]
use_instead = "app.services.bridge"
reason = "moved, 100% sure: see <docs> & \\"notes\\""
hint = "line one\\nline two"

[symbols."app.registry.canonical.Registry"]
aliases = ["app.registry.Registry"]
'''

FORMATS_MAIN = ("from app.agents.bridge import make_bridge\n"
                "from app.registry import Registry\n"
                "import app.services.missing\n")

FORMATS_FILES: dict[str, str] = {
    "app/services/bridge.py": "def make_bridge(): ...\n",
    "app/registry/canonical.py": "class Registry: ...\n",
    "app/registry/__init__.py": "from app.registry.canonical import Registry\n",
    "app/main.py": FORMATS_MAIN,
    "app/clean.py": "from app.services.bridge import make_bridge\n",
    "scripts/we,ird:name.py": "import app.services.missing\n",
}


def make_formats_project(root: Path, files: dict[str, str] | None = None,
                         registry: str = FORMATS_REGISTRY) -> Path:
    """The realistic little project most CI tests run on (4 findings in 2 files)."""
    return write_project(root, dict(FORMATS_FILES if files is None else files), registry)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real console entry point; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


# --- ``ssot-lint fix`` ----------------------------------------------------------------

FIX_MODELS = {
    "app/core/__init__.py": "",
    "app/core/tracker.py": "def get_execution_tracker(): ...\nclass Tracker: ...\n",
    "app/core/agent_tracker.py": "def get_agent_state_tracker(): ...\nclass Tracker: ...\n",
    "app/agents/__init__.py": "",
    "app/agents/supervisor/__init__.py": "",
    "app/agents/supervisor/agent_registry.py": "class AgentRegistry: ...\n",
    "app/agents/registry.py": "from app.agents.supervisor.agent_registry import AgentRegistry\n",
    "app/agents/state.py": "class DeepAgentState: ...\nclass AgentPhase: ...\n",
    "app/services/__init__.py": "",
    "app/services/context.py": "class UserExecutionContext: ...\nclass AgentPhase: ...\n",
    "app/services/bridge.py": "def create_bridge(): ...\n",
}
FIX_REGISTRY = """
[symbols."app.agents.supervisor.agent_registry.AgentRegistry"]
aliases = ["app.agents.registry.AgentRegistry"]

[broken."app.agents.bridge"]
use_instead = "app.services.bridge"
reason = "never existed"

[deprecated."app.agents.state.AgentPhase"]
use_instead = "app.services.context.AgentPhase"

[deprecated."app.agents.state.DeepAgentState"]
use_instead = "app.services.context.UserExecutionContext"
fix = "none"

[deprecated."app.core.tracker.get_execution_tracker"]
use_instead = "app.core.agent_tracker.get_agent_state_tracker"
fix = "rename"

[deprecated."app.core.tracker.Tracker"]
use_instead = "app.core.agent_tracker.Tracker"
"""


def run_fix(root: Path, *, unsafe: bool = False, write: bool = True,
            **overrides: object) -> FixResult:
    """Fix the project at ``root``; paths in the result are relative to ``root``."""
    config = load_config(root, overrides=dict(overrides))
    return fix([], config, unsafe=unsafe, write=write, cwd=root)


# --- A project big enough to start a worker pool (``--jobs``) -------------------------

SHOP_REGISTRY = """
[policy]
relative_imports = "forbid"

[broken."shop.legacy"]
use_instead = "shop.core"
reason = "deleted"

[deprecated."shop.core.OldCart"]
use_instead = "shop.core.Cart"
hint = "Cart is thread-safe"
"""


def shop_files() -> dict[str, str | bytes]:
    """Every kind of fact, in more files than ``MIN_PARALLEL_FILES``."""
    files: dict[str, str | bytes] = {
        "shop/core.py": ("__all__ = ['Cart', 'OldCart']\n"
                         "class Cart: ...\nclass OldCart(Cart): ...\n"),
        "shop/star.py": "from shop.core import *\n",
        "shop/broken_syntax.py": "def f(:\n    pass\n",
        "shop/latin.py": b"# -*- coding: ascii -*-\nname = '\xe9'\n",
        "shop/unicode.py": "ß = 'straße'; from shop.core import OldCart\n",
        "shop/suppressed.py": "from shop.legacy import x  # ssot-lint: ignore[SSOT101]\n"
                              "import os  # ssot-lint: ignore[SSOT111]\n",
    }
    for i in range(MIN_PARALLEL_FILES * 3):
        lines = [f"from shop.core import {'OldCart' if i % 3 == 0 else 'Cart'}"]
        if i % 4 == 0:
            lines.append(f"from . import m{(i + 1) % 10}")
        if i % 5 == 0:
            lines.append("from shop.legacy import refund")
        if i % 7 == 0:
            lines.append(f"from shop.pkg{i % 2} import nothing_here")
        lines.append("def handler():\n    from shop.star import Cart as C\n    return C")
        files[f"shop/pkg{i % 2}/m{i}.py"] = "\n".join(lines) + "\n"
    return files


def run_json_check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ssot-lint check --format json ARGS .`` in a subprocess at ``root``."""
    return subprocess.run([sys.executable, "-m", "ssot_lint", "check", "--format", "json",
                           *args, "."], cwd=root, capture_output=True, text=True, check=False,
                          timeout=600)


# --- registry/schema.json ------------------------------------------------------------

SCHEMA = json.loads((REPO / "registry" / "schema.json").read_text(encoding="utf-8"))


def to_json(value: Any) -> Any:
    """TOML values as JSON would carry them: dates and times become ISO strings."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def schema_errors(toml_text: str) -> list[str]:
    """The schema's complaints about a registry document, sorted."""
    import jsonschema

    document = to_json(tomllib.loads(toml_text))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return sorted(e.message for e in validator.iter_errors(document))


# -- registries read back (Markdown import/export tests) ------------------------------

def load_text(tmp_path: Path, toml_text: str, name: str = "reg.toml") -> Registry:
    path = tmp_path / name
    path.write_text(toml_text, encoding="utf-8")
    return load_registry(path)


def comparable(registry: Registry) -> tuple[object, ...]:
    """A registry without the positions it was read from."""
    def strip(entries: dict) -> dict:  # type: ignore[type-arg]
        return {path: replace(entry, origin=None) for path, entry in entries.items()}
    return (strip(registry.symbols), strip(registry.broken), strip(registry.deprecated),
            registry.packages, registry.policy)
