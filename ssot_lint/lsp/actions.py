"""Code actions: what the editor offers at a finding or a name.

Quick fixes come from the fixer (``edits.fixed_text``) run on the buffer's text, and
only while the buffer still is the text that was checked (otherwise the next check's
findings answer). Rename fixes are offered only when the settings allow unsafe fixes;
"fix all" stays safe. "Import the canonical path for <Name>" is ``ssot-lint where`` for
the name under the cursor.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from ssot_lint.lsp import edits
from ssot_lint.lsp.diagnostics import SOURCE, to_diagnostic
from ssot_lint.lsp.session import Checked, Session, Settings
from ssot_lint.model.finding import Finding

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"


def code_actions(session: Session, checked: Checked | None, doc: TextDocument,
                 params: types.CodeActionParams, settings: Settings
                 ) -> list[types.CodeAction]:
    """The actions for ``params.range`` of ``doc`` (kinds filtered by ``context.only``)."""
    actions: list[types.CodeAction] = []
    project = session.project
    source = session.source_of(Path(doc.path))
    if checked is not None and checked.text == doc.source and project is not None \
            and source is not None:
        mine = {(d.range.start.line, d.range.start.character, str(d.code))
                for d in params.context.diagnostics if d.source == SOURCE}
        for finding in checked.findings:
            diagnostic = to_diagnostic(finding, doc.lines, doc.position_codec,
                                       settings.docs_url)
            key = (diagnostic.range.start.line, diagnostic.range.start.character,
                   finding.code)
            if key in mine and _wanted(params, types.CodeActionKind.QuickFix):
                actions.extend(_finding_actions(session, doc, finding, diagnostic,
                                                settings.unsafe_fixes))
        if _wanted(params, FIX_ALL):
            new = edits.fixed_text(project, source, doc.source, checked.findings, False)
            if new is not None:
                actions.append(types.CodeAction(
                    title="ssot-lint: fix all safe findings in this file", kind=FIX_ALL,
                    edit=_edit(doc, edits.replace_lines(doc.source, new))))
    if _wanted(params, types.CodeActionKind.QuickFix):
        actions.extend(_import_actions(session, doc, params.range))
    return actions


def _wanted(params: types.CodeActionParams, kind: str) -> bool:
    only = params.context.only
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _finding_actions(session: Session, doc: TextDocument, finding: Finding,
                     diagnostic: types.Diagnostic, unsafe: bool) -> list[types.CodeAction]:
    assert session.project is not None
    project = session.project
    source = session.source_of(Path(doc.path))
    assert source is not None
    found: list[types.CodeAction] = []
    what = f"{finding.fix.description}: {finding.fix.old} -> {finding.fix.new}" \
        if finding.fix else "fix"
    new = edits.fixed_text(project, source, doc.source, [finding], False)
    if new is not None:
        found.append(types.CodeAction(
            title=f"ssot-lint: {what}",
            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=True,
            edit=_edit(doc, edits.replace_lines(doc.source, new))))
    elif unsafe and edits.needs_unsafe(project, source, finding):
        new = edits.fixed_text(project, source, doc.source, [finding], True)
        if new is not None:
            found.append(types.CodeAction(
                title=f"ssot-lint: {what} (unsafe: renames the name in this file)",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                edit=_edit(doc, edits.replace_lines(doc.source, new))))
    suppress = edits.suppression_edit(doc.source, finding, doc.position_codec.client_num_units)
    if suppress is not None:
        found.append(types.CodeAction(
            title=f"ssot-lint: suppress {finding.code} on this line",
            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            edit=_edit(doc, suppress)))
    return found


def _word_at(doc: TextDocument, position: types.Position) -> str | None:
    """The identifier under (or just before) the cursor."""
    at = doc.position_codec.position_from_client_units(doc.lines, position)
    if at.line >= len(doc.lines):
        return None
    line = doc.lines[at.line]
    start = end = min(at.character, len(line))
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
        start -= 1
    while end < len(line) and (line[end].isalnum() or line[end] == "_"):
        end += 1
    word = line[start:end]
    return word if word.isidentifier() else None


def _import_actions(session: Session, doc: TextDocument, where: types.Range
                    ) -> list[types.CodeAction]:
    """"Import the canonical path for <Name>", from the registry (``ssot-lint where``)."""
    from ssot_lint.registry_tools.where import where as lookup
    from ssot_lint.rules._imports import import_line

    if session.registry is None:
        return []
    name = _word_at(doc, where.start)
    if name is None:
        return []
    from ssot_lint.facts.extract import extract_facts

    data = doc.source.encode("utf-8", "surrogatepass")
    bound = {fact.bound_name for fact in extract_facts(data, session.target_version).imports}
    if name in bound:
        return []  # already imported (a wrong path is SSOT111/112's quick fix)
    answer = lookup(session.registry, name)
    found = []
    for entry in answer.symbols:
        line = import_line(entry.path)
        edit = edits.import_insertion(doc.source, line)
        if edit is not None:
            found.append(types.CodeAction(
                title=f"ssot-lint: import the canonical path for {name} ({line})",
                kind=types.CodeActionKind.QuickFix, edit=_edit(doc, edit)))
    return found


def _edit(doc: TextDocument, edit: types.TextEdit) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri,
                                                                    version=doc.version),
        edits=[edit])])
