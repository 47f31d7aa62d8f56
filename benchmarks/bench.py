"""Side-by-side benchmark: ssot-lint vs tach, import-linter and ruff on real corpora.

    python benchmarks/bench.py                      # 1x, 2x, 4x; 5 runs of each
    python benchmarks/bench.py --sizes 1x --runs 3  # quicker

Downloads the pinned corpora (``benchmarks/corpora.py``) and installs pinned peers into
their own virtual environment (``benchmarks/.corpora/peers``), never into the project's;
ssot-lint itself is installed from this checkout, not editable, into
``benchmarks/.corpora/ssot-venv`` (as users run it).
For every mode the tools run *alternately* (ssot-lint, tach, ruff, import-linter, then
again), so load on the machine hits them alike; the table shows medians, and peak
memory is the largest resident set of any one process of the run (``wait4``).

Modes: ``cold`` (every tool's cache deleted first; the OS page cache stays warm),
``warm`` (nothing changed since the last run), ``one-file`` (a line added at the end
of one Django file, then each tool as a pre-commit hook would run it: ssot-lint and
ruff are given the file, tach and import-linter have no file mode and check the
project), ``one-file-top`` (the same with the line added at the *top*, so every
import of the file moves: ssot-lint then recomputes the import graph's findings,
its slowest one-file case). This is a benchmark, not a test: nothing here asserts
a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import CORPORA, EDITED, HERE, SIZES, build, clean_caches, python_files  # noqa: E402

PEERS = {"tach": "tach==0.35.3", "import-linter": "import-linter==2.16", "ruff": "ruff==0.17.6"}
TOOLS = ("ssot-lint", "tach", "ruff", "import-linter")
MODES = ("cold", "warm", "one-file", "one-file-top")
SSOT_BIN = Path(sys.executable).parent  # replaced by ssot_venv() in main()


def peers_venv() -> Path:
    """A separate virtual environment holding the pinned peers."""
    venv = CORPORA / "peers"
    marker = venv / "installed.txt"
    wanted = " ".join(sorted(PEERS.values()))
    if not marker.exists() or marker.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                        *PEERS.values()], check=True)
        marker.write_text(wanted)
    return venv / "bin"


def ssot_venv() -> Path:
    """ssot-lint installed from this checkout as users install it (not editable), in its
    own virtual environment next to the peers', reinstalled on every benchmark run."""
    venv = CORPORA / "ssot-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(HERE.parent)], check=True)
    else:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps",
                        "--force-reinstall", str(HERE.parent)], check=True)
    return venv / "bin"


def command(tool: str, mode: str, root: Path, bin_dir: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "NO_COLOR": "1"}
    target = EDITED if mode.startswith("one-file") else "."
    if tool == "ssot-lint":
        return [str(SSOT_BIN / "ssot-lint"), "check", "--exit-zero", "-q", target], env
    if tool == "ruff":
        return [str(bin_dir / "ruff"), "check", "--exit-zero", "-q", target], env
    if tool == "tach":
        return [str(bin_dir / "tach"), "check"], env
    env["PYTHONPATH"] = os.pathsep.join(str(root / sdist.source_root)
                                        for sdist in SIZES[root.name])
    return [str(bin_dir / "lint-imports")], env


def measure(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MiB of the largest process, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.stderr.write(f"warning: {' '.join(args[:3])} exited {process.returncode}: "
                         f"{err.decode(errors='replace')[-500:]}\n")
    return elapsed, usage.ru_maxrss // 1024, process.returncode


def edit(root: Path, original: bytes, counter: int, top: bool) -> None:
    """At the end: one line. At the top: ``counter + 2`` lines, so every run moves the
    file's imports to lines no earlier run saw (no remembered graph findings fit)."""
    if top:
        lines = "".join(f"# bench edit {counter}.{i}\n" for i in range(counter + 2))
        (root / EDITED).write_bytes(lines.encode() + original)
    else:
        (root / EDITED).write_bytes(original + f"\n# bench edit {counter}\n".encode())


def bench_size(size: str, runs: int, tools: tuple[str, ...], modes: tuple[str, ...],
               bin_dir: Path) -> list[dict[str, object]]:
    root = build(size)
    files = python_files(root)
    original = (root / EDITED).read_bytes()
    rows: list[dict[str, object]] = []
    try:
        for mode in modes:
            times: dict[str, list[float]] = {t: [] for t in tools}
            memory: dict[str, list[int]] = {t: [] for t in tools}
            if mode != "cold":  # prime every cache once
                for tool in tools:
                    measure(*command(tool, "warm", root, bin_dir), root)
            for run in range(runs):
                if mode.startswith("one-file"):
                    edit(root, original, run, top=mode == "one-file-top")
                for tool in tools:
                    if mode == "cold":
                        clean_caches(root)
                    args, env = command(tool, mode, root, bin_dir)
                    seconds, rss, _ = measure(args, env, root)
                    times[tool].append(seconds)
                    memory[tool].append(rss)
                print(f"  {size} {mode} run {run + 1}/{runs}: " + ", ".join(
                    f"{t} {times[t][-1]:.2f}s" for t in tools), file=sys.stderr, flush=True)
            rows.append({"size": size, "files": files, "mode": mode,
                         "time": {t: statistics.median(v) for t, v in times.items()},
                         "rss": {t: max(v) for t, v in memory.items()}})
    finally:
        (root / EDITED).write_bytes(original)
    return rows


def table(rows: list[dict[str, object]], tools: tuple[str, ...]) -> str:
    head = ["corpus", "files", "mode", *(f"{t} (s)" for t in tools)]
    ratio = "tach" in tools and "ssot-lint" in tools
    if ratio:
        head.append("ssot-lint / tach")
    head += [f"{t} peak MiB" for t in tools]
    if ratio:
        head.append("memory / tach")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        times: dict[str, float] = row["time"]  # type: ignore[assignment]
        rss: dict[str, int] = row["rss"]  # type: ignore[assignment]
        cells = [str(row["size"]), f"{row['files']:,}", str(row["mode"]),
                 *(f"{times[t]:.2f}" for t in tools)]
        if ratio:
            cells.append(f"{times['ssot-lint'] / times['tach']:.2f}x")
        cells += [str(rss[t]) for t in tools]
        if ratio:
            cells.append(f"{rss['ssot-lint'] / max(1, rss['tach']):.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1x,2x,4x", help="comma-separated: 1x,2x,4x")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and mode (>= 5)")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--modes", default=",".join(MODES))
    options = parser.parse_args()
    sizes = [s for s in options.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {sorted(SIZES)}")
    tools = tuple(t for t in options.tools.split(",") if t)
    modes = tuple(m for m in options.modes.split(",") if m)
    bin_dir = peers_venv()
    global SSOT_BIN
    SSOT_BIN = ssot_venv()
    rows = []
    for size in sizes:
        rows += bench_size(size, options.runs, tools, modes, bin_dir)
        print(table(rows, tools), file=sys.stderr, flush=True)  # partial results so far
    load = os.getloadavg()
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; Python "
          f"{sys.version.split()[0]}; median of {options.runs} runs -->")
    print(table(rows, tools))


if __name__ == "__main__":
    main()
