"""The facts cache: reuse, invalidation, damage recovery and concurrent runs.

Each test runs real checks over a small project on disk and compares the findings
with an uncached run; counters wrap the real extractor and hasher (nothing is faked)
to show what a warm run skipped.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lint.cache import parallel
from ssot_lint.cache import store as cache_module
from ssot_lint.cache.store import DB_NAME, FactsCache, decode_facts, encode_facts
from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.finding import Finding
from tests.conftest import run_check, write_project

REGISTRY = """
[broken."app.old"]
use_instead = "app.core.Engine"
reason = "removed in 2.0"

[deprecated."app.core.LegacyEngine"]
use_instead = "app.core.Engine"
"""

FILES = {
    "app/core.py": "class Engine:\n    pass\n\nclass LegacyEngine(Engine):\n    pass\n",
    "app/api.py": "from app.core import Engine, LegacyEngine\nfrom app.old import thing\n",
    "app/jobs.py": "import app.core\nfrom app import missing_module\n",
    "app/ok.py": "from app.core import Engine\n\nx = Engine()\n",
}

OLD = 1_600_000_000  # a past mtime, so the stat fast path may trust the entries


def make(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = write_project(tmp_path / "proj", files or FILES, REGISTRY, packages=("app",))
    age(root)
    return root


def age(root: Path) -> None:
    """Give every file an old mtime (fresh files are 'racy' and never trusted by stat)."""
    for path in root.rglob("*.py"):
        os.utime(path, (OLD, OLD))


def uncached(root: Path, **overrides: object) -> list[Finding]:
    return run_check(root, cache=False, jobs=1, **overrides)


def cached(root: Path, **overrides: object) -> list[Finding]:
    return run_check(root, jobs=1, **overrides)


class Counter:
    """Wraps a real function and counts its calls."""

    def __init__(self, function: object) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self.function(*args, **kwargs)  # type: ignore[operator]


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> Counter:
    counter = Counter(extract_facts)
    monkeypatch.setattr(parallel, "extract_facts", counter)
    return counter


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> Counter:
    counter = Counter(cache_module.digest_of)
    monkeypatch.setattr(cache_module, "digest_of", counter)
    return counter


def codes(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.code) for f in findings]


def test_warm_run_reads_no_file_and_gives_the_same_findings(
        tmp_path: Path, extractions: Counter, hashes: Counter) -> None:
    root = make(tmp_path)
    expected = uncached(root)
    assert {f.code for f in expected} >= {"SSOT101", "SSOT103", "SSOT111"}
    extractions.calls = hashes.calls = 0
    assert cached(root) == expected  # cold: fills the cache
    assert extractions.calls == len(list(root.rglob("*.py")))
    assert (root / ".ssot_lint_cache" / DB_NAME).is_file()
    extractions.calls = hashes.calls = 0
    assert cached(root) == expected  # warm: stat matches, nothing read, hashed or parsed
    assert (extractions.calls, hashes.calls) == (0, 0)


def test_touched_file_with_same_content_is_hashed_not_parsed(
        tmp_path: Path, extractions: Counter, hashes: Counter) -> None:
    root = make(tmp_path)
    expected = cached(root)
    os.utime(root / "app/api.py", (OLD + 10, OLD + 10))
    extractions.calls = hashes.calls = 0
    assert cached(root) == expected
    assert (extractions.calls, hashes.calls) == (0, 1)


def test_changed_content_is_extracted_again(tmp_path: Path, extractions: Counter) -> None:
    root = make(tmp_path)
    before = cached(root)
    assert ("app/api.py", 2, "SSOT101") in codes(before)
    (root / "app/api.py").write_text("from app.core import Engine\nfrom app.gone import x\n")
    os.utime(root / "app/api.py", (OLD + 5, OLD + 5))
    extractions.calls = 0
    after = cached(root)
    assert extractions.calls == 1
    assert after == uncached(root)
    assert ("app/api.py", 2, "SSOT101") not in codes(after)
    assert ("app/api.py", 2, "SSOT102") in codes(after)


def test_same_size_same_mtime_edit_on_a_new_inode_is_seen(tmp_path: Path) -> None:
    """Editors save by rename: the inode changes even when size and mtime do not."""
    root = make(tmp_path)
    cached(root)
    path = root / "app/ok.py"
    text = path.read_text().replace("x = Engine()", "y = Engine()")
    replacement = path.with_name("ok.py.new")
    replacement.write_text(text)
    os.utime(replacement, (OLD, OLD))
    os.replace(replacement, path)
    assert [f for f in cached(root) if f.path == "app/ok.py"] == []
    project_names = run_definitions(root, "app/ok.py")
    assert "y" in project_names and "x" not in project_names


def run_definitions(root: Path, rel: str) -> list[str]:
    from ssot_lint.api import build_project
    from ssot_lint.load.config import load_config

    project = build_project(load_config(root, overrides={"jobs": 1}))
    return [d.name for d in project.facts[rel].definitions]


def test_registry_change_changes_findings_but_reuses_facts(
        tmp_path: Path, extractions: Counter) -> None:
    root = make(tmp_path)
    cached(root)
    registry = root / "ssot-registry.toml"
    registry.write_text(registry.read_text().replace(
        '[deprecated."app.core.LegacyEngine"]\nuse_instead = "app.core.Engine"',
        '[deprecated."app.core.Engine"]\nuse_instead = "app.core.LegacyEngine"'))
    extractions.calls = 0
    after = cached(root)
    assert extractions.calls == 0
    assert after == uncached(root)
    assert ("app/ok.py", 1, "SSOT111") in codes(after)
    assert ("app/api.py", 1, "SSOT111") in codes(after)


def test_target_version_is_part_of_the_key(tmp_path: Path, extractions: Counter) -> None:
    files = {**FILES, "app/matcher.py": "def f(x):\n    match x:\n        case 1:\n"
                                        "            return 1\n"}
    root = make(tmp_path, files)
    modern = cached(root, target_version="3.11")
    assert "SSOT001" not in {f.code for f in modern}
    extractions.calls = 0
    old = cached(root, target_version="3.9")
    assert extractions.calls == len(list(root.rglob("*.py")))  # every file again
    assert "SSOT001" in {f.code for f in old if f.path == "app/matcher.py"}
    assert old == uncached(root, target_version="3.9")
    extractions.calls = 0
    assert cached(root, target_version="3.11") == modern  # both targets stay cached
    assert extractions.calls == 0


@pytest.mark.parametrize("attribute", ["__version__", "FACTS_VERSION"])
def test_new_tool_or_facts_version_invalidates(tmp_path: Path, extractions: Counter,
                                               monkeypatch: pytest.MonkeyPatch,
                                               attribute: str) -> None:
    root = make(tmp_path)
    expected = cached(root)
    monkeypatch.setattr(cache_module, attribute, "999")
    extractions.calls = 0
    assert cached(root) == expected
    assert extractions.calls == len(list(root.rglob("*.py")))
    with sqlite3.connect(root / ".ssot_lint_cache" / DB_NAME) as db:
        salts = {row[0] for row in db.execute("SELECT DISTINCT salt FROM facts")}
    assert len(salts) == 1 and "999" in salts.pop()  # the old version's rows were pruned


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "directory"])
def test_damaged_cache_file_is_rebuilt(tmp_path: Path, damage: str,
                                       caplog: pytest.LogCaptureFixture) -> None:
    root = make(tmp_path)
    expected = cached(root)
    db = root / ".ssot_lint_cache" / DB_NAME
    if damage == "garbage":
        db.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
        db.mkdir()
    assert cached(root) == expected
    if damage == "directory":  # cannot be replaced by us: the run still works, and says why
        assert "running without it" in caplog.text
        return
    if damage != "empty":  # an empty file is a valid empty SQLite database
        assert "rebuilt" in caplog.text
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] > 0


def test_damaged_rows_are_never_trusted(tmp_path: Path, extractions: Counter) -> None:
    root = make(tmp_path)
    expected = cached(root)
    db_path = root / ".ssot_lint_cache" / DB_NAME
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT digest, salt, data, crc FROM facts").fetchall()
        # One row: plausible facts claiming no imports (crc left stale: damage).
        # Another: a valid crc over text that is not facts (a bug or a foreign writer).
        (d1, salt, data, _), (d2, *_rest) = rows[0], rows[1]
        empty = encode_facts(decode_facts(data).__class__())
        db.execute("UPDATE facts SET data = ? WHERE digest = ?", (empty, d1))
        bogus = '{"imports": 5}'
        db.execute("UPDATE facts SET data = ?, crc = ? WHERE digest = ?",
                   (bogus, cache_module._crc(d2, salt, bogus), d2))
    extractions.calls = 0
    assert cached(root) == expected
    assert extractions.calls == 2
    extractions.calls = 0
    assert cached(root) == expected  # and the rows were rewritten
    assert extractions.calls == 0


def test_vanished_files_are_forgotten(tmp_path: Path) -> None:
    root = make(tmp_path)
    cached(root)
    (root / "app/jobs.py").unlink()
    cached(root)
    with sqlite3.connect(root / ".ssot_lint_cache" / DB_NAME) as db:
        paths = {Path(row[0]).name for row in db.execute("SELECT path FROM stats")}
    assert "jobs.py" not in paths and "api.py" in paths


def test_racy_files_are_not_trusted_by_stat(tmp_path: Path, hashes: Counter) -> None:
    root = write_project(tmp_path / "proj", FILES, REGISTRY, packages=("app",))  # fresh mtimes
    cached(root)
    hashes.calls = 0
    cached(root)
    assert hashes.calls == len(list(root.rglob("*.py")))  # re-hashed, still not re-parsed


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = make(tmp_path)
    uncached(root)
    assert not (root / ".ssot_lint_cache").exists()


def test_cache_dir_setting_env_and_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from ssot_lint.cli import cli

    root = make(tmp_path)
    (root / "pyproject.toml").write_text('[tool.ssot-lint]\ncache_dir = "build/facts"\njobs = 1\n')
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "-q", str(root)])
    assert result.exit_code == 1, result.output
    assert (root / "build/facts" / DB_NAME).is_file()
    env_dir = tmp_path / "from-env"
    result = runner.invoke(cli, ["check", "-q", str(root)],
                           env={"SSOT_LINT_CACHE_DIR": str(env_dir)})
    assert result.exit_code == 1 and (env_dir / DB_NAME).is_file()
    option_dir = tmp_path / "from-option"
    result = runner.invoke(cli, ["check", "-q", "--cache-dir", str(option_dir), str(root)],
                           env={"SSOT_LINT_CACHE_DIR": str(env_dir)})
    assert result.exit_code == 1 and (option_dir / DB_NAME).is_file()
    assert (option_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    other = tmp_path / "never"
    result = runner.invoke(cli, ["check", "-q", "--no-cache", str(root)],
                           env={"SSOT_LINT_CACHE_DIR": str(other)})
    assert result.exit_code == 1 and not other.exists()


@pytest.mark.parametrize("text, message", [
    ("jobs = -1", "expected a number of processes"),
    ('jobs = "4"', "expected a number of processes"),
    ("cache_dir = 3", "expected a directory path"),
])
def test_bad_settings_exit_2_with_the_key(tmp_path: Path, text: str, message: str) -> None:
    root = make(tmp_path)
    (root / "pyproject.toml").write_text(f"[tool.ssot-lint]\n{text}\n")
    result = subprocess.run([sys.executable, "-m", "ssot_lint", "check", str(root)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert message in result.stderr and "pyproject.toml" in result.stderr


def test_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    """Several processes fill and read one cache at the same time; all agree."""
    files = dict(FILES)
    for i in range(40):
        files[f"app/gen/m{i}.py"] = (f"from app.core import Engine, LegacyEngine\n"
                                     f"from app.gen import m{(i + 1) % 40}\nVALUE_{i} = {i}\n")
    root = make(tmp_path, files)
    expected = subprocess.run([sys.executable, "-m", "ssot_lint", "check", "--no-cache",
                               "--format", "json", str(root)],
                              capture_output=True, text=True, check=False, cwd=tmp_path)
    assert expected.returncode == 1 and '"SSOT111"' in expected.stdout
    for _round in range(2):  # a cold round (all writers) then a warm one
        runs = [subprocess.Popen([sys.executable, "-m", "ssot_lint", "check", "--format",
                                  "json", "--jobs", "2" if i % 2 else "1", str(root)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=tmp_path) for i in range(4)]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 1, err
            assert out == expected.stdout
            assert "warning" not in err, err
    with sqlite3.connect(root / ".ssot_lint_cache" / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM stats").fetchone()[0] == len(
            list(root.rglob("*.py")))


def test_cache_api_round_trip_and_lookup(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("import os\nfrom a.b import c as d\n__all__ = ['d']\n")
    os.utime(source, (OLD, OLD))
    data = source.read_bytes()
    facts = extract_facts(data, (3, 11))
    digest = cache_module.digest_of(data)
    store = FactsCache.open(tmp_path / "c", (3, 11))
    assert store.known_digest(str(source), source.stat()) is None
    store.remember(str(source), source.stat(), digest, encode_facts(facts))
    store.flush()
    store.close()
    again = FactsCache.open(tmp_path / "c", (3, 11))
    assert again.known_digest(str(source), source.stat()) == digest
    assert again.load([digest]) == {digest: facts}
    again.close()
    other_target = FactsCache.open(tmp_path / "c", (3, 9))
    assert other_target.load([digest]) == {}
    other_target.close()


def test_rows_of_another_model_layout_are_rejected() -> None:
    """A row written for a different field layout raises instead of building bad facts."""
    import json

    from ssot_lint.cache.codec import MODEL_FINGERPRINT

    facts = extract_facts(b"import os\nfrom a import b\n", (3, 11))
    row = json.loads(encode_facts(facts))
    assert decode_facts(json.dumps(row)) == facts
    row[0] = [fact[:-1] for fact in row[0]]  # an ImportFact with one field fewer
    with pytest.raises(ValueError):
        decode_facts(json.dumps(row))
    with pytest.raises(ValueError):
        decode_facts(json.dumps(row[:-1]))  # FileFacts with one field fewer
    assert MODEL_FINGERPRINT in cache_module.facts_salt((3, 11))
