"""Property tests: fact extraction, decoding and suppression parsing never raise.

Inputs are arbitrary bytes, arbitrary text, and programs generated from Python's grammar
by hypothesmith. Where CPython itself can judge the input, it is the oracle: a file is
reported unparsable (SSOT001/SSOT002) exactly when this interpreter's parser refuses it.
Budgets are small and seeded by default; SSOT_LINT_FUZZ=long runs a hundred times more
fresh examples (see _budget.py).
"""

from __future__ import annotations

import ast
import sys
import warnings

import hypothesmith
from hypothesis import assume, given
from hypothesis import strategies as st

from ssot_lint.facts.decode import Decoded, decode_source
from ssot_lint.facts.extract import extract_facts
from ssot_lint.facts.suppressions import find_suppressions, parse_directive
from ssot_lint.model.facts import FileFacts
from tests.trust._budget import fuzz

INTERPRETER = (sys.version_info.major, sys.version_info.minor)
TARGETS = st.sampled_from([(3, 8), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14), INTERPRETER])
PYTHONISH = st.lists(st.sampled_from(
    ["import a.b\n", "from . import x\n", "from .. m import (y,\n z)\n", "if x:\n", "    ",
     "\t", "def f(", "):\n", "class C:\n", "try:\n", "except ImportError:\n", "pass\n",
     "# ssot-lint: ignore[SSOT101]\n", "'''", '"', "f'{", "}'", "\\\n", "\r\n", "\r", "\x0c",
     "lambda: ", "async ", "match x:\n", "case 1:\n", "type X = int\n", "\ufeff", "\x00",
     "# -*- coding: latin-1 -*-\n", "é", "import importlib\nimportlib.import_module('q')\n"]),
    max_size=30).map("".join)


def _well_formed(facts: FileFacts, line_count: int) -> None:
    for fact in facts.imports:
        assert 1 <= fact.line <= fact.end_line <= line_count + 1
        assert fact.col >= 1 and fact.stmt_line <= fact.line
    for suppression in facts.suppressions:
        assert 1 <= suppression.line <= line_count + 1


def _cpython_accepts(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@fuzz(150)
@given(data=st.binary(max_size=3000), target=TARGETS)
def test_arbitrary_bytes_never_raise(data: bytes, target: tuple[int, int]) -> None:
    facts = extract_facts(data, target)
    _well_formed(facts, data.count(b"\n") + data.count(b"\r"))


@fuzz(150)
@given(text=PYTHONISH, target=TARGETS)
def test_python_shaped_noise_never_raises(text: str, target: tuple[int, int]) -> None:
    data = text.encode("utf-8", "surrogatepass")
    facts = extract_facts(data, target)
    _well_formed(facts, text.count("\n") + text.count("\r"))


@fuzz(30)
@given(source=hypothesmith.from_grammar())
def test_generated_programs_agree_with_cpython(source: str) -> None:
    """At the interpreter's own version, SSOT001 exactly when CPython's parser says no."""
    assume("\x00" not in source)
    try:
        data = source.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be a file's content
        assume(False)
        return
    facts = extract_facts(data, INTERPRETER)
    decoded = decode_source(data)
    accepted = isinstance(decoded, Decoded) and _cpython_accepts(decoded.text)
    assert (facts.problem is None) == accepted, facts.problem
    _well_formed(facts, source.count("\n") + source.count("\r"))


@fuzz(15)
@given(source=hypothesmith.from_node())
def test_valid_programs_from_libcst_are_never_syntax_errors(source: str) -> None:
    assume(_cpython_accepts(source))
    facts = extract_facts(source.encode("utf-8", "surrogatepass"), INTERPRETER)
    if facts.problem is not None:  # only an undecodable surrogate may make it unreadable
        assert facts.problem.code == "SSOT002", facts.problem


@fuzz(150)
@given(data=st.binary(max_size=2000))
def test_decoding_never_raises_and_round_trips_utf8(data: bytes) -> None:
    decoded = decode_source(data)
    if isinstance(decoded, Decoded):
        assert "\r" not in decoded.text
        assert not decoded.text.startswith("\ufeff")


@fuzz(150)
@given(text=st.text(max_size=500))
def test_decoding_utf8_text_gives_it_back(text: str) -> None:
    assume("\x00" not in text and not text.startswith("\ufeff"))
    decoded = decode_source(text.encode("utf-8", "surrogatepass"))
    if isinstance(decoded, Decoded):
        assert decoded.text == text.replace("\r\n", "\n").replace("\r", "\n")


@fuzz(500)
@given(comment=st.text(max_size=200))
def test_suppression_directives_never_raise(comment: str) -> None:
    parsed = parse_directive(comment)
    if parsed is not None:
        word, codes = parsed
        assert word in ("ignore", "ignore-file")
        assert list(codes) == sorted(set(codes))


@fuzz(150)
@given(text=st.text(max_size=800) | PYTHONISH)
def test_finding_suppressions_never_raises(text: str) -> None:
    for suppression in find_suppressions(text):
        assert suppression.line >= 1 and suppression.col >= 1


@fuzz(200)
@given(codes=st.lists(st.from_regex(r"SSOT[0-9]{3}", fullmatch=True), min_size=1, max_size=5),
       word=st.sampled_from(["ignore", "ignore-file"]), prefix=st.sampled_from(["", "noqa  "]))
def test_suppression_directives_round_trip(codes: list[str], word: str, prefix: str) -> None:
    text = f"import x  # {prefix}ssot-lint: {word}[{', '.join(codes).lower()}]\n"
    [suppression] = find_suppressions(text)
    assert suppression.codes == tuple(sorted(set(codes)))
    assert suppression.file_level == (word == "ignore-file")
