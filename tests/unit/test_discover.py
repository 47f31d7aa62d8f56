"""Discovery: which files are Python source of the project, and their module names."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ssot_lint.discover import (
    _atoms,
    _gitignore_spec,
    _ignored,
    _prefilter,
    _rule,
    discover,
    module_name,
    path_globs,
    path_matches,
)
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


def modules(root: Path, roots: tuple[str, ...], **kwargs: object) -> dict[str, tuple[object, ...]]:
    return {f.rel: (f.module, f.is_package, f.package)
            for f in discover(root, roots, **kwargs)}  # type: ignore[arg-type]


def test_gitignore_anchors_directory_only_patterns_double_star_and_negation(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "/top_only.py\nout/\n**/gen/**\n*_pb2.py\n!keep_pb2.py\n",
                    "top_only.py": "", "sub/top_only.py": "",  # anchored to the root only
                    "out/x.py": "", "sub/out.py": "",  # "out/" names directories, not files
                    "a/gen/x.py": "", "a/gen/deep/y.py": "", "a/gen.py": "",
                    "m_pb2.py": "", "sub/keep_pb2.py": ""})
    assert rels(tmp_path) == ["a/gen.py", "sub/keep_pb2.py", "sub/out.py", "sub/top_only.py"]


def test_nested_gitignores_each_match_relative_to_their_own_directory(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "# comment only\n\n",
                    "svc/.gitignore": "/gen/\nlocal_*.py\n",
                    "svc/api/.gitignore": "*.pyi\n",
                    "svc/gen/a.py": "", "svc/api/gen/b.py": "",  # "/gen/" is svc/gen only
                    "svc/local_x.py": "", "svc/api/local_ok.py": "",
                    "svc/api/types.pyi": "", "svc/types.pyi": "", "gen/c.py": ""})
    assert rels(tmp_path) == ["gen/c.py", "svc/api/gen/b.py", "svc/types.pyi"]


def test_gitignore_with_only_negations_or_comments_ignores_nothing(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "!a.py\n# x\n", "pkg/.gitignore": "\n", "a.py": "",
                    "pkg/b.py": ""})
    assert rels(tmp_path) == ["a.py", "pkg/b.py"]


def test_configured_excludes_with_negation_and_double_star(tmp_path: Path) -> None:
    tree(tmp_path, {"app/migrations/0001.py": "", "app/migrations/__init__.py": "",
                    "app/main.py": "", "app/main.pyi": "", "lib/generated/x.py": ""})
    assert rels(tmp_path, exclude=("**/migrations/*.py", "!__init__.py", "*.pyi",
                                   "lib/**/")) == [
        "app/main.py", "app/migrations/__init__.py"]


def test_a_directory_named_gitignore_is_not_read(tmp_path: Path) -> None:
    tree(tmp_path, {"pkg/.gitignore/x.txt": "", "pkg/m.py": ""})
    assert rels(tmp_path) == ["pkg/m.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_only_regular_files_and_links_to_them_are_source(tmp_path: Path) -> None:
    root = tree(tmp_path / "proj", {"app/real.py": "", "app/dir.py/inner.py": ""})
    outside = tree(tmp_path / "outside", {"d/s.py": ""})
    os.mkfifo(root / "app" / "pipe.py")
    os.mkfifo(root / "app" / "pipe.pyi")
    (root / "app" / "linked_dir.py").symlink_to(root / "app" / "dir.py", target_is_directory=True)
    (root / "app" / "outdir").symlink_to(outside / "d", target_is_directory=True)
    (root / "app" / "loop.py").symlink_to(root / "app" / "loop.py")
    (root / "app" / "relative.py").symlink_to("real.py")
    expected = ["app/dir.py/inner.py", "app/real.py", "app/relative.py"]
    assert rels(root) == expected
    assert rels(root, follow_links=True) == expected  # never enters a symlinked directory
    linked = {f.rel: f.path for f in discover(root, (".",))}["app/relative.py"]
    assert linked == root.resolve() / "app" / "relative.py"  # the link, not its target


def test_module_names_under_nested_source_roots(tmp_path: Path) -> None:
    root = tree(tmp_path, {"src/app/__init__.py": "", "src/app/m.py": "", "src/top.py": "",
                           "src/app/inner/q.py": "", "lib/x.py": "", "__init__.py": "",
                           "1pkg/mod.py": "", "pkg/__init__.pyi": "", "pkg/sub-dir/m.py": "",
                           "pkg/migrations/0001_initial.py": "", "pkg/bad-name.py": ""})
    assert modules(root, (".", "src", "src/app/inner")) == {
        "1pkg/mod.py": (None, False, None),
        "__init__.py": (None, True, None),
        "lib/x.py": ("lib.x", False, None),
        "pkg/__init__.pyi": ("pkg", True, None),
        "pkg/bad-name.py": (None, False, "pkg"),
        "pkg/migrations/0001_initial.py": (None, False, "pkg.migrations"),
        "pkg/sub-dir/m.py": (None, False, None),
        "src/app/__init__.py": ("app", True, None),
        "src/app/inner/q.py": ("q", False, None),
        "src/app/m.py": ("app.m", False, None),
        "src/top.py": ("top", False, None),
    }


def test_files_outside_every_source_root_have_no_module(tmp_path: Path) -> None:
    root = tree(tmp_path, {"src/pkg/__init__.py": "", "tools/__init__.py": "", "tools/x.py": "",
                           "setup.py": ""})
    assert modules(root, ("src",)) == {
        "setup.py": (None, False, None), "src/pkg/__init__.py": ("pkg", True, None),
        "tools/__init__.py": (None, True, None), "tools/x.py": (None, False, None)}


def test_symlinked_source_root_names_modules_by_its_target(tmp_path: Path) -> None:
    root = tree(tmp_path, {"real/src/pkg/__init__.py": "", "real/src/pkg/m.py": ""})
    (root / "srclink").symlink_to(root / "real" / "src", target_is_directory=True)
    assert modules(root, ("srclink",)) == {"real/src/pkg/__init__.py": ("pkg", True, None),
                                           "real/src/pkg/m.py": ("pkg.m", False, None)}


PROBES = ["a.py", "a.pyi", "keep.py", "x/keep.py", "foo", "foo/", "x/foo/", "x/foo/y.py", "foo.py",
          "bar/", "x/bar/", "a/b.py", "a/x/y/b.py", "a/", "gen1/", "gen_keep/", "!bang.py",
          "#hash.py", "x1.py", "x/y/z/", "x\ny.py", "[(?P<]x.py", "a b.py", "pkg.egg-info/",
          "__pycache__/", "deep/__pycache__/", "node_modules/x.py", "b/c/d.py"]
PATTERNS = ["*.py\n!keep.py", "foo/", "/foo", "**/bar", "a/**/b.py", "a/**", "**", "*\n!*/",
            "gen*/\n!gen_keep/", "[ab].py", "[!a]*.py", "\\!bang.py", "\\#hash.py", "x?.py",
            "foo/**/", "[(?P<]x.py", "a\\ b.py", "*.egg-info", "__pycache__", "node_modules/",
            "!foo", "# comment", "x\ny.py"]


@pytest.mark.parametrize("lines", PATTERNS)
def test_quick_pre_check_never_changes_pathspecs_answer(lines: str) -> None:
    """The one-regex pre-check only skips paths no include pattern matches."""
    spec = _gitignore_spec(lines.splitlines())
    rule = _rule(spec, 0)
    for probe in PROBES:
        expected = spec.match_file(probe)
        assert (rule is not None and _ignored(probe, (rule,))) == expected, probe


def test_quick_pre_check_is_skipped_for_regex_it_does_not_understand() -> None:
    assert _atoms(r"^(?:.+/)?a(?P<ps_d>/)") == ["^", "(?:.+/)?", "a", "(?:/)"]
    assert _atoms("^[]a](?:x|y)*?$") == ["^", "[]a]", "(?:x|y)*?", "$"]
    for unknown in (r"\d", r"(a)\1", "(?=a)", "(?i)a", "a{2}", "a|b", "a++", "(?P=x)"):
        assert _atoms(unknown) is None, unknown
    assert _prefilter([re.compile(r"^\d")]) is None


def test_every_path_glob_is_compiled_by_the_one_safe_helper() -> None:
    """per-file-ignores, an entry's ``paths`` and ``duplicate_exclude`` match through
    ``path_matches``: the same gitignore meaning as ``exclude``, and a many-star glob
    gets the rewritten (non-backtracking) regex, as ``exclude`` does, not pathspec's."""
    import pathspec

    glob = "*a*a*a*a*a*a*a*a*a*b"
    ours = path_globs((glob,)).patterns[0].regex
    raw = pathspec.GitIgnoreSpec.from_lines([glob]).patterns[0].regex
    assert ours.pattern != raw.pattern
    for name in ("ab", "aaaaaaaaab", "xaxaxaxaxaxaxaxaxab/c.py", "aaaa.py", "b"):
        assert path_matches((glob,), name) == bool(raw.match(name)), name
    assert path_matches(("convert_*.py",), "pkg/deep/convert_x.py")  # no "/": any depth
    assert not path_matches(("/convert_*.py",), "pkg/convert_x.py")
    assert not path_matches((), "anything.py")

