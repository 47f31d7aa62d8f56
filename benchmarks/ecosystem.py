"""Ecosystem run: every ssot-lint command over many pinned real projects from PyPI.

Not part of the default test run; CI runs it (``python benchmarks/ecosystem.py``) the way
ruff checks every change against real projects. For each pinned sdist it runs whichever
of ``check``, ``graph``, ``registry init`` and ``fix --diff`` this build has (read from
``ssot-lint --help``) and asserts:

- no crash: every exit code is one the command documents, and no traceback is printed;
- determinism: two runs give byte-identical output, and so do ``--jobs 1`` and
  ``--jobs 2`` and a cold and a warm cache (when those options exist);
- ``fix --diff`` is safe: the patch applies with ``git apply`` to a copy of the project,
  every patched file compiles, and the patch is the same on a second run.

The registry of each project is bootstrapped by ``registry init`` (or a minimal one when
that command is missing), with ``relative_imports = "forbid"`` added so that ``fix``
has real rewriting to do (relative -> absolute) on every project.

Sdists are downloaded once with ``pip download`` (PyPI only) into the gitignored
``.corpora/ecosystem/``. It prints a table per project: files, findings by rule, fixed
files, time and peak memory. Exit code 1 when any assertion failed.

    python benchmarks/ecosystem.py                 # all projects
    python benchmarks/ecosystem.py click flask     # some of them
    python benchmarks/ecosystem.py --download-only
    python benchmarks/ecosystem.py --light         # one run per command (slow machines)
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".corpora" / "ecosystem"
ARCHIVES = CACHE / "archives"
TREES = CACHE / "trees"
# Archives other suites already fetched: reused instead of downloaded again.
SHARED_ARCHIVES = (REPO / "benchmarks" / ".corpora" / "sdists", REPO / ".corpora")

# (requirement, kind). Only projects whose sdist metadata builds without a compiler.
PROJECTS: list[tuple[str, str]] = [
    ("django==5.1.4", "web"), ("flask==3.1.0", "web"), ("fastapi==0.115.6", "web"),
    ("starlette==0.41.3", "web"), ("tornado==6.4.2", "web"), ("aiohttp==3.11.10", "web"),
    ("twisted==24.11.0", "web"), ("httpx==0.28.1", "web"), ("requests==2.32.3", "web"),
    ("sqlalchemy==2.0.36", "data"), ("sympy==1.13.3", "data"), ("networkx==3.4.2", "data"),
    ("pydantic==2.10.3", "data"), ("dask==2024.12.0", "data"), ("xarray==2024.11.0", "data"),
    ("altair==5.5.0", "data"),
    ("click==8.1.7", "cli"), ("rich==13.9.4", "cli"), ("black==24.10.0", "cli"),
    ("pip==24.3.1", "cli"), ("mypy==1.13.0", "cli"), ("pytest==8.3.4", "cli"),
    ("sphinx==8.1.3", "cli"), ("ansible-core==2.17.7", "cli"), ("salt==3007.1", "cli"),
    ("celery==5.4.0", "cli"), ("setuptools==75.6.0", "cli"),
]
TIMEOUT = 3600


@dataclass
class Outcome:
    name: str
    files: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    fixed_files: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


# -- corpora ---------------------------------------------------------------------------
def _archive(name: str, version: str) -> Path | None:
    stems = {f"{n}-{version}" for n in (name, name.replace("-", "_"), name.replace("_", "-"))}
    for directory in (ARCHIVES, *SHARED_ARCHIVES):
        if directory.is_dir():
            for path in sorted(directory.iterdir()):
                lower = path.name.lower()
                if lower.endswith((".tar.gz", ".zip")) and lower.rsplit(".tar.gz", 1)[0].rsplit(
                        ".zip", 1)[0] in {s.lower() for s in stems}:
                    return path
    return None


def download(requirement: str) -> Path:
    """The pinned sdist's archive, fetched from PyPI once (only this package from source)."""
    name, version = requirement.split("==")
    found = _archive(name, version)
    if found is None:
        ARCHIVES.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "pip", "download", requirement, "--no-deps",
                               "--no-binary", name, "--quiet", "-d", str(ARCHIVES)],
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
        found = _archive(name, version)
        if found is None:
            raise RuntimeError(f"pip download {requirement} failed:\n{done.stdout}{done.stderr}")
    return found


def unpack(requirement: str) -> Path:
    """The pristine unpacked tree (unpacked once, marked complete)."""
    archive = download(requirement)
    target = TREES / requirement.replace("==", "-")
    if not (target / ".complete").is_file():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        if archive.name.endswith(".zip"):
            shutil.unpack_archive(str(archive), str(target))
        else:
            with tarfile.open(archive) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(target, filter="data")
                else:
                    tar.extractall(target)  # noqa: S202 - a pinned sdist from PyPI
        (target / ".complete").write_text(requirement)
    [tree] = [p for p in target.iterdir() if p.is_dir()]
    return tree


# -- running ---------------------------------------------------------------------------
def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``ssot-lint ARGS`` in ``cwd``; output via files so ``wait4`` can report peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "ssot_lint", *args], cwd=cwd, stdout=out,
                                stderr=err, env={**os.environ, "PYTHONIOENCODING": "utf-8",
                                                 **(env or {})})
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)


def commands() -> set[str]:
    """Top-level commands (and ``registry`` subcommands as ``registry X``) of this build."""
    found: set[str] = set()
    for args, prefix in ((["--help"], ""), (["registry", "--help"], "registry ")):
        proc = subprocess.run([sys.executable, "-m", "ssot_lint", *args], capture_output=True,
                              text=True, check=False)
        section = proc.stdout.split("Commands:", 1)[-1] if "Commands:" in proc.stdout else ""
        found |= {prefix + m.group(1) for m in re.finditer(r"^  (\S+)", section, re.M)}
    return found


def options(command: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "ssot_lint", *command.split(), "--help"],
                          capture_output=True, text=True, check=False)
    return proc.stdout


def _expect(outcome: Outcome, label: str, result: Run, codes: tuple[int, ...]) -> bool:
    ok = True
    if "Traceback (most recent call last)" in result.stderr + result.stdout:
        outcome.problems.append(f"{label}: traceback:\n{result.stderr[-3000:]}")
        ok = False
    if result.code not in codes:
        outcome.problems.append(f"{label}: exit {result.code} (expected {codes}): "
                                f"{result.stderr[-1500:]}")
        ok = False
    outcome.peak_mb = max(outcome.peak_mb, result.peak_mb)
    return ok


def _same(outcome: Outcome, label: str, first: str, second: str) -> None:
    if first != second:
        pairs = zip(first.splitlines(), second.splitlines(), strict=False)
        lines = [a for a, b in pairs if a != b][:3]
        outcome.problems.append(f"{label}: outputs differ (first differing lines: {lines})")


# -- one project -----------------------------------------------------------------------
def prepare(outcome: Outcome, tree: Path, work: Path, available: set[str],
            repeats: int = 2) -> Path:
    """A working copy of ``tree`` with a registry (``registry init`` or a minimal one)."""
    root = work / tree.name
    shutil.copytree(tree, root, symlinks=True)
    registry = root / "ssot-registry.toml"
    text = "version = 1\n"
    if "registry init" in available:
        inits = [run(["registry", "init", "."], root) for _ in range(repeats)]
        if all(_expect(outcome, "registry init", init, (0,)) for init in inits):
            if repeats > 1:
                _same(outcome, "registry init twice", inits[0].stdout, inits[1].stdout)
            text = inits[0].stdout
    if "relative_imports" not in text:
        text = text.replace("version = 1\n",
                            'version = 1\n\n[policy]\nrelative_imports = "forbid"\n', 1) \
            if "[policy]" not in text else text.replace(
                "[policy]\n", '[policy]\nrelative_imports = "forbid"\n', 1)
    registry.write_text(text)
    return root


def check_project(requirement: str, work: Path, available: set[str],
                  light: bool = False) -> Outcome:
    """Run every command on one project; ``light`` repeats only ``check`` (as --jobs 1 and
    --jobs 2), for slow machines: one run each of the rest."""
    tree = unpack(requirement)
    outcome = Outcome(requirement)
    repeats = 1 if light else 2
    root = prepare(outcome, tree, work, available, repeats)
    no_cache = ["--no-cache"] if "--no-cache" in options("check") else []
    has_jobs = "--jobs" in options("check")

    base = ["check", "--format", "json", "--exit-zero"]
    jobs1 = run([*base, *no_cache, *(["--jobs", "1"] if has_jobs else [])], root)
    outcome.seconds = jobs1.seconds
    if not _expect(outcome, "check", jobs1, (0,)):
        return outcome
    report = json.loads(jobs1.stdout)
    outcome.files = report["summary"]["files_checked"]
    outcome.by_code = Counter(report["summary"]["by_code"])
    others = [] if no_cache else [("check again", base)]
    if has_jobs:
        others.append(("check --jobs 2", [*base, *no_cache, "--jobs", "2"]))
    if no_cache and not light:
        others += [("check, cold cache", base), ("check, warm cache", base)]
    for label, args in others:
        again = run(args, root)
        if _expect(outcome, label, again, (0,)):
            _same(outcome, f"check vs {label}", jobs1.stdout, again.stdout)

    if "graph" in available:
        graphs = [run(["graph", "--format", "json"], root) for _ in range(repeats)]
        if all(_expect(outcome, "graph", g, (0,)) for g in graphs) and repeats > 1:
            _same(outcome, "graph twice", graphs[0].stdout, graphs[1].stdout)

    if "fix" in available:
        diffs = [run(["fix", "--diff", "--exit-zero"], root) for _ in range(repeats)]
        if all(_expect(outcome, "fix --diff", d, (0,)) for d in diffs):
            if repeats > 1:
                _same(outcome, "fix --diff twice", diffs[0].stdout, diffs[1].stdout)
            outcome.fixed_files = apply_patch(outcome, root, work, diffs[0].stdout)
    shutil.rmtree(root, ignore_errors=True)
    return outcome


def apply_patch(outcome: Outcome, root: Path, work: Path, patch: str) -> int:
    """Apply ``patch`` to a copy of ``root`` with ``git apply``; every patched file compiles."""
    files = sorted(set(re.findall(r"^\+\+\+ b/(.+)$", patch, re.M)))
    if not files:
        return 0
    copy = work / (root.name + "-patched")
    shutil.copytree(root, copy, symlinks=True)
    patch_file = work / "fix.patch"
    patch_file.write_text(patch, encoding="utf-8")
    done = subprocess.run(["git", "apply", "--unsafe-paths", "-p1", str(patch_file)], cwd=copy,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        outcome.problems.append(f"fix --diff: the patch does not apply: {done.stderr[-1500:]}")
    else:
        for rel in files:
            data = (copy / rel).read_bytes()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    compile(data, rel, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
            except (SyntaxError, ValueError) as exc:
                outcome.problems.append(f"fix --diff: {rel} does not compile after the patch: "
                                        f"{exc}")
    shutil.rmtree(copy, ignore_errors=True)
    return len(files)


# -- report ----------------------------------------------------------------------------
def table(outcomes: list[Outcome]) -> str:
    rows = [("project", "files", "findings by rule", "fix files", "check s", "peak MB", "ok")]
    for o in outcomes:
        codes = " ".join(f"{c}:{n}" for c, n in sorted(o.by_code.items())) or "-"
        rows.append((o.name, str(o.files), codes, str(o.fixed_files), f"{o.seconds:.1f}",
                     f"{o.peak_mb:.0f}", "yes" if not o.problems else "NO"))
    total = sum(o.files for o in outcomes)
    rows.append(("total", str(total), "", str(sum(o.fixed_files for o in outcomes)),
                 f"{sum(o.seconds for o in outcomes):.1f}",
                 f"{max((o.peak_mb for o in outcomes), default=0):.0f}",
                 "yes" if not any(o.problems for o in outcomes) else "NO"))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", help="names to run (default: all)")
    parser.add_argument("--download-only", action="store_true")
    parser.add_argument("--light", action="store_true",
                        help="one run of each command (check still as --jobs 1 and 2)")
    args = parser.parse_args(argv)
    by_name = {r.split("==")[0]: (r, k) for r, k in PROJECTS}
    unknown = sorted(set(args.projects) - set(by_name))
    if unknown:
        parser.error(f"unknown projects: {', '.join(unknown)} (known: {', '.join(by_name)})")
    chosen = [by_name[n] for n in args.projects] if args.projects else PROJECTS  # given order
    if args.download_only:
        for requirement, _ in chosen:
            print(requirement, unpack(requirement), flush=True)
        return 0
    available = commands()
    print(f"commands: {', '.join(sorted(available))}", flush=True)
    outcomes: list[Outcome] = []
    try:
        with tempfile.TemporaryDirectory(prefix="ssot-ecosystem-") as work:
            for requirement, _ in chosen:
                outcome = check_project(requirement, Path(work), available, args.light)
                outcomes.append(outcome)
                status = "ok" if not outcome.problems else "; ".join(outcome.problems)[:2000]
                codes = " ".join(f"{c}:{n}" for c, n in sorted(outcome.by_code.items()))
                print(f"{requirement}: {outcome.files} files, {outcome.seconds:.1f}s, "
                      f"{outcome.fixed_files} patched, {outcome.peak_mb:.0f} MB, [{codes}]: "
                      f"{status}", flush=True)
    except KeyboardInterrupt:  # interrupted: still report what finished
        print("interrupted; the table covers the projects that finished", flush=True)
        print(table(outcomes))
        return 130
    print(table(outcomes))
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
