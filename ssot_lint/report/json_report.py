"""A stable JSON document (``version`` 1) for other tools to consume."""

from __future__ import annotations

import json
from typing import Any

from ssot_lint.escape import json_safe
from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary


def finding_dict(f: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": f.path, "line": f.line, "column": f.column,
        "end_line": f.end_line if f.end_line is not None else f.line,
        "end_column": f.end_column if f.end_column is not None else f.column,
        "code": f.code, "rule": f.rule, "severity": f.severity, "message": f.message,
        "hint": f.hint,
    }
    if f.symbol:
        data["symbol"] = f.symbol
    if f.docs:
        data["docs"] = f.docs
    if f.fix is not None:
        data["fix"] = {"description": f.fix.description, "old": f.fix.old, "new": f.fix.new,
                       "safe": f.fix.safe}
    return data


def render_json(findings: list[Finding], summary: Summary, quiet: bool = False) -> str:
    document = {
        "version": 1,
        "findings": [finding_dict(f) for f in findings],
        "summary": {"files_checked": summary.files_checked, "findings": summary.findings,
                    "files_with_findings": summary.files_with_findings,
                    "by_severity": summary.by_severity, "by_code": summary.by_code},
    }
    if summary.changed_files is not None:  # --changed-since: findings of changed files only
        document["summary"]["changed_files"] = summary.changed_files  # type: ignore[index]
    if summary.failures:  # --strict-baseline: the run fails for these reasons too
        document["summary"]["failures"] = list(summary.failures)  # type: ignore[index]
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
