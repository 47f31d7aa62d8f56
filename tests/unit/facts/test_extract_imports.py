"""Fact extraction: every import form, every scope, definitions and suppressions.

Each test feeds real source text to ``extract_facts`` and checks the facts a later
stage relies on: which module and name, where (1-based line/column of the imported
name), and in which context the import runs.
"""

from __future__ import annotations

import pytest

from ssot_lint.cache.codec import decode_facts, encode_facts
from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.facts import FileFacts, ImportFact

TARGET = (3, 11)


def facts(source: str) -> FileFacts:
    result = extract_facts(source.encode("utf-8"), TARGET)
    assert result.problem is None, result.problem
    return result


def shape(fact: ImportFact) -> tuple[object, ...]:
    return (fact.kind, fact.level, fact.module, fact.name, fact.asname, fact.bound_name)


def test_import_dotted_with_alias_binds_the_alias() -> None:
    [fact] = facts("import a.b as c\n").imports
    assert shape(fact) == ("import", 0, "a.b", None, "c", "c")
    assert (fact.line, fact.col, fact.end_line, fact.end_col) == (1, 8, 1, 16)


def test_import_dotted_without_alias_binds_the_top_package() -> None:
    result = facts("import a.b.c\n")
    assert [shape(f) for f in result.imports] == [("import", 0, "a.b.c", None, None, "a")]
    assert [(d.name, d.kind) for d in result.definitions] == [("a", "import")]


def test_multi_name_import_yields_one_fact_per_name_with_its_own_column() -> None:
    result = facts("import os, a.b as ab, sys\n")
    assert [(f.module, f.asname, f.col) for f in result.imports] == [
        ("os", None, 8), ("a.b", "ab", 12), ("sys", None, 23)]
    assert all(f.stmt_line == 1 for f in result.imports)


def test_parenthesised_multiline_from_import_positions_each_name() -> None:
    source = ("from pkg.mod import (\n"
              "    first,\n"
              "    second as other,\n"
              ")\n")
    result = facts(source)
    assert [shape(f) for f in result.imports] == [
        ("from", 0, "pkg.mod", "first", None, "first"),
        ("from", 0, "pkg.mod", "second", "other", "other"),
    ]
    assert [(f.line, f.col, f.end_col, f.stmt_line) for f in result.imports] == [
        (2, 5, 10, 1), (3, 5, 20, 1)]
    assert [d.name for d in result.definitions] == ["first", "other"]


def test_relative_imports_keep_their_level_and_module() -> None:
    result = facts("from . import sibling\nfrom .. import up\nfrom ...pkg.mod import deep\n"
                   "from .mod import *\n")
    assert [shape(f) for f in result.imports] == [
        ("from", 1, "", "sibling", None, "sibling"),
        ("from", 2, "", "up", None, "up"),
        ("from", 3, "pkg.mod", "deep", None, "deep"),
        ("star", 1, "mod", None, None, None),
    ]


def test_star_import_binds_nothing_itself() -> None:
    result = facts("from pkg.mod import *\n")
    assert [shape(f) for f in result.imports] == [("star", 0, "pkg.mod", None, None, None)]
    assert result.definitions == ()


def test_function_and_class_scopes() -> None:
    source = ("def load():\n"
              "    import json\n"
              "class Plugin:\n"
              "    from pkg import hook\n"
              "    def run(self):\n"
              "        from pkg import inner\n")
    result = facts(source)
    assert [(f.module, f.name, f.in_function, f.in_class, f.context) for f in result.imports] == [
        ("json", None, True, False, "function"),
        ("pkg", "hook", False, True, "module"),
        ("pkg", "inner", True, True, "function"),
    ]
    # nested bindings are not module attributes
    assert [d.name for d in result.definitions] == ["load", "Plugin"]


def test_type_checking_blocks_bare_and_qualified() -> None:
    source = ("from typing import TYPE_CHECKING\n"
              "import typing\n"
              "if TYPE_CHECKING:\n"
              "    from pkg import A\n"
              "if typing.TYPE_CHECKING:\n"
              "    from pkg import B\n"
              "from pkg import C\n")
    result = facts(source)
    flags = {f.name: f.in_type_checking for f in result.imports if f.module == "pkg"}
    assert flags == {"A": True, "B": True, "C": False}
    contexts = {f.name: f.context for f in result.imports if f.module == "pkg"}
    assert contexts == {"A": "type_checking", "B": "type_checking", "C": "module"}
    tc_defs = {d.name: d.in_type_checking for d in result.definitions}
    assert tc_defs["A"] and tc_defs["B"] and not tc_defs["C"]


def test_if_not_type_checking_else_branch_is_the_type_checking_one() -> None:
    source = ("from typing import TYPE_CHECKING\n"
              "if not TYPE_CHECKING:\n"
              "    from pkg import Runtime\n"
              "else:\n"
              "    from pkg import Static\n")
    flags = {f.name: f.in_type_checking for f in facts(source).imports if f.module == "pkg"}
    assert flags == {"Runtime": False, "Static": True}


def test_type_checking_else_branch_runs_at_runtime() -> None:
    source = ("if TYPE_CHECKING:\n    from pkg import A\nelse:\n    A = object\n")
    result = facts(source)
    assert [(d.name, d.in_type_checking) for d in result.definitions] == [
        ("A", True), ("A", False)]


def test_try_except_import_error_marks_body_and_handler_as_fallback() -> None:
    source = ("try:\n"
              "    import ujson as json\n"
              "except (ValueError, ImportError):\n"
              "    import json\n"
              "else:\n"
              "    import after\n"
              "try:\n"
              "    import other\n"
              "except ModuleNotFoundError:\n"
              "    other = None\n"
              "try:\n"
              "    import unguarded\n"
              "except KeyError:\n"
              "    pass\n")
    result = facts(source)
    assert [(f.module, f.in_fallback, f.context) for f in result.imports] == [
        ("ujson", True, "fallback"), ("json", True, "fallback"), ("after", False, "module"),
        ("other", True, "fallback"), ("unguarded", False, "module")]


def test_contextlib_suppress_import_error_is_a_fallback() -> None:
    source = "import contextlib\nwith contextlib.suppress(ImportError):\n    import optional\n"
    [_, fact] = facts(source).imports
    assert (fact.module, fact.in_fallback, fact.expects_failure) == ("optional", True, False)


def test_imports_expected_to_fail_in_pytest_raises_and_assert_raises() -> None:
    source = ("import pytest\n"
              "import unittest\n"
              "def test_gone():\n"
              "    with pytest.raises(ImportError, match='gone'):\n"
              "        import gone\n"
              "    with pytest.raises(ModuleNotFoundError):\n"
              "        from gone import x\n"
              "    with pytest.raises(ValueError):\n"
              "        import fine\n"
              "class T(unittest.TestCase):\n"
              "    def test_it(self):\n"
              "        with self.assertRaises(ImportError):\n"
              "            from gone import y\n"
              "        with self.assertRaisesRegex(ImportError, 'y'):\n"
              "            from gone import z\n")
    result = facts(source)
    expected = {(f.module, f.name): f.expects_failure for f in result.imports}
    assert expected == {("pytest", None): False, ("unittest", None): False,
                        ("gone", None): True, ("gone", "x"): True, ("fine", None): False,
                        ("gone", "y"): True, ("gone", "z"): True}


def test_definitions_of_every_binding_form() -> None:
    source = ("import os\n"
              "from pkg import name as alias\n"
              "class Klass: ...\n"
              "def func(): ...\n"
              "async def afunc(): ...\n"
              "CONST = 1\n"
              "annotated: int = 2\n"
              "only_annotated: int\n"
              "first, *rest = 1, 2, 3\n"
              "for loop_var in (): pass\n"
              "with open('f') as handle: pass\n"
              "try:\n    pass\nexcept Exception as error:\n    pass\n"
              "def setter():\n    global LATE\n    LATE = 1\n"
              "if True:\n    nested = 1\n")
    result = facts(source)
    names = [(d.name, d.kind) for d in result.definitions]
    assert names == [("os", "import"), ("alias", "import"), ("Klass", "class"),
                     ("func", "function"), ("afunc", "function"), ("CONST", "assign"),
                     ("annotated", "assign"), ("first", "assign"), ("rest", "assign"),
                     ("loop_var", "assign"), ("handle", "assign"), ("error", "assign"),
                     ("setter", "function"), ("LATE", "assign"), ("nested", "assign")]
    assert "only_annotated" not in {d.name for d in result.definitions}


def test_dunder_all_literal_and_augmented() -> None:
    result = facts("__all__ = ['a', 'b']\n__all__ += ('c',)\n")
    assert result.all_names == ("a", "b", "c")
    assert facts("x = 1\n").all_names is None
    # a computed __all__ is not a literal: unknown, not empty
    assert facts("__all__ = [n for n in dir()]\n").all_names is None


def test_module_getattr_only_at_top_level() -> None:
    assert facts("def __getattr__(name):\n    raise AttributeError(name)\n").has_getattr
    assert not facts("class C:\n    def __getattr__(self, name): ...\n").has_getattr


def test_deprecated_decorator_is_recorded() -> None:
    source = ("from warnings import deprecated\n"
              "@deprecated('use g instead')\n"
              "def f(): ...\n")
    [_, func] = facts(source).definitions
    assert (func.name, func.deprecated) == ("f", "use g instead")


def test_suppressions_with_codes_bare_and_file_level() -> None:
    source = ("# ssot-lint: ignore-file[SSOT121]\n"
              "import a  # ssot-lint: ignore[ssot112, SSOT111]\n"
              "import b  # ssot-lint: ignore\n"
              "x = '# ssot-lint: ignore'\n"
              "import c  # ssot-lint: ignored-typo\n")
    result = facts(source)
    assert [(s.line, s.col, s.codes, s.file_level) for s in result.suppressions] == [
        (1, 1, ("SSOT121",), True),
        (2, 11, ("SSOT111", "SSOT112"), False),
        (3, 11, (), False),
    ]


def test_patch_targets_and_literal_dynamic_imports_are_facts() -> None:
    source = ("import importlib\n"
              "from unittest import mock\n"
              "mod = importlib.import_module('pkg.plugins')\n"
              "@mock.patch('pkg.mod.Name')\n"
              "def test(m): ...\n"
              "importlib.import_module(name)\n")
    kinds = [(f.kind, f.module, f.line) for f in facts(source).imports
             if f.kind in ("patch", "dynamic")]
    assert kinds == [("dynamic", "pkg.plugins", 3), ("patch", "pkg.mod.Name", 4)]


def test_facts_round_trip_through_the_codec() -> None:
    result = facts("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import b\n"
                   "__all__ = ['b']\nimport c  # ssot-lint: ignore\n")
    assert decode_facts(encode_facts(result)) == result


def test_imports_are_sorted_by_position() -> None:
    source = "def f():\n    import late\nimport early\n"
    assert [f.module for f in facts(source).imports] == ["late", "early"]


def test_computed_dunder_all_is_unknown_not_partial() -> None:
    """Django's ``__all__ = a_all + b_all`` then ``__all__ += [...]`` lists more than the
    literal part; recording only the literal part made star-imported names "missing"."""
    result = facts("from x import a_all\n__all__ = a_all + ['b']\n__all__ += ['c']\n")
    assert (result.all_names, result.all_dynamic) == (None, True)
    literal = facts("__all__ = ['a']\n__all__.append('b')\n__all__.extend(('c',))\n"
                    "__all__.sort()\n")
    assert (literal.all_names, literal.all_dynamic) == (("a", "b", "c"), False)
    extended = facts("__all__ = ['a']\n__all__.extend(other.__all__)\n")
    assert (extended.all_names, extended.all_dynamic) == (None, True)


# -- dynamic attributes (lazy facades) -------------------------------------------------
DYNAMIC_CASES = [
    ("click", "def __getattr__(name: str) -> object:\n    import warnings\n"
              "    if name == '__version__':\n        return '8'\n    raise AttributeError(name)\n",
     (True, ("__version__",), False)),
    ("elif chain over a literal dict and tuple",
     "_LAZY = {'a': '.x', 'b': '.y'}\ndef __getattr__(name):\n    if name in _LAZY:\n"
     "        return 1\n    elif name in ('c', 'd'):\n        return 2\n"
     "    raise AttributeError(name)\n", (True, ("a", "b", "c", "d"), False)),
    ("negative guard", "def __getattr__(name):\n    if name not in {'a', 'b'}:\n"
                       "        raise AttributeError(name)\n    return 3\n",
     (True, ("a", "b"), False)),
    ("try lookup", "_M = {'a': 1}\ndef __getattr__(name):\n    try:\n        mod = _M[name]\n"
                   "    except KeyError:\n        raise AttributeError(name) from None\n"
                   "    return mod\n", (True, ("a",), False)),
    ("scipy: submodules, else globals()",
     "submodules = ['linalg', 'fft']\ndef __getattr__(name):\n    if name in submodules:\n"
     "        return 1\n    else:\n        try:\n            return globals()[name]\n"
     "        except KeyError:\n            raise AttributeError(name)\n",
     (True, ("fft", "linalg"), False)),
    ("a mutated table is not literal", "_M = {'a': 1}\n_M['b'] = 2\ndef __getattr__(name):\n"
     "    if name in _M:\n        return 1\n    raise AttributeError(name)\n", (True, None, False)),
    ("falling off the end returns None for every name",
     "def __getattr__(name):\n    if name == 'a':\n        return 1\n", (True, None, False)),
    ("computed", "def __getattr__(name):\n    return _load(name)\n", (True, None, False)),
    ("assigned", "__getattr__ = make(__name__)\n", (True, None, False)),
    ("lazy_loader.attach", "import lazy_loader as lazy\n__getattr__, __dir__, __all__ = "
     "lazy.attach(__name__, submodules=['sub'], submod_attrs={'m': ['f', 'g']})\n",
     (True, ("f", "g", "sub"), False)),
    ("lazy_loader.attach, computed", "import lazy_loader as lazy\n__getattr__, __dir__, __all__ = "
     "lazy.attach(__name__, submodules=SUBS)\n", (True, None, False)),
    ("lazy_loader.attach_stub", "from lazy_loader import attach_stub\n"
     "__getattr__, __dir__, __all__ = attach_stub(__name__, __file__)\n", (True, (), True)),
    ("sys.modules replacement", "import sys\nfrom typing import TYPE_CHECKING\n"
     "if TYPE_CHECKING:\n    from .a import X\nelse:\n"
     "    sys.modules[__name__] = _LazyModule(__name__, {})\n", (True, None, False)),
    ("a method is no module __getattr__", "class C:\n    def __getattr__(self, name): ...\n",
     (False, None, False)),
    ("in a loop: unknown", "for _ in range(1):\n    def __getattr__(name):\n"
     "        raise AttributeError(name)\n", (True, None, False)),
    ("imported from another module", "from ._lazy import __getattr__\n", (True, None, False)),
    ("a table rebound in a loop is not literal",
     "_M = {'a': 1}\nfor _M in ({'b': 2},):\n    pass\ndef __getattr__(name):\n"
     "    if name in _M:\n        return 1\n    raise AttributeError(name)\n",
     (True, None, False)),
]


@pytest.mark.parametrize(("source", "expected"), [(s, e) for _, s, e in DYNAMIC_CASES],
                         ids=[name for name, _, _ in DYNAMIC_CASES])
def test_dynamic_attributes(source: str, expected: tuple[bool, object, bool]) -> None:
    found = facts(source)
    assert (found.has_getattr, found.getattr_names, found.getattr_stub) == expected
    # every new field survives the cache's codec
    assert decode_facts(encode_facts(found)) == found


def test_computed_names_and_all_changed_by_a_function() -> None:
    numerictypes = ("__all__ = ['dtype']\nfor key in ['int8']:\n"
                    "    globals()[key] = 1\n    __all__.append(key)\n")
    assert facts(numerictypes).names_dynamic and facts(numerictypes).all_dynamic
    dtypes = ("__all__ = []\ndef _add(cls):\n    __all__.append(cls.__name__)\n")
    found = facts(dtypes)
    assert (found.names_dynamic, found.all_dynamic, found.all_names) == (True, True, None)
    plain = facts("__all__ = ['a']\na = 1\ndef f():\n    return locals()\n")
    assert (plain.names_dynamic, plain.all_names) == (False, ("a",))
    for each in (facts(numerictypes), found, plain):
        assert decode_facts(encode_facts(each)) == each


@pytest.mark.parametrize(("source", "registers"), [
    ("import sys\nfor m in ('a',):\n    sys.modules[f'pkg.vendor.{m}'] = __import__(m)\n", True),
    ("from sys import modules\nmodules['pkg.compat'] = object()\n", True),
    ("import sys\nsys.modules[__name__] = object()\n", False),  # replaces itself: a facade
    ("import sys\nx = sys.modules['json']\n", False),  # reads, does not register
    ("registry = {}\nregistry['modules'] = 1\n", False),
])
def test_registering_modules_in_sys_modules_is_a_fact(source: str, registers: bool) -> None:
    assert extract_facts(source.encode(), TARGET).registers_modules is registers


@pytest.mark.parametrize(("source", "computed"), [
    # protobuf's generated *_pb2 modules: the namespace goes to a builder that fills it
    ("from google.protobuf.internal import builder as _builder\n_globals = globals()\n"
     "_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, 'any_pb2', _globals)\n", True),
    ("exec(CODE, globals())\n", True),
    ("ns = vars()\nns['x'] = 1\n", True),
    ("_update(**globals())\n", False),  # unpacked into keywords: a copy, never written
    ("names = sorted(globals())\n", True),  # conservatively: the dict itself escapes
    ("g = globals()\nprint(g.get('x'))\n", False),  # read only
])
def test_the_module_namespace_escaping_into_a_call_makes_names_computed(
        source: str, computed: bool) -> None:
    assert facts(source).names_dynamic is computed


@pytest.mark.parametrize(("call", "judged"), [
    ("mock.patch('app.mod.X')", True),
    ("mock.patch('app.mod.X', create=True)", False),  # creates the missing attribute
    ("mock.patch('app.mod.X', create=flag)", False),  # cannot be judged: not a fact
    ("mock.patch('app.mod.X', create=False)", True),
    ("monkeypatch.setattr('app.mod.X', 1, raising=False)", False),
    ("monkeypatch.setattr('app.mod.X', 1, raising=True)", True),
])
def test_patches_written_for_a_missing_attribute_are_not_facts(call: str, judged: bool) -> None:
    found = [f.module for f in facts(f"from unittest import mock\n{call}\n").imports
             if f.kind == "patch"]
    assert found == (["app.mod.X"] if judged else [])


@pytest.mark.parametrize(("source", "registers"), [
    ("from twisted.plugin import pluginPackagePaths\n"
     "__path__.extend(pluginPackagePaths(__name__))\n", True),
    ("from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n", True),
    ("__path__ += ['/opt/plugins']\n", True),
    ("print(__path__)\n", False),  # reads it only
])
def test_a_module_changing_its_own_path_leaves_its_submodules_open(source: str,
                                                                    registers: bool) -> None:
    assert extract_facts(source.encode(), TARGET).registers_modules is registers


@pytest.mark.parametrize(("source", "computed"), [
    ("exec(SOURCE)\n", True),  # twisted's xpathparser: the parser is defined in a string
    ("if True:\n    exec(compile(src, 'x', 'exec'))\n", True),
    ("def run(src):\n    exec(src)\n", False),  # a function's exec binds its locals only
])
def test_exec_at_module_level_makes_names_computed(source: str, computed: bool) -> None:
    assert facts(source).names_dynamic is computed
