"""A seeded check (the editor server's): facts an earlier check decoded are reused.

``api.check(..., seed=...)`` takes the ``extra["facts"]`` of an earlier check and reuses
the facts it decoded for rows of the same digest, so an editor's import edit does not
decode every file again. Facts are a pure function of the bytes and the target, so the
findings must equal an uncached run's after any edit, and a seed read for another
target must not be used.
"""

from __future__ import annotations

from pathlib import Path

from ssot_lint.api import check
from ssot_lint.cache.scan import LazyFacts
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding
from tests.conftest import write_project

REGISTRY = """
[deprecated."app.legacy.old_api"]
use_instead = "app.core.engine.run"
hint = "old_api is going away"
"""

FILES: dict[str, str | bytes] = {
    "app/core/engine.py": (
        "from typing_extensions import deprecated\n"
        "\n"
        "def run():\n"
        "    return 1\n"
        "\n"
        "def helper():\n"
        "    return 3\n"
    ),
    "app/legacy.py": "def old_api():\n    return 0\n",
    "app/main.py": (
        "from app.core.engine import helper, run\n"
        "from app.legacy import old_api\n"
        "\n"
        "def main():\n"
        "    return helper() + run() + old_api()\n"
    ),
    "app/cycle_a.py": "from app import cycle_b\n",
    "app/cycle_b.py": "import os\n",
}

MAIN = "app/main.py"  # every check reports on the whole project


def _shown(findings: list[Finding]) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in findings]


def _uncached(root: Path, buffers: dict[Path | str, str], **overrides: object
              ) -> list[tuple[str, int, int, str, str]]:
    config = load_config(root, overrides={"cache": False, **overrides})
    return _shown(check([root], config, overlay=buffers).findings)


def _seeded(root: Path, buffers: dict[Path | str, str], seed: LazyFacts | None,
            **overrides: object) -> tuple[list[tuple[str, int, int, str, str]], LazyFacts]:
    config = load_config(root, overrides={"cache_dir": root.parent / "cache", **overrides})
    result = check([root], config, overlay=buffers, seed=seed)
    facts = result.extra["facts"]
    assert isinstance(facts, LazyFacts)
    return _shown(result.findings), facts


def _digest(root: Path, rel: str) -> str:
    from ssot_lint.cache.store import digest_of

    return digest_of((root / rel).read_bytes())


def test_a_seeded_check_reuses_decoded_facts_and_finds_what_an_uncached_one_does(
        tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, REGISTRY, packages=("app",))
    engine = root / "app/core/engine.py"
    marked = engine.read_text().replace("def helper():", "@deprecated('helper leaks')\n"
                                        "def helper():")
    main = (root / MAIN).read_text()
    steps: list[dict[Path | str, str]] = [
        {},
        {root / MAIN: main + "# a comment\n"},  # a body edit: little is decoded
        {root / MAIN: main + "import app.cycle_a\n"},  # an import edit
        {engine: marked},  # another buffer marks a name deprecated (SSOT303 appears)
        {engine: marked, root / "app/cycle_b.py": "import app.cycle_a\n"},  # a cycle
        {},  # the buffers closed
    ]
    seed = None
    digest = _digest(root, "app/cycle_a.py")  # never edited, never a buffer
    for number, buffers in enumerate(steps):
        found, facts = _seeded(root, buffers, seed)
        assert found == _uncached(root, buffers), f"step {number}"
        if seed is None:
            first = facts.decoded({digest})[digest]
        else:  # decoded by the first check, then handed on from check to check
            assert facts.decoded({digest})[digest] is first, f"step {number}"
        seed = facts
    codes = {code for _, _, _, code, _ in _seeded(root, steps[4], seed)[0]}
    assert {"SSOT111", "SSOT303", "SSOT204"} <= codes  # the steps exercised what they meant


def test_a_file_changed_on_disk_is_decoded_from_its_new_row(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES, REGISTRY, packages=("app",))
    _, seed = _seeded(root, {}, None)
    engine = root / "app/core/engine.py"
    engine.write_text(engine.read_text().replace("def helper():", "@deprecated('helper leaks')\n"
                                                 "def helper():"))
    found, _ = _seeded(root, {}, seed)
    assert found == _uncached(root, {})
    assert any(code == "SSOT303" for _, _, _, code, _ in found)


def test_a_seed_read_for_another_target_version_is_not_used(tmp_path: Path) -> None:
    files = {**FILES, "app/modern.py": "def f(x):\n    match x:\n        case 1:\n"
                                       "            return 1\n",
             "app/user.py": "from app.modern import g\n"}  # no g: known only if it parses
    root = write_project(tmp_path / "p", files, REGISTRY, packages=("app",))
    old = _uncached(root, {}, target_version="3.9")
    assert old != _uncached(root, {}, target_version="3.11")  # the target matters here
    _seeded(root, {}, None, target_version="3.9")  # rows for 3.9 in the cache
    _, seed = _seeded(root, {}, None, target_version="3.11")
    user = root / "app/user.py"
    user.write_text(user.read_text() + "# edited: its remembered findings do not fit\n")
    config = load_config(root, overrides={"cache_dir": root.parent / "cache",
                                          "target_version": "3.9"})
    found = check([user], config, seed=seed).findings
    assert _shown(found) == [f for f in old if f[0].endswith("app/user.py")]
