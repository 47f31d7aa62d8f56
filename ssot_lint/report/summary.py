"""Counts shared by every reporter."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ssot_lint.model.finding import SEVERITY_ORDER, Finding


@dataclass(frozen=True)
class Summary:
    files_checked: int
    findings: int
    files_with_findings: int
    by_severity: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: list[Finding], files_checked: int) -> Summary:
        severity = Counter(f.severity for f in findings)
        codes = Counter(f.code for f in findings)
        return cls(files_checked=files_checked, findings=len(findings),
                   files_with_findings=len({f.path for f in findings}),
                   by_severity={k: severity[k] for k in sorted(severity, key=SEVERITY_ORDER.get)},
                   by_code=dict(sorted(codes.items())))
