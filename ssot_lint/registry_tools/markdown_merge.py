"""Settle what a Markdown registry's observations add up to, and say where it disagrees.

Rules, in order: a path listed as broken or deprecated anywhere is not canonical
(broken/deprecated win; each contradiction is reported with both line numbers); when a
name appears under several modules, comments decide the canonical home (``CANONICAL``,
``Original SSOT location``...) and the others become aliases; with a code base to
look at, the module that *defines* the name settles a tie; a tie nobody settles keeps
one symbol per module and is reported so a human decides.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ssot_lint.registry_tools.draft import Draft, DraftRule, DraftSymbol
from ssot_lint.registry_tools.markdown_import import Observation, Skipped

Defines = Callable[[str, str], bool]  # (module, name) -> does the code define it there?


@dataclass
class MergeReport:
    contradictions: list[str] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)
    unresolved: list[Skipped] = field(default_factory=list)


def _lines(observations: list[Observation]) -> str:
    numbers = sorted({o.line for o in observations})
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(map(str, numbers))


def _rule(kind: str, path: str, found: list[Observation], source: str,
          report: MergeReport) -> DraftRule:
    first = found[0]
    replacements = sorted({o.use_instead for o in found if o.use_instead})
    if len(replacements) > 1:
        report.contradictions.append(f"`{path}` has different replacements ({_lines(found)}): "
                                     f"{', '.join(replacements)}; kept {replacements[0]}")
    where = f"{source}:{', '.join(str(n) for n in sorted({o.line for o in found}))}"
    return DraftRule(path=path, kind=kind, use_instead=replacements[0] if replacements else None,
                     reason=next((o.reason for o in found if o.reason), None),
                     hint=next((o.hint for o in found if o.hint), None),
                     comments=[f"from {where}"]
                     + ([f"use_instead from line {first.use_instead_line}"]
                        if first.use_instead_line else []))


def _verified(found: list[Observation]) -> _dt.date | bool | None:
    dates = [o.verified for o in found if isinstance(o.verified, _dt.date)]
    if dates:
        return max(dates)
    if any(o.verified is False for o in found):
        return False
    if any(o.verified is True for o in found):
        return True
    return None


def merge(observations: list[Observation], source: str,
          defines: Defines | None = None) -> tuple[Draft, MergeReport]:
    """The registry the observations describe, and what a human should look at."""
    report = MergeReport()
    by_kind: dict[str, dict[str, list[Observation]]] = {"verified": {}, "broken": {},
                                                        "deprecated": {}}
    for observation in observations:
        by_kind[observation.kind].setdefault(observation.path, []).append(observation)
    broken, deprecated, verified = by_kind["broken"], by_kind["deprecated"], by_kind["verified"]
    for path in sorted(set(broken) & set(deprecated)):
        report.contradictions.append(f"`{path}` is deprecated ({_lines(deprecated[path])}) and "
                                     f"broken ({_lines(broken[path])}): broken wins")
        del deprecated[path]
    for path in sorted(set(verified) & (set(broken) | set(deprecated))):
        kind, other = ("broken", broken) if path in broken else ("deprecated", deprecated)
        report.contradictions.append(f"`{path}` is listed as verified ({_lines(verified[path])}) "
                                     f"and as {kind} ({_lines(other[path])}): {kind} wins")
        del verified[path]
    draft = Draft()
    _symbols(draft, verified, source, defines, report)
    canonical_by_name: dict[str, list[str]] = {}
    for path in draft.symbols:
        canonical_by_name.setdefault(path.rsplit(".", 1)[-1], []).append(path)
    for kind, entries, target in (("broken", broken, draft.broken),
                                  ("deprecated", deprecated, draft.deprecated)):
        for path in sorted(entries):
            rule = _rule(kind, path, entries[path], source, report)
            bare = next((o for o in entries[path] if o.bare_use_instead), None)
            if rule.use_instead is None and bare is not None:
                homes = canonical_by_name.get(bare.bare_use_instead or "", [])
                if len(homes) == 1:
                    rule.use_instead = homes[0]
                    rule.comments.append(f"use_instead: `{bare.bare_use_instead}` "
                                         f"(line {bare.use_instead_line}) is registered here")
                else:
                    report.unresolved.append(Skipped(
                        bare.use_instead_line or bare.line,
                        f"USE INSTEAD names `{bare.bare_use_instead}`, which is "
                        f"{'not a registered symbol' if not homes else 'ambiguous'}",
                        bare.bare_use_instead or ""))
            if kind == "deprecated" and rule.use_instead is None:
                homes = canonical_by_name.get(path.rsplit(".", 1)[-1], [])
                if len(homes) == 1 and homes[0] != path:
                    rule.use_instead = homes[0]
                    rule.comments.append("use_instead inferred: the same name is registered "
                                         "as canonical there")
            target[path] = rule
    return draft, report


def _symbols(draft: Draft, verified: dict[str, list[Observation]], source: str,
             defines: Defines | None, report: MergeReport) -> None:
    explicit: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for path, found in verified.items():
        target = next((o.alias_of for o in found if o.alias_of), None)
        if target and target != path and target in verified:
            explicit[path] = target
        else:
            by_name.setdefault(path.rsplit(".", 1)[-1], []).append(path)
    entries: dict[str, DraftSymbol] = {}
    for name in sorted(by_name):
        paths = sorted(by_name[name])
        homes = _canonical(name, paths, verified, defines, report)
        for home in homes:
            where = ", ".join(str(n) for n in sorted({o.line for o in verified[home]}))
            entries[home] = DraftSymbol(path=home, verified=_verified(verified[home]),
                                        comments=[f"from {source}:{where}"])
        if len(homes) == 1:
            entries[homes[0]].aliases = [p for p in paths if p != homes[0]]
    for alias, target in sorted(explicit.items()):
        if target in entries:
            entries[target].aliases = sorted({*entries[target].aliases, alias})
        else:
            report.ties.append(f"`{alias}` is marked as an alias of `{target}`, which is not "
                               f"canonical here; left out")
    for path in sorted(entries):
        if "." in path:
            draft.symbols[path] = entries[path]
    for entry in draft.symbols.values():
        entry.aliases.sort()


def _canonical(name: str, paths: list[str], verified: dict[str, list[Observation]],
               defines: Defines | None, report: MergeReport) -> list[str]:
    """The canonical home for ``name`` among ``paths``; all of them for a tie."""
    if len(paths) == 1:
        return paths

    def marker(path: str) -> str | None:
        markers = {o.marker for o in verified[path]}
        return "canonical" if "canonical" in markers else ("alias" if "alias" in markers
                                                           else None)

    marked = [p for p in paths if marker(p) == "canonical"]
    if len(marked) == 1:
        return marked
    unmarked = [p for p in paths if marker(p) is None]
    if not marked and len(unmarked) == 1:
        return unmarked
    candidates = marked or unmarked or paths
    if defines is not None:
        defining = [p for p in candidates if defines(p.rsplit(".", 1)[0], name)]
        if len(defining) == 1:
            return defining
    described = ", ".join(f"{p} ({_lines(verified[p])})" for p in candidates)
    report.ties.append(f"`{name}` has no single canonical home among {described}; every "
                       f"module listed for it is registered as its own symbol: decide")
    return paths


@dataclass
class Conversion:
    """The result of ``import-markdown``: the registry and everything a human must read."""

    draft: Draft
    report: MergeReport
    skipped: list[Skipped]

    def summary(self) -> dict[str, int]:
        return {"symbols": len(self.draft.symbols),
                "aliases": sum(len(s.aliases) for s in self.draft.symbols.values()),
                "broken": len(self.draft.broken), "deprecated": len(self.draft.deprecated),
                "skipped": len(self.skipped), "contradictions": len(self.report.contradictions),
                "ties": len(self.report.ties)}


def convert(text: str, source: str, defines: Defines | None = None) -> Conversion:
    """Markdown registry text -> a registry draft, skipped lines and contradictions."""
    from ssot_lint.registry_tools.markdown_import import observe

    observed = observe(text)
    draft, report = merge(observed.observations, source, defines)
    skipped = sorted([*observed.skipped, *report.unresolved], key=lambda s: (s.line, s.reason))
    draft.header = [f"Imported from {source} by `ssot-lint registry import-markdown`.",
                    "Each entry names the document lines it came from; review the notes at "
                    "the end."]
    notes = [f"contradiction: {c}" for c in report.contradictions]
    notes += [f"tie: {t}" for t in report.ties]
    notes += [f"skipped line {s.line}: {s.reason}" for s in skipped]
    if notes:
        draft.notes = ["--- notes from the import (for a human to review) ---", *notes]
    return Conversion(draft, report, skipped)
