"""The tables. Every schema change goes through a migration in `storage/migrations`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class SourceState(SQLModel, table=True):
    """What we know about polling one source: validators for conditional GET, health."""

    __tablename__ = "source_state"

    source_id: str = Field(primary_key=True, max_length=100)
    url: str = Field(max_length=2000)
    etag: str | None = Field(default=None, max_length=1000)
    last_modified: str | None = Field(default=None, max_length=100)
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=1000)
    consecutive_errors: int = 0


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
    published_at: datetime | None = None
    fetched_at: datetime = Field(default_factory=utcnow)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    text_origin: str = Field(default="page", max_length=20)  # "page" or "feed"
    detected_at: datetime | None = Field(default=None, index=True)


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


class ChannelState(SQLModel, table=True):
    """The current state of one channel and the evidence behind it."""

    __tablename__ = "channel_state"

    channel: str = Field(primary_key=True, max_length=100)
    state: str = Field(max_length=20)  # "active" or "suspended"
    since: str | None = Field(default=None, max_length=10)
    event_id: int | None = Field(default=None, foreign_key="event.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Transition(SQLModel, table=True):
    """A change of a channel's state, written in the same transaction as its alerts."""

    __tablename__ = "transition"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True, max_length=100)
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    since: str | None = Field(default=None, max_length=10)
    event_id: int = Field(foreign_key="event.id")
    article_id: int = Field(foreign_key="article.id")
    baseline: bool = False  # recorded by `run --baseline`: no alert
    created_at: datetime = Field(default_factory=utcnow)


class Alert(SQLModel, table=True):
    """The outbox: one row per transition and route, marked sent once delivered."""

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("transition_id", "route"),)

    id: int | None = Field(default=None, primary_key=True)
    transition_id: int = Field(foreign_key="transition.id", index=True)
    route: str = Field(max_length=100)
    status: str = Field(default="pending", index=True, max_length=20)  # pending, sent, failed
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
