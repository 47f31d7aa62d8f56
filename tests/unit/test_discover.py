"""Discovery: which files are Python source of the project, and their module names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssot_lint.discover import discover, module_name
from ssot_lint.errors import RegistryError


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def rels(root: Path, **kwargs: object) -> list[str]:
    return [f.rel for f in discover(root, (".",), **kwargs)]  # type: ignore[arg-type]


def test_finds_py_and_pyi_sorted(tmp_path: Path) -> None:
    tree(tmp_path, {"b.py": "", "a/x.pyi": "", "a/x.py": "", "notes.txt": "", "a/data.json": "",
                    "script": ""})
    assert rels(tmp_path) == ["a/x.py", "a/x.pyi", "b.py"]


def test_root_gitignore(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "generated/\n*_pb2.py\n!keep_pb2.py\n",
                    "app/model_pb2.py": "", "app/keep_pb2.py": "", "generated/x.py": "",
                    "app/main.py": ""})
    assert rels(tmp_path) == ["app/keep_pb2.py", "app/main.py"]
    assert rels(tmp_path, respect_gitignore=False) == [
        "app/keep_pb2.py", "app/main.py", "app/model_pb2.py", "generated/x.py"]


def test_nested_gitignore_applies_only_below_it(tmp_path: Path) -> None:
    tree(tmp_path, {"svc/.gitignore": "/local.py\nscratch/\n", "svc/local.py": "",
                    "svc/deep/local.py": "", "svc/scratch/a.py": "", "local.py": "",
                    "other/scratch/b.py": ""})
    assert rels(tmp_path) == ["local.py", "other/scratch/b.py", "svc/deep/local.py"]


def test_exclude_patterns_are_gitignore_style(tmp_path: Path) -> None:
    tree(tmp_path, {"app/main.py": "", "app/migrations/0001.py": "", "tests/test_x.py": "",
                    "app/tests/test_y.py": ""})
    assert rels(tmp_path, exclude=("migrations/", "/tests/")) == [
        "app/main.py", "app/tests/test_y.py"]


@pytest.mark.parametrize("skipped", [".git", "__pycache__", ".venv", "venv", ".tox",
                                     "build", "dist", "node_modules", "site-packages",
                                     "pkg.egg-info", ".mypy_cache"])
def test_default_excluded_directories(tmp_path: Path, skipped: str) -> None:
    tree(tmp_path, {f"{skipped}/mod.py": "", f"app/{skipped}/mod.py": "", "app/main.py": ""})
    assert rels(tmp_path) == ["app/main.py"]


def test_symlinked_directory_is_not_followed(tmp_path: Path) -> None:
    tree(tmp_path, {"app/real/mod.py": ""})
    (tmp_path / "app" / "alias").symlink_to(tmp_path / "app" / "real", target_is_directory=True)
    (tmp_path / "app" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert rels(tmp_path) == ["app/real/mod.py"]


def test_symlinked_file_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"secret.py": ""})
    root = tree(tmp_path / "proj", {"app/main.py": "", "app/real.py": ""})
    (root / "app" / "leak.py").symlink_to(outside / "secret.py")
    (root / "app" / "inside.py").symlink_to(root / "app" / "real.py")
    (root / "app" / "dangling.py").symlink_to(root / "app" / "nowhere.py")
    assert rels(root) == ["app/inside.py", "app/main.py", "app/real.py"]


def test_paths_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    tree(tmp_path, {"my scripts/run.py": "", "pkg/modül.py": "", "pkg/日本.py": "",
                    "pkg/bad-name.py": ""})
    found = {f.rel: f.module for f in discover(tmp_path, (".",))}
    assert found == {"my scripts/run.py": None, "pkg/bad-name.py": None,
                     "pkg/modül.py": "pkg.modül", "pkg/日本.py": "pkg.日本"}


def test_module_names() -> None:
    assert module_name(Path("pkg/sub/__init__.py")) == ("pkg.sub", True)
    assert module_name(Path("pkg/mod.pyi")) == ("pkg.mod", False)
    assert module_name(Path("top.py")) == ("top", False)
    assert module_name(Path("__init__.py")) == (None, True)
    assert module_name(Path("1pkg/mod.py")) == (None, False)


def test_discovery_is_deterministic(tmp_path: Path) -> None:
    names = [f"m{i}.py" for i in range(30)]
    for name in reversed(names):
        (tmp_path / name).write_text("")
    first = rels(tmp_path)
    os.utime(tmp_path / "m5.py")
    assert first == rels(tmp_path) == sorted(names)


@pytest.mark.parametrize("bad", ["src", "../elsewhere", "setup.py"])
def test_source_root_must_be_a_directory_inside_the_project(tmp_path: Path, bad: str) -> None:
    """A typo in source_roots used to make every first-party import look unresolved."""
    root = tree(tmp_path / "proj", {"pkg/__init__.py": "", "setup.py": ""})
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(RegistryError) as info:
        discover(root, (".", bad))
    assert info.value.key == "project.source_roots"
    assert repr(bad) in info.value.message
