"""Find the line where a TOML key was written.

``tomllib`` returns plain dicts with no positions, but every error we report about a
registry or config must name its line. This scans the TOML text with ``tomllib``
itself (each table header and each ``key =`` prefix is parsed on its own), so the
positions come from the real TOML grammar rather than from a pattern.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

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


class LineIndex:
    """Positions of table headers and keys in one TOML document."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Key, int] = {}
        self._array_counts: dict[Key, int] = {}
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
        try:
            data = tomllib.loads(line)
        except tomllib.TOMLDecodeError:
            return None
        return _single_path(data), line.startswith("[[")

    @staticmethod
    def _parse_key(text: str) -> Key:
        try:
            return _single_path(tomllib.loads(text + "= 0"))
        except tomllib.TOMLDecodeError:
            return ()

    def line_of(self, *path: Any) -> int | None:
        """The line of ``path`` or of its longest known prefix (None if nothing matches)."""
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
