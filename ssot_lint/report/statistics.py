"""``--statistics``: how many findings each rule produced, most frequent first.

The view a team wants when deciding what to migrate next (like ``ruff --statistics``):
one row per rule with its count, slug and whether ``fix`` can handle it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ssot_lint.model.finding import Finding


@dataclass(frozen=True)
class RuleCount:
    code: str
    rule: str
    count: int
    fixable: int  # how many of them `fix` fixes (a safe fix)
    unsafe: int = 0  # how many more `fix --unsafe-fixes` fixes


def rule_counts(findings: list[Finding]) -> list[RuleCount]:
    """Counts per rule code, sorted by count (descending), then code."""
    counts = Counter(f.code for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None and f.fix.safe)
    unsafe = Counter(f.code for f in findings if f.fix is not None and not f.fix.safe)
    slugs = {f.code: f.rule for f in findings}
    rows = [RuleCount(code, slugs[code], n, fixable[code], unsafe[code])
            for code, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.code))


def render_statistics_text(findings: list[Finding]) -> str:
    rows = rule_counts(findings)
    if not rows:
        return "No findings.\n"
    width = max(len(str(r.count)) for r in rows)
    slug_width = max(len(r.rule) for r in rows)
    lines = [f"{r.count:>{width}}  {r.code}  {r.rule:<{slug_width}}  {_fixable(r)}".rstrip()
             for r in rows]
    return "\n".join(lines) + "\n"


def _fixable(row: RuleCount) -> str:
    """``[fixable: N]`` (what `fix` changes), ``+M with --unsafe-fixes`` when there are some."""
    parts = [f"fixable: {row.fixable}"] if row.fixable else []
    if row.unsafe:
        parts.append(f"{row.unsafe} more with --unsafe-fixes")
    return f"[{', '.join(parts)}]" if parts else ""


def render_statistics_json(findings: list[Finding]) -> str:
    rows = [{"code": r.code, "rule": r.rule, "count": r.count, "fixable": r.fixable,
             "unsafe_fixable": r.unsafe} for r in rule_counts(findings)]
    return json.dumps(rows, indent=2) + "\n"
