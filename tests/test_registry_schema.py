"""registry/schema.json describes exactly what the registry loader accepts.

Every registry the project ships must validate; malformed registries must be
rejected by the schema *and* by ``load_registry`` (and well-formed variants accepted
by both), so the schema cannot drift from the loader unnoticed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest

from ssot_lint.errors import SsotLintError
from ssot_lint.load.registry import load_registry
from tests.conftest import SCHEMA, schema_errors

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def shipped_registries() -> list[Path]:
    found = set(ROOT.glob("registry/*.toml"))
    found |= set(ROOT.glob("examples/**/ssot-registry.toml"))
    found |= set(ROOT.glob("examples/**/ssot-registry/*.toml"))
    return sorted(found)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_project_ships_registries() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in shipped_registries()}
    assert {"registry/example.toml", "examples/demo/ssot-registry.toml"} <= names


@pytest.mark.parametrize("path", shipped_registries(),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_registry_validates(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []
    load_registry(path)  # and the loader agrees


def test_example_registry_uses_every_section_and_key() -> None:
    """The annotated example documents every key the schema knows."""
    data = tomllib.loads((ROOT / "registry" / "example.toml").read_text(encoding="utf-8"))
    props = SCHEMA["properties"]
    assert set(data) == set(props)
    for section in ("project", "policy"):
        assert set(data[section]) == set(props[section]["properties"]), section
    symbol_keys = set().union(*(set(v) for v in data["symbols"].values()))
    assert symbol_keys == set(props["symbols"]["additionalProperties"]["properties"])
    entry_keys = set().union(*(set(v) for k in ("broken", "deprecated")
                               for v in data[k].values()))
    assert entry_keys == set(SCHEMA["$defs"]["ruleEntry"]["properties"])
    service_keys = set().union(*(set(v) for v in data["services"].values()))
    assert service_keys == set(props["services"]["additionalProperties"]["properties"])
    for section in ("layers", "contracts", "patterns"):
        keys = set().union(*(set(v) for v in data[section]))
        assert keys == set(props[section]["items"]["properties"]), section


VALID = {
    "version only": "version = 1\n",
    "verified date": '[symbols."app.mod.Name"]\nverified = 2025-01-02\n',
    "verified bool": '[symbols."app.mod.Name"]\nverified = false\naliases = ["app.Name"]\n',
    "unicode identifier": '[symbols."app.modül.Größe"]\n',
    "broken module": '[broken."app.old"]\nuse_instead = "app.new"\nallow_in = ["function"]\n',
    "deprecated full": ('[deprecated."app.old.X"]\nuse_instead = "app.new.X"\nhint = "h"\n'
                        'severity = "info"\npaths = ["tests/**"]\nfix = "rename"\n'
                        'allow_in = ["type_checking", "fallback"]\ndocs = "https://x"\n'),
    "services": ('[services.a]\npackages = ["a"]\nmay_import = ["*"]\n'
                 '[services.b]\npackages = ["b"]\nmay_import = ["a"]\npublic = ["b.api"]\n'),
    "layers": '[[layers]]\norder = ["app.web", "app.db"]\n',
    "exhaustive layers": '[[layers]]\norder = ["app.web", "app.db"]\nexhaustive = true\n',
    "contract": ('[[contracts]]\nsource = ["app.db"]\nforbidden = ["app.web"]\n'
                 'allow_indirect = true\n'),
    "pattern": '[[patterns]]\ncall = "app.f"\nwhen = "keyword:!user"\n',
    "policy": ('[policy]\nrelative_imports = "forbid"\ntype_checking_imports = "ignore"\n'
               'unregistered_imports = "warn"\nguarded_imports = "error"\n'
               'duplicate_exclude = ["tests/**"]\n'),
}

INVALID = {
    "empty": "",
    "version 2": "version = 2\n",
    "version string": 'version = "1"\n',
    "version true": "version = true\n",
    "version missing": '[project]\npackages = ["app"]\n',
    "single string list": '[project]\npackages = "app"\n',
    "single string allow_in": '[broken."app.old"]\nallow_in = "function"\n',
    "single string paths": '[deprecated."app.old"]\npaths = "tests/**"\n',
    "unknown top key": "[projekt]\n",
    "unknown project key": '[project]\npackage = ["app"]\n',
    "packages not dotted": '[project]\npackages = ["my-app"]\n',
    "packages star": '[project]\npackages = ["*"]\n',
    "packages int": "[project]\npackages = [1]\n",
    "policy bad choice": '[policy]\nrelative_imports = "sometimes"\n',
    "policy unknown key": '[policy]\nrelative = "forbid"\n',
    "symbol without module": '[symbols.Name]\n',
    "symbol path not dotted": '[symbols."app.my-mod.Name"]\n',
    "symbol unknown key": '[symbols."app.mod.Name"]\nalias = ["app.Name"]\n',
    "alias not dotted": '[symbols."app.mod.Name"]\naliases = ["app/Name"]\n',
    "alias star": '[symbols."app.mod.Name"]\naliases = ["*"]\n',
    "verified number": '[symbols."app.mod.Name"]\nverified = 3\n',
    "note not string": '[symbols."app.mod.Name"]\nnote = 1\n',
    "broken bad severity": '[broken."app.old"]\nseverity = "fatal"\n',
    "broken use_instead not dotted": '[broken."app.old"]\nuse_instead = "app new"\n',
    "deprecated bad allow_in": '[deprecated."app.old"]\nallow_in = ["tests"]\n',
    "deprecated bad fix": '[deprecated."app.old"]\nfix = "always"\n',
    "deprecated unknown key": '[deprecated."app.old"]\nreplacement = "app.new"\n',
    "deprecated not a table": '[deprecated]\n"app.old" = "app.new"\n',
    "service without packages": '[services.a]\nmay_import = []\n',
    "service empty packages": '[services.a]\npackages = []\n',
    "service unknown key": '[services.a]\npackages = ["a"]\nteam = "x"\n',
    "layer with one module": '[[layers]]\norder = ["app.web"]\n',
    "layer repeats a module": '[[layers]]\norder = ["app.web", "app.web"]\n',
    "layers as table": '[layers]\norder = ["app.web", "app.db"]\n',
    "contract without forbidden": '[[contracts]]\nsource = ["app.db"]\n',
    "contract bad kind": '[[contracts]]\nkind = "layers"\nsource = ["a"]\nforbidden = ["b"]\n',
    "layer exhaustive string": '[[layers]]\norder = ["app.web", "app.db"]\nexhaustive = "yes"\n',
    "contract allow_indirect string": ('[[contracts]]\nsource = ["a"]\nforbidden = ["b"]\n'
                                       'allow_indirect = "yes"\n'),
    "pattern without call": '[[patterns]]\nwhen = "always"\n',
    "pattern bad when": '[[patterns]]\ncall = "app.f"\nwhen = "sometimes"\n',
}


def _versioned(text: str) -> str:
    """Every registry file starts with ``version = 1``; cases about the version itself
    (and the empty file) are taken as written. (``version = 1.0`` is refused by the loader
    only: JSON Schema counts 1.0 as an integer -- see test_bad_registry_and_config.)"""
    return text if not text or text.startswith("version") else "version = 1\n" + text


def _loader_accepts(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "ssot-registry.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_registry(path)
    except SsotLintError:
        return False
    return True


@pytest.mark.parametrize("text", list(VALID.values()), ids=list(VALID))
def test_schema_and_loader_accept(tmp_path: Path, text: str) -> None:
    text = _versioned(text)
    assert schema_errors(text) == []
    assert _loader_accepts(tmp_path, text)


@pytest.mark.parametrize("text", list(INVALID.values()), ids=list(INVALID))
def test_schema_and_loader_reject(tmp_path: Path, text: str) -> None:
    if text != INVALID["version missing"]:
        text = _versioned(text)
    assert schema_errors(text) != []
    assert not _loader_accepts(tmp_path, text)
