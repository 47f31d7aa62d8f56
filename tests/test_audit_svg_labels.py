"""Edge labels of the audit's service graph never overlap each other or a box, nor clip.

The label boxes are read back from the SVG itself (``<g class="count ...">`` rects,
offset by the drawing's translate group, if any) and checked against each other, the
service boxes and the ``viewBox``: on a dense many-service fixture (every service
importing most others, violations both ways, counts from 1 to 5 digits) and on
generated graphs.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from ssot_lint.audit.model import ServiceEdge
from ssot_lint.audit.svg import render_svg

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def _boxes(svg: str) -> tuple[list[Box], list[Box], tuple[float, float]]:
    """(label boxes, node boxes, (width, height)) in the drawing's coordinates."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    dx = dy = 0.0
    labels: list[Box] = []
    nodes: list[Box] = []

    def walk(element: ET.Element, dx: float, dy: float) -> None:
        transform = element.get("transform")
        if transform:
            x, y = transform.removeprefix("translate(").rstrip(")").split(",")
            dx, dy = dx + float(x), dy + float(y)
        kind = (element.get("class") or "").split()
        for child in element:
            if child.tag == f"{SVG}rect" and kind[:1] in (["count"], ["node"]):
                box = (float(child.get("x", 0)) + dx, float(child.get("y", 0)) + dy,
                       float(child.get("width", 0)), float(child.get("height", 0)))
                (labels if kind[0] == "count" else nodes).append(box)
            walk(child, dx, dy)

    walk(root, dx, dy)
    return labels, nodes, (width, height)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def assert_labels_clear(svg: str, count: int) -> None:
    labels, nodes, (width, height) = _boxes(svg)
    assert len(labels) == count
    for a, b in itertools.combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    for label in labels:
        assert not any(_overlap(label, node) for node in nodes), label
        x, y, w, h = label
        assert x >= 0 and x + w <= width, (label, width)
        assert y >= 0 and y + h <= height, (label, height)


def test_dense_graph_of_many_services_has_clear_labels() -> None:
    names = tuple(f"service_{i:02d}" for i in range(14))
    edges = []
    for i, j in itertools.permutations(range(14), 2):
        if (i * 7 + j * 3) % 4 == 0:
            continue
        allowed = i < j
        edges.append(ServiceEdge(names[i], names[j], 10 ** ((i + j) % 5) + i, allowed))
    svg = render_svg(names, tuple(edges), {n: 3 for n in names})
    assert len(edges) > 100
    assert_labels_clear(svg, len(edges))


def test_a_chain_with_long_lanes_has_clear_labels() -> None:
    names = tuple("abcdefgh")
    edges = [ServiceEdge(a, b, 12345, True) for a, b in zip(names, names[1:], strict=False)]
    edges += [ServiceEdge(names[-1], n, 7, False) for n in names[:-2]]
    edges += [ServiceEdge(names[0], n, 99, True) for n in names[2:]]
    assert_labels_clear(render_svg(names, tuple(edges), {}), len(edges))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=10).flatmap(lambda n: st.tuples(
    st.just(n),
    st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                      st.integers(1, 99999), st.booleans()).filter(lambda e: e[0] != e[1]),
            max_size=40))))
def test_generated_graphs_have_clear_labels(graph: tuple[int, set[tuple[int, int, int, bool]]]
                                            ) -> None:
    count, raw = graph
    names = tuple(f"svc{i}" for i in range(count))
    unique = {(a, b): (n, ok) for a, b, n, ok in sorted(raw)}
    edges = tuple(ServiceEdge(names[a], names[b], n, ok) for (a, b), (n, ok) in unique.items())
    assert_labels_clear(render_svg(names, edges, {}), len(edges))
