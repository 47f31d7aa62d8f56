"""Reporters render a finished, sorted list of findings; they never decide anything.

Each format lives in its own module and is imported only when chosen, so the
pre-commit hook's start-up does not pay for SARIF, JUnit (xml) or baselines.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ssot_lint.model.finding import Finding
from ssot_lint.report.summary import Summary

Renderer = Callable[[list[Finding], Summary, bool], str]  # (findings, summary, quiet)

# format name -> (module, function)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("ssot_lint.report.text", "render_text"),
    "json": ("ssot_lint.report.json_report", "render_json"),
    "sarif": ("ssot_lint.report.sarif", "render_sarif"),
    "github": ("ssot_lint.report.github", "render_github"),
    "junit": ("ssot_lint.report.junit", "render_junit"),
}


def renderer(name: str) -> Renderer:
    """The render function of output format ``name`` (one of ``FORMATS``)."""
    module, function = FORMATS[name]
    found: Renderer = getattr(importlib.import_module(module), function)
    return found


__all__ = ["FORMATS", "Renderer", "Summary", "renderer"]
