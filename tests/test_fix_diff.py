"""``fix --diff`` output applies with real ``git apply`` whatever the file's form.

Each case is a file whose bytes trip a naive text diff: a UTF-8 BOM, a PEP 263 latin-1
encoding, no final newline, a form feed or U+2028 inside a context line (both are line
breaks to ``str.splitlines`` but not to git), an ANSI escape in a context line (click
strips those from text it echoes to a pipe). The diff printed by the CLI must pass
``git apply --check`` in a real repository, and applying it must give exactly the bytes
``fix`` itself writes.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssot_lint.cli import cli
from tests.conftest import FIX_MODELS as MODELS
from tests.conftest import FIX_REGISTRY as REGISTRY
from tests.conftest import write_project

FEATURES = ("bom", "latin1", "no_final_newline", "form_feed", "u2028", "ansi", "crlf")


def _source(features: frozenset[str]) -> bytes:
    """A module whose line 4 (counting the optional coding line) imports an alias."""
    head = "# -*- coding: latin-1 -*-\n" if "latin1" in features else "# module\n"
    doc = '"""Caf\u00e9 report.'
    if "form_feed" in features:
        doc += "\x0c page two"
    if "u2028" in features and "latin1" not in features:
        doc += " line\u2028separator"
    lines = [head, doc + '"""\n', "\n",
             "from app.agents.registry import AgentRegistry\n", "\n",
             'RED = "\x1b[31mred\x1b[0m"\n' if "ansi" in features else 'RED = "red"\n',
             "print(AgentRegistry, RED)\n"]
    text = "".join(lines)
    if "no_final_newline" in features:
        text = text[:-1]
    if "crlf" in features:
        text = text.replace("\n", "\r\n")
    data = text.encode("latin-1" if "latin1" in features else "utf-8")
    return (b"\xef\xbb\xbf" + data) if "bom" in features else data


CASES = [frozenset([f]) for f in FEATURES] + [
    frozenset(c) for c in itertools.combinations(FEATURES, 3)
    if not {"bom", "latin1"} <= set(c)]  # a BOM declares UTF-8: no latin-1 with it
CASES = CASES[:7] + CASES[7::6]  # every single feature, and a spread of combinations


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          check=False)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("features", CASES, ids=lambda c: "+".join(sorted(c)))
def test_fix_diff_applies_with_git_apply(tmp_path: Path, features: frozenset[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    original = _source(features)
    root = write_project(tmp_path / "proj", {**MODELS, "app/main.py": original}, REGISTRY)
    assert _git(root, "init", "-q").returncode == 0
    monkeypatch.chdir(root)  # diff paths are relative to the working directory, as git's

    done = CliRunner().invoke(cli, ["fix", "--diff"], standalone_mode=False)
    patch = done.stdout_bytes
    assert b"+from app.agents.supervisor.agent_registry import AgentRegistry" in patch
    assert (root / "app/main.py").read_bytes() == original  # --diff writes nothing
    # the report and summary go to stderr, in the original file's lines
    report = done.stderr.splitlines()
    assert report[0].endswith("app/main.py:4:33: would fix SSOT112 "
                              "`app.agents.registry.AgentRegistry` -> "
                              "`app.agents.supervisor.agent_registry.AgentRegistry`")
    assert report[-1] == "Would fix 1 finding in 1 file; 0 findings remain."
    if "no_final_newline" in features:
        assert patch.endswith(b"\n\\ No newline at end of file\n")

    (tmp_path / "fix.patch").write_bytes(patch)
    check = _git(root, "apply", "--check", str(tmp_path / "fix.patch"))
    assert check.returncode == 0, check.stderr
    # applying the diff gives exactly what `fix` writes
    written = tmp_path / "written"
    shutil.copytree(root, written)
    fixed = CliRunner().invoke(cli, ["fix", str(written)], standalone_mode=False)
    assert fixed.exception is None, fixed.output
    applied = _git(root, "apply", str(tmp_path / "fix.patch"))
    assert applied.returncode == 0, applied.stderr
    assert (root / "app/main.py").read_bytes() == (written / "app/main.py").read_bytes()
    assert (root / "app/main.py").read_bytes() != original


def test_later_rounds_report_lines_of_the_original_file() -> None:
    """A finding of a later round is mapped back through every earlier rewrite."""
    from ssot_lint.fix.run import _FileState
    from ssot_lint.model.finding import Finding

    original = "import a\nfrom b import c, d\n\nx = 1\ny = 2\n"
    # only the line map is exercised: no source file or original bytes are needed
    state = _FileState(source=None, original=None,  # type: ignore[arg-type]
                       text=original, display="m.py", initial=[])
    # round 1: line 2 split in two, a line inserted after it
    state.advance("import a\nfrom b import c\nfrom e import d\n\nx = 1\ny = 2\n")
    # round 2: the import on line 1 rewritten in place, one more line added after it
    state.advance("import f\nimport g\nfrom b import c\nfrom e import d\n\nx = 1\ny = 2\n")

    def at(line: int) -> int:
        finding = Finding(path="m.py", line=line, column=1, code="SSOT111", rule="r",
                          severity="warning", message="m", end_line=line)
        moved = state.original_line(finding)
        assert moved.end_line == moved.line
        return moved.line

    assert [at(n) for n in range(1, 8)] == [1, 1, 2, 2, 3, 4, 5]
