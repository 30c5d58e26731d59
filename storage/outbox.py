"""The outbox: alerts queued with the change they tell, sent later, every attempt logged.

An alert is queued in the same transaction as what it tells, under a key naming the
thing and the route, so the same thing is never queued twice. Delivery takes the due
alerts, records each attempt in the delivery log, and backs off after a failure until
the last try marks the alert failed (it stays visible, and `channelwatch alerts retry`
queues it again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage.models import Alert, Article, Delivery, Event, Evidence, Transition, utcnow

CHANGE_KINDS = ("channel", "unstable", "confirmed", "correction")


def queue_alert(session: Session, key: str, route: str, **fields: object) -> Alert | None:
    """Queue an alert unless one with this key exists already (then None)."""
    if session.exec(select(Alert.id).where(Alert.key == key)).first() is not None:
        return None
    alert = Alert(key=key, route=route, **fields)  # type: ignore[arg-type]
    session.add(alert)
    return alert


def queue_change_alerts(
    session: Session, kind: str, transition: Transition, routes: Iterable[str], **fields: object
) -> list[Alert]:
    """One alert of `kind` about a transition per route."""
    queued = [
        queue_alert(
            session,
            f"{kind}:{transition.id}:{fields.get('correction_id', '')}:{route}",
            route,
            kind=kind,
            transition_id=transition.id,
            **fields,
        )
        for route in routes
    ]
    return [alert for alert in queued if alert is not None]


def routes_told(session: Session, transition_id: int) -> list[str]:
    """The routes that received an alert about this transition, in the order they did."""
    rows = session.exec(
        select(Alert.route)
        .where(
            Alert.transition_id == transition_id,
            Alert.status == "sent",
            col(Alert.kind).in_(CHANGE_KINDS),
        )
        .order_by(col(Alert.id))
    )
    return list(dict.fromkeys(rows))


def supersede_pending(session: Session, transition_id: int, by: str) -> None:
    """Alerts about a change not yet sent (waiting, or given up on), made moot by a newer
    notice or a correction (`by`): they are never sent."""
    for alert in session.exec(
        select(Alert).where(
            Alert.transition_id == transition_id,
            col(Alert.status).in_(("pending", "failed")),
            Alert.kind != "correction",
        )
    ):
        alert.status, alert.held, alert.last_error = "superseded", False, f"superseded by {by}"
        session.add(alert)


def anything_pending(session: Session) -> bool:
    """Whether any alert waits to be sent, on any route, due now or later."""
    return (
        session.exec(select(Alert.id).where(Alert.status == "pending").limit(1)).first() is not None
    )


def due_alerts(session: Session, route: str, now: datetime) -> list[Alert]:
    """The route's pending alerts that may be tried now, oldest first."""
    return list(
        session.exec(
            select(Alert)
            .where(Alert.route == route, Alert.status == "pending")
            .where((col(Alert.next_attempt_at).is_(None)) | (col(Alert.next_attempt_at) <= now))
            .order_by(col(Alert.id))
        )
    )


def log_delivery(
    session: Session, alert: Alert, outcome: str, detail: str | None, now: datetime
) -> None:
    session.add(
        Delivery(
            alert_id=alert.id,  # type: ignore[arg-type]
            transition_id=alert.transition_id,
            route=alert.route,
            outcome=outcome,
            detail=detail[:1000] if detail else None,
            at=now,
        )
    )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_wait: timedelta = timedelta(minutes=5)

    def wait(self, attempts: int) -> timedelta:
        return self.first_wait * 2 ** (attempts - 1)


DEFAULT_RETRY = RetryPolicy()


def record_attempt(
    session: Session,
    alerts: Sequence[Alert],
    error: str | None,
    *,
    now: datetime | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> None:
    """One send of these alerts (one message): delivered, or failed and due again later."""
    now = now or utcnow()
    for alert in alerts:
        alert.attempts += 1
        alert.held = False
        if error is None:
            alert.status, alert.sent_at, alert.last_error = "sent", now, None
            log_delivery(session, alert, "delivered", None, now)
        else:
            alert.last_error = error[:1000]
            if alert.attempts >= retry.max_attempts:
                alert.status = "failed"
                log_delivery(session, alert, "failed", f"{error} (last try)", now)
            else:
                alert.next_attempt_at = now + retry.wait(alert.attempts)
                log_delivery(session, alert, "failed", error, now)
        session.add(alert)


def defer(
    session: Session, alerts: Sequence[Alert], until: datetime, why: str, now: datetime
) -> None:
    """Not sent now and not a failure: a rate limit or quiet hours. Logged once per reason."""
    for alert in alerts:
        if alert.last_error != why:
            log_delivery(session, alert, "deferred", why, now)
        alert.next_attempt_at, alert.last_error = until, why
        session.add(alert)


def hold(session: Session, alerts: Sequence[Alert], why: str, now: datetime) -> None:
    """Held back by quiet hours: they go out together when the quiet hours end."""
    for alert in alerts:
        if not alert.held:
            log_delivery(session, alert, "deferred", why, now)
        alert.held = True
        session.add(alert)


def give_up(session: Session, alerts: Sequence[Alert], why: str, now: datetime) -> None:
    for alert in alerts:
        alert.status, alert.held, alert.last_error = "failed", False, why[:1000]
        log_delivery(session, alert, "failed", why, now)
        session.add(alert)


def orphaned(session: Session, live_routes: Sequence[str]) -> list[Alert]:
    """Alerts waiting for a route that is not among the live ones."""
    return list(
        session.exec(
            select(Alert)
            .where(Alert.status == "pending", col(Alert.route).not_in(live_routes))
            .order_by(col(Alert.id))
        )
    )


def undelivered(session: Session) -> list[Alert]:
    """Alerts still to send or given up on, oldest first."""
    return list(
        session.exec(
            select(Alert)
            .where(col(Alert.status).in_(("pending", "failed")))
            .order_by(col(Alert.id))
        )
    )


def failed_alerts(session: Session) -> list[Alert]:
    return list(session.exec(select(Alert).where(Alert.status == "failed").order_by(col(Alert.id))))


def retry_failed(session: Session, alert_ids: Sequence[int] = ()) -> list[Alert]:
    """Queue failed alerts again (all, or those named), with a fresh set of tries."""
    query = select(Alert).where(Alert.status == "failed")
    if alert_ids:
        query = query.where(col(Alert.id).in_(alert_ids))
    alerts = list(session.exec(query))
    for alert in alerts:
        alert.status, alert.attempts, alert.next_attempt_at = "pending", 0, None
        session.add(alert)
    return alerts


@dataclass(frozen=True)
class Backing:
    """One piece of evidence behind a transition, with the article it comes from."""

    event: Event
    article: Article


def backing(session: Session, transition_id: int) -> list[Backing]:
    """A transition's evidence, the report that made it first, then by arrival."""
    rows = session.exec(
        select(Event, Article)
        .join(Evidence, col(Evidence.event_id) == col(Event.id))
        .join(Article, col(Evidence.article_id) == col(Article.id))
        .where(Evidence.transition_id == transition_id)
        .order_by(col(Evidence.id))
    )
    return [Backing(event, article) for event, article in rows]
