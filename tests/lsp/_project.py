"""A small project for the server tests, and helpers to wait on the real protocol."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.conftest import write_project

REGISTRY = """\
[project]
packages = ["pkg"]

[services.core]
packages = ["pkg"]
owner = "team-core"
reason = "the core library"

[symbols."pkg.new.Thing"]
aliases = ["pkg.Thing"]

[deprecated."pkg.old.Thing"]
use_instead = "pkg.new.Thing"
reason = "Thing moved to pkg.new"
hint = "import it from pkg.new"
"""

FILES = {
    "pkg/__init__.py": "from pkg.new import Thing\n",
    "pkg/old.py": "class Thing:\n    pass\n",
    "pkg/new.py": "class Thing:\n    pass\n",
    "pkg/app.py": "VALUE = 1\n",
    "pkg/other.py": "VALUE = 2\n",
}

# a generous guard against a hung server (never an assertion about speed)
PATIENCE = 60.0


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every publication with its document version
    (pytest-lsp keeps only the latest diagnostics per uri, without the version)."""

    history: dict[str, list[types.PublishDiagnosticsParams]]
    registrations: list[types.Registration]


def _recording_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    client.history = {}

    def publish(ls: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.history.setdefault(params.uri, []).append(params)

    def register(ls: RecordingClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)

    client.registrations = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


def server(*args: str) -> ClientServerConfig:
    return ClientServerConfig(
        server_command=[sys.executable, "-m", "ssot_lint", "lsp", "--debounce", "0.02",
                        *args], client_factory=_recording_client)


def make_project(root: Path) -> Path:
    return write_project(root, dict(FILES), REGISTRY)


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


# A client that watches files for the server (as VS Code, Neovim and Helix do)
WATCHING = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
    did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True)))


async def initialize(client: LanguageClient, root: Path,
                     capabilities: types.ClientCapabilities | None = None) -> None:
    await client.initialize_session(types.InitializeParams(
        capabilities=capabilities or types.ClientCapabilities(), root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name="project")]))


def mark(client: LanguageClient, uri: str) -> int:
    """How many publications ``uri`` has had: later waits look only after this one."""
    assert isinstance(client, RecordingClient)
    return len(client.history.get(uri, []))


async def published(client: LanguageClient, uri: str, after: int,
                    version: int | None = None) -> Sequence[types.Diagnostic]:
    """The diagnostics of the first publication for ``uri`` after the ``after``-th one
    (and, given ``version``, for that version of the buffer: a publication for an older
    state of the buffer may still be on its way)."""
    assert isinstance(client, RecordingClient)

    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            for params in client.history.get(uri, [])[after:]:
                if version is None or params.version == version:
                    return params.diagnostics
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(wait(), PATIENCE)


def open_buffer(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version,
                                             text=text)))


def replace_buffer(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def apply_edit(text: str, edit: types.TextEdit) -> str:
    """Apply one TextEdit whose positions are ASCII (as in these tests)."""
    lines = text.splitlines(True)
    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[:position.line]) + position.character
    start, end = offset(edit.range.start), offset(edit.range.end)
    return text[:start] + edit.new_text + text[end:]


def edits_of(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None
    found: list[types.TextEdit] = []
    for change in action.edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found
