"""Reading and writing the tables. Each function takes the session it works in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage import outbox
from storage.folding import STATE_AFTER, Folded, Policy, Report, combined, fold, within
from storage.models import (
    Article,
    ChannelState,
    Correction,
    Event,
    Evidence,
    SourceState,
    Transition,
    utcnow,
)


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
    cues: Sequence[str]


DEFAULT_POLICY = Policy()


# --- sources ---------------------------------------------------------------------


def source_state(session: Session, source_id: str, url: str) -> SourceState:
    """The stored poll state of a source; a fresh one for a new source or a changed URL."""
    state = session.get(SourceState, source_id)
    if state is None:
        return SourceState(source_id=source_id, url=url)
    if state.url != url:  # the operator pointed the source elsewhere: what we knew is void
        state.url, state.feed_url, state.etag, state.last_modified = url, None, None, None
        state.ttl_minutes, state.next_poll_at = None, None
    return state


def source_states(session: Session, sources: Mapping[str, str]) -> list[SourceState]:
    """The poll state of each source (id -> configured URL), in the order given."""
    return [source_state(session, source_id, url) for source_id, url in sources.items()]


def record_poll(
    session: Session,
    state: SourceState,
    *,
    status: int | None,
    error: str | None,
    now: datetime | None = None,
    next_poll_at: datetime | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    moved_to: str | None = None,
    ttl_minutes: int | None = None,
) -> SourceState:
    """A poll's outcome: health counters, and on success what the next poll sends back."""
    now = now or utcnow()
    state.last_polled_at, state.last_status, state.next_poll_at = now, status, next_poll_at
    if error:
        state.last_error = error[:1000]
        state.consecutive_errors += 1
        state.failing_since = state.failing_since or now
    else:
        state.last_success_at, state.last_error, state.consecutive_errors = now, None, 0
        state.failing_since = None
        state.etag, state.last_modified, state.ttl_minutes = etag, last_modified, ttl_minutes
        state.feed_url = moved_to or state.feed_url
    session.add(state)
    return state


@dataclass(frozen=True)
class HealthChange:
    source_id: str
    kind: str  # "feed_failing" or "feed_recovered"
    detail: str


def raise_health_alerts(
    session: Session,
    source_ids: Sequence[str],
    routes: Sequence[str],
    *,
    failing_for: timedelta,
    now: datetime | None = None,
) -> list[HealthChange]:
    """Outbox a feed-health alert per route: once when an outage passes `failing_for`,
    once when the source recovers. The flag that says so is written in the same
    transaction, so no cycle repeats an alert.
    """
    now = now or utcnow()
    changes = []
    states = session.exec(select(SourceState).where(col(SourceState.source_id).in_(source_ids)))
    for state in states:
        change = _health_change(state, now, failing_for)
        if change is None:
            continue
        changes.append(change)
        state.outage_alerted = change.kind == "feed_failing"
        session.add(state)
        outage = state.failing_since or state.last_success_at or now
        for route in routes:
            outbox.queue_alert(
                session,
                f"{change.kind}:{state.source_id}:{outage:%Y%m%dT%H%M%S}:{route}",
                route,
                kind=change.kind,
                source_id=state.source_id,
                detail=change.detail,
            )
    return changes


def _health_change(
    state: SourceState, now: datetime, failing_for: timedelta
) -> HealthChange | None:
    if (
        state.failing_since
        and not state.outage_alerted
        and now - state.failing_since >= failing_for
    ):
        detail = (
            f"failing since {state.failing_since:%Y-%m-%d %H:%M} UTC "
            f"({state.consecutive_errors} failed polls in a row); last error: {state.last_error}"
        )
        return HealthChange(state.source_id, "feed_failing", detail)
    if state.failing_since is None and state.outage_alerted:
        detail = f"polled successfully again at {state.last_success_at:%Y-%m-%d %H:%M} UTC"
        return HealthChange(state.source_id, "feed_recovered", detail)
    return None


# --- entries -------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredEntry:
    """What entry identity needs of a stored article."""

    key: str
    link: str
    title: str
    published: datetime | None


def stored_entries(
    session: Session,
    source_id: str,
    keys: Sequence[str],
    links: Sequence[str],
    published_between: tuple[datetime, datetime] | None = None,
) -> list[StoredEntry]:
    """This source's articles with one of these keys or links, or published in the window."""
    matches = [col(Article.entry_key).in_(keys), col(Article.url).in_(links)]
    if published_between:
        matches.append(col(Article.published_at).between(*published_between))
    rows = session.exec(
        select(Article.entry_key, Article.url, Article.title, Article.published_at).where(
            Article.source_id == source_id, or_(*matches)
        )
    )
    return [StoredEntry(*row) for row in rows]


def rekey_article(
    session: Session, source_id: str, old_key: str, key: str, link: str, title: str
) -> None:
    """The stored article takes the entry's new key, link and title (re-keyed or re-titled)."""
    article = session.exec(
        select(Article).where(Article.source_id == source_id, Article.entry_key == old_key)
    ).one()
    article.entry_key, article.url, article.title = key, link or article.url, title or article.title
    session.add(article)


# --- pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PageDue:
    article_id: int
    source_id: str
    url: str
    attempts: int


def pages_due(session: Session, now: datetime | None = None) -> list[PageDue]:
    """Articles whose page is to be fetched now: new ones, and earlier failures to retry."""
    rows = session.exec(
        select(Article.id, Article.source_id, Article.url, Article.page_attempts)
        .where(col(Article.page_due_at) <= (now or utcnow()))
        .order_by(col(Article.id))
    )
    return [PageDue(*row) for row in rows]  # type: ignore[arg-type]


def record_page(
    session: Session,
    article_id: int,
    *,
    text: str | None,
    retry_at: datetime | None = None,
    title: str = "",
    author: str | None = None,
    published: datetime | None = None,
) -> Article:
    """A page fetch: its text replaces the feed's (and detection runs again on it), or the
    page is tried again at `retry_at` (None: never, the feed's text stays).
    """
    article = session.get_one(Article, article_id)
    article.page_attempts += 1
    if text:
        article.text, article.text_origin, article.page_due_at = text, "page", None
        article.title = article.title or title
        article.author = article.author or author
        article.published_at = article.published_at or published
        article.detected_at = None
    else:
        article.page_due_at = retry_at
    session.add(article)
    return article


# --- articles and detection ----------------------------------------------------------


def add_article(session: Session, article: Article) -> Article:
    session.add(article)
    return article


FEED_HTML = "feed-html"  # an article's text_origin until its feed HTML is extracted


def feed_html_to_extract(session: Session) -> list[tuple[int, str, str, str]]:
    """(article id, source, URL, feed HTML) of the articles stored with their feed's HTML
    and not yet extracted (new, or left by a crashed run)."""
    rows = session.exec(
        select(Article.id, Article.source_id, Article.url, Article.text)
        .where(Article.text_origin == FEED_HTML)
        .order_by(col(Article.id))
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def record_feed_text(session: Session, article_id: int, text: str) -> None:
    """The text extracted from an article's feed HTML replaces that HTML."""
    article = session.get_one(Article, article_id)
    if article.text_origin == FEED_HTML:  # a page read since is better: keep it
        article.text, article.text_origin = text, "feed"
        session.add(article)


def articles_to_detect(session: Session) -> list[Article]:
    """Stored articles detection has not run on yet (new, or left by a crashed run), once
    their text is extracted."""
    return list(
        session.exec(
            select(Article)
            .where(col(Article.detected_at).is_(None), Article.text_origin != FEED_HTML)
            .order_by(col(Article.id))
        )
    )


def articles_since(session: Session, since: datetime | None) -> list[Article]:
    """Stored articles with extracted text, oldest first, published (or fetched, when
    undated) since `since`."""
    when = func.coalesce(Article.published_at, Article.fetched_at)
    query = select(Article).where(Article.text_origin != FEED_HTML).order_by(when, col(Article.id))
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
    policy: Policy = DEFAULT_POLICY,
) -> list[Transition]:
    """Store an article's events, fold them into channel states, and write the outbox.

    A history article (older than its source's last poll) is folded like a baseline: its
    transitions are recorded, never alerted. An article detected again (its page came
    after its feed text was detected) adds only the events not stored already.
    The caller commits: events, states, transitions and their alerts land together.
    """
    baseline = baseline or article.history
    published = (article.published_at or article.fetched_at).date().isoformat()
    stored = event_keys(session, article.id)  # type: ignore[arg-type]
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
            cues=list(e.cues),
        )
        for e in events
        if (e.channel, e.event, e.sentence) not in stored
    ]
    session.add_all(rows)
    session.flush()
    by_channel: dict[str, list[Event]] = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    transitions = []
    for channel, channel_events in by_channel.items():
        reports = [Report(e.kind, e.occurred or published, e, e.confidence) for e in channel_events]
        routes = routes_for.get(channel, ())
        transition = _fold_channel(session, article, channel, reports, routes, baseline, policy)
        if transition is not None:
            transitions.append(transition)
    article.detected_at = utcnow()
    session.add(article)
    return transitions


def _fold_channel(
    session: Session,
    article: Article,
    channel: str,
    reports: list[Report[Event]],
    routes: Sequence[str],
    baseline: bool,
    policy: Policy,
) -> Transition | None:
    state = session.exec(
        select(ChannelState).where(ChannelState.channel == channel).with_for_update()
    ).first()
    current = state.state if state else "unknown"
    since = state.since if state else None
    evidence = session.get(Event, state.event_id) if state and state.event_id else None
    folded = fold(current, since, reports, evidence)
    latest = latest_transition(session, channel)
    if folded.changed and _rejected_before(session, channel, folded, article, policy):
        return None
    if not folded.changed:
        if latest is not None and latest.to_state == current:
            _corroborate(session, latest, article, reports, policy)
        if folded.evidence is not evidence and state is not None:
            state.event_id, state.since = folded.evidence.id, folded.since  # type: ignore[union-attr]
            state.updated_at = utcnow()
            session.add(state)
        return None
    made_by: Event = folded.evidence  # type: ignore[assignment]
    state = state or ChannelState(channel=channel, state=current)
    state.state, state.since, state.event_id = folded.state, folded.since, made_by.id
    state.updated_at = utcnow()
    session.add(state)
    transition = Transition(
        channel=channel,
        from_state=folded.previous,
        from_since=since,
        to_state=folded.state,
        since=folded.since,
        event_id=made_by.id,  # type: ignore[arg-type]
        article_id=article.id,  # type: ignore[arg-type]
        baseline=baseline,
        confidence=made_by.confidence,
        status=policy.status(made_by.confidence, 1),
        # A reversal of a change dated only days before: the channel is flapping.
        unstable=latest is not None
        and latest.to_state == folded.previous
        and policy.flapping(latest.since, folded.since),
    )
    session.add(transition)
    session.flush()
    session.add(_evidence(transition, made_by, article))
    if not baseline:
        _queue_change(session, transition, latest, routes)
    return transition


def _queue_change(
    session: Session, transition: Transition, latest: Transition | None, routes: Sequence[str]
) -> None:
    """A change is alerted; a reversal of a recent change is one "unstable" notice that
    stands for the alerts of both, and further reversals add nothing."""
    if not transition.unstable:
        outbox.queue_change_alerts(session, "channel", transition, routes)
    elif latest is not None and not latest.unstable:
        outbox.supersede_pending(
            session, latest.id, f"unstable notice on transition {transition.id}"
        )  # type: ignore[arg-type]
        outbox.queue_change_alerts(session, "unstable", transition, routes)


def _evidence(transition: Transition, event: Event, article: Article) -> Evidence:
    return Evidence(
        transition_id=transition.id,  # type: ignore[arg-type]
        event_id=event.id,  # type: ignore[arg-type]
        article_id=article.id,  # type: ignore[arg-type]
        source_id=article.source_id,
        confidence=event.confidence,
    )


def _attach(session: Session, transition: Transition, event: Event, article: Article) -> bool:
    """Keep `event` as evidence of the transition, unless the article backs it already
    (an article counts once, however often it tells the change)."""
    known = session.exec(
        select(Evidence.id).where(
            Evidence.transition_id == transition.id, Evidence.article_id == article.id
        )
    ).first()
    if known is not None:
        return False
    session.add(_evidence(transition, event, article))
    return True


def _corroborate(
    session: Session,
    transition: Transition,
    article: Article,
    reports: list[Report[Event]],
    policy: Policy,
) -> None:
    """A later report of the same change attaches to it as evidence, without a new alert.
    Once the evidence satisfies the confirmation rule, the routes already told of a
    provisional change are told it is confirmed (routes not yet told get it confirmed)."""
    same = [
        r
        for r in reports
        if STATE_AFTER[r.kind] == transition.to_state
        and within(r.when, transition.since, policy.corroboration_days)
    ]
    if not same or transition.status == "rejected":
        return
    if not _attach(session, transition, max(same, key=lambda r: r.confidence).evidence, article):
        return
    session.flush()
    rows = session.exec(
        select(Evidence.source_id, Evidence.confidence).where(
            Evidence.transition_id == transition.id
        )
    ).all()
    transition.confidence, transition.publishers = combined(rows)
    if transition.status == "provisional":
        surest = max(confidence for _, confidence in rows)
        transition.status = policy.status(surest, transition.publishers)
        if transition.status == "confirmed" and not transition.baseline:
            told = outbox.routes_told(session, transition.id)  # type: ignore[arg-type]
            outbox.queue_change_alerts(session, "confirmed", transition, told)
    session.add(transition)


def _rejected_before(
    session: Session, channel: str, folded: Folded[Event], article: Article, policy: Policy
) -> bool:
    """A change an analyst rejected, reported again (same state, dated within the
    corroboration window): the rejection stands, and the report is kept as its evidence."""
    rejected = session.exec(
        select(Transition)
        .where(
            Transition.channel == channel,
            Transition.status == "rejected",
            Transition.to_state == folded.state,
        )
        .order_by(col(Transition.id).desc())
    ).all()
    for transition in rejected:
        if within(transition.since, folded.since, policy.corroboration_days):
            _attach(session, transition, folded.evidence, article)  # type: ignore[arg-type]
            return True
    return False


def latest_transition(
    session: Session, channel: str, before: int | None = None
) -> Transition | None:
    """The channel's newest transition (before transition `before`, if given) that an
    analyst has not rejected."""
    query = select(Transition).where(Transition.channel == channel, Transition.status != "rejected")
    if before is not None:
        query = query.where(col(Transition.id) < before)
    return session.exec(query.order_by(col(Transition.id).desc())).first()


# --- corrections -----------------------------------------------------------------------


class CorrectionError(Exception):
    """A correction that cannot be made; the text says why."""


def correct_transition(
    session: Session,
    transition_id: int,
    action: str,
    *,
    by: str,
    when: str | None = None,
    note: str | None = None,
) -> Correction:
    """An analyst's correction: reject a change, confirm it, or set its date.

    The channel's state is recomputed from the transitions that stand, the correction
    is kept as an audit row, and every route that received the original alert is sent
    a correction notice. The caller commits.
    """
    transition = session.get(Transition, transition_id)
    if transition is None:
        raise CorrectionError(f"no transition {transition_id}; `channelwatch history` lists them")
    before, after = _corrected(transition, action, when)
    correction = Correction(
        transition_id=transition_id, action=action, before=before, after=after, note=note, by=by
    )
    session.add_all([transition, correction])
    session.flush()
    if action == "reject":  # what has not gone out about it never will
        outbox.supersede_pending(session, transition_id, f"correction {correction.id}")
    _restate(session, transition.channel)
    told = outbox.routes_told(session, transition_id)
    outbox.queue_change_alerts(session, "correction", transition, told, correction_id=correction.id)
    return correction


def _corrected(
    transition: Transition, action: str, when: str | None
) -> tuple[str | None, str | None]:
    if action == "reject":
        if transition.status == "rejected":
            raise CorrectionError(f"transition {transition.id} is rejected already")
        before, transition.status = transition.status, "rejected"
        return before, "rejected"
    if action == "confirm":
        if transition.status == "confirmed":
            raise CorrectionError(f"transition {transition.id} is confirmed already")
        before, transition.status = transition.status, "confirmed"
        return before, "confirmed"
    if action == "date" and when:
        before, transition.since = transition.since, when
        return before, when
    raise CorrectionError(f"unknown correction {action!r}: use reject, confirm or date")


def _restate(session: Session, channel: str) -> None:
    """The channel's state as the transitions that stand make it."""
    latest = latest_transition(session, channel)
    state = session.get(ChannelState, channel)
    if latest is None:
        if state is not None:
            session.delete(state)
        return
    state = state or ChannelState(channel=channel, state=latest.to_state)
    state.state, state.since, state.event_id = latest.to_state, latest.since, latest.event_id
    state.updated_at = utcnow()
    session.add(state)


# --- history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    transition: Transition
    backing: list[outbox.Backing]
    corrections: list[Correction]
    told: list[str]  # the routes an alert about it reached


def history(session: Session, channel: str | None = None) -> list[HistoryRow]:
    """Every transition, oldest first, with its evidence and corrections."""
    query = select(Transition).order_by(col(Transition.id))
    if channel:
        query = query.where(Transition.channel == channel)
    rows = []
    for transition in session.exec(query):
        corrections = session.exec(
            select(Correction)
            .where(Correction.transition_id == transition.id)
            .order_by(col(Correction.id))
        ).all()
        told = outbox.routes_told(session, transition.id)  # type: ignore[arg-type]
        rows.append(
            HistoryRow(transition, outbox.backing(session, transition.id), list(corrections), told)  # type: ignore[arg-type]
        )
    return rows


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
