"""``.gitignore`` and ``exclude`` patterns match in polynomial time, with pathspec's meaning.

pathspec compiles ``*a*a*a*a*a*a*a*a*a*b`` to a regex that ``re`` backtracks through in
exponential time (229 s for a 55-character name); a committed ``.gitignore`` could
stall every run. ``discover._linear`` rewrites such regexes; these tests hold the
rewrite to pathspec's answers on ordinary patterns and show the hostile one finishes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pathspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssot_lint.discover import _spec, discover
from tests.trust._budget import fuzz

PATTERN = st.lists(st.sampled_from([*"ab*?/[]!.", "**", "[ab]", "[!a]", "\\*"]),
                   min_size=1, max_size=10).map("".join)
PATH = st.lists(st.text("ab.*", min_size=1, max_size=5), min_size=1, max_size=3).map("/".join)


def _pathspec(lines: list[str]) -> pathspec.PathSpec | None:
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # an invalid pattern: nothing to compare
        return None


@pytest.mark.filterwarnings("ignore::FutureWarning")  # pathspec: "possible nested set"
@fuzz(600)
@given(st.lists(PATTERN, min_size=1, max_size=3), st.lists(PATH, min_size=1, max_size=6),
       st.booleans())
def test_rewritten_patterns_match_exactly_what_pathspec_matches(
        lines: list[str], paths: list[str], as_dir: bool) -> None:
    expected = _pathspec(lines)
    if expected is None:
        return
    ours = _spec(lines)
    for path in paths:
        probe = path + "/" if as_dir else path
        assert ours.match_file(probe) == expected.match_file(probe), (lines, probe)


def test_the_star_heavy_pattern_is_rewritten_and_keeps_its_meaning() -> None:
    [pattern] = _spec(["*a*a*a*a*a*a*a*a*a*b"]).patterns
    assert "(?=(?P<ssot_1>" in pattern.regex.pattern  # type: ignore[attr-defined]
    reference = pathspec.GitIgnoreSpec.from_lines(["*a*a*a*a*a*a*a*a*a*b"])
    for name in ("aaaaaaaaab", "xaxaxaxaxaxaxaxaxaxb", "d/aaaaaaaaab", "aaaaaaaaab/x",
                 "aaaaaaaab", "aaaaaaaaa/b", "baaaaaaaaa"):
        assert _spec(["*a*a*a*a*a*a*a*a*a*b"]).match_file(name) == reference.match_file(name)


def test_a_hostile_gitignore_does_not_stall_discovery(tmp_path: Path) -> None:
    """Thirty stars against 200-character names: pathspec's own regex would not finish
    in the lifetime of the machine; the walk must simply complete (in a child process,
    so that a regression fails here instead of hanging the suite)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / ".gitignore").write_text("*a" * 30 + "*b\n" + "x*" * 20 + "y\n")
    for index in range(20):
        (tmp_path / "pkg" / (f"m{index}_" + "a" * 200 + ".py")).write_text("x = 1\n")
    code = ("import sys; from pathlib import Path; from ssot_lint.discover import discover\n"
            "print(len(discover(Path(sys.argv[1]), ('.',))))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "20"  # no name ends in b: nothing is ignored
    assert len(discover(tmp_path, (".",))) == 20
