"""Resolution on the idioms released packages use (issue 12, points 1-3).

Each test writes a small tree shaped like a real package (numpy's compiled core,
scikit-image's ``lazy_loader.attach_stub``, transformers' ``_LazyModule`` facade,
click's PEP 562 ``__version__``, networkx's star-import chains) and checks what
``check`` reports for imports of it. Nothing is imported.
"""

from __future__ import annotations

from pathlib import Path

from ssot_lint.api import build_project
from ssot_lint.graph.analysis import analysis_of
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding
from tests.conftest import run_check, write_project

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4  # not text, not Python


def found(findings: list[Finding], path: str = "app/main.py") -> list[tuple[int, str, str]]:
    return [(f.line, f.code, f.message) for f in findings if f.path == path]


def codes(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return sorted((f.path, f.line, f.code) for f in findings)


# -- 1. compiled and stub modules ------------------------------------------------------
COMPILED: dict[str, str | bytes] = {
    "fastcore/__init__.py": "from fastcore._core import dot, norm\nfrom fastcore import _speed\n",
    "fastcore/_core.cpython-311-x86_64-linux-gnu.so": ELF,
    "fastcore/_core.pyi": "def dot(a: list[float], b: list[float]) -> float: ...\n"
                          "def norm(a: list[float]) -> float: ...\n",
    "fastcore/_speed.abi3.so": ELF,
    "fastcore/_win.cp311-win_amd64.pyd": ELF,
    "fastcore/_legacy.so": ELF,
    "fastcore/_cy.pyx": "cdef int f(int x):\n    return x\n",  # Cython: not Python syntax
    "fastcore/_typing.pyi": "from typing import TypeAlias\nVector: TypeAlias = list[float]\n",
    "fastcore/libs/libopenblas-r0.3.21.so": ELF,  # a bundled library, no module name
    "fastcore/util.py": "def helper(): ...\n",
    "fastcore/util.pyi": "def helper() -> None: ...\ndef typed_only() -> None: ...\n",
}


def test_compiled_extensions_and_cython_sources_are_modules(tmp_path: Path) -> None:
    main = ("from fastcore._core import dot, anything_at_all\n"
            "from fastcore._speed import fast\nfrom fastcore._win import win\n"
            "from fastcore._legacy import old\nfrom fastcore._cy import f\n"
            "import fastcore._core\nimport fastcore._missing\n")
    root = write_project(tmp_path, {**COMPILED, "app/main.py": main},
                         packages=("fastcore", "app"))
    findings = run_check(root)
    # the binaries and the .pyx produce no finding of their own (never read)
    assert [f for f in findings if f.path.endswith((".so", ".pyd", ".pyx"))] == []
    assert found(findings) == [(7, "SSOT102", "module `fastcore._missing` does not exist")]


def test_a_compiled_module_beats_the_py_next_to_it(tmp_path: Path) -> None:
    """``FileFinder`` tries extension suffixes first: the .py's names do not decide."""
    files = {"fastcore/__init__.py": "", "fastcore/_core.py": "def pure(): ...\n",
             "fastcore/_core.cpython-311-x86_64-linux-gnu.so": ELF,
             "app/main.py": "from fastcore._core import only_in_binary\n"}
    root = write_project(tmp_path, files, packages=("fastcore", "app"))
    assert found(run_check(root)) == []
    config = load_config(root, overrides={"cache": False})
    project = build_project(config)
    assert [f.rel for f in project.index.files("fastcore._core")] == [
        "fastcore/_core.cpython-311-x86_64-linux-gnu.so", "fastcore/_core.py"]
    assert "fastcore._core" in analysis_of(project).modules.graph.nodes


def test_stub_names(tmp_path: Path) -> None:
    main = ("from fastcore._typing import Vector\nfrom fastcore._typing import Matrix\n"
            "from fastcore.util import helper, typed_only\n"
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from fastcore.util import typed_only\n")
    root = write_project(tmp_path, {**COMPILED, "app/main.py": main},
                         packages=("fastcore", "app"))
    findings = run_check(root)
    assert [(line, code) for line, code, _ in found(findings)] == [(2, "SSOT103"), (3, "SSOT103")]
    assert "`fastcore._typing` has no name `Matrix`" in found(findings)[0][2]
    assert "declared only in the stub" in found(findings)[1][2]
    # the stubs themselves: no duplicate-definition or unresolved findings
    assert [f for f in findings if f.path.endswith(".pyi")] == []


def test_imports_inside_a_stub_see_other_stubs(tmp_path: Path) -> None:
    """A .pyi is read by type checkers only: names other stubs declare are fine there."""
    files = {**COMPILED, "fastcore/api.py": "def run(): ...\n",
             "fastcore/api.pyi": ("from fastcore.util import typed_only\n"
                                  "from fastcore.util import nope\ndef run() -> None: ...\n")}
    root = write_project(tmp_path, files, packages=("fastcore",))
    assert found(run_check(root), "fastcore/api.pyi") == [
        (2, "SSOT103", "`fastcore.util` has no name `nope`")]


# -- lazy_loader.attach_stub (scikit-image) ----------------------------------------------
ATTACH_STUB: dict[str, str | bytes] = {
    "imgkit/__init__.py": "",
    "imgkit/filters/__init__.py": (
        "import lazy_loader as lazy\n"
        "__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)\n"
    ),
    "imgkit/filters/__init__.pyi": (
        "__all__ = ['gaussian', 'sobel', 'rank']\n"
        "from ._gaussian import gaussian\nfrom .edges import sobel\nfrom . import rank\n"
    ),
    "imgkit/filters/_gaussian.py": "def gaussian(image, sigma=1): ...\n",
    "imgkit/filters/edges.py": "def sobel(image): ...\ndef prewitt(image): ...\n",
    "imgkit/filters/rank/__init__.py": "",
}


def test_lazy_loader_attach_stub_serves_the_stub_names(tmp_path: Path) -> None:
    main = ("from imgkit.filters import gaussian, sobel, rank\n"
            "from imgkit.filters import prewitt\n")
    root = write_project(tmp_path, {**ATTACH_STUB, "app/main.py": main},
                         packages=("imgkit", "app"))
    assert found(run_check(root)) == [(2, "SSOT103", "`imgkit.filters` has no name `prewitt`")]


def test_lazy_loader_attach_with_literal_arguments(tmp_path: Path) -> None:
    files = {
        "netkit/__init__.py": (
            "import lazy_loader as lazy\n"
            "__getattr__, __dir__, __all__ = lazy.attach(\n"
            "    __name__, submodules=['io'], submod_attrs={'core': ['Graph', 'walk']})\n"
        ),
        "netkit/core.py": "class Graph: ...\ndef walk(g): ...\n",
        "netkit/io.py": "",
        "app/main.py": "from netkit import Graph, walk, io\nfrom netkit import Digraph\n",
    }
    root = write_project(tmp_path, files, packages=("netkit", "app"))
    assert [(line, code) for line, code, _ in found(run_check(root))] == [(2, "SSOT103")]


# -- 2. lazy facades ---------------------------------------------------------------------
TRANSFORMERS_LIKE: dict[str, str | bytes] = {
    "tfm/__init__.py": (
        "import sys\n"
        "from typing import TYPE_CHECKING\n"
        "from .utils import _LazyModule\n"
        "_import_structure = {'configuration_utils': ['PretrainedConfig'],\n"
        "                     'models.bert': ['BertModel']}\n"
        "if TYPE_CHECKING:\n"
        "    from .configuration_utils import PretrainedConfig\n"
        "    from .models.bert import *\n"
        "else:\n"
        "    sys.modules[__name__] = _LazyModule(__name__, globals()['__file__'],\n"
        "                                        _import_structure, module_spec=__spec__)\n"
    ),
    "tfm/utils.py": "class _LazyModule: ...\n",
    "tfm/configuration_utils.py": "class PretrainedConfig: ...\n",
    "tfm/models/__init__.py": "",
    "tfm/models/bert/__init__.py": (
        "from typing import TYPE_CHECKING\n"
        "from ...utils import _LazyModule\n"
        "if TYPE_CHECKING:\n"
        "    from .configuration_bert import *\n"
        "    from .modeling_bert import *\n"
        "else:\n"
        "    import sys\n"
        "    sys.modules[__name__] = _LazyModule(__name__, {})\n"
    ),
    "tfm/models/bert/configuration_bert.py": (
        "__all__ = ['BertConfig']\nclass BertConfig: ...\nclass BertOnnxConfig: ...\n"
    ),
    "tfm/models/bert/modeling_bert.py": "class BertModel: ...\nclass _Private: ...\n",
}


def test_sys_modules_facade_provides_its_type_checking_names(tmp_path: Path) -> None:
    main = ("from tfm import PretrainedConfig, BertModel, BertConfig\n"
            "from tfm.models.bert import BertModel, BertConfig\n"
            "from tfm import AnythingElse\n")  # not decidable: never an error
    root = write_project(tmp_path, {**TRANSFORMERS_LIKE, "app/main.py": main},
                         packages=("tfm", "app"))
    assert found(run_check(root)) == []


def test_plain_module_star_import_under_type_checking(tmp_path: Path) -> None:
    """Without a facade, a TYPE_CHECKING star import binds names for type checkers only,
    honouring the target's ``__all__`` (so BertOnnxConfig is not bound at all)."""
    files = {**TRANSFORMERS_LIKE,
             "tfm/typed.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from .models.bert.configuration_bert import *\n"),
             "app/main.py": ("from tfm.typed import BertConfig\n"
                             "from tfm.typed import BertOnnxConfig\n"
                             "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                             "    from tfm.typed import BertConfig\n")}
    root = write_project(tmp_path, files, packages=("tfm", "app"))
    result = found(run_check(root))
    assert [(line, code) for line, code, _ in result] == [(1, "SSOT103"), (2, "SSOT103")]
    assert "only bound under `if TYPE_CHECKING:`" in result[0][2]
    assert "has no name `BertOnnxConfig`" in result[1][2]


def test_star_imports_are_followed_transitively_through_all(tmp_path: Path) -> None:
    files = {
        "graphs/__init__.py": "from graphs.algorithms import *\n",
        "graphs/algorithms/__init__.py": (
            "from graphs.algorithms.shortest import *\nfrom graphs.algorithms import flows\n"
            "from graphs.algorithms.flows import *\n"
        ),
        "graphs/algorithms/shortest.py": (
            "__all__ = ['dijkstra']\ndef dijkstra(g): ...\ndef _heap(): ...\ndef helper(): ...\n"
        ),
        "graphs/algorithms/flows.py": "def max_flow(g): ...\n_private = 1\n",
        "app/main.py": ("from graphs import dijkstra, max_flow, flows\n"
                        "from graphs import helper\nfrom graphs import _private\n"),
    }
    root = write_project(tmp_path, files, packages=("graphs", "app"))
    assert [(line, code) for line, code, _ in found(run_check(root))] == [
        (2, "SSOT103"), (3, "SSOT103")]


def test_pep562_getattr_serves_exactly_its_literal_names(tmp_path: Path) -> None:
    files = {
        "web/__init__.py": (  # click / flask: only __version__
            "def __getattr__(name: str) -> object:\n"
            "    import warnings\n"
            "    if name == '__version__':\n"
            "        import importlib.metadata\n"
            "        return importlib.metadata.version('web')\n"
            "    raise AttributeError(name)\n"
        ),
        "web/compat.py": (  # a literal table, tested with `in` and looked up in a try
            "_MOVED = {'OldSession': 'web.sessions', 'old_render': 'web.render'}\n"
            "def __getattr__(name):\n"
            "    if name not in _MOVED:\n"
            "        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')\n"
            "    import importlib\n"
            "    return getattr(importlib.import_module(_MOVED[name]), name)\n"
        ),
        "web/plugins.py": (  # computed: unknown, never an error
            "def __getattr__(name):\n"
            "    from importlib import import_module\n"
            "    return import_module(f'web.plugin_{name}')\n"
        ),
        "web/hub.py": (  # huggingface_hub: a vendored lazy_loader, `__getattr__ = ...`
            "from typing import TYPE_CHECKING\n"
            "def _attach(name, submodules=None, submod_attrs=None): ...\n"
            "__getattr__, __dir__, __all__ = _attach(__name__, submod_attrs={'x': ['Api']})\n"
            "if TYPE_CHECKING:\n"
            "    from web.compat import OldSession as Api\n"
        ),
        "app/main.py": (
            "from web import __version__\nfrom web import version\n"
            "from web.compat import OldSession, old_render\nfrom web.compat import NewSession\n"
            "from web.plugins import anything\nfrom web.hub import Api, Other\n"
        ),
    }
    root = write_project(tmp_path, files, packages=("web", "app"))
    result = found(run_check(root))
    assert [(line, code) for line, code, _ in result] == [(2, "SSOT103"), (4, "SSOT103")]
    assert result[0][2].startswith("`web` has no name `version`")
    assert result[1][2].startswith("`web.compat` has no name `NewSession`")


def test_computed_module_names_are_unknown(tmp_path: Path) -> None:
    """numpy's numerictypes binds its scalar types through ``globals()[key] = ...``."""
    files = {
        "num/__init__.py": "from num.types import *\n",
        "num/types.py": ("__all__ = ['dtype']\nclass dtype: ...\n"
                         "for key in ['int8', 'int16']:\n"
                         "    globals()[key] = dtype\n    __all__.append(key)\n"),
        "num/dtypes.py": ("__all__ = []\ndef _add(cls):\n"
                          "    from num import dtypes\n    setattr(dtypes, cls.__name__, cls)\n"
                          "    __all__.append(cls.__name__)\n"),
        "app/main.py": "from num import int8, dtype\nfrom num.dtypes import Int8DType\n",
    }
    root = write_project(tmp_path, files, packages=("num", "app"))
    assert found(run_check(root)) == []


# -- excluded is not absent; open namespace packages -----------------------------------
EXCLUDED: dict[str, str | bytes] = {
    # pip's own package named like a build directory (pruned by the default excludes)
    "app/operations/build/__init__.py": "",
    "app/operations/build/wheel.py": "def build_wheel(): ...\n",
    "app/local_settings.py": "DEBUG = True\n",  # ignored by git: exists on a laptop
    ".gitignore": "local_settings.py\n",
    "app/env/__init__.py": "",  # a package named like a virtualenv directory
}
EXCLUDED_MAIN = ("from app.operations.build.wheel import build_wheel\n"
                 "from app.operations import build\n"
                 "from app.local_settings import DEBUG\n"
                 "import app.env.spaces\n"
                 "from app.operations.missing import nothing\n"
                 "from app.operations import absent\n")


def test_excluded_modules_are_unknown_not_missing(tmp_path: Path) -> None:
    root = write_project(tmp_path, {**EXCLUDED, "app/main.py": EXCLUDED_MAIN},
                         packages=("app",))
    for cached in (False, True, True):  # uncached, cold cache, replayed walk
        options: dict[str, object] = {"cache_dir": tmp_path / "cache"} if cached \
            else {"cache": False}
        assert found(run_check(root, **options)) == [
            (5, "SSOT102", "module `app.operations.missing` does not exist"),
            (6, "SSOT103", "`app.operations` has no name `absent`"),
        ]
    # the walk's excluded paths are what Project.hidden consults
    project = build_project(load_config(root, overrides={"cache": False}))
    assert project.excluded == ("app/env/", "app/local_settings", "app/operations/build/")


NAMESPACES: dict[str, str | bytes] = {
    "google/.namespace": "",  # no __init__.py: other distributions add google.protobuf
    "google/api_core/__init__.py": "",
    "google/api_core/retry.py": "def retry(): ...\n",
    "app/__init__.py": "",
    "app/plugins/.namespace": "",  # a namespace below a regular package: closed
    "app/plugins/base.py": "",
}


def test_open_namespace_packages_leave_missing_modules_unknown(tmp_path: Path) -> None:
    main = ("from google.protobuf import message\nimport google.auth.credentials\n"
            "from google import protobuf\nfrom google.api_core.retry import retry, nope\n"
            "from app.plugins import gone\nimport app.plugins.gone\n")
    root = write_project(tmp_path, {**NAMESPACES, "app/main.py": main},
                         packages=("google", "app"))
    assert found(run_check(root)) == [
        (4, "SSOT103", "`google.api_core.retry` has no name `nope`"),
        (5, "SSOT103", "`app.plugins` has no name `gone`"),
        (6, "SSOT102", "module `app.plugins.gone` does not exist"),
    ]
