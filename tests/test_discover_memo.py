"""A remembered walk is replayed only while it would find exactly the same files.

Each test walks a real tree on disk through ``discover_remembered`` and compares the
answer with a plain ``discover`` after each kind of change. The two-second "racy"
window is turned off and every changed directory gets a new, later mtime, as the
passing of time would give it (tests run faster than the file system's clock ticks).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ssot_lint.cache import discover_memo
from ssot_lint.cache.store import FactsCache
from ssot_lint.discover import SourceFile, discover

_ticks = itertools.count(1)
BASE = 1_600_000_000


def settle(*paths: Path) -> None:
    """Give ``paths`` a fresh, distinct mtime (time passing between edits)."""
    stamp = BASE + next(_ticks)
    for path in paths:
        os.utime(path, (stamp, stamp))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(discover_memo, "RACY_SECONDS", -1e9)  # every stamp counts as settled
    root = tmp_path / "proj"
    for rel in ("app/__init__.py", "app/core.py", "app/api/__init__.py", "app/api/views.py",
                "app/migrations/0001_initial.py", "build/gen.py", "legacy/old.py",
                "tools/run.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x = 1\n")
    (root / ".gitignore").write_text("legacy/\n")
    return root


def walk(root: Path, cache: FactsCache) -> list[SourceFile]:
    found = discover_memo.discover_remembered(root, (".",), exclude=(), respect_gitignore=True,
                                              cache=cache, code="test")
    cache.flush()
    return found


@pytest.fixture
def cache(tmp_path: Path) -> FactsCache:
    opened = FactsCache.open(tmp_path / "cache", (3, 12))
    yield opened
    opened.close()


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real walks (a replay does not walk)."""
    calls: list[int] = []
    real = discover_memo.discover

    def counting(*args: object, **kwargs: object) -> list[SourceFile]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(discover_memo, "discover", counting)
    return calls


def test_an_unchanged_tree_is_replayed_exactly(tree: Path, cache: FactsCache,
                                               walks: list[int]) -> None:
    first = walk(tree, cache)
    assert walks == [1]
    again = walk(tree, cache)
    assert walks == [1], "nothing changed: the walk is replayed"
    assert again == first == discover(tree, (".",))
    assert [f.rel for f in again] == ["app/__init__.py", "app/api/__init__.py",
                                      "app/api/views.py", "app/core.py",
                                      "app/migrations/0001_initial.py", "tools/run.py"]


def _add_file(root: Path) -> None:
    (root / "app/api/new.py").write_text("")
    settle(root / "app/api")


def _delete_file(root: Path) -> None:
    (root / "app/core.py").unlink()
    settle(root / "app")


def _rename_file(root: Path) -> None:
    (root / "tools/run.py").rename(root / "tools/go.py")
    settle(root / "tools")


def _add_directory(root: Path) -> None:
    (root / "app/extra").mkdir()
    (root / "app/extra/mod.py").write_text("")
    settle(root / "app/extra", root / "app")


def _edit_gitignore(root: Path) -> None:
    (root / ".gitignore").write_text("legacy/\ntools/\n")
    settle(root / ".gitignore")


def _add_nested_gitignore(root: Path) -> None:
    (root / "app/.gitignore").write_text("migrations/\n")
    settle(root / "app")


def _unignore(root: Path) -> None:
    (root / ".gitignore").write_text("")
    settle(root / ".gitignore")


def _replace_file_by_directory(root: Path) -> None:
    (root / "app/core.py").unlink()
    (root / "app/core.py").mkdir()
    settle(root / "app/core.py", root / "app")


def _add_symlinked_file(root: Path) -> None:
    (root / "app/alias.py").symlink_to(root / "tools/run.py")
    settle(root / "app")


def _content_edit(root: Path) -> None:  # no effect on which files exist: still replayed
    (root / "app/core.py").write_text("y = 2\n")


CHANGES: list[Callable[[Path], None]] = [
    _add_file, _delete_file, _rename_file, _add_directory, _edit_gitignore,
    _add_nested_gitignore, _unignore, _replace_file_by_directory, _add_symlinked_file]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_a_change_to_the_tree_is_walked_again(tree: Path, cache: FactsCache, walks: list[int],
                                              change: Callable[[Path], None]) -> None:
    before = walk(tree, cache)
    change(tree)
    after = walk(tree, cache)
    assert walks == [1, 1], "the change was noticed"
    assert after == discover(tree, (".",))
    assert after != before


def test_a_content_edit_keeps_the_replay(tree: Path, cache: FactsCache,
                                         walks: list[int]) -> None:
    before = walk(tree, cache)
    _content_edit(tree)
    assert walk(tree, cache) == before == discover(tree, (".",))
    assert walks == [1]


def test_symlinked_files_are_never_replayed(tree: Path, cache: FactsCache,
                                            walks: list[int]) -> None:
    _add_symlinked_file(tree)
    walk(tree, cache)
    walk(tree, cache)
    assert walks == [1, 1]  # their targets can change where no watched directory sees it


def test_other_settings_are_other_walks(tree: Path, cache: FactsCache, walks: list[int]) -> None:
    walk(tree, cache)
    found = discover_memo.discover_remembered(tree, ("app",), exclude=("tools",),
                                              respect_gitignore=True, cache=cache, code="test")
    assert walks == [1, 1]
    assert found == discover(tree, ("app",), exclude=("tools",))


def test_recently_modified_directories_are_not_remembered(tree: Path, cache: FactsCache,
                                                          walks: list[int],
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(discover_memo, "RACY_SECONDS", 2.0)  # the real window
    (tree / "app/fresh.py").write_text("")  # app/ modified just now
    walk(tree, cache)
    walk(tree, cache)
    assert walks == [1, 1]  # its mtime could still change within the same tick


def test_a_damaged_row_is_walked_again(tree: Path, cache: FactsCache, walks: list[int]) -> None:
    first = walk(tree, cache)
    assert cache._db is not None
    data = cache._db.execute("SELECT data FROM discovery").fetchone()[0]
    cache._db.execute("UPDATE discovery SET data = ?", (data.replace("core", "kore"),))
    assert walk(tree, cache) == first
    assert walks == [1, 1]


def test_a_bad_source_root_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from ssot_lint.api import check, resolve_config
    from ssot_lint.errors import RegistryError

    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app/__init__.py").write_text("")
    (root / "ssot-registry.toml").write_text('version = 1\n[project]\nsource_roots = ["src"]\n')
    with pytest.raises(RegistryError, match="source root 'src' is not a directory"):
        check([], resolve_config([root]))
    assert not (root / ".ssot_lint_cache").exists()


def test_a_vanished_source_root_is_refused_not_replayed(tree: Path, cache: FactsCache,
                                                        walks: list[int]) -> None:
    from ssot_lint.errors import RegistryError

    def walk_app() -> list[SourceFile]:
        found = discover_memo.discover_remembered(tree, ("app",), exclude=(),
                                                  respect_gitignore=True, cache=cache,
                                                  code="test")
        cache.flush()
        return found

    walk_app()
    assert walk_app() == discover(tree, ("app",)) and walks == [1]
    (tree / "app").rename(tree / "application")
    settle(tree)
    with pytest.raises(RegistryError, match="source root 'app'"):
        walk_app()
