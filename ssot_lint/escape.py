"""One way to put untrusted text on a terminal or into a line-based log.

File names, registry keys, reasons and Markdown cells are written by someone else:
printed raw, a line break would forge another finding or error line (in GitHub
Actions, a ``::error`` workflow command), an escape sequence would drive the
terminal, and a lone surrogate (a file name that is not valid UTF-8, kept as
surrogate-escaped text) would make the write itself fail. Every such text that reaches
standard output or standard error goes through :func:`printable`.
"""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\n``, ``\\x1b``,
    ``\\udce9``), so one item is one line and nothing reaches the terminal raw.

    Printable text is returned unchanged (the common case costs one ``isprintable``).
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    if "\ud800" <= char <= "\udfff":  # unicode_escape cannot encode a lone surrogate
        return f"\\u{ord(char):04x}"
    return char.encode("unicode_escape").decode("ascii")
