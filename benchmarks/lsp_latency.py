"""Editor latency: from ``didChange`` to ``publishDiagnostics`` on the 1x corpus (Django).

    python benchmarks/lsp_latency.py              # 15 edits of each kind
    python benchmarks/lsp_latency.py --runs 30 --debounce 0.15

Starts ``ssot-lint lsp`` as an editor would (a subprocess over stdio, spoken to by
pygls' client), opens ``EDITED`` (``django/db/models/query.py``, 2,700 lines; another
file with ``--file``) and, after a warm-up
(the first check of a cold cache, then one edit of each kind), times two kinds of
edit made in the unsaved buffer:

- ``body``: a statement added inside a function body (imports unchanged);
- ``imports``: a new top-level import after the last one (the graph changes).

Each edit sends the whole new text with a new version; the time is until the server
publishes diagnostics for that version. The server's debounce is included (given
with ``--debounce``; the default 0 times the check alone). Medians and the 90th
percentile are printed as Markdown rows for docs/performance.md, with the median CPU
time the server spent per edit (user + system, read from ``/proc`` on Linux): on a
shared machine, wall times measure the load as much as the server. This is a
benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import EDITED, build, python_files  # noqa: E402

TARGETS = {"body": 0.150, "imports": 0.500}


def body_edit(text: str, n: int) -> str:
    """``text`` with ``_bench = n`` as the first statement of the first method."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.body:
            first = node.body[0]
            lines = text.splitlines(True)
            indent = " " * first.col_offset
            lines.insert(first.lineno - 1, f"{indent}_bench = {n}\n")
            return "".join(lines)
    raise SystemExit("no function in the edited file")


def import_edit(text: str, n: int) -> str:
    """``text`` with a new top-level import after the last top-level import."""
    tree = ast.parse(text)
    last = max(node.end_lineno or node.lineno for node in tree.body
               if isinstance(node, (ast.Import, ast.ImportFrom)))
    lines = text.splitlines(True)
    module = ("os.path", "json", "re", "functools")[n % 4]
    lines.insert(last, f"import {module} as _bench_{n}\n")
    return "".join(lines)


class Timer:
    def __init__(self, client: LanguageClient, uri: str) -> None:
        self.uri = uri
        self.waiting: dict[int, asyncio.Future[float]] = {}

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            """Accept the server's file watchers, as an editor does."""

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            future = self.waiting.pop(params.version or -1, None) \
                if params.uri == uri else None
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

    def expect(self, version: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[version] = future
        return future


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(root: Path, runs: int, debounce: float, edited: str
                  ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    path = root / edited
    original = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = LanguageClient("lsp-latency", "1")
    timer = Timer(client, uri)
    await client.start_io(sys.executable, "-m", "ssot_lint", "lsp", "--debounce",
                          str(debounce))
    watching = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True)))  # as VS Code, Neovim and Helix do
    await client.initialize_async(types.InitializeParams(
        capabilities=watching, root_uri=root.resolve().as_uri()))
    client.initialized(types.InitializedParams())
    version = 1
    first = timer.expect(version)
    started = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version,
                                             text=original)))
    print(f"open (may be a cold cache): {await first - started:.2f} s", file=sys.stderr)
    times: dict[str, list[float]] = {"body": [], "imports": []}
    cpu: dict[str, list[float]] = {"body": [], "imports": []}
    pid = client._server.pid if client._server is not None else 0  # noqa: SLF001
    for n in range(runs + 1):  # the first of each kind is the warm-up
        for kind, edit in (("body", body_edit), ("imports", import_edit)):
            version += 1
            done = timer.expect(version)
            started, used = time.perf_counter(), cpu_seconds(pid)
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri,
                                                                    version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(
                    text=edit(original, n))]))
            elapsed = await done - started
            if n:
                times[kind].append(elapsed)
                cpu[kind].append(cpu_seconds(pid) - used)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--debounce", type=float, default=0.0)
    parser.add_argument("--file", default=EDITED,
                        help=f"the file to edit, under the corpus (default: {EDITED})")
    args = parser.parse_args()
    root = build("1x")
    times, cpu = asyncio.run(measure(root, args.runs, args.debounce, args.file))
    files = python_files(root)
    lines = len((root / args.file).read_text(encoding="utf-8").splitlines())
    print(f"edited: {args.file} ({lines:,} lines)")
    print("| corpus | files | edit | debounce (s) | median (ms) | p90 (ms) | server CPU (ms) "
          "| target (ms) | met? |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, values in times.items():
        ordered = sorted(values)
        median = statistics.median(ordered) * 1000
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000
        target = TARGETS[kind] * 1000
        used = statistics.median(cpu[kind]) * 1000
        print(f"| 1x | {files:,} | {kind} | {args.debounce:g} | {median:.0f} | {p90:.0f} | "
              f"{used:.0f} | ≤ {target:.0f} | {'yes' if median <= target else 'no'} |")


if __name__ == "__main__":
    main()
