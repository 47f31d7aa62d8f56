"""Render what ``fix`` did: a unified diff, or one line per fix and per refusal."""

from __future__ import annotations

import difflib
from typing import IO

from ssot_lint.fix.run import FixResult
from ssot_lint.model.finding import Finding

NO_NEWLINE = b"\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    """Split on ``\\n`` only, as git does: a form feed or U+2028 is part of a line.

    (``str.splitlines`` would break lines there, so a context line would not match the
    file and ``git apply`` would refuse the hunk.)
    """
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff_bytes(result: FixResult) -> bytes:
    """A ``git apply``-able diff of every file ``fix`` changes (or would change).

    Bytes, not text: every line is encoded the way its file is (a PEP 263 encoding, a
    UTF-8 BOM kept on the first line), so the context matches the file byte for byte,
    and a last line without a newline gets git's ``\\ No newline at end of file``.
    Write it to a binary stream: a text layer (click's ANSI stripping, a terminal's
    encoding) must not change a byte of it.
    """
    chunks: list[bytes] = []
    for path, before, after in sorted(result.diffs):
        encoding = result.encodings.get(path, "utf-8")
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        bom = "\ufeff" if encoding == "utf-8-sig" else ""
        lines = difflib.unified_diff(_lines(bom + before), _lines(bom + after),
                                     fromfile=f"a/{path}", tofile=f"b/{path}", n=3)
        for index, line in enumerate(lines):
            if index < 2:  # the ---/+++ headers name the path: UTF-8 like git's own
                chunks.append(line.rstrip("\n").encode("utf-8", "surrogateescape") + b"\n")
                continue
            data = line.encode(codec, "surrogateescape")
            if line.startswith("@@") or line.endswith("\n"):
                chunks.append(data)
            else:
                chunks.append(data + b"\n" + NO_NEWLINE)
    return b"".join(chunks)


def write_diff(data: bytes, stream: IO[str]) -> None:
    """Write the diff's bytes to ``stream``'s binary layer, so no byte is changed.

    A text-only stream (a test's ``StringIO``) gets the bytes decoded as UTF-8 with
    surrogate escapes, which round-trips every byte.
    """
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", "surrogateescape"))
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


def unified_diff(result: FixResult) -> str:
    """The diff as text (for tests and callers that want ``str``); UTF-8 files only."""
    return unified_diff_bytes(result).decode("utf-8", "surrogateescape")


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def fix_report(result: FixResult, *, written: bool, quiet: bool = False) -> str:
    """Lines for every fix made, every fixable finding left and why, then a summary.

    Locations are in the files as they were before ``fix`` (the diff's ``-`` side), so
    ``fix --diff`` and ``fix`` report the same lines.
    """
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
        out.append(summary_line(result, written=written))
    return "".join(line + "\n" for line in out)


def summary_line(result: FixResult, *, written: bool) -> str:
    """``Fixed N findings in M files; K findings remain.`` (``Would fix`` for --diff)."""
    verb = "Fixed" if written else "Would fix"
    files = len(result.diffs)
    left = len(result.remaining)
    summary = (f"{verb} {len(result.fixed)} finding"
               f"{'' if len(result.fixed) == 1 else 's'} in {files} file"
               f"{'' if files == 1 else 's'}; {left} finding"
               f"{' remains' if left == 1 else 's remain'}")
    if result.baselined:
        summary += f" ({result.baselined} more in the baseline)"
    if result.needs_unsafe:
        summary += f" ({len(result.needs_unsafe)} fixable with --unsafe-fixes)"
    if left:
        summary += "; run `ssot-lint check` to see them"
    return summary + "."
