"""A request that fails inside the server is reported; the server keeps serving.

The client library refuses to send malformed parameters, so this test speaks JSON-RPC
to the server subprocess byte for byte: a hover whose parameters cannot be read
(``textDocument`` is a number) must be answered with an error (pygls reports it as an
error response or, when it cannot tell which request it was, as an error message to the
user), never with a result and never by ending the server: the very next requests on
the same connection must still be answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from tests.lsp._project import make_project, uri_of


def _send(stream: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def _reply(stream: IO[bytes], request_id: int,
           seen: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The response to ``request_id``; every other message read meanwhile goes to ``seen``."""
    while True:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        assert length, "the server closed the connection"
        message: dict[str, Any] = json.loads(stream.read(length))
        if message.get("id") == request_id and "method" not in message:
            return message
        if seen is not None:
            seen.append(message)


def test_a_failing_request_is_answered_with_an_error_and_the_server_serves_on(
        tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    proc = subprocess.Popen([sys.executable, "-m", "ssot_lint", "lsp", "--debounce", "0"],
                            cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    watchdog = threading.Timer(120, proc.kill)  # a server that stops answering fails, not hangs
    watchdog.start()
    try:
        _send(proc.stdin, {"id": 1, "method": "initialize",
                           "params": {"capabilities": {}, "rootUri": uri_of(root)}})
        assert "capabilities" in _reply(proc.stdout, 1)["result"]
        _send(proc.stdin, {"method": "initialized", "params": {}})
        _send(proc.stdin, {"id": 2, "method": "textDocument/hover",
                           "params": {"textDocument": 5, "position": "nowhere"}})
        uri = uri_of(root / "pkg" / "app.py")
        _send(proc.stdin, {"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1,
            "text": "from pkg.old import Thing\n"}}})
        _send(proc.stdin, {"id": 3, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 21}}})
        seen: list[dict[str, Any]] = []
        hover = _reply(proc.stdout, 3, seen)["result"]
        errors = [m for m in seen if m.get("id") == 2 or m.get("method") == "window/showMessage"]
        assert errors and all("result" not in m for m in errors)
        assert any("error" in m or "Invalid Params" in m["params"]["message"] for m in errors)
        assert "deprecated" in hover["contents"]["value"]
        _send(proc.stdin, {"id": 4, "method": "shutdown"})
        assert _reply(proc.stdout, 4) == {"jsonrpc": "2.0", "id": 4, "result": None}
        _send(proc.stdin, {"method": "exit"})
        assert proc.wait(timeout=60) == 0
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
