"""Re-reading stored articles with the current rules and catalog (`channelwatch rematch`).

After an alias is added or a rule improves, articles already stored may hold events the
old detector missed. Only events not stored before are applied, through the same fold
and outbox as a cycle: a channel the new reading finds changed is alerted once, and
nothing already alerted is sent again.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, State
from sqlalchemy import Engine
from sqlmodel import Session

import feeds
import storage
from alerts import Routing, Senders, plan_routes
from channelwatch.config import Config, load_config
from channelwatch.settings import Settings
from flows.monitor import deliver_alerts
from flows.report import TransitionReport
from matching import Detector
from matching.issues import IssueTagger


@task(name="rematch", cache_policy=NO_CACHE)
def rematch_stored(
    engine: Engine, config: Config, routing: Routing, since: date | None
) -> tuple[int, int, list[TransitionReport]]:
    """(articles read, new events, state changes) for articles published since `since`."""
    detector = Detector(config.channels)
    tagger = IssueTagger(config.issues)
    routes_for = routing.for_channels(config)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    read, found, changes = 0, 0, []
    with Session(engine) as session:
        for article in storage.articles_since(session, start):
            read += 1
            published = article.published_at.date() if article.published_at else None
            article.issues = [
                asdict(tag) for tag in tagger.tag(article.title + "\n" + article.text)
            ]
            known = storage.event_keys(session, article.id)  # type: ignore[arg-type]
            new = [
                e
                for e in detector.detect(article.text, published)
                if (e.channel, e.event, e.sentence) not in known
            ]
            if not new:
                session.add(article)
                session.commit()
                continue
            found += len(new)
            for t in storage.apply_detection(session, article, new, routes_for):
                evidence = session.get(storage.Event, t.event_id)
                changes.append(
                    TransitionReport(
                        t.channel, t.from_state, t.to_state, t.since, evidence.sentence, article.url
                    )
                )  # type: ignore[union-attr]
            session.commit()
    return read, found, changes


@flow(name="channelwatch-rematch", flow_run_name="rematch since {since}")
def rematch_flow(config_path: str | None = None, since: date | None = None) -> State:
    logger = get_run_logger()
    settings = Settings()
    config = load_config(config_path or settings.config)
    engine = storage.open_database(settings.db_url)
    routing = plan_routes(config, settings)
    read, found, changes = rematch_stored(engine, config, routing, since)
    for change in changes:
        logger.info("ALERT " + change.line())
    with feeds.make_client() as client:
        deliveries = deliver_alerts(
            engine, config, routing, Senders.from_settings(settings, client)
        )
    for delivery in deliveries:
        if not delivery.delivered:
            logger.warning(
                f"alert for {delivery.channel} via {delivery.route} not delivered: {delivery.error}"
            )
    engine.dispose()
    message = f"{read} stored articles re-read, {found} new events, {len(changes)} state changes, {sum(d.delivered for d in deliveries)} alerts delivered"
    logger.info(message)
    return Completed(message=message)
