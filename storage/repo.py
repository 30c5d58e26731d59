"""Reading and writing the tables. Each function takes the session it works in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.folding import Report, fold
from storage.models import Alert, Article, ChannelState, Event, SourceState, Transition, utcnow


class EventLike(Protocol):
    """What storage needs of a detected event (matching.Event has these fields)."""

    channel: str
    event: str
    sentence: str
    start: int
    end: int
    confidence: float
    occurred: str | None
    rule: str


# --- sources ---------------------------------------------------------------------


def source_state(session: Session, source_id: str, url: str) -> SourceState:
    """The stored poll state of a source; a fresh one for a new source or a changed URL."""
    state = session.get(SourceState, source_id)
    if state is None:
        return SourceState(source_id=source_id, url=url)
    if state.url != url:  # the operator pointed the source elsewhere: old validators are void
        state.url, state.etag, state.last_modified = url, None, None
    return state


def record_poll(
    session: Session,
    state: SourceState,
    *,
    status: int | None,
    error: str | None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> SourceState:
    now = utcnow()
    state.last_polled_at, state.last_status = now, status
    if error:
        state.last_error = error[:1000]
        state.consecutive_errors += 1
    else:
        state.last_success_at, state.last_error, state.consecutive_errors = now, None, 0
        state.etag, state.last_modified = etag, last_modified
    session.add(state)
    return state


def unseen_keys(session: Session, source_id: str, keys: Sequence[str]) -> set[str]:
    """The entry keys of this source that were never stored."""
    if not keys:
        return set()
    stored = session.exec(
        select(Article.entry_key).where(
            Article.source_id == source_id, col(Article.entry_key).in_(keys)
        )
    ).all()
    return set(keys) - set(stored)


# --- articles and detection ----------------------------------------------------------


def add_article(session: Session, article: Article) -> Article:
    session.add(article)
    return article


def articles_to_detect(session: Session) -> list[Article]:
    """Stored articles detection has not run on yet (new, or left by a crashed run)."""
    return list(
        session.exec(
            select(Article).where(col(Article.detected_at).is_(None)).order_by(col(Article.id))
        )
    )


def articles_since(session: Session, since: datetime | None) -> list[Article]:
    """Stored articles, oldest first, published (or fetched, when undated) since `since`."""
    when = func.coalesce(Article.published_at, Article.fetched_at)
    query = select(Article).order_by(when, col(Article.id))
    if since is not None:
        query = query.where(when >= since)
    return list(session.exec(query))


def event_keys(session: Session, article_id: int) -> set[tuple[str, str, str]]:
    """What detection already found in an article: (channel, kind, sentence)."""
    rows = session.exec(
        select(Event.channel, Event.kind, Event.sentence).where(Event.article_id == article_id)
    )
    return {tuple(row) for row in rows}  # type: ignore[misc]


def apply_detection(
    session: Session,
    article: Article,
    events: Iterable[EventLike],
    routes_for: Mapping[str, Sequence[str]],
    *,
    baseline: bool = False,
) -> list[Transition]:
    """Store an article's events, fold them into channel states, and write the outbox.

    The caller commits: events, states, transitions and their alerts land together.
    """
    published = (article.published_at or article.fetched_at).date().isoformat()
    rows = [
        Event(
            article_id=article.id,  # type: ignore[arg-type]
            channel=e.channel,
            kind=e.event,
            sentence=e.sentence,
            start=e.start,
            end=e.end,
            confidence=e.confidence,
            occurred=e.occurred,
            rule=e.rule,
        )
        for e in events
    ]
    session.add_all(rows)
    session.flush()
    by_channel: dict[str, list[Event]] = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    transitions = []
    for channel, channel_events in by_channel.items():
        transition = _fold_channel(session, article, channel, channel_events, published, baseline)
        if transition is not None:
            transitions.append(transition)
            if not baseline:
                session.add_all(
                    Alert(transition_id=transition.id, route=route)
                    for route in routes_for.get(channel, ())
                )  # type: ignore[arg-type]
    article.detected_at = utcnow()
    session.add(article)
    return transitions


def _fold_channel(
    session: Session,
    article: Article,
    channel: str,
    events: list[Event],
    published: str,
    baseline: bool,
) -> Transition | None:
    state = session.exec(
        select(ChannelState).where(ChannelState.channel == channel).with_for_update()
    ).first()
    current = state.state if state else "unknown"
    reports = [Report(e.kind, e.occurred or published, e, e.confidence) for e in events]
    evidence = session.get(Event, state.event_id) if state and state.event_id else None
    folded = fold(current, state.since if state else None, reports, evidence)
    if folded.evidence is evidence:
        return None  # every report was history
    state = state or ChannelState(channel=channel, state=current)
    state.state, state.since, state.updated_at = folded.state, folded.since, utcnow()
    state.event_id = folded.evidence.id if folded.evidence else None
    session.add(state)
    if not folded.changed:
        return None
    transition = Transition(
        channel=channel,
        from_state=folded.previous,
        to_state=folded.state,
        since=folded.since,
        event_id=folded.evidence.id,  # type: ignore[union-attr,arg-type]
        article_id=article.id,  # type: ignore[arg-type]
        baseline=baseline,
    )
    session.add(transition)
    session.flush()
    return transition


# --- alerts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingAlert:
    alert: Alert
    transition: Transition
    event: Event
    article: Article


def pending_alerts(session: Session) -> list[PendingAlert]:
    rows = session.exec(
        sa_select(Alert, Transition, Event, Article)
        .join(Transition, Alert.transition_id == Transition.id)  # type: ignore[arg-type]
        .join(Event, Transition.event_id == Event.id)  # type: ignore[arg-type]
        .join(Article, Transition.article_id == Article.id)  # type: ignore[arg-type]
        .where(Alert.status == "pending")
        .order_by(Alert.id)  # type: ignore[arg-type]
    ).all()
    return [PendingAlert(*row) for row in rows]


def record_delivery(
    session: Session, alert: Alert, error: str | None, at: datetime | None = None
) -> None:
    alert.attempts += 1
    if error is None:
        alert.status, alert.sent_at, alert.last_error = "sent", at or utcnow(), None
    else:
        alert.last_error = error[:1000]
    session.add(alert)


# --- the board ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    channel: str
    state: str
    since: str | None
    event: Event | None
    article: Article | None


def channel_board(session: Session, channel_ids: Sequence[str]) -> list[BoardRow]:
    """Every catalog channel's state; `unknown` for channels never reported on."""
    states = {s.channel: s for s in session.exec(select(ChannelState))}
    rows = []
    for channel in channel_ids:
        state = states.get(channel)
        event = session.get(Event, state.event_id) if state and state.event_id else None
        article = session.get(Article, event.article_id) if event else None
        rows.append(
            BoardRow(
                channel,
                state.state if state else "unknown",
                state.since if state else None,
                event,
                article,
            )
        )
    return rows
