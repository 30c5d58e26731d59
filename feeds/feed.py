"""Polling one feed: conditional GET, then feedparser on the bytes we fetched."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import httpx

from feeds.http import get

# Query parameters that track clicks and never identify an article.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|_hsenc|_hsmi)$", re.I)
# feedparser problems that leave the entries perfectly readable.
HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True)
class Validators:
    """The server's cache validators, sent back verbatim on the next poll."""

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
    key: str  # the guid, else the canonical link
    link: str
    title: str
    published: datetime | None
    author: str | None
    summary: str  # HTML as the feed gives it
    content: str  # full text HTML when the feed carries it (content:encoded, atom content)


@dataclass(frozen=True)
class FeedPoll:
    """What one poll of one feed found."""

    url: str
    status: int | None
    validators: Validators
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None  # the feed could not be had
    problem: str | None = None  # the feed was read, but is malformed

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def poll_feed(client: httpx.Client, url: str, validators: Validators) -> FeedPoll:
    """GET the feed with our validators; a 304 costs no parsing."""
    fetched = get(client, url, validators.headers())
    if not fetched.ok:
        return FeedPoll(fetched.url, fetched.status, validators, error=fetched.error)
    if fetched.status == 304:
        return FeedPoll(fetched.url, 304, _validators(fetched.headers, validators))
    entries, problem = parse_feed(fetched.body, fetched.headers, fetched.url)
    if problem and not entries:
        return FeedPoll(
            fetched.url, fetched.status, validators, error=f"not a readable feed ({problem})"
        )
    return FeedPoll(
        fetched.url,
        fetched.status,
        _validators(fetched.headers, Validators()),
        entries,
        problem=problem,
    )


def parse_feed(
    body: bytes, headers: Mapping[str, str], base_url: str
) -> tuple[list[Entry], str | None]:
    """Entries from feed bytes (RSS 0.9x/1.0/2.0, Atom), and the parse problem if any."""
    lowered = {k.lower(): v for k, v in headers.items()}
    lowered.setdefault("content-location", base_url)
    parsed = feedparser.parse(
        body, response_headers=lowered, resolve_relative_uris=True, sanitize_html=True
    )
    problem = None
    if parsed.bozo and not isinstance(parsed.bozo_exception, HARMLESS):
        problem = str(parsed.bozo_exception) or type(parsed.bozo_exception).__name__
    entries = [entry for raw in parsed.entries if (entry := _entry(raw)) is not None]
    return entries, problem


def canonical_link(link: str) -> str:
    """The link without tracking parameters or fragment, so re-shared links match."""
    parts = urlsplit(link.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def _entry(raw: feedparser.FeedParserDict) -> Entry | None:
    link = canonical_link(raw.get("link", "")) if raw.get("link") else ""
    key = (raw.get("id") or "").strip() or link
    if not key:
        return None
    contents = raw.get("content") or []
    return Entry(
        key=key,
        link=link,
        title=(raw.get("title") or "").strip(),
        published=_when(raw.get("published_parsed") or raw.get("updated_parsed")),
        author=raw.get("author"),
        summary=raw.get("summary", ""),
        content=max((c.get("value", "") for c in contents), key=len, default=""),
    )


def _when(parsed: object) -> datetime | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # type: ignore[arg-type]


def _validators(headers: Mapping[str, str], previous: Validators) -> Validators:
    lowered = {k.lower(): v for k, v in headers.items()}
    return Validators(
        etag=lowered.get("etag") or previous.etag,
        last_modified=lowered.get("last-modified") or previous.last_modified,
    )
