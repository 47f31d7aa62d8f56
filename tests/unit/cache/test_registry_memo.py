"""The parsed registry remembered in the cache directory (``cache.registry_memo``).

The memo may only ever be a faster way to the same object: a hit equals a fresh read
(origins included), any edit to the registry's files or names reads afresh, damage of
any kind reads afresh (and is healed), and a registry with errors is never remembered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from ssot_lint.cache.registry_memo import (
    RegistryMemo,
    decode_registry,
    encode_registry,
    load_remembered,
    registry_key,
)
from ssot_lint.cache.store import REGISTRY_MEMO, check_cache_directory
from ssot_lint.errors import SsotLintError
from ssot_lint.load.registry import load_registry
from ssot_lint.model.registry import Registry, RuleEntry
from tests.conftest import REPO, write_project

# Every section and value type the loader builds: dates, booleans, ignore_imports,
# patterns, policy tuples, a quoted key with a dot, an alias list.
FULL = """version = 1

[project]
packages = ["app", "svc"]
source_roots = ["."]

[policy]
relative_imports = "forbid"
cycle_imports = "all"
duplicate_exclude = ["tests/**"]

[symbols."app.core.models.User"]
aliases = ["app.legacy.User", "app.compat.User"]
verified = 2024-05-01

[symbols."app.core.models.Group"]
verified = false

[broken."app.old.thing"]
use_instead = "app.core.models.User"
reason = "removed in 2.0"
severity = "warning"
allow_in = ["type_checking"]
paths = ["tests/**"]
fix = "rename"
scope = "path"

[deprecated."app.legacy.helper"]
use_instead = "app.core.helper"
hint = "call it with keyword arguments"
docs = "https://example.org/helper"

[services.app]
packages = ["app"]
may_import = []
public = ["app.core.models"]
owner = "team-app"
ignore_imports = ["app.* -> svc.**"]

[services.svc]
packages = ["svc"]
may_import = ["app"]
reason = "the web front"

[[layers]]
name = "stack"
order = ["svc", "app"]

[[contracts]]
name = "models stay pure"
source = ["app.core"]
forbidden = ["svc"]
allow_indirect = true

[[patterns]]
call = "app.core.helper"
when = "keyword:!strict"
hint = "pass strict="
"""


def _remembered(path: Path, cache: Path, base: Path | None = None) -> tuple[Registry, RegistryMemo]:
    """Load through the memo as ``open_project`` does: recall, else read and remember."""
    memo = RegistryMemo(cache)
    registry, key = load_remembered(path, base, memo)
    if key is not None:
        cache.mkdir(exist_ok=True)
        memo.remember(key, registry)
    return registry, memo


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "ssot-registry.toml"
    path.write_text(FULL, encoding="utf-8")
    return path


def _forge(cache: Path, registry: Registry, key: str) -> None:
    """Store ``registry`` under ``key`` (a valid memo the tests can recognise)."""
    RegistryMemo(cache).remember(key, registry)


# -- a hit is the same object as a fresh read ------------------------------------------
@pytest.mark.parametrize("source", ["full", "own"])
def test_remembered_registry_equals_a_fresh_read(tmp_path: Path, registry_file: Path,
                                                 source: str) -> None:
    path = registry_file if source == "full" else REPO / "registry" / "ssot-lint.toml"
    fresh = load_registry(path, display_base=tmp_path)
    cache = tmp_path / "cache"
    first, _ = _remembered(path, cache, tmp_path)  # a miss: read and remembered
    assert (cache / REGISTRY_MEMO).is_file()
    second, memo = _remembered(path, cache, tmp_path)  # a hit
    assert memo.notes == []
    assert first == fresh and second == fresh
    assert repr(second) == repr(fresh)  # every field, origins and their lines included
    assert second.digest == first.digest == registry_key(path, tmp_path)
    assert [e.origin for e in second.symbols.values()] == \
        [e.origin for e in fresh.symbols.values()]
    if source == "full":
        header = FULL.splitlines().index('[symbols."app.core.models.User"]') + 1
        assert second.symbols["app.core.models.User"].origin.line == header


def test_a_hit_is_served_from_the_memo_not_parsed(tmp_path: Path, registry_file: Path) -> None:
    """What the memo holds under the current key is what a run gets (so a hit really
    skips the TOML): a registry stored under the key comes back as stored."""
    cache = tmp_path / "cache"
    cache.mkdir()
    key = registry_key(registry_file, tmp_path)
    assert key is not None
    marked = replace(load_registry(registry_file, display_base=tmp_path), packages=("marked",))
    _forge(cache, marked, key)
    served, memo = _remembered(registry_file, cache, tmp_path)
    assert served.packages == ("marked",) and memo.notes == []


def test_encoding_round_trips_every_value(registry_file: Path, tmp_path: Path) -> None:
    fresh = load_registry(registry_file, display_base=tmp_path)
    assert decode_registry(encode_registry(fresh)) == fresh
    assert repr(decode_registry(encode_registry(fresh))) == repr(fresh)


# -- any edit reads afresh ----------------------------------------------------------------
def test_an_edit_reads_the_registry_afresh(tmp_path: Path, registry_file: Path) -> None:
    cache = tmp_path / "cache"
    before, _ = _remembered(registry_file, cache, tmp_path)
    registry_file.write_text(FULL.replace('reason = "removed in 2.0"', 'reason = "gone"'),
                             encoding="utf-8")
    after, _ = _remembered(registry_file, cache, tmp_path)
    assert after.broken["app.old.thing"].reason == "gone"
    assert after == load_registry(registry_file, display_base=tmp_path) != before
    # a comment moves every entry below it: the lines are read afresh too
    registry_file.write_text("# owned by team-app\n" + registry_file.read_text())
    moved, _ = _remembered(registry_file, cache, tmp_path)
    line = before.symbols["app.core.models.User"].origin.line
    assert line is not None and moved.symbols["app.core.models.User"].origin.line == line + 1


def test_a_file_added_to_a_registry_directory_reads_afresh(tmp_path: Path) -> None:
    directory = tmp_path / "registry"
    directory.mkdir()
    (directory / "a.toml").write_text('version = 1\n[symbols."app.m.A"]\n')
    cache = tmp_path / "cache"
    first, _ = _remembered(directory, cache, tmp_path)
    (directory / "b.toml").write_text('version = 1\n[broken."app.old"]\nreason = "gone"\n')
    second, _ = _remembered(directory, cache, tmp_path)
    assert list(first.broken) == [] and list(second.broken) == ["app.old"]
    assert second.files == ("registry/a.toml", "registry/b.toml")


def test_the_same_bytes_shown_under_another_name_are_another_registry(
        tmp_path: Path, registry_file: Path) -> None:
    """Origins name the file as the run shows it (relative to the working directory)."""
    cache = tmp_path / "cache"
    here, _ = _remembered(registry_file, cache, tmp_path)
    above, _ = _remembered(registry_file, cache, tmp_path.parent)
    assert here.files == ("ssot-registry.toml",)
    assert above.files == (f"{tmp_path.name}/ssot-registry.toml",)
    assert above.symbols["app.core.models.User"].origin.file == above.files[0]


def test_a_registry_with_errors_is_never_remembered(tmp_path: Path) -> None:
    path = tmp_path / "ssot-registry.toml"
    path.write_text('version = 1\n[broken."app.old"]\nseverity = "fatal"\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    for _ in range(2):
        with pytest.raises(SsotLintError, match="'fatal' is not one of"):
            _remembered(path, cache, tmp_path)
    assert not (cache / REGISTRY_MEMO).exists()


# -- damage reads afresh, and is healed ---------------------------------------------------
def _valid_memo(cache: Path, registry_file: Path, base: Path) -> bytes:
    _remembered(registry_file, cache, base)
    return (cache / REGISTRY_MEMO).read_bytes()


def _retyped(data: bytes) -> bytes:
    """A body whose digest matches but one value has the wrong type (an int for a string)."""
    import hashlib

    header, body = data.split(b"\n", 1)
    row = json.loads(body)
    row[1] = [7]  # packages: a tuple of strings
    new_body = json.dumps(row, separators=(",", ":")).encode()
    fields = json.loads(header)
    fields["digest"] = hashlib.blake2b(new_body, digest_size=16).hexdigest()
    return json.dumps(fields).encode() + b"\n" + new_body


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "flipped byte in the body": lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],
    "garbage header": lambda data: b"\x00\xff not json\n" + data.split(b"\n", 1)[1],
    "header only": lambda data: data.split(b"\n", 1)[0],
    "empty": lambda data: b"",
    "wrong types, valid digest": _retyped,
    "deep body, wrong digest": lambda data: data.split(b"\n")[0] + b"\n" + b"[" * 100_000,
    "not UTF-8": lambda data: data.split(b"\n", 1)[0] + b"\n\xff\xfe",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damage_reads_afresh_and_heals(tmp_path: Path, registry_file: Path,
                                       damage: str) -> None:
    cache = tmp_path / "cache"
    good = _valid_memo(cache, registry_file, tmp_path)
    (cache / REGISTRY_MEMO).write_bytes(DAMAGE[damage](good))
    fresh = load_registry(registry_file, display_base=tmp_path)
    served, memo = _remembered(registry_file, cache, tmp_path)
    assert served == fresh and repr(served) == repr(fresh)
    assert len(memo.notes) == 1 and "registry cache" in memo.notes[0] \
        and "read the registry afresh" in memo.notes[0]
    assert (cache / REGISTRY_MEMO).read_bytes() == good  # healed
    again, memo = _remembered(registry_file, cache, tmp_path)
    assert again == fresh and memo.notes == []


def test_a_forged_digest_with_a_deep_body_is_damage(tmp_path: Path, registry_file: Path) -> None:
    """Nesting deep enough to exhaust the decoder's recursion is damage, not a crash."""
    import hashlib

    cache = tmp_path / "cache"
    good = _valid_memo(cache, registry_file, tmp_path)
    body = b"[" * 200_000 + b"]" * 200_000
    fields = json.loads(good.split(b"\n", 1)[0])
    fields["digest"] = hashlib.blake2b(body, digest_size=16).hexdigest()
    (cache / REGISTRY_MEMO).write_bytes(json.dumps(fields).encode() + b"\n" + body)
    served, memo = _remembered(registry_file, cache, tmp_path)
    assert served == load_registry(registry_file, display_base=tmp_path)
    assert memo.notes and "damaged" in memo.notes[0]


def test_a_memo_that_is_not_a_regular_file_is_not_read(tmp_path: Path,
                                                       registry_file: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    os.mkfifo(cache / REGISTRY_MEMO)  # would block a plain open() forever
    served, memo = _remembered(registry_file, cache, tmp_path)
    assert served == load_registry(registry_file, display_base=tmp_path)
    assert any("FIFO" in note for note in memo.notes)


# -- the cache directory and the command line ---------------------------------------------
def test_the_memo_and_its_temporaries_belong_to_the_cache_directory(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / REGISTRY_MEMO).write_text("{}")
    (cache / f".{REGISTRY_MEMO}.4242.abcdefgh.ssot-lint.tmp").write_text("partial")
    check_cache_directory(cache)  # no error: both are the cache's own files
    (cache / REGISTRY_MEMO).unlink()
    os.symlink(tmp_path / "elsewhere.json", cache / REGISTRY_MEMO)
    with pytest.raises(SsotLintError, match="symbolic link"):
        check_cache_directory(cache)


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SSOT_LINT_CACHE_DIR"}
    return subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=root, env=env,
                          capture_output=True, text=True, check=False)


def test_check_reads_the_remembered_registry_and_sees_edits(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/core/models.py": "class User:\n    pass\n",
        "app/legacy/__init__.py": "from app.core.models import User\n",
        "svc/views.py": "from app.legacy import User\n",
    }, '[project]\npackages = ["app", "svc"]\n\n[symbols."app.core.models.User"]\n'
       'aliases = ["app.legacy.User"]\n')
    uncached = _cli(root, "check", "--no-cache", "--format", "json")
    cold = _cli(root, "check", "--format", "json")
    assert (root / ".ssot_lint_cache" / REGISTRY_MEMO).is_file()
    warm = _cli(root, "check", "--format", "json")
    assert cold.stdout == warm.stdout == uncached.stdout and warm.stderr == ""
    assert cold.returncode == warm.returncode == 1
    assert json.loads(warm.stdout)["summary"]["by_code"] == {"SSOT112": 1}
    registry = root / "ssot-registry.toml"
    registry.write_text(registry.read_text() + '\n[deprecated."app.legacy"]\n'
                        'use_instead = "app.core.models"\n')
    edited = _cli(root, "check", "--format", "json")
    assert edited.stdout == _cli(root, "check", "--no-cache", "--format", "json").stdout
    assert "SSOT111" in json.loads(edited.stdout)["summary"]["by_code"]
    (root / ".ssot_lint_cache" / REGISTRY_MEMO).write_bytes(b"damaged")
    healed = _cli(root, "check", "--format", "json")
    assert healed.stdout == edited.stdout and "registry cache" in healed.stderr


def test_a_deprecated_entry_read_from_the_memo_is_a_rule_entry(tmp_path: Path,
                                                               registry_file: Path) -> None:
    cache = tmp_path / "cache"
    _remembered(registry_file, cache, tmp_path)
    served, _ = _remembered(registry_file, cache, tmp_path)
    entry = served.deprecated["app.legacy.helper"]
    assert isinstance(entry, RuleEntry) and entry.kind == "deprecated"
    assert entry.allow_in == () and isinstance(entry.allow_in, tuple)


def test_where_reads_the_memo_and_never_creates_a_cache(tmp_path: Path) -> None:
    """``where`` reads only the registry: through the memo once a run made the cache
    directory (damage healed, the same answer), and without one it creates none."""
    root = write_project(tmp_path / "proj", {"app/core/models.py": "class User: ...\n"},
                         '[project]\npackages = ["app"]\n\n[symbols."app.core.models.User"]\n'
                         'aliases = ["app.legacy.User"]\n')
    cache = root / ".ssot_lint_cache"
    before = _cli(root, "where", "app.legacy.User")
    assert before.returncode == 0 and "app.core.models.User" in before.stdout
    assert not cache.exists()
    _cli(root, "check")
    (cache / REGISTRY_MEMO).write_bytes(b"damaged")
    healed = _cli(root, "where", "app.legacy.User")
    assert healed.stdout == before.stdout and "registry cache" in healed.stderr
    assert (cache / REGISTRY_MEMO).read_bytes().startswith(b'{"format"')
    again = _cli(root, "where", "app.legacy.User")
    assert again.stdout == before.stdout and again.stderr == ""
