"""The tables. Every schema change goes through a migration in `storage/migrations`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that reads back timezone-aware (UTC) on every backend.

    PostgreSQL keeps the zone; SQLite drops it, and comparing its naive values with
    `utcnow()` would raise. Values are stored in UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class SourceState(SQLModel, table=True):
    """Polling one source: validators for conditional GET, its schedule, and its health."""

    __tablename__ = "source_state"

    source_id: str = Field(primary_key=True, max_length=100)
    url: str = Field(max_length=2000)  # as configured; a change voids what we knew
    feed_url: str | None = Field(default=None, max_length=2000)  # where it permanently moved
    etag: str | None = Field(default=None, max_length=1000)
    last_modified: str | None = Field(default=None, max_length=100)
    ttl_minutes: int | None = None  # the feed's <ttl>, kept for the polls that get a 304
    last_polled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_poll_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=1000)
    consecutive_errors: int = 0
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # outage start
    outage_alerted: bool = False  # a feed-health alert went out for the current outage


class Article(SQLModel, table=True):
    """One feed entry with its extracted text, stored before detection runs on it."""

    __tablename__ = "article"
    __table_args__ = (UniqueConstraint("source_id", "entry_key"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(index=True, max_length=100)
    entry_key: str = Field(max_length=2000)
    url: str = Field(max_length=2000)
    title: str = Field(default="", max_length=1000)
    author: str | None = Field(default=None, max_length=500)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    # "page", "feed", or "feed-html": `text` is still the feed's HTML, to be extracted.
    text_origin: str = Field(default="page", max_length=20)
    # The page is fetched (again) at page_due_at; until then the feed's own text stands in.
    page_due_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)
    page_attempts: int = 0
    history: bool = False  # older than its source's last poll: folded, never alerted
    detected_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)
    # Tracked issues the article touches: [{"issue", "mentions", "per_thousand_words"}].
    issues: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class Event(SQLModel, table=True):
    """A channel reported suspended or resumed, with the sentence that says so."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    channel: str = Field(index=True, max_length=100)
    kind: str = Field(max_length=20)  # "suspended" or "resumed"
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    confidence: float
    occurred: str | None = Field(default=None, max_length=10)  # "2022", "2022-08" or "2022-08-05"
    rule: str = Field(max_length=200)
    # Why it counts: the mention, the trigger, each cue weighed and set aside.
    cues: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class ChannelState(SQLModel, table=True):
    """The current state of one channel and the evidence behind it."""

    __tablename__ = "channel_state"

    channel: str = Field(primary_key=True, max_length=100)
    state: str = Field(max_length=20)  # "active" or "suspended"
    since: str | None = Field(default=None, max_length=10)
    event_id: int | None = Field(default=None, foreign_key="event.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Transition(SQLModel, table=True):
    """A change of a channel's state, written in the same transaction as its alerts.

    `status` is what the confirmation rule (or an analyst) made of it: provisional until
    sure enough or corroborated by enough publishers, then confirmed; rejected by an
    analyst's correction. `unstable` marks a reversal of a change made only days before.
    """

    __tablename__ = "transition"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True, max_length=100)
    from_state: str = Field(max_length=20)
    from_since: str | None = Field(default=None, max_length=10)
    to_state: str = Field(max_length=20)
    since: str | None = Field(default=None, max_length=10)
    event_id: int = Field(foreign_key="event.id")
    article_id: int = Field(foreign_key="article.id")
    baseline: bool = False  # recorded without alerts (`run --baseline`, or a history article)
    status: str = Field(default="confirmed", max_length=20)  # provisional, confirmed, rejected
    confidence: float = 0.0  # of all its evidence together
    publishers: int = 1  # independent publishers behind it
    unstable: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Evidence(SQLModel, table=True):
    """A report behind a transition: the one that made it, then every corroboration."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("transition_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    transition_id: int = Field(foreign_key="transition.id", index=True)
    event_id: int = Field(foreign_key="event.id")
    article_id: int = Field(foreign_key="article.id")
    source_id: str = Field(max_length=100)  # the publisher, for independence
    confidence: float
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Correction(SQLModel, table=True):
    """An analyst's correction of a transition: the audit trail of `channelwatch correct`."""

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    transition_id: int = Field(foreign_key="transition.id", index=True)
    action: str = Field(max_length=20)  # reject, confirm, date
    before: str | None = Field(default=None, max_length=100)
    after: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=1000)
    by: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Alert(SQLModel, table=True):
    """The outbox: one row per route and thing to tell, kept until its route accepts it.

    `key` says what is told to which route (a transition, its confirmation, a correction,
    a digest, a feed outage), so the same thing can never be queued twice. A failed send
    is tried again from `next_attempt_at`, backing off, until the last try marks it failed.
    """

    __tablename__ = "alert"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True, index=True)
    # channel, confirmed, unstable, correction, digest, feed_failing, feed_recovered
    kind: str = Field(default="channel", max_length=20)
    transition_id: int | None = Field(default=None, foreign_key="transition.id", index=True)
    correction_id: int | None = Field(default=None, foreign_key="correction.id")
    source_id: str | None = Field(default=None, max_length=100)  # feed-health alerts
    detail: str | None = Field(default=None, max_length=1000)  # what happened, or a digest's span
    route: str = Field(max_length=100)
    status: str = Field(default="pending", index=True, max_length=20)  # pending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    held: bool = False  # held back by the route's quiet hours: goes out in their digest
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """The delivery log: every attempt to send an alert, and how it went."""

    __tablename__ = "delivery"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    transition_id: int | None = Field(default=None, index=True)
    route: str = Field(max_length=100)
    outcome: str = Field(max_length=20)  # delivered, failed, deferred
    detail: str | None = Field(default=None, max_length=1000)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
