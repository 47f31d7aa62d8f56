"""A pinned real-world corpus, downloaded from PyPI on first use and cached.

The sdist goes to ``.corpora/`` at the repository root (gitignored, shared with the
benchmarks); this suite unpacks its own copy so nothing else writes into it.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".corpora"
DJANGO_VERSION = "5.1.4"


def django_sdist() -> Path:
    """The Django sdist, from the cache or ``pip download`` (PyPI, no wheel, no deps)."""
    archive = CACHE / f"Django-{DJANGO_VERSION}.tar.gz"
    if not archive.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", f"django=={DJANGO_VERSION}", "--no-deps",
             "--no-binary", "django", "--quiet", "-d", str(CACHE)],
            capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not archive.is_file():
            raise RuntimeError(f"could not download Django {DJANGO_VERSION} from PyPI:\n"
                               f"{done.stdout}{done.stderr}")
    return archive


def django_tree() -> Path:
    """The unpacked Django source tree (unpacked once; a marker file says it is complete)."""
    target = CACHE / f"functional-django-{DJANGO_VERSION}"
    marker = target / ".complete"
    if marker.is_file():
        return _source_dir(target)
    archive = django_sdist()
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # pragma: no cover - Pythons without extraction filters
            tar.extractall(target)  # noqa: S202 - a pinned sdist from PyPI
    marker.write_text(DJANGO_VERSION)
    return _source_dir(target)


def _source_dir(target: Path) -> Path:
    [tree] = [p for p in target.iterdir() if p.is_dir()]
    return tree
