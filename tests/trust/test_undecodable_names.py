"""A file name that is not valid UTF-8 (``svc/caf\\xe9.py``) is a file like any other.

POSIX file names are bytes; Python hands them over surrogate-escaped. Every output
must carry such a name without crashing and without losing it: JSON as a ``\\udcXX``
escape that ``os.fsencode`` turns back into the exact bytes, SARIF as a percent-encoded
URI of the bytes, text and GitHub annotations escaped, and a baseline written and read
back matching the same findings. (The facts cache is covered with the cache; these runs
use ``--no-cache``.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli_subprocess

NAME = b"svc/caf\xe9.py"

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                                reason="needs a file system that stores arbitrary bytes")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "proj", {"app/core/models.py": "class User: pass\n",
                                             "app/legacy/__init__.py":
                                                 "from app.core.models import User\n",
                                             "svc/__init__.py": ""},
                         '[symbols."app.core.models.User"]\naliases = ["app.legacy.User"]\n',
                         packages=("app", "svc"))
    try:
        with open(os.path.join(os.fsencode(root), NAME), "wb") as handle:
            handle.write(b"from app.legacy import User\nimport app.nope\n")
    except OSError as exc:  # pragma: no cover - a file system that insists on UTF-8
        pytest.skip(f"cannot create a non-UTF-8 name here: {exc}")
    return root


def test_json_carries_the_exact_bytes(project: Path) -> None:
    result = run_cli_subprocess(["check", "--no-cache", "--format", "json"], project)
    assert_clean_exit(result, 1)
    paths = {f["path"] for f in result.json()["findings"]}
    assert {os.fsencode(p) for p in paths} == {NAME}


def test_sarif_uri_is_the_percent_encoded_bytes(project: Path) -> None:
    result = run_cli_subprocess(["check", "--no-cache", "--format", "sarif"], project)
    assert_clean_exit(result, 1)
    results = result.json()["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"svc/caf%E9.py"}
    assert {unquote_to_bytes(u) for u in uris} == {NAME}
    fingerprints = {r["partialFingerprints"]["ssotLint/v1"] for r in results}
    assert len(fingerprints) == 2


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_line_formats_escape_the_name(project: Path, fmt: str) -> None:
    result = run_cli_subprocess(["check", "--no-cache", "--format", fmt], project)
    assert_clean_exit(result, 1)
    assert "\ufffd" not in result.stdout  # nothing was lost to a replacement character
    assert "svc/caf\\" in result.stdout


def test_a_baseline_round_trips(project: Path) -> None:
    written = run_cli_subprocess(["check", "--no-cache", "--write-baseline", "bl.toml"], project)
    assert_clean_exit(written, 0)
    text = (project / "bl.toml").read_text(encoding="utf-8")
    assert 'path = "svc/caf\\\\xe9.py"' in text
    again = run_cli_subprocess(["check", "--no-cache", "--baseline", "bl.toml",
                                "--strict-baseline"], project)
    assert_clean_exit(again, 0)
    assert "2 known findings hidden, 0 new" in again.stderr
    statistics = run_cli_subprocess(["check", "--no-cache", "--statistics"], project)
    assert_clean_exit(statistics, 1)
