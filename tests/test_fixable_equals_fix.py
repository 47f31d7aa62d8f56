""""Fixable" means ``fix`` will fix it, on every fixture project of the repository.

For each scenario project and the demo: the findings ``check`` marks safe-fixable (JSON
``fix.safe``), those with a SARIF ``fixes`` entry, and the ``--statistics`` fixable
counts must be exactly the findings ``fix`` changes; the unsafe ones exactly what
``fix --unsafe-fixes`` changes in addition. ``check --diff`` is ``fix --diff``.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from ssot_lint.fix.run import fix
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding
from ssot_lint.report.sarif import result
from ssot_lint.report.statistics import rule_counts
from tests.conftest import run_check

REPO = Path(__file__).resolve().parent.parent
# These two scenarios are about a configuration/registry that does not load: no findings.
NOT_LOADING = {"config_error", "registry_error"}
PROJECTS = sorted(p / "project" for p in (REPO / "tests" / "functional" / "scenarios").iterdir()
                  if (p / "project").is_dir() and p.name not in NOT_LOADING) + \
    [REPO / "examples" / "demo"]

Key = tuple[str, int, int, str]


def key(finding: Finding) -> Key:
    return finding.path, finding.line, finding.column, finding.code


def fixed_by(root: Path, unsafe: bool) -> set[Key]:
    config = load_config(root, overrides={"cache": False})
    return {key(f) for f in fix([root], config, unsafe=unsafe, write=False, cwd=root).fixed}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name if p.name == "project"
                         else p.name)
def test_reported_fixes_are_exactly_what_fix_changes(tmp_path: Path, project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    monkeypatch.chdir(root)
    findings = run_check(root, cache=False)
    initial = {key(f) for f in findings}
    safe = {key(f) for f in findings if f.fix is not None and f.fix.safe}
    unsafe = {key(f) for f in findings if f.fix is not None and not f.fix.safe}
    # Only findings of this run count: a later round of `fix` may fix what the first exposed.
    assert fixed_by(root, unsafe=False) & initial == safe
    assert fixed_by(root, unsafe=True) & initial == safe | unsafe
    sarif = {key(f) for f in findings if "fixes" in result(f, {}, root)}
    assert sarif == safe
    counts = {r.code: (r.fixable, r.unsafe) for r in rule_counts(findings)}
    by_code = Counter(code for *_, code in safe)
    unsafe_by_code = Counter(code for *_, code in unsafe)
    assert {c: v for c, v in counts.items() if v != (0, 0)} == {
        c: (by_code[c], unsafe_by_code[c]) for c in set(by_code) | set(unsafe_by_code)}


def test_the_fixture_projects_exercise_fixes(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The equality above is not vacuous: the fixtures hold safe fixes and refused ones."""
    offered = refused = 0
    for index, project in enumerate(PROJECTS):
        root = tmp_path / str(index)
        shutil.copytree(project, root)
        monkeypatch.chdir(root)
        for finding in run_check(root, cache=False):
            if finding.code in ("SSOT101", "SSOT111", "SSOT112", "SSOT121"):
                offered += finding.fix is not None
                refused += finding.fix is None
    assert offered >= 5 and refused >= 2
