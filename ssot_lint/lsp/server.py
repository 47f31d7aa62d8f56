"""The pygls wiring: LSP messages in, checks and answers out.

Checks run on one worker thread (the cache is a single SQLite connection per check,
and a fix must see the project of the check that found it), so the event loop keeps
answering while a check runs. Edits are debounced: a burst of ``didChange`` costs one
check. Every handler contains its own failures: a crash in one request becomes an
error answer or a log message, never the end of the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from ssot_lint import __version__
from ssot_lint.lsp.actions import FIX_ALL, code_actions
from ssot_lint.lsp.diagnostics import problem_diagnostic, to_diagnostic
from ssot_lint.lsp.hover import hover_at
from ssot_lint.lsp.session import Checked, Outcome, Session, Settings

PYTHON_SUFFIXES = (".py", ".pyi")
T = TypeVar("T")
log = logging.getLogger("ssot_lint.lsp")


class SsotLintServer(LanguageServer):
    """The server; state lives here so that handlers stay plain functions."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("ssot-lint", __version__)
        self.settings = settings
        self.session: Session | None = None
        self.checked: dict[str, Checked] = {}  # by uri
        self.problem_uris: set[str] = set()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ssot-lint-check")
        self.pending: asyncio.Task[None] | None = None

    # -- running work off the event loop ----------------------------------------------
    async def on_worker(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    # -- checking ---------------------------------------------------------------------
    def schedule(self, delay: float | None = None) -> None:
        """Check the open buffers after ``delay`` seconds of quiet (debounce)."""
        if self.pending is not None and not self.pending.done():
            self.pending.cancel()
        wait = self.settings.debounce if delay is None else delay
        self.pending = asyncio.get_running_loop().create_task(self._check_later(wait))

    async def _check_later(self, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await self.check_now()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # contained: one failed check never ends the server
            log.exception("check failed")
            self.log(f"ssot-lint: the check failed: {type(exc).__name__}: {exc}")

    def buffers(self) -> dict[str, TextDocument]:
        return {uri: doc for uri, doc in self.workspace.text_documents.items()
                if uri.startswith("file:") and doc.path.endswith(PYTHON_SUFFIXES)}

    async def check_now(self) -> None:
        if self.session is None:
            return
        documents = self.buffers()
        texts = {uri: doc.source for uri, doc in documents.items()}
        versions = {uri: doc.version for uri, doc in documents.items()}  # of these texts
        by_path = {Path(doc.path): texts[uri] for uri, doc in documents.items()}
        outcome: Outcome = await self.on_worker(self.session.check, by_path)
        if outcome.problem is not None:
            uri = from_fs_path(str(outcome.problem.file)) or str(outcome.problem.file)
            self.problem_uris.add(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[problem_diagnostic(outcome.problem)]))
            return
        for uri in sorted(self.problem_uris):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.problem_uris.clear()
        for uri, doc in documents.items():
            findings = outcome.findings.get(Path(os.path.realpath(doc.path)))
            if findings is None:
                continue  # outside the project: nothing to say
            if uri not in self.workspace.text_documents:
                continue  # closed while being checked
            self.checked[uri] = Checked(texts[uri], findings)
            lines = doc.lines if doc.source == texts[uri] else texts[uri].splitlines(True)
            diagnostics = [to_diagnostic(f, lines, doc.position_codec, self.settings.docs_url)
                           for f in findings]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=versions[uri]))

    def closed(self, uri: str) -> None:
        self.checked.pop(uri, None)
        if uri.startswith("file:"):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _settings(base: Settings, options: Any) -> Settings:
    """``initializationOptions`` over the command line's settings."""
    if not isinstance(options, dict):
        return base
    def path(key: str, default: Path | None) -> Path | None:
        value = options.get(key)
        return Path(value) if isinstance(value, str) and value else default
    unsafe = options.get("unsafeFixes")
    docs = options.get("docsUrl")
    debounce = options.get("debounce")
    return Settings(
        config_file=path("config", base.config_file),
        registry=path("registry", base.registry),
        unsafe_fixes=unsafe if isinstance(unsafe, bool) else base.unsafe_fixes,
        docs_url=docs if isinstance(docs, str) and docs else base.docs_url,
        debounce=float(debounce) if isinstance(debounce, (int, float)) and debounce >= 0
        else base.debounce)


def _root(params: types.InitializeParams) -> Path:
    for uri in [*(f.uri for f in params.workspace_folders or []), params.root_uri or ""]:
        path = to_fs_path(uri) if uri else None
        if path:
            return Path(path)
    return Path(params.root_path) if params.root_path else Path.cwd()


def build_server(settings: Settings) -> SsotLintServer:
    server = SsotLintServer(settings)

    @server.feature(types.INITIALIZE)
    def initialize(ls: SsotLintServer, params: types.InitializeParams) -> None:
        ls.settings = _settings(ls.settings, params.initialization_options)
        root = _root(params)
        if root.is_dir():
            os.chdir(root)  # paths in messages read as `ssot-lint check` run at the root
        ls.session = Session(root, ls.settings)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SsotLintServer, params: types.InitializedParams) -> None:
        ls.schedule(0)  # load the registry (and report a broken one) before any edit
        await _watch_files(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SsotLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SsotLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SsotLintServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.session is not None:
            ls.session.disk_changed()
        ls.schedule(0)  # other buffers may depend on what the disk now says

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SsotLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)
        ls.schedule(0)  # the file is the disk's again for the other buffers

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: SsotLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if ls.session is not None:
            ls.session.disk_changed()
        ls.schedule(0)  # saved elsewhere, a registry edit, a new module: check again

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SsotLintServer, params: types.HoverParams) -> types.Hover | None:
        doc = _document(ls, params.text_document.uri)
        if ls.session is None or doc is None:
            return None
        return await ls.on_worker(hover_at, ls.session, doc, params.position)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    async def code_action(ls: SsotLintServer, params: types.CodeActionParams
                          ) -> list[types.CodeAction] | None:
        doc = _document(ls, params.text_document.uri)
        if ls.session is None or doc is None:
            return None
        return await ls.on_worker(code_actions, ls.session, ls.checked.get(doc.uri), doc,
                                  params, ls.settings)

    return server


WATCHED = ("**/*.py", "**/*.pyi", "**/*.toml", "**/.gitignore")


async def _watch_files(ls: SsotLintServer) -> None:
    """Ask the client to report file changes (sources, registry, config, ignores):
    the server trusts its view of the disk between reports."""
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace is not None else None
    if watching is None or not watching.dynamic_registration:
        return  # the client sends no events: every check looks at the disk
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED])
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="ssot-lint-watch",
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)]))
    except Exception as exc:  # a client that refuses: look at the disk on every check
        ls.log(f"ssot-lint: the client would not watch files: {exc}",
               types.MessageType.Warning)
        return
    if ls.session is not None:
        ls.session.trust_disk = True  # told of every change from now on


def _document(ls: SsotLintServer, uri: str) -> TextDocument | None:
    """An open file buffer (an ``untitled:`` one is no file of the project)."""
    return ls.workspace.text_documents.get(uri) if uri.startswith("file:") else None


def serve(settings: Settings) -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    build_server(settings).start_io()
