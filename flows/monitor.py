"""The monitoring cycle as a Prefect flow: poll, fetch, detect, fold, alert, report.

Each stage is a plain function in its own package; this module only wires them
together. Tasks sit at the I/O boundaries and are coarse (one per source, one for
detection, one for delivery) so that Prefect's API is never the bottleneck.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import httpx
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from sqlalchemy import Engine
from sqlmodel import Session

import feeds
import storage
from alerts import DeliveryError, Notice, Routing, Senders, plan_routes, render
from channelwatch.config import Config, Schedule, Source, load_config
from channelwatch.settings import Settings
from flows.report import CycleReport, DeliveryReport, SourceReport, TransitionReport, board_markdown
from matching import Detector

BOARD_KEY = "channel-board"


@task(name="collect", task_run_name="collect {source.id}", cache_policy=NO_CACHE)
def collect_source(source: Source, engine: Engine, client: httpx.Client) -> SourceReport:
    """Poll one feed and store every new entry's article (page text, else feed text)."""
    with Session(engine) as session:
        state = storage.source_state(session, source.id, source.url)
        validators = feeds.Validators(state.etag, state.last_modified)
    poll = feeds.poll_feed(client, source.url, validators)
    with Session(engine) as session:
        state = storage.source_state(session, source.id, source.url)
        if poll.error:
            storage.record_poll(session, state, status=poll.status, error=poll.error)
            session.commit()
            return SourceReport(source.id, "failed", poll.status, error=poll.error)
        unseen = storage.unseen_keys(session, source.id, [e.key for e in poll.entries])
    new = list({e.key: e for e in poll.entries if e.key in unseen}.values())
    articles = [(entry, feeds.fetch_article(client, entry)) for entry in new]
    with Session(engine) as session:
        for entry, article in articles:
            storage.add_article(session, _article_row(source, entry, article))
        state = storage.source_state(session, source.id, source.url)
        storage.record_poll(
            session,
            state,
            status=poll.status,
            error=None,
            etag=poll.validators.etag,
            last_modified=poll.validators.last_modified,
        )
        session.commit()
    status = "unchanged" if poll.not_modified else "new"
    from_feed = sum(a.origin == "feed" for _, a in articles)
    return SourceReport(
        source.id, status, poll.status, len(poll.entries), len(new), from_feed, problem=poll.problem
    )


def _article_row(source: Source, entry: feeds.Entry, article: feeds.Article) -> storage.Article:
    return storage.Article(
        source_id=source.id,
        entry_key=entry.key,
        url=article.url or entry.link,
        title=article.title,
        author=article.author,
        published_at=article.published,
        text=article.text,
        text_origin=article.origin,
    )


@task(name="detect", cache_policy=NO_CACHE)
def detect_articles(
    engine: Engine, config: Config, routing: Routing, baseline: bool
) -> CycleReport:
    """Detect events in every stored, undetected article and fold them into states."""
    detector = Detector(config.channels)
    routes_for = routing.for_channels(config)
    report = CycleReport()
    with Session(engine) as session:
        for article in storage.articles_to_detect(session):
            published = article.published_at.date() if article.published_at else None
            events = detector.detect(article.text, published)
            report.articles += 1
            report.events += [{"article": article.url, **asdict(e)} for e in events]
            for t in storage.apply_detection(
                session, article, events, routes_for, baseline=baseline
            ):
                evidence = session.get(storage.Event, t.event_id)
                report.transitions.append(
                    TransitionReport(
                        t.channel, t.from_state, t.to_state, t.since, evidence.sentence, article.url
                    )  # type: ignore[union-attr]
                )
            session.commit()  # one article, one transaction: its events, states and outbox
    return report


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_alerts(
    engine: Engine, config: Config, routing: Routing, senders: Senders
) -> list[DeliveryReport]:
    """Send every pending alert; each is marked sent as soon as its route accepts it."""
    publishers = {s.id: s.name for s in config.sources}
    names = {c.id: c.name for c in config.channels}
    outcomes = []
    with Session(engine) as session:
        for pending in storage.pending_alerts(session):
            route = routing.get(pending.alert.route)
            if route is None:
                continue  # the route is switched off now; the alert waits for it
            notice = Notice(
                channel_name=names.get(pending.transition.channel, pending.transition.channel),
                from_state=pending.transition.from_state,
                to_state=pending.transition.to_state,
                since=pending.transition.since,
                sentence=pending.event.sentence,
                article_title=pending.article.title,
                article_url=pending.article.url,
                publisher=publishers.get(pending.article.source_id, pending.article.source_id),
                published=pending.article.published_at,
                run_url=flow_run.ui_url,
            )
            try:
                senders.send(route, render(notice))
                error = None
            except DeliveryError as exc:
                error = str(exc)
            storage.record_delivery(session, pending.alert, error)
            session.commit()
            outcomes.append(
                DeliveryReport(route.name, pending.transition.channel, error is None, error)
            )
    return outcomes


def _run_name() -> str:
    return f"cycle {datetime.now(UTC):%Y-%m-%d %H:%M}"


@flow(
    name="channelwatch-cycle",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=8),
    log_prints=False,
)
def monitor_cycle(config_path: str | None = None, baseline: bool = False) -> State:
    """One monitoring cycle. Fails (visibly, in the UI) only when every source failed."""
    logger = get_run_logger()
    settings = Settings()
    config = load_config(config_path or settings.config)
    engine = storage.open_database(settings.db_url)
    routing = plan_routes(config, settings)
    for line in routing.inactive:
        logger.info(line)
    with feeds.make_client() as client:
        senders = Senders.from_settings(settings, client)
        sources = collect_source.map(config.sources, unmapped(engine), unmapped(client)).result()
        report = detect_articles(engine, config, routing, baseline)
        report.sources = list(sources)
        report.deliveries = deliver_alerts(engine, config, routing, senders)
    _log(logger, report, baseline)
    _publish(engine, config, report)
    engine.dispose()
    if report.every_source_failed:
        return Failed(
            message=f"every source failed ({len(report.sources)} sources): {report.summary()}"
        )
    return Completed(message=report.summary(), data=report)


def _log(logger, report: CycleReport, baseline: bool) -> None:  # type: ignore[no-untyped-def]
    for source in report.sources:
        (logger.warning if source.status == "failed" else logger.info)(source.line())
    for transition in report.transitions:
        logger.info(("baseline: " if baseline else "ALERT ") + transition.line())
    for delivery in report.deliveries:
        if not delivery.delivered:
            logger.warning(
                f"alert for {delivery.channel} via {delivery.route} not delivered: {delivery.error}"
            )
    logger.info(report.summary())


def _publish(engine: Engine, config: Config, report: CycleReport) -> None:
    create_table_artifact(
        key="cycle-sources", table=report.source_rows(), description=report.summary()
    )
    if report.events:
        create_table_artifact(
            key="cycle-events",
            table=[
                {k: e[k] for k in ("channel", "event", "sentence", "occurred", "article")}
                for e in report.events
            ],
            description="Events found in this cycle's articles",
        )
    with Session(engine) as session:
        board = storage.channel_board(session, [c.id for c in config.channels])
        markdown = board_markdown(board, {c.id: c.name for c in config.channels})
    create_markdown_artifact(key=BOARD_KEY, markdown=markdown, description="State of every channel")


def run_cycle(config_path: str | None = None, baseline: bool = False) -> State:
    """Run one cycle and return its final state (the CLI's entry point)."""
    return monitor_cycle(config_path, baseline, return_state=True)


def serve_cycles(config_path: str, schedule: Schedule) -> None:
    """Run cycles on the configured schedule as a deployment, until interrupted."""
    timing = (
        {"cron": schedule.cron}
        if schedule.cron
        else {"interval": timedelta(minutes=schedule.interval_minutes)}
    )
    monitor_cycle.serve(
        name="channelwatch",
        parameters={"config_path": config_path},
        tags=["channelwatch"],
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
        **timing,
    )
