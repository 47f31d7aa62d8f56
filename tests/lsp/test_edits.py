"""The server's text edits on realistic buffers: suppressions and inserted imports."""

from __future__ import annotations

from lsprotocol import types

from ssot_lint.lsp.edits import import_insertion, replace_lines, suppression_edit
from ssot_lint.model.finding import Finding
from tests.lsp._project import apply_edit


def _finding(line: int, code: str = "SSOT111") -> Finding:
    return Finding(path="pkg/app.py", line=line, column=1, code=code, rule="r",
                   severity="warning", message="m")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_suppression_is_added_at_the_end_of_the_line() -> None:
    text = "import os\nfrom pkg.old import Thing  # the old home\n"
    edit = suppression_edit(text, _finding(2), utf16)
    assert edit is not None
    assert apply_edit(text, edit) == (
        "import os\nfrom pkg.old import Thing  # the old home  # ssot-lint: ignore[SSOT111]\n")


def test_a_code_joins_the_directive_already_on_the_line() -> None:
    text = "from pkg.old import Thing  # ssot-lint: ignore[SSOT112]\n"
    edit = suppression_edit(text, _finding(1), utf16)
    assert edit is not None
    assert apply_edit(text, edit) == \
        "from pkg.old import Thing  # ssot-lint: ignore[SSOT112, SSOT111]\n"


def test_no_comment_after_a_line_continuation() -> None:
    assert suppression_edit("from pkg.old import Thing, \\\n    Other\n", _finding(1),
                            utf16) is None


def test_position_counts_the_clients_units() -> None:
    text = "from pkg.old import Thing  # café ☕\n"
    edit = suppression_edit(text, _finding(1), utf16)
    assert edit is not None
    assert edit.range.start == types.Position(line=0, character=utf16(text.rstrip("\n")))


def test_import_goes_after_docstring_and_future_before_the_first_import() -> None:
    text = '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nX = Thing()\n'
    edit = import_insertion(text, "from pkg.new import Thing")
    assert edit is not None
    assert apply_edit(text, edit) == ('"""Doc."""\nfrom __future__ import annotations\n\n'
                                      'from pkg.new import Thing\nimport os\n\nX = Thing()\n')


def test_import_after_the_docstring_when_there_is_no_import() -> None:
    text = '"""Doc\n\nmore."""\nX = Thing()\n'
    edit = import_insertion(text, "from pkg.new import Thing")
    assert edit is not None
    assert apply_edit(text, edit) == '"""Doc\n\nmore."""\nfrom pkg.new import Thing\nX = Thing()\n'
    assert import_insertion("def broken(:\n", "import os") is None


def test_replace_lines_touches_only_the_lines_that_differ() -> None:
    old = "a\nb\nc\nd\n"
    edit = replace_lines(old, "a\nB\nc\nd\n")
    assert (edit.range.start.line, edit.range.end.line, edit.new_text) == (1, 2, "B\n")
    assert apply_edit(old, edit) == "a\nB\nc\nd\n"
