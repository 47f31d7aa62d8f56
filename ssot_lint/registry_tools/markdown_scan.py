"""Read a Markdown registry into headings, code fences and parsed Python lines.

This module knows Markdown and Python syntax only; what a line *means* for the
registry (verified, broken, deprecated...) is decided by ``markdown_import``. Python
lines are parsed with ``ast`` and ``tokenize`` (never executed); a parenthesised
multi-line import is joined first so each imported name keeps its own line number.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

PYTHON_FENCES = ("python", "py", "python3")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PATCH = re.compile(r"""\bpatch(?:\.object|\.dict)?\(\s*['"]([A-Za-z_][\w.]*)['"]""")
_PLACEHOLDER = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+(\[[^\]]*\])")
# In prose, "import errors" is English: only dotted module paths count as imports there.
PROSE_IMPORT = re.compile(r"\bfrom\s+[A-Za-z_]\w*(?:\.\w+)+\s+import\s+[\w(*\[]|"
                          r"\bimport\s+[A-Za-z_]\w*(?:\.\w+)+|@patch\(")
IMPORT_TEXT = re.compile(r"(?:^|[\s`(])(?:from\s+\.*[A-Za-z_][\w.]*\s+import\s+[\w(*\[]|"
                         r"import\s+[A-Za-z_][\w.]*\s*(?:$|#|,| as ))")


@dataclass(frozen=True)
class Name:
    """One imported name and the line it is written on (its own line in a
    parenthesised import), with that line's trailing comment."""

    module: str
    name: str | None  # None for ``import a.b``
    line: int
    comment: str

    @property
    def path(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True)
class PyLine:
    """One logical line of a Python fence.

    ``kind``: "import" (``module`` + ``names``), "patch" (``target``), "placeholder",
    "comment", "blank" or "code" (anything else, including unparsable text).
    ``module`` is set for placeholders (``from m import [CLASSES]``).
    """

    kind: str
    line: int
    text: str
    comment: str = ""  # trailing comment text (after '#'), or the whole comment line
    module: str = ""
    names: tuple[Name, ...] = ()
    target: str = ""


@dataclass
class Fence:
    """A fenced code block with the headings it sits under (outermost first)."""

    language: str
    start: int  # line of the opening fence
    headings: tuple[str, ...]
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_python(self) -> bool:
        return self.language.lower() in PYTHON_FENCES


@dataclass
class Document:
    fences: list[Fence]
    prose: list[tuple[int, str]]  # lines outside fences that are not headings


def scan_markdown(text: str) -> Document:
    """Split ``text`` into fences (with their heading chain) and prose lines."""
    headings: list[tuple[int, str]] = []
    fences: list[Fence] = []
    prose: list[tuple[int, str]] = []
    current: Fence | None = None
    marker = ""
    indent = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(raw)
        if current is not None:
            if fence and fence.group(1)[0] == marker[0] and len(fence.group(1)) >= len(marker) \
                    and not fence.group(2):
                current = None
            else:
                current.lines.append((number, _dedent(raw, indent)))
            continue
        if fence:
            marker = fence.group(1)
            indent = len(raw) - len(raw.lstrip(" "))  # a fence inside a list item
            current = Fence(fence.group(2), number, tuple(h for _, h in headings))
            fences.append(current)
            continue
        heading = _HEADING.match(raw)
        if heading:
            level = len(heading.group(1))
            headings = ([(lvl, h) for lvl, h in headings if lvl < level]
                        + [(level, heading.group(2))])
            continue
        prose.append((number, raw))
    return Document(fences, prose)


def _dedent(line: str, indent: int) -> str:
    """Remove up to ``indent`` leading spaces, as CommonMark does for fence content."""
    strip = min(indent, len(line) - len(line.lstrip(" ")))
    return line[strip:]


def split_comment(code: str) -> tuple[str, str]:
    """(code, comment) for one line, using the tokenizer so '#' in strings is kept."""
    if "#" not in code:
        return code.rstrip(), ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
            if token.type == tokenize.COMMENT:
                col = token.start[1]
                return code[:col].rstrip(), token.string[1:].strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    head, _, tail = code.partition(" #")
    return head.rstrip(), tail.strip() if tail else ""


def parse_python(lines: list[tuple[int, str]]) -> list[PyLine]:
    """Classify the lines of a Python fence, joining parenthesised imports."""
    out: list[PyLine] = []
    index = 0
    while index < len(lines):
        number, raw = lines[index]
        stripped = raw.strip()
        index += 1
        if not stripped:
            out.append(PyLine("blank", number, raw))
            continue
        if stripped.startswith("#"):
            out.append(PyLine("comment", number, raw, comment=stripped.lstrip("#").strip()))
            continue
        code, comment = split_comment(raw)
        placeholder = _PLACEHOLDER.match(code)
        if placeholder:
            out.append(PyLine("placeholder", number, raw, comment, module=placeholder.group(1),
                              target=placeholder.group(2)))
            continue
        patch = _PATCH.search(code)
        if patch and code.lstrip().startswith(("@", "with ", "patch", "mock.")):
            out.append(PyLine("patch", number, raw, comment, target=patch.group(1)))
            continue
        parts = [(number, code, comment)]
        if re.match(r"^\s*from\s+\S+\s+import\s*\(", code) and ")" not in code:
            while index < len(lines):
                more_number, more_raw = lines[index]
                index += 1
                more_code, more_comment = split_comment(more_raw)
                parts.append((more_number, more_code, more_comment))
                if ")" in more_code:
                    break
        out.append(_import_or_code(parts, raw))
    return out


def _import_or_code(parts: list[tuple[int, str, str]], raw: str) -> PyLine:
    number, _, first_comment = parts[0]
    source = "\n".join(code for _, code, _ in parts)
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return PyLine("code", number, raw, first_comment)
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
        return PyLine("code", number, raw, first_comment)
    node = tree.body[0]
    if isinstance(node, ast.Import):
        names = tuple(Name(alias.name, None, number, first_comment) for alias in node.names)
        return PyLine("import", number, raw, first_comment, names=names)
    if node.level or node.module is None:
        return PyLine("code", number, raw, first_comment)
    by_line = {n: c for n, _, c in parts}
    line_of = [n for n, _, _ in parts]
    last_comment = parts[-1][2]
    found: list[Name] = []
    for alias in node.names:
        line = line_of[min(alias.lineno - 1, len(line_of) - 1)]
        comment = by_line.get(line, "") or first_comment or last_comment
        found.append(Name(node.module, alias.name, line, comment))
    return PyLine("import", number, raw, first_comment, names=tuple(found))
