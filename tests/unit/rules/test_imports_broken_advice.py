"""Imports, patch targets and dynamic imports of a [broken] path give the same advice."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_check, write_project

REGISTRY = """
[broken."app.plugins"]
use_instead = "app.extensions"
reason = "renamed in 2025-08"
docs = "https://wiki.example/plugins"
"""


def test_every_kind_of_reference_maps_the_tail_onto_use_instead(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {
        "app/extensions/sms.py": "def send(): ...\n",
        "app/main.py": (
            "import importlib\nfrom unittest import mock\n"
            "from app.plugins.sms import send\n"
            "importlib.import_module('app.plugins.sms')\n"
            "mock.patch('app.plugins.sms.send')\n"
        ),
    }, REGISTRY)
    findings = run_check(root, [root / "app" / "main.py"])
    by_code = {f.code: f.message for f in findings}
    assert set(by_code) == {"SSOT101", "SSOT104", "SSOT122"}
    # One template: the same advice, spelled the same way, in every rule's message.
    advice = ": renamed in 2025-08; use `app.extensions.sms{}` instead (see https://wiki.example/plugins)"
    assert by_code["SSOT101"].endswith(advice.format(".send"))
    assert by_code["SSOT104"].endswith(advice.format(".send"))
    assert by_code["SSOT122"].endswith(advice.format(""))
