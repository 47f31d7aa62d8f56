"""Settings from ``initializationOptions``: rename (unsafe) fixes and the rule-page base."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import write_project
from tests.lsp._project import apply_edit, edits_of, mark, open_buffer, published, server, uri_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

REGISTRY = """
[deprecated."pkg.tracking.get_tracker"]
use_instead = "pkg.tracking.tracker"
fix = "rename"
"""
FILES = {"pkg/tracking.py": "def get_tracker():\n    pass\n\n\ndef tracker():\n    pass\n",
         "pkg/app.py": ""}
BUFFER = "from pkg.tracking import get_tracker\n\nget_tracker()\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("lsp") / "project", FILES, REGISTRY,
                         packages=("pkg",))


@pytest_lsp.fixture(scope="module", config=server())
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=uri_of(project),
        initialization_options={"unsafeFixes": True,
                                "docsUrl": "https://docs.example.test/ssot/rules"}))
    yield
    await lsp_client.shutdown_session()


async def test_rename_fix_and_docs_url_come_from_initialization_options(
        client: LanguageClient, project: Path) -> None:
    uri = uri_of(project / "pkg" / "app.py")
    seen = mark(client, uri)
    open_buffer(client, uri, BUFFER)
    diagnostics = await published(client, uri, seen, 1)
    deprecated = next(d for d in diagnostics if d.code == "SSOT111")
    assert deprecated.code_description is not None
    assert deprecated.code_description.href == \
        "https://docs.example.test/ssot/rules/SSOT111.md"
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=deprecated.range,
        context=types.CodeActionContext(diagnostics=[deprecated])))
    assert actions is not None
    [rename] = [a for a in actions if isinstance(a, types.CodeAction) and "unsafe" in a.title]
    assert rename.title == ("ssot-lint: replace the deprecated import: "
                            "pkg.tracking.get_tracker -> pkg.tracking.tracker "
                            "(unsafe: renames the name in this file)")
    text = BUFFER
    for edit in edits_of(rename):
        text = apply_edit(text, edit)
    assert text == "from pkg.tracking import tracker\n\ntracker()\n"
    fix_all = [a for a in actions if isinstance(a, types.CodeAction)
               and a.kind == "source.fixAll.ssot-lint"]
    assert fix_all == []  # "fix all" stays safe: a rename is never part of it
