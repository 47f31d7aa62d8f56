"""Files are decoded as the interpreter would, and positions match an editor's.

Bad bytes are findings (SSOT002), never exceptions.
"""

from __future__ import annotations

import pytest

from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.facts import FileFacts

TARGET = (3, 11)


def imports_at(data: bytes) -> list[tuple[str, int, int]]:
    result = extract_facts(data, TARGET)
    assert result.problem is None, result.problem
    return [(f.module, f.line, f.col) for f in result.imports]


def problem(data: bytes) -> tuple[str, int]:
    result: FileFacts = extract_facts(data, TARGET)
    assert result.problem is not None
    return result.problem.code, result.problem.line


def test_pep263_latin1_declaration_is_honoured_with_character_columns() -> None:
    data = "# -*- coding: latin-1 -*-\nx = 'café'; import os\n".encode("latin-1")
    assert b"\xe9" in data  # really latin-1 bytes, invalid as UTF-8
    assert imports_at(data) == [("os", 2, 20)]


def test_utf8_bom_is_stripped_and_columns_unaffected() -> None:
    assert imports_at(b"\xef\xbb\xbfimport os\n") == [("os", 1, 8)]


def test_bom_with_matching_utf8_declaration_is_fine() -> None:
    assert imports_at(b"\xef\xbb\xbf# -*- coding: utf-8 -*-\nimport os\n") == [("os", 2, 8)]


def test_bom_with_a_conflicting_declaration_is_unreadable() -> None:
    result = extract_facts(b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport os\n", TARGET)
    assert result.problem is not None and result.problem.code == "SSOT002"
    assert "encoding" in result.problem.message


def test_unknown_codec_declaration_is_unreadable() -> None:
    assert problem(b"# -*- coding: no-such-codec -*-\nimport os\n") == ("SSOT002", 1)


def test_bytes_invalid_in_the_declared_encoding_point_at_their_line() -> None:
    code, line = problem(b"# coding: ascii\nimport os\nx = '\xc3\xa9'\n")
    assert (code, line) == ("SSOT002", 3)
    message = extract_facts(b"# coding: ascii\nimport os\nx = '\xc3\xa9'\n", TARGET).problem
    assert message is not None and "ascii" in message.message and "PEP 263" in message.message


def test_invalid_utf8_without_declaration_is_unreadable_at_its_line() -> None:
    assert problem(b"import os\n\nx = '\xff'\n") == ("SSOT002", 3)


def test_null_byte_is_unreadable_at_its_line() -> None:
    data = b"import os\nx = 1\ny = '\x00'\n"
    assert problem(data) == ("SSOT002", 3)
    assert "null byte" in (extract_facts(data, TARGET).problem.message)  # type: ignore[union-attr]


@pytest.mark.parametrize(("data", "expected"), [
    (b"import os\r\n\r\nimport sys\r\n", [("os", 1, 8), ("sys", 3, 8)]),
    (b"import os\r\rimport sys\r", [("os", 1, 8), ("sys", 3, 8)]),
    (b"import os\r\n\rimport sys\nimport re\r", [("os", 1, 8), ("sys", 3, 8), ("re", 4, 8)]),
    (b"from a import (\r\n    b,\r\n    c,\r\n)\r\n", [("a", 2, 5), ("a", 3, 5)]),
], ids=["crlf", "cr-only", "mixed", "crlf-multiline"])
def test_line_endings_give_editor_line_numbers(data: bytes,
                                               expected: list[tuple[str, int, int]]) -> None:
    assert imports_at(data) == expected


def test_crlf_syntax_error_line() -> None:
    assert problem(b"import os\r\n\r\ndef f(:\r\n    pass\r\n") == ("SSOT001", 3)


def test_crlf_suppression_line() -> None:
    result = extract_facts(b"import os\r\nimport a  # ssot-lint: ignore\r\n", TARGET)
    assert [(s.line, s.col) for s in result.suppressions] == [(2, 11)]


def test_non_ascii_columns_are_character_columns() -> None:
    source = "x = 'é'; import os\ny = '日本😀'; from a import (b, c)\n".encode()
    assert imports_at(source) == [("os", 1, 17), ("a", 2, 27), ("a", 2, 30)]
    assert extract_facts(source, TARGET).imports[1].end_col == 28


def test_non_ascii_syntax_error_column_is_a_character_column() -> None:
    result = extract_facts("x = '日本' +* 2\n".encode(), TARGET)
    assert result.problem is not None
    assert (result.problem.line, result.problem.col) == (1, 11)
