"""JUnit XML: what GitLab, Jenkins and most CI dashboards show as a test report.

One ``<testcase>`` per file with findings (``name`` = the file), failing with one
``<failure>`` that lists every finding in it (JUnit allows one failure per case); the
files without findings are summed up in one passing case, so the suite's totals match
what was checked. ``xml.etree`` escapes markup; characters XML 1.0 cannot carry at all
(control characters a broken source file may put into a message) are written as
``\\xNN`` first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_junit(findings: list[Finding], summary: Summary, quiet: bool = False) -> str:
    passing = max(summary.files_checked - summary.files_with_findings, 0)
    cases = summary.files_with_findings + (1 if passing or not findings else 0)
    suites = ET.Element("testsuites", name="ssot-lint", tests=str(cases),
                        failures=str(summary.files_with_findings), errors="0")
    suite = ET.SubElement(suites, "testsuite", name="ssot-lint", tests=str(cases),
                          failures=str(summary.files_with_findings), errors="0", skipped="0")
    for path, group in groupby(findings, key=lambda f: f.path):
        items = list(group)
        case = ET.SubElement(suite, "testcase", classname="ssot-lint", name=xml_safe(path),
                             file=xml_safe(path), line=str(items[0].line))
        codes = ",".join(sorted({f.code for f in items}))
        plural = "s" if len(items) != 1 else ""
        failure = ET.SubElement(case, "failure", message=f"{len(items)} finding{plural}",
                                type=codes)
        failure.text = xml_safe("\n".join(
            f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"
            + (f"\n    hint: {f.hint}" if f.hint and f.hint not in f.message else "")
            for f in items))
    if passing or not findings:
        ET.SubElement(suite, "testcase", classname="ssot-lint",
                      name=f"{passing} file{'s' if passing != 1 else ''} without findings")
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
