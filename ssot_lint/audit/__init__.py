"""``ssot-lint audit``: a self-contained report of a project's SSOT compliance.

The pipeline is analyse (``run``) -> aggregate (``collect``) -> optionally compare with a
previous audit (``compare``) -> render (``html``, ``markdown``, ``svg``) or dump JSON.
``audit`` is the entry point for Python callers; the CLI command is a thin layer on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ssot_lint.audit.collect import collect
from ssot_lint.audit.model import Audit
from ssot_lint.audit.run import Progress, analyse
from ssot_lint.baseline import Entry
from ssot_lint.model.config import Config


def audit(paths: Sequence[Path], config: Config, *, title: str | None = None,
          progress: Progress | None = None, baseline: Iterable[Entry] | None = None,
          baseline_name: str = "") -> Audit:
    """Audit the files under ``paths`` (default: the project), judged against the whole.

    With ``baseline`` entries (a ``--baseline`` file), the debt they record is shown
    apart and compliance is given with and without it.
    """
    return collect(analyse(paths, config, cwd=config.root, progress=progress), title=title,
                   baseline=baseline, baseline_name=baseline_name)


__all__ = ["Audit", "audit"]
