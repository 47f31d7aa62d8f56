"""Small pinned sdists from PyPI for the trust tests, cached in the gitignored ``.corpora/``.

Only ``pip download`` from PyPI is used (no wheels, no dependencies); the archive is
unpacked with tarfile's ``data`` filter (no links out, no device files) once, and a
marker file records that unpacking finished.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".corpora" / "trust"


def sdist_tree(requirement: str) -> Path:
    """The unpacked source tree of ``requirement`` (``name==version``)."""
    name, version = requirement.split("==")
    target = CACHE / f"{name}-{version}"
    marker = target / ".complete"
    if not marker.is_file():
        archives = CACHE / "archives"
        archives.mkdir(parents=True, exist_ok=True)
        found = _archive(archives, name, version)
        if found is None:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", requirement, "--no-deps",
                 "--no-binary", ":all:", "--quiet", "-d", str(archives)],
                capture_output=True, text=True, timeout=900, check=False)
            found = _archive(archives, name, version)
            if done.returncode != 0 or found is None:
                raise RuntimeError(f"could not download {requirement} from PyPI:\n"
                                   f"{done.stdout}{done.stderr}")
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(found) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # pragma: no cover - Pythons without extraction filters
                tar.extractall(target)  # noqa: S202 - a pinned sdist from PyPI
        marker.write_text(requirement)
    [tree] = [p for p in target.iterdir() if p.is_dir()]
    return tree


def _archive(directory: Path, name: str, version: str) -> Path | None:
    wanted = {f"{n}-{version}.tar.gz".lower() for n in (name, name.replace("-", "_"))}
    return next((p for p in sorted(directory.iterdir()) if p.name.lower() in wanted), None)
