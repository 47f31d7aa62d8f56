"""Judge syntax for the project's target Python, not for the running interpreter.

Three cases: the interpreter is the target (plain ``ast``); the interpreter is newer
(``ast``'s ``feature_version`` catches most newer syntax, and PEP 701 f-strings, which
it does not, are checked here from the f-string tokens); the interpreter is older
(a file using newer syntax is parsed with libcst at the target version, then its
f-strings are blanked so ``ast`` can read the rest).
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import warnings

INTERPRETER = (sys.version_info.major, sys.version_info.minor)


class TargetSyntaxError(Exception):
    """Syntax that the target version rejects, with where and why."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _parse(text: str, version: tuple[int, int] | None) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences etc. are not our business
        if version is None:
            return ast.parse(text, type_comments=False)
        return ast.parse(text, feature_version=version)


def parse_for_target(text: str, target: tuple[int, int]) -> ast.Module:
    """An ``ast.Module`` valid for ``target``; raise ``TargetSyntaxError`` otherwise."""
    effective = min(target, INTERPRETER)
    try:
        tree = _parse(text, effective if effective != INTERPRETER else None)
    except SyntaxError as exc:
        line, col = exc.lineno or 1, exc.offset or 1
        if target > INTERPRETER and _libcst_accepts(text, target):
            return _parse_newer(text, target, exc)
        newer = _needed_version(text, target)
        if newer is not None:
            raise TargetSyntaxError(
                f"{exc.msg}: this syntax requires Python {newer[0]}.{newer[1]}, but the "
                f"project targets {target[0]}.{target[1]} (set target_version if that is "
                "wrong)", line, col) from None
        raise TargetSyntaxError(exc.msg or "invalid syntax", line, col) from None
    if target < (3, 12) <= INTERPRETER:
        problem = pep701_problem(text)
        if problem is not None:
            line, col, why = problem
            raise TargetSyntaxError(
                f"f-string {why}: this requires Python 3.12 (PEP 701), but the project targets "
                f"{target[0]}.{target[1]}", line, col)
    return tree


def _needed_version(text: str, target: tuple[int, int]) -> tuple[int, int] | None:
    """The lowest Python version newer than ``target`` that accepts ``text``, if any."""
    for minor in range(target[1] + 1, INTERPRETER[1] + 1):
        try:
            _parse(text, (3, minor) if (3, minor) != INTERPRETER else None)
            return (3, minor)
        except SyntaxError:
            continue
        except (RecursionError, MemoryError, ValueError):
            return None
    for minor in range(max(INTERPRETER[1], target[1]) + 1, 16):
        if _libcst_accepts(text, (3, minor)):
            return (3, minor)
    return None


def _libcst_accepts(text: str, version: tuple[int, int]) -> bool:
    try:
        import libcst as cst
        cst.parse_module(text, config=cst.PartialParserConfig(
            python_version=f"{version[0]}.{version[1]}"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not accepted"
        return False


def _parse_newer(text: str, target: tuple[int, int], original: SyntaxError) -> ast.Module:
    """Parse syntax newer than this interpreter: blank f-strings with libcst, then ``ast``."""
    import libcst as cst

    class Blank(cst.CSTTransformer):
        def leave_FormattedString(self, original_node: cst.FormattedString,
                                  updated_node: cst.FormattedString) -> cst.BaseExpression:
            lines = cst.Module([]).code_for_node(original_node).count("\n")
            return cst.SimpleString('"' + "\\\n" * lines + '"')

    try:
        module = cst.parse_module(text, config=cst.PartialParserConfig(
            python_version=f"{target[0]}.{target[1]}"))
        return _parse(module.visit(Blank()).code, None)
    except Exception:  # noqa: BLE001
        raise TargetSyntaxError(
            f"{original.msg}: the file uses Python {target[0]}.{target[1]} syntax that ssot-lint "
            f"cannot read while running on Python {INTERPRETER[0]}.{INTERPRETER[1]}; run "
            f"ssot-lint with Python {target[0]}.{target[1]} or newer",
            original.lineno or 1, original.offset or 1) from None


def pep701_problem(text: str) -> tuple[int, int, str] | None:
    """Where an f-string uses syntax that only Python 3.12+ accepts (3.12+ tokenizer only).

    Before PEP 701 an f-string's replacement fields could not reuse the enclosing quote,
    contain a backslash or a comment, or (in a single-quoted f-string) span lines.
    """
    if "{" not in text:
        return None
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    if fstring_start is None:
        return None
    stack: list[tuple[str, int]] = []  # (quote, depth of braces inside)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    for tok in tokens:
        if tok.type == fstring_start:
            if stack:
                quote = stack[-1][0]
                inner = _quote_of(tok.string)
                if inner == quote or (len(quote) == 1 and inner[0] == quote):
                    return tok.start[0], tok.start[1] + 1, "reuses its enclosing quote"
            stack.append((_quote_of(tok.string), 0))
            continue
        if not stack:
            continue
        if tok.type == fstring_end:
            stack.pop()
            continue
        if tok.type == fstring_middle:
            continue
        quote = stack[-1][0]
        if tok.type == tokenize.COMMENT:
            return tok.start[0], tok.start[1] + 1, "contains a comment in a replacement field"
        if tok.type == tokenize.STRING:
            if quote[0] in tok.string.lstrip("rRbBuU")[:3] and (
                    len(quote) == 3 or tok.string.lstrip("rRbBuU")[0] == quote[0]):
                return tok.start[0], tok.start[1] + 1, "reuses its enclosing quote"
            if "\\" in tok.string:
                return tok.start[0], tok.start[1] + 1, "contains a backslash in a replacement field"
        if tok.type == tokenize.NL and len(quote) == 1:
            return tok.start[0], tok.start[1] + 1, "spans lines inside a single-quoted f-string"
    return None


def _quote_of(start: str) -> str:
    body = start.lstrip("fFrRbBtT")
    return body[:3] if body[:3] in ('"""', "'''") else body[:1]
