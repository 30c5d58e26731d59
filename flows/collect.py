"""One cycle's collection: poll the sources that are due, store new entries, fetch pages.

Prefect-free, so it is tested on its own; flows/monitor.py runs it as one task. The
order is what makes it lose nothing:

1. A poll's new entries are stored, with the feed's own HTML, in the same transaction
   as the validators that will make the next poll a 304. If the process dies before
   that commit, the next poll fetches the entries again; if it dies after, they are in
   the database, and their HTML is extracted (flows/extract.py) by this cycle or the next.
2. Then article pages are downloaded: those of the new entries, and those of earlier
   entries whose page failed and is due again. A page that could not be had is recorded
   (and may be retried); the pages had are handed over to extraction, which records
   them. If the process dies before that, they are still due, and downloaded again.
3. Last, sources failing for longer than `polling.health_alert_hours` get a feed-health
   alert in the outbox, and recovered ones a recovery alert, each once.

Text extraction is not done here: it is CPU-bound, and the poller's event loop would
stall every other source meanwhile; the flow runs it on its task runner (threads or a
Dask cluster).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

import feeds
import storage
from channelwatch.config import Config, Polling, Source
from flows.report import SourceReport


@dataclass(frozen=True)
class Due:
    """A source to poll this cycle, with what its last polls left us."""

    source: Source
    url: str  # the configured URL, or where the feed permanently moved
    validators: feeds.Validators
    interval: timedelta
    ttl: timedelta | None
    news_cutoff: datetime | None  # entries published before this are history


@dataclass
class Collected:
    sources: list[SourceReport] = field(default_factory=list)
    health: list[storage.HealthChange] = field(default_factory=list)
    pages: list[tuple[storage.PageDue, feeds.Download]] = field(default_factory=list)  # to read


async def collect(
    engine: Engine,
    config: Config,
    *,
    now: datetime,
    since: date | None = None,
    routes: Sequence[str] = (),
    limits: feeds.Limits | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Collected:
    """Poll every due source, store what is new, fetch pages; one report per source.

    `since` (first installs) skips entries published before that date, and counts the
    entries of a source never polled before as history. `routes` receive feed-health
    alerts.
    """
    polling = config.polling
    reports: dict[str, SourceReport] = {}
    due: list[Due] = []
    with Session(engine) as session:
        states = storage.source_states(session, {s.id: s.url for s in config.sources})
        for source, state in zip(config.sources, states, strict=True):
            if feeds.is_due(state.next_poll_at, now):
                due.append(_due(source, state, polling, now, since))
            else:
                reports[source.id] = SourceReport(
                    source.id,
                    "waiting",
                    next_poll=state.next_poll_at,
                    errors=state.consecutive_errors,
                    error=state.last_error,
                )

    def store(job: Due, poll: feeds.FeedPoll) -> None:
        reports[job.source.id] = _store_poll(engine, job, poll, now, since)

    async with feeds.Poller(limits or _limits(polling), polling.contact, transport) as poller:
        try:
            await feeds.poll_feeds(poller, ((job, job.url, job.validators) for job in due), store)
            missed, pages = await _download_pages(engine, poller, now)
        except ExceptionGroup as group:
            # The database is locked, full or gone: no source can be recorded, so the cycle
            # ends, with the database's own words rather than a TaskGroup's. Nothing is lost:
            # what was not committed is fetched again next cycle. (Not `except*`: raising
            # from one wraps the error in a group again on some Python 3.11 releases.)
            database = group.subgroup(SQLAlchemyError)
            if database is None:
                raise
            raise _first(database) from None

    collected = Collected(pages=pages)
    for source in config.sources:
        report = reports[source.id]
        collected.sources.append(replace(report, from_feed=missed[source.id]))
    with Session(engine) as session:
        collected.health = storage.raise_health_alerts(
            session,
            [s.id for s in config.sources],
            routes,
            failing_for=timedelta(hours=polling.health_alert_hours),
            now=now,
        )
        session.commit()
    return collected


def _due(
    source: Source, state: storage.SourceState, polling: Polling, now: datetime, since: date | None
) -> Due:
    last_poll = state.last_success_at or (now if since else None)
    return Due(
        source=source,
        url=state.feed_url or source.url,
        validators=feeds.Validators(state.etag, state.last_modified),
        interval=timedelta(minutes=source.interval_minutes or polling.interval_minutes or 0),
        ttl=timedelta(minutes=state.ttl_minutes) if state.ttl_minutes else None,
        news_cutoff=feeds.news_cutoff(last_poll),
    )


def _store_poll(
    engine: Engine, job: Due, poll: feeds.FeedPoll, now: datetime, since: date | None
) -> SourceReport:
    """Record one poll: its new entries and the source's state, in one transaction."""
    source = job.source
    with Session(engine) as session:
        state = storage.source_state(session, source.id, source.url)
        errors = state.consecutive_errors + 1 if poll.error else 0
        ttl = job.ttl if poll.not_modified else poll.ttl  # a 304 has no body to say it
        next_poll = feeds.next_poll_at(
            now,
            interval=job.interval,
            hints=(ttl, poll.max_age, poll.retry_after),
            errors=errors,
            jitter=random.random(),
        )
        new = 0 if poll.error else _store_entries(session, job, poll.entries, now, since)
        storage.record_poll(
            session,
            state,
            status=poll.status,
            error=poll.error,
            now=now,
            next_poll_at=next_poll,
            etag=poll.validators.etag,
            last_modified=poll.validators.last_modified,
            moved_to=poll.moved_to,
            ttl_minutes=int(ttl.total_seconds() // 60) if ttl else None,
        )
        session.commit()
    if poll.error:
        return SourceReport(source.id, "failed", poll.status, error=poll.error, next_poll=next_poll)
    status = "unchanged" if poll.not_modified else "new"
    return SourceReport(
        source.id,
        status,
        poll.status,
        len(poll.entries),
        new,
        problem=poll.problem,
        next_poll=next_poll,
    )


def _store_entries(
    session: Session, job: Due, entries: list[feeds.Entry], now: datetime, since: date | None
) -> int:
    """Store the entries that are new articles; re-key the ones that are stored ones."""
    if not entries:
        return 0
    source_id = job.source.id
    stored = storage.stored_entries(
        session,
        source_id,
        [e.key for e in entries],
        [e.link for e in entries if e.link],
        feeds.match_window(entries),
    )
    new = 0
    for entry, known in zip(entries, feeds.match_known(entries, stored), strict=True):
        if known is not None:
            if known.key != entry.key or (entry.link and known.link != entry.link):
                storage.rekey_article(
                    session, source_id, known.key, entry.key, entry.link, entry.title
                )
            continue
        if since and entry.published and entry.published.date() < since:
            continue
        cutoff = job.news_cutoff
        storage.add_article(
            session,
            storage.Article(
                source_id=source_id,
                entry_key=entry.key,
                url=entry.link,
                title=entry.title,
                author=entry.author,
                published_at=entry.published,
                text=feeds.feed_html(entry),
                text_origin=storage.FEED_HTML,
                page_due_at=None if feeds.has_full_text(entry) or not entry.link else now,
                history=bool(cutoff and entry.published and entry.published < cutoff),
            ),
        )
        new += 1
    return new


async def _download_pages(
    engine: Engine, poller: feeds.Poller, now: datetime
) -> tuple[Counter[str], list[tuple[storage.PageDue, feeds.Download]]]:
    """Download every page that is due. Record the ones not had, and count, per source, the
    new articles among them; return the ones had, for extraction."""
    with Session(engine) as session:
        due = storage.pages_due(session, now)
    robots = feeds.Robots(poller)
    missed: Counter[str] = Counter()
    had: list[tuple[storage.PageDue, feeds.Download]] = []

    async def download(item: storage.PageDue) -> None:
        page = await feeds.download_page(poller, robots, item.url)
        if page.problem is None:
            had.append((item, page))
            return
        with Session(engine) as session:
            storage.record_page(
                session,
                item.article_id,
                text=None,
                retry_at=feeds.page_retry_at(now, item.attempts + 1) if page.retry else None,
            )
            session.commit()
        if item.attempts == 0:
            missed[item.source_id] += 1

    await feeds.fan_out(poller, due, lambda item: item.url, download)
    return missed, had


def _limits(polling: Polling) -> feeds.Limits:
    return feeds.Limits(
        connections=polling.max_connections,
        per_host=polling.per_host,
        connect_timeout=polling.timeouts.connect,
        read_timeout=polling.timeouts.read,
        total_timeout=polling.timeouts.total,
        max_bytes=polling.max_body_mb * 2**20,
    )


def _first(group: BaseExceptionGroup) -> BaseException:
    """The first error inside a (possibly nested) exception group."""
    first = group.exceptions[0]
    return _first(first) if isinstance(first, BaseExceptionGroup) else first
