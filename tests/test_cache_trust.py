"""The cache against hostile or unlucky surroundings (issue 15's cache items).

Each test covers a class: where the cache may live (its own directory, never a
symlink), another process holding it, rows whose CRC is valid but whose values are
of the wrong type, file names that are not UTF-8, a remembered walk naming a path
outside the project; and the codec's promise that every fact field type round-trips.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pytest

from ssot_lint.cache import codec
from ssot_lint.cache import store as store_module
from ssot_lint.cache.store import DB_NAME
from ssot_lint.model.facts import FileFacts
from tests.conftest import fact_sample, run_check, write_project

REGISTRY = """
[project]
packages = ["app", "svc"]

[symbols."app.core.models.User"]
aliases = ["app.legacy.User"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", {
        "app/core/models.py": "class User:\n    pass\n",
        "app/legacy/__init__.py": "from app.core.models import User\n",
        "svc/views.py": "from app.legacy import User\n",
    }, REGISTRY)


def _found(root: Path, **overrides: Any) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in run_check(root, **overrides)]


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SSOT_LINT_CACHE_DIR"}
    done = subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    done.output = done.stdout + done.stderr  # type: ignore[attr-defined]  # one place to look
    return done


# -- where the cache lives -------------------------------------------------------------
@pytest.mark.parametrize("where", [".", "app/core", "svc"])
def test_a_non_empty_directory_is_refused_and_left_alone(project: Path, where: str) -> None:
    before = sorted(p.name for p in (project / where).iterdir())
    result = _cli(project, "check", "--cache-dir", where)
    assert result.returncode == 2
    assert "is not empty and is not an ssot-lint cache" in result.output
    assert sorted(p.name for p in (project / where).iterdir()) == before  # no .gitignore


def test_a_new_or_empty_directory_becomes_the_cache(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for directory in (empty, tmp_path / "new" / "deeper"):
        for _ in range(2):  # the second run finds its own files there
            result = _cli(project, "check", "--cache-dir", str(directory))
            assert result.returncode == 1, result.output
        assert sorted(p.name for p in directory.iterdir()) == [".gitignore", DB_NAME]


def test_a_cache_inside_the_tree_never_hides_the_tree(project: Path) -> None:
    inside = project / "app" / "cache"
    first = _cli(project, "check", "--cache-dir", str(inside))
    second = _cli(project, "check", "--cache-dir", str(inside))
    assert first.returncode == second.returncode == 1
    assert "SSOT112" in first.output and first.output == second.output


def test_symlinked_cache_directory_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".ssot_lint_cache").symlink_to(outside, target_is_directory=True)
    result = _cli(project, "check")
    assert result.returncode == 2 and "is a symbolic link" in result.output
    assert list(outside.iterdir()) == []


def test_symlinked_database_is_refused(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-app.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE mine (x)")
    before = other.read_bytes()
    cache = project / ".ssot_lint_cache"
    cache.mkdir()
    (cache / DB_NAME).symlink_to(other)
    result = _cli(project, "check")
    assert result.returncode == 2 and "is a symbolic link" in result.output
    assert other.read_bytes() == before


# -- another process holds the cache ----------------------------------------------------
def test_a_locked_cache_is_waited_for_then_skipped_never_deleted(
        project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    expected = _found(project, cache=False)
    _found(project)  # create the cache
    database = project / ".ssot_lint_cache" / DB_NAME
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE holder_was_here (x)")
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.2)
    try:
        (project / "svc" / "views.py").write_text("from app.legacy import User\nx = 1\n")
        assert _found(project) == expected
    finally:
        holder.execute("COMMIT")  # the holder's transaction still commits
        holder.close()
    assert database.is_file()
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM holder_was_here").fetchone() == (0,)
    assert "locked by another process" in caplog.text
    assert _found(project) == expected  # and the next run uses the cache again


# -- rows with a valid CRC and wrong types -------------------------------------------------
@pytest.mark.parametrize("bad", ["1", None, 10**30, True, 1.5, [1]])
def test_wrong_typed_values_decode_as_damage(bad: Any) -> None:
    from ssot_lint.facts.extract import extract_facts

    facts = extract_facts(b"from app.legacy import User\nUser()\n", (3, 12))
    from ssot_lint.model.facts import ImportFact

    row = json.loads(codec.encode_facts(facts))
    imports_at = [f.name for f in fields(FileFacts)].index("imports")
    row[imports_at][0][[f.name for f in fields(ImportFact)].index("line")] = bad
    with pytest.raises((TypeError, ValueError)):
        codec.decode_facts(json.dumps(row))


def test_forged_rows_with_valid_crc_are_recomputed(project: Path) -> None:
    expected = _found(project, cache=False)
    _found(project)
    database = project / ".ssot_lint_cache" / DB_NAME
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT digest, salt, data, interface FROM facts").fetchall()
        for digest, salt, data, face in rows:
            forged = data.replace("[1,", "[1000000000000000000000000000000,", 1)
            db.execute("UPDATE facts SET data = ?, crc = ? WHERE digest = ? AND salt = ?",
                       (forged, store_module._crc(digest, salt, f"{forged}\0{face}"), digest,
                        salt))
        db.execute("DELETE FROM results")
        db.execute("DELETE FROM stats")
    assert _found(project) == expected


# -- file names that are not UTF-8 ------------------------------------------------------
@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_non_utf8_file_names_round_trip_through_the_cache(project: Path) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    try:
        (project / "svc" / name).write_text("from app.legacy import User\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    expected = _found(project, cache=False)
    assert any(path.endswith(name) and code == "SSOT112" for path, _, _, code, _ in expected)
    assert _found(project) == expected  # cold
    assert _found(project) == expected  # warm: stats, results and walk replayed
    (project / "svc" / name).write_text("from app.legacy import User\n\n")
    assert _found(project) == expected


# -- a remembered walk never leaves the project -------------------------------------------
@pytest.mark.parametrize("rel", ["../outside/evil.py", "/etc/evil.py", "svc/../../evil.py",
                                 "nowhere/listed.py"])
def test_a_forged_walk_row_naming_a_path_outside_is_walked_again(
        project: Path, tmp_path: Path, rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssot_lint.cache import discover_memo

    monkeypatch.setattr(discover_memo, "RACY_SECONDS", -1e9)  # every stamp counts as settled
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text("from app.legacy import User\n")
    expected = _found(project, cache=False)
    _found(project)
    database = project / ".ssot_lint_cache" / DB_NAME
    with sqlite3.connect(database) as db:
        key, data = db.execute("SELECT key, data FROM discovery").fetchone()
        walk = json.loads(data)
        walk["files"].append([rel, "svc.evil", False, "svc"])
        forged = json.dumps(walk)
        db.execute("UPDATE discovery SET data = ?, crc = ?",
                   (forged, store_module._crc(key, "", forged)))
        db.execute("DELETE FROM results")
    assert _found(project) == expected


# -- every fact field type round-trips through the codec ------------------------------------
def test_every_fact_field_type_round_trips() -> None:
    facts = fact_sample(FileFacts)
    assert codec.decode_facts(codec.encode_facts(facts)) == facts
    bare = FileFacts()
    assert codec.decode_facts(codec.encode_facts(bare)) == bare


def test_heterogeneous_tuples_round_trip_and_unsupported_types_fail_at_build() -> None:
    @dataclass(frozen=True)
    class Pair:
        place: tuple[str, int]
        maybe: tuple[str, ...] | None = None

    layout: list[str] = []
    decode = codec._dataclass_decoder(Pair, layout)
    value = Pair(("a", 3), ("x",))
    assert decode(json.loads(json.dumps(value, default=codec.field_values))) == value
    with pytest.raises(TypeError):
        decode(["a", 3])

    @dataclass(frozen=True)
    class Bad:
        names: frozenset[str]

    with pytest.raises(TypeError, match="cannot decode"):
        codec._dataclass_decoder(Bad, [])
