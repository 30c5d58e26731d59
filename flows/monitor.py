"""The monitoring cycle as a Prefect flow: poll, fetch, detect, fold, alert, report.

Each stage is a plain function in its own package; this module only wires them
together. Tasks sit at the I/O boundaries and are coarse (one to collect from every
source, one for detection, one for delivery) so that Prefect's API is never the
bottleneck.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

from prefect import flow, get_run_logger, task
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
from alerts import DeliveryReport, Routing, Senders, deliver, describe_alert, plan_routes
from alerts.history import publish_atom
from channelwatch.config import Config, Schedule, load_config
from channelwatch.settings import Settings
from flows.collect import Collected, collect
from flows.report import CycleReport, TransitionReport, board_markdown
from matching import Detector, Event
from matching.issues import IssueTagger

BOARD_KEY = "channel-board"


@task(name="collect", cache_policy=NO_CACHE)
def collect_sources(
    engine: Engine, config: Config, routes: list[str], since: date | None, now: datetime
) -> Collected:
    """Poll every due source concurrently, store the new entries, fetch their pages.

    One task for all sources: the polling is asyncio inside it, and a task per source
    would put a thousand task runs a cycle on Prefect's API for no gain.
    """
    return asyncio.run(collect(engine, config, now=now, since=since, routes=routes))


def alert_policy(config: Config) -> storage.Policy:
    alerts = config.alerts
    return storage.Policy(
        min_confidence=alerts.confirmation.min_confidence,
        min_publishers=alerts.confirmation.min_publishers,
        corroboration_days=alerts.corroboration_days,
        flap_days=alerts.flap_days,
    )


def read_article(
    session: Session,
    article: storage.Article,
    detector: Detector,
    tagger: IssueTagger,
    routes_for: dict[str, list[str]],
    baseline: bool,
    policy: storage.Policy,
) -> tuple[list[Event], list[TransitionReport]]:
    """Detect one stored article, tag its issues, fold its events, and commit: the events,
    states and outbox of one article land together (events stored before are skipped)."""
    published = article.published_at.date() if article.published_at else None
    events = detector.detect(article.text, published)
    article.issues = [asdict(tag) for tag in tagger.tag(article.title + "\n" + article.text)]
    transitions = []
    changes = storage.apply_detection(
        session, article, events, routes_for, baseline=baseline, policy=policy
    )
    for t in changes:
        evidence = session.get_one(storage.Event, t.event_id)
        transitions.append(
            TransitionReport(
                t.channel,
                t.from_state,
                t.to_state,
                t.since,
                evidence.sentence,
                article.url,
                alerted=not t.baseline,
                status="unstable" if t.unstable else t.status,
            )
        )
    session.commit()
    return events, transitions


@task(name="detect", cache_policy=NO_CACHE)
def detect_articles(
    engine: Engine, config: Config, routing: Routing, baseline: bool
) -> CycleReport:
    """Detect events in every stored, undetected article and fold them into states."""
    detector = Detector(config.channels)
    tagger = IssueTagger(config.issues)
    routes_for = routing.for_channels(config)
    policy = alert_policy(config)
    report = CycleReport()
    with Session(engine) as session:
        for article in storage.articles_to_detect(session):
            events, transitions = read_article(
                session, article, detector, tagger, routes_for, baseline, policy
            )
            report.articles += 1
            report.events += [{"article": article.url, **asdict(e)} for e in events]
            report.transitions += transitions
    return report


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_alerts(
    engine: Engine, config: Config, routing: Routing, senders: Senders
) -> list[DeliveryReport]:
    """Send every due alert; each is marked sent as soon as its route accepts it."""
    with Session(engine) as session:
        return deliver(
            session, config, routing, senders, now=datetime.now(UTC), run_url=flow_run.ui_url
        )


def _run_name() -> str:
    return f"cycle {datetime.now(UTC):%Y-%m-%d %H:%M}"


@flow(
    name="channelwatch-cycle",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=8),
    log_prints=False,
)
def monitor_cycle(
    config_path: str | None = None, baseline: bool = False, since: date | None = None
) -> State:
    """One monitoring cycle. Fails (visibly, in the UI) only when every source failed."""
    logger = get_run_logger()
    now = datetime.now(UTC)  # polls are scheduled from the start of the cycle
    settings = Settings()
    config = load_config(config_path or settings.config)
    engine = storage.open_database(settings.db_url)
    routing = plan_routes(config, settings)
    for line in routing.inactive:
        logger.info(line)
    with feeds.make_client() as client:
        senders = Senders.from_settings(settings, client)
        routes = [route.name for route in routing.live]
        collected = collect_sources.submit(engine, config, routes, since, now).result()
        report = detect_articles(engine, config, routing, baseline)
        report.sources, report.health = collected.sources, collected.health
        report.deliveries = deliver_alerts(engine, config, routing, senders)
    with Session(engine) as session:
        report.given_up = [describe_alert(a) for a in storage.outbox.failed_alerts(session)]
        try:
            publish_atom(session, config)
        except OSError as exc:  # the feed file is a convenience; the cycle's work is done
            logger.warning(f"the Atom file {config.alerts.atom_file} was not written: {exc}")
    _log(logger, report, baseline)
    _publish(engine, config, report)
    engine.dispose()
    if report.every_source_failing:
        return Failed(
            message=f"every source failed ({len(report.sources)} sources failing): {report.summary()}"
        )
    return Completed(message=report.summary(), data=report)


def _log(logger, report: CycleReport, baseline: bool) -> None:  # type: ignore[no-untyped-def]
    for source in report.sources:
        (logger.warning if source.status == "failed" else logger.info)(source.line())
    for change in report.health:
        logger.warning(
            f"source {change.source_id}: {change.kind.replace('_', ' ')}: {change.detail}"
        )
    for transition in report.transitions:
        prefix = "ALERT " if transition.alerted else "baseline: " if baseline else "history: "
        logger.info(prefix + transition.line())
    for delivery in report.deliveries:
        if not delivery.delivered:
            logger.warning(
                f"alert for {delivery.channel} via {delivery.route} not delivered ({delivery.outcome}): {delivery.error}"
            )
    for line in report.given_up:
        logger.warning(line + " — `channelwatch alerts retry` sends it again")
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


def run_cycle(
    config_path: str | None = None, baseline: bool = False, since: date | None = None
) -> State:
    """Run one cycle and return its final state (the CLI's entry point)."""
    return monitor_cycle(config_path, baseline, since, return_state=True)


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
