"""Render what ``fix`` did: a unified diff, or one line per fix and per refusal."""

from __future__ import annotations

import difflib

from ssot_lint.fix.run import FixResult
from ssot_lint.model.finding import Finding


def unified_diff(result: FixResult) -> str:
    """A ``git apply``-able diff of every file ``fix`` changes (or would change)."""
    chunks: list[str] = []
    for path, before, after in sorted(result.diffs):
        lines = difflib.unified_diff(before.splitlines(keepends=True),
                                     after.splitlines(keepends=True),
                                     fromfile=f"a/{path}", tofile=f"b/{path}")
        for line in lines:
            chunks.append(line if line.endswith(("\n", "\r")) else line + "\n")
    return "".join(chunks)


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def fix_report(result: FixResult, *, written: bool, quiet: bool = False) -> str:
    """Lines for every fix made, every fixable finding left and why, then a summary."""
    verb = "fixed" if written else "would fix"
    out: list[str] = []
    for finding in result.fixed:
        edit = finding.fix
        change = f" `{edit.old}` -> `{edit.new}`" if edit else ""
        out.append(f"{_where(finding)}: {verb} {finding.code}{change}")
    for finding, reason in result.not_fixed:
        out.append(f"{_where(finding)}: not fixed {finding.code}: {reason}")
    for finding in result.needs_unsafe:
        edit = finding.fix
        change = f" (`{edit.old}` -> `{edit.new}`)" if edit else ""
        out.append(f"{_where(finding)}: {finding.code} is a rename{change}; "
                   "apply it with --unsafe-fixes")
    for path, reason in result.errors:
        out.append(f"{path}: not written: {reason}")
    if not quiet:
        files = len(result.diffs)
        left = len(result.remaining)
        summary = (f"{verb.capitalize()} {len(result.fixed)} finding"
                   f"{'' if len(result.fixed) == 1 else 's'} in {files} file"
                   f"{'' if files == 1 else 's'}; {left} finding{'' if left == 1 else 's'} "
                   "remain")
        if result.needs_unsafe:
            summary += f" ({len(result.needs_unsafe)} fixable with --unsafe-fixes)"
        if left:
            summary += "; run `ssot-lint check` to see them"
        out.append(summary + ".")
    return "".join(line + "\n" for line in out)
