"""The default per-file size limit follows the memory the run may use (issue 15 §4).

Memory per file is bounded only through ``max_file_size``: parsing the worst-case file
(tiny statements) holds ~230 bytes per byte of source (docs/configuration.md), so the
default is memory / 400, at most 10 MiB and at least 1 MiB.
"""

from __future__ import annotations

import pytest

from ssot_lint import files

MIB = 1024 * 1024
GIB = 1024 * MIB


@pytest.mark.parametrize(("memory", "limit"), [
    (None, 10 * MIB),  # unknown: the plain default
    (64 * GIB, 10 * MIB),  # a big machine keeps the cap
    (4 * GIB, 10 * MIB),  # 4 GiB / 400 is just over 10 MiB
    (2 * GIB, 2 * GIB // 400),  # about 5 MiB
    (256 * MIB, MIB),  # never below 1 MiB
])
def test_the_default_limit_leaves_room_for_the_worst_case_file(
        monkeypatch: pytest.MonkeyPatch, memory: int | None, limit: int) -> None:
    monkeypatch.setattr(files, "machine_memory", lambda: memory)
    assert files.default_max_file_size() == limit
    if memory is not None and limit > MIB:
        assert limit * 230 < memory / 1.5  # room for the tree of one more such file


def test_the_machine_memory_is_positive_when_known() -> None:
    memory = files.machine_memory()
    assert memory is None or memory > 0
    assert MIB <= files.default_max_file_size() <= 10 * MIB
