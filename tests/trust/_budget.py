"""How hard the fuzz and mutation tests push.

By default every run uses a small, fixed budget with derandomized (seeded) examples, so
the suite stays fast and a failure reproduces. ``SSOT_LINT_FUZZ=long`` raises the
budget a hundredfold and lets Hypothesis pick fresh random examples: run it in CI's
nightly job or before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("SSOT_LINT_FUZZ", "").lower() == "long"


def fuzz(examples: int) -> settings:
    """Settings for a property test: ``examples`` by default, 100x under SSOT_LINT_FUZZ=long."""
    return settings(max_examples=examples * 100 if LONG else examples, derandomize=not LONG,
                    deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def rounds(default: int) -> int:
    """How many mutation rounds (each a whole corpus run) to do."""
    return default * 20 if LONG else default
