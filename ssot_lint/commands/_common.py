"""Helpers shared by the subcommands (kept out of ``cli`` so commands never import it)."""

from __future__ import annotations

from collections.abc import Sequence


def split_codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select A,B --select C`` -> ("A", "B", "C")."""
    return tuple(code.strip().upper() for value in values for code in value.split(",")
                 if code.strip())
