"""The language server end to end: a subprocess spoken to over stdio by a real client.

One server for the whole module (starting Python and the first check cost most of the
time); each test opens its own buffer, so tests do not see each other's findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp._project import (
    apply_edit,
    edits_of,
    initialize,
    make_project,
    mark,
    open_buffer,
    published,
    replace_buffer,
    server,
    uri_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEPRECATED = "from pkg.old import Thing\n\n\ndef make():\n    return Thing()\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("lsp") / "project")


@pytest_lsp.fixture(scope="module", config=server())
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await initialize(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


def _codes(diagnostics: object) -> list[tuple[int, str]]:
    return sorted((d.range.start.line, str(d.code)) for d in diagnostics)  # type: ignore[attr-defined]


async def test_unsaved_buffer_is_checked_and_the_quick_fix_clears_it(
        client: LanguageClient, project: Path) -> None:
    path = project / "pkg" / "app.py"  # the disk says `VALUE = 1`: clean
    uri = uri_of(path)
    seen_uri = mark(client, uri)
    open_buffer(client, uri, DEPRECATED)
    diagnostics = await published(client, uri, seen_uri, 1)
    assert _codes(diagnostics) == [(0, "SSOT111"), (4, "SSOT301")]
    deprecated = next(d for d in diagnostics if d.code == "SSOT111")
    assert (deprecated.range.start.character, deprecated.range.end.character) == (20, 25)
    assert deprecated.severity == types.DiagnosticSeverity.Warning
    assert deprecated.source == "ssot-lint"
    assert "pkg.old.Thing" in deprecated.message
    assert "hint: import it from pkg.new" in deprecated.message
    # No docs URL was configured: no guessed link that could answer 404.
    assert deprecated.code_description is None

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=deprecated.range,
        context=types.CodeActionContext(diagnostics=[deprecated])))
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert titles == ["ssot-lint: replace the deprecated import: pkg.old.Thing -> pkg.new.Thing",
                      "ssot-lint: suppress SSOT111 on this line",
                      "ssot-lint: fix all safe findings in this file"]
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.kind == types.CodeActionKind.QuickFix
    fixed = DEPRECATED
    for edit in edits_of(fix):
        fixed = apply_edit(fixed, edit)
    assert fixed == DEPRECATED.replace("pkg.old", "pkg.new")
    assert path.read_text() == "VALUE = 1\n"  # nothing is written

    seen_uri = mark(client, uri)
    replace_buffer(client, uri, fixed, 2)
    assert list(await published(client, uri, seen_uri, 2)) == []
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_suppress_action_adds_the_documented_comment(client: LanguageClient,
                                                           project: Path) -> None:
    uri = uri_of(project / "pkg" / "other.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.old import Thing\n")
    diagnostics = await published(client, uri, seen_uri, 1)
    assert _codes(diagnostics) == [(0, "SSOT111")]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
        context=types.CodeActionContext(diagnostics=list(diagnostics),
                                        only=[types.CodeActionKind.QuickFix])))
    assert actions is not None
    suppress = next(a for a in actions if isinstance(a, types.CodeAction)
                    and a.title.startswith("ssot-lint: suppress"))
    text = apply_edit("from pkg.old import Thing\n", edits_of(suppress)[0])
    assert text == "from pkg.old import Thing  # ssot-lint: ignore[SSOT111]\n"
    seen_uri = mark(client, uri)
    replace_buffer(client, uri, text, 2)
    assert list(await published(client, uri, seen_uri, 2)) == []
    seen_uri = mark(client, uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert list(await published(client, uri, seen_uri)) == []


async def test_hover_shows_the_registry_entry(client: LanguageClient, project: Path) -> None:
    uri = uri_of(project / "pkg" / "hovered.py")
    text = "from pkg.old import Thing\nfrom pkg import Thing as Other\n\nmade = Thing()\n"
    (project / "pkg" / "hovered.py").write_text("")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, text)
    await published(client, uri, seen_uri, 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=21)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.splitlines() == [
        "`pkg.old.Thing`", "",
        "**deprecated** `pkg.old.Thing`: Thing moved to pkg.new (ssot-registry.toml:13)", "",
        "use instead: `from pkg.new import Thing`", "",
        "hint: import it from pkg.new", "",
        "service **core**, owner team-core: the core library"]
    alias = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=1, character=17)))
    assert alias is not None and isinstance(alias.contents, types.MarkupContent)
    assert "**alias** of the canonical `pkg.new.Thing`" in alias.contents.value
    used = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=3, character=9)))  # `Thing` in `made = Thing()`
    assert used is not None and isinstance(used.contents, types.MarkupContent)
    assert used.contents.value == hover.contents.value  # the name bound by the import
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=1, character=2)))
    assert nothing is None
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_import_the_canonical_path_action(client: LanguageClient, project: Path) -> None:
    uri = uri_of(project / "pkg" / "user.py")
    (project / "pkg" / "user.py").write_text("")
    text = '"""Uses a Thing."""\nimport os\n\nTHING = Thing()\n'
    seen_uri = mark(client, uri)
    open_buffer(client, uri, text)
    await published(client, uri, seen_uri, 1)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=3, character=10),
                          end=types.Position(line=3, character=10)),
        context=types.CodeActionContext(diagnostics=[])))
    assert actions is not None
    [action] = [a for a in actions if isinstance(a, types.CodeAction)]
    assert action.title == ("ssot-lint: import the canonical path for Thing "
                            "(from pkg.new import Thing)")
    assert apply_edit(text, edits_of(action)[0]) == (
        '"""Uses a Thing."""\nfrom pkg.new import Thing\nimport os\n\nTHING = Thing()\n')
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
