"""One cycle's extraction: article text out of the HTML that collection stored or fetched.

Prefect-free, like flows/collect.py. Collection stores each new entry with its feed's
HTML and hands over the article pages it downloaded; here trafilatura turns both into
text. Reading is pure CPU, so flows/monitor.py runs `read` in batches on its task
runner (threads, or a Dask cluster's workers); choosing what to read and storing what
was read stay in the cycle's process, which holds the database.

A feed's HTML is in the database until its text is stored, so a cycle that dies before
then leaves it for the next one. A downloaded page is only in memory; its article is
still due for its page, so the next cycle downloads it again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

import feeds
import storage
from flows.collect import Collected


@dataclass(frozen=True)
class ToRead:
    """One article's HTML to extract: its feed's (page None) or its downloaded page."""

    article_id: int
    source_id: str
    feed_html: str = ""
    page: feeds.Download | None = None
    page_attempts: int = 0  # earlier tries at the page


@dataclass(frozen=True)
class Read:
    """What extraction made of one `ToRead`: the feed's text, or the page."""

    article_id: int
    source_id: str
    feed_text: str = ""
    page: feeds.Page | None = None
    page_attempts: int = 0


def to_read(engine: Engine, collected: Collected) -> list[ToRead]:
    """Every feed HTML not yet extracted, then every page this cycle downloaded."""
    with Session(engine) as session:
        stored = storage.feed_html_to_extract(session)
    return [ToRead(article, source, feed_html=html) for article, source, _, html in stored] + [
        ToRead(due.article_id, due.source_id, page=page, page_attempts=due.attempts)
        for due, page in collected.pages
    ]


def read(items: list[ToRead]) -> list[Read]:
    """Extract each item's text (pure: nothing is stored)."""
    return [
        Read(item.article_id, item.source_id, feed_text=feeds.html_to_text(item.feed_html))
        if item.page is None
        else Read(
            item.article_id,
            item.source_id,
            page=feeds.read_page(item.page),
            page_attempts=item.page_attempts,
        )
        for item in items
    ]


def store(engine: Engine, readings: list[Read], collected: Collected, now: datetime) -> None:
    """Store what was read, in one transaction: feed texts first, then pages, whose text
    replaces the feed's. A page with no article is tried again later if that may help;
    new articles whose page was not had count in their source's `from_feed`."""
    missed: Counter[str] = Counter()
    with Session(engine) as session:
        for reading in sorted(readings, key=lambda r: r.page is not None):
            page = reading.page
            if page is None:
                storage.record_feed_text(session, reading.article_id, reading.feed_text)
                continue
            storage.record_page(
                session,
                reading.article_id,
                text=page.text or None,
                retry_at=feeds.page_retry_at(now, reading.page_attempts + 1)
                if page.retry
                else None,
                title=page.title,
                author=page.author,
                published=page.published,
            )
            if not page.ok and reading.page_attempts == 0:
                missed[reading.source_id] += 1
        session.commit()
    collected.sources = [
        replace(s, from_feed=s.from_feed + missed[s.source]) for s in collected.sources
    ]
    collected.pages = []


def extract_in_process(engine: Engine, collected: Collected, now: datetime) -> None:
    """Extraction with no task runner, every item in this process: for the tests and
    benchmarks that run a cycle's stages as plain calls."""
    store(engine, read(to_read(engine, collected)), collected, now)
