"""Real local servers for tests: a think-tank site, a webhook receiver, an SMTP server."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

DATA = Path(__file__).parent / "data"
REPO_CONFIG = Path(__file__).parents[1] / "sources.yaml"


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]


class Site:
    """Serves files from a folder, with `{BASE}` replaced by the server's own URL.

    Every response carries an ETag, and a matching If-None-Match gets a 304, as a
    well-behaved publisher's server does. `aliases` maps a path to another file, so a
    test can change what the feed says between cycles.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.aliases: dict[str, str] = {}
        self.hits: list[Hit] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                name = site.aliases.get(path, path.lstrip("/"))
                file = site.root / name
                if not file.is_file() and (site.root / f"{name}.html").is_file():
                    file = site.root / f"{name}.html"
                if not file.is_file():
                    return self._send(404, b"not found", "text/plain")
                body = file.read_bytes().replace(b"{BASE}", site.base.encode())
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", None, etag)
                kind = (
                    "application/rss+xml" if file.suffix == ".xml" else "text/html; charset=utf-8"
                )
                self._send(200, body, kind, etag)

            def _send(
                self, status: int, body: bytes, kind: str | None, etag: str | None = None
            ) -> None:
                site.hits.append(Hit(self.path, status, dict(self.headers)))
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def __enter__(self) -> Site:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class WebhookReceiver:
    """Accepts Slack-style incoming-webhook POSTs; can be told to fail the next N."""

    def __init__(self, path: str = "/services/T000/B000/XXXXSECRETXXXX") -> None:
        self.path = path
        self.posts: list[dict[str, Any]] = []
        self.fail_next = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != receiver.path:
                    status, answer = 404, b"no_service"
                elif receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    status, answer = 500, b"internal_error"
                else:
                    receiver.posts.append(json.loads(body))
                    status, answer = 200, b"ok"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> WebhookReceiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port, collecting messages."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""
