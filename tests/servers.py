"""Real local servers for tests: a think-tank site, a webhook receiver, an SMTP server."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

DATA = Path(__file__).parent / "data"
REPO_CONFIG = Path(__file__).parents[1] / "sources.yaml"


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]


def answer_all(request: str) -> bool:
    return True


class Served:
    """A threaded HTTP server on a free port of `host`, serving while in a `with` block.

    `admit(request)` is asked before each request is answered; when it says False the
    request is dropped unanswered and uncounted, as if the server had never seen it (a
    test kills its client there).
    """

    admit: Callable[[str], bool] = staticmethod(answer_all)

    def _serve(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self._server = ThreadingHTTPServer((host, 0), handler)
        self.base = f"http://{host}:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class Gate:
    """Holds requests until opened; `arrived` is set once one is waiting."""

    arrived: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def hold(self) -> None:
        self.arrived.set()
        self.opened.wait(timeout=120)


class Site(Served):
    """Serves files from a folder, with `{BASE}` replaced by the server's own URL and
    `{NOW}` by the current time (RFC 2822), for an entry published just now.

    Every response carries an ETag, and a matching If-None-Match gets a 304, as a
    well-behaved publisher's server does. `aliases` maps a path to another file, so a
    test can change what the feed says between cycles. `gates` holds a path's answers
    until the test opens its gate, to catch a cycle in the middle.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.aliases: dict[str, str] = {}
        self.gates: dict[str, Gate] = {}
        self.hits: list[Hit] = []
        self._serve(self._handler())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if not site.admit(f"GET {self.path}"):
                    return
                path = self.path.split("?")[0]
                if path in site.gates:
                    site.gates[path].hold()
                name = site.aliases.get(path, path.lstrip("/"))
                file = site.root / name
                if not file.is_file() and (site.root / f"{name}.html").is_file():
                    file = site.root / f"{name}.html"
                if not file.is_file():
                    return self._send(404, b"not found", "text/plain")
                now = format_datetime(datetime.now(UTC), usegmt=True).encode()
                body = file.read_bytes().replace(b"{BASE}", site.base.encode())
                body = body.replace(b"{NOW}", now)
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


@dataclass
class Reply:
    """One scripted answer. `delay` holds the headers back; `endless` streams a body
    forever, as fast as it can or, with `drip`, a few bytes every `drip` seconds."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    endless: bool = False
    drip: float = 0.0


class Gauge:
    """Requests being served right now, and the most ever at once; shareable by servers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0

    def __enter__(self) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.active -= 1


class Origin(Served):
    """A publisher's server whose answers each test scripts, path by path.

    `script(path, *replies)` answers the path's requests with the replies in turn, the
    last one repeating. Any loopback address works (127.0.0.2 … for other "hosts"). It
    records every request and the most requests it ever served at once.
    """

    def __init__(self, host: str = "127.0.0.1", gauge: Gauge | None = None) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.hits: list[Hit] = []
        self.gauge = Gauge()  # this server's requests at once
        self.shared: AbstractContextManager[None]
        self.shared = gauge or nullcontext()  # and those of every server sharing `gauge`
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._serve(self._handler(), host)

    def script(self, path: str, *replies: Reply) -> str:
        self.scripts[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def _next(self, path: str) -> Reply:
        with self._lock:
            replies = self.scripts.get(path)
            if not replies:
                return Reply(404, b"not found")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

            def do_GET(self) -> None:  # noqa: N802
                if not origin.admit(f"GET {self.path}"):
                    return
                reply = origin._next(self.path)
                with origin._lock:
                    origin.hits.append(Hit(self.path, reply.status, dict(self.headers)))
                with origin.gauge, origin.shared:
                    self._answer(reply)

            def _answer(self, reply: Reply) -> None:
                try:
                    origin._closing.wait(reply.delay)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.endless:
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        size = 64 if reply.drip else 65536
                        chunk = b"%x\r\n%s\r\n" % (size, b"<" * size)
                        for _ in range(2000):  # 128 MB at most, should a client not stop
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            if origin._closing.wait(reply.drip):
                                return
                        return
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading, as it should

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __exit__(self, *exc: object) -> None:
        self._closing.set()  # end the slow replies first, so shutdown does not wait on them
        super().__exit__(*exc)


class WebhookReceiver(Served):
    """Accepts Slack-style incoming-webhook POSTs, as Slack does: 200 "ok" once accepted.

    A test can make it fail the next N posts (`fail_next`) or answer with scripted
    replies first (`replies`, e.g. a 429 with Retry-After); `admit` (see Served) can drop
    a post unanswered and not accepted, as when the sender dies mid-request.
    """

    def __init__(self, path: str = "/services/T000/B000/XXXXSECRETXXXX") -> None:
        self.path = path
        self.posts: list[dict[str, Any]] = []
        self.fail_next = 0
        self.replies: list[tuple[int, dict[str, str]]] = []
        self._serve(self._handler())
        self.url = f"{self.base}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers: dict[str, str] = {}
                if not receiver.admit(f"POST {self.path}"):
                    return
                if self.path != receiver.path:
                    status, answer = 404, b"no_service"
                elif receiver.replies:
                    status, headers = receiver.replies.pop(0)
                    answer = b"rate_limited" if status == 429 else b"error"
                elif receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    status, answer = 500, b"internal_error"
                else:
                    receiver.posts.append(json.loads(body))
                    status, answer = 200, b"ok"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    admit: Callable[[str], bool] = answer_all  # as Served.admit, asked before accepting

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self.admit("DATA"):
            return "421 closing"  # never accepted; the client is gone anyway
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(
    password: str | None = None, port: int | None = None, **smtp_options: Any
) -> Iterator[tuple[Controller, Mailbox]]:
    """A real SMTP server (aiosmtpd) on a loopback port, collecting messages; with a
    `password`, it asks for a login (any user name) and accepts only that password.
    Other `smtp_options` go to aiosmtpd's SMTP: tls_context, require_starttls, …"""
    mailbox = Mailbox()
    if password is not None:

        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            # handled=False: aiosmtpd answers 535 itself (True would leave the client hanging)
            return AuthResult(success=data.password == password.encode(), handled=False)

        smtp_options = {"authenticator": check, "auth_require_tls": False, **smtp_options}
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port(), **smtp_options)
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""
