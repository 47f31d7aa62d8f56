"""Read ``# ssot-lint: ignore[...]`` comments.

Comments are found with ``tokenize`` (so a ``#`` inside a string is never mistaken for
one), and only when the text mentions ``ssot-lint`` at all, which keeps the common
case free.
"""

from __future__ import annotations

import io
import tokenize

from ssot_lint.model.facts import Suppression

MARKER = "ssot-lint:"


def parse_directive(comment: str) -> tuple[str, tuple[str, ...]] | None:
    """Parse one comment's directive: ("ignore" | "ignore-file", codes) or None."""
    index = comment.find(MARKER)
    if index < 0:
        return None
    rest = comment[index + len(MARKER):].strip()
    for word in ("ignore-file", "ignore"):
        if rest.startswith(word):
            tail = rest[len(word):]
            if tail.startswith("["):
                close = tail.find("]")
                if close < 0:
                    return None
                codes = tuple(sorted({c.strip().upper() for c in tail[1:close].split(",")
                                      if c.strip()}))
                return word, codes
            if not tail or tail[0] in " \t#":
                return word, ()
            return None
    return None


def find_suppressions(text: str) -> tuple[Suppression, ...]:
    if MARKER not in text:
        return ()
    found: list[Suppression] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT or MARKER not in token.string:
                continue
            parsed = parse_directive(token.string)
            if parsed is None:
                continue
            word, codes = parsed
            found.append(Suppression(line=token.start[0], col=token.start[1] + 1, codes=codes,
                                     file_level=word == "ignore-file"))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # keep what was found before the tokenizer gave up
    return tuple(found)
