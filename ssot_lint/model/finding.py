"""Findings: the only thing rules produce and reporters consume."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Edit:
    """Fixes are data until applied: a description the fixer turns into a libcst edit."""

    description: str
    kind: str  # e.g. "replace-import", "rename"
    old: str
    new: str
    safe: bool = True


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``path`` is POSIX and relative to the working directory."""

    path: str
    line: int
    column: int
    code: str
    rule: str
    severity: str
    message: str
    end_line: int | None = None
    end_column: int | None = None
    hint: str | None = None
    symbol: str | None = None  # the import path / symbol concerned (for fingerprints)
    docs: str | None = None
    fix: Edit | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)
