"""One way to read a project: every command reads it through ``ssot_lint.cache``.

These tests pin what a user sees of that: the same source/cache options on every
command that reads a project, ``SSOT_LINT_CACHE_DIR`` honoured by all of them, the
editor overlay read instead of the disk and never remembered as the disk's content,
and the progress line (on a terminal only).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssot_lint.api import check
from ssot_lint.cli import cli
from ssot_lint.load.config import load_config
from tests.conftest import write_project

REGISTRY = """
[project]
packages = ["app", "svc"]

[symbols."app.core.models.User"]
aliases = ["app.legacy.User"]
"""

READING_COMMANDS = (["check"], ["fix"], ["graph"], ["audit"], ["registry", "verify"],
                    ["registry", "init"])
SOURCE_OPTIONS = ("--cache-dir", "--no-cache", "--jobs", "--executor", "--scheduler",
                  "--target-version", "--exclude", "--extend-exclude", "--max-file-size")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", {
        "app/core/models.py": "class User:\n    pass\n",
        "app/legacy/__init__.py": "from app.core.models import User\n",
        "svc/views.py": "from app.legacy import User\n",
        "svc/other.py": "import os\n",
    }, REGISTRY)


def _codes(findings: list) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [(f.path, f.line, f.code) for f in findings]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_every_reading_command_takes_the_same_source_options(command: list[str]) -> None:
    shown = CliRunner().invoke(cli, [*command, "--help"], terminal_width=200).output
    wanted = SOURCE_OPTIONS
    if command == ["registry", "init"]:  # its --exclude keeps files out of init only
        wanted = tuple(o for o in SOURCE_OPTIONS if o != "--extend-exclude")
    missing = [option for option in wanted if option not in shown]
    assert missing == []


@pytest.mark.parametrize("command", [["graph"], ["registry", "verify"], ["audit", "-o", "r.html"],
                                     ["fix", "--diff"], ["check"], ["registry", "init"]],
                         ids=" ".join)
def test_cache_dir_env_is_honoured_and_nothing_lands_in_the_project(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        command: list[str]) -> None:
    cache = tmp_path / "elsewhere"
    monkeypatch.chdir(project)
    monkeypatch.setenv("SSOT_LINT_CACHE_DIR", str(cache))
    result = CliRunner().invoke(cli, command)
    assert result.exit_code in (0, 1), result.output
    assert not (project / ".ssot_lint_cache").exists()
    assert (cache / "facts.sqlite3").is_file()


@pytest.mark.parametrize("command", [["graph"], ["registry", "verify"], ["fix", "--diff"],
                                     ["registry", "init"]], ids=" ".join)
def test_no_cache_writes_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch,
                                  command: list[str]) -> None:
    monkeypatch.chdir(project)
    monkeypatch.delenv("SSOT_LINT_CACHE_DIR", raising=False)
    result = CliRunner().invoke(cli, [*command, "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    assert not (project / ".ssot_lint_cache").exists()


def test_graph_and_verify_honour_excludes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    full = CliRunner().invoke(cli, ["graph", "--format", "json", "--no-cache"]).output
    cut = CliRunner().invoke(cli, ["graph", "--format", "json", "--no-cache",
                                   "--extend-exclude", "svc/views.py"]).output
    assert "svc.views" in full and "svc.views" not in cut


def test_registry_init_reads_through_the_cache_with_the_same_answer(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "ssot-registry.toml").unlink()
    monkeypatch.chdir(project)
    cache = tmp_path / "c"
    runner = CliRunner()
    cold = runner.invoke(cli, ["registry", "init", "--cache-dir", str(cache)])
    warm = runner.invoke(cli, ["registry", "init", "--cache-dir", str(cache)])
    bare = runner.invoke(cli, ["registry", "init", "--no-cache"])
    assert cold.exit_code == warm.exit_code == bare.exit_code == 0
    assert cold.output == warm.output == bare.output
    assert "app.core.models.User" in bare.output
    assert (cache / "facts.sqlite3").is_file()


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_overlay_is_read_instead_of_the_disk(project: Path, tmp_path: Path, cache: bool,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    config = load_config(project, overrides={"cache": cache,
                                             "cache_dir": tmp_path / "cache"})
    views = project / "svc" / "views.py"
    on_disk = _codes(check([], config).findings)
    assert ("svc/views.py", 1, "SSOT112") in on_disk
    fixed = check([], config, overlay={str(views): "from app.core.models import User\n"})
    assert ("svc/views.py", 1, "SSOT112") not in _codes(fixed.findings)
    # an overlay can add a finding the disk does not have (a relative path works too)
    other = os.path.relpath(project / "svc" / "other.py")
    worse = check([], config, overlay={other: "import os\nfrom app.legacy import User\n"})
    assert ("svc/other.py", 2, "SSOT112") in _codes(worse.findings)
    # and the disk's answer afterwards is the disk's, as without any cache
    again = check([], config)
    bare = check([], load_config(project, overrides={"cache": False}))
    assert _codes(again.findings) == _codes(bare.findings) == on_disk


def test_overlay_is_never_remembered_as_the_disk(project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold cache filled by an overlaid run still answers for the disk's bytes."""
    monkeypatch.chdir(project)
    config = load_config(project, overrides={"cache_dir": tmp_path / "cache"})
    views = project / "svc" / "views.py"
    check([], config, overlay={views: "from app.core.models import User\n"})
    assert ("svc/views.py", 1, "SSOT112") in _codes(check([], config).findings)


def test_overlay_is_exposed_by_the_api() -> None:
    import ssot_lint.api as api

    assert {"Buffers", "DiskView", "build_project", "check", "open_project"} <= set(api.__all__)


def _stderr_on_a_terminal(cwd: Path, args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Run ssot-lint with stderr on a pseudo-terminal; (what the terminal showed, stdout)."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("CI", "SSOT_LINT_CACHE_DIR")}
    full_env.update({"TERM": "xterm", **env})
    proc = subprocess.Popen([sys.executable, "-m", "ssot_lint", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=slave, env=full_env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    stdout = proc.communicate(timeout=120)[0]
    return b"".join(chunks).decode("utf-8", "replace"), stdout.decode()


def test_progress_line_on_a_terminal_only(project: Path) -> None:
    now = {"SSOT_LINT_PROGRESS_DELAY": "0"}
    shown, stdout = _stderr_on_a_terminal(project, ["check", "--no-cache"], now)
    # 7 files with the __init__.py files; the line is erased when the run ends
    assert "ssot-lint: reading 7/7 files" in shown and "ssot-lint: checking 7/7 files" in shown
    assert shown.endswith("\r\x1b[K")
    assert "reading" not in stdout and "SSOT112" in stdout
    quiet, _ = _stderr_on_a_terminal(project, ["check", "--no-cache", "-q"], now)
    assert "reading" not in quiet and "checking" not in quiet
    in_ci, _ = _stderr_on_a_terminal(project, ["check", "--no-cache"], {**now, "CI": "1"})
    assert "reading" not in in_ci
    # a quick run stays silent: nothing is drawn before the delay has passed
    quick, _ = _stderr_on_a_terminal(project, ["check", "--no-cache"],
                                     {"SSOT_LINT_PROGRESS_DELAY": "600"})
    assert "reading" not in quick and "checking" not in quick


def test_no_progress_on_a_pipe(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["SSOT_LINT_PROGRESS_DELAY"] = "0"
    done = subprocess.run([sys.executable, "-m", "ssot_lint", "check", "--no-cache"],
                          cwd=project, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert "reading" not in done.stderr and "checking" not in done.stderr


def test_fix_rewrites_in_worker_processes_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough files to fork rewrite workers: the diff and report equal one process's."""
    files = {"app/core/models.py": "class User:\n    pass\n",
             "app/legacy/__init__.py": "from app.core.models import User\n"}
    for index in range(24):
        files[f"svc/m{index:02}.py"] = (f'"""Module {index}."""\nimport os\n'
                                        "from app.legacy import User\n\n\n"
                                        f"def f{index}():\n    return User, os\n")
    root = write_project(tmp_path / "many", files, REGISTRY)
    monkeypatch.chdir(root)
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli, ["fix", "--diff", "--no-cache", "-j", jobs])
        assert result.exit_code == 1, result.output
        outputs.append((result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count("+from app.core.models import User") == 24


def test_fix_diff_is_remembered_exactly(project: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm `fix --diff` replays the answer for exactly the same inputs, and only then."""
    from ssot_lint.fix import run as fix_run

    monkeypatch.chdir(project)
    cache = str(tmp_path / "cache")
    runner = CliRunner()

    def diff(*extra: str) -> tuple[str, str]:
        result = runner.invoke(cli, ["fix", "--diff", *extra])
        assert result.exit_code == 1, result.output
        return result.stdout, result.stderr

    bare = diff("--no-cache")
    assert diff("--cache-dir", cache) == bare  # cold, remembered
    rewrites = []
    monkeypatch.setattr(fix_run, "rewrite_all", lambda *a: rewrites.append(a) or [])
    assert diff("--cache-dir", cache) == bare  # warm: replayed, nothing rewritten
    assert rewrites == []
    monkeypatch.undo()
    monkeypatch.chdir(project)
    # another file's edit changes the answer, and a registry edit too
    (project / "svc" / "other.py").write_text("import os\nfrom app.legacy import User\n")
    edited = diff("--no-cache")
    assert edited != bare and diff("--cache-dir", cache) == edited
    registry = project / "ssot-registry.toml"
    registry.write_text(registry.read_text().replace("app.legacy.User", "app.legacy.Usr"))
    runs = [runner.invoke(cli, ["fix", "--diff", *extra])
            for extra in (["--no-cache"], ["--cache-dir", cache])]
    assert [(r.exit_code, r.stdout, r.stderr) for r in runs] == [
        (runs[0].exit_code, runs[0].stdout, runs[0].stderr)] * 2
    assert (runs[0].stdout, runs[0].stderr) != edited


def test_a_remembered_fix_diff_is_not_replayed_for_another_baseline(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The baseline is part of what a `fix --diff` answer depends on: with one that
    tolerates every finding, nothing is to be fixed, whatever was remembered before."""
    monkeypatch.chdir(project)
    cache = str(tmp_path / "cache")
    runner = CliRunner()
    plain = runner.invoke(cli, ["fix", "--diff", "--cache-dir", cache])
    assert plain.exit_code == 1 and plain.stdout  # remembered, with a diff
    written = runner.invoke(cli, ["check", "--no-cache", "--write-baseline", "debt.toml"])
    assert written.exit_code == 0, written.output
    runs = [runner.invoke(cli, ["fix", "--diff", "--baseline", "debt.toml", *extra])
            for extra in (["--no-cache"], ["--cache-dir", cache], ["--cache-dir", cache])]
    assert [(r.exit_code, r.stdout) for r in runs] == [(0, "")] * 3
    again = runner.invoke(cli, ["fix", "--diff", "--cache-dir", cache])
    assert (again.exit_code, again.stdout) == (plain.exit_code, plain.stdout)
