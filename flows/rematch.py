"""Re-reading stored articles with the current rules and catalog (`channelwatch rematch`).

After an alias is added or a rule improves, articles already stored may hold events the
old detector missed. Only events not stored before are applied, through the same fold
and outbox as a cycle: a channel the new reading finds changed is alerted once, and
nothing already alerted is sent again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Cancelled, Completed, State
from sqlalchemy import Engine
from sqlmodel import Session

import feeds
import storage
from alerts import Routing, Senders, plan_routes
from channelwatch.config import Config, load_config
from channelwatch.settings import Settings
from flows.monitor import alert_policy, deliver_alerts, read_article
from flows.report import DeliveryReport, TransitionReport
from matching import Detector
from matching.issues import IssueTagger


@task(name="rematch", cache_policy=NO_CACHE)
def rematch_stored(
    engine: Engine, config: Config, routing: Routing, since: date | None
) -> tuple[int, int, list[TransitionReport]]:
    """(articles read, events found, state changes) for articles published since `since`."""
    detector = Detector(config.channels)
    tagger = IssueTagger(config.issues)
    routes_for = routing.for_channels(config)
    policy = alert_policy(config)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    read, found, changes = 0, 0, []
    with Session(engine) as session:
        for article in storage.articles_since(session, start):
            events, transitions = read_article(
                session, article, detector, tagger, routes_for, False, policy
            )
            read, found, changes = read + 1, found + len(events), changes + transitions
    return read, found, changes


@flow(name="channelwatch-rematch", flow_run_name="rematch since {since}")
def rematch_flow(config_path: str | None = None, since: date | None = None) -> State:
    logger = get_run_logger()
    settings = Settings()
    config = load_config(config_path or settings.config)
    engine = storage.open_database(settings.db_url)
    try:
        with storage.cycle_lock(engine):  # a cycle folding at the same time could alert twice
            read, found, changes, deliveries = _rematch(engine, config, settings, since)
    except storage.CycleRunning as busy:
        logger.warning(f"skipped: {busy}")
        return Cancelled(message=f"skipped: {busy}")
    finally:
        engine.dispose()
    for change in changes:
        logger.info(("ALERT " if change.alerted else "history: ") + change.line())
    for delivery in deliveries:
        if not delivery.delivered:
            logger.warning(
                f"alert for {delivery.channel} via {delivery.route} not delivered: {delivery.error}"
            )
    message = f"{read} stored articles re-read, {found} events found, {len(changes)} state changes, {sum(d.delivered for d in deliveries)} alerts delivered"
    logger.info(message)
    return Completed(message=message)


def _rematch(
    engine: Engine, config: Config, settings: Settings, since: date | None
) -> tuple[int, int, list[TransitionReport], list[DeliveryReport]]:
    routing = plan_routes(config, settings)
    read, found, changes = rematch_stored(engine, config, routing, since)
    with feeds.make_client() as client:
        deliveries = deliver_alerts(
            engine, config, routing, Senders.from_settings(settings, client)
        )
    return read, found, changes, deliveries
