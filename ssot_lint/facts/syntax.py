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

# Limits of every CPython parser: a file hitting one is a plain syntax error.
PARSER_LIMITS = ("too many nested parentheses", "too many levels of indentation",
                 "too many statically nested blocks", "too many nested f-strings")
# Bounds for consulting libcst (see ``_libcst_affordable``).
LIBCST_MAX_CHARS = 256 * 1024
LIBCST_MAX_STATEMENT_TOKENS = 1_000


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
        if (exc.msg or "").startswith(PARSER_LIMITS):
            # every Python has these limits: newer syntax cannot be the cause
            raise TargetSyntaxError(exc.msg, line, col) from None
        if target > INTERPRETER and _libcst_accepts(text, target):
            return _parse_newer(text, target, exc)
        newer = _needed_version(text, target)
        if newer is not None:
            raise TargetSyntaxError(
                f"{exc.msg}: this syntax requires Python {newer[0]}.{newer[1]}, but the "
                f"project targets {target[0]}.{target[1]} (set target_version if that is "
                "wrong)", line, col) from None
        if target > INTERPRETER and not _libcst_affordable(text):
            raise TargetSyntaxError(
                f"{exc.msg or 'invalid syntax'} (if this is Python {target[0]}.{target[1]} "
                f"syntax, run ssot-lint with Python {target[0]}.{target[1]}: on "
                f"{INTERPRETER[0]}.{INTERPRETER[1]} newer syntax is read with libcst, which is "
                f"not used for files over {LIBCST_MAX_CHARS:,} characters or with a statement "
                f"of over {LIBCST_MAX_STATEMENT_TOKENS:,} tokens)", line, col) from None
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


def _libcst_affordable(text: str) -> bool:
    """Whether libcst can parse ``text`` quickly and safely.

    libcst's parser is superlinear on long expression chains (a 3,000-term sum takes
    ~18 s, 200,000 terms hours) and overflows its native stack on very deep nesting (a
    segfault, not an exception), and it is consulted up to four times per file with a
    syntax error. So it is only used on files of bounded size whose statements are of
    bounded length; the bound is measured with ``tokenize`` (linear, never recursive).
    """
    if len(text) > LIBCST_MAX_CHARS:
        return False
    count = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                count = 0
            else:
                count += 1
                if count > LIBCST_MAX_STATEMENT_TOKENS:
                    return False
    except (tokenize.TokenError, SyntaxError):
        return max(map(len, text.splitlines()), default=0) <= LIBCST_MAX_STATEMENT_TOKENS
    return True


def _libcst_accepts(text: str, version: tuple[int, int]) -> bool:
    if not _libcst_affordable(text):
        return False
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

        # PEP 695 (3.12): lower ``type X = ...`` to an assignment and drop ``[T]``
        # parameter lists, so an older ``ast`` still sees every name and import.
        def leave_TypeAlias(self, original_node: cst.TypeAlias,
                            updated_node: cst.TypeAlias) -> cst.BaseSmallStatement:
            return cst.Assign(targets=[cst.AssignTarget(updated_node.name)],
                              value=updated_node.value)

        def leave_FunctionDef(self, original_node: cst.FunctionDef,
                              updated_node: cst.FunctionDef) -> cst.FunctionDef:
            return updated_node.with_changes(type_parameters=None)

        def leave_ClassDef(self, original_node: cst.ClassDef,
                           updated_node: cst.ClassDef) -> cst.ClassDef:
            return updated_node.with_changes(type_parameters=None)

    try:
        module = cst.parse_module(text, config=cst.PartialParserConfig(
            python_version=f"{target[0]}.{target[1]}"))
        default_at = _type_param_default(module) if target < (3, 13) else None
        tree = None if default_at else _parse(module.visit(Blank()).code, None)
    except Exception:  # noqa: BLE001
        raise TargetSyntaxError(
            f"{original.msg}: the file uses Python {target[0]}.{target[1]} syntax that ssot-lint "
            f"cannot read while running on Python {INTERPRETER[0]}.{INTERPRETER[1]}; run "
            f"ssot-lint with Python {target[0]}.{target[1]} or newer",
            original.lineno or 1, original.offset or 1) from None
    if tree is None:
        line, col = default_at or (1, 1)
        raise TargetSyntaxError(
            "type parameter default: this syntax requires Python 3.13 (PEP 696), but the "
            f"project targets {target[0]}.{target[1]}", line, col)
    return tree


def _type_param_default(module: object) -> tuple[int, int] | None:
    """Where the first PEP 696 type parameter default is (libcst accepts it for 3.12)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    assert isinstance(module, cst.Module)
    if "=" not in module.code:
        return None
    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    found = sorted((pos.start.line, pos.start.column + 1) for node, pos in positions.items()
                   if isinstance(node, cst.TypeParam) and node.default is not None)
    return found[0] if found else None


def pep701_problem(text: str) -> tuple[int, int, str] | None:
    """Where an f-string uses syntax that only Python 3.12+ accepts (3.12+ tokenizer only).

    Before PEP 701 an f-string was first lexed as an ordinary string literal, so its
    body could not contain its own closing quote (a nested ``"a"`` inside ``f"..."``,
    though it was fine in a triple-quoted f-string), nor a line break in a single-quoted
    f-string; and its replacement fields could not contain a backslash or a comment.
    The legacy lexing is replayed on each outermost f-string's body, the field rules
    are read from the tokens.
    """
    if "{" not in text:
        return None
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    if fstring_start is None:
        return None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    line_starts = [0]
    for line in text.split("\n")[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    stack: list[tuple[str, int]] = []  # (quote, offset where the body starts)
    for tok in tokens:
        if tok.type == fstring_start:
            stack.append((_quote_of(tok.string),
                          line_starts[tok.start[0] - 1] + tok.start[1] + len(tok.string)))
            continue
        if not stack:
            continue
        if tok.type == fstring_end:
            quote, body_start = stack.pop()
            if not stack:
                body_end = line_starts[tok.start[0] - 1] + tok.start[1]
                found = _legacy_string_problem(text[body_start:body_end], quote)
                if found is not None:
                    offset, why = found
                    return (*_position(text, body_start + offset), why)
            continue
        if tok.type == fstring_middle:
            # depth 1 is the outer literal text and format spec, where escapes are fine;
            # deeper, it is a nested f-string inside a replacement field
            if len(stack) > 1 and "\\" in tok.string:
                return tok.start[0], tok.start[1] + 1, "contains a backslash in a replacement field"
            continue
        if tok.type == tokenize.COMMENT:
            return tok.start[0], tok.start[1] + 1, "contains a comment in a replacement field"
        if tok.type == tokenize.STRING and "\\" in tok.string:
            return tok.start[0], tok.start[1] + 1, "contains a backslash in a replacement field"
    return None


def _legacy_string_problem(body: str, quote: str) -> tuple[int, str] | None:
    """Where a pre-3.12 lexer would have ended (or rejected) a string literal's ``body``."""
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2  # an escaped character (or an escaped line break) never ends a string
            continue
        if body.startswith(quote, index):
            return index, "reuses its enclosing quote"
        if char == "\n" and len(quote) == 1:
            return index, "spans lines inside a single-quoted f-string"
        index += 1
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and character column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _quote_of(start: str) -> str:
    body = start.lstrip("fFrRbBtT")
    return body[:3] if body[:3] in ('"""', "'''") else body[:1]
