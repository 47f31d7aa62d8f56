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
    fixable: int  # how many of them carry a fix


def rule_counts(findings: list[Finding]) -> list[RuleCount]:
    """Counts per rule code, sorted by count (descending), then code."""
    counts = Counter(f.code for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None)
    slugs = {f.code: f.rule for f in findings}
    rows = [RuleCount(code, slugs[code], n, fixable[code]) for code, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.code))


def render_statistics_text(findings: list[Finding]) -> str:
    rows = rule_counts(findings)
    if not rows:
        return "No findings.\n"
    width = max(len(str(r.count)) for r in rows)
    slug_width = max(len(r.rule) for r in rows)
    lines = [f"{r.count:>{width}}  {r.code}  {r.rule:<{slug_width}}  "
             f"{'[fixable: ' + str(r.fixable) + ']' if r.fixable else ''}".rstrip()
             for r in rows]
    return "\n".join(lines) + "\n"


def render_statistics_json(findings: list[Finding]) -> str:
    rows = [{"code": r.code, "rule": r.rule, "count": r.count, "fixable": r.fixable}
            for r in rule_counts(findings)]
    return json.dumps(rows, indent=2) + "\n"
