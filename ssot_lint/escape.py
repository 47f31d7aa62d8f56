"""One way to put untrusted text on a terminal or into a line-based log.

File names, registry keys, reasons and Markdown cells are written by someone else:
printed raw, a line break would forge another finding or error line (in GitHub
Actions, a ``::error`` workflow command), an escape sequence would drive the
terminal, and a lone surrogate (a file name that is not valid UTF-8, kept as
surrogate-escaped text) would make the write itself fail. Every such text that reaches
standard output or standard error goes through :func:`printable`.
"""

from __future__ import annotations


def printable(text: str, keep: str = "") -> str:
    """``text`` with every non-printable character escaped (``\\n``, ``\\x1b``,
    ``\\udce9``), so one item is one line and nothing reaches the terminal raw.

    ``keep`` names characters the caller encodes itself (GitHub annotations turn a
    line break into ``%0A``). Printable text is returned unchanged (the common case
    costs one ``isprintable``).
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else _escape(c) for c in text)


def _escape(char: str) -> str:
    if "\ud800" <= char <= "\udfff":  # unicode_escape cannot encode a lone surrogate
        return f"\\u{ord(char):04x}"
    return char.encode("unicode_escape").decode("ascii")


def portable(text: str) -> str:
    """``text`` as valid Unicode, for files and hashes that cannot hold lone surrogates.

    A file name that is not valid UTF-8 reaches us surrogate-escaped (``os.fsdecode``:
    byte 0xE9 becomes ``\\udce9``). TOML and UTF-8 cannot carry that, so each such byte
    becomes the four characters ``\\xe9`` -- readable, stable, and the same for every
    run; valid text is returned unchanged (existing fingerprints keep their value).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate no file name produces
            raw = text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")
    return text


def json_safe(document: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every lone surrogate
    written as its ``\\udcXX`` escape, so it can be encoded as UTF-8 and a JSON reader
    gets the surrogate-escaped name back (``os.fsencode`` then gives the original
    bytes). A lone surrogate can only occur inside a JSON string, where that escape is
    exactly what ``ensure_ascii=True`` would have written."""
    return document.encode("utf-8", "backslashreplace").decode("utf-8")
