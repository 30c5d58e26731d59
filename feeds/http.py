"""The one HTTP client channelwatch uses, and bounded, never-raising GETs on it.

What the network sends back is untrusted: bodies are read up to a cap, redirects are
followed only to http/https (httpx refuses other schemes) and at most a few times, and
every failure becomes a one-line reason instead of an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from channelwatch.settings import USER_AGENT

TIMEOUT = httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=30.0)
MAX_REDIRECTS = 5
MAX_BODY_BYTES = 10 * 1024 * 1024


def make_client(
    contact: str | None = None, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The shared client: timeouts, connection limits and a User-Agent naming us."""
    agent = f"{USER_AGENT} {contact}" if contact else USER_AGENT
    return httpx.Client(
        timeout=TIMEOUT,
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        headers={"User-Agent": agent},
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        transport=transport,
    )


@dataclass(frozen=True)
class Fetched:
    """The outcome of one GET: a body, a 304, or a reason it failed."""

    url: str  # after redirects
    status: int | None = None
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def get(client: httpx.Client, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
    try:
        with client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            if response.status_code == 304:
                return Fetched(final, 304, headers=dict(response.headers))
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                return Fetched(
                    final, response.status_code, error=f"HTTP {response.status_code} {reason}"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return Fetched(
                        final,
                        response.status_code,
                        error=f"response larger than {MAX_BODY_BYTES // 2**20} MB",
                    )
            return Fetched(final, response.status_code, bytes(body), dict(response.headers))
    except httpx.TooManyRedirects:
        return Fetched(url, error=f"more than {MAX_REDIRECTS} redirects")
    except httpx.UnsupportedProtocol:
        return Fetched(url, error="redirected to a URL that is not http or https")
    except httpx.TimeoutException as exc:
        return Fetched(url, error=f"timed out ({type(exc).__name__})")
    except httpx.ConnectError as exc:
        return Fetched(url, error=f"cannot connect to {httpx.URL(url).host} ({_root_cause(exc)})")
    except httpx.HTTPError as exc:
        return Fetched(url, error=f"{type(exc).__name__}: {_root_cause(exc)}")


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    text = str(exc) or type(exc).__name__
    return text.removeprefix("[Errno -2] ").removeprefix("[Errno -3] ")
