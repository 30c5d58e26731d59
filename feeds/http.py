"""channelwatch's HTTP: polite, bounded GETs that never raise.

What the network sends back is untrusted: bodies are read up to a cap (after
decompression, so a small gzip bomb is as bounded as a large body), redirects are
followed only to http/https and at most a few times, every response has connect, read
and total time limits, and every failure becomes a one-line reason instead of an
exception.

Feeds are polled through a `Poller`, one per cycle. It holds one small connection pool
per host rather than one big pool: httpx's pool does work proportional to its size on
every request, so on this project's benchmark (benchmarks/poll_farm.py) 50 pools of two
connections poll 1,000 feeds several times faster than one pool of a hundred. The
pools share one TLS context, because building one costs about 30 ms.
"""

from __future__ import annotations

import asyncio
import random
import re
import ssl
import zlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import zip_longest
from typing import TypeVar
from urllib.parse import urlsplit

import httpx

from channelwatch.settings import USER_AGENT

MAX_REDIRECTS = 5
MIB = 2**20
Item = TypeVar("Item")


def user_agent(contact: str | None = None) -> str:
    """Our name, our project URL and, when configured, how a publisher can reach us."""
    return USER_AGENT.replace(")", f"; {contact})") if contact else USER_AGENT


def make_client(
    contact: str | None = None, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A synchronous client for the few one-off requests outside polling (webhooks)."""
    return httpx.Client(
        timeout=httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=30.0),
        headers={"User-Agent": user_agent(contact)},
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        transport=transport,
    )


@dataclass(frozen=True)
class Limits:
    """How much a poller may ask of the network, and how long it waits."""

    connections: int = 50  # requests in flight, over all hosts
    per_host: int = 2  # requests in flight to any one host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two reads
    total_timeout: float = 60.0  # one response, from sending the request to its last byte
    max_bytes: int = 10 * MIB
    retries: int = 2  # more attempts after a 5xx, a 429 or a connection failure
    retry_delay: float = 1.0  # the first retry waits up to this long, the next twice that
    max_retry_wait: float = 30.0  # a Retry-After longer than this is left to the next cycle


@dataclass(frozen=True)
class Fetched:
    """The outcome of one GET: a body, a 304, or the reason it failed."""

    url: str  # the URL that answered, after redirects
    status: int | None = None
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # lowercase names
    error: str | None = None
    transient: bool = False  # a failure that trying again soon may fix
    moved_to: str | None = None  # where the requested URL permanently moved, if it did

    @property
    def ok(self) -> bool:
        return self.error is None


class Poller:
    """One cycle's HTTP: concurrency limits, per-host pools, redirects, retries.

    Use it as an async context manager; `get` may be called from many tasks at once.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        contact: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.agent = user_agent(contact)
        self._transport = transport
        self._tls: ssl.SSLContext | None = None
        self._hosts: dict[str, tuple[httpx.AsyncClient, asyncio.Semaphore]] = {}
        self._slots = asyncio.Semaphore(self.limits.connections)

    async def __aenter__(self) -> Poller:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client, _ in self._hosts.values():
            await client.aclose()
        self._hosts.clear()

    async def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET `url`, trying again with jittered exponential backoff on transient failures."""
        fetched = await self._follow(url, headers or {})
        delay = self.limits.retry_delay
        for _ in range(self.limits.retries):
            wait = max(delay * random.uniform(0.5, 1.0), retry_after(fetched.headers) or 0.0)
            if not fetched.transient or wait > self.limits.max_retry_wait:
                break
            await asyncio.sleep(wait)
            delay *= 2
            fetched = await self._follow(url, headers or {})
        return fetched

    async def _follow(self, url: str, headers: Mapping[str, str]) -> Fetched:
        """Follow redirects ourselves, so each hop counts against its own host's limit."""
        current, moved_to, permanent, seen = url, None, True, {url}
        for _ in range(MAX_REDIRECTS + 1):
            fetched, location = await self._get_once(current, headers)
            if location is None:
                return replace(fetched, moved_to=moved_to)
            target = str(httpx.URL(current).join(location))  # httpx has checked `location`
            if httpx.URL(target).scheme not in ("http", "https"):
                return Fetched(
                    current, fetched.status, error="redirected to a URL that is not http or https"
                )
            if target in seen:
                return Fetched(current, fetched.status, error=f"redirect loop at {target}")
            permanent = permanent and fetched.status in (301, 308)
            moved_to = target if permanent else moved_to
            current = target
            seen.add(target)
        return Fetched(current, error=f"more than {MAX_REDIRECTS} redirects")

    async def _get_once(self, url: str, headers: Mapping[str, str]) -> tuple[Fetched, str | None]:
        """One request, no redirects: the outcome, and where a redirect points."""
        try:
            client, host_slots = self._host(httpx.URL(url).host)
        except httpx.InvalidURL as exc:
            return Fetched(url, error=f"invalid URL ({exc})"), None
        async with host_slots, self._slots:
            try:
                async with asyncio.timeout(self.limits.total_timeout):
                    return await self._exchange(client, url, headers)
            except TimeoutError:
                return Fetched(url, error=f"timed out after {self.limits.total_timeout:g} s"), None
            except httpx.ConnectTimeout:
                return Fetched(
                    url, error=f"timed out connecting to {_host_of(url)}", transient=True
                ), None
            except httpx.TimeoutException as exc:
                return Fetched(url, error=f"timed out ({type(exc).__name__})"), None
            except httpx.ConnectError as exc:
                reason = f"cannot connect to {_host_of(url)} ({_root_cause(exc)})"
                return Fetched(url, error=reason, transient=True), None
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
                if "location header" in str(exc):  # httpx rejects a bad redirect target early
                    return Fetched(url, error="redirected to an invalid URL"), None
                reason = f"connection to {_host_of(url)} broke ({_root_cause(exc)})"
                return Fetched(url, error=reason, transient=True), None
            except httpx.InvalidURL:  # httpx builds the redirect even when not following it
                return Fetched(url, error="redirected to an invalid URL"), None
            except httpx.HTTPError as exc:
                return Fetched(url, error=f"{type(exc).__name__}: {_root_cause(exc)}"), None

    async def _exchange(
        self, client: httpx.AsyncClient, url: str, headers: Mapping[str, str]
    ) -> tuple[Fetched, str | None]:
        async with client.stream("GET", url, headers=headers) as response:
            status, answer = response.status_code, _lower(response.headers)
            if response.has_redirect_location:
                return Fetched(url, status, headers=answer), response.headers["location"]
            if status == 304:
                return Fetched(url, 304, headers=answer), None
            if status >= 400:
                reason = response.reason_phrase or "error"
                transient = status >= 500 or status == 429
                return Fetched(
                    url,
                    status,
                    headers=answer,
                    error=f"HTTP {status} {reason}",
                    transient=transient,
                ), None
            cap = self.limits.max_bytes
            if int(answer.get("content-length") or 0) > cap:
                return Fetched(url, status, headers=answer, error=_too_large(cap)), None
            body = bytearray()
            inflate = _Inflater(answer.get("content-encoding", ""))
            try:
                async for chunk in response.aiter_raw():
                    body += inflate(chunk, cap + 1 - len(body))
                    if len(body) > cap:
                        return Fetched(url, status, headers=answer, error=_too_large(cap)), None
            except zlib.error:
                error = f"the body's {answer['content-encoding']} compression is corrupt"
                return Fetched(url, status, headers=answer, error=error), None
            return Fetched(url, status, bytes(body), answer), None

    def _host(self, host: str) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        if host not in self._hosts:
            limits = self.limits
            if self._tls is None and self._transport is None:
                self._tls = httpx.create_ssl_context()
            client = httpx.AsyncClient(
                headers={"User-Agent": self.agent},
                timeout=httpx.Timeout(
                    connect=limits.connect_timeout,
                    read=limits.read_timeout,
                    write=limits.read_timeout,
                    pool=None,  # never waits: the host's semaphore admits only what the pool holds
                ),
                limits=httpx.Limits(
                    max_connections=limits.per_host, max_keepalive_connections=limits.per_host
                ),
                verify=self._tls or True,
                transport=self._transport,
            )
            self._hosts[host] = (client, asyncio.Semaphore(limits.per_host))
        return self._hosts[host]


async def fan_out(
    poller: Poller,
    items: Iterable[Item],
    url_of: Callable[[Item], str],
    work: Callable[[Item], Awaitable[None]],
) -> None:
    """Run `work` on every item, as many at once as the poller lets requests run.

    A fixed set of workers takes the items one at a time, hosts interleaved so that no
    worker waits on a busy host while others are free; each worker finishes an item
    before taking the next, so memory stays flat however many items there are.
    """
    by_host: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_host[urlsplit(url_of(item)).hostname or ""].append(item)
    queue = (
        item for round_ in zip_longest(*by_host.values()) for item in round_ if item is not None
    )

    async def worker() -> None:
        for item in queue:  # one shared iterator: each item is taken once
            await work(item)

    async with asyncio.TaskGroup() as group:
        for _ in range(poller.limits.connections):
            group.create_task(worker())


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def max_age(headers: Mapping[str, str]) -> float | None:
    """Cache-Control max-age in seconds, unless the response says not to cache it."""
    directives = [d.strip().lower() for d in headers.get("cache-control", "").split(",")]
    if any(d in ("no-cache", "no-store") for d in directives):
        return None
    for directive in directives:
        name, _, value = directive.partition("=")
        if name == "max-age" and value.strip().isdigit():
            return float(value)
    return None


class _Inflater:
    """Decompresses a body piece by piece, each piece's output at most `room` bytes.

    httpx inflates a whole network read at once, and deflate reaches 1,000 to 1: one
    64 KB read of a gzip bomb would be 64 MB in memory before the size cap could look.
    """

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self.identity = encoding not in ("gzip", "x-gzip", "deflate")  # or one we never asked for
        self.gzip = "gzip" in encoding
        self.started = False
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if self.gzip else zlib.MAX_WBITS)

    def __call__(self, data: bytes, room: int) -> bytes:
        if self.identity:
            return data
        try:
            out = self._zlib.decompress(data, max(room, 1))
        except zlib.error:
            if self.started or self.gzip:
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, from old servers
            out = self._zlib.decompress(data, max(room, 1))
        self.started = True
        return out


def _host_of(url: str) -> str:
    return httpx.URL(url).host


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _too_large(cap: int) -> str:
    size = f"{cap // MIB} MB" if cap >= MIB else f"{cap // 1024} KB"
    return f"response larger than {size}"


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return re.sub(r"^\[Errno -?\d+\] ", "", str(exc) or type(exc).__name__)
