"""Render a ``GraphView`` as DOT, Mermaid, JSON or GraphML.

Violating edges are red (DOT and Mermaid) and carry their rule codes; nodes whose
file cannot be parsed are dashed, because their imports are unknown. Output is
deterministic: nodes and edges come sorted from the view.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ssot_lint.graph.view import GraphView, ViewEdge

FORMATS = ("dot", "mermaid", "json", "graphml")
RED = "#d62728"


def _label(edge: ViewEdge, level: str) -> str:
    codes = " ".join(sorted(edge.violations))
    count = str(edge.count) if level != "module" or edge.count > 1 else ""
    return " ".join(part for part in (count, codes) if part)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(view: GraphView) -> str:
    lines = ["digraph ssot_lint {", "  rankdir=LR;",
             '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for node in view.nodes:
        style = (', style=dashed, tooltip="cannot be parsed: imports unknown"'
                 if node.partial else "")
        lines.append(f"  {_quote(node.id)}{f' [{style[2:]}]' if style else ''};")
    for edge in view.edges:
        attrs = []
        label = _label(edge, view.level)
        if label:
            attrs.append(f"label={_quote(label)}")
        if edge.violations:
            attrs += [f'color="{RED}"', f'fontcolor="{RED}"', "penwidth=2"]
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_mermaid(view: GraphView) -> str:
    ids = {node.id: f"n{i}" for i, node in enumerate(view.nodes)}
    lines = ["flowchart LR"]
    for node in view.nodes:
        text = node.id.replace('"', "'")
        lines.append(f'  {ids[node.id]}["{text}"]')
        if node.partial:
            lines.append(f"  style {ids[node.id]} stroke-dasharray: 5 5")
    red = []
    for index, edge in enumerate(view.edges):
        label = _label(edge, view.level)
        arrow = f"-->|{label}|" if label else "-->"
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
        if edge.violations:
            red.append(str(index))
    if red:
        lines.append(f"  linkStyle {','.join(red)} stroke:{RED},stroke-width:2px,color:{RED}")
    return "\n".join(lines) + "\n"


def as_data(view: GraphView) -> dict[str, Any]:
    """The JSON document: nodes, and edges with every import site behind them."""
    return {
        "version": 1,
        "level": view.level,
        "nodes": [{"id": n.id, "kind": n.kind, "service": n.service, "file": n.file,
                   "partial": n.partial} for n in view.nodes],
        "edges": [{"source": e.source, "target": e.target, "count": e.count,
                   "violations": sorted(e.violations),
                   "sites": [{"path": s.rel, "line": s.fact.line, "column": s.fact.col,
                              "importer": s.importer, "target": s.target,
                              "scope": s.scope, "kind": s.fact.kind} for s in e.sites]}
                  for e in view.edges],
    }


def render_json(view: GraphView) -> str:
    return json.dumps(as_data(view), indent=2) + "\n"


def render_graphml(view: GraphView) -> str:
    import networkx as nx

    graph = nx.DiGraph()
    for node in view.nodes:
        graph.add_node(node.id, kind=node.kind, service=node.service or "",
                       file=node.file or "", partial=node.partial)
    for edge in view.edges:
        graph.add_edge(edge.source, edge.target, count=edge.count,
                       violations=",".join(sorted(edge.violations)),
                       color=RED if edge.violations else "")
    return "\n".join(nx.generate_graphml(graph)) + "\n"


RENDERERS: dict[str, Callable[[GraphView], str]] = {
    "dot": render_dot, "mermaid": render_mermaid, "json": render_json,
    "graphml": render_graphml,
}
