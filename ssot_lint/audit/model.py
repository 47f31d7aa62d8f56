"""The audit's data: plain frozen values, the single input of every audit renderer.

The same values are written by ``--json`` and read back by ``--compare``, so the JSON
shape (``to_dict``) is a public format with a ``version``; renderers never recompute
anything, which keeps the HTML, Markdown and JSON views of one run consistent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

AUDIT_FORMAT_VERSION = 1
NO_SERVICE = "(no service)"


def plural(count: int, word: str) -> str:
    """``plural(1, "file")`` -> "1 file"; ``plural(2, "file")`` -> "2 files"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def dependencies(count: int) -> str:
    return f"{count} service-to-service dependenc{'y' if count == 1 else 'ies'}"


@dataclass(frozen=True)
class Scope:
    """Counts for one slice of the project (the whole of it, a service or a package)."""

    name: str
    files: int
    findings: int = 0
    files_with_findings: int = 0
    files_with_errors: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def compliance(self) -> float:
        """Share of files with no error-level finding, in percent (100 when empty)."""
        if not self.files:
            return 100.0
        return round(100.0 * (self.files - self.files_with_errors) / self.files, 1)


@dataclass(frozen=True)
class RuleTotal:
    code: str
    rule: str
    summary: str
    findings: int
    files: int
    by_severity: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FileTotal:
    path: str
    service: str
    findings: int
    errors: int
    by_rule: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """One place in the code (a reference to a deprecated symbol, an import)."""

    path: str
    line: int
    code: str = ""


@dataclass(frozen=True)
class DeprecatedSymbol:
    """A ``[deprecated]`` entry (or in-code deprecation) and the references left to migrate."""

    symbol: str
    kind: str  # "symbol" | "module"
    use_instead: str | None
    hint: str | None
    severity: str
    imports: int
    usages: int
    files: int
    sites: tuple[Site, ...] = ()

    @property
    def references(self) -> int:
        return self.imports + self.usages


@dataclass(frozen=True)
class HealthItem:
    """A registry-health finding (stale entry, duplicate definition) to act on."""

    code: str
    path: str
    line: int
    message: str
    symbol: str | None = None


@dataclass(frozen=True)
class Unregistered:
    """A first-party ``module.Name`` imported by path that no ``[symbols]`` entry covers."""

    path: str
    references: int
    files: int


@dataclass(frozen=True)
class ServiceEdge:
    """Import sites from one service's modules into another's."""

    source: str
    target: str
    imports: int
    allowed: bool


@dataclass(frozen=True)
class Advice:
    code: str
    rule: str
    fixable: str
    text: str


@dataclass(frozen=True)
class BaselineDebt:
    """What a ``--baseline`` file tolerates, shown apart from the new findings.

    ``compliance_without`` is the share of files with no *new* error-level finding: the
    compliance the team gets credit for while it pays the recorded debt off;
    ``Audit.overall.compliance`` keeps counting every finding.
    """

    file: str
    known: int  # findings the baseline records
    new: int  # findings it does not
    stale: int  # entries that matched nothing (fixed, or moved)
    files: int  # files with known findings
    by_rule: dict[str, int] = field(default_factory=dict)  # known findings per rule
    compliance_without: float = 100.0


@dataclass(frozen=True)
class Audit:
    """Everything the report shows, computed once."""

    title: str
    generated_at: str
    registry: str
    overall: Scope
    by_severity: dict[str, int]
    rules: tuple[RuleTotal, ...]
    services: tuple[Scope, ...]
    packages: tuple[Scope, ...]
    top_files: tuple[FileTotal, ...]
    deprecated: tuple[DeprecatedSymbol, ...]
    stale_entries: tuple[HealthItem, ...]
    duplicates: tuple[HealthItem, ...]
    unregistered: tuple[Unregistered, ...]
    unregistered_sites: int
    service_names: tuple[str, ...]
    edges: tuple[ServiceEdge, ...]
    advice: tuple[Advice, ...]
    version: int = AUDIT_FORMAT_VERSION
    baseline: BaselineDebt | None = None  # with --baseline

    @property
    def violating_edges(self) -> tuple[ServiceEdge, ...]:
        return tuple(e for e in self.edges if not e.allowed)

    def headline(self) -> str:
        """The one line a team reports by hand: "87.2% compliant, 285 violations in 118 files"."""
        o = self.overall
        line = (f"{o.compliance:.1f}% compliant, {plural(o.findings, 'violation')} in "
                f"{plural(o.files_with_findings, 'file')} ({plural(o.files, 'file')} checked)")
        if self.baseline is not None:
            b = self.baseline
            line += (f"; {b.compliance_without:.1f}% without the baseline's {b.known} known "
                     f"finding{'' if b.known == 1 else 's'} ({b.new} new)")
        return line

    def to_dict(self) -> dict[str, Any]:
        """The JSON document written by ``--json`` (compliance figures included)."""
        data = asdict(self)
        data["overall"]["compliance"] = self.overall.compliance
        for scope, raw in zip(self.services, data["services"], strict=True):
            raw["compliance"] = scope.compliance
        for scope, raw in zip(self.packages, data["packages"], strict=True):
            raw["compliance"] = scope.compliance
        for item, raw in zip(self.deprecated, data["deprecated"], strict=True):
            raw["references"] = item.references
        if data["baseline"] is None:
            del data["baseline"]  # the document of an audit without --baseline is unchanged
        ordered = {"version": data.pop("version"), **data}
        return ordered
