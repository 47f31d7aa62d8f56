"""The TOML key scanner behind registry line numbers agrees with ``tomllib``.

``LineIndex`` reads headers and ``key =`` prefixes with a small scanner (a 100,000-entry
registry cost ~15 s per run when every line went through ``tomllib``). The scanner may
say "not sure" (None, and ``tomllib`` decides), but whenever it answers, the answer
must be ``tomllib``'s: these properties hold it to that over generated keys and noise.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from ssot_lint.load.toml_lines import LineIndex, fast_header, fast_key
from tests.trust._budget import fuzz

BARE = st.text("abcXYZ019_-", min_size=1, max_size=6)
QUOTED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
PART = st.one_of(
    BARE,
    QUOTED.filter(lambda s: '"' not in s).map(lambda s: f'"{s}"'),
    QUOTED.filter(lambda s: "'" not in s).map(lambda s: f"'{s}'"),
)
BLANK = st.sampled_from(["", " ", "\t", "  "])


@st.composite
def dotted(draw: st.DrawFn) -> str:
    parts = draw(st.lists(PART, min_size=1, max_size=4))
    out = draw(BLANK) + parts[0]
    for part in parts[1:]:
        out += draw(BLANK) + "." + draw(BLANK) + part
    return out + draw(BLANK)


NOISE = st.text(st.sampled_from(list("ab.'\"[]# \t=\\\x01é")), max_size=12)


@fuzz(400)
@given(st.one_of(dotted(), NOISE))
def test_the_key_scanner_answers_only_what_tomllib_would(text: str) -> None:
    fast = fast_key(text)
    if fast is not None:
        assert fast == LineIndex.parse_key_slowly(text)


@fuzz(400)
@example("a]#\x01", False, "")  # a control character in the comment: tomllib refuses
@given(st.one_of(dotted(), NOISE), st.booleans(), st.sampled_from(["", " # note", "  ", " x"]))
def test_the_header_scanner_answers_only_what_tomllib_would(key: str, array: bool,
                                                            tail: str) -> None:
    line = (f"[[{key}]]" if array else f"[{key}]") + tail
    fast = fast_header(line)
    if fast is not None:
        assert fast == LineIndex.parse_header_slowly(line)


@fuzz(200)
@given(dotted())
def test_the_scanner_reads_every_plain_key_itself(text: str) -> None:
    """Keys without escapes or control characters never need the slow path."""
    expected = LineIndex.parse_key_slowly(text)
    if expected and not any(ch < " " and ch != "\t" or ch in "\\\x7f" for ch in text):
        assert fast_key(text) == expected
        assert fast_header(f"[{text}]") == (expected, False)


def test_a_large_registry_indexes_like_tomllib_line_by_line() -> None:
    text = "\n".join(
        f'[symbols."app.m{i}.Name{i}"]\naliases = ["app.old.Name{i}"]\n'
        f"[[layers]]\nname = 'l{i}'\n'quoted key' = 1\n\"esc\\u0041\" = 2" for i in range(300))
    index = LineIndex(text)
    assert index.line_of("symbols", "app.m7.Name7") == 43
    assert index.line_of("symbols", "app.m7.Name7", "aliases") == 44
    assert index.line_of("layers", 7, "name") == 46
    assert index.line_of("layers", 7, "quoted key") == 47
    assert index.line_of("layers", 7, "escA") == 48  # escapes go through tomllib
