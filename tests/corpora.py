"""Pinned real-world corpora from PyPI, downloaded once into the gitignored ``.corpora/``.

Every test that needs real code nobody here wrote gets it from this one place: the
sdist archive is fetched once with ``pip download`` (no wheels, no dependencies) into
``.corpora/sdists/``, and unpacked with tarfile's ``data`` filter (no links out of the
tree, no device files) either into a test's own temporary directory (when the test
writes into the tree) or once into a shared ``.corpora/<label>/`` copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".corpora"
ARCHIVES = CACHE / "sdists"
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
    target = CACHE / label / requirement.replace("==", "-")
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
