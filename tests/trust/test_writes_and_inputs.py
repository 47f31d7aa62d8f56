"""Every file ssot-lint writes is written whole or not at all, and only where it belongs;
every file it reads is a regular file of bounded size.

One helper does each (``ssot_lint.files.write_atomic`` / ``read_bytes``); these tests
go through every command that writes or reads a file the user names, for real: a
kernel file-size limit (``RLIMIT_FSIZE``) in a child process, FIFOs and devices,
symbolic links out of the project, owner, group, mode, extended attributes and hard
links, temporary files of killed runs, and directories that cannot be listed.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.cache.scan import scan
from ssot_lint.discover import discover
from ssot_lint.files import RefusedPath, read_bytes, sweep_temporaries, write_atomic
from tests.conftest import write_project
from tests.trust._cli import assert_clean_exit, run_cli, run_cli_subprocess
from tests.trust._privileges import obey_file_modes

REGISTRY = '[symbols."app.core.models.User"]\naliases = ["app.legacy.User"]\n'
FILES = {"app/core/models.py": "class User:\n    pass\n",
         "app/legacy/__init__.py": "from app.core.models import User\n",
         "svc/views.py": "from app.legacy import User\n"}
MARKDOWN = ("# Registry\n\n## app.core.models.User\n\n```python\n"
            "from app.core.models import User\n```\n")


def _project(root: Path) -> Path:
    return write_project(root, dict(FILES), REGISTRY, packages=("app", "svc"))


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith(".tmp"))


# Each writer: the arguments that write OUT (a file the test creates first with OLD).
WRITERS = {
    "write-baseline": ["check", "--no-cache", "--write-baseline", "OUT"],
    "update-baseline": ["check", "--no-cache", "--baseline", "OUT", "--update-baseline"],
    "output-file": ["check", "--no-cache", "--format", "json", "--output-file", "OUT"],
    "audit -o": ["audit", "-o", "OUT"],
    "audit --json": ["audit", "-o", "report.html", "--json", "OUT"],
    "registry init -o": ["registry", "init", ".", "-o", "OUT", "--force"],
    "import-markdown -o": ["registry", "import-markdown", "doc.md", "-o", "OUT", "--force"],
    "export-markdown -o": ["registry", "export-markdown", "-o", "OUT", "--force"],
    "graph -o": ["graph", "--format", "json", "-o", "OUT"],
}
OLD = "# the previous file, kept whole\n"
# A baseline with one stale entry (so --update-baseline rewrites it) and the real one.
BASELINE = ("version = 1\n\n[[finding]]\ncode = \"SSOT112\"\npath = \"svc/gone.py\"\n"
            "symbol = \"app.legacy.User\"\noccurrence = 1\n\n[[finding]]\ncode = \"SSOT112\"\n"
            "path = \"svc/views.py\"\nsymbol = \"app.legacy.User\"\noccurrence = 1\n")


def _limited() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (48, 48))


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, writer: str) -> None:
    """Under ``ulimit -f`` every write of more than 48 bytes fails in the kernel: the
    old file must still be there, byte for byte, with no temporary file beside it."""
    root = _project(tmp_path / "proj")
    (root / "doc.md").write_text(MARKDOWN)
    out = root / "out.txt"
    old = BASELINE if "baseline" in writer else OLD
    out.write_text(old)
    args = [str(out) if a == "OUT" else a for a in WRITERS[writer]]
    proc = subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=root,
                          capture_output=True, text=True, preexec_fn=_limited, timeout=600,
                          check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "File too large" in proc.stderr, proc.stderr
    assert out.read_text() == old
    assert [n for n in _leftovers(root) if "out.txt" in n] == []
    # and without the limit the same command replaces it
    result = run_cli_subprocess(args, root)
    assert_clean_exit(result, 0, 1)
    assert out.read_text() != old


@pytest.mark.parametrize("writer", sorted(set(WRITERS) - {"update-baseline"}))  # reads first
def test_a_missing_output_directory_is_not_created(tmp_path: Path, writer: str) -> None:
    root = _project(tmp_path / "proj")
    (root / "doc.md").write_text(MARKDOWN)
    target = root / "nonexistent" / "dir" / "x"
    args = [str(target) if a == "OUT" else a for a in WRITERS[writer]]
    result = run_cli(args, root)
    assert_clean_exit(result, 2)
    assert f"directory {root / 'nonexistent' / 'dir'} does not exist" in result.stderr
    assert not (root / "nonexistent").exists()


def test_write_atomic_keeps_mode_owner_group_and_extended_attributes(tmp_path: Path) -> None:
    path = tmp_path / "kept.py"
    path.write_text("old\n")
    path.chmod(0o640)
    os.setxattr(path, "user.origin", b"kept")
    if os.geteuid() == 0:  # root can give the file away; the rewrite must keep it
        os.chown(path, 1234, 5678)
    before = path.stat()
    write_atomic(path, b"new\n")
    after = path.stat()
    assert path.read_bytes() == b"new\n"
    assert (stat.S_IMODE(after.st_mode), after.st_uid, after.st_gid) == \
        (0o640, before.st_uid, before.st_gid)
    assert os.getxattr(path, "user.origin") == b"kept"
    assert after.st_ino != before.st_ino  # replaced by rename, not rewritten in place
    assert os.listdir(tmp_path) == ["kept.py"]


def test_write_atomic_refuses_hard_links_and_non_regular_files(tmp_path: Path) -> None:
    path = tmp_path / "linked.py"
    path.write_text("old\n")
    os.link(path, tmp_path / "other_name.py")
    with pytest.raises(RefusedPath, match="has 2 hard links"):
        write_atomic(path, b"new\n")
    assert (tmp_path / "other_name.py").read_text() == "old\n"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(RefusedPath, match="a FIFO"):
        write_atomic(tmp_path / "pipe", b"x")
    assert sorted(os.listdir(tmp_path)) == ["linked.py", "other_name.py", "pipe"]


def test_new_files_get_the_umask_mode(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_fix_refuses_a_symlink_out_of_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    outside = tmp_path / "outside.py"
    outside.write_text("from app.legacy import User\n")
    os.symlink(os.path.relpath(outside, root / "svc"), root / "svc" / "link.py")
    result = run_cli(["fix", "svc/link.py"], root)
    assert_clean_exit(result, 1)
    assert "not written: its real location" in result.stdout
    assert "ssot-lint does not write there" in result.stdout
    assert outside.read_text() == "from app.legacy import User\n"
    # a link pointing somewhere the run may write (into the project) is fine
    result = run_cli(["fix"], root)
    assert (root / "svc" / "views.py").read_text() == "from app.core.models import User\n"


def test_write_atomic_refuses_a_link_to_another_directory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "target.txt").write_text("elsewhere\n")
    os.symlink("../b/target.txt", tmp_path / "a" / "out.txt")
    with pytest.raises(RefusedPath, match="is outside"):
        write_atomic(tmp_path / "a" / "out.txt", b"x")
    assert (tmp_path / "b" / "target.txt").read_text() == "elsewhere\n"
    os.symlink("real.txt", tmp_path / "a" / "same_dir.txt")  # next to it: written through
    write_atomic(tmp_path / "a" / "same_dir.txt", b"y")
    assert (tmp_path / "a" / "real.txt").read_bytes() == b"y"
    assert (tmp_path / "a" / "same_dir.txt").is_symlink()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_only_stale_temporaries_of_ssot_lint_are_swept(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    names = {
        f".views.py.{dead}.abcd_123.ssot-lint.tmp": True,  # a killed fix
        f"..gitignore.{dead}.tmp": True,  # 0.1.0's cache writer, killed
        f".views.py.{alive}.abcd_123.ssot-lint.tmp": False,  # a live run's
        ".views.py.k2j4h5g6.ssot-lint.tmp": False,  # 0.1.0's fix, recent: maybe live
        ".old.py.k2j4h5g6.ssot-lint.tmp": True,  # 0.1.0's fix, two hours old
        f".notes.{dead}.tmp": False,  # someone else's temporary file
        "views.py": False,
    }
    for name in names:
        (tmp_path / name).write_text("x")
    os.utime(tmp_path / ".old.py.k2j4h5g6.ssot-lint.tmp", (0, 0))
    removed = sweep_temporaries(tmp_path)
    assert sorted(removed) == sorted(n for n, stale in names.items() if stale)
    assert sorted(os.listdir(tmp_path)) == sorted(n for n, stale in names.items() if not stale)


@pytest.mark.parametrize("what", ["fifo", "device"])
def test_inputs_that_are_not_regular_files_are_refused_up_front(tmp_path: Path,
                                                                what: str) -> None:
    """A FIFO would block the run forever and /dev/zero would fill the memory: each
    named input is refused with exit 2 before it is read."""
    root = _project(tmp_path / "proj")
    special = root / "special"
    if what == "fifo":
        os.mkfifo(special)
    else:
        os.symlink("/dev/zero", special)
    cases = [["check", "--no-cache", "--baseline", "special"],
             ["check", "--no-cache", "--write-baseline", "special"],
             ["audit", "-o", "r.html", "--compare", "special"],
             ["registry", "import-markdown", "special"],
             ["where", "--registry", "special", "User"],
             ["check", "--no-cache", "--registry", "special"]]
    for args in cases:
        result = run_cli_subprocess(args, root, timeout=120)
        assert_clean_exit(result, 2)
        assert "not a regular file" in result.stderr, (args, result.stderr)


def test_a_committed_registry_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    (root / "ssot-registry.toml").unlink()
    os.symlink("/dev/zero", root / "ssot-registry.toml")
    result = run_cli_subprocess(["check", "--no-cache"], root, timeout=120)
    assert_clean_exit(result, 2)
    assert "a character device, not a regular file" in result.stderr


def test_an_explicitly_named_fifo_is_reported(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    os.mkfifo(root / "svc" / "pipe.py")
    result = run_cli_subprocess(["check", "--no-cache", "svc/pipe.py"], root, timeout=120)
    assert_clean_exit(result, 2)
    assert "svc/pipe.py is a FIFO (named pipe), not a Python file" in result.stderr


def test_a_file_swapped_for_a_fifo_after_discovery_does_not_block(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    files = discover(root, (".",))
    os.unlink(root / "svc" / "views.py")
    os.mkfifo(root / "svc" / "views.py")  # nobody will ever write to it
    facts = scan(files, (3, 12), 10 * 1024 * 1024)
    problem = facts["svc/views.py"].problem
    assert problem is not None and problem.code == "SSOT002"
    assert "FIFO" in problem.message


def test_reads_are_capped_even_when_the_file_grows(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, 100) == b"x" * 100
    with pytest.raises(RefusedPath, match="over the 99-byte limit"):
        read_bytes(path, 99)


def test_an_unlistable_directory_is_reported_and_its_modules_are_not_missing(
        tmp_path: Path) -> None:
    """Mode 311 (search without read): the files inside cannot be listed. Its modules
    are unknown, not missing; the run says which directory it could not read."""
    root = write_project(tmp_path / "proj", {
        "app/secret/mod.py": "x = 1\n",
        "app/user.py": "import app.secret.mod\nfrom app.secret.mod import x\n"
                       "import app.really_missing\n"}, packages=("app",))
    secret = root / "app" / "secret"
    secret.chmod(0o311)
    try:
        for args in (["check", "--no-cache"], ["check"]):
            proc = subprocess.run([sys.executable, "-m", "ssot_lint", *args], cwd=root,
                                  capture_output=True, text=True,
                                  preexec_fn=obey_file_modes(), timeout=300, check=False)
            assert "Traceback" not in proc.stderr, proc.stderr
            assert proc.returncode == 1, proc.stdout + proc.stderr
            assert "cannot list directory app/secret/ (Permission denied)" in proc.stderr
            assert "app.secret" not in proc.stdout, proc.stdout
            assert "module `app.really_missing` does not exist" in proc.stdout
    finally:
        secret.chmod(0o755)


def test_the_cache_directory_loses_a_dead_writer_s_gitignore_temporary(tmp_path: Path) -> None:
    """ssot-lint 0.1.0 left ``..gitignore.PID.tmp`` in the cache when the disk was full;
    the next run that writes the cache's ``.gitignore`` removes it."""
    root = _project(tmp_path / "proj")
    cache = root / ".ssot_lint_cache"
    cache.mkdir()
    leftover = cache / f"..gitignore.{_dead_pid()}.tmp"
    leftover.write_text("# created by ssot-lint: never commit the cache\n")
    assert_clean_exit(run_cli(["check"], root), 1)
    assert not leftover.exists()
    assert (cache / ".gitignore").read_text().endswith("*\n")
    assert _leftovers(root) == []


def test_a_config_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    os.mkfifo(root / "ssot-lint.toml")
    result = run_cli_subprocess(["check", "--no-cache", "--config", "ssot-lint.toml"], root,
                                timeout=120)
    assert_clean_exit(result, 2)
    assert "a FIFO (named pipe), not a regular file" in result.stderr


def test_remembered_findings_are_not_replayed_once_a_directory_becomes_unlistable(
        tmp_path: Path) -> None:
    """An empty directory and an unlistable one give the same file list; only the first
    makes ``app.secret.mod`` missing, so the cache must not replay that finding."""
    root = write_project(tmp_path / "proj", {"app/user.py": "import app.secret.mod\n"},
                         packages=("app",))
    secret = root / "app" / "secret"
    secret.mkdir()

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ssot_lint", "check"], cwd=root,
                              capture_output=True, text=True, preexec_fn=obey_file_modes(),
                              timeout=300, check=False)

    first = check()
    assert "module `app.secret.mod` does not exist" in first.stdout, first.stdout
    secret.chmod(0o311)
    try:
        second = check()
    finally:
        secret.chmod(0o755)
    assert "Traceback" not in second.stderr, second.stderr
    assert "app.secret" not in second.stdout, second.stdout
    assert "cannot list directory app/secret/" in second.stderr


def test_fix_sweeps_stale_temporaries_even_where_it_has_nothing_to_fix(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    stale = root / "app" / "core" / f".models.py.{_dead_pid()}.abcdefgh.ssot-lint.tmp"
    stale.write_text("half a file")
    assert_clean_exit(run_cli(["check"], root), 1)
    assert stale.exists()  # check writes nothing in the project
    assert_clean_exit(run_cli(["fix"], root), 0)
    assert not stale.exists()
    assert _leftovers(root) == []


def test_a_registry_directory_reports_fifo_and_dangling_toml_entries(tmp_path: Path) -> None:
    """Every ``*.toml`` entry of a registry directory is read or reported: a FIFO or a
    dangling link is an error naming it, not a file silently left out."""
    root = _project(tmp_path / "proj")
    registry = root / "registry"
    registry.mkdir()
    (root / "ssot-registry.toml").rename(registry / "main.toml")
    os.mkfifo(registry / "pipe.toml")
    os.symlink("nowhere.toml", registry / "dangling.toml")
    result = run_cli_subprocess(["check", "--no-cache", "--registry", "registry"], root,
                                timeout=120)
    assert_clean_exit(result, 2)
    assert "pipe.toml: registry file is a FIFO (named pipe), not a regular file" \
        in result.stderr
    assert "dangling.toml: registry file is a symbolic link to 'nowhere.toml', which does " \
        "not exist" in result.stderr
