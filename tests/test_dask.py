"""``--executor dask``: extraction on a real local Dask cluster of two worker processes.

The cluster runs in its own process (as a real scheduler would), and ssot-lint runs
as the CLI, so the test process never mixes Dask's threads with the fork-based pool
other tests use. The output must be byte-for-byte the local ``--jobs 1`` output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import (
    SHOP_REGISTRY as REGISTRY,
)
from tests.conftest import (
    run_json_check as run,
)
from tests.conftest import (
    shop_files,
    write_project,
)

pytestmark = pytest.mark.dask

CLUSTER = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       scheduler_port=0, dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()  # run until the test closes our stdin
cluster.close()
"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        yield address
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("dask") / "shop", shop_files(), REGISTRY,
                         packages=("shop",))


def test_two_worker_cluster_gives_the_local_output(shop: Path, scheduler: str) -> None:
    from distributed import Client

    with Client(scheduler, timeout="30s") as client:
        assert len(client.scheduler_info()["workers"]) == 2
    local = run(shop, "--jobs", "1", "--no-cache")
    assert local.returncode == 1 and json.loads(local.stdout)["findings"]
    remote = run(shop, "--executor", "dask", "--scheduler", scheduler, "--no-cache")
    assert (remote.returncode, remote.stdout) == (1, local.stdout), remote.stderr


def test_cluster_results_fill_the_cache_for_local_runs(shop: Path, scheduler: str,
                                                       tmp_path: Path) -> None:
    local = run(shop, "--jobs", "1", "--no-cache")
    cache = str(tmp_path / "shared-cache")
    remote = run(shop, "--executor", "dask", "--scheduler", scheduler, "--cache-dir", cache)
    assert remote.stdout == local.stdout, remote.stderr
    # A later local run reuses what the cluster extracted (same format, same keys).
    import sqlite3

    with sqlite3.connect(Path(cache) / "facts.sqlite3") as db:
        rows = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert rows == len({p.read_bytes() for p in shop.rglob("*.py")})
    assert run(shop, "--jobs", "1", "--cache-dir", cache).stdout == local.stdout


def test_dask_without_a_scheduler_is_a_usage_error(shop: Path) -> None:
    result = run(shop, "--executor", "dask", "--no-cache")
    assert result.returncode == 2
    assert "--executor dask needs --scheduler" in result.stderr


def test_unreachable_scheduler_is_a_usage_error(shop: Path) -> None:
    result = run(shop, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache")
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in result.stderr
