"""A small project for the server tests, and helpers to wait on the real protocol."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.helpers import write_project

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


def server(*args: str) -> ClientServerConfig:
    return ClientServerConfig(
        server_command=[sys.executable, "-m", "ssot_lint", "lsp", "--debounce", "0.02",
                        *args])


def make_project(root: Path) -> Path:
    return write_project(root, dict(FILES), REGISTRY)


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


async def initialize(client: LanguageClient, root: Path) -> None:
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name="project")]))


async def published(client: LanguageClient, uri: str,
                    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True
                    ) -> Sequence[types.Diagnostic]:
    """The next diagnostics published for ``uri`` that satisfy ``until``.

    Call ``forget`` first: a publication from before the action must not count.
    """
    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            found = client.diagnostics.get(uri)
            if found is not None and until(found):
                return found
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(wait(), PATIENCE)


def forget(client: LanguageClient, uri: str) -> None:
    client.diagnostics.pop(uri, None)


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
