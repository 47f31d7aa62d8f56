"""The module dependency graph and the architecture rules built on it.

Nothing here parses a file: the graph is built from the per-file facts the scan
already extracted (``ssot_lint.graph.sites`` turns facts into import sites,
``ssot_lint.graph.build`` adds them to a networkx graph). What each rule concludes
lives in the rule's module (SSOT202-SSOT204's ``analyse``); this package holds the
graph, the service map and the algorithms (shortest chains, cycle breakers), and
``analysis`` runs each rule's analysis once per project (``analysis_of``). networkx
is imported only where a graph is built, so the rules can import this package and
runs without architecture rules stay light.
"""

from __future__ import annotations
