"""A pinned real-world corpus, downloaded from PyPI on first use and cached.

The sdist goes to ``.corpora/`` at the repository root (gitignored, shared with the
benchmarks); this suite unpacks its own copy so nothing else writes into it.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DJANGO, sdist, shared_tree

DJANGO_VERSION = DJANGO.split("==")[1]


def django_sdist() -> Path:
    """The Django sdist, from the shared cache or ``pip download``."""
    return sdist(DJANGO)


def django_tree() -> Path:
    """The unpacked Django source tree (unpacked once, read-only use)."""
    return shared_tree(DJANGO, "functional")
