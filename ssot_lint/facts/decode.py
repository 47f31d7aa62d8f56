"""Turn a file's bytes into text the way the interpreter would.

PEP 263 encoding declarations and a UTF-8 BOM are honoured through ``tokenize``'s own
detection; every line ending (CRLF, CR, LF, mixed) becomes ``\\n`` so line numbers
match what an editor shows.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from ssot_lint.model.facts import SyntaxProblem


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_source(data: bytes) -> Decoded | SyntaxProblem:
    """Decode ``data``; a problem (SSOT002/SSOT001) instead of an exception."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return SyntaxProblem("SSOT002", "file contains a null byte; it is binary or corrupt, "
                             "not Python source", line=line)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        lenient = _comment_only_damage(data) if str(exc.msg).startswith("invalid or") else None
        if lenient is None:
            return _detection_problem(data, str(exc.msg))
        return Decoded(text=lenient, encoding="utf-8")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        lenient = _comment_only_damage(data) if encoding in ("utf-8", "utf-8-sig") else None
        if lenient is not None:
            return Decoded(text=lenient, encoding=encoding)
        bad = getattr(exc, "start", 0)
        line = data[:bad].count(b"\n") + 1
        return SyntaxProblem("SSOT002", f"cannot decode as {encoding}: {exc}; save the file as "
                             "UTF-8 or declare its encoding (PEP 263)", line=line)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, encoding=encoding)


def _detection_problem(data: bytes, why: str) -> SyntaxProblem:
    """Say what ``tokenize.detect_encoding`` objected to in words a user can act on.

    It only looks at the first two lines, and its messages ("invalid or missing encoding
    declaration", "encoding problem: utf-8") do not say which of several causes applies.
    """
    if why.startswith("encoding problem") and data.startswith(b"\xef\xbb\xbf"):
        return SyntaxProblem("SSOT002", "the file starts with a UTF-8 byte-order mark but "
                             "declares another encoding; remove the BOM or the declaration")
    if why.startswith("invalid or missing"):
        for number, line in enumerate(data.splitlines()[:2], start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return SyntaxProblem("SSOT002", "not valid UTF-8 and no encoding is declared; "
                                     "save the file as UTF-8 or declare its encoding (PEP 263)",
                                     line=number)
    return SyntaxProblem("SSOT002", f"bad encoding declaration: {why}; fix or remove the "
                         "'# -*- coding: ... -*-' line")


def _comment_only_damage(data: bytes) -> str | None:
    """The text of UTF-8 ``data`` whose only invalid bytes sit in comments, else None.

    Importing such a module works (CPython compiles the bytes and never decodes a
    comment), and old code bases are full of Latin-1 author names in comments; reporting
    the file unreadable would leave its imports unchecked. So it is analysed, each bad
    byte read as U+FFFD. A bad byte anywhere else fails the import too, and stays SSOT002.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "surrogateescape")  # each bad byte -> one U+DC80..U+DCFF
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = [(number, col) for number, line in enumerate(text.split("\n"), start=1)
           for col, char in enumerate(line) if "\udc80" <= char <= "\udcff"]
    comments: dict[int, list[tuple[int, int]]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments.setdefault(token.start[0], []).append((token.start[1], token.end[1]))
    except (tokenize.TokenError, SyntaxError):
        return None
    for number, col in bad:
        if not any(start <= col < end for start, end in comments.get(number, ())):
            return None
    return "".join("\ufffd" if "\udc80" <= char <= "\udcff" else char for char in text)
