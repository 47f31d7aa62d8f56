"""Rendering the audit: golden Markdown and JSON, HTML structure, the SVG graph, escaping."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ssot_lint.audit import audit
from ssot_lint.audit.html import render_html
from ssot_lint.audit.markdown import render_markdown
from ssot_lint.audit.model import Audit, ServiceEdge
from ssot_lint.audit.svg import BAD, render_svg
from ssot_lint.load.config import load_config
from tests.conftest import make_audit_project as make_project

GOLDEN = Path(__file__).parent / "audit_golden"
UPDATE = os.environ.get("SSOT_LINT_UPDATE_GOLDEN") == "1"  # regenerate on purpose only
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

EVIL_FILE = "api/<img src=x onerror=alert(1)>.py"
EVIL_HINT = '</code><script>alert("hint")</script>'
EVIL_REGISTRY = f"""
[deprecated."auth.keys.signing_key"]
use_instead = "shared.client.Client"
hint = '{EVIL_HINT}'
"""


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def _audit(root: Path, select: tuple[str, ...] = (), title: str | None = None) -> Audit:
    return audit([], load_config(root, overrides={"select": select}), title=title)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_markdown_golden(tmp_path: Path, pinned: None) -> None:
    root = make_project(tmp_path / "mono")
    _golden("report.md", render_markdown(_audit(root, ("SSOT0", "SSOT1"))))


def test_json_golden(tmp_path: Path, pinned: None) -> None:
    root = make_project(tmp_path / "mono")
    data = _audit(root, ("SSOT0", "SSOT1")).to_dict()
    _golden("audit.json", json.dumps(data, indent=2) + "\n")


def test_html_is_self_contained_and_complete(tmp_path: Path) -> None:
    html = render_html(_audit(make_project(tmp_path / "mono")))
    tags = _elements(html)
    names = [t for t, _ in tags]
    assert "script" not in names and "link" not in names and "img" not in names
    for tag, attrs in tags:  # nothing is fetched: no src, no external href
        assert "src" not in attrs, tag
        assert not (attrs.get("href") or "#").lstrip().startswith(("http", "//")), tag
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    ids = {a.get("id") for _, a in tags}
    assert {"headline", "services", "rules", "deprecated", "files", "packages", "health",
            "fix"} <= ids
    assert names.count("svg") == 1
    assert "77.8% compliant, 11 violations in 6 files (18 files checked)" in html


def test_svg_draws_every_edge_and_colours_violations_red() -> None:
    edges = (ServiceEdge("api", "shared", 5, True), ServiceEdge("shared", "api", 1, False),
             ServiceEdge("api", "billing", 2, True))
    svg = render_svg(("api", "billing", "shared"), edges, {"api": 3, "billing": 1, "shared": 2})
    tags = _elements(svg)
    groups = [a.get("class") for t, a in tags if t == "g" and "edge" in (a.get("class") or "")]
    assert sorted(groups) == ["edge allowed", "edge allowed", "edge violation"]
    red_paths = [a for t, a in tags if t == "path" and a.get("stroke") == BAD]
    assert len(red_paths) == 1 and red_paths[0]["marker-end"] == "url(#arrow-bad)"
    assert [t for t, _ in tags].count("rect") == 3 + 3  # three nodes, three edge labels
    assert "api \u2192 billing: 2 import sites" in svg and "3 files" in svg
    assert render_svg((), (), {}) == ""


def test_svg_puts_importers_above_what_they_import() -> None:
    edges = (ServiceEdge("web", "core", 1, True), ServiceEdge("core", "db", 1, True))
    svg = render_svg(("core", "db", "web"), edges, {})
    y = {}
    for tag, attrs in _elements(svg):
        if tag == "rect" and attrs.get("rx") == "8":
            y[len(y)] = float(attrs["y"] or 0)
    assert y[2] < y[0] < y[1]  # web above core above db (nodes drawn in name order)


def test_markup_in_names_hints_and_titles_is_escaped(tmp_path: Path) -> None:
    root = make_project(tmp_path / "mono", {EVIL_FILE: "def broken(:\n"},
                        registry_extra=EVIL_REGISTRY)
    result = _audit(root, title="<b>owned</b>")
    assert any(f.path == EVIL_FILE for f in result.top_files)
    assert any(d.hint == EVIL_HINT for d in result.deprecated)
    html = render_html(result)
    tags = _elements(html)
    assert {"script", "img", "b"}.isdisjoint(t for t, _ in tags)
    assert not [(t, k) for t, a in tags for k in a if k.startswith("on")]
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in html
    assert "&lt;/code&gt;&lt;script&gt;alert(&quot;hint&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;owned&lt;/b&gt;" in html
    markdown = render_markdown(result)
    assert "<img" not in markdown and "<script" not in markdown and "<b>" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown


def test_markdown_cells_cannot_break_tables(tmp_path: Path) -> None:
    root = make_project(tmp_path / "mono", {"api/a|b.py": "def broken(:\n"})
    markdown = render_markdown(_audit(root))
    row = next(line for line in markdown.splitlines() if "a\\|b.py" in line)
    assert row.count(" | ") == 4  # five cells: the pipe in the name is escaped


def test_service_graph_in_markdown_is_mermaid_with_red_violations(tmp_path: Path) -> None:
    markdown = render_markdown(_audit(make_project(tmp_path / "mono")))
    block = markdown.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    links = [line for line in block if "-->" in line]
    assert len(links) == 6
    style = next(line for line in block if "linkStyle" in line)
    red = [links[int(i)] for i in style.split()[1].split(",")]
    assert red == ["  s2 -->|2| s0", "  s3 -->|1| s1"]  # billing -> api, shared -> auth
