"""An entry's article: the page we fetch, its text extracted by trafilatura.

When the page cannot be had or yields no text, the feed's own content stands in, so an
entry is never lost because a publisher's page is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import trafilatura

from feeds.feed import Entry
from feeds.http import get

MIN_PAGE_WORDS = 40  # less than this from a page means extraction found no article


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    author: str | None
    published: datetime | None
    text: str
    origin: str  # "page" or "feed"
    problem: str | None = None  # why the page was not used, when it was not


def fetch_article(client: httpx.Client, entry: Entry) -> Article:
    """Fetch and extract the entry's page; fall back to the feed's content."""
    if not entry.link:
        return from_feed(entry, "the entry has no link")
    fetched = get(client, entry.link)
    if not fetched.ok:
        return from_feed(entry, fetched.error)
    extracted = extract(fetched.body, fetched.url)
    if extracted is None or len(extracted.text.split()) < MIN_PAGE_WORDS:
        return from_feed(entry, "no article text found on the page")
    return Article(
        url=entry.link,
        title=entry.title or extracted.title,
        author=entry.author or extracted.author,
        published=entry.published or extracted.published,
        text=extracted.text,
        origin="page",
    )


def extract(html: bytes | str, url: str) -> Article | None:
    """Text, title, author and date of an article page (trafilatura), or None."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    if document is None or not document.text:
        return None
    return Article(
        url=url,
        title=document.title or "",
        author=document.author,
        published=_date(document.date),
        text=document.text,
        origin="page",
    )


def from_feed(entry: Entry, problem: str | None) -> Article:
    html = entry.content or entry.summary
    text = html_to_text(html) if html else ""
    return Article(entry.link, entry.title, entry.author, entry.published, text, "feed", problem)


def html_to_text(html: str) -> str:
    text = trafilatura.extract(
        f"<html><body><article>{html}</article></body></html>", favor_recall=True
    )
    return text or trafilatura.html2txt(html) or ""


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
