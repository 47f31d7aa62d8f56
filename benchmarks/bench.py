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

The cold rows also show the **parse floor**: ``benchmarks/parse_floor.py``, CPython's
``ast.parse`` of every file in ``--jobs`` processes (ssot-lint's default, the cores),
run alternately with the tools like one of them, and ssot-lint's cold time as a
multiple of it. ssot-lint's CPU time (user + system of it and its workers, from
``wait4``) is shown beside its wall time, since on a shared machine wall times are noisy.

``--commands`` adds a table of ssot-lint's other commands against ``check``, the
speed targets of issue 14: cold ``fix --diff`` and ``registry init`` against cold
``check`` (every cache deleted before each run); ``fix --diff``, ``graph``, ``audit``,
``registry verify`` and ``where`` run right after a ``check`` (a line appended to the
edited file first, so nothing any command remembered fits the new state except what
``check`` just stored) against a warm ``check`` (nothing changed).

``--dask-workers 1,2,4`` adds a table of cold ``check --no-cache --executor dask`` runs
against a local Dask cluster (``distributed.LocalCluster``, one single-threaded worker
process each) of each size, installed into ssot-lint's benchmark environment.
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
FLOOR = "parse floor"  # a pseudo-tool run alongside the others in cold runs
SSOT_BIN = Path(sys.executable).parent  # replaced by ssot_venv() in main()
JOBS = os.cpu_count() or 1  # --jobs: ssot-lint's -j and the parse floor's processes


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
    if tool == FLOOR:
        return [str(SSOT_BIN / "python"), str(HERE / "parse_floor.py"), str(root),
                "--jobs", str(JOBS)], env
    if tool == "ssot-lint":
        return [str(SSOT_BIN / "ssot-lint"), "check", "--exit-zero", "-q", "-j", str(JOBS),
                target], env
    if tool == "ruff":
        return [str(bin_dir / "ruff"), "check", "--exit-zero", "-q", target], env
    if tool == "tach":
        return [str(bin_dir / "tach"), "check"], env
    env["PYTHONPATH"] = os.pathsep.join(str(root / sdist.source_root)
                                        for sdist in SIZES[root.name])
    return [str(bin_dir / "lint-imports")], env


def measure(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MiB of the largest process, exit code)."""
    seconds, rss, code, _ = measure_cpu(args, env, cwd)
    return seconds, rss, code


def measure_cpu(args: list[str], env: dict[str, str], cwd: Path
                ) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS in MiB of the largest process, exit code, CPU seconds:
    user + system of the process and every child it waited for, e.g. its workers)."""
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
    return (elapsed, usage.ru_maxrss // 1024, process.returncode,
            usage.ru_utime + usage.ru_stime)


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
            running = tools + (FLOOR,) if mode == "cold" and "ssot-lint" in tools else tools
            times: dict[str, list[float]] = {t: [] for t in running}
            memory: dict[str, list[int]] = {t: [] for t in running}
            cpu: dict[str, list[float]] = {"ssot-lint": [], FLOOR: []}
            if mode != "cold":  # prime every cache once
                for tool in tools:
                    measure(*command(tool, "warm", root, bin_dir), root)
            for run in range(runs):
                if mode.startswith("one-file"):
                    edit(root, original, run, top=mode == "one-file-top")
                for tool in running:
                    if mode == "cold":
                        clean_caches(root)
                    args, env = command(tool, mode, root, bin_dir)
                    seconds, rss, _, used = measure_cpu(args, env, root)
                    times[tool].append(seconds)
                    memory[tool].append(rss)
                    if tool in cpu:
                        cpu[tool].append(used)
                print(f"  {size} {mode} run {run + 1}/{runs}: " + ", ".join(
                    f"{t} {times[t][-1]:.2f}s" for t in running), file=sys.stderr, flush=True)
            rows.append({"size": size, "files": files, "mode": mode,
                         "time": {t: statistics.median(v) for t, v in times.items()},
                         "rss": {t: max(v) for t, v in memory.items()},
                         "cpu": {t: statistics.median(v) for t, v in cpu.items() if v}})
    finally:
        (root / EDITED).write_bytes(original)
    return rows


def table(rows: list[dict[str, object]], tools: tuple[str, ...]) -> str:
    head = ["corpus", "files", "mode", *(f"{t} (s)" for t in tools)]
    ratio = "tach" in tools and "ssot-lint" in tools
    floor = "ssot-lint" in tools
    if floor:
        head += ["ssot-lint CPU (s)", "parse floor (s)", "parse floor CPU (s)",
                 "ssot-lint / floor", "CPU / floor CPU"]
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
        if floor:
            cpu: dict[str, float] = row["cpu"]  # type: ignore[assignment]
            cells.append(f"{cpu['ssot-lint']:.2f}")
            if FLOOR in times:
                cells += [f"{times[FLOOR]:.2f}", f"{cpu[FLOOR]:.2f}",
                          f"{times['ssot-lint'] / times[FLOOR]:.2f}x",
                          f"{cpu['ssot-lint'] / cpu[FLOOR]:.2f}x"]
            else:
                cells += ["—"] * 4
        if ratio:
            cells.append(f"{times['ssot-lint'] / times['tach']:.2f}x")
        cells += [str(rss[t]) for t in tools]
        if ratio:
            cells.append(f"{rss['ssot-lint'] / max(1, rss['tach']):.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# issue 14's speed targets: (command, state, reference, target ratio)
COMMAND_ROWS = (
    ("fix --diff", "cold", "check cold", 1.3),
    ("registry init", "cold", "check cold", 1.3),
    ("fix --diff", "after check", "check warm", 2.0),
    ("graph", "after check", "check warm", 2.0),
    ("audit", "after check", "check warm", 2.0),
    ("registry verify", "after check", "check warm", 2.0),
    ("where", "after check", "check warm", 2.0),
)


def ssot_command(name: str) -> list[str]:
    jobs = ["-j", str(JOBS)]
    args = {
        "check": ["check", "--exit-zero", "-q", *jobs, "."],
        "fix --diff": ["fix", "--diff", "--exit-zero", "-q", *jobs, "."],
        "registry init": ["registry", "init", *jobs, "."],
        "graph": ["graph", *jobs, "."],
        "audit": ["audit", *jobs, "."],
        "registry verify": ["registry", "verify", *jobs, "."],
        "where": ["where", "distutils"],
    }[name]
    return [str(SSOT_BIN / "ssot-lint"), *args]


def bench_commands(size: str, runs: int) -> list[dict[str, object]]:
    """ssot-lint's commands against ``check``, cold and right after a check."""
    root = build(size)
    original = (root / EDITED).read_bytes()
    env = {**os.environ, "NO_COLOR": "1"}
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def timed(key: str, name: str) -> None:
        seconds, _, _, used = measure_cpu(ssot_command(name), env, root)
        wall.setdefault(key, []).append(seconds)
        cpu.setdefault(key, []).append(used)

    cold = ("check", *(c for c, state, _, _ in COMMAND_ROWS if state == "cold"))
    after = tuple(c for c, state, _, _ in COMMAND_ROWS if state == "after check")
    try:
        for run in range(runs):
            for name in cold:  # alternately, each from an empty cache
                clean_caches(root)
                timed(f"{name} cold", name)
            measure_cpu(ssot_command("check"), env, root)
            timed("check warm", "check")  # nothing changed since the last check
            for n, name in enumerate(after):
                edit(root, original, run * len(after) + n, top=False)
                measure_cpu(ssot_command("check"), env, root)
                timed(f"{name} after check", name)
            print(f"  {size} commands run {run + 1}/{runs}: " + ", ".join(
                f"{k} {v[-1]:.2f}s" for k, v in wall.items()), file=sys.stderr, flush=True)
    finally:
        (root / EDITED).write_bytes(original)
    rows: list[dict[str, object]] = []
    for key in ("check cold", "check warm"):
        rows.append({"size": size, "key": key, "wall": statistics.median(wall[key]),
                     "cpu": statistics.median(cpu[key]), "reference": None, "target": None})
    for name, state, reference, target in COMMAND_ROWS:
        key = f"{name} {state}"
        rows.append({"size": size, "key": key, "wall": statistics.median(wall[key]),
                     "cpu": statistics.median(cpu[key]), "reference": reference,
                     "target": target, "ref_wall": statistics.median(wall[reference]),
                     "ref_cpu": statistics.median(cpu[reference])})
    return rows


def commands_table(rows: list[dict[str, object]]) -> str:
    lines = ["| corpus | command | wall (s) | CPU (s) | against | wall ratio | CPU ratio "
             "| target | met? |", "|" + "---|" * 9]
    for row in rows:
        wall, used = float(row["wall"]), float(row["cpu"])  # type: ignore[arg-type]
        cells = [str(row["size"]), f"`{row['key']}`", f"{wall:.2f}", f"{used:.2f}"]
        if row["target"] is None:
            cells += ["—"] * 5
        else:
            target = float(row["target"])  # type: ignore[arg-type]
            by_wall = wall / float(row["ref_wall"])  # type: ignore[arg-type]
            by_cpu = used / float(row["ref_cpu"])  # type: ignore[arg-type]
            met = {(True, True): "yes", (False, False): "no", (True, False): "wall only",
                   (False, True): "CPU only"}[(by_wall <= target, by_cpu <= target)]
            cells += [f"`{row['reference']}`", f"{by_wall:.2f}x", f"{by_cpu:.2f}x",
                      f"≤ {target:g}x", met]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


CLUSTER = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True,
                       scheduler_port=0, dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()  # run until our stdin is closed
cluster.close()
"""


def bench_dask(size: str, runs: int, workers: list[int]) -> list[dict[str, object]]:
    """Cold ``check --no-cache``: local ``-j 1``/``-j N`` and Dask clusters of each size."""
    subprocess.run([str(SSOT_BIN / "python"), "-m", "pip", "install", "-q",
                    "distributed>=2023.1"], check=True)
    root = build(size)
    env = {**os.environ, "NO_COLOR": "1"}
    base = [str(SSOT_BIN / "ssot-lint"), "check", "--exit-zero", "-q", "--no-cache"]
    rows: list[dict[str, object]] = []

    def row(label: str, args: list[str]) -> None:
        wall, used = [], []
        for run in range(runs):
            seconds, _, _, cpu = measure_cpu(args, env, root)
            wall.append(seconds)
            used.append(cpu)
            print(f"  {size} {label} run {run + 1}/{runs}: {seconds:.2f}s", file=sys.stderr,
                  flush=True)
        rows.append({"size": size, "label": label, "wall": statistics.median(wall),
                     "cpu": statistics.median(used)})

    for jobs in sorted({1, JOBS}):
        row(f"local -j {jobs}", [*base, "-j", str(jobs), "."])
    for count in workers:
        cluster = subprocess.Popen([str(SSOT_BIN / "python"), "-c", CLUSTER, str(count)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        try:
            assert cluster.stdout is not None
            address = cluster.stdout.readline().strip()
            row(f"dask {count} worker{'s' if count > 1 else ''}",
                [*base, "--executor", "dask", "--scheduler", address, "."])
        finally:
            assert cluster.stdin is not None
            cluster.stdin.close()
            cluster.wait(timeout=120)
    return rows


def dask_table(rows: list[dict[str, object]]) -> str:
    lines = ["| corpus | extraction | wall (s) | ssot-lint CPU (s) | speed-up vs local -j 1 |",
             "|---|---|---|---|---|"]
    base = {str(r["size"]): float(r["wall"]) for r in rows  # type: ignore[arg-type]
            if r["label"] == "local -j 1"}
    for r in rows:
        wall = float(r["wall"])  # type: ignore[arg-type]
        lines.append(f"| {r['size']} | {r['label']} | {wall:.2f} | {float(r['cpu']):.2f} | "  # type: ignore[arg-type]
                     f"{base[str(r['size'])] / wall:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1x,2x,4x", help="comma-separated: 1x,2x,4x")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and mode (>= 5)")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--modes", default=",".join(MODES),
                        help="comma-separated, or none for no side-by-side table")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="ssot-lint's -j and the parse floor's processes (default: cores)")
    parser.add_argument("--commands", action="store_true",
                        help="also time ssot-lint's other commands against check (issue 14)")
    parser.add_argument("--dask-workers", default="",
                        help="also time cold checks on local Dask clusters of these sizes, "
                             "e.g. 1,2,4")
    options = parser.parse_args()
    sizes = [s for s in options.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {sorted(SIZES)}")
    tools = tuple(t for t in options.tools.split(",") if t)
    modes = tuple(m for m in options.modes.split(",") if m and m != "none")
    global SSOT_BIN, JOBS
    JOBS = options.jobs
    bin_dir = peers_venv() if modes and set(tools) - {"ssot-lint"} else SSOT_BIN
    SSOT_BIN = ssot_venv()
    rows, commands, dask = [], [], []
    workers = [int(w) for w in options.dask_workers.split(",") if w]
    for size in sizes:
        if modes:
            rows += bench_size(size, options.runs, tools, modes, bin_dir)
            print(table(rows, tools), file=sys.stderr, flush=True)  # partial results so far
        if options.commands:
            commands += bench_commands(size, options.runs)
            print(commands_table(commands), file=sys.stderr, flush=True)
        if workers:
            dask += bench_dask(size, options.runs, workers)
            print(dask_table(dask), file=sys.stderr, flush=True)
    load = os.getloadavg()
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; Python "
          f"{sys.version.split()[0]}; --jobs {JOBS}; median of {options.runs} runs -->")
    for done, render in ((rows, lambda: table(rows, tools)),
                         (commands, lambda: commands_table(commands)),
                         (dask, lambda: dask_table(dask))):
        if done:
            print(render())
            print()


if __name__ == "__main__":
    main()
