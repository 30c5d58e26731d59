"""Polling feeds: conditional GET, then feedparser on the bytes we fetched."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin

import feedparser

from feeds.http import Fetched, Poller, fan_out, max_age, retry_after
from feeds.identity import canonical_link, digest, entry_keys
from feeds.plainfeed import read_plain_feed

# feedparser problems that leave the entries perfectly readable.
HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
# The start of a DOCTYPE that declares its own entities, and the end of those declarations.
_DTD_START = re.compile(r"<!DOCTYPE[^\[>]*\[", re.IGNORECASE)
_DTD_END = re.compile(r"\]\s*>")
_ELEMENT = re.compile(r"<[A-Za-z]")
_NUMERIC_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,16});")
DTD_IGNORED = "the feed declares its own XML entities (a DTD); they were ignored"
Tag = TypeVar("Tag")


@dataclass(frozen=True)
class Validators:
    """The server's cache validators, sent back verbatim (opaque) on the next poll."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Entry:
    key: str  # unique within the feed: guid, else canonical link (see feeds.identity)
    link: str
    title: str
    published: datetime | None
    author: str | None
    summary: str  # HTML as the feed gives it
    content: str  # full-text HTML when the feed carries it (content:encoded, Atom content)


@dataclass(frozen=True)
class ParsedFeed:
    entries: list[Entry]
    problem: str | None = None  # the feed is malformed; these entries are what could be read
    ttl: timedelta | None = None  # RSS <ttl>: how long the publisher asks us to wait


@dataclass(frozen=True)
class FeedPoll:
    """What one poll of one feed found."""

    url: str  # the URL polled
    status: int | None
    validators: Validators
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None  # the feed could not be had
    problem: str | None = None  # the feed was read, but is malformed
    moved_to: str | None = None  # the feed permanently moved here
    ttl: timedelta | None = None
    max_age: timedelta | None = None
    retry_after: timedelta | None = None
    received: int = 0  # bytes of feed body received

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def hints(self) -> tuple[timedelta | None, ...]:
        """The publisher's say in when we poll next."""
        return (self.ttl, self.max_age, self.retry_after)


async def poll_feed(poller: Poller, url: str, validators: Validators) -> FeedPoll:
    """GET the feed with our validators; a 304 costs no parsing."""
    fetched = await poller.get(url, validators.headers())
    hints = _hints(fetched)
    if not fetched.ok:
        return FeedPoll(url, fetched.status, validators, error=fetched.error, **hints)
    if fetched.status == 304:
        return FeedPoll(
            url, 304, _validators(fetched.headers, validators), moved_to=fetched.moved_to, **hints
        )
    try:
        parsed = parse_feed(fetched.body, fetched.headers, fetched.url)
    except Exception as exc:  # one odd feed must not end the cycle for every other source
        error = f"the feed could not be parsed ({type(exc).__name__}: {exc})"
        return FeedPoll(url, fetched.status, validators, error=error, **hints)
    if parsed.problem and not parsed.entries:
        return FeedPoll(
            url,
            fetched.status,
            validators,
            error=f"not a readable feed ({parsed.problem})",
            **hints,
        )
    return FeedPoll(
        url,
        fetched.status,
        _validators(fetched.headers, Validators()),
        parsed.entries,
        problem=parsed.problem,
        moved_to=fetched.moved_to,
        ttl=parsed.ttl,
        received=len(fetched.body),
        **hints,
    )


async def poll_feeds(
    poller: Poller,
    feeds: Iterable[tuple[Tag, str, Validators]],
    handle: Callable[[Tag, FeedPoll], None],
) -> None:
    """Poll many feeds concurrently, handing each result to `handle` as it arrives."""

    async def poll(feed: tuple[Tag, str, Validators]) -> None:
        tag, url, validators = feed
        handle(tag, await poll_feed(poller, url, validators))

    await fan_out(poller, feeds, lambda feed: feed[1], poll)


def parse_feed(body: bytes, headers: Mapping[str, str], base_url: str) -> ParsedFeed:
    """Entries from feed bytes (RSS 0.9x/1.0/2.0, Atom), and the parse problem if any.

    Parsing is most of a cycle's CPU. A plain, well-formed feed is read with lxml, about
    seven times faster than feedparser and to the same result (feeds.plainfeed); feedparser
    reads the rest, spared work we don't use: it gets no base URL (resolving one on
    every element costs 30% of its time; we resolve entry links ourselves), and it
    neither sanitizes nor rewrites HTML (we never show a feed's HTML; it only feeds text
    extraction).
    """
    lowered = {k.lower(): v for k, v in headers.items() if k.lower() != "content-location"}
    body, had_dtd = without_dtd(body)
    body = _NUMERIC_REFERENCE.sub(_sound_reference, body)
    problem = DTD_IGNORED if had_dtd else None
    plain = read_plain_feed(body, lowered, HARMLESS)
    if plain is not None:
        raws, ttl = plain
        return ParsedFeed(_entries(raws, base_url), problem, _ttl(ttl))
    parsed = feedparser.parse(
        body, response_headers=lowered, resolve_relative_uris=False, sanitize_html=False
    )
    if parsed.bozo and not isinstance(parsed.bozo_exception, HARMLESS):
        problem = str(parsed.bozo_exception) or type(parsed.bozo_exception).__name__
    return ParsedFeed(_entries(parsed.entries, base_url), problem, _ttl(parsed.feed.get("ttl")))


def without_dtd(body: bytes) -> tuple[bytes, bool]:
    """The feed without the entity declarations of its DOCTYPE, and whether it had any.

    No feed needs its own entities, and they are how XML attacks its reader: a "billion
    laughs" expands a kilobyte into gigabytes (expat stops it, but only after feeding
    feedparser a million fragments, seconds of CPU), and external entities point at
    local files or internal hosts. A DOCTYPE can only come before the root element, so
    only the document's head is searched.
    """
    codec = _codec(body[:4])
    head = body[: 64 * 1024].decode(codec, "ignore")
    start = _DTD_START.search(head)
    if start is None or _ELEMENT.search(head, 0, start.start()):
        return body, False
    text = body.decode(codec, "replace")
    end = _DTD_END.search(text, start.end())
    rest = text[end.end() :] if end else ""
    return (text[: start.start()] + rest).encode(codec), True


def _sound_reference(match: re.Match[bytes]) -> bytes:
    """A character reference feedparser can take: it raises on one beyond Unicode
    (&#2000000;) or to a lone surrogate (&#xD800;), losing the whole feed (found by fuzzing)."""
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return match.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


def _codec(first: bytes) -> str:
    """The byte encoding of an XML document's markup, as its first bytes show it."""
    if first.startswith((b"\xff\xfe", b"<\x00?\x00")):
        return "utf-16-le" if not first.startswith(b"\xff\xfe") else "utf-16"
    if first.startswith((b"\xfe\xff", b"\x00<\x00?")):
        return "utf-16-be" if not first.startswith(b"\xfe\xff") else "utf-16"
    return "latin-1"  # markup is ASCII; latin-1 decodes any byte and encodes it back as it was


def _entries(raws: Sequence[Mapping[str, Any]], base_url: str) -> list[Entry]:
    links = [
        canonical_link(urljoin(base_url, raw["link"])) if raw.get("link") else "" for raw in raws
    ]
    titles = [_text(raw.get("title") or "") for raw in raws]
    dates = [_when(raw.get("published_parsed") or raw.get("updated_parsed")) for raw in raws]
    digests = [digest(*fields) for fields in zip(links, titles, dates, strict=True)]
    guids = [(raw.get("id") or "").strip() for raw in raws]
    entries = []
    for raw, key, link, title, published in zip(
        raws, entry_keys(guids, links, digests), links, titles, dates, strict=True
    ):
        if key is None:
            continue  # the same item twice
        contents = raw.get("content") or []
        entries.append(
            Entry(
                key=key,
                link=link,
                title=title,
                published=published,
                author=raw.get("author"),
                summary=raw.get("summary", ""),
                content=max((c.get("value", "") for c in contents), key=len, default=""),
            )
        )
    return entries


def _hints(fetched: Fetched) -> dict[str, timedelta | None]:
    wait, age = retry_after(fetched.headers), max_age(fetched.headers)
    return {
        "retry_after": timedelta(seconds=wait) if wait is not None else None,
        "max_age": timedelta(seconds=age) if age is not None else None,
    }


def _text(title: str) -> str:
    """A title as plain text: feeds sometimes put markup in titles."""
    return re.sub(r"<[^<>]*>", "", title).strip()


def _ttl(value: object) -> timedelta | None:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        return None
    return timedelta(minutes=minutes) if minutes > 0 else None


def _when(parsed: object) -> datetime | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # type: ignore[arg-type]


def _validators(headers: Mapping[str, str], previous: Validators) -> Validators:
    return Validators(
        etag=headers.get("etag") or previous.etag,
        last_modified=headers.get("last-modified") or previous.last_modified,
    )
