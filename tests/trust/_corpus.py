"""Small pinned sdists from PyPI for the trust tests, cached in the gitignored ``.corpora/``.

Only ``pip download`` from PyPI is used (no wheels, no dependencies); the archive is
unpacked with tarfile's ``data`` filter (no links out, no device files) once, and a
marker file records that unpacking finished.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_tree


def sdist_tree(requirement: str) -> Path:
    """The unpacked source tree of ``requirement`` (``name==version``), shared read-only."""
    return shared_tree(requirement, "trust")
