"""The server follows the project: registry edits, other files saved, a broken registry,
cancelled and failing requests. One server for the module; tests run in order and each
leaves the project as it found it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.lsp._project import (
    REGISTRY,
    WATCHING,
    RecordingClient,
    initialize,
    make_project,
    mark,
    open_buffer,
    published,
    server,
    uri_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("lsp") / "project")


@pytest_lsp.fixture(scope="module", config=server())
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await initialize(lsp_client, project, WATCHING)  # the server trusts its view of the disk
    yield
    await lsp_client.shutdown_session()


def changed(client: LanguageClient, *paths: Path) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(p), type=types.FileChangeType.Changed) for p in paths]))


def _codes(diagnostics: object) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)  # type: ignore[attr-defined]


async def test_the_server_asks_the_client_to_watch_files(client: LanguageClient) -> None:
    assert isinstance(client, RecordingClient)

    async def registered() -> None:
        while not client.registrations:
            await asyncio.sleep(0.01)
    await asyncio.wait_for(registered(), 60)  # sent after `initialized`, so soon after
    [registration] = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    options = registration.register_options
    assert isinstance(options, dict)  # the client gets it as plain JSON
    assert [w["globPattern"] for w in options["watchers"]] == [
        "**/*.py", "**/*.pyi", "**/*.toml", "**/.gitignore"]


async def test_a_registry_edit_is_picked_up_without_restarting(client: LanguageClient,
                                                              project: Path) -> None:
    uri = uri_of(project / "pkg" / "app.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.old import Thing\n")
    assert _codes(await published(client, uri, seen_uri, 1)) == ["SSOT111"]
    registry = project / "ssot-registry.toml"
    before = registry.read_text()
    registry.write_text(before.replace('[deprecated."pkg.old.Thing"]', '[deprecated."pkg.gone"]'))
    seen_uri = mark(client, uri)
    changed(client, registry)
    assert list(await published(client, uri, seen_uri)) == []
    registry.write_text(before)
    seen_uri = mark(client, uri)
    changed(client, registry)
    assert _codes(await published(client, uri, seen_uri)) == ["SSOT111"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_saving_another_file_updates_open_buffers(client: LanguageClient,
                                                        project: Path) -> None:
    uri = uri_of(project / "pkg" / "app.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.helper import make\n")
    assert _codes(await published(client, uri, seen_uri, 1)) == ["SSOT102"]
    helper = project / "pkg" / "helper.py"
    helper.write_text("def make():\n    return 1\n")
    try:
        seen_uri = mark(client, uri)
        changed(client, helper)
        assert list(await published(client, uri, seen_uri)) == []
    finally:
        helper.unlink()
    seen_uri = mark(client, uri)
    changed(client, helper)
    assert _codes(await published(client, uri, seen_uri)) == ["SSOT102"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_a_malformed_registry_is_one_diagnostic_and_the_server_keeps_serving(
        client: LanguageClient, project: Path) -> None:
    registry = project / "ssot-registry.toml"
    registry_uri = uri_of(registry)
    uri = uri_of(project / "pkg" / "app.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.old import Thing\n")
    assert _codes(await published(client, uri, seen_uri, 1)) == ["SSOT111"]
    registry.write_text("version = 1\n\n[deprecated.\"pkg.old\"\nuse_instead = 3\n")
    try:
        seen_registry_uri = mark(client, registry_uri)
        changed(client, registry)
        [problem] = await published(client, registry_uri, seen_registry_uri)
        assert problem.severity == types.DiagnosticSeverity.Error
        assert problem.range.start.line == 2
        assert "ssot-registry.toml" in problem.message
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=21)))  # the last good registry answers
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "**deprecated** `pkg.old.Thing`" in hover.contents.value
    finally:
        registry.write_text("version = 1\n" + REGISTRY)
    seen_registry_uri = mark(client, registry_uri)
    seen_uri = mark(client, uri)
    changed(client, registry)
    assert list(await published(client, registry_uri, seen_registry_uri)) == []
    assert _codes(await published(client, uri, seen_uri)) == ["SSOT111"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_a_cancelled_request_ends_and_the_server_keeps_answering(
        client: LanguageClient, project: Path) -> None:
    uri = uri_of(project / "pkg" / "other.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.old import Thing\n")
    await published(client, uri, seen_uri, 1)
    params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri),
                               position=types.Position(line=0, character=21))
    pending = client.protocol.send_request_async(types.TEXT_DOCUMENT_HOVER, params,
                                                 msg_id="to-cancel")
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="to-cancel"))
    try:
        answer = await asyncio.wait_for(pending, 60)
    except JsonRpcException as exc:  # cancelled before it ran: the LSP error code
        assert exc.code == types.LSPErrorCodes.RequestCancelled
    else:  # it had finished first: a whole answer, not half of one
        assert isinstance(answer, types.Hover)
    again = await client.text_document_hover_async(params)
    assert again is not None
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_an_untitled_buffer_is_ignored_and_the_others_still_checked(
        client: LanguageClient, project: Path) -> None:
    untitled = "untitled:Untitled-1"
    open_buffer(client, untitled, "from pkg.old import Thing\n")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=untitled),
        position=types.Position(line=0, character=21)))
    assert hover is None  # not a file of the project: nothing to say, and no error
    uri = uri_of(project / "pkg" / "other.py")
    seen_uri = mark(client, uri)
    open_buffer(client, uri, "from pkg.old import Thing\n")
    assert _codes(await published(client, uri, seen_uri, 1)) == ["SSOT111"]
    assert untitled not in client.diagnostics
    for closing in (uri, untitled):
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=closing)))


async def test_a_new_file_opened_without_an_event_is_checked(client: LanguageClient,
                                                             project: Path) -> None:
    """The trusted view of the disk does not know the file: the server looks again."""
    path = project / "pkg" / "brand_new.py"
    path.write_text("")
    try:
        uri = uri_of(path)
        seen = mark(client, uri)
        open_buffer(client, uri, "from pkg.old import Thing\n")
        assert _codes(await published(client, uri, seen, 1)) == ["SSOT111"]
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
    finally:
        path.unlink()


async def test_a_buffer_that_is_not_valid_unicode_is_a_finding(client: LanguageClient,
                                                               project: Path) -> None:
    """A lone surrogate in the editor's text: the file's own finding, and the other
    buffers are still checked."""
    broken, other = uri_of(project / "pkg" / "app.py"), uri_of(project / "pkg" / "other.py")
    seen_broken, seen_other = mark(client, broken), mark(client, other)
    open_buffer(client, broken, "NAME = '\ud800'\n")
    open_buffer(client, other, "from pkg.old import Thing\n")
    assert _codes(await published(client, other, seen_other, 1)) == ["SSOT111"]
    [problem] = await published(client, broken, seen_broken, 1)
    assert (problem.code, problem.severity) == ("SSOT002", types.DiagnosticSeverity.Error)
    assert "UTF-8" in problem.message
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=broken),
        position=types.Position(line=0, character=1)))
    assert hover is None
    for uri in (broken, other):
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
