"""Accuracy benchmark: SSOT102/SSOT103 on released packages nobody tuned ssot-lint for.

Released packages import fine, so every "module does not exist" (SSOT102) or "name
does not exist" (SSOT103) that ssot-lint reports in a package's own library code is
either a real latent bug, an import of an optional dependency's module that the
package guards, or a false positive of ssot-lint. This benchmark measures how many
there are, per package and per code, on pinned wheels from PyPI (wheels, not sdists:
they ship the compiled ``.so`` modules and ``.pyi`` stubs exactly as users install
them).

For each package: unpack the wheel into the gitignored ``benchmarks/.accuracy/``,
``ssot-lint registry init`` it, ``ssot-lint check`` it (JSON, no cache) and count the
findings, split into library code and test code (``tests/``, ``testing/``,
``test_*.py``, ``conftest.py``). With ``--confirm`` it then builds an isolated virtual
environment (``benchmarks/.accuracy/venv``, the pinned packages installed with their
dependencies from PyPI) and tries each remaining library finding's import there, in a
fresh interpreter per package. Each finding is then classified:

- ``confirmed``: the import fails because the first-party module or name is missing;
- ``cannot try: needs X``: the module imports an optional dependency ``X`` that is not
  installed (torch, tensorflow ...), so the name cannot be tried; the table in
  ``docs/accuracy.md`` says why each such finding is still right (or not);
- ``imports fine``: a false positive of ssot-lint (the import works).

The benchmark executes the *packages* (to confirm); ssot-lint itself never does.

    python benchmarks/accuracy.py                      # every package
    python benchmarks/accuracy.py click numpy          # some of them
    python benchmarks/accuracy.py --confirm            # also try the imports
    python benchmarks/accuracy.py --ssot-lint /work/venv/bin/ssot-lint   # another build
    python benchmarks/accuracy.py --json out.json      # machine-readable counts
    python benchmarks/accuracy.py --holdout            # the second set (HOLDOUT)

Not part of the default ``pytest`` run. The results are documented in
``docs/accuracy.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "benchmarks" / ".accuracy"
WHEELS = CACHE / "wheels"
TREES = CACHE / "trees"
VENV = CACHE / "venv"
CODES = ("SSOT102", "SSOT103")


@dataclass(frozen=True)
class Package:
    requirement: str  # pinned, for ``pip download``
    why: str  # which idiom it exercises


PACKAGES: tuple[Package, ...] = (
    Package("transformers==4.46.3", "lazy facade: sys.modules[__name__] = _LazyModule(...), "
                                    "names under TYPE_CHECKING"),
    Package("huggingface-hub==0.26.2", "lazy facade: __getattr__, __dir__, __all__ = "
                                       "_attach(...) (vendored lazy_loader), TYPE_CHECKING"),
    Package("scikit-image==0.24.0", "lazy_loader.attach_stub + __init__.pyi; compiled "
                                    "extensions"),
    Package("lazy-loader==0.4", "the lazy_loader library itself"),
    Package("numpy==2.1.3", "compiled extensions (.so + .pyi); PEP 562 __getattr__"),
    Package("pydantic==2.9.2", "PEP 562 __getattr__ over a literal dict; TYPE_CHECKING"),
    Package("pydantic-core==2.23.4", "compiled module with a .pyi stub"),
    Package("click==8.1.7", "PEP 562 __getattr__ serving one literal name"),
    Package("markupsafe==3.0.2", "compiled _speedups with a .pyi stub"),
    Package("pyyaml==6.0.2", "compiled _yaml extension; star imports"),
    Package("flask==3.0.3", "PEP 562 __getattr__ serving one literal name"),
    Package("networkx==3.4.2", "star imports through __all__, transitively"),
    Package("scipy==1.14.1", "compiled extensions with .pyi stubs; PEP 562 __getattr__ "
                             "over a literal list of submodules"),
)

# A second set, first measured as a holdout (nothing here was tuned for them before the
# run that found the excluded-directory, open-namespace and escaping-globals() classes):
# ``--holdout`` runs these instead of PACKAGES.
HOLDOUT: tuple[Package, ...] = (
    Package("pandas==2.2.3", "huge single package; compiled extensions; optional deps"),
    Package("sympy==1.13.3", "huge pure-Python package (1,500 files)"),
    Package("setuptools==75.6.0", "vendored packages (_vendor), distutils shim"),
    Package("pip==24.3.1", "vendored packages; a package named build (default exclude)"),
    Package("sqlalchemy==2.0.36", "Cython-compiled modules beside .py"),
    Package("aiohttp==3.11.9", "compiled helpers with pure-Python fallbacks"),
    Package("attrs==24.2.0", "two top-level packages (attr, attrs) re-exporting"),
    Package("protobuf==5.29.0", "generated _pb2 modules filling globals() via a builder; "
                                "a namespace package (google)"),
    Package("google-api-core==2.23.0", "PEP 420 namespace package shared with other "
                                       "distributions (google.protobuf, google.auth)"),
    Package("matplotlib==3.9.3", "backends exporting names with a class decorator"),
    Package("jax==0.4.35", "large package; tests shipped in the wheel without data"),
    Package("botocore==1.35.70", "data-driven clients; optional customizations"),
)


def _dist(requirement: str) -> tuple[str, str]:
    name, version = requirement.split("==")
    return name.lower().replace("-", "_"), version


def _wheel(package: Package) -> Path:
    name, version = _dist(package.requirement)
    for path in sorted(WHEELS.glob("*.whl")):
        dist, ver = path.name.split("-")[:2]
        if dist.lower().replace("-", "_") == name and ver == version:
            return path
    WHEELS.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary=:all:", "--dest", str(WHEELS), package.requirement],
                   check=True)
    return _wheel(package)


def _tree(package: Package) -> Path:
    """The unpacked wheel (its package directories and ``.dist-info``)."""
    name, version = _dist(package.requirement)
    tree = TREES / f"{name}-{version}"
    if not (tree / ".unpacked").exists():
        shutil.rmtree(tree, ignore_errors=True)
        with zipfile.ZipFile(_wheel(package)) as archive:
            archive.extractall(tree)
        (tree / ".unpacked").write_text("")
    return tree


def is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in ("tests", "test", "testing") for p in parts[:-1]) \
        or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def run_package(package: Package, ssot_lint: str) -> dict[str, object]:
    tree = _tree(package)
    registry = tree / "ssot-registry.toml"
    started = time.monotonic()
    subprocess.run([ssot_lint, "registry", "init", str(tree), "-o", str(registry), "--force"],
                   check=True, capture_output=True, text=True)
    done = subprocess.run([ssot_lint, "check", str(tree), "--registry", str(registry),
                           "--format", "json", "--no-cache", "--exit-zero",
                           "--select", ",".join(CODES)],
                          capture_output=True, text=True, cwd=tree)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{package.requirement}: ssot-lint check failed "
                         f"({done.returncode}): {done.stderr.strip()[:500]}")
    report = json.loads(done.stdout)
    findings = [f for f in report["findings"] if f["code"] in CODES]
    library = [f for f in findings if not is_test_path(f["path"])]
    counts = Counter(f["code"] for f in library)
    test_counts = Counter(f["code"] for f in findings if is_test_path(f["path"]))
    return {"package": package.requirement, "files": report["summary"]["files_checked"],
            "library": {c: counts.get(c, 0) for c in CODES},
            "tests": {c: test_counts.get(c, 0) for c in CODES},
            "findings": library, "seconds": round(seconds, 1)}


# -- confirmation in an isolated environment ------------------------------------------

_PROBE = r"""
import importlib, json, sys
results = []
for kind, module, name in json.loads(sys.argv[1]):
    try:
        if kind == "name":
            value = importlib.import_module(module)
            getattr(value, name)
        else:
            importlib.import_module(module)
        results.append(["imports fine", ""])
    except AttributeError as exc:
        results.append(["confirmed", f"AttributeError: {exc}"])
    except ImportError as exc:
        missing = getattr(exc, "name", None) or ""
        results.append(["import error", f"{type(exc).__name__}: {exc}", missing])
    except Exception as exc:  # the package's own import-time failure
        results.append(["error", f"{type(exc).__name__}: {exc}"[:300]])
print(json.dumps(results))
"""


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(packages: list[Package]) -> Path:
    python = _venv_python()
    marker = VENV / ".installed"
    wanted = "\n".join(p.requirement for p in packages)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if not marker.exists() or marker.read_text() != wanted:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        "--only-binary=:all:", *(p.requirement for p in packages)], check=True)
        marker.write_text(wanted)
    return python


def _attempt(finding: dict[str, str]) -> tuple[str, str, str]:
    """What to try for one finding: (kind, module, name)."""
    symbol = finding.get("symbol") or ""
    if finding["code"] == "SSOT103":
        module, _, name = symbol.rpartition(".")
        return "name", module, name
    return "module", symbol, ""


def confirm(result: dict[str, object], python: Path, top_level: set[str]) -> None:
    findings = result["findings"]
    assert isinstance(findings, list)
    if not findings:
        return
    attempts = [_attempt(f) for f in findings]
    done = subprocess.run([str(python), "-c", _PROBE, json.dumps(attempts)],
                          capture_output=True, text=True, cwd=str(CACHE))
    if done.returncode != 0:
        for finding in findings:
            finding["verdict"] = f"probe failed: {done.stderr.strip()[-200:]}"
        return
    for finding, outcome in zip(findings, json.loads(done.stdout), strict=True):
        verdict, detail = outcome[0], outcome[1]
        if verdict == "import error":
            missing = outcome[2]
            if missing and missing.split(".")[0] not in top_level:
                # the module needs an optional dependency before the name can be tried
                verdict = f"cannot try: needs {missing.split('.')[0]}"
            else:
                verdict = "confirmed"
        finding["verdict"] = verdict
        finding["detail"] = detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these packages (distribution names)")
    beside = Path(sys.executable).parent / "ssot-lint"  # the one installed with this Python
    parser.add_argument("--ssot-lint",
                        default=str(beside) if beside.exists() else shutil.which("ssot-lint"),
                        help="the ssot-lint executable to measure (default: the one "
                             "installed next to this Python)")
    parser.add_argument("--confirm", action="store_true",
                        help="try each remaining finding's import in an isolated venv")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--details", action="store_true", help="print every library finding")
    parser.add_argument("--holdout", action="store_true",
                        help="measure the HOLDOUT packages instead of the main set")
    args = parser.parse_args(argv)
    packages = HOLDOUT if args.holdout else PACKAGES
    chosen = [p for p in packages
              if not args.names or _dist(p.requirement)[0] in
              {n.lower().replace("-", "_") for n in args.names}]
    started = time.monotonic()
    python = ensure_venv(list(packages)) if args.confirm else None
    results = []
    print(f"{'package':28} {'files':>6} {'SSOT102':>8} {'SSOT103':>8} "
          f"{'tests:102':>10} {'tests:103':>10} {'seconds':>8}")
    for package in chosen:
        result = run_package(package, args.ssot_lint)
        if python is not None:
            tops = {p.name for p in _tree(package).iterdir() if p.is_dir() or p.suffix == ".py"}
            confirm(result, python, {t.split(".")[0] for t in tops})
        results.append(result)
        lib, tests = result["library"], result["tests"]
        assert isinstance(lib, dict) and isinstance(tests, dict)
        print(f"{package.requirement:28} {result['files']:>6} {lib['SSOT102']:>8} "
              f"{lib['SSOT103']:>8} {tests['SSOT102']:>10} {tests['SSOT103']:>10} "
              f"{result['seconds']:>8}")
        findings = result["findings"]
        assert isinstance(findings, list)
        if args.details or args.confirm:
            for f in findings:
                verdict = f" [{f['verdict']}]" if "verdict" in f else ""
                print(f"    {f['path']}:{f['line']}: {f['code']} {f['message']}{verdict}")
    print(f"total time: {time.monotonic() - started:.1f}s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
