"""Real files, damaged on purpose: every run completes with findings, never a crash.

The pinned ``attrs`` sdist (real, varied Python) is copied into a project; each round
damages every file with a seeded random mutation (delete a line, truncate, insert hostile
bytes, shift a line's indentation, splice in an encoding declaration). ``check`` must
then flag exactly the files CPython itself cannot parse (SSOT001/SSOT002) -- a
differential oracle -- and ``fix --diff`` and ``graph`` must finish cleanly on the same
tree. SSOT_LINT_FUZZ=long runs twenty times as many rounds.
"""

from __future__ import annotations

import ast
import random
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from tests.trust._budget import rounds
from tests.trust._cli import assert_clean_exit, run_cli
from tests.trust._corpus import sdist_tree

pytestmark = pytest.mark.corpus

CORPUS = "attrs==24.2.0"
TARGET = f"{sys.version_info.major}.{sys.version_info.minor}"
HOSTILE = [b"\x00", b"\xff", b"\xc3", b"(", b")", b"[", b"]", b'"', b"'", b'"""', b"\\", b":",
           b"\t", b" ", b"    ", b"\n", b"\r", b"\r\n", b"#", b"\xef\xbb\xbf", b"lambda ",
           b"import ", b"from . import x\n", b"f'{", b"}", b"yield ", b"-" * 50, b"async "]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    kind = rng.choice(["delete", "truncate", "insert", "indent", "declare", "insert"])
    if kind == "delete" and lines:
        del lines[rng.randrange(len(lines))]
        return b"".join(lines)
    if kind == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if kind == "indent" and lines:
        index = rng.randrange(len(lines))
        lines[index] = rng.choice([b" ", b"\t", b"        "]) + lines[index]
        return b"".join(lines)
    if kind == "declare":
        codec = rng.choice([b"latin-1", b"ascii", b"utf-16", b"klingon", b"utf-8"])
        return b"# -*- coding: " + codec + b" -*-\n" + data
    at = rng.randrange(len(data) + 1)
    junk = b"".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 4)))
    return data[:at] + junk + data[at:]


def _cpython_rejects(data: bytes) -> bool:
    """Whether this interpreter's own parser refuses the bytes (the oracle)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError, LookupError):
        return True
    return False


@pytest.fixture(scope="module")
def pristine() -> Path:
    return sdist_tree(CORPUS)


@pytest.mark.parametrize("seed", range(rounds(2)))
def test_mutated_real_files_give_findings_never_crashes(tmp_path: Path, pristine: Path,
                                                        seed: int) -> None:
    root = tmp_path / "attrs"
    shutil.copytree(pristine / "src", root / "src")
    shutil.copytree(pristine / "tests", root / "tests")
    (root / "ssot-registry.toml").write_text(
        'version = 1\n[project]\npackages = ["attr", "attrs"]\nsource_roots = ["src", "."]\n'
        '[deprecated."attr.s"]\nuse_instead = "attrs.define"\n')
    rng = random.Random(seed)
    rejected: set[str] = set()
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".pyi"))
    assert len(files) > 40
    for path in files:
        data = _mutate(path.read_bytes(), rng)
        path.write_bytes(data)
        if _cpython_rejects(data):
            rejected.add(path.relative_to(root).as_posix())
    assert rejected  # the mutations do break things

    result = run_cli(["check", "--no-cache", "--format", "json", "--target-version", TARGET], root)
    assert_clean_exit(result, 0, 1)
    report = result.json()
    assert report["summary"]["files_checked"] == len(files)
    flagged = {f["path"] for f in report["findings"] if f["code"] in ("SSOT001", "SSOT002")}
    assert flagged == rejected

    for args in (["fix", "--diff", "--target-version", TARGET], ["graph", "--format", "json"]):
        assert_clean_exit(run_cli([*args], root), 0, 1)
