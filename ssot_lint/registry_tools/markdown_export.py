"""Render the TOML registry as a Markdown document people can read, grouped by service.

The Markdown is generated, so it never drifts from the registry. It is written in
the style ``import-markdown`` reads (``# CANONICAL``, ``# alias of``, ``# ❌ BROKEN:``,
``# USE INSTEAD:``, ``# HINT:``), so export -> import gives the same registry back.
Severity, ``allow_in``, ``paths`` and ``fix`` are shown as comments for readers; they,
services and layers are not read back by ``import-markdown``.
"""

from __future__ import annotations

from collections import defaultdict

from ssot_lint.escape import printable
from ssot_lint.model.registry import Registry, RuleEntry, Status, SymbolEntry
from ssot_lint.rules._imports import import_line


def service_of(registry: Registry, path: str) -> str:
    """The service owning ``path`` (longest package prefix), else its top-level package."""
    best, length = path.split(".", 1)[0], -1
    for name, service in registry.services.items():
        for package in service.packages:
            if (path == package or path.startswith(package + ".")) and len(package) > length:
                best, length = name, len(package)
    return best


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _symbol_lines(entry: SymbolEntry) -> list[str]:
    marks = ["CANONICAL"]
    if entry.verified == "false":
        marks.append("❓")
    elif entry.verified == "true":
        marks.append("VERIFIED")
    elif entry.verified:
        marks.append(f"VERIFIED {entry.verified}")
    return [f"{import_line(entry.path)}  # {', '.join(marks)}"]


def _rule_lines(entry: RuleEntry) -> list[str]:
    label = "❌ BROKEN" if entry.kind == Status.BROKEN else "⚠️ DEPRECATED"
    reason = f": {_one_line(entry.reason)}" if entry.reason else ""
    lines = [f"{import_line(entry.path)}  # {label}{reason}"]
    if entry.hint:  # before USE INSTEAD, which closes the entry for import-markdown
        lines.append(f"# HINT: {_one_line(entry.hint)}")
    if entry.use_instead:
        lines.append(f"# USE INSTEAD: {entry.use_instead}")
    extras = []
    default = "error" if entry.kind == Status.BROKEN else "warning"
    if entry.severity != default:
        extras.append(f"severity {entry.severity}")
    if entry.allow_in:
        extras.append(f"allowed in {', '.join(entry.allow_in)}")
    if entry.paths:
        extras.append(f"allowed in files {', '.join(entry.paths)}")
    if entry.fix != "auto":
        extras.append(f"fix {entry.fix}")
    if entry.docs:
        extras.append(f"docs {entry.docs}")
    if extras:
        lines.append(f"# ({'; '.join(extras)})")
    return lines


def _fence(lines: list[str]) -> list[str]:
    return ["```python", *lines, "```", ""]


def export_markdown(registry: Registry, source: str) -> str:
    """The Markdown document for ``registry`` (``source`` names the TOML it came from)."""
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, entry in sorted(registry.symbols.items()):
        group = groups[service_of(registry, path)]
        group["verified"].extend(_symbol_lines(entry))
        for alias in entry.aliases:
            groups[service_of(registry, alias)]["aliases"].append(
                f"{import_line(alias)}  # alias of {path}")
    for kind, rules in (("broken", registry.broken), ("deprecated", registry.deprecated)):
        for path, rule in sorted(rules.items()):
            groups[service_of(registry, path)][kind].extend(_rule_lines(rule) + [""])
    out = ["# SSOT IMPORT REGISTRY", "",
           f"Generated from `{source}` by `ssot-lint registry export-markdown`: do not edit "
           "by hand; edit the TOML registry and export again.", "",
           "## SERVICE IMPORT PATTERNS", ""]
    titles = (("verified", "#### ✅ VERIFIED IMPORTS (canonical):"),
              ("aliases", "#### ✅ COMPATIBILITY ALIASES (work, but import the canonical path):"),
              ("broken", "#### ❌ BROKEN IMPORTS (Do Not Use):"),
              ("deprecated", "#### ⚠️ DEPRECATED IMPORTS (migrate):"))
    for name in sorted(groups):
        out += [f"### {name} Service", ""]
        for key, title in titles:
            lines = groups[name].get(key)
            if lines:
                while lines and not lines[-1]:
                    lines.pop()
                out += [title, *_fence(lines)]
    out += _architecture(registry)
    # registry text (a reason, a service name) may hold a line break or a terminal
    # escape: each line stays one line, nothing reaches a terminal raw
    return "\n".join(printable(line) for line in out).rstrip("\n") + "\n"


def _architecture(registry: Registry) -> list[str]:
    if not (registry.services or registry.layers):
        return []
    out = ["## SERVICE BOUNDARIES", ""]
    if registry.services:
        out += ["| service | packages | may import | reason |", "|---|---|---|---|"]
        for name, service in sorted(registry.services.items()):
            out.append(f"| {name} | {', '.join(service.packages)} | "
                       f"{', '.join(service.may_import) or '(nothing)'} | "
                       f"{_one_line(service.reason or '')} |")
        out.append("")
    for stack in registry.layers:
        out += [f"Layers **{stack.name}** (highest first; lower may not import higher): "
                + " → ".join(f"`{m}`" for m in stack.order), ""]
    return out
