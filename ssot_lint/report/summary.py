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
    # --changed-since: how many of the checked files changed (findings are theirs only)
    changed_files: int | None = None
    # why the run fails besides its findings (--strict-baseline: stale entries)
    failures: tuple[str, ...] = ()

    @classmethod
    def of(cls, findings: list[Finding], files_checked: int, *,
           changed_files: int | None = None, failures: tuple[str, ...] = ()) -> Summary:
        severity = Counter(f.severity for f in findings)
        codes = Counter(f.code for f in findings)
        order = sorted(severity, key=lambda k: SEVERITY_ORDER.get(k, len(SEVERITY_ORDER)))
        return cls(files_checked=files_checked, findings=len(findings),
                   files_with_findings=len({f.path for f in findings}),
                   by_severity={k: severity[k] for k in order},
                   by_code=dict(sorted(codes.items())), changed_files=changed_files,
                   failures=failures)

    def files_phrase(self) -> str:
        """``1,827 files``, or ``3 changed files of 1,827`` under --changed-since."""
        if self.changed_files is None:
            return f"{self.files_checked:,} file{'s' if self.files_checked != 1 else ''}"
        return (f"{self.changed_files:,} changed file{'s' if self.changed_files != 1 else ''} "
                f"of {self.files_checked:,}")
