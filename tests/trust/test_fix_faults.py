"""``fix`` under faults: crashes mid-write, a full disk, concurrent runs, read-only files.

The promise: whatever happens, every file is either exactly as it was or exactly as
fixed, it parses, and no temporary file is left behind (except after SIGKILL, which no
program can clean up after: then the leftover is a hidden ``*.ssot-lint.tmp`` file that
no later run mistakes for source). Faults are real where the OS can produce them on
demand (a file-size limit, a killed process, file modes, racing processes) and injected
at the exact moment between writing the temporary file and renaming it otherwise.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from ssot_lint.fix.run import fix
from ssot_lint.load.config import load_config
from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli
from tests.trust._privileges import obey_file_modes

ORIGINAL = "from pkg.old import thing\nfrom pkg.alias import Thing\n\nprint(thing, Thing)\n"
FIXED = "from pkg.new import thing\nfrom pkg.core import Thing\n\nprint(thing, Thing)\n"
ONLY_111 = "from pkg.new import thing\nfrom pkg.alias import Thing\n\nprint(thing, Thing)\n"
ONLY_112 = "from pkg.old import thing\nfrom pkg.core import Thing\n\nprint(thing, Thing)\n"
REGISTRY = ('[deprecated."pkg.old.thing"]\nuse_instead = "pkg.new.thing"\n'
            '[symbols."pkg.core.Thing"]\naliases = ["pkg.alias.Thing"]\n')
USERS = [f"pkg/users/user_{i:03}.py" for i in range(40)]


def _project(root: Path, users: list[str] = USERS) -> Path:
    files = {"pkg/new.py": "thing = 1\n", "pkg/old.py": "from pkg.new import thing\n",
             "pkg/core.py": "class Thing:\n    pass\n",
             "pkg/alias.py": "from pkg.core import Thing\n",
             **{user: ORIGINAL for user in users}}
    return write_project(root, files, REGISTRY, packages=("pkg",))


def _contents(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.py"))}


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith(".tmp"))


def _fix_module_os(replace: object) -> types.SimpleNamespace:
    """An ``os`` for ssot_lint.files alone (the writer of every file), whose ``replace``
    is ``replace``; the facts cache's SQLite keeps the real one."""
    proxy = types.SimpleNamespace(**vars(os))
    proxy.replace = replace
    return proxy


def _assert_each_file_whole(root: Path, allowed: tuple[str, ...]) -> None:
    for rel, text in _contents(root).items():
        compile(text, rel, "exec")
        if rel.startswith("pkg/users/user_"):
            assert text in allowed, (rel, text)


@pytest.mark.parametrize("fault", [RuntimeError("bug"), KeyboardInterrupt(),
                                   OSError(errno.ENOSPC, "No space left on device")],
                         ids=["exception", "KeyboardInterrupt", "ENOSPC"])
def test_a_crash_between_temp_file_and_rename_keeps_the_original(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: BaseException) -> None:
    root = _project(tmp_path / "proj")
    real_replace = os.replace
    calls: list[str] = []

    def replace_then_fail(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) == 3:  # two files fully written, the third crashes after its temp file
            raise fault
        real_replace(src, dst)

    monkeypatch.setattr("ssot_lint.files.os", _fix_module_os(replace_then_fail))
    config = load_config(root, overrides={"cache": False})
    if isinstance(fault, OSError):  # an I/O error is reported and the run goes on
        result = fix([], config, cwd=root)
        assert [path for path, _ in result.errors] == [USERS[2]]
        assert "No space left on device" in result.errors[0][1]
        assert len(calls) == len(USERS)
    else:  # anything else stops the run at once
        with pytest.raises(type(fault)):
            fix([], config, cwd=root)
        assert len(calls) == 3
    contents = _contents(root)
    assert contents[USERS[2]] == ORIGINAL  # the crashed file is intact
    assert [contents[u] for u in USERS[:2]] == [FIXED, FIXED]  # earlier files complete
    _assert_each_file_whole(root, (ORIGINAL, FIXED))
    assert _leftovers(root) == []


def test_a_real_write_failure_from_the_os_leaves_everything_intact(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse to grow any file past 64 bytes (EFBIG), exactly
    like a full disk would refuse it: every rewrite fails while writing its temporary file."""
    root = _project(tmp_path / "proj", USERS[:3])
    big = "# " + "padding " * 10 + "\n"  # the fixed file is over the limit, the original too
    for user in USERS[:3]:
        (root / user).write_text(big + ORIGINAL)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    proc = subprocess.run([sys.executable, "-m", "ssot_lint", "fix"], cwd=root,
                          capture_output=True, text=True, preexec_fn=limit, timeout=300,
                          check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.count("not written: [Errno 27] File too large") == 3, proc.stdout
    assert all((root / user).read_text() == big + ORIGINAL for user in USERS[:3])
    assert _leftovers(root) == []


def test_sigkill_mid_write_leaves_the_original_and_a_harmless_temp_file(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj", USERS[:2])
    code = ("import os, signal, types, ssot_lint.files as s\n"
            "s.os = types.SimpleNamespace(**vars(os))\n"
            "s.os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL) "
            "if str(b).endswith('.py') else os.replace(a, b)\n"  # the cache's files go on
            "from ssot_lint.cli import main\nmain(['fix'])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          timeout=300, check=False)
    assert proc.returncode == -signal.SIGKILL
    assert [(root / u).read_text() for u in USERS[:2]] == [ORIGINAL, ORIGINAL]
    [left] = _leftovers(root)
    assert left.startswith(".user_000.py.") and left.endswith(".ssot-lint.tmp")
    check = run_cli(["check", "--no-cache"], root)
    assert_clean_exit(check, 1)
    assert ".tmp" not in check.stdout
    assert_clean_exit(run_cli(["fix"], root), 0)
    assert [(root / u).read_text() for u in USERS[:2]] == [FIXED, FIXED]
    assert _leftovers(root) == []  # the next run removed the killed run's temporary file


@pytest.mark.parametrize("round_", range(2))
def test_concurrent_fix_runs_never_corrupt_a_file(tmp_path: Path, round_: int) -> None:
    """Two fix runs race over the same 40 files, each fixing a different rule; every file
    ends whole (original, either fix, or both), and one more run completes the job."""
    root = _project(tmp_path / "proj")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    runs = [subprocess.Popen([sys.executable, "-m", "ssot_lint", "fix", "--select", code],
                             cwd=root, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for code in (("SSOT111", "SSOT112") if round_ == 0 else ("SSOT1", "SSOT1"))]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert "Traceback" not in err, err
        assert run.returncode in (0, 1), out + err
    _assert_each_file_whole(root, (ORIGINAL, FIXED, ONLY_111, ONLY_112))
    assert _leftovers(root) == []
    if round_ == 1:  # the same fixes from both sides: whoever wins, each file is fixed
        assert all(_contents(root)[u] == FIXED for u in USERS)
    assert_clean_exit(run_cli(["fix"], root), 0)
    assert all(_contents(root)[u] == FIXED for u in USERS)


def test_a_read_only_file_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj", USERS[:3])
    locked = root / USERS[1]
    locked.chmod(0o444)
    result = run_cli(["fix"], root)
    assert_clean_exit(result, 1)
    assert f"{USERS[1]}: not written: the file is read-only" in result.stdout
    assert [(root / u).read_text() for u in USERS[:3]] == [FIXED, ORIGINAL, FIXED]
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert _leftovers(root) == []


def test_a_read_only_directory_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    """No temporary file can be created next to the file: reported, nothing else touched.
    (As root the child drops the powers that ignore file modes; see _privileges.py.)"""
    root = _project(tmp_path / "proj", USERS[:1] + ["pkg/frozen/user.py"])
    frozen = root / "pkg" / "frozen"
    frozen.chmod(0o555)
    try:
        proc = subprocess.run([sys.executable, "-m", "ssot_lint", "fix"], cwd=root,
                              capture_output=True, text=True, preexec_fn=obey_file_modes(),
                              timeout=300, check=False)
    finally:
        frozen.chmod(0o755)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert "pkg/frozen/user.py: not written: " in proc.stdout
    assert (root / "pkg/frozen/user.py").read_text() == ORIGINAL
    assert (root / USERS[0]).read_text() == FIXED
    assert _leftovers(root) == []


def test_a_file_too_deep_for_libcst_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    """A 900-term sum is legal Python (CPython parses it) but libcst's recursive code
    generation overflows Python's stack on it. When the whole module must go through
    libcst (here an import shares its line with another statement, so the import cannot
    be rewritten on its own), the file is reported and the others fixed."""
    shared = ORIGINAL.replace("import thing\n", "import thing; y = 1\n", 1)
    deep = shared + "x = " + " + ".join(["thing"] * 900) + "\n"
    root = _project(tmp_path / "proj", USERS[:2])
    (root / USERS[0]).write_text(deep)
    for args in (["fix", "--diff"], ["fix"]):
        result = run_cli(args, root)
        assert_clean_exit(result, 1)
        assert f"{USERS[0]}:1:21: not fixed SSOT111: the file is nested too deeply for " \
               "libcst to rewrite" in result.stdout + result.stderr
    assert (root / USERS[0]).read_text() == deep
    assert (root / USERS[1]).read_text() == FIXED
    assert _leftovers(root) == []


def test_a_file_too_deep_for_libcst_is_fixed_when_only_its_imports_are_rewritten(
        tmp_path: Path) -> None:
    """libcst only parses the edited run of imports (``fix/statements.py``), so code
    elsewhere that is too deep for it no longer stops the fix; the result is verified
    with ``ast`` like any other."""
    deep_tail = "x = " + " + ".join(["thing"] * 900) + "\n"
    root = _project(tmp_path / "proj", USERS[:2])
    (root / USERS[0]).write_text(ORIGINAL + deep_tail)
    result = run_cli(["fix"], root)
    assert_clean_exit(result, 0)
    assert (root / USERS[0]).read_text() == FIXED + deep_tail
    assert (root / USERS[1]).read_text() == FIXED
    assert _leftovers(root) == []
