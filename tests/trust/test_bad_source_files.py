"""Odd, broken and hostile source files: each becomes a finding, never a crash.

One project holds every case next to a healthy file; ``ssot-lint check`` runs over it
once, as a separate process, and each case asserts its own finding (code, line and a
message a user can act on). The healthy file's finding must survive all of them: one
bad file never stops the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.trust._cli import CliResult, assert_clean_exit, run_cli_subprocess

LONG_LINE = "x = [" + "1, " * 350_000 + "]\n"  # one line of ~1 MB

# path -> (content, expected (line, code) findings, a fragment of the first finding's message)
CASES: dict[str, tuple[bytes, list[tuple[int, str]], str]] = {
    # syntax errors of many kinds
    "pkg/syn_unclosed_paren.py": (b"x = foo(1,\ny = 2\n", [(1, "SSOT001")], "never closed"),
    "pkg/syn_no_indent.py": (b"def f():\nreturn 1\n", [(2, "SSOT001")], "indented block"),
    "pkg/syn_unexpected_indent.py": (b"x = 1\n    y = 2\n", [(2, "SSOT001")], "unexpected indent"),
    "pkg/syn_unterminated.py": (b'x = "abc\n', [(1, "SSOT001")], "unterminated string"),
    "pkg/syn_unterminated_triple.py": (b'x = 1\ny = """abc\n\n', [(2, "SSOT001")],
                                       "unterminated triple-quoted"),
    "pkg/syn_keyword_target.py": (b"class = 1\n", [(1, "SSOT001")], "invalid syntax"),
    "pkg/syn_assign_call.py": (b"f() = 1\n", [(1, "SSOT001")], "function call"),
    "pkg/syn_stray_else.py": (b"x = 1\nelse:\n    pass\n", [(2, "SSOT001")], "invalid syntax"),
    "pkg/syn_half_import.py": (b"from pkg import\n", [(1, "SSOT001")], "invalid syntax"),
    "pkg/syn_bad_fstring.py": (b'x = 1\ny = f"{"\n', [(2, "SSOT001")], ""),
    # Python 2
    "pkg/py2_print.py": (b'print "hello"\n', [(1, "SSOT001")], "Missing parentheses"),
    "pkg/py2_raise.py": (b"import os\nraise ValueError, 'bad'\n", [(2, "SSOT001")], ""),
    "pkg/py2_octal.py": (b"import os\nmode = 0777\n", [(2, "SSOT001")], "leading zeros"),
    "pkg/py2_backticks.py": (b"x = `1`\n", [(1, "SSOT001")], "invalid syntax"),
    "pkg/py2_exec.py": (b'exec "x = 1"\n', [(1, "SSOT001")], "Missing parentheses"),
    # bytes that are not text
    "pkg/null_byte.py": (b"import os\n\x00\n", [(2, "SSOT002")], "null byte"),
    "pkg/bad_utf8_first_line.py": (b'x = "\xff"\n', [(1, "SSOT002")], "not valid UTF-8"),
    "pkg/bad_utf8_later.py": (b'x = 1\ny = 2\nz = "\xff"\n', [(3, "SSOT002")],
                              "cannot decode as utf-8"),
    # invalid UTF-8 only inside comments imports fine in CPython, so the file is analysed
    "pkg/latin1_comment.py": (b"import pkg.missing_in_commented  # Andr\xe9\n",
                              [(1, "SSOT102")], "pkg.missing_in_commented"),
    "pkg/latin1_comment_first_line.py": (b"# \xa9 J\xfcrgen\nimport pkg.missing_after_comment\n",
                                         [(2, "SSOT102")], "pkg.missing_after_comment"),
    "pkg/surrogate_bytes.py": (b'x = "\xed\xa0\x80"\n', [(1, "SSOT002")], "not valid UTF-8"),
    # PEP 263 declarations and BOMs
    "pkg/wrong_declaration.py": (b'# -*- coding: ascii -*-\nx = "\xc3\xa9"\n', [(2, "SSOT002")],
                                 "cannot decode as ascii"),
    "pkg/unknown_codec.py": (b"# coding: klingon\nx = 1\n", [(1, "SSOT002")],
                             "unknown encoding: klingon"),
    "pkg/latin1_declared.py": (b'# -*- coding: latin-1 -*-\n'
                               b'import pkg.missing_latin\nx = "\xe9"\n',
                               [(2, "SSOT102")], "pkg.missing_latin"),
    "pkg/bom_and_utf8_declaration.py": (b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n"
                                        b"import pkg.missing_bom\n",
                                        [(2, "SSOT102")], "pkg.missing_bom"),
    "pkg/bom_and_latin1_declaration.py": (b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n",
                                          [(1, "SSOT002")], "byte-order mark"),
    "pkg/bom_only.py": (b"\xef\xbb\xbfimport pkg.missing_bom_only\n", [(1, "SSOT102")],
                        "pkg.missing_bom_only"),
    # line endings and indentation
    "pkg/crlf.py": (b'"""doc\r\nstring"""\r\nimport pkg.missing_crlf\r\n', [(3, "SSOT102")],
                    "pkg.missing_crlf"),
    "pkg/cr_only.py": (b"x = 1\r\ry = 2\rimport pkg.missing_cr\r", [(4, "SSOT102")],
                       "pkg.missing_cr"),
    "pkg/mixed_endings.py": (b"x = 1\r\ny = 2\rz = 3\nimport pkg.missing_mixed\n",
                             [(4, "SSOT102")], "pkg.missing_mixed"),
    "pkg/tabs_and_spaces.py": (b"if True:\n\tx = 1\n        y = 2\n", [(3, "SSOT001")],
                               "inconsistent use of tabs"),
    "pkg/tabs_only.py": (b"def f():\n\timport pkg.missing_tab\n", [(2, "SSOT102")],
                         "pkg.missing_tab"),
    # empty and whitespace-only files are fine
    "pkg/empty.py": (b"", [], ""),
    "pkg/blank.py": (b"  \n\n\t\n", [], ""),
    # not Python at all, but named .py
    "pkg/png_image.py": (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)), [(1, "SSOT002")],
                         "not valid UTF-8"),
    "pkg/shell_script.py": (b'#!/bin/sh\necho "hi" && rm -rf "$x"\n', [(2, "SSOT001")], ""),
    "pkg/html_page.py": (b"<html><body>hi</body></html>\n", [(1, "SSOT001")], ""),
    "pkg/yaml_file.py": (b"key: value\nlist:\n  - a\n", [(2, "SSOT001")], ""),
    # size and nesting: the parser's limits, never the process's
    "pkg/long_line.py": (LONG_LINE.encode() + b"import pkg.missing_after_long_line\n",
                         [(2, "SSOT102")], "pkg.missing_after_long_line"),
    "pkg/deep_unary.py": (b"x = " + b"-" * 100_000 + b"1\n", [(1, "SSOT001")], "deeply nested"),
    "pkg/deep_sum.py": (b"x = " + b"+".join([b"a"] * 200_000) + b"\n", [(1, "SSOT001")],
                        "deeply nested"),
    "pkg/deep_lambda.py": (b"x = " + b"lambda: " * 20_000 + b"1\n", [(1, "SSOT001")],
                           "deeply nested"),
    "pkg/deep_parens.py": (b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n", [(1, "SSOT001")],
                           "too many nested parentheses"),
    "pkg/deep_blocks.py": ("".join(" " * i + "if x:\n" for i in range(120)).encode()
                           + b" " * 120 + b"pass\n", [(101, "SSOT001")], "levels of indentation"),
    # a long chain *with* a syntax error: must not send a slow parser into a spin
    "pkg/long_chain_syntax_error.py": (b"x = " + b"+".join([b"a"] * 20_000) + b" +\n",
                                       [(1, "SSOT001")], "invalid syntax"),
    # deep but legal: analysed normally, no false SSOT001
    "pkg/deep_but_legal.py": (b"import pkg.missing_deep\nx = " + b"+".join([b"a"] * 900) + b"\n",
                              [(1, "SSOT102")], "pkg.missing_deep"),
    # a broken suppression comment is just a comment
    "pkg/broken_suppression.py": (b"import pkg.missing_sup  # ssot-lint: ignore[SSOT102\n",
                                  [(1, "SSOT102")], "pkg.missing_sup"),
    # paths with spaces and non-ASCII characters
    "pkg/m\u00f3dulo.py": (b"import pkg.missing_accent\n", [(1, "SSOT102")],
                                             "pkg.missing_accent"),
    "scripts/my script.py": (b"import pkg.missing_space\n", [(1, "SSOT102")],
                             "pkg.missing_space"),
    "\u00fcber dir/\u6587\u4ef6.py": (b"import pkg.missing_cjk\n", [(1, "SSOT102")],
                                      "pkg.missing_cjk"),
}

HUGE = "pkg/generated_20mb.py"


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult, CliResult]:
    root = tmp_path_factory.mktemp("zoo") / "a project with spaces"
    write_project(root, {"pkg/healthy.py": "import pkg.really_missing\n",
                         **{path: case[0] for path, case in CASES.items()}})
    (root / HUGE).write_bytes(b"value = 1\n" * 2_100_000)  # 21 MB of valid Python
    as_json = run_cli_subprocess(["check", "--format", "json", "--no-cache"], root)
    as_text = run_cli_subprocess(["check", "--no-cache"], root)
    return root, as_json, as_text


def test_the_run_completes_with_findings_and_no_traceback(
        zoo: tuple[Path, CliResult, CliResult]) -> None:
    _, as_json, as_text = zoo
    assert_clean_exit(as_json, 1)
    assert_clean_exit(as_text, 1)
    assert as_json.stderr == ""
    assert as_json.json()["summary"]["files_checked"] == len(CASES) + 5  # + healthy, huge, 3 inits


def test_a_healthy_file_is_still_checked(zoo: tuple[Path, CliResult, CliResult]) -> None:
    _, as_json, _ = zoo
    assert as_json.findings_at("pkg/healthy.py") == [(1, "SSOT102")]


@pytest.mark.parametrize("path", sorted(CASES))
def test_each_bad_file_gets_its_finding(zoo: tuple[Path, CliResult, CliResult], path: str) -> None:
    _, as_json, _ = zoo
    _, expected, fragment = CASES[path]
    assert as_json.findings_at(path) == expected
    if expected:
        message = next(f["message"] for f in as_json.json()["findings"] if f["path"] == path)
        assert fragment in message
        # none of these is newer syntax: the message must not send the user chasing versions
        assert "requires Python" not in message and "cannot read while" not in message


def test_a_20_mb_file_is_reported_not_parsed(zoo: tuple[Path, CliResult, CliResult]) -> None:
    _, as_json, _ = zoo
    [finding] = [f for f in as_json.json()["findings"] if f["path"] == HUGE]
    assert finding["code"] == "SSOT002"
    assert "over max_file_size (10,485,760)" in finding["message"]


def test_text_output_names_odd_paths_verbatim(zoo: tuple[Path, CliResult, CliResult]) -> None:
    _, _, as_text = zoo
    lines = as_text.stdout.splitlines()
    assert "scripts/my script.py:1:8: SSOT102 module `pkg.missing_space` does not exist" in lines
    assert any(line.startswith("\u00fcber dir/\u6587\u4ef6.py:1:8: SSOT102") for line in lines)
    assert any(line.startswith("pkg/m\u00f3dulo.py:1:8: SSOT102") for line in lines)
