"""The audit as GitHub-flavoured Markdown, for a pull request, wiki page or issue.

The service graph becomes a Mermaid block (GitHub renders it; elsewhere it stays
readable text) with violating edges styled red. Values from the project are escaped
for table cells and for the HTML that Markdown passes through, so a file name cannot
break the table or inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ssot_lint.audit.compare import Comparison, Delta
from ssot_lint.audit.html import PACKAGES_SHOWN, UNREGISTERED_SHOWN, num
from ssot_lint.audit.model import Audit, dependencies, plural

SITES_SHOWN = 50
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # with [ ] escaped, ( ) ! cannot form links


def text(value: object, strip: bool = True) -> str:
    """Plain text safe in a Markdown table cell (no markup, no HTML, one line)."""
    raw = re.sub(r"\s+", " ", str(value))
    raw = raw.strip() if strip else raw
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", raw)


def code(value: object) -> str:
    """A code span; escaped plain text when the value holds a backtick or markup
    characters (a code span would show them literally, but not every Markdown
    pipeline is CommonMark, so markup never appears raw)."""
    raw = " ".join(str(value).split())
    if any(ch in raw for ch in "`<>&"):
        return text(raw)
    return "`" + raw.replace("|", "\\|") + "`"


def prose(value: str) -> str:
    """Escaped text keeping `backtick` spans as code."""
    pieces = re.split(r"`([^`]+)`", value)
    return "".join(code(p) if i % 2 else text(p, strip=False) for i, p in enumerate(pieces))


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if i in numeric else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _change(d: Delta) -> str:
    return f"{d.change:+g}" if d.change else "0"


def render_markdown(audit: Audit, comparison: Comparison | None = None) -> str:
    out = [f"# {text(audit.title)}", "",
           f"Generated {text(audit.generated_at)} from registry {code(audit.registry)}.", "",
           f"**{text(audit.headline())}**", ""]
    if audit.by_severity:
        out += [", ".join(f"{text(k)}: {v}" for k, v in audit.by_severity.items()), ""]
    if audit.baseline is not None:
        b = audit.baseline
        out += [f"## Baseline {code(b.file)}", "",
                _table(["", "findings", "compliance"], [
                    ("every finding", str(audit.overall.findings),
                     f"{audit.overall.compliance:.1f}%"),
                    ("new (not in the baseline)", str(b.new), f"{b.compliance_without:.1f}%"),
                    (f"known debt the baseline records ({b.files} files)", str(b.known), ""),
                ], numeric=(1, 2)), ""]
        if b.by_rule:
            out += [_table(["rule", "known findings"],
                           [(code(k), str(v)) for k, v in b.by_rule.items()], numeric=(1,)),
                    ""]
        if b.stale:
            out += [f"{b.stale} baseline entries matched nothing (fixed or stale).", ""]
    if comparison is not None:
        out += _progress(comparison)
    out += ["## Services", "",
            _table(["service", "files", "findings", "files with errors", "compliance"],
                   [(text(s.name), str(s.files), str(s.findings), str(s.files_with_errors),
                     f"{s.compliance:.1f}%") for s in audit.services], numeric=(1, 2, 3, 4)),
            ""]
    if audit.service_names:
        out += _graph(audit)
    out += ["## Findings by rule", ""]
    out += [_table(["rule", "what", "findings", "files"],
                   [(f"{code(r.code)} {text(r.rule)}", text(r.summary), str(r.findings),
                     str(r.files)) for r in audit.rules], numeric=(2, 3))
            if audit.rules else "No findings.", ""]
    out += _deprecated(audit)
    if audit.top_files:
        out += ["## Top offending files", "",
                _table(["file", "service", "errors", "findings", "rules"],
                       [(code(f.path), text(f.service), str(f.errors), str(f.findings),
                         text(", ".join(f"{k} x{v}" for k, v in f.by_rule.items())))
                        for f in audit.top_files], numeric=(2, 3)), ""]
    out += [f"## Packages ({len(audit.packages)}, most findings first, top "
            f"{min(len(audit.packages), PACKAGES_SHOWN)})", "",
            _table(["package", "files", "findings", "compliance"],
                   [(code(p.name), str(p.files), str(p.findings), f"{p.compliance:.1f}%")
                    for p in audit.packages[:PACKAGES_SHOWN]], numeric=(1, 2, 3)), ""]
    out += _health(audit)
    if audit.advice:
        out += ["## How to fix each category", "",
                _table(["rule", "what to do", "automatic fix"],
                       [(f"{code(a.code)} {text(a.rule)}", prose(a.text),
                         "yes" if a.fixable == "safe" else "by hand") for a in audit.advice]),
                ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _progress(c: Comparison) -> list[str]:
    return [f"## Progress since {text(c.since)}", "",
            _table(["figure", "then", "now", "change"],
                   [(text(d.name), num(d.before), num(d.now), _change(d))
                    for d in (c.compliance, c.findings, c.files_with_findings)],
                   numeric=(1, 2, 3)), "",
            _table(["rule", "then", "now", "change"],
                   [(code(d.name), num(d.before), num(d.now), _change(d)) for d in c.rules],
                   numeric=(1, 2, 3)), "",
            _table(["deprecated symbol", "references then", "now", "change"],
                   [(code(d.name), num(d.before), num(d.now), _change(d))
                    for d in c.deprecated], numeric=(1, 2, 3)), "",
            _table(["service", "findings then", "now", "change", "compliance then", "now"],
                   [(text(s.name), num(s.findings.before), num(s.findings.now),
                     _change(s.findings), num(s.compliance.before), num(s.compliance.now))
                    for s in c.services], numeric=(1, 2, 3, 4, 5)), ""]


def _mermaid_label(name: str) -> str:
    return "".join(f"#{ord(ch)};" if not (ch.isalnum() or ch in "._- ") else ch for ch in name)


def _graph(audit: Audit) -> list[str]:
    ids = {name: f"s{i}" for i, name in enumerate(audit.service_names)}
    lines = ["```mermaid", "graph TD"]
    lines += [f'  {ids[n]}["{_mermaid_label(n)}"]' for n in audit.service_names]
    bad = []
    for index, edge in enumerate(audit.edges):
        lines.append(f"  {ids[edge.source]} -->|{edge.imports}| {ids[edge.target]}")
        if not edge.allowed:
            bad.append(str(index))
    if bad:
        lines.append(f"  linkStyle {','.join(bad)} stroke:#d62728,stroke-width:3px")
    lines += ["```", ""]
    violating = audit.violating_edges
    lines += [f"{dependencies(len(audit.edges))}, {len(violating)} not allowed by "
              "`may_import`" + (":" if violating else "."), ""]
    lines += [f"- {text(x.source)} \u2192 {text(x.target)}: {plural(x.imports, 'import site')}"
              for x in violating]
    return lines + ([""] if violating else [])


def _deprecated(audit: Audit) -> list[str]:
    out = ["## Deprecated symbols: references left to migrate", ""]
    if not audit.deprecated:
        return out + ["The registry declares no [deprecated] entries.", ""]
    out += [_table(["deprecated", "use instead", "imports", "other uses", "files"],
                   [(code(d.symbol), code(d.use_instead) if d.use_instead else "\u2014",
                     str(d.imports), str(d.usages), str(d.files)) for d in audit.deprecated],
                   numeric=(2, 3, 4)), ""]
    for d in audit.deprecated:
        if d.sites:
            out.append(f"<details><summary>{text(d.symbol)}: "
                       f"{plural(d.references, 'reference')}</summary>")
            out.append("")
            out += [f"- {code(f'{s.path}:{s.line}')} {text(s.code)}" for s in d.sites[:SITES_SHOWN]]
            if len(d.sites) > SITES_SHOWN:
                out.append(f"- \u2026 and {len(d.sites) - SITES_SHOWN} more")
            out += ["", "</details>", ""]
    return out


def _health(audit: Audit) -> list[str]:
    out = ["## Registry health", "",
           f"- stale registry entries (SSOT902): {len(audit.stale_entries)}",
           f"- duplicate definitions (SSOT401): {len(audit.duplicates)}",
           f"- unregistered first-party symbols: {len(audit.unregistered)} "
           f"({audit.unregistered_sites} import sites)", ""]
    for item in (*audit.stale_entries, *audit.duplicates):
        out.append(f"- {code(f'{item.path}:{item.line}')} {text(item.code)} {text(item.message)}")
    if audit.stale_entries or audit.duplicates:
        out.append("")
    if audit.unregistered:
        out += [_table(["most imported unregistered symbol", "import sites", "files"],
                       [(code(u.path), str(u.references), str(u.files))
                        for u in audit.unregistered[:UNREGISTERED_SHOWN]], numeric=(1, 2)), ""]
    return out
