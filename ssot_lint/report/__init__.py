"""Reporters render a finished, sorted list of findings; they never decide anything."""

from __future__ import annotations

from collections.abc import Callable

from ssot_lint.report.json_report import render_json
from ssot_lint.report.text import render_text
from ssot_lint.report.summary import Summary

Renderer = Callable[[list, Summary], str]

RENDERERS: dict[str, Renderer] = {"text": render_text, "json": render_json}

__all__ = ["RENDERERS", "Summary", "render_json", "render_text"]
