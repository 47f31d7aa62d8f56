"""Registry entry statuses are one enum (``model.registry.Status``) that still reads as
the plain word everywhere an entry's kind is printed, compared or serialised."""

from __future__ import annotations

import json
from pathlib import Path

from ssot_lint.model.registry import RULE_STATUSES, Status
from tests.conftest import load_text


def test_loaded_entries_carry_the_status_enum_and_read_as_plain_words(tmp_path: Path) -> None:
    registry = load_text(tmp_path, 'version = 1\n[broken."app.old"]\nuse_instead = "app.new"\n'
                                   '[deprecated."app.legacy.X"]\n')
    broken, deprecated = registry.broken["app.old"], registry.deprecated["app.legacy.X"]
    assert broken.kind is Status.BROKEN and deprecated.kind is Status.DEPRECATED
    assert broken.kind == "broken" and f"[{broken.kind}]" == "[broken]"
    assert str(deprecated.kind) == "deprecated"
    assert json.dumps({"kind": broken.kind}) == '{"kind": "broken"}'
    assert [kind for kind, _ in registry.rule_sections()] == list(RULE_STATUSES)
    assert broken.severity == "error" and deprecated.severity == "warning"
