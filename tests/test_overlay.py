"""``api.check(..., overlay=...)``: unsaved buffers checked instead of the disk.

The editor server's only way into the pipeline. A buffer is judged as it is, other
files see its imports, and nothing of it is remembered as the file's content: the next
run without the overlay answers for the disk again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lint.api import check
from ssot_lint.load.config import load_config
from tests.conftest import write_project

REGISTRY = """
[deprecated."pkg.old.Thing"]
use_instead = "pkg.new.Thing"

[[layers]]
name = "stack"
order = ["pkg.top", "pkg.low"]
"""
FILES = {
    "pkg/old.py": "class Thing:\n    pass\n",
    "pkg/new.py": "class Thing:\n    pass\n",
    "pkg/top.py": "from pkg.low import VALUE\n",
    "pkg/low.py": "VALUE = 1\n",
}


def _found(root: Path, paths: list[Path], overlay: dict[Path, str] | None,
           cache: bool) -> list[tuple[str, int, str]]:
    config = load_config(root, overrides={"cache": cache, "jobs": 1})
    result = check(paths, config, overlay=overlay)
    return [(Path(f.path).name, f.line, f.code) for f in result.findings]


@pytest.mark.parametrize("cache", [True, False], ids=["cached", "uncached"])
def test_the_buffer_is_checked_and_the_disk_is_not_remembered_as_it(
        tmp_path: Path, cache: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path / "p", FILES, REGISTRY, packages=("pkg",))
    monkeypatch.chdir(root)
    low = root / "pkg" / "low.py"
    assert _found(root, [low], None, cache) == []  # warms the cache with the disk's text
    buffer = "from pkg.old import Thing\nfrom pkg.top import VALUE as V\nVALUE = 1\n"
    assert _found(root, [low], {low: buffer}, cache) == [
        ("low.py", 1, "SSOT111"), ("low.py", 2, "SSOT203"), ("low.py", 2, "SSOT204")]
    assert low.read_text() == "VALUE = 1\n"
    assert _found(root, [low], None, cache) == []  # the disk again, not the buffer


def test_other_files_see_the_buffers_imports(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A cycle closed by one buffer's new import is reported on a file it did not edit."""
    root = write_project(tmp_path / "p", {**FILES, "pkg/a.py": "from pkg.b import Y\nX = 1\n",
                                          "pkg/b.py": "Y = 1\n"},
                         REGISTRY, packages=("pkg",))
    monkeypatch.chdir(root)
    a, b = root / "pkg" / "a.py", root / "pkg" / "b.py"
    config = load_config(root, overrides={"jobs": 1})
    assert check([a], config).findings == []
    result = check([a, b], config, overlay={b: "from pkg.a import X\nY = 1\n"})
    assert [(Path(f.path).name, f.line, f.code) for f in result.findings] == [
        ("a.py", 1, "SSOT204")]
    assert check([a], config).findings == []


def test_a_trusted_disk_view_gives_the_same_findings(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``disk=`` (the editor server's view between file events) skips the walk and the
    stats, and answers exactly as a check that looked."""
    root = write_project(tmp_path / "p", FILES, REGISTRY, packages=("pkg",))
    monkeypatch.chdir(root)
    low, top = root / "pkg" / "low.py", root / "pkg" / "top.py"
    config = load_config(root, overrides={"jobs": 1})
    first = check([low], config, overlay={low: "from pkg.old import Thing\nVALUE = 1\n"})
    disk = first.extra["disk"]
    assert "pkg/low.py" not in disk.scanned  # a buffer is never taken for the disk
    for text in ("from pkg.top import VALUE as V\nVALUE = 1\n", "VALUE = 2\n"):
        trusted = check([low, top], config, overlay={low: text}, disk=disk)
        looked = check([low, top], config, overlay={low: text})
        assert trusted.findings == looked.findings
    assert [f.code for f in trusted.findings] == []
