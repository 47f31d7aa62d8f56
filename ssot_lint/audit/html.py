"""The audit as one self-contained HTML page: inline CSS and SVG, no script, no network.

A Content-Security-Policy forbids every external load and all scripts, so the page
renders the same offline and cannot be turned into an attack by what it quotes. Every
value from the analysed project or the registry (file names, symbols, hints) goes
through ``html.escape``: a file called ``<script>.py`` shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from ssot_lint.audit.compare import Comparison, Delta
from ssot_lint.audit.model import Audit, Scope, dependencies, plural
from ssot_lint.audit.svg import render_svg

SITES_SHOWN = 200
PACKAGES_SHOWN = 25
UNREGISTERED_SHOWN = 50

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232b;margin:0;
background:#f6f7f9}
main{margin:0;padding:24px 32px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 10px;border-bottom:1px solid
#d5dae1;padding-bottom:4px}
.meta{color:#5c6570}.headline{font-size:22px;font-weight:600;margin:14px 0}
table{border-collapse:collapse;background:#fff;width:100%;margin:6px 0}
th,td{border:1px solid #dde2e8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.bar{background:#e4e8ee;height:12px;min-width:140px;border-radius:3px}
.bar span{display:block;height:12px;border-radius:3px;background:#3b5b92}
.bar span.good{background:#2e8b57}.bar span.bad{background:#e4572e}
.sev-error{color:#b3261e;font-weight:600}.sev-warning{color:#9a6700}.sev-info{color:#3b5b92}
.chip{display:inline-block;padding:2px 10px;border-radius:10px;background:#fff;margin-right:6px;
border:1px solid #d5dae1}
.down{color:#2e8b57;font-weight:600}.up{color:#b3261e;font-weight:600}
.graph-box{background:#fff;border:1px solid #dde2e8;overflow-x:auto;padding:8px}
details{margin:6px 0}summary{cursor:pointer;color:#3b5b92}
.empty{color:#5c6570;font-style:italic}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def prose(value: str) -> str:
    """Escaped text with `backtick` spans shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", e(value))


def num(value: float | None) -> str:
    if value is None:
        return "\u2014"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table; cells are HTML already escaped by the caller."""
    cells = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        cells.append("<tr>" + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)) + "</tr>")
    cells.append("</tbody></table>")
    return "".join(cells)


def _bar(share: float, kind: str = "") -> str:
    share = max(0.0, min(100.0, share))
    cls = f' class="{kind}"' if kind else ""
    return f'<div class="bar"><span{cls} style="width:{share:.1f}%"></span></div>'


def _compliance_bar(scope: Scope) -> str:
    c = scope.compliance
    return _bar(c, "good" if c >= 90 else ("bad" if c < 70 else ""))


def _change(delta: Delta, lower_is_better: bool = True) -> str:
    change = delta.change
    if change == 0:
        return "0"
    better = (change < 0) == lower_is_better
    return f'<span class="{"down" if better else "up"}">{change:+g}</span>'


def render_html(audit: Audit, comparison: Comparison | None = None) -> str:
    """The whole report page."""
    o = audit.overall
    chips = "".join(f'<span class="chip sev-{e(k)}">{e(k)}: {v}</span>'
                    for k, v in audit.by_severity.items()) \
        or '<span class="chip">no findings</span>'
    body = [
        f"<h1>{e(audit.title)}</h1>",
        f'<div class="meta">generated {e(audit.generated_at)} \u00b7 registry '
        f"<code>{e(audit.registry)}</code> \u00b7 {o.files} files</div>",
        f'<p class="headline" id="headline">{e(audit.headline())}</p>',
        f"<div>{chips}</div>",
    ]
    if audit.baseline is not None:
        body.append(_baseline(audit))
    if comparison is not None:
        body.append(_progress(comparison))
    body += [_services(audit), _rules(audit), _deprecated(audit), _top_files(audit),
             _packages(audit), _health(audit), _advice(audit)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{e(audit.title)}</title>\n<style>{_CSS}</style></head>\n"
            "<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n")


def _baseline(audit: Audit) -> str:
    b = audit.baseline
    assert b is not None
    head = f'<h2 id="baseline">Baseline <code>{e(b.file)}</code></h2>'
    figures = _table(["", "findings", "compliance"], [
        ("every finding", num(audit.overall.findings), f"{audit.overall.compliance:.1f}%"),
        ("new (not in the baseline)", num(b.new), f"{b.compliance_without:.1f}%"),
        (f"known debt the baseline records ({plural(b.files, 'file')})", num(b.known), ""),
    ], numeric=(1, 2))
    rules = _table(["rule", "known findings"],
                   [(f"<code>{e(k)}</code>", num(v)) for k, v in b.by_rule.items()],
                   numeric=(1,)) if b.by_rule else '<p class="empty">No known findings.</p>'
    stale = (f"<p>{plural(b.stale, 'entry')} matched nothing (fixed or stale): remove "
             "them with <code>ssot-lint check --baseline FILE --update-baseline</code>.</p>"
             if b.stale else "")
    return "\n".join([head, figures, "<h3>Known debt per rule</h3>", rules, stale])


def _progress(c: Comparison) -> str:
    head = f"<h2 id=\"progress\">Progress since {e(c.since)}</h2>"
    summary = _table(["figure", "then", "now", "change"], [
        (e(d.name), num(d.before), num(d.now), _change(d, lower_is_better=d.name != "compliance"))
        for d in (c.compliance, c.findings, c.files_with_findings)], numeric=(1, 2, 3))
    rules = _table(["rule", "then", "now", "change"],
                   [(f"<code>{e(d.name)}</code>", num(d.before), num(d.now), _change(d))
                    for d in c.rules], numeric=(1, 2, 3))
    deprecated = _table(["deprecated symbol", "references then", "now", "change"],
                        [(f"<code>{e(d.name)}</code>", num(d.before), num(d.now), _change(d))
                         for d in c.deprecated], numeric=(1, 2, 3))
    services = _table(["service", "findings then", "now", "change", "compliance then", "now",
                       "change"],
                      [(e(s.name), num(s.findings.before), num(s.findings.now),
                        _change(s.findings), num(s.compliance.before), num(s.compliance.now),
                        _change(s.compliance, lower_is_better=False)) for s in c.services],
                      numeric=(1, 2, 3, 4, 5, 6))
    return "\n".join([head, summary, "<h3>Per rule</h3>", rules,
                      "<h3>Per deprecated symbol</h3>", deprecated, "<h3>Per service</h3>",
                      services])


def _services(audit: Audit) -> str:
    parts = ['<h2 id="services">Services</h2>']
    if not audit.service_names:
        parts.append('<p class="empty">No [services.*] are declared in the registry, so '
                     "there is no service graph; every file counts as \u201c(no service)"
                     "\u201d.</p>")
    parts.append(_table(
        ["service", "files", "findings", "files with errors", "compliance", ""],
        [(e(s.name), str(s.files), str(s.findings), str(s.files_with_errors),
          f"{s.compliance:.1f}%", _compliance_bar(s)) for s in audit.services],
        numeric=(1, 2, 3, 4)))
    if audit.service_names:
        files = {s.name: s.files for s in audit.services}
        bad = audit.violating_edges
        parts.append(f"<h3>Service dependency graph</h3><p>{dependencies(len(audit.edges))}; "
                     f"<strong>{len(bad)}</strong> not allowed by "
                     "<code>may_import</code> (red).</p>")
        parts.append('<div class="graph-box">'
                     + render_svg(audit.service_names, audit.edges, files) + "</div>")
        if audit.edges:
            parts.append(_table(
                ["from", "to", "import sites", "allowed"],
                [(e(x.source), e(x.target), str(x.imports),
                  "yes" if x.allowed else '<span class="sev-error">no</span>')
                 for x in sorted(audit.edges, key=lambda x: (x.allowed, -x.imports, x.source,
                                                             x.target))],
                numeric=(2,)))
    return "\n".join(parts)


def _rules(audit: Audit) -> str:
    if not audit.rules:
        return '<h2 id="rules">Findings by rule</h2><p class="empty">No findings.</p>'
    top = max(r.findings for r in audit.rules)
    rows = [(f"<code>{e(r.code)}</code> {e(r.rule)}", e(r.summary), str(r.findings), str(r.files),
             ", ".join(f'<span class="sev-{e(k)}">{e(k)} {v}</span>'
                       for k, v in r.by_severity.items()),
             _bar(100.0 * r.findings / top)) for r in audit.rules]
    return ('<h2 id="rules">Findings by rule</h2>'
            + _table(["rule", "what", "findings", "files", "severity", ""], rows, numeric=(2, 3)))


def _deprecated(audit: Audit) -> str:
    parts = ['<h2 id="deprecated">Deprecated symbols: references left to migrate</h2>']
    if not audit.deprecated:
        parts.append('<p class="empty">The registry declares no [deprecated] entries.</p>')
        return "\n".join(parts)
    parts.append(_table(
        ["deprecated", "use instead", "imports", "other uses", "files", "severity"],
        [(f"<code>{e(d.symbol)}</code> ({e(d.kind)})",
          f"<code>{e(d.use_instead)}</code>" if d.use_instead else "\u2014",
          str(d.imports), str(d.usages), str(d.files),
          f'<span class="sev-{e(d.severity)}">{e(d.severity)}</span>') for d in audit.deprecated],
        numeric=(2, 3, 4)))
    for d in audit.deprecated:
        if not d.sites:
            continue
        items = "".join(f"<li><code>{e(s.path)}:{s.line}</code> {e(s.code)}</li>"
                        for s in d.sites[:SITES_SHOWN])
        more = (f"<li>\u2026 and {len(d.sites) - SITES_SHOWN} more</li>"
                if len(d.sites) > SITES_SHOWN else "")
        hint = f"<p>{e(d.hint)}</p>" if d.hint else ""
        parts.append(f"<details><summary><code>{e(d.symbol)}</code>: "
                     f"{plural(d.references, 'reference')} in {plural(d.files, 'file')}"
                     f"</summary>{hint}<ul>{items}{more}</ul></details>")
    return "\n".join(parts)


def _top_files(audit: Audit) -> str:
    if not audit.top_files:
        return ""
    rows = [(f"<code>{e(f.path)}</code>", e(f.service), str(f.errors), str(f.findings),
             ", ".join(f"{e(k)}\u00d7{v}" for k, v in f.by_rule.items())) for f in audit.top_files]
    return ('<h2 id="files">Top offending files</h2>'
            + _table(["file", "service", "errors", "findings", "rules"], rows, numeric=(2, 3)))


def _packages(audit: Audit) -> str:
    def rows(scopes: Sequence[Scope]) -> list[tuple[str, ...]]:
        return [(f"<code>{e(p.name)}</code>", str(p.files), str(p.findings),
                 str(p.files_with_errors), f"{p.compliance:.1f}%") for p in scopes]
    head = ["package", "files", "findings", "files with errors", "compliance"]
    shown, rest = audit.packages[:PACKAGES_SHOWN], audit.packages[PACKAGES_SHOWN:]
    html = ('<h2 id="packages">Packages</h2>'
            f"<p>{len(audit.packages)} packages, most findings first.</p>"
            + _table(head, rows(shown), numeric=(1, 2, 3, 4)))
    if rest:
        html += (f"<details><summary>{len(rest)} more packages</summary>"
                 + _table(head, rows(rest), numeric=(1, 2, 3, 4)) + "</details>")
    return html


def _health(audit: Audit) -> str:
    parts = ['<h2 id="health">Registry health</h2>', _table(
        ["check", "count"],
        [("stale registry entries (SSOT902)", str(len(audit.stale_entries))),
         ("duplicate definitions (SSOT401)", str(len(audit.duplicates))),
         ("unregistered first-party symbols (imported by path, no [symbols] entry)",
          f"{len(audit.unregistered)} ({audit.unregistered_sites} import sites)")],
        numeric=(1,))]
    for label, items in (("Stale entries", audit.stale_entries),
                         ("Duplicate definitions", audit.duplicates)):
        if items:
            parts.append(f"<details><summary>{label}</summary><ul>" + "".join(
                f"<li><code>{e(i.path)}:{i.line}</code> {e(i.message)}</li>" for i in items)
                + "</ul></details>")
    if audit.unregistered:
        shown = audit.unregistered[:UNREGISTERED_SHOWN]
        parts.append(f"<details><summary>Most imported unregistered symbols (top "
                     f"{len(shown)})</summary>" + _table(
                         ["symbol", "import sites", "files"],
                         [(f"<code>{e(u.path)}</code>", str(u.references), str(u.files))
                          for u in shown], numeric=(1, 2)) + "</details>")
    return "\n".join(parts)


def _advice(audit: Audit) -> str:
    if not audit.advice:
        return ""
    rows = [(f"<code>{e(a.code)}</code> {e(a.rule)}", prose(a.text),
             "yes (<code>ssot-lint fix</code>)" if a.fixable == "safe" else
             ("with review" if a.fixable == "unsafe" else "by hand")) for a in audit.advice]
    return ('<h2 id="fix">How to fix each category</h2>'
            + _table(["rule", "what to do", "automatic fix"], rows))
