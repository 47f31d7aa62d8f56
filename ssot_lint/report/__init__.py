"""Reporters render a finished, sorted list of findings; they never decide anything."""

from __future__ import annotations

from collections.abc import Callable

from ssot_lint.model.finding import Finding

from ssot_lint.report.github import render_github
from ssot_lint.report.json_report import render_json
from ssot_lint.report.junit import render_junit
from ssot_lint.report.sarif import render_sarif
from ssot_lint.report.text import render_text
from ssot_lint.report.summary import Summary

Renderer = Callable[[list[Finding], Summary, bool], str]  # (findings, summary, quiet)

RENDERERS: dict[str, Renderer] = {"text": render_text, "json": render_json,
                                   "sarif": render_sarif, "github": render_github,
                                   "junit": render_junit}

__all__ = ["RENDERERS", "Summary", "render_github", "render_json", "render_junit", "render_sarif",
           "render_text"]
