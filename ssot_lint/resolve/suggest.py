""""Did you mean ...?" for unresolved modules and names."""

from __future__ import annotations

import difflib

from ssot_lint.resolve.modules import ModuleIndex

# How alike (difflib ratio) a suggested path must be to the one written. A suggestion
# that points somewhere unrelated costs more trust than no suggestion at all.
PATH_CUTOFF = 0.6
NAME_CUTOFF = 0.7


def suggest_module(missing: str, importer: str | None, index: ModuleIndex) -> str | None:
    """The likely intended module for an unresolved ``missing`` import.

    First a module of the same relative name next to the importing file (a relative
    import rewritten to absolute without its package), then a module with the same
    last component, then the closest spelling among existing modules. Candidates other
    than the first must be in the same top-level package as ``missing`` and alike
    enough to it (``PATH_CUTOFF``): another service's ``core.config`` is not what an
    import of ``app.core.config`` meant.
    """
    if importer:
        package = importer.rsplit(".", 1)[0] if "." in importer else ""
        while package:
            candidate = f"{package}.{missing}"
            if index.exists(candidate):
                return candidate
            package = package.rsplit(".", 1)[0] if "." in package else ""
    ancestors = {missing.rsplit(".", i)[0] for i in range(1, missing.count(".") + 1)}
    top = missing.split(".", 1)[0]
    modules = [m for m in index.all_modules()
               if m not in ancestors and m.split(".", 1)[0] == top]
    last = missing.rsplit(".", 1)[-1]
    same_tail = [m for m in modules if m.rsplit(".", 1)[-1] == last and m != missing
                 and _alike(m, missing) >= PATH_CUTOFF]
    if same_tail:
        return max(same_tail, key=lambda m: (_common_prefix(m, missing), -len(m), m))
    parent, _, tail = missing.rpartition(".")
    if parent and index.exists(parent):
        siblings = {m.rsplit(".", 1)[-1]: m for m in modules
                    if m.rpartition(".")[0] == parent}
        close = difflib.get_close_matches(tail, list(siblings), n=1, cutoff=0.75)
        return siblings[close[0]] if close else None
    close = difflib.get_close_matches(missing, modules, n=1, cutoff=0.85)
    return close[0] if close else None


def suggest_name(name: str, candidates: list[str]) -> str | None:
    """The closest name the same module offers (``NAME_CUTOFF``), if any."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=NAME_CUTOFF)
    return close[0] if close else None


def _alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        count += 1
    return count
