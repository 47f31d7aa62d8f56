"""Fingerprints and baselines: adopt ssot-lint on a legacy codebase without a flag day.

A baseline file records today's findings so that only *new* ones fail a run. Its
entries are matched by a fingerprint that survives unrelated edits: the rule code,
the file (relative to the project root), the import path or symbol concerned, and an
occurrence index among identical findings in that file — never the line number, so
adding a line above an import does not turn old debt into a new finding. The same
fingerprint is published in SARIF ``partialFingerprints`` so code-scanning services
track a finding across commits the same way.

A baseline only shrinks: entries are exact (no wildcards); an entry that no longer
matches anything is *stale* (its debt was fixed, or its file moved) and is reported,
so it can be removed (``--update-baseline``) before the fixed problem silently returns.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ssot_lint.errors import ConfigError, MultiError, SsotLintError
from ssot_lint.escape import portable
from ssot_lint.model.finding import Finding

FINGERPRINT_KEY = "fingerprint"  # the Finding.extra key holding the hex fingerprint
SARIF_FINGERPRINT = "ssotLint/v1"  # the SARIF partialFingerprints key
BASELINE_VERSION = 1
_ENTRY_KEYS = ("code", "path", "symbol", "occurrence", "message", "reason", "owner")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, order=True)
class Identity:
    """What a finding *is*, independent of where in its file it currently sits."""

    code: str
    path: str  # POSIX, relative to the project root; ``escape.portable`` (valid Unicode)
    symbol: str  # the import path / symbol, or the message with numbers blanked out
    occurrence: int  # 0 for the first identical finding in the file, 1 for the next...

    def fingerprint(self) -> str:
        text = "\0".join(("v1", self.code, self.path, self.symbol, str(self.occurrence)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def symbol_key(finding: Finding) -> str:
    """The import/symbol a finding is about; for findings without one, the message.

    Numbers are blanked out of messages because some mention line numbers.
    """
    return finding.symbol or _DIGITS.sub("#", finding.message)


def root_relative(display_path: str, root: Path | None, cwd: Path | None = None) -> str:
    """A finding's path (relative to the working directory) made relative to ``root``."""
    if root is None:
        return display_path
    absolute = (cwd or Path.cwd()) / display_path
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return display_path
    return display_path if relative.startswith("..") else Path(relative).as_posix()


def identities(findings: Sequence[Finding], root: Path | None = None,
               cwd: Path | None = None) -> list[Identity]:
    """One identity per finding (same order); occurrence counts in (line, column) order."""
    order = sorted(range(len(findings)),
                   key=lambda i: (findings[i].path, findings[i].line, findings[i].column,
                                  findings[i].code, findings[i].message))
    seen: dict[tuple[str, str, str], int] = {}
    result: list[Identity | None] = [None] * len(findings)
    for index in order:
        f = findings[index]
        base = (f.code, portable(root_relative(f.path, root, cwd)), portable(symbol_key(f)))
        result[index] = Identity(*base, seen.get(base, 0))
        seen[base] = seen.get(base, 0) + 1
    return [identity for identity in result if identity is not None]


def with_fingerprints(findings: Sequence[Finding], root: Path | None = None,
                      cwd: Path | None = None) -> list[Finding]:
    """Attach each finding's fingerprint as ``extra[("fingerprint", hex)]``."""
    out = []
    for f, identity in zip(findings, identities(findings, root, cwd), strict=True):
        extra = tuple(kv for kv in f.extra if kv[0] != FINGERPRINT_KEY)
        out.append(replace(f, extra=extra + ((FINGERPRINT_KEY, identity.fingerprint()),)))
    return out


def fingerprint_of(finding: Finding) -> str:
    """The attached fingerprint, or one computed from the finding's own path."""
    for key, value in finding.extra:
        if key == FINGERPRINT_KEY:
            return value
    return identities([finding])[0].fingerprint()


@dataclass(frozen=True)
class Entry:
    """One tolerated finding; ``reason`` and ``owner`` are for the humans paying it off."""

    identity: Identity
    message: str = ""
    reason: str = ""
    owner: str = ""


@dataclass(frozen=True)
class BaselineResult:
    new: list[Finding]  # findings not in the baseline: these are reported
    matched: int  # findings the baseline tolerates
    stale: list[Entry]  # entries in scope that matched nothing (fixed, or moved)
    kept: list[Entry]  # entries still matching (or out of this run's scope)


def read_baseline(path: Path) -> list[Entry]:
    """Parse a baseline file; every malformed entry is reported at once (exit 2)."""
    from ssot_lint.files import read_text
    from ssot_lint.load.toml_lines import LineIndex, decode_error_line, load_toml

    display = path.as_posix()
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise ConfigError("baseline file not found; create it with --write-baseline",
                          file=display) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(f"cannot read baseline: {why}", file=display) from None
    try:
        data = load_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"invalid TOML: {exc}", file=display,
                          line=decode_error_line(exc, text)) from None
    lines = LineIndex(text)
    errors: list[SsotLintError] = []
    if data.get("version") != BASELINE_VERSION:
        errors.append(ConfigError(f"expected version = {BASELINE_VERSION}", file=display,
                                  line=lines.line_of("version"), key="version"))
    for key in sorted(set(data) - {"version", "finding"}):
        errors.append(ConfigError(f"unknown key {key!r}; expected version and [[finding]]",
                                  file=display, line=lines.line_of(key), key=key))
    raw = data.get("finding", [])
    entries: list[Entry] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        where = {"file": display, "line": lines.line_of("finding", index),
                 "key": f"finding[{index}]"}
        problem = _entry_problem(item)
        if problem:
            errors.append(ConfigError(problem, **where))  # type: ignore[arg-type]
            continue
        entries.append(Entry(Identity(item["code"], item["path"], item["symbol"],
                                      item.get("occurrence", 0)),
                             item.get("message", ""), item.get("reason", ""),
                             item.get("owner", "")))
    if errors:
        raise MultiError(errors) if len(errors) > 1 else errors[0]
    return entries


def _entry_problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "each [[finding]] must be a table"
    unknown = sorted(set(item) - set(_ENTRY_KEYS))
    if unknown:
        return f"unknown key {unknown[0]!r}; expected: {', '.join(_ENTRY_KEYS)}"
    for key in ("code", "path", "symbol"):
        if not isinstance(item.get(key), str) or not item[key]:
            return f"`{key}` must be a non-empty string"
    if any(ch in item["path"] for ch in "*?"):
        return "baseline entries are exact: wildcards are not allowed (one entry per finding)"
    occurrence = item.get("occurrence", 0)
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 0:
        return "`occurrence` must be a non-negative integer"
    for key in ("message", "reason", "owner"):
        if key in item and not isinstance(item[key], str):
            return f"`{key}` must be a string"
    return None


def apply_baseline(findings: Sequence[Finding], entries: Iterable[Entry],
                   in_scope: Iterable[str] | None = None, root: Path | None = None,
                   cwd: Path | None = None,
                   code_in_scope: Callable[[str], bool] | None = None) -> BaselineResult:
    """Split findings into new and tolerated; find stale entries.

    ``in_scope`` is the set of root-relative paths this run checked and
    ``code_in_scope`` says which rule codes ran: an entry outside either is neither
    matched nor stale, so a pre-commit run over three files (or a ``--select`` run)
    does not call the rest of the baseline stale.
    """
    by_identity = {entry.identity: entry for entry in entries}
    scope = None if in_scope is None else set(in_scope)
    new: list[Finding] = []
    used: set[Identity] = set()
    for f, identity in zip(findings, identities(findings, root, cwd), strict=True):
        if identity in by_identity:
            used.add(identity)
        else:
            new.append(f)
    stale, kept = [], []
    for identity in sorted(by_identity):
        entry = by_identity[identity]
        if identity not in used and (scope is None or identity.path in scope) and \
                (code_in_scope is None or code_in_scope(identity.code)):
            stale.append(entry)
        else:
            kept.append(entry)
    return BaselineResult(new=new, matched=len(used), stale=stale, kept=kept)


def entries_for(findings: Sequence[Finding], root: Path | None = None,
                cwd: Path | None = None, previous: Iterable[Entry] = ()) -> list[Entry]:
    """Baseline entries for ``findings``, keeping ``reason``/``owner`` of earlier entries."""
    old = {entry.identity: entry for entry in previous}
    entries = []
    for f, identity in zip(findings, identities(findings, root, cwd), strict=True):
        before = old.get(identity)
        entries.append(Entry(identity, portable(f.message), before.reason if before else "",
                             before.owner if before else ""))
    return sorted(entries, key=lambda e: e.identity)


def render_baseline(entries: Iterable[Entry]) -> str:
    """The baseline file text: TOML, sorted, one ``[[finding]]`` table per entry."""
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment("ssot-lint baseline: known findings tolerated until fixed."))
    document.add(tomlkit.comment("Entries are matched by code + path + symbol + occurrence "
                                 "(never the line)."))
    document.add(tomlkit.comment("Add `reason` and `owner` to an entry to say who pays it off."))
    document.add("version", BASELINE_VERSION)
    table = tomlkit.aot()
    for entry in sorted(entries, key=lambda e: e.identity):
        item = tomlkit.table()
        item.add("code", entry.identity.code)
        item.add("path", entry.identity.path)
        item.add("symbol", entry.identity.symbol)
        item.add("occurrence", entry.identity.occurrence)
        if entry.message:
            item.add("message", entry.message)
        if entry.reason:
            item.add("reason", entry.reason)
        if entry.owner:
            item.add("owner", entry.owner)
        table.append(item)
    if len(table):
        document.add("finding", table)
    return tomlkit.dumps(document)


def write_baseline(path: Path, entries: Iterable[Entry]) -> None:
    from ssot_lint.files import write_atomic

    try:
        write_atomic(path, render_baseline(entries).encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write the baseline: {exc.strerror or exc}",
                          file=path.as_posix()) from None
