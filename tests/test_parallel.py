"""``--jobs N`` gives exactly the output of ``--jobs 1``, cached or not.

The fixture project is big enough to start a worker pool (more files than
``MIN_PARALLEL_FILES``) and holds every kind of fact: broken, deprecated and
unresolved imports, relative imports, suppressions, a syntax error, an undecodable
file, non-ASCII columns, ``__all__`` and star imports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from ssot_lint.cache.parallel import (
    MIN_PARALLEL_FILES,
    _batches,
    encode_batch,
    extract,
    extract_batch,
)
from ssot_lint.cache.store import decode_facts, encode_facts
from ssot_lint.facts.extract import extract_facts
from tests.conftest import SHOP_REGISTRY as REGISTRY
from tests.conftest import run_json_check as run
from tests.conftest import shop_files, write_project


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("par") / "shop", shop_files(), REGISTRY,
                         packages=("shop",))


def test_jobs_do_not_change_the_output(shop: Path, tmp_path: Path) -> None:
    serial = run(shop, "--jobs", "1", "--no-cache")
    assert serial.returncode == 1, serial.stderr
    report = json.loads(serial.stdout)
    codes = {f["code"] for f in report["findings"]}
    assert codes >= {"SSOT001", "SSOT002", "SSOT101", "SSOT103", "SSOT111", "SSOT121", "SSOT901"}
    assert report["summary"]["files_checked"] > MIN_PARALLEL_FILES * 3
    for args in (["--jobs", "2", "--no-cache"], ["--jobs", "3", "--no-cache"],
                 ["--jobs", "2", "--cache-dir", str(tmp_path / "c")],  # cold, writes
                 ["--jobs", "1", "--cache-dir", str(tmp_path / "c")],  # warm
                 ["--jobs", "2", "--cache-dir", str(tmp_path / "c")]):
        other = run(shop, *args)
        assert (other.returncode, other.stdout, other.stderr) == (1, serial.stdout, ""), args


def test_default_jobs_is_the_available_cores(shop: Path) -> None:
    default = run(shop, "--no-cache")
    assert default.returncode == 1
    assert default.stdout == run(shop, "--jobs", "1", "--no-cache").stdout


def test_extract_merges_by_key_whatever_the_pool(shop: Path) -> None:
    work = sorted((str(p.relative_to(shop)), p.read_bytes()) for p in shop.rglob("*.py"))
    assert len(work) > MIN_PARALLEL_FILES
    serial = extract(work, (3, 12), jobs=1)
    pooled = extract(work, (3, 12), jobs=2)
    assert sorted(serial) == sorted(pooled) == [key for key, _ in work]
    assert {k: facts for k, (facts, _) in serial.items()} == \
           {k: facts for k, (facts, _) in pooled.items()}
    assert all(text is not None and decode_facts(text) == pooled[k][0]
               for k, (_, text) in pooled.items())


def test_batches_cover_every_file_once_in_key_order() -> None:
    work = [(f"k{i:03d}", b"") for i in reversed(range(301))]
    batches = _batches(work, workers=2)
    flat = [key for batch in batches for key, _ in batch]
    assert flat == sorted(key for key, _ in work)
    assert len(batches) > 2 and max(len(b) for b in batches) <= 64


def test_real_files_survive_the_worker_round_trip() -> None:
    """Every file of ssot-lint itself: worker JSON decodes to the in-process facts."""
    sources = sorted(Path(__file__).resolve().parents[1].glob("ssot_lint/**/*.py"))
    work = [(str(p), p.read_bytes()) for p in sources]
    for key, text in extract_batch(work, (3, 11)):
        assert decode_facts(text) == extract_facts(Path(key).read_bytes(), (3, 11)), key


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=hypothesmith.from_grammar())
def test_generated_programs_round_trip_through_the_cache_format(source: str) -> None:
    data = source.encode("utf-8", "surrogatepass")
    facts = extract_facts(data, (3, 11))
    assert decode_facts(encode_facts(facts)) == facts
    [(_, text)] = extract_batch([("k", data)], (3, 11))
    assert decode_facts(text) == facts


def test_pool_is_not_started_for_a_handful_of_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    class NoPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a pool was started for two files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    out = extract([("a", b"import os\n"), ("b", b"x = 1\n")], (3, 11), jobs=os.cpu_count() or 2)
    assert sorted(out) == ["a", "b"] and out["a"][0].imports[0].module == "os"


def _streamed(work: list[tuple[str, bytes]], jobs: int) -> dict[str, tuple[str, str]]:
    from ssot_lint.cache.parallel import stream_encoded

    out: dict[str, tuple[str, str]] = {}

    def sink(key: str, text: str, face: str) -> None:
        assert key not in out, f"{key} delivered twice"
        out[key] = (text, face)

    stream_encoded(iter(work), len(work), (3, 12), jobs, sink)
    return out


def test_streamed_extraction_equals_the_serial_facts(shop: Path) -> None:
    from ssot_lint.cache.store import interface_of

    work = sorted((str(p.relative_to(shop)), p.read_bytes()) for p in shop.rglob("*.py"))
    streamed = _streamed(work, jobs=2)
    assert sorted(streamed) == [key for key, _ in work]
    for key, data in work:
        facts = extract_facts(data, (3, 12))
        assert decode_facts(streamed[key][0]) == facts, key
        assert streamed[key][1] == interface_of(facts), key


def test_a_dead_worker_costs_time_not_results(shop: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-run (out of memory, say): its batch and every later one are
    extracted in this process instead, and nothing is lost or delivered twice."""
    from ssot_lint.cache import parallel

    work = sorted((str(p.relative_to(shop)), p.read_bytes()) for p in shop.rglob("*.py"))
    expected = _streamed(work, jobs=1)
    monkeypatch.setattr(parallel, "encode_batch", _dies_in_a_worker)
    assert _streamed(work, jobs=2) == expected


_PARENT = os.getpid()
_REAL_ENCODE_BATCH = encode_batch


def _dies_in_a_worker(batch: list[tuple[str, bytes]],
                      target: tuple[int, int]) -> list[tuple[str, str, str]]:
    """``encode_batch`` that kills any process but the test's own (a worker)."""
    if os.getpid() != _PARENT:
        os._exit(1)
    result: list[tuple[str, str, str]] = _REAL_ENCODE_BATCH(batch, target)
    return result
