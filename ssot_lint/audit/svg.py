"""Draw the service dependency graph as inline SVG: no JavaScript, no network.

A layered drawing of the *intended* architecture: rows come from the allowed edges
only (longest paths over their strongly connected components, with networkx), so
services sit above the services they may import, and an edge that breaks
``may_import`` typically runs upwards, against the flow, in red. Edges between
adjacent rows are drawn directly; longer ones run in lanes outside the rows (allowed
on the left, violating on the right) so they never cross a box. Each edge's label (its
import-site count) is placed on its own curve where it overlaps no other label and no
box — tried at the middle first, then further along the curve, then pushed clear — and
the drawing grows to hold every label, so none overlaps or is clipped. Every text is
escaped; element ids never contain names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import networkx as nx

from ssot_lint.audit.model import ServiceEdge, plural

BAD, OK, NODE_FILL, NODE_STROKE = "#d62728", "#8a94a6", "#eef3fb", "#3b5b92"
NODE_H, GAP_X, GAP_Y, MARGIN, LEGEND_W = 46, 48, 140, 40, 640
BEND = 56  # how far a same-row arc bulges (its peak is 3/4 of this)
LANE_PAD, LANE_GAP = 34, 36
LABEL_H, LABEL_GAP = 18, 2  # an edge label's height and the space kept around it
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)  # where on a curve to try a label

Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    rank: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _rows(names: tuple[str, ...], edges: tuple[ServiceEdge, ...]) -> list[list[str]]:
    """Rows of service names from the allowed edges; importers above importees."""
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from((e.source, e.target) for e in edges if e.allowed)
    dag = nx.condensation(graph)
    rank: dict[int, int] = {}
    for component in nx.lexicographical_topological_sort(dag):
        rank[component] = max((rank[p] + 1 for p in dag.predecessors(component)), default=0)
    rows: list[list[str]] = [[] for _ in range(max(rank.values()) + 1)]
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
    return float(min(260, max(150, 8 * len(name) + 28)))


def _kind(a: _Box, b: _Box) -> str:
    """How an edge is routed: "arc" (same row), "direct" (adjacent rows) or "lane"."""
    span = abs(a.rank - b.rank)
    return "arc" if span == 0 else ("direct" if span == 1 else "lane")


def _sides(a: _Box, b: _Box) -> tuple[str, str]:
    if a.rank == b.rank:  # left-to-right arcs above, right-to-left below
        return ("top", "top") if a.x < b.x else ("bottom", "bottom")
    return ("bottom", "top") if a.rank < b.rank else ("top", "bottom")


class _Layout:
    """Boxes, lanes and edge end points for one graph."""

    def __init__(self, names: tuple[str, ...], edges: list[ServiceEdge]) -> None:
        self.rows = _rows(names, tuple(edges))
        ranks = {name: i for i, row in enumerate(self.rows) for name in row}
        lanes = sorted((e for e in edges if abs(ranks[e.source] - ranks[e.target]) > 1),
                       key=lambda e: (abs(ranks[e.source] - ranks[e.target]), e.source, e.target))
        left = [e for e in lanes if ranks[e.source] < ranks[e.target]]
        right = [e for e in lanes if ranks[e.source] > ranks[e.target]]
        row_widths = [sum(_width(n) for n in row) + GAP_X * (len(row) - 1) for row in self.rows]
        content = max(row_widths)
        left_space = LANE_PAD + LANE_GAP * len(left) if left else 0
        right_space = LANE_PAD + LANE_GAP * len(right) if right else 0
        self.width = max(2 * MARGIN + left_space + content + right_space, LEGEND_W)
        start = MARGIN + left_space
        self.boxes: dict[str, _Box] = {}
        for index, row in enumerate(self.rows):
            x = start + (content - row_widths[index]) / 2
            for name in row:
                self.boxes[name] = _Box(x, MARGIN + 30 + index * (NODE_H + GAP_Y),
                                        _width(name), index)
                x += _width(name) + GAP_X
        self.height = (MARGIN + 30 + len(self.rows) * (NODE_H + GAP_Y) - GAP_Y + BEND
                       + MARGIN + 50)
        self.lane_x: dict[tuple[str, str], float] = {}
        for k, edge in enumerate(left):
            self.lane_x[(edge.source, edge.target)] = start - LANE_PAD + 10 - k * LANE_GAP
        for k, edge in enumerate(right):
            self.lane_x[(edge.source, edge.target)] = start + content + LANE_PAD - 10 \
                + k * LANE_GAP
        self.ports = self._ports(edges)

    def _ports(self, edges: list[ServiceEdge]) -> dict[tuple[int, str], float]:
        """x of each edge end, spread along its box side in the order of the other ends."""
        ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
        for index, edge in enumerate(edges):
            a, b = self.boxes[edge.source], self.boxes[edge.target]
            side_a, side_b = _sides(a, b)
            lane = self.lane_x.get((edge.source, edge.target))
            ends.setdefault((edge.source, side_a), []).append(
                (b.cx if lane is None else lane, index, "source"))
            ends.setdefault((edge.target, side_b), []).append(
                (a.cx if lane is None else lane, index, "target"))
        ports: dict[tuple[int, str], float] = {}
        for (name, _side), items in ends.items():
            box = self.boxes[name]
            items.sort()
            for i, (_x, index, end) in enumerate(items):
                ports[(index, end)] = box.x + box.w * (0.15 + 0.7 * (i + 1) / (len(items) + 1))
        return ports

    def route(self, index: int, edge: ServiceEdge) -> tuple[str, list[tuple[float, float]]]:
        """SVG path data and the places on it a label may go, the middle first."""
        a, b = self.boxes[edge.source], self.boxes[edge.target]
        xa, xb = self.ports[(index, "source")], self.ports[(index, "target")]
        side_a, _ = _sides(a, b)
        ya = a.y if side_a == "top" else a.y + NODE_H
        yb = b.y + NODE_H if side_a == "top" and a.rank != b.rank else b.y
        if a.rank == b.rank:
            yb = ya
        kind = _kind(a, b)
        if kind == "lane":
            lane = self.lane_x[(edge.source, edge.target)]
            d = 1 if yb > ya else -1
            path = (f"M{xa:.1f},{ya:.1f} C{xa:.1f},{ya + 34 * d:.1f} {lane:.1f},{ya + 16 * d:.1f} "
                    f"{lane:.1f},{ya + 56 * d:.1f} L{lane:.1f},{yb - 56 * d:.1f} "
                    f"C{lane:.1f},{yb - 16 * d:.1f} {xb:.1f},{yb - 34 * d:.1f} {xb:.1f},{yb:.1f}")
            top, bottom = ya + 56 * d, yb - 56 * d
            return path, [(lane, top + (bottom - top) * t) for t in _ALONG]
        if kind == "arc":
            bend = -BEND if side_a == "top" else BEND
            p = [(xa, ya), (xa, ya + bend), (xb, yb + bend), (xb, yb)]
        else:
            d = 1 if yb > ya else -1
            p = [(xa, ya), (xa, ya + d * GAP_Y / 2), (xb, yb - d * GAP_Y / 2), (xb, yb)]
        path = "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(
            *(c for point in p for c in point))
        return path, [_bezier(p, t) for t in _ALONG]


def _bezier(p: list[tuple[float, float]], t: float) -> tuple[float, float]:
    u = 1 - t
    weights = (u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3)
    return (sum(w * q[0] for w, q in zip(weights, p, strict=True)),
            sum(w * q[1] for w, q in zip(weights, p, strict=True)))


def label_width(label: str) -> float:
    return float(8 * len(label) + 10)


def _overlaps(a: Rect, b: Rect) -> bool:
    return (a[0] < b[0] + b[2] + LABEL_GAP and b[0] < a[0] + a[2] + LABEL_GAP
            and a[1] < b[1] + b[3] + LABEL_GAP and b[1] < a[1] + a[3] + LABEL_GAP)


def place_labels(candidates: list[list[tuple[float, float]]], widths: list[float],
                 obstacles: list[Rect]) -> list[Rect]:
    """A box for every label, overlapping no other label and no obstacle (a node box).

    Each label takes the first place on its curve that is free; when none is, it moves
    down from the middle of its curve, one label height at a time, until it is free
    (a finite search: every step passes at most one more box). Coordinates may end up
    outside the drawing; the caller grows the drawing to hold them.
    """
    placed: list[Rect] = []
    for points, width in zip(candidates, widths, strict=True):
        taken = [*obstacles, *placed]

        def free(box: Rect, taken: list[Rect] = taken) -> bool:
            return not any(_overlaps(box, other) for other in taken)

        boxes = [(x - width / 2, y - LABEL_H / 2, width, float(LABEL_H)) for x, y in points]
        choice = next((box for box in boxes if free(box)), None)
        if choice is None:
            x, y, w, h = boxes[0]
            for _ in range(len(taken) * 3 + 1):
                y += h + LABEL_GAP
                if free((x, y, w, h)):
                    break
            choice = (x, y, w, h)
        placed.append(choice)
    return placed


def render_svg(names: tuple[str, ...], edges: tuple[ServiceEdge, ...],
               files: dict[str, int]) -> str:
    """The graph as an ``<svg>`` element (empty string when there are no services)."""
    if not names:
        return ""
    ordered = sorted(edges, key=lambda e: (not e.allowed, e.source, e.target))  # red on top
    layout = _Layout(names, ordered)
    routes = [layout.route(index, edge) for index, edge in enumerate(ordered)]
    nodes = [(b.x, b.y, b.w, float(NODE_H)) for b in layout.boxes.values()]
    labels = place_labels([points for _, points in routes],
                          [label_width(str(e.imports)) for e in ordered], nodes)
    # grow the drawing (and shift everything right/down) so that no label is clipped
    shift_x = max(0.0, MARGIN / 2 - min((x for x, _, _, _ in labels), default=MARGIN))
    shift_y = max(0.0, MARGIN / 2 - min((y for _, y, _, _ in labels), default=MARGIN))
    width = max(layout.width, max((x + w for x, _, w, _ in labels), default=0) + MARGIN / 2
                ) + shift_x
    height = max(layout.height, max((y + h for _, y, _, h in labels), default=0) + MARGIN + 50
                 ) + shift_y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-label="service dependency graph">',
        "<defs>",
        *(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" '
          f'markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
          f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
          for kind, color in (("ok", OK), ("bad", BAD))),
        "</defs>",
    ]
    if shift_x or shift_y:
        parts.append(f'<g transform="translate({shift_x:.1f},{shift_y:.1f})">')
    for edge, (path, _) in zip(ordered, routes, strict=True):
        parts.append(_edge(edge, path))
    for edge, label in zip(ordered, labels, strict=True):
        parts.append(_label(edge, label))  # after every edge: no line crosses a label
    for name in names:
        parts.append(_node(name, layout.boxes[name], files.get(name, 0)))
    if shift_x or shift_y:
        parts.append("</g>")
    y = height - 40
    parts.append(
        f'<g class="legend" font-family="sans-serif" font-size="12">'
        f'<line x1="{MARGIN}" y1="{y}" x2="{MARGIN + 30}" y2="{y}" stroke="{OK}" '
        f'stroke-width="2.5"/><text x="{MARGIN + 38}" y="{y + 4}">allowed (number = import '
        f'sites)</text><line x1="{MARGIN + 230}" y1="{y}" x2="{MARGIN + 260}" y2="{y}" '
        f'stroke="{BAD}" stroke-width="4"/><text x="{MARGIN + 268}" y="{y + 4}">not in '
        f'may_import</text><text x="{MARGIN}" y="{y + 24}" fill="#555">arrows point from '
        f"the importing service; services are drawn above the services they may import"
        f"</text></g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _tip(edge: ServiceEdge) -> str:
    return (f"{edge.source} \u2192 {edge.target}: {plural(edge.imports, 'import site')}"
            f"{'' if edge.allowed else ' (not in may_import)'}")


def _edge(edge: ServiceEdge, path: str) -> str:
    color, kind = (OK, "ok") if edge.allowed else (BAD, "bad")
    stroke = min(9.0, 1.6 + 1.6 * math.log10(edge.imports + 1)) + (0 if edge.allowed else 1.5)
    return (f'<g class="edge {"violation" if not edge.allowed else "allowed"}">'
            f"<title>{escape(_tip(edge))}</title>"
            f'<path d="{path}" fill="none" stroke="{color}" stroke-width="{stroke:.1f}" '
            f'marker-end="url(#arrow-{kind})"/></g>')


def _label(edge: ServiceEdge, box: Rect) -> str:
    color = OK if edge.allowed else BAD
    x, y, w, h = box
    return (f'<g class="count {"violation" if not edge.allowed else "allowed"}">'
            f"<title>{escape(_tip(edge))}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.0f}" height="{h:.0f}" '
            f'rx="4" fill="#ffffff" stroke="{color}"/>'
            f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="12" fill="{color}">'
            f"{escape(str(edge.imports))}</text></g>")


def _node(name: str, box: _Box, files: int) -> str:
    shown = name if len(name) <= 30 else name[:29] + "\u2026"
    return (f'<g class="node"><title>{escape(name)}</title>'
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.0f}" height="{NODE_H}" '
            f'rx="8" fill="{NODE_FILL}" stroke="{NODE_STROKE}" stroke-width="1.5"/>'
            f'<text x="{box.cx:.1f}" y="{box.y + 20:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" font-weight="bold">{escape(shown)}</text>'
            f'<text x="{box.cx:.1f}" y="{box.y + 37:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="11" fill="#555">{plural(files, "file")}'
            f"</text></g>")
