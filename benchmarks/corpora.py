"""Pinned real corpora from PyPI, and equivalent configurations for every tool.

Each corpus is a set of pinned source distributions unpacked side by side under
``benchmarks/.corpora/`` (gitignored, never committed). The sizes grow by adding whole
projects, so every size is real code:

- ``1x``: Django 5.1.4 (the pinned Django sdist, ~2,800 files);
- ``2x``: Django + Salt (~6,500 files);
- ``4x``: Django + Salt + SymPy + ansible-core + Twisted (>= 10,000 files).

Every tool gets the same contracts: each project is a module/service that may import
no other; Django's ``django.utils`` may not import ``django.contrib`` (a forbidden
contract; tach has none, so it checks boundaries only); and the same import paths are
banned (ruff's TID251 ``banned-api``, ssot-lint's ``[broken]``/``[deprecated]``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"


@dataclass(frozen=True)
class Sdist:
    requirement: str  # pinned, for ``pip download``
    directory: str  # what the archive unpacks to
    package: str  # top-level import package
    source_root: str  # where the package lives, relative to the corpus root


DJANGO = Sdist("django==5.1.4", "Django-5.1.4", "django", "Django-5.1.4")
SALT = Sdist("salt==3007.1", "salt-3007.1", "salt", "salt-3007.1")
SYMPY = Sdist("sympy==1.13.3", "sympy-1.13.3", "sympy", "sympy-1.13.3")
ANSIBLE = Sdist("ansible-core==2.17.7", "ansible_core-2.17.7", "ansible", "ansible_core-2.17.7/lib")
TWISTED = Sdist("twisted==24.11.0", "twisted-24.11.0", "twisted", "twisted-24.11.0/src")

SIZES: dict[str, tuple[Sdist, ...]] = {
    "1x": (DJANGO,),
    "2x": (DJANGO, SALT),
    "4x": (DJANGO, SALT, SYMPY, ANSIBLE, TWISTED),
}

# Banned or deprecated import paths (all appear in at least one corpus), with the
# replacement: ssot-lint [deprecated] entries and ruff banned-api entries alike.
BANNED = {
    "distutils": "setuptools (distutils was removed in Python 3.12)",
    "imp": "importlib",
    "optparse": "argparse",
    "django.utils.six": "six",
    "salt.ext.six": "six",
}
FORBIDDEN = ("django.utils", "django.contrib")  # source may not import forbidden
# The file edited by the one-file-changed runs (inside Django, so in every size).
EDITED = "Django-5.1.4/django/db/models/query.py"


def download(sdists: tuple[Sdist, ...]) -> Path:
    """Fetch the pinned sdists (once) into ``.corpora/sdists``."""
    target = CORPORA / "sdists"
    target.mkdir(parents=True, exist_ok=True)
    for sdist in sdists:
        if any(target.glob(f"{sdist.directory}.tar.gz")) or any(
                target.glob(f"{sdist.directory.lower()}.tar.gz")):
            continue
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        ":all:", "-q", "-d", str(target), sdist.requirement], check=True)
    return target


def build(size: str) -> Path:
    """The corpus of ``size`` unpacked under ``.corpora/<size>`` with every tool's config."""
    sdists = SIZES[size]
    archives = download(sdists)
    root = CORPORA / size
    for sdist in sdists:
        if (root / sdist.directory).is_dir():
            continue
        root.mkdir(parents=True, exist_ok=True)
        archive = next(p for p in archives.iterdir()
                       if p.name.lower() == f"{sdist.directory.lower()}.tar.gz")
        with tarfile.open(archive) as tar:
            if sys.version_info >= (3, 12):
                tar.extractall(root, filter="data")
            else:
                tar.extractall(root)  # noqa: S202 - a pinned sdist from PyPI
    write_configs(root, sdists)
    return root


def python_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.py"))


def write_configs(root: Path, sdists: tuple[Sdist, ...]) -> None:
    """Equivalent configurations: ssot-lint, tach, import-linter and ruff."""
    packages = [s.package for s in sdists]
    roots = [s.source_root for s in sdists]
    registry = ["version = 1", "", "[project]", f"packages = {json.dumps(packages)}",
                f"source_roots = {json.dumps(roots)}", ""]
    for package in packages:
        registry += [f"[services.{package}]", f'packages = ["{package}"]', "may_import = []", ""]
    source, forbidden = FORBIDDEN
    registry += ["[[contracts]]", 'name = "utils stay below contrib"', 'kind = "forbidden"',
                 f'source = ["{source}"]', f'forbidden = ["{forbidden}"]', ""]
    for path, instead in BANNED.items():
        registry += [f'[deprecated."{path}"]', f'hint = "use {instead}"', ""]
    (root / "ssot-registry.toml").write_text("\n".join(registry))

    tach = [f"source_roots = {json.dumps(roots)}", "exclude = []",
            "ignore_type_checking_imports = false", ""]
    for package in packages:
        tach += ["[[modules]]", f'path = "{package}"', "depends_on = []", ""]
    (root / "tach.toml").write_text("\n".join(tach))

    linter = ["[importlinter]", "root_packages =", *(f"    {p}" for p in packages),
              "include_external_packages = False", "",
              "[importlinter:contract:independent]", "name = projects are independent",
              "type = independence", "modules =", *(f"    {p}" for p in packages), "",
              "[importlinter:contract:forbidden]", "name = utils stay below contrib",
              "type = forbidden", f"source_modules =\n    {source}",
              f"forbidden_modules =\n    {forbidden}", ""]
    (root / ".importlinter").write_text("\n".join(linter))

    ruff = ['[lint]', 'select = ["TID251"]', "", "[lint.flake8-tidy-imports.banned-api]"]
    ruff += [f'"{path}".msg = "use {instead}"' for path, instead in BANNED.items()]
    (root / "ruff.toml").write_text("\n".join(ruff) + "\n")


def clean_caches(root: Path) -> None:
    """Every tool's cache, so the next run is cold."""
    for name in (".ssot_lint_cache", ".ruff_cache", ".import_linter_cache", ".tach"):
        shutil.rmtree(root / name, ignore_errors=True)
