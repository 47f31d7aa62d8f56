"""SARIF 2.1.0, the format GitHub code scanning (and most security dashboards) ingest.

The driver lists *every* rule (id = code, name = slug, help = the rule's docstring,
default level from its severity), not only those that fired, so a dashboard can show
what was checked. Each result has a physical location relative to ``%SRCROOT%`` (the
directory ssot-lint ran in, normally the repository root), the finding's stable
fingerprint under ``partialFingerprints["ssotLint/v1"]`` (the baseline's fingerprint,
so alerts survive line shifts), and a ``fixes`` entry when the finding carries a fix
that maps onto an exact text replacement. Columns count Unicode code points, as in
every other output, and the run says so (``columnKind``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ssot_lint import __version__
from ssot_lint.baseline import SARIF_FINGERPRINT, fingerprint_of
from ssot_lint.escape import json_safe
from ssot_lint.model.finding import Finding
from ssot_lint.report.sarif_fixes import sarif_fix
from ssot_lint.report.summary import Summary

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptors() -> list[dict[str, Any]]:
    from ssot_lint.report.rules_table import rule_doc
    from ssot_lint.rules import all_rules

    descriptors = []
    for rule in all_rules():
        doc = rule_doc(rule)
        first = doc.split("\n\n", 1)[0].replace("\n", " ").strip() or rule.summary
        help_text = (doc + (f"\n\nConfiguration: {rule.config}" if rule.config else "")
                     + f"\n\nFix available: {rule.fixable}. "
                     f"Full documentation: `ssot-lint rule {rule.code}`.")
        descriptors.append({
            "id": rule.code,
            "name": rule.slug,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": first},
            "help": {"text": help_text, "markdown": help_text},
            "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
            "properties": {"fixable": rule.fixable, "tags": ["ssot", rule.slug]},
        })
    return descriptors


def _region(f: Finding) -> dict[str, int]:
    region = {"startLine": f.line, "startColumn": f.column}
    if f.end_line is not None and f.end_column is not None and \
            (f.end_line, f.end_column) >= (f.line, f.column):
        region["endLine"] = f.end_line
        region["endColumn"] = max(f.end_column, f.column)
    return region


def result(f: Finding, rule_index: dict[str, int], cwd: Path) -> dict[str, Any]:
    text = f.message + (f"\nHint: {f.hint}" if f.hint and f.hint not in f.message else "")
    # percent-encode the name's bytes: a name that is not UTF-8 keeps its exact bytes
    location = {"uri": quote(os.fsencode(Path(f.path).as_posix()), safe="/"),
                "uriBaseId": "%SRCROOT%"}
    data: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": _region(f)}}],
        "partialFingerprints": {SARIF_FINGERPRINT: fingerprint_of(f)},
    }
    if f.code in rule_index:
        data["ruleIndex"] = rule_index[f.code]
    if f.fix is not None:
        fix = sarif_fix(f, cwd / f.path)
        if fix is not None:
            fix["artifactChanges"][0]["artifactLocation"] = dict(location)
            data["fixes"] = [fix]
        data["properties"] = {"fix": {"description": f.fix.description, "old": f.fix.old,
                                      "new": f.fix.new, "safe": f.fix.safe}}
    if f.docs:
        data.setdefault("properties", {})["docs"] = f.docs
    return data


def render_sarif(findings: list[Finding], summary: Summary, quiet: bool = False,
                 cwd: Path | None = None) -> str:
    base = (cwd or Path.cwd()).resolve()
    rules = rule_descriptors()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ssot-lint", "version": __version__,
                                "semanticVersion": __version__, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [result(f, rule_index, base) for f in findings],
            "properties": {"filesChecked": summary.files_checked},
        }],
    }
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
