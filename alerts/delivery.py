"""Delivering the outbox: each route's due alerts, grouped into messages and sent.

One message per article's changes (Beijing's countermeasures are one message listing
every channel, not eight); a route in its quiet hours holds its alerts and, when they
end, gets them as one digest; a route with a daily digest gets it once a day. Every
attempt is logged; a failure is tried again in a later cycle, backing off; a rate limit
is waited out briefly or deferred, never counted as a failure nor sent twice.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import func
from sqlmodel import Session, col, select

import storage
from alerts.message import Change, HealthNotice, Message, Quote, render, render_health
from alerts.routes import LiveRoute, Routing, Senders
from alerts.transports import DeliveryError, RateLimited
from channelwatch.config import Config, Route
from storage.outbox import CHANGE_KINDS

MAX_INLINE_WAIT = 30.0  # seconds of Retry-After worth waiting within a cycle
MAX_CHANGES = 40  # per message: a Slack message holds 50 blocks, one per change


@dataclass(frozen=True)
class DeliveryReport:
    route: str
    channel: str  # what the message was about: channel ids, a feed, or a digest
    delivered: bool
    error: str | None = None
    outcome: str = "delivered"  # delivered, failed, deferred, held, given up


@dataclass
class Dispatch:
    """One delivery pass, with what it needs: the catalog, the routes and how to reach them."""

    session: Session
    config: Config
    routing: Routing
    senders: Senders
    retry: storage.RetryPolicy = storage.outbox.DEFAULT_RETRY
    run_url: str | None = None
    sleep: Callable[[float], None] = time.sleep

    def run(self, now: datetime) -> list[DeliveryReport]:
        reports = self._give_up_orphans(now)
        for route in self.routing.live:
            self._queue_daily_digest(route.route, now)
            self.session.commit()
            reports += self._route(route, now)
        return reports

    def _give_up_orphans(self, now: datetime) -> list[DeliveryReport]:
        """Alerts for a route that is gone or switched off would wait forever, unseen:
        they are given up on, visibly, and `alerts retry` sends them once it is back."""
        live = [r.name for r in self.routing.live]
        reports = []
        for alert in storage.outbox.orphaned(self.session, live):
            why = f"route '{alert.route}' is not live (removed from the config, or its transport is not set up)"
            storage.outbox.give_up(self.session, [alert], why, now)
            reports.append(
                DeliveryReport(alert.route, self._label([alert]), False, why, "given up")
            )
        self.session.commit()
        return reports

    # --- one route -----------------------------------------------------------------

    def _route(self, route: LiveRoute, now: datetime) -> list[DeliveryReport]:
        due = storage.outbox.due_alerts(self.session, route.name, now)
        quiet_until = _quiet_until(route.route, now)
        if quiet_until is not None:
            fresh = [a for a in due if not a.held]
            why = f"quiet hours until {quiet_until:%Y-%m-%d %H:%M %Z}"
            storage.outbox.hold(self.session, fresh, why, now)
            self.session.commit()
            return [DeliveryReport(route.name, self._label([a]), False, why, "held") for a in fresh]
        flush = any(a.held for a in due)  # the quiet hours are over: all go out together
        reports: list[DeliveryReport] = []
        for group, message in self._messages(route, due, flush):
            if reports and not reports[-1].delivered:
                # Rate limited, or the service is failing: the rest waits for the next
                # cycle rather than each costing a timeout against a server that hangs.
                why = f"not tried: {route.name} failed earlier this cycle"
                reports.append(
                    DeliveryReport(route.name, self._label(group), False, why, "waiting")
                )
                continue
            reports.append(self._send(route, group, message, now))
        return reports

    def _send(
        self, route: LiveRoute, alerts: Sequence[storage.Alert], message: Message, now: datetime
    ) -> DeliveryReport:
        label = self._label(alerts)
        try:
            self._send_waiting_out_limits(route, message)
        except RateLimited as exc:
            storage.outbox.defer(
                self.session, alerts, now + timedelta(seconds=exc.retry_after), str(exc), now
            )
            self.session.commit()
            return DeliveryReport(route.name, label, False, str(exc), "deferred")
        except Exception as exc:  # one bad message must not stop the others
            error = (
                str(exc)
                if isinstance(exc, DeliveryError)
                else f"{type(exc).__name__} while sending"
            )
            storage.outbox.record_attempt(self.session, alerts, error, now=now, retry=self.retry)
            self.session.commit()
            gave_up = any(a.status == "failed" for a in alerts)
            return DeliveryReport(
                route.name, label, False, error, "given up" if gave_up else "failed"
            )
        storage.outbox.record_attempt(self.session, alerts, None, now=now, retry=self.retry)
        self.session.commit()
        return DeliveryReport(route.name, label, True)

    def _send_waiting_out_limits(self, route: LiveRoute, message: Message) -> None:
        try:
            self.senders.send(route, message)
        except RateLimited as exc:
            if exc.retry_after > MAX_INLINE_WAIT:
                raise
            self.sleep(exc.retry_after)  # the service asked for it; it did not take the message
            self.senders.send(route, message)

    # --- grouping into messages --------------------------------------------------------

    def _messages(
        self, route: LiveRoute, alerts: Sequence[storage.Alert], flush: bool
    ) -> list[tuple[list[storage.Alert], Message]]:
        """Alerts as messages: one per article's changes; after quiet hours, one for all."""
        changes = [a for a in alerts if a.kind in CHANGE_KINDS]
        groups: dict[object, list[storage.Alert]] = {}
        for alert in changes:
            transition = self.session.get_one(storage.Transition, alert.transition_id)
            together = (
                "quiet"
                if flush
                else (transition.article_id if alert.kind == "channel" else alert.id)
            )
            groups.setdefault(together, []).append(alert)
        messages = []
        chunks = [
            g[i : i + MAX_CHANGES] for g in groups.values() for i in range(0, len(g), MAX_CHANGES)
        ]
        for group in chunks:
            title = f"Held during quiet hours: {len(group)} alerts" if flush else None
            told = [
                self._change(alert.transition_id, alert.kind, alert.correction_id)
                for alert in group
            ]
            messages.append((group, self._stamp(render(told, self.run_url, title=title), group)))
        for alert in alerts:
            if alert.kind == "digest":
                messages.append(([alert], self._stamp(self._digest(route.route, alert), [alert])))
            elif alert.kind not in CHANGE_KINDS:
                messages.append(([alert], self._stamp(self._health(alert), [alert])))
        return messages

    @staticmethod
    def _stamp(message: Message, alerts: Sequence[storage.Alert]) -> Message:
        """Name the message by the alerts it carries: the same on a resend, and with the
        alerts' creation times in it, not the same as another install's alert 1."""
        told = "|".join(f"{a.key}@{a.created_at.isoformat()}" for a in alerts)
        ref = hashlib.sha256(told.encode()).hexdigest()[:32]
        return Message(message.subject, message.text, message.html, message.slack, ref)

    def _label(self, alerts: Sequence[storage.Alert]) -> str:
        labels = []
        for alert in alerts:
            if alert.transition_id is not None:
                labels.append(self.session.get_one(storage.Transition, alert.transition_id).channel)
            elif alert.source_id:
                labels.append(f"feed {alert.source_id}")
            else:
                labels.append(alert.kind)
        return ", ".join(dict.fromkeys(labels))

    # --- what each alert tells -----------------------------------------------------------

    def _change(
        self, transition_id: int | None, kind: str = "channel", correction_id: int | None = None
    ) -> Change:
        transition = self.session.get_one(storage.Transition, transition_id)
        quotes = self._quotes(transition)
        note, correction = None, None
        if kind == "unstable":
            before = storage.latest_transition(self.session, transition.channel, transition.id)
            if before is not None:
                quotes = self._quotes(before) + quotes
                note = (
                    f"It was reported {_word(before.to_state)} since {before.since} only days "
                    f"before it was reported {_word(transition.to_state)} since "
                    f"{transition.since}. Further reversals within "
                    f"{self.config.alerts.flap_days} days are not alerted; `channelwatch "
                    "status` always shows the latest state."
                )
        elif kind == "confirmed":
            note = (
                f"Now confirmed: {transition.publishers} publishers, combined confidence "
                f"{transition.confidence:.2f}."
            )
        elif kind == "correction":
            correction = self.session.get_one(storage.Correction, correction_id)
            note = self._correction_note(correction, transition)
        return Change(
            channel_name=self._channel_name(transition.channel),
            from_state=transition.from_state,
            from_since=transition.from_since,
            to_state=transition.to_state,
            since=transition.since,
            quotes=quotes,
            status=transition.status,
            publishers=transition.publishers,
            kind=kind,
            note=note,
            correction=correction.action if correction else None,
        )

    def _quotes(self, transition: storage.Transition) -> tuple[Quote, ...]:
        backing = storage.backing(self.session, transition.id)  # type: ignore[arg-type]
        return tuple(dict.fromkeys(self._quote(b.event.sentence, b.article) for b in backing))

    def _quote(self, sentence: str, article: storage.Article) -> Quote:
        publisher = self._publishers.get(article.source_id, article.source_id)
        return Quote(sentence, article.title, article.url, publisher, article.published_at)

    @cached_property
    def _publishers(self) -> dict[str, str]:
        return {s.id: s.name for s in self.config.sources}

    def _correction_note(
        self, correction: storage.Correction, transition: storage.Transition
    ) -> str:
        why = f" ({correction.note})" if correction.note else ""
        if correction.action == "reject":
            state = self.session.get(storage.ChannelState, transition.channel)
            now = f"{state.state} since {state.since}" if state else "unknown"
            return (
                f"An analyst ({correction.by}) rejected this reported change{why}: it did not "
                f"happen. The channel's state is now {now}."
            )
        if correction.action == "confirm":
            return f"An analyst ({correction.by}) confirmed this change{why}."
        return (
            f"An analyst ({correction.by}) corrected the date of this change from "
            f"{correction.before} to {correction.after}{why}."
        )

    def _channel_name(self, channel_id: str) -> str:
        return next((c.name for c in self.config.channels if c.id == channel_id), channel_id)

    def _health(self, alert: storage.Alert) -> Message:
        source = next((s for s in self.config.sources if s.id == alert.source_id), None)
        name, url = (source.name, source.url) if source else (alert.source_id or "?", "")
        return render_health(HealthNotice(alert.kind, name, url, alert.detail or "", self.run_url))

    # --- the daily digest ------------------------------------------------------------------

    def _queue_daily_digest(self, route: Route, now: datetime) -> None:
        """Queue the route's digest of the last day once its time of day has come."""
        if route.daily_digest is None:
            return
        local = now.astimezone(route.daily_digest.zone)
        slot = local.replace(
            hour=route.daily_digest.at.hour,
            minute=route.daily_digest.at.minute,
            second=0,
            microsecond=0,
        )
        if slot > local:
            slot -= timedelta(days=1)
        storage.outbox.queue_alert(
            self.session,
            f"digest:{route.name}:{slot:%Y-%m-%d}",
            route.name,
            kind="digest",
            detail=f"{(slot - timedelta(days=1)).isoformat()}/{slot.isoformat()}",
        )

    def _digest(self, route: Route, alert: storage.Alert) -> Message:
        start, end = (datetime.fromisoformat(t) for t in (alert.detail or "/").split("/"))
        transitions = self.session.exec(
            select(storage.Transition)
            .where(
                col(storage.Transition.created_at) >= start,
                col(storage.Transition.created_at) < end,
                storage.Transition.baseline == False,  # noqa: E712
                storage.Transition.status != "rejected",
            )
            .order_by(col(storage.Transition.id))
        ).all()
        channels = {c.id: c for c in self.config.channels}
        changes = [
            self._change(t.id)
            for t in transitions
            if t.channel in channels and route.wants(channels[t.channel])
        ]
        articles = self._articles_by_issue(route, start, end)
        count = sum(len(q) for q in articles.values())
        title = f"Daily digest {end:%Y-%m-%d}: {len(changes)} state changes, {count} new articles"
        return render(changes, self.run_url, title=title, articles=articles)

    def _articles_by_issue(
        self, route: Route, start: datetime, end: datetime
    ) -> dict[str, list[Quote]]:
        names = {i.id: i.name for i in self.config.issues}
        when = func.coalesce(storage.Article.published_at, storage.Article.fetched_at)
        articles = self.session.exec(
            select(storage.Article)
            .where(storage.Article.fetched_at >= start, storage.Article.fetched_at < end)
            .where(storage.Article.history == False)  # noqa: E712
            .order_by(when)
        ).all()
        by_issue: dict[str, list[Quote]] = {}
        for article in articles:
            for tag in article.issues:
                if tag["issue"] in names and route.wants_issue(tag["issue"]):
                    by_issue.setdefault(names[tag["issue"]], []).append(self._quote("", article))
        return by_issue


def describe_alert(alert: storage.Alert) -> str:
    """An undelivered alert in a line, for `status`, `alerts list` and the run log."""
    about = (
        f"transition {alert.transition_id}"
        if alert.transition_id
        else alert.source_id or alert.kind
    )
    state = (
        "GIVEN UP"
        if alert.status == "failed"
        else "held (quiet hours)"
        if alert.held
        else "waiting"
    )
    when = (
        f", next try {alert.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        if alert.next_attempt_at and alert.status == "pending"
        else ""
    )
    error = f": {alert.last_error}" if alert.last_error else ""
    return f"alert {alert.id} ({alert.kind}, {about}) to {alert.route}: {state} after {alert.attempts} tries{when}{error}"


def _quiet_until(route: Route, now: datetime) -> datetime | None:
    """When the route's quiet hours end, if they are on now."""
    quiet = route.quiet_hours
    if quiet is None:
        return None
    local = now.astimezone(quiet.zone)
    t = local.time().replace(tzinfo=None)
    inside = (
        quiet.start <= t < quiet.end
        if quiet.start < quiet.end
        else not quiet.end <= t < quiet.start
    )
    if not inside:
        return None
    end = local.replace(hour=quiet.end.hour, minute=quiet.end.minute, second=0, microsecond=0)
    return end if end > local else end + timedelta(days=1)


def _word(state: str) -> str:
    return {"active": "resumed", "suspended": "suspended"}.get(state, state)


def deliver(
    session: Session,
    config: Config,
    routing: Routing,
    senders: Senders,
    *,
    now: datetime,
    run_url: str | None = None,
) -> list[DeliveryReport]:
    """Send every due alert of every live route (see the module's docstring)."""
    retry = storage.RetryPolicy(
        max_attempts=config.alerts.max_attempts,
        first_wait=timedelta(minutes=config.alerts.retry_minutes),
    )
    return Dispatch(session, config, routing, senders, retry, run_url).run(now)
