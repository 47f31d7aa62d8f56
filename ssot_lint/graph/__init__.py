"""The module dependency graph and the architecture rules built on it.

Nothing here parses a file: the graph is built from the per-file facts the scan
already extracted (``ssot_lint.graph.sites`` turns facts into import sites,
``ssot_lint.graph.build`` adds them to a networkx graph). The analyses
(``services``, ``layers``, ``contracts``, ``cycles``) are computed once per project
(``Project.graph``) and the rules SSOT202-SSOT204 only pick the findings located in the
file they are asked about. ``services`` and ``sites`` do not import networkx, so
SSOT201 and runs without architecture rules stay light.
"""

from __future__ import annotations
