"""Draw the service dependency graph as inline SVG: no JavaScript, no network.

A layered drawing: services that import others sit above the services they import
(ranks are longest paths in the graph of strongly connected components, computed
with networkx), so a healthy architecture reads top-down and an edge that breaks
``may_import`` stands out in red. Every text is escaped; ids never contain names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import networkx as nx

from ssot_lint.audit.model import ServiceEdge

BAD, OK, NODE_FILL, NODE_STROKE = "#d62728", "#8a94a6", "#eef3fb", "#3b5b92"
NODE_H, GAP_X, GAP_Y, MARGIN, LEGEND_W = 46, 48, 170, 40, 520
BEND = 56  # how far a same-row arc bulges (its peak is 3/4 of this)


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _ranks(names: tuple[str, ...], edges: tuple[ServiceEdge, ...]) -> list[list[str]]:
    """Rows of service names, importers above importees; cycles share a row."""
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from((e.source, e.target) for e in edges)
    dag = nx.condensation(graph)
    rank: dict[int, int] = {}
    for component in nx.lexicographical_topological_sort(dag):
        rank[component] = max((rank[p] + 1 for p in dag.predecessors(component)), default=0)
    rows: list[list[str]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for name in names:
        rows[rank[dag.graph["mapping"][name]]].append(name)
    position: dict[str, float] = {}
    for index, row in enumerate(rows):
        if index:  # barycentre of the importers above: fewer crossings
            def weight(name: str) -> tuple[float, str]:
                above = [position[p] for p in graph.predecessors(name) if p in position]
                return (sum(above) / len(above) if above else math.inf, name)
            row.sort(key=weight)
        for i, name in enumerate(row):
            position[name] = i - (len(row) - 1) / 2
    return rows


def _width(name: str) -> float:
    return float(min(260, max(120, 8 * len(name) + 28)))


def render_svg(names: tuple[str, ...], edges: tuple[ServiceEdge, ...],
               files: dict[str, int]) -> str:
    """The graph as an ``<svg>`` element (empty string when there are no services)."""
    if not names:
        return ""
    rows = _ranks(names, edges)
    row_widths = [sum(_width(n) for n in row) + GAP_X * (len(row) - 1) for row in rows]
    width = max(max(row_widths) + 2 * MARGIN, LEGEND_W)
    boxes: dict[str, _Box] = {}
    for index, row in enumerate(rows):
        x = (width - row_widths[index]) / 2
        for name in row:
            boxes[name] = _Box(x, MARGIN + 30 + index * (NODE_H + GAP_Y), _width(name))
            x += _width(name) + GAP_X
    height = MARGIN + 30 + len(rows) * (NODE_H + GAP_Y) - GAP_Y + BEND + MARGIN + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-label="service dependency graph">',
        "<defs>",
        *(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
          f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
          f'fill="{color}"/></marker>' for kind, color in (("ok", OK), ("bad", BAD))),
        "</defs>",
    ]
    ordered = sorted(edges, key=lambda e: (not e.allowed, e.source, e.target))  # red on top
    ports = _ports(ordered, boxes)
    for index, edge in enumerate(ordered):
        parts.append(_edge(edge, boxes[edge.source], boxes[edge.target],
                           ports[(index, "source")], ports[(index, "target")]))
    for name in names:
        parts.append(_node(name, boxes[name], files.get(name, 0)))
    legend_y = height - 24
    parts.append(
        f'<g class="legend" font-family="sans-serif" font-size="12">'
        f'<line x1="{MARGIN}" y1="{legend_y}" x2="{MARGIN + 30}" y2="{legend_y}" stroke="{OK}" '
        f'stroke-width="2.5"/><text x="{MARGIN + 38}" y="{legend_y + 4}">allowed import '
        f'(count = import sites)</text>'
        f'<line x1="{MARGIN + 260}" y1="{legend_y}" x2="{MARGIN + 290}" y2="{legend_y}" '
        f'stroke="{BAD}" stroke-width="4"/><text x="{MARGIN + 298}" y="{legend_y + 4}">'
        f'not in may_import</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def _sides(edge: ServiceEdge, a: _Box, b: _Box) -> tuple[str, str]:
    """Which side (top/bottom) of the source and target boxes an edge attaches to."""
    if a.y == b.y:  # same row (a cycle): arc above when left-to-right, below otherwise
        return ("top", "top") if a.x < b.x else ("bottom", "bottom")
    return ("bottom", "top") if a.y < b.y else ("top", "bottom")


def _ports(edges: list[ServiceEdge], boxes: dict[str, _Box]) -> dict[tuple[int, str], float]:
    """x of each edge end, spread along its box side in the order of the other ends.

    Spreading the ends keeps edges between the same rows from sharing a line or a label.
    """
    ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for index, edge in enumerate(edges):
        a, b = boxes[edge.source], boxes[edge.target]
        side_a, side_b = _sides(edge, a, b)
        ends.setdefault((edge.source, side_a), []).append((b.cx, index, "source"))
        ends.setdefault((edge.target, side_b), []).append((a.cx, index, "target"))
    ports: dict[tuple[int, str], float] = {}
    for (name, _side), items in ends.items():
        box = boxes[name]
        items.sort()
        for i, (_x, index, end) in enumerate(items):
            ports[(index, end)] = box.x + box.w * (0.2 + 0.6 * (i + 1) / (len(items) + 1))
    return ports


def _edge(edge: ServiceEdge, a: _Box, b: _Box, xa: float, xb: float) -> str:
    color, kind = (OK, "ok") if edge.allowed else (BAD, "bad")
    stroke = min(9.0, 1.6 + 1.6 * math.log10(edge.imports + 1)) + (0 if edge.allowed else 1.5)
    side_a, _ = _sides(edge, a, b)
    if a.y == b.y:
        y0 = a.y if side_a == "top" else a.y + NODE_H
        bend = -BEND if side_a == "top" else BEND
        p = [(xa, y0), (xa, y0 + bend), (xb, y0 + bend), (xb, y0)]
    elif a.y < b.y:
        p = [(xa, a.y + NODE_H), (xa, a.y + NODE_H + GAP_Y / 2), (xb, b.y - GAP_Y / 2), (xb, b.y)]
    else:
        p = [(xa, a.y), (xa, a.y - GAP_Y / 2), (xb, b.y + NODE_H + GAP_Y / 2), (xb, b.y + NODE_H)]
    mx = (p[0][0] + 3 * p[1][0] + 3 * p[2][0] + p[3][0]) / 8
    my = (p[0][1] + 3 * p[1][1] + 3 * p[2][1] + p[3][1]) / 8
    path = "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(
        *(c for point in p for c in point))
    label = str(edge.imports)
    tip = (f"{edge.source} \u2192 {edge.target}: {edge.imports} import site"
           f"{'' if edge.imports == 1 else 's'}"
           f"{'' if edge.allowed else ' (not in may_import)'}")
    box_w = 8 * len(label) + 10
    return (f'<g class="edge {"violation" if not edge.allowed else "allowed"}">'
            f"<title>{escape(tip)}</title>"
            f'<path d="{path}" fill="none" stroke="{color}" stroke-width="{stroke:.1f}" '
            f'marker-end="url(#arrow-{kind})"/>'
            f'<rect x="{mx - box_w / 2:.1f}" y="{my - 9:.1f}" width="{box_w}" height="18" '
            f'rx="4" fill="#ffffff" stroke="{color}"/>'
            f'<text x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="12" fill="{color}">{escape(label)}</text></g>')


def _node(name: str, box: _Box, files: int) -> str:
    shown = name if len(name) <= 30 else name[:29] + "\u2026"
    return (f'<g class="node"><title>{escape(name)}</title>'
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.0f}" height="{NODE_H}" '
            f'rx="8" fill="{NODE_FILL}" stroke="{NODE_STROKE}" stroke-width="1.5"/>'
            f'<text x="{box.cx:.1f}" y="{box.y + 20:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" font-weight="bold">{escape(shown)}</text>'
            f'<text x="{box.cx:.1f}" y="{box.y + 37:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="11" fill="#555">{files} file'
            f'{"" if files == 1 else "s"}</text></g>')
