"""Real local servers for delivery tests: a webhook endpoint and an SMTP server, each on
127.0.0.1 with a random port, in a thread of the test process. Worker processes reach them
over TCP exactly as they would reach WeCom, DingTalk, Feishu or a mail server."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Posted:
    path: str
    query: dict[str, list[str]]
    body: Any
    content_type: str
    at: float = field(default_factory=time.monotonic)


Responder = Callable[[Posted, int], tuple[int, Any]]


def ok_for(path: str) -> tuple[int, Any]:
    """The success answer each vendor gives, chosen by the path the test configured."""
    if path.startswith("/feishu"):
        return 200, {"code": 0, "msg": "success", "data": {}}
    return 200, {"errcode": 0, "errmsg": "ok"}


@dataclass
class WebhookServer:
    url: str
    requests: list[Posted] = field(default_factory=list)
    responder: Responder | None = None
    delay: float = 0.0

    def posted(self, path: str) -> list[Posted]:
        return [r for r in self.requests if r.path == path]


@contextmanager
def webhook_server() -> Iterator[WebhookServer]:
    lock = threading.Lock()
    state = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            posted = Posted(
                path=parts.path,
                query=parse_qs(parts.query),
                body=json.loads(raw.decode()),
                content_type=self.headers.get("Content-Type", ""),
            )
            with lock:
                state.requests.append(posted)
                nth = len(state.posted(parts.path))
            if state.delay:
                time.sleep(state.delay)
            status, answer = (state.responder or (lambda p, n: ok_for(p.path)))(posted, nth)
            data = json.dumps(answer).encode() if not isinstance(answer, bytes) else answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    """Enough of RFC 5321 for Django's SMTP backend: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
    QUIT. Messages are parsed and kept."""
    lock = threading.Lock()
    state = SmtpServer(host="127.0.0.1", port=0)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")
            self.wfile.flush()

        def handle(self) -> None:
            self.reply("220 localhost test SMTP")
            sender, rcpts = "", []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line.decode(errors="replace").strip()
                upper = verb.upper()
                if upper.startswith("EHLO"):
                    self.reply("250-localhost")
                    self.reply("250 8BITMIME")
                elif upper.startswith("HELO"):
                    self.reply("250 localhost")
                elif upper.startswith("MAIL FROM:"):
                    sender, rcpts = verb[10:].strip().split()[0].strip("<>"), []
                    self.reply("250 OK")
                elif upper.startswith("RCPT TO:"):
                    rcpts.append(verb[8:].strip().split()[0].strip("<>"))
                    self.reply("250 OK")
                elif upper == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while True:
                        chunk = self.rfile.readline()
                        if chunk in (b".\r\n", b".\n", b""):
                            break
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    with lock:
                        state.messages.append(message)  # type: ignore[arg-type]
                        state.envelopes.append((sender, rcpts))
                    self.reply("250 OK queued")
                elif upper in ("RSET", "NOOP"):
                    self.reply("250 OK")
                elif upper == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
