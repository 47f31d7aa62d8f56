"""Syntax is judged for the target Python version, whichever Python runs ssot-lint.

Three code paths exist (see ``ssot_lint/facts/syntax.py``): the interpreter is the
target, is newer (``ast`` feature_version plus the PEP 701 f-string checker, which
only exists on 3.12+), or is older (libcst parses, then newer syntax is lowered for
``ast``). The cross-interpreter test runs ``extract_facts`` under every Python found
on this machine so each path is exercised, and asserts they all agree.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.facts.extract import extract_facts

REPO = Path(__file__).resolve().parents[3]
TARGETS = [(3, 9), (3, 10), (3, 11), (3, 12), (3, 13)]

# (name, source, {first target that accepts it}, line of the finding, needed version)
# A finding is expected for every target below ``accepted_from``.
SYNTAX_CASES: list[tuple[str, str, tuple[int, int] | None, int, str | None]] = [
    ("plain", "import os\nx = f\"{os.sep!r:>{4}}\" + f'{\"a\"}'\n", (3, 9), 0, None),
    ("fstring-quote-reuse", "import os\nx = f\"{\"a\"}\"\n", (3, 12), 2, "3.12"),
    ("fstring-backslash", "x = f\"{'\\n'.join(y)}\"\n", (3, 12), 1, "3.12"),
    ("fstring-comment", "x = f\"{y # note\n}\"\n", (3, 12), 1, "3.12"),
    ("fstring-nested-same-quote", "x = f\"{f\"{y}\"}\"\n", (3, 12), 1, "3.12"),
    ("type-alias", "import os\ntype Alias = list[int]\n", (3, 12), 2, "3.12"),
    ("type-params", "def first[T](xs: list[T]) -> T:\n    return xs[0]\n", (3, 12), 1, "3.12"),
    # CPython reports these at the end of the statement, so keep it on one line
    ("match", "import os\nmatch x:\n    case [a]: pass\n", (3, 10), 3, "3.10"),
    ("except-star", "import os\ntry: pass\nexcept* ValueError: pass\n", (3, 11), 3, "3.11"),
    ("real-error", "import os\ndef broken(:\n    pass\n", None, 2, None),
    ("python2", "import os\nprint 'hello'\n", None, 2, None),
]

# f-strings whose verdict for a 3.11 target was taken from Python 3.11 itself
# (``compile``); test_fstring_expectations_match_a_real_python_311 re-checks them.
FSTRING_311: list[tuple[str, bool]] = [
    ('x = f"{"a"}"\n', False),
    ('x = f"""{"a"}"""\n', True),
    ("x = f'''{'a'}'''\n", True),
    ('x = f"""{"""a"""}"""\n', False),
    ('x = f"{f\'{y}\'}"\n', True),
    ('x = f"{f\'{"z"}\'}"\n', False),
    ('x = f"""{"a"\n}"""\n', True),
    ('x = f"{\'say "hi"\'}"\n', False),
    ('x = f"say \\"hi\\" {y}"\n', True),
    ('x = f"{f\'\\n\'}"\n', False),
    ('x = f"{y:\\n}"\n', True),
    ('x = f"{y\n}"\n', False),
    ('x = f"a\\\nb{y}"\n', True),
    ('x = f"{y:{"w"}}"\n', False),
    ('x = Rf"{y}\\"{z}"\n', True),
    ('x = f"""{y # c\n}"""\n', False),
    ('x = f"{\'\'\'a\'\'\'}"\n', True),
    ('x = f"{{literal}} {y=}"\n', True),
]


def verdict(source: str, target: tuple[int, int]) -> tuple[str | None, int, str]:
    problem = extract_facts(source.encode("utf-8"), target).problem
    if problem is None:
        return None, 0, ""
    return problem.code, problem.line, problem.message


def expected(case: tuple[str, str, tuple[int, int] | None, int, str | None],
             target: tuple[int, int]) -> tuple[str | None, int]:
    _, _, accepted_from, line, _ = case
    if accepted_from is not None and target >= accepted_from:
        return None, 0
    return "SSOT001", line


@pytest.mark.parametrize("case", SYNTAX_CASES, ids=[c[0] for c in SYNTAX_CASES])
@pytest.mark.parametrize("target", TARGETS, ids=[f"{t[0]}.{t[1]}" for t in TARGETS])
def test_verdict_for_target(case: tuple[str, str, tuple[int, int] | None, int, str | None],
                            target: tuple[int, int]) -> None:
    code, line, message = verdict(case[1], target)
    assert (code, line) == expected(case, target), message
    needed = case[4]
    if code is not None and needed is not None:
        assert f"requires Python {needed}" in message
        assert f"targets {target[0]}.{target[1]}" in message


@pytest.mark.parametrize(("source", "valid"), FSTRING_311, ids=[c[0] for c in FSTRING_311])
def test_fstring_verdicts_for_a_311_target(source: str, valid: bool) -> None:
    code, _, message = verdict(source, (3, 11))
    assert (code is None) == valid, message
    if not valid:
        assert "3.12" in message
    assert verdict(source, (3, 12))[0] is None


def test_type_parameter_defaults_need_313() -> None:
    source = "import os\nclass Box[T = int]:\n    pass\n"
    code, line, message = verdict(source, (3, 12))
    assert (code, line) == ("SSOT001", 2)
    assert "3.13" in message
    if sys.version_info >= (3, 13) or _has_libcst():
        assert verdict(source, (3, 13))[0] is None


def test_newer_syntax_still_yields_imports_and_definitions() -> None:
    source = ("type Alias = int\nfrom pkg import thing\n"
              "def first[T](xs: list[T]) -> T: ...\nclass Box[T]:\n    pass\n"
              "label = f\"{\"quoted\"}\"\nimport os\n")
    result = extract_facts(source.encode("utf-8"), (3, 12))
    assert result.problem is None
    assert [(f.module, f.name, f.line) for f in result.imports] == [
        ("pkg", "thing", 2), ("os", None, 7)]
    assert [(d.name, d.line) for d in result.definitions] == [
        ("Alias", 1), ("thing", 2), ("first", 3), ("Box", 4), ("label", 6), ("os", 7)]


# -- every interpreter on this machine -------------------------------------------------

PROBE = """
import json, sys
from ssot_lint.facts.extract import extract_facts
try:
    import libcst  # noqa: F401
    has_libcst = True
except ImportError:
    has_libcst = False
out = []
for source, target in json.load(sys.stdin):
    problem = extract_facts(source.encode("utf-8"), tuple(target)).problem
    out.append(None if problem is None else [problem.code, problem.line, problem.message])
json.dump({"version": list(sys.version_info[:2]), "libcst": has_libcst, "verdicts": out},
          sys.stdout)
"""


def _has_libcst() -> bool:
    try:
        import libcst  # noqa: F401
    except ImportError:
        return False
    return True


def interpreters() -> list[str]:
    """The running Python plus every other CPython >= 3.10 found (pyenv, or the
    os.pathsep-separated SSOT_LINT_TEST_PYTHONS), one per minor version."""
    candidates = [sys.executable]
    candidates += os.environ.get("SSOT_LINT_TEST_PYTHONS", "").split(os.pathsep)
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(str(pyenv / "versions" / "3.*" / "bin" / "python")))
    found: dict[str, str] = {}
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            version = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        major, minor = (int(p) for p in version.split("."))
        if (major, minor) >= (3, 10):
            found.setdefault(version, candidate)
    return sorted(found.values(), key=lambda c: c != sys.executable)


@pytest.mark.parametrize("python", interpreters())
def test_every_interpreter_gives_the_same_verdicts(python: str) -> None:
    jobs: list[tuple[str, tuple[int, int]]] = []
    for case in SYNTAX_CASES:
        jobs += [(case[1], target) for target in TARGETS]
    jobs += [(source, (3, 11)) for source, _ in FSTRING_311]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([python, "-c", PROBE], input=json.dumps(jobs), capture_output=True,
                         text=True, env=env, timeout=300, cwd=str(REPO))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    interpreter = tuple(result["version"])
    verdicts = iter(result["verdicts"])
    checked = 0
    for case in SYNTAX_CASES:
        for target in TARGETS:
            got = next(verdicts)
            # a target newer than the interpreter can only be read with libcst
            if target > interpreter and not result["libcst"]:
                continue
            checked += 1
            code, line = (None, 0) if got is None else (got[0], got[1])
            assert (code, line) == expected(case, target), (case[0], target, got)
            needed = case[4]
            knows_needed = needed is not None and (
                result["libcst"] or interpreter >= tuple(int(p) for p in needed.split(".")))
            if got is not None and knows_needed:
                assert f"requires Python {needed}" in got[2], (case[0], target, got)
    for source, valid in FSTRING_311:
        got = next(verdicts)
        if interpreter < (3, 11) and not result["libcst"]:
            continue
        checked += 1
        assert (got is None) == valid, (source, got)
    assert checked >= len(SYNTAX_CASES) * 2


def test_fstring_expectations_match_a_real_python_311() -> None:
    """The FSTRING_311 table is what Python 3.11 itself says (when one is available)."""
    candidates = [c for c in interpreters()
                  if subprocess.run([c, "-c", "import sys; sys.exit(sys.version_info[:2] != "
                                     "(3, 11))"]).returncode == 0]
    if not candidates:
        pytest.skip("no Python 3.11 interpreter on this machine to act as the oracle")
    script = ("import json, sys\nout = []\nfor s in json.load(sys.stdin):\n"
              "    try:\n        compile(s, 'x', 'exec'); out.append(True)\n"
              "    except SyntaxError:\n        out.append(False)\njson.dump(out, sys.stdout)\n")
    run = subprocess.run([candidates[0], "-c", script], capture_output=True, text=True,
                         input=json.dumps([s for s, _ in FSTRING_311]), timeout=120, check=True)
    assert json.loads(run.stdout) == [valid for _, valid in FSTRING_311]
