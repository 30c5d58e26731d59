"""An entry's article: the feed's own full text, or its page fetched politely and extracted.

- A full-text feed (content:encoded, Atom content) is used as it is: no page fetch.
- Otherwise the page is fetched if robots.txt allows it, and trafilatura extracts its
  text, title, author and date (the date from htmldate, used when the feed has none).
- Until the page is had, the feed's own text stands in, so an entry is never lost
  because a publisher's page is down; `Page.retry` says whether asking again later may
  help (the network or the server failed) or not (robots.txt says no, the page is gone
  or holds no article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

import trafilatura

from feeds.feed import Entry
from feeds.http import Fetched, Poller
from feeds.robots import Robots

MIN_PAGE_WORDS = 40  # less than this from a page means extraction found no article
# Extraction takes time that grows faster than a page's element count (about 3 s for
# 20,000 elements, over two minutes for 200,000); an article page has a few thousand.
MAX_PAGE_ELEMENTS = 25_000
_START_TAG = re.compile(rb"<[A-Za-z]")
FULL_TEXT_WORDS = 100  # a feed's content this long is the article, not a teaser


@dataclass(frozen=True)
class Page:
    """An article page: its extracted text and metadata, or why there is none."""

    url: str
    text: str = ""
    title: str = ""
    author: str | None = None
    published: datetime | None = None
    problem: str | None = None  # why the page gave no article text
    retry: bool = False  # whether asking again later may help

    @property
    def ok(self) -> bool:
        return self.problem is None


def has_full_text(entry: Entry) -> bool:
    """The feed carries the article itself, not a teaser: no page fetch needed."""
    return len(re.sub(r"<[^<>]*>", " ", entry.content).split()) >= FULL_TEXT_WORDS


def feed_html(entry: Entry) -> str:
    """The entry's own HTML: its full content, else its summary."""
    return entry.content or entry.summary


def feed_text(entry: Entry) -> str:
    """The entry's own text: its full content, else its summary."""
    return html_to_text(feed_html(entry))


@dataclass(frozen=True)
class Download:
    """An article page as fetched, before extraction; or why it was not had."""

    url: str  # the article's URL
    body: bytes = b""
    final_url: str = ""  # where the page was found, after redirects
    problem: str | None = None
    retry: bool = False  # whether asking again later may help


async def download_page(poller: Poller, robots: Robots, url: str) -> Download:
    """The article page at `url`, fetched if robots.txt allows; not yet extracted."""
    refusal = await robots.refusal(url)
    if refusal is not None:
        return Download(url, problem=refusal[0], retry=refusal[1])
    fetched = await poller.get(url)
    if not fetched.ok:
        return Download(url, problem=fetched.error, retry=_worth_retrying(fetched))
    return Download(url, fetched.body, fetched.url)


def read_page(download: Download) -> Page:
    """The article in a downloaded page (pure CPU: trafilatura), or why there is none."""
    url = download.url
    if download.problem is not None:
        return Page(url, problem=download.problem, retry=download.retry)
    if next(islice(_START_TAG.finditer(download.body), MAX_PAGE_ELEMENTS, None), None):
        return Page(url, problem=f"the page has more than {MAX_PAGE_ELEMENTS:,} HTML elements")
    try:
        page = extract(download.body, download.final_url or url)
    except Exception as exc:  # one odd page must not end the cycle
        return Page(url, problem=f"the page could not be read ({type(exc).__name__}: {exc})")
    if page is None or len(page.text.split()) < MIN_PAGE_WORDS:
        return Page(url, problem="no article text found on the page")
    return page


async def fetch_page(poller: Poller, robots: Robots, url: str) -> Page:
    """The article page at `url`, fetched if robots.txt allows and extracted."""
    return read_page(await download_page(poller, robots, url))


def extract(html: bytes | str, url: str) -> Page | None:
    """Text, title, author and date of an article page (trafilatura, htmldate), or None."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    if document is None or not document.text:
        return None
    return Page(
        url=url,
        text=document.text,
        title=document.title or "",
        author=document.author,
        published=_date(document.date),
    )


def html_to_text(html: str) -> str:
    if not html:
        return ""
    text = trafilatura.extract(
        f"<html><body><article>{html}</article></body></html>", favor_recall=True
    )
    return text or trafilatura.html2txt(html) or ""


def _worth_retrying(fetched: Fetched) -> bool:
    """No answer, or a server error or rate limit: the page may come back. A 4xx won't."""
    return fetched.status is None or fetched.status >= 500 or fetched.status == 429


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
