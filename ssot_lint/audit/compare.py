"""Progress since a previous audit (``--compare previous.json``): a migration's burn-down.

The previous audit is read as plain JSON written by ``--json``; it is user input, so
a wrong or damaged file stops the run with a message naming the file and what is
wrong (exit code 2) instead of a traceback.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssot_lint.audit.model import AUDIT_FORMAT_VERSION, Audit
from ssot_lint.errors import ConfigError

_NEEDED = {"overall": dict, "rules": list, "deprecated": list, "services": list}


@dataclass(frozen=True)
class Delta:
    """One figure then and now; ``None`` when it did not exist on that side."""

    name: str
    before: float | None
    now: float | None

    @property
    def change(self) -> float:
        value = round((self.now or 0) - (self.before or 0), 1)
        return int(value) if value == int(value) else value


@dataclass(frozen=True)
class ServiceDelta:
    name: str
    findings: Delta
    compliance: Delta


@dataclass(frozen=True)
class Comparison:
    since: str
    findings: Delta
    files_with_findings: Delta
    compliance: Delta
    rules: tuple[Delta, ...]
    deprecated: tuple[Delta, ...]
    services: tuple[ServiceDelta, ...]

    def to_dict(self) -> dict[str, Any]:
        def delta(d: Delta) -> dict[str, Any]:
            return {"name": d.name, "before": d.before, "now": d.now, "change": d.change}
        return {
            "since": self.since, "findings": delta(self.findings),
            "files_with_findings": delta(self.files_with_findings),
            "compliance": delta(self.compliance),
            "rules": [delta(d) for d in self.rules],
            "deprecated": [delta(d) for d in self.deprecated],
            "services": [{"name": s.name, "findings": delta(s.findings),
                          "compliance": delta(s.compliance)} for s in self.services],
        }


def load_previous(path: Path) -> dict[str, Any]:
    """Read and check a previous ``--json`` audit; ConfigError (exit 2) when unusable."""
    where = path.as_posix()
    hint = "pass a file written by `ssot-lint audit --json FILE`"
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except FileNotFoundError:
        raise ConfigError(f"previous audit not found; {hint}", file=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read previous audit: {exc}", file=where) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON ({exc.msg}); {hint}", file=where,
                          line=exc.lineno) from None
    except RecursionError:
        raise ConfigError(f"not an ssot-lint audit (nested too deeply); {hint}",
                          file=where) from None
    except ValueError as exc:  # NaN/Infinity, an integer of thousands of digits
        raise ConfigError(f"audit data is damaged ({exc}); {hint}", file=where) from None
    if not isinstance(data, dict) or "version" not in data:
        raise ConfigError(f"not an ssot-lint audit (no \"version\"); {hint}", file=where)
    if data["version"] != AUDIT_FORMAT_VERSION:
        raise ConfigError(f"audit format version {data['version']!r} is not supported "
                          f"(expected {AUDIT_FORMAT_VERSION}); {hint}", file=where)
    for key, kind in _NEEDED.items():
        if not isinstance(data.get(key), kind):
            raise ConfigError(f"audit is missing {key!r} (or it has the wrong type); {hint}",
                              file=where)
    try:
        _named(data["rules"], "code", "findings")
        _named(data["deprecated"], "symbol", "references")
        _named(data["services"], "name", "findings")
        _named(data["services"], "name", "compliance")
        _number(data["overall"]["findings"])
        _number(data["overall"]["compliance"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"audit data is damaged ({type(exc).__name__}: {exc}); {hint}",
                          file=where) from None
    return data


#: Larger counts or percentages are damage, not data: an audit of any real codebase
#: stays far below, and arithmetic on 10**400 would overflow when turned into a float.
LARGEST_NUMBER = 10**15


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number an audit writes")


def _number(value: Any) -> float:
    """A JSON number as written (ints stay ints); TypeError/ValueError for anything else
    (NaN, infinities and absurd magnitudes included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {value!r}")
    if abs(value) > LARGEST_NUMBER or not math.isfinite(value):  # abs first: no float()
        raise ValueError(f"{value!r:.40} is out of range")
    return value


def _named(rows: list[Any], key: str, value: str) -> dict[str, float]:
    return {str(row[key]): _number(row[value]) for row in rows}


def _deltas(before: dict[str, float], now: dict[str, float]) -> tuple[Delta, ...]:
    return tuple(Delta(name, before.get(name), now.get(name))
                 for name in sorted(set(before) | set(now)))


def compare(audit: Audit, previous: dict[str, Any]) -> Comparison:
    """Per-rule, per-deprecated-symbol and per-service change since ``previous``."""
    now = audit.to_dict()
    old_services = {row["name"]: row for row in previous["services"]}
    new_services = {row["name"]: row for row in now["services"]}
    services = []
    for name in sorted(set(old_services) | set(new_services)):
        old, new = old_services.get(name), new_services.get(name)
        services.append(ServiceDelta(
            name,
            Delta("findings", _get(old, "findings"), _get(new, "findings")),
            Delta("compliance", _get(old, "compliance"), _get(new, "compliance"))))
    prev = previous["overall"]
    return Comparison(
        since=str(previous.get("generated_at", "the previous audit")),
        findings=Delta("findings", _number(prev["findings"]), audit.overall.findings),
        files_with_findings=Delta("files with findings",
                                  _get(prev, "files_with_findings"),
                                  audit.overall.files_with_findings),
        compliance=Delta("compliance", _number(prev["compliance"]),
                         audit.overall.compliance),
        rules=_deltas(_named(previous["rules"], "code", "findings"),
                      _named(now["rules"], "code", "findings")),
        deprecated=_deltas(_named(previous["deprecated"], "symbol", "references"),
                           _named(now["deprecated"], "symbol", "references")),
        services=tuple(services),
    )


def _get(row: dict[str, Any] | None, key: str) -> float | None:
    if row is None:
        return None
    try:
        return _number(row.get(key))
    except (TypeError, ValueError):
        return None
