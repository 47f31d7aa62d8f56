"""Find the line where a TOML key was written.

``tomllib`` returns plain dicts with no positions, but every error we report about a
registry or config must name its line. This scans the TOML text line by line; each
table header and each ``key =`` prefix is read by a small scanner of TOML's key
grammar (bare keys, quoted keys without escapes, dots), and whatever it is not sure
of goes to ``tomllib`` itself, so positions come from the real grammar. Calling
``tomllib`` on every line made a 100,000-entry registry cost ~15 s per run; the
scanner agrees with it on every key it accepts (a property test holds it to that).
The index is built on the first lookup, so a file nobody asks about costs nothing.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError  # re-exported for the loaders' ``except`` clauses

Key = tuple[Any, ...]


def _single_path(data: dict[str, Any]) -> tuple[Any, ...]:
    """The key path of a one-entry nested structure like {"a": {"b": {}}}."""
    path: list[Any] = []
    node: Any = data
    while True:
        if isinstance(node, dict) and len(node) == 1:
            key = next(iter(node))
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and len(node) == 1:
            node = node[0]
        else:
            return tuple(path)


_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_BLANK = " \t"
_CONTROL = frozenset(chr(code) for code in (*range(32), 127) if code != 9)  # TOML forbids


def scan_key(text: str, pos: int = 0) -> tuple[Key, int] | None:
    """A dotted key starting at ``text[pos]`` and the position after it, or None.

    None means "not sure": a basic string with an escape or a control character, an
    unterminated quote, no key at all; the caller then asks ``tomllib``.
    """
    parts: list[str] = []
    end = len(text)
    while True:
        while pos < end and text[pos] in _BLANK:
            pos += 1
        if pos >= end:
            return None
        quote = text[pos]
        if quote in "\"'":
            close = text.find(quote, pos + 1)
            if close < 0:
                return None
            part = text[pos + 1:close]
            if (quote == '"' and "\\" in part) or not _CONTROL.isdisjoint(part):
                return None
            pos = close + 1
        else:
            start = pos
            while pos < end and text[pos] in _BARE:
                pos += 1
            if pos == start:
                return None
            part = text[start:pos]
        parts.append(part)
        while pos < end and text[pos] in _BLANK:
            pos += 1
        if pos < end and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _rest_is_blank(text: str, pos: int) -> bool:
    """Only blanks, or a comment without control characters (TOML forbids them)."""
    rest = text[pos:].strip(_BLANK)
    return not rest or (rest.startswith("#") and _CONTROL.isdisjoint(rest))


def fast_header(line: str) -> tuple[Key, bool] | None:
    """``scan_key`` for a table header line (``[a.b]`` or ``[[a.b]]``), or None."""
    is_array = line.startswith("[[")
    scanned = scan_key(line, 2 if is_array else 1)
    if scanned is None:
        return None
    key, pos = scanned
    close = "]]" if is_array else "]"
    if not line.startswith(close, pos) or not _rest_is_blank(line, pos + len(close)):
        return None
    return key, is_array


def fast_key(text: str) -> Key | None:
    """``scan_key`` for the text before a key's ``=``, or None."""
    scanned = scan_key(text)
    if scanned is None or scanned[1] != len(text):  # trailing blanks are consumed
        return None
    return scanned[0]


class LineIndex:
    """Positions of table headers and keys in one TOML document (built when first used)."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._lines: dict[Key, int] = {}
        self._array_counts: dict[Key, int] = {}

    def _build(self, text: str) -> None:
        table: Key = ()
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                header = self._parse_header(line)
                if header is None:
                    continue
                path, is_array = header
                if is_array:
                    index = self._array_counts.get(path, 0)
                    self._array_counts[path] = index + 1
                    table = path + (index,)
                else:
                    table = path
                for depth in range(1, len(path) + 1):  # implicit parents: first child's line
                    self._lines.setdefault(path[:depth], number)
                self._lines.setdefault(table, number)
                continue
            if "=" in line:
                key = self._parse_key(line.split("=", 1)[0])
                if key:
                    self._lines.setdefault(table + key, number)

    @staticmethod
    def _parse_header(line: str) -> tuple[Key, bool] | None:
        fast = fast_header(line)
        return fast if fast is not None else LineIndex.parse_header_slowly(line)

    @staticmethod
    def parse_header_slowly(line: str) -> tuple[Key, bool] | None:
        """A header as ``tomllib`` reads it (the scanner's fallback and oracle)."""
        try:
            data = tomllib.loads(line)
        except tomllib.TOMLDecodeError:
            return None
        return _single_path(data), line.startswith("[[")

    @staticmethod
    def _parse_key(text: str) -> Key:
        fast = fast_key(text)
        return fast if fast is not None else LineIndex.parse_key_slowly(text)

    @staticmethod
    def parse_key_slowly(text: str) -> Key:
        """A key as ``tomllib`` reads it (the scanner's fallback and oracle)."""
        try:
            return _single_path(tomllib.loads(text + "= 0"))
        except tomllib.TOMLDecodeError:
            return ()

    def line_of(self, *path: Any) -> int | None:
        """The line of ``path`` or of its longest known prefix (None if nothing matches)."""
        if self._text is not None:
            text, self._text = self._text, None
            self._build(text)
        probe: Key = tuple(path)
        while probe:
            if probe in self._lines:
                return self._lines[probe]
            probe = probe[:-1]
        return None


def toml_key(*parts: str) -> str:
    """A dotted key as TOML spells it: ``broken."app.old".reason`` (quoted when needed)."""
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else '"' + part.replace(
        "\\", "\\\\").replace('"', '\\"') + '"' for part in parts)


def decode_error_line(error: Exception, text: str | None = None) -> int | None:
    """The line number a ``TOMLDecodeError`` points at.

    Errors found "at end of document" (an unclosed array or string) carry no line;
    with ``text`` they point at its last non-blank line, where the fix usually goes.
    """
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(error))
    if match:
        return int(match.group(1))
    if text is not None and "end of document" in str(error):
        lines = text.splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        return max(len(lines), 1)
    return None


def load_toml(text: str) -> dict[str, Any]:
    """Parse TOML text (raises ``tomllib.TOMLDecodeError``).

    tomllib parses nested arrays and inline tables recursively: a document nested a
    few hundred levels deep (``x = [[[[...]]]]``) raises RecursionError. That is bad
    input like any other, so it becomes a decode error too -- every TOML file
    ssot-lint reads (registry, configuration, baseline) comes through here.
    """
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except RecursionError:
        raise _decode_error("values are nested too deeply", text) from None
    return data


def _decode_error(message: str, text: str) -> Exception:
    error: Exception
    if sys.version_info >= (3, 14):  # (msg, doc, pos); free-form arguments are deprecated
        error = tomllib.TOMLDecodeError(message, text, 0)
    else:
        error = tomllib.TOMLDecodeError(message)
    return error
