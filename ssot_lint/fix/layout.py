"""Keep an import block the way an isort-compatible sorter (ruff's ``I`` rules) wants it.

A project that sorts its imports with ruff or isort fails its own lint when ``fix``
appends ``from x import y`` after the statement it came from. So when a block of import
statements that ``fix`` touches was already sorted — judged by sorting it here and
finding nothing to move — the rewritten block is sorted the same way: sections
(``__future__``, standard library, third party, first party, relative) separated by one
blank line, ``import x`` before ``from x import y`` within a section (ruff's default
``force-sort-within-sections = false``), modules and names in ruff's default order
(case-insensitive natural order; constants, then classes, then the rest), and every
statement ``fix`` wrote laid out as ruff would: on one line when it fits in the line
length, else one name per line in parentheses with a trailing comma (a trailing comma
the statement had keeps it that way). A block that was not sorted keeps its order: the
project does not sort, and moving its lines would be noise.

The sort is a reimplementation of the documented behaviour, not a call to ruff (which is
not a dependency); the check that the original block is already in this order is what
protects a project whose sections differ (say, a module ruff would class as first
party that is not in the registry's ``[project].packages``): its block does not count as
sorted, and ``fix`` leaves the order alone.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
DEFAULT_LINE_LENGTH = 88  # ruff's and black's default
_STDLIB = frozenset(sys.stdlib_module_names)
_BLANK = cst.EmptyLine(indent=False)


@dataclass(frozen=True)
class Style:
    """What the sort needs to know about the project."""

    first_party: frozenset[str]  # top-level package names
    line_length: int = DEFAULT_LINE_LENGTH
    indent: str = "    "  # one level, as the file indents


def project_style(first_party: frozenset[str], root: Path | None) -> Style:
    """The style of the project at ``root``: ruff's settings where it has them.

    ``[tool.ruff] line-length`` and ``[tool.ruff.lint.isort] known-first-party`` (also
    without ``.lint``) are honoured; like ruff's default ``src = [".", "src"]``, a
    top-level directory or module of the project root (or of ``src/``) is first party.
    """
    names = set(first_party)
    line_length = DEFAULT_LINE_LENGTH
    if root is not None:
        for base in (root, root / "src"):
            try:
                entries = list(base.iterdir()) if base.is_dir() else []
            except OSError:
                entries = []
            for entry in entries:
                if entry.suffix in (".py", ".pyi") and entry.is_file():
                    names.add(entry.stem)
                elif entry.is_dir() and entry.name.isidentifier():
                    names.add(entry.name)
        ruff = _ruff_settings(root)
        length = ruff.get("line-length")
        if isinstance(length, int) and not isinstance(length, bool) and length > 0:
            line_length = length
        lint = ruff.get("lint")
        for table in (ruff.get("isort"), lint.get("isort") if isinstance(lint, dict) else None):
            known = table.get("known-first-party") if isinstance(table, dict) else None
            if isinstance(known, list):
                names.update(k.split(".")[0] for k in known if isinstance(k, str))
    return Style(first_party=frozenset(names), line_length=line_length)


def _ruff_settings(root: Path) -> dict[str, Any]:
    for name, nested in (("ruff.toml", False), (".ruff.toml", False),
                         ("pyproject.toml", True)):
        path = root / name
        try:
            if not path.is_file() or path.stat().st_size > 1_000_000:
                continue
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            continue
        if nested:
            tool = data.get("tool")
            data = tool.get("ruff") if isinstance(tool, dict) else None
            if not isinstance(data, dict):
                continue
        return dict(data)
    return {}


# -- ordering --------------------------------------------------------------------------

def _natural(text: str) -> tuple[tuple[int, int], ...]:
    """Natural order: runs of digits compare as numbers (``x2`` before ``x10``)."""
    key: list[tuple[int, int]] = []
    digits = ""
    for char in text:
        if char.isdigit():
            digits += char
            continue
        if digits:
            key.append((ord("0"), int(digits)))
            digits = ""
        key.append((ord(char), 0))
    if digits:
        key.append((ord("0"), int(digits)))
    return tuple(key)


def _member_type(name: str) -> int:
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        return 0  # CONSTANT
    if name[:1].isupper():
        return 1  # Class
    return 2  # variable


def member_key(name: str, asname: str | None) -> tuple[object, ...]:
    """Where ``name`` (``as asname``) goes among the names of one ``from`` import."""
    return (name != "*", _member_type(name), _natural(name.lower()), _natural(name),
            (0,) if asname is None else (1, _natural(asname)))


def dotted_name(node: cst.BaseExpression | None) -> str:
    """``a.b.c`` for a libcst name or attribute chain ("" for None)."""
    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    raise ValueError(f"not a dotted name: {node!r}")


def _aliases(stmt: cst.Import | cst.ImportFrom) -> list[tuple[str, str | None]]:
    if isinstance(stmt, cst.ImportFrom) and isinstance(stmt.names, cst.ImportStar):
        return [("*", None)]
    names = stmt.names
    assert not isinstance(names, cst.ImportStar)
    out = []
    for alias in names:
        asname = alias.asname.name if alias.asname is not None else None
        out.append((dotted_name(alias.name),
                    asname.value if isinstance(asname, cst.Name) else None))
    return out


def category(stmt: cst.Import | cst.ImportFrom, style: Style) -> int:
    """The section a statement belongs to."""
    if isinstance(stmt, cst.ImportFrom):
        if stmt.relative:
            return LOCAL
        module = dotted_name(stmt.module)
    else:
        module = dotted_name(stmt.names[0].name)
    top = module.split(".")[0]
    if top == "__future__":
        return FUTURE
    if top in style.first_party:
        return FIRST_PARTY
    if top in _STDLIB:
        return STDLIB
    return THIRD_PARTY


def statement_key(stmt: cst.Import | cst.ImportFrom) -> tuple[object, ...]:
    """Where a statement goes within its section: ``import`` lines first, then ``from``."""
    aliases = _aliases(stmt)
    if isinstance(stmt, cst.Import):
        name, asname = aliases[0]
        return (0, 0, _natural(name.lower()), _natural(name),
                () if asname is None else (_natural(asname),))
    module = dotted_name(stmt.module)
    first = min(member_key(n, a) for n, a in aliases)
    # further from the package first (``from .. import`` before ``from . import``)
    return (1, -len(stmt.relative), (0,) if stmt.module is None else
            (1, _natural(module.lower())), _natural(module), first)


def _merge_key(stmt: cst.Import | cst.ImportFrom) -> tuple[int, str] | None:
    """Statements with equal keys in one section are one statement to ruff."""
    if not isinstance(stmt, cst.ImportFrom) or isinstance(stmt.names, cst.ImportStar):
        return None
    if any(a is not None for _, a in _aliases(stmt)):
        return None  # ruff keeps `from x import a as b` on its own (combine-as-imports off)
    return (len(stmt.relative), dotted_name(stmt.module))


# -- the block ------------------------------------------------------------------------

def _only_import(line: cst.SimpleStatementLine) -> cst.Import | cst.ImportFrom | None:
    if len(line.body) != 1 or not isinstance(line.body[0], (cst.Import, cst.ImportFrom)):
        return None
    stmt = line.body[0]
    if isinstance(stmt, cst.Import) and len(stmt.names) != 1:
        return None  # ruff splits `import a, b`
    return stmt


def _blanks_before(line: cst.SimpleStatementLine) -> int:
    return sum(1 for empty in line.leading_lines if empty.comment is None)


def _has_atop(line: cst.SimpleStatementLine) -> bool:
    return any(empty.comment is not None for empty in line.leading_lines)


def _order(lines: Sequence[cst.SimpleStatementLine], style: Style
           ) -> list[tuple[int, int]] | None:
    """(category, index) of each line in sorted order, or None when it cannot be sorted."""
    keyed = []
    for index, line in enumerate(lines):
        stmt = _only_import(line)
        if stmt is None:
            return None
        keyed.append(((category(stmt, style), statement_key(stmt)), index))
    keyed.sort(key=lambda pair: pair[0])
    return [(key[0], index) for key, index in keyed]


def is_sorted(lines: Sequence[cst.SimpleStatementLine], style: Style) -> bool:
    """True when sorting ``lines`` (one run of import statements) changes nothing."""
    order = _order(lines, style)
    if order is None or [index for _, index in order] != list(range(len(lines))):
        return False
    seen: set[tuple[int, tuple[int, str]]] = set()
    for position, (section, index) in enumerate(order):
        line = lines[index]
        stmt = line.body[0]
        assert isinstance(stmt, (cst.Import, cst.ImportFrom))
        # one blank line between sections and above a comment over a statement
        wanted = position > 0 and (section != order[position - 1][0] or _has_atop(line))
        if position and _blanks_before(line) != int(wanted):
            return False
        if _has_atop(line) and line.leading_lines[-1].comment is None:
            return False  # a comment separated from its statement by a blank line
        names = _aliases(stmt)
        if names != sorted(names, key=lambda n: member_key(*n)):
            return False
        merge = _merge_key(stmt)
        if merge is not None:
            if (section, merge) in seen:
                return False
            seen.add((section, merge))
    return True


def sort_block(lines: Sequence[cst.SimpleStatementLine], touched: set[int], style: Style,
               block_indent: int) -> list[cst.SimpleStatementLine] | None:
    """``lines`` sorted, with the lines in ``touched`` (by ``id``) laid out afresh.

    The first line's leading lines (what precedes the block) stay first; comment lines
    above any other statement move with it; sections get exactly one blank line.
    """
    order = _order(lines, style)
    if order is None:
        return None
    header = list(lines[0].leading_lines)
    out: list[cst.SimpleStatementLine] = []
    previous: int | None = None
    for section, index in order:
        line = lines[index]
        if id(line) in touched:
            line = layout(line, style, block_indent)
        atop = [] if index == 0 else [e for e in line.leading_lines if e.comment is not None]
        if previous is None:
            leading = header + atop
        elif section != previous or atop:
            leading = [_BLANK, *atop]
        else:
            leading = atop
        out.append(line.with_changes(leading_lines=leading))
        previous = section
    return out


def _comment_after(whitespace: cst.BaseParenthesizableWhitespace | None) -> str | None:
    if isinstance(whitespace, cst.ParenthesizedWhitespace) and \
            whitespace.first_line.comment is not None:
        return whitespace.first_line.comment.value
    return None


def _count_comments(node: cst.CSTNode) -> int:
    count = 0

    class _Count(cst.CSTVisitor):
        def visit_Comment(self, node: cst.Comment) -> None:
            nonlocal count
            count += 1

    node.visit(_Count())
    return count


def layout(line: cst.SimpleStatementLine, style: Style, block_indent: int
           ) -> cst.SimpleStatementLine:
    """A ``from`` import with sorted names on one line, or wrapped as ruff wraps it.

    A comment after ``(`` or after a name goes where ruff puts it; a statement with
    other comments inside (a comment on a line of its own) keeps its form.
    """
    stmt = line.body[0]
    if not isinstance(stmt, cst.ImportFrom) or isinstance(stmt.names, cst.ImportStar):
        return line
    opening = _comment_after(stmt.lpar.whitespace_after) if stmt.lpar else None
    per_name: dict[tuple[str, str | None], str] = {}
    for (name, asname), alias in zip(_aliases(stmt), stmt.names, strict=True):
        after = alias.comma.whitespace_after if isinstance(alias.comma, cst.Comma) \
            else (stmt.rpar.whitespace_before if alias is stmt.names[-1] and stmt.rpar
                  else None)
        found = _comment_after(after)
        if found is not None:
            per_name[(name, asname)] = found
    if _count_comments(stmt) != len(per_name) + (opening is not None):
        return line  # a comment on a line of its own inside the statement
    names = sorted(_aliases(stmt), key=lambda n: member_key(*n))
    items = [f"{n} as {a}" if a else n for n, a in names]
    module = "." * len(stmt.relative) + dotted_name(stmt.module)
    comment = line.trailing_whitespace.comment
    magic = stmt.rpar is not None and isinstance(stmt.names[-1].comma, cst.Comma)
    single = f"from {module} import {', '.join(items)}"
    width = block_indent + len(single) + (2 + len(comment.value) if comment else 0)
    if not magic and not per_name and opening is None and width <= style.line_length:
        code = single
    else:
        body = "".join(f"{style.indent}{item},"
                       + (f"  {per_name[key]}" if key in per_name else "") + "\n"
                       for item, key in zip(items, names, strict=True))
        code = f"from {module} import ({'  ' + opening if opening else ''}\n{body})"
    new = cst.parse_statement(code + "\n")
    assert isinstance(new, cst.SimpleStatementLine)
    trailing = line.trailing_whitespace
    if comment is not None:
        trailing = trailing.with_changes(whitespace=cst.SimpleWhitespace("  "))
    return line.with_changes(body=new.body, trailing_whitespace=trailing)
