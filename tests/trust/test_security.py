"""ssot-lint never runs the code it reads.

A hostile project whose every module, on import, writes a file, opens a socket and
launches a process -- and which shadows ``click``, ``json`` and ``pathspec`` -- is put
through every command. Each run happens under an audit hook (``_audited_run.py``) that
kills the process at the first import or execution of project code, outbound
connection, process launch or write outside what the command was asked to write;
afterwards no sentinel file may exist and the listening socket must have had no caller.
"""

from __future__ import annotations

import os
import pickle
import socket
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.trust._cli import CliResult, assert_clean_exit, run_cli_subprocess

RUNNER = Path(__file__).with_name("_audited_run.py")
SHADOWS = ("click", "json", "pathspec", "libcst", "conftest", "setup", "sitecustomize")


def payload(sentinel: Path, port: int) -> str:
    return (
        "import socket, subprocess\n"
        f"open({str(sentinel)!r} + '-' + __name__, 'w').write('executed')\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n"
        "except OSError:\n"
        "    pass\n"
        f"subprocess.run(['touch', {str(sentinel)!r} + '-proc-' + __name__])\n"
    )


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


@pytest.fixture
def hostile(tmp_path: Path, listener: socket.socket) -> tuple[Path, Path]:
    sentinel = tmp_path / "outside" / "SENTINEL"
    sentinel.parent.mkdir()
    evil = payload(sentinel, listener.getsockname()[1])
    files = {
        "pkg/__init__.py": evil,
        "pkg/__main__.py": evil,
        "pkg/evil.py": evil + "from pkg.old import thing\n",
        "pkg/old.py": evil + "thing = 1\n",
        "pkg/new.py": "thing = 1\n",
        "tests/test_evil.py": evil + "import pkg.evil\n",
        **{f"{name}.py": evil for name in SHADOWS},
    }
    root = write_project(tmp_path / "hostile", files,
                         '[deprecated."pkg.old.thing"]\nuse_instead = "pkg.new.thing"\n',
                         packages=("pkg",))
    return root, sentinel


def _audited(root: Path, args: list[str], writable: list[Path]) -> CliResult:
    modules = sorted({"pkg", "tests", *SHADOWS} - {"click", "json", "pathspec", "libcst"})
    env = {"SSOT_AUDIT_ROOT": str(root), "SSOT_AUDIT_MODULES": ",".join(modules),
           "SSOT_AUDIT_WRITABLE": os.pathsep.join(str(p) for p in writable)}
    return run_cli_subprocess(args, root, env=env, runner=[sys.executable, str(RUNNER)])


def _assert_nothing_happened(sentinel: Path, listener: socket.socket) -> None:
    assert sorted(p.name for p in sentinel.parent.iterdir()) == []
    with pytest.raises(BlockingIOError):
        listener.accept()


COMMANDS = {  # name -> (args, paths under the root it may write, allowed exit codes)
    "check": (["check"], [".ssot_lint_cache"], (1,)),
    "check parallel json": (["check", "--format", "json", "-j", "2", "--no-cache"], [], (1,)),
    "check --diff": (["check", "--diff", "--no-cache"], [], (1,)),
    "graph": (["graph", "--format", "json"], [".ssot_lint_cache"], (0,)),
    "fix --diff": (["fix", "--diff"], [".ssot_lint_cache"], (1,)),
    "registry init": (["registry", "init"], [".ssot_lint_cache"], (0,)),
    "registry verify": (["registry", "verify"], [".ssot_lint_cache"], (0, 1)),
    "where": (["where", "pkg.old.thing"], [".ssot_lint_cache"], (0, 1)),
    "audit": (["audit", "-o", "report.html"], [".ssot_lint_cache", "report.html"], (0, 1)),
    "fix": (["fix"], [".ssot_lint_cache", "pkg"], (0, 1)),
}


def _available(name: str) -> bool:
    from ssot_lint.cli import cli

    return COMMANDS[name][0][0] in cli.commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [n for n in COMMANDS if _available(n)])
def test_no_command_runs_project_code(hostile: tuple[Path, Path], listener: socket.socket,
                                      name: str) -> None:
    root, sentinel = hostile
    args, writable, codes = COMMANDS[name]
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    result = _audited(root, args, [root / w for w in writable])
    assert "AUDIT VIOLATION" not in result.stderr, result.stderr
    assert_clean_exit(result, *codes)
    _assert_nothing_happened(sentinel, listener)
    changed = sorted(p.relative_to(root).as_posix() for p, data in before.items()
                     if p.read_bytes() != data)
    assert changed == (["pkg/evil.py"] if name == "fix" else [])
    if name == "fix":
        assert b"from pkg.new import thing" in (root / "pkg" / "evil.py").read_bytes()


def test_the_audit_hook_does_catch_project_code(hostile: tuple[Path, Path]) -> None:
    """The guard itself works: importing the project under it is stopped at once."""
    root, sentinel = hostile
    env = {"SSOT_AUDIT_ROOT": str(root), "SSOT_AUDIT_MODULES": "pkg"}
    import subprocess

    code = (f"import runpy, sys; guard = runpy.run_path({str(RUNNER)!r}, run_name='guard'); "
            f"sys.addaudithook(guard['_hook']); sys.path.insert(0, {str(root)!r}); import pkg")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120, check=False)
    assert proc.returncode == 97, proc.stderr
    assert "AUDIT VIOLATION: import of project module pkg" in proc.stderr
    assert not sentinel.parent.joinpath("SENTINEL-pkg").exists()


def test_python_dash_m_inside_the_project_ignores_shadowing_modules(
        hostile: tuple[Path, Path], listener: socket.socket) -> None:
    """``python -m`` puts the current directory first on sys.path: the project's
    ``click.py`` and ``json.py`` must still not be what ssot-lint imports."""
    root, sentinel = hostile
    result = run_cli_subprocess(["check", "--no-cache"], root)
    assert_clean_exit(result, 1)
    assert "SSOT111" in result.stdout
    _assert_nothing_happened(sentinel, listener)


class _Boom:
    """Unpickling this would create a file: the proof that a cache row was unpickled."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.target, "w"))


def test_a_tampered_cache_executes_nothing(hostile: tuple[Path, Path],
                                           listener: socket.socket) -> None:
    """Every text and blob in the facts cache is replaced with a pickle that would create a
    file if loaded; the next run must give the same answer as a clean one, loading
    nothing but data (the cache stores JSON, not pickles)."""
    root, sentinel = hostile
    clean = run_cli_subprocess(["check", "--format", "json", "--no-cache"], root)
    first = run_cli_subprocess(["check", "--format", "json"], root)
    databases = [p for p in (root / ".ssot_lint_cache").rglob("*") if p.is_file()
                 and p.read_bytes()[:16] == b"SQLite format 3\x00"]
    assert databases, "the cache should be a SQLite file"
    bomb = pickle.dumps(_Boom(str(sentinel) + "-unpickled"), protocol=0).decode("latin-1")
    for database in databases:
        with sqlite3.connect(database) as db:
            rows = db.execute("select digest, salt from facts").fetchall()
            assert rows
            for digest, salt in rows:  # a valid checksum, so the payload reaches the decoder
                crc = zlib.crc32(f"{digest}\0{salt}\0{bomb}".encode())
                db.execute("update facts set data = ?, crc = ? where digest = ? and salt = ?",
                           (bomb, crc, digest, salt))
        db.close()
    tampered = _audited(root, ["check", "--format", "json"], [root / ".ssot_lint_cache"])
    assert "AUDIT VIOLATION" not in tampered.stderr, tampered.stderr
    for result in (first, tampered):
        assert_clean_exit(result, 1)
        assert result.json()["findings"] == clean.json()["findings"]
    _assert_nothing_happened(sentinel, listener)
    # garbage instead of a database: also just rebuilt
    for database in databases:
        database.write_bytes(os.urandom(4096))
    garbage = run_cli_subprocess(["check", "--format", "json"], root)
    assert_clean_exit(garbage, 1)
    assert garbage.json()["findings"] == clean.json()["findings"]
    _assert_nothing_happened(sentinel, listener)


def test_a_crafted_file_name_cannot_forge_output_lines(tmp_path: Path) -> None:
    """A file name may hold a line break and a GitHub workflow command, or a terminal escape;
    printed raw, it would forge a finding line or an ``::error`` annotation in CI logs."""
    forged = "a\n::error file=setup.py,line=1::forged\n\x1b[2Jb.py"
    root = write_project(tmp_path / "proj", {f"pkg/{forged}": "import pkg.missing\n"})
    for fmt in ("text", "github"):
        result = run_cli_subprocess(["check", "--no-cache", "--format", fmt], root)
        assert_clean_exit(result, 1)
        lines = result.stdout.splitlines()
        assert not any(line.startswith("::error file=setup.py") for line in lines)
        assert "\x1b" not in result.stdout
        assert len([line for line in lines if "SSOT102" in line]) == 1
    text = run_cli_subprocess(["check", "--no-cache"], root).stdout.splitlines()
    assert text[0] == ("pkg/a\\n::error file=setup.py,line=1::forged\\n\\x1b[2Jb.py:1:8: SSOT102 "
                       "module `pkg.missing` does not exist")


# --- python -m: what runs before ssot-lint's first line ---------------------------------

_TRANSPARENT_SHADOW = """\
import sys
open({marker!r} + __name__, "w").close()
_saved = sys.path[:]
sys.path[:] = [p for p in sys.path if p not in ("", {root!r})]
del sys.modules[__name__]
try:
    sys.modules[__name__] = __import__(__name__)
finally:
    sys.path[:] = _saved
"""


def _shadow_everything(root: Path, marker: Path) -> None:
    """A module for every standard-library and dependency name in ``root``: each records
    that it ran, then hands over to the real module so Python keeps working and every
    later shadow gets its chance to run too."""
    names = set(getattr(sys, "stdlib_module_names", ())) | {
        "click", "tomli", "tomllib", "pathspec", "networkx", "libcst", "tomlkit",
        "typing_extensions"}
    for name in sorted(names - {"sys", "builtins"}):
        (root / f"{name}.py").write_text(
            _TRANSPARENT_SHADOW.format(marker=str(marker) + "/", root=str(root)))


def _ran(marker: Path) -> set[str]:
    names = {p.name for p in marker.iterdir()}
    for p in marker.iterdir():
        p.unlink()
    return names


def _bare_python(*args: str, cwd: Path, pythonpath: list[str]) -> subprocess.CompletedProcess[str]:
    """``python -S ARGS``: no site, so nothing is imported before the command line is
    run -- the interpreter state of a plain (non-editable) install, the worst case."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    env.pop("PYTHONSAFEPATH", None)
    return subprocess.run([sys.executable, "-S", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=600, check=False)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="needs sys.stdlib_module_names")
def test_python_dash_m_runs_no_project_module_beyond_what_python_imports_first(
        tmp_path: Path) -> None:
    """The project shadows every standard-library and dependency module. ``python -m
    ssot_lint`` may run only the shadows that the interpreter itself imports (runpy and
    its imports, e.g. ``contextlib``) before any ssot-lint code exists -- measured with an
    empty package started the same way -- and none under ``-P``: in particular not
    ``__future__`` (imported by a ``from __future__`` line) nor anything ssot-lint imports."""
    import sysconfig

    import ssot_lint

    root = write_project(tmp_path / "proj", {"pkg/a.py": "import pkg.missing\n"},
                         packages=("pkg",))
    marker = tmp_path / "ran"
    marker.mkdir()
    _shadow_everything(root, marker)
    probe = tmp_path / "probe" / "emptyprobe"
    probe.mkdir(parents=True)
    (probe / "__init__.py").write_text("")
    (probe / "__main__.py").write_text("")
    paths = [str(Path(ssot_lint.__file__).parents[1]), sysconfig.get_paths()["purelib"],
             str(probe.parent)]

    baseline = _bare_python("-m", "emptyprobe", cwd=root, pythonpath=paths)
    assert baseline.returncode == 0, baseline.stderr
    before_us = _ran(marker)
    assert before_us, "the probe should show what runpy imports from the working directory"

    result = _bare_python("-m", "ssot_lint", "check", "--no-cache", cwd=root, pythonpath=paths)
    assert result.returncode == 1, result.stderr
    assert "SSOT102" in result.stdout
    ran = _ran(marker)
    assert ran <= before_us, sorted(ran - before_us)
    assert "__future__" not in ran

    if sys.version_info >= (3, 11):
        safe = _bare_python("-P", "-m", "ssot_lint", "check", "--no-cache", cwd=root,
                            pythonpath=paths)
        assert safe.returncode == 1, safe.stderr
        assert _ran(marker) == set()


def test_python_dash_m_refuses_when_a_project_module_was_imported_before_it(
        tmp_path: Path) -> None:
    """A project ``contextlib.py`` that stays imported (it copies the real module's names
    into itself) has run before ssot-lint could stop it: the run is refused, not trusted."""
    import sysconfig

    import ssot_lint

    root = write_project(tmp_path / "proj", {"pkg/a.py": "x = 1\n"}, packages=("pkg",))
    (root / "contextlib.py").write_text(
        "import sys\n"
        "_saved = sys.path.pop(0)\n"
        "_me = sys.modules.pop(__name__)\n"
        "import contextlib as _real\n"
        "sys.modules[__name__] = _me\n"
        "sys.path.insert(0, _saved)\n"
        "globals().update({k: v for k, v in vars(_real).items() if not k.startswith('__')})\n"
    )
    paths = [str(Path(ssot_lint.__file__).parents[1]), sysconfig.get_paths()["purelib"]]
    result = _bare_python("-m", "ssot_lint", "check", "--no-cache", cwd=root, pythonpath=paths)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("ssot-lint: error: python -m imported contextlib from the "
                                    "current directory")


def test_the_language_server_runs_no_project_code(hostile: tuple[Path, Path],
                                                  listener: socket.socket) -> None:
    """``ssot-lint lsp`` under the same guard: buffers checked, a quick fix computed and
    hovers answered, and not one line of the project imported or executed."""
    pytest.importorskip("pygls", reason="the lsp extra is part of the test extra")
    import asyncio

    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    root, sentinel = hostile
    modules = sorted({"pkg", "tests", *SHADOWS} - {"click", "json", "pathspec", "libcst"})
    env = {**os.environ, "SSOT_AUDIT_ROOT": str(root), "SSOT_AUDIT_MODULES": ",".join(modules),
           "SSOT_AUDIT_WRITABLE": str(root / ".ssot_lint_cache")}
    evil = root / "pkg" / "evil.py"
    uri = evil.resolve().as_uri()
    before = {p: p.read_bytes() for p in root.rglob("*.py")}

    async def session() -> tuple[list[str], int | None]:
        client = LanguageClient("audit", "1")
        codes: list[str] = []
        arrived = asyncio.Event()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            if params.uri == uri:
                codes[:] = sorted(str(d.code) for d in params.diagnostics)
                arrived.set()

        await client.start_io(sys.executable, str(RUNNER), "lsp", "--debounce", "0",
                              cwd=str(root), env=env)
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root.resolve().as_uri()))
        client.initialized(types.InitializedParams())
        text = evil.read_text() + "import pkg.old\n"
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1,
                                                 text=text)))
        await asyncio.wait_for(arrived.wait(), 120)
        line = len(text.splitlines()) - 2  # `from pkg.old import thing`
        where = types.Range(start=types.Position(line=line, character=20),
                            end=types.Position(line=line, character=25))
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where.start))
        await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=where,
            context=types.CodeActionContext(diagnostics=[])))
        await client.shutdown_async(None)
        client.exit(None)
        server = client._server  # the subprocess, to read its exit code
        assert server is not None
        returncode = await asyncio.wait_for(server.wait(), 60)
        await client.stop()
        return codes, returncode

    codes, returncode = asyncio.run(session())
    assert returncode == 0  # 97 would be the guard's AUDIT VIOLATION exit
    assert codes == ["SSOT111"]
    _assert_nothing_happened(sentinel, listener)
    assert {p: p.read_bytes() for p in root.rglob("*.py")} == before
