"""The monitoring cycle as a Prefect flow: poll, fetch, extract, detect, fold, alert, report.

Each stage is a plain function in its own package; this module only wires them
together. Tasks are coarse, so that Prefect's API is never the bottleneck: one
collects from every source, one per batch of articles extracts text and one per batch
detects (a single batch on threads, one per worker on a Dask cluster), one folds the
events into states in article order, and one delivers the alerts; a stage with
nothing to do starts no task run, so an unchanged cycle runs `collect` alone. No task
run is tagged per source: the flow run is, once the cycle is done. `Stages` lets the
same cycle run with plain calls instead, the orchestration benchmark's baseline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import TypeVar

import httpx
from prefect import Task, flow, get_client, get_run_logger, serve, task
from prefect.artifacts import acreate_markdown_artifact, acreate_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import (
    ConcurrencyLimitConfig,
    ConcurrencyLimitStrategy,
    TaskRun,
)
from prefect.deployments.runner import RunnerDeployment
from prefect.events import emit_event
from prefect.exceptions import ObjectNotFound
from prefect.runtime import flow_run
from prefect.states import Cancelled, Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

import feeds
import storage
from alerts import DeliveryReport, Routing, Senders, deliver, describe_alert, plan_routes
from alerts.history import publish_atom
from channelwatch.config import Config, Scale, load_config
from channelwatch.settings import Settings
from flows.collect import Collected, collect
from flows.extract import Read, ToRead, extract_in_process, read, store, to_read
from flows.report import CycleReport, TransitionReport, board_markdown
from matching import Detector, Event
from matching.issues import IssueTagger

BOARD_KEY = "channel-board"
EVENT_PREFIX = "channelwatch.channel"  # events channelwatch.channel.suspended / .resumed
# Source tags on the flow run. Prefect refuses an event with more than 100 related
# resources, and each tag of a run is one, on every event of that run (with a few of its own).
SOURCE_TAGS = 50
POLLING_TAG = "channelwatch-polling"  # a tag concurrency limit on it caps polling across runs

Item = TypeVar("Item")


def _network_trouble(task: Task, task_run: TaskRun, state: State) -> bool:
    """Retry the collection only for trouble a retry can cure: a connection to the
    network or the database that dropped. A bug would fail the same way again."""
    try:
        state.result()
    except (OSError, httpx.TransportError, OperationalError):
        return True
    except Exception:
        return False
    return False


@task(
    name="collect",
    cache_policy=NO_CACHE,
    retries=2,  # safe: each poll's entries and validators are stored together
    retry_delay_seconds=[10, 60],
    retry_condition_fn=_network_trouble,
)
def collect_sources(
    engine: Engine, config: Config, routes: list[str], since: date | None, now: datetime
) -> Collected:
    """Poll every due source concurrently, store the new entries, fetch their pages.

    One task for all sources: the polling is asyncio inside it, and a task per source
    would put a thousand task runs a cycle on Prefect's API for no gain. Nor is it
    tagged per source: Prefect refuses events with more than 100 related resources,
    and every tag is one (measured: at 200 sources, its state events were dropped).
    The flow run carries the source tags instead, once the cycle is done (`run_tags`).
    """
    return asyncio.run(collect(engine, config, now=now, since=since, routes=routes))


@dataclass(frozen=True)
class Reading:
    """What detection found in one article: plain data, so it travels to and from a
    Dask worker."""

    article_id: int
    events: list[Event]
    issues: list[dict[str, object]]


def read_text(detector: Detector, tagger: IssueTagger, article: storage.Article) -> Reading:
    """Detect events and tag issues in one article (pure: nothing is stored)."""
    published = article.published_at.date() if article.published_at else None
    tags = tagger.tag(article.title + "\n" + article.text)
    return Reading(
        article.id or 0, detector.detect(article.text, published), [asdict(t) for t in tags]
    )


def alert_policy(config: Config) -> storage.Policy:
    alerts = config.alerts
    return storage.Policy(
        min_confidence=alerts.confirmation.min_confidence,
        min_publishers=alerts.confirmation.min_publishers,
        corroboration_days=alerts.corroboration_days,
        flap_days=alerts.flap_days,
    )


def fold_article(
    session: Session,
    article: storage.Article,
    reading: Reading,
    routes_for: dict[str, list[str]],
    baseline: bool,
    policy: storage.Policy,
) -> list[TransitionReport]:
    """Fold one article's events into channel states and commit: the events, states and
    outbox of one article land together (events stored before are skipped)."""
    article.issues = reading.issues
    transitions = []
    changes = storage.apply_detection(
        session, article, reading.events, routes_for, baseline=baseline, policy=policy
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
    return transitions


def read_article(
    session: Session,
    article: storage.Article,
    detector: Detector,
    tagger: IssueTagger,
    routes_for: dict[str, list[str]],
    baseline: bool,
    policy: storage.Policy,
) -> tuple[list[Event], list[TransitionReport]]:
    """Detect one stored article and fold what it says, in one step."""
    reading = read_text(detector, tagger, article)
    return reading.events, fold_article(session, article, reading, routes_for, baseline, policy)


@task(name="extract", cache_policy=NO_CACHE)
def extract_batch(items: list[ToRead]) -> list[Read]:
    """Extract the text of a batch of feed entries and pages. Pure and CPU-bound: on a
    Dask task runner the batches of a cycle run on the cluster's workers at once."""
    return read(items)


def extract_articles(engine: Engine, config: Config, collected: Collected, now: datetime) -> None:
    """Extract every stored feed HTML and downloaded page in batches (in parallel on a
    Dask cluster), then store the texts."""
    items = to_read(engine, collected)
    futures = [extract_batch.submit(batch) for batch in batches(items, config.scale)]
    store(engine, [reading for future in futures for reading in future.result()], collected, now)


def batches(items: Sequence[Item], scale: Scale) -> list[list[Item]]:
    """The items in as many batches, of near-equal size and in order, as the task runner
    can run at once: one for threads, which share one interpreter lock while they parse
    and match, and one per worker on Dask. Each task run costs API calls; more batches
    than that buy nothing (measured: a first cycle of 4,000 articles as a flow took
    16.3 s in 16 untagged batches, 12.2 s in 2)."""
    count = min(scale.workers if scale.task_runner == "dask" else 1, len(items))
    size, extra = divmod(len(items), count) if count else (0, 0)
    starts = [n * size + min(n, extra) for n in range(count + 1)]
    return [list(items[start:end]) for start, end in pairwise(starts)]


@task(name="detect", cache_policy=NO_CACHE)
def detect_batch(config: Config, articles: list[storage.Article]) -> list[Reading]:
    """Read a batch of articles. Pure and CPU-bound: on a Dask task runner the batches
    of a cycle run on the cluster's workers at once."""
    detector = Detector(config.channels)
    tagger = IssueTagger(config.issues)
    return [read_text(detector, tagger, article) for article in articles]


@task(name="fold", cache_policy=NO_CACHE)
def fold_readings(
    engine: Engine, config: Config, routing: Routing, readings: list[Reading], baseline: bool
) -> CycleReport:
    """Fold every article's events into states, one article at a time in stored order."""
    routes_for = routing.for_channels(config)
    policy = alert_policy(config)
    report = CycleReport()
    with Session(engine) as session:
        for reading in readings:
            article = session.get_one(storage.Article, reading.article_id)
            report.articles += 1
            report.events += [{"article": article.url, **asdict(e)} for e in reading.events]
            report.transitions += fold_article(
                session, article, reading, routes_for, baseline, policy
            )
    return report


def detect_articles(engine: Engine, config: Config) -> list[Reading]:
    """Detect every stored, undetected article in batches (in parallel on the flow's
    task runner); no task run when there is nothing to read, the usual cycle."""
    articles = unread_articles(engine)
    # Not quote(config) here: prefect-dask hands a quoted parameter to its worker as a bare tuple.
    futures = [detect_batch.submit(config, batch) for batch in batches(articles, config.scale)]
    return [reading for future in futures for reading in future.result()]


def fold_as_task(
    engine: Engine, config: Config, routing: Routing, readings: list[Reading], baseline: bool
) -> CycleReport:
    if not readings:  # the usual cycle: no task run for nothing to fold
        return CycleReport()
    return fold_readings(engine, quote(config), routing, quote(readings), baseline)


def unread_articles(engine: Engine) -> list[storage.Article]:
    with Session(engine) as session:
        articles = storage.articles_to_detect(session)
        session.expunge_all()  # plain objects now: they are pickled to Dask workers
    return articles


def detect_in_process(engine: Engine, config: Config) -> list[Reading]:
    """The same detection step without Prefect, every article in this process."""
    return detect_batch.fn(config, unread_articles(engine))


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_alerts(
    engine: Engine, config: Config, routing: Routing, senders: Senders
) -> list[DeliveryReport]:
    """Send every due alert; each is marked sent as soon as its route accepts it."""
    with Session(engine) as session:
        return deliver(
            session, config, routing, senders, now=datetime.now(UTC), run_url=flow_run.ui_url
        )


@dataclass(frozen=True)
class Stages:
    """How the cycle's five steps run: as Prefect task runs in the flow (`as_tasks`), or
    as plain calls in this process (`IN_PROCESS`), the baseline the orchestration
    benchmark times the flow against. Everything around the steps is the same code."""

    collect: Callable[[Engine, Config, list[str], date | None, datetime], Collected]
    extract: Callable[[Engine, Config, Collected, datetime], None]
    detect: Callable[[Engine, Config], list[Reading]]
    fold: Callable[[Engine, Config, Routing, list[Reading], bool], CycleReport]
    deliver: Callable[[Engine, Config, Routing, Senders], list[DeliveryReport]]


# The flow's adapters pass the config (and the readings) with quote(): Prefect would
# otherwise walk them, down to every source and article, looking for futures to wait on.


def collect_as_task(
    tags: list[str],
    engine: Engine,
    config: Config,
    routes: list[str],
    since: date | None,
    now: datetime,
) -> Collected:
    return collect_sources.with_options(tags=tags)(engine, quote(config), routes, since, now)


def deliver_as_task(
    engine: Engine, config: Config, routing: Routing, senders: Senders
) -> list[DeliveryReport]:
    if not delivery_has_work(engine, routing):  # the usual cycle: no task run for nothing
        return []
    return deliver_alerts(engine, quote(config), routing, senders)


def delivery_has_work(engine: Engine, routing: Routing) -> bool:
    """Whether a delivery pass could send or give up anything: an alert waits, or a
    live route has a daily digest to queue. Otherwise the pass would find nothing."""
    if any(live.route.daily_digest for live in routing.live):
        return True
    with Session(engine) as session:
        return storage.outbox.anything_pending(session)


def extract_in_process_stage(
    engine: Engine, config: Config, collected: Collected, now: datetime
) -> None:
    """`extract_in_process` as a stage: with no task runner it needs no config."""
    extract_in_process(engine, collected, now)


def as_tasks(polling: list[str]) -> Stages:
    """The flow's stages, with `polling` (see `polling_tags`) on the collect task run."""
    return Stages(
        collect=partial(collect_as_task, polling),
        extract=extract_articles,
        detect=detect_articles,
        fold=fold_as_task,
        deliver=deliver_as_task,
    )


IN_PROCESS = Stages(
    collect=collect_sources.fn,
    extract=extract_in_process_stage,
    detect=detect_in_process,
    fold=fold_readings.fn,
    deliver=deliver_alerts.fn,
)


def task_runner(scale: Scale) -> TaskRunner:
    """The task runner `scale` in the config asks for. On Dask, extraction and detection
    batches run on the cluster's workers; polling, storing and folding stay in the
    cycle's process either way."""
    if scale.task_runner == "dask":
        from prefect_dask import DaskTaskRunner  # only a Dask deployment pays its import

        if scale.dask_address:
            return DaskTaskRunner(address=scale.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": scale.workers, "threads_per_worker": 1})
    return ThreadPoolTaskRunner(max_workers=8)


def _run_name() -> str:
    """Named for its slot: a scheduled run that starts a minute late keeps its time."""
    return f"cycle {flow_run.scheduled_start_time:%Y-%m-%d %H:%M}"


@flow(
    name="channelwatch-cycle",
    flow_run_name=_run_name,
    task_runner=task_runner(Scale()),  # a deployment from prefect.yaml runs on threads
    log_prints=False,
)
async def monitor_cycle(
    config_path: str | None = None, baseline: bool = False, since: date | None = None
) -> State:
    """One monitoring cycle. Fails (visibly, in the UI) only when every source failed;
    is cancelled, having done nothing, when another cycle is running on the database.

    The cycle is plain blocking code, run in a thread. The flow is async for two things
    Prefect's API does: the four artifacts go out at once, not one after another, and
    the run ends without waiting for Prefect 3.8's heartbeat thread, which sleeps in
    one-second steps (a sync flow run waits half a second on average for it to wake).
    """
    logger = get_run_logger()
    config = load_config(config_path or Settings().config)
    stages = as_tasks(await polling_tags())
    try:
        report, board = await asyncio.to_thread(hold_and_run, config, stages, baseline, since)
    except storage.CycleRunning as busy:
        logger.warning(f"skipped: {busy}")
        return Cancelled(message=f"skipped: {busy}")
    await asyncio.gather(_publish(report, board), _tag_sources(report))
    log_cycle(logger, report, baseline)
    _emit_transitions(report, config)
    if report.every_source_failing:
        return Failed(
            message=f"every source failed ({len(report.sources)} sources failing): {report.summary()}"
        )
    return Completed(message=report.summary())


def hold_and_run(
    config: Config, stages: Stages, baseline: bool = False, since: date | None = None
) -> tuple[CycleReport, str]:
    """The cycle, while it holds the database; its report and the channel board after it."""
    now = datetime.now(UTC)  # polls are scheduled from the start of the cycle
    settings = Settings()
    engine = storage.open_database(settings.db_url)
    try:
        with storage.cycle_lock(engine):
            report = _cycle(engine, config, settings, stages, baseline, since, now)
            with Session(engine) as session:
                board = storage.channel_board(session, [c.id for c in config.channels])
    finally:
        engine.dispose()
    return report, board_markdown(board, {c.id: c.name for c in config.channels})


def _cycle(
    engine: Engine,
    config: Config,
    settings: Settings,
    stages: Stages,
    baseline: bool,
    since: date | None,
    now: datetime,
) -> CycleReport:
    """Collect, detect and deliver, then write the Atom feed of alerts."""
    routing = plan_routes(config, settings)
    with feeds.make_client() as client:
        senders = Senders.from_settings(settings, client)
        routes = [route.name for route in routing.live]
        collected = stages.collect(engine, config, routes, since, now)
        stages.extract(engine, config, collected, now)
        report = stages.fold(engine, config, routing, stages.detect(engine, config), baseline)
        report.sources, report.health = collected.sources, collected.health
        report.routes_off = routing.inactive
        report.deliveries = stages.deliver(engine, config, routing, senders)
    with Session(engine) as session:
        report.given_up = [
            DeliveryReport(a.route, describe_alert(a), False, a.last_error, "given up")
            for a in storage.outbox.failed_alerts(session)
        ]
        try:
            publish_atom(session, config)
        except OSError as exc:  # the feed file is a convenience; the cycle's work is done
            report.atom_error = f"the Atom file {config.alerts.atom_file} was not written: {exc}"
    return report


def log_cycle(logger, report: CycleReport, baseline: bool) -> None:  # type: ignore[no-untyped-def]
    # A line for each source with news or trouble; the quiet ones are counted. At a
    # thousand sources, a line each would be a thousand log records a cycle sent to
    # Prefect's API to say nothing (the cycle-sources artifact has every source).
    for line in report.routes_off:
        logger.info(line)
    quiet = [source for source in report.sources if source.quiet]
    for source in report.sources:
        if not source.quiet:
            (logger.warning if source.status == "failed" else logger.info)(source.line())
    if quiet:
        logger.info(f"{len(quiet)} sources without news: unchanged, or not due")
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
    for alert in report.given_up:
        logger.warning(alert.channel + " — `channelwatch alerts retry` sends it again")
    if report.atom_error:
        logger.warning(report.atom_error)
    logger.info(report.summary())


async def _publish(report: CycleReport, board: str) -> None:
    """The run's artifacts, sent together. Each has a stable key, so the UI shows its
    history across runs; each is published every run, even empty, so the latest
    version is never stale."""
    failed = sum(not d.delivered for d in report.deliveries)
    await asyncio.gather(
        acreate_table_artifact(
            key="cycle-sources", table=report.source_rows(), description=report.summary()
        ),
        acreate_table_artifact(
            key="cycle-events",
            table=report.event_rows(),
            description=f"{len(report.events)} events found in {report.articles} new articles",
        ),
        acreate_table_artifact(
            key="cycle-alerts",
            table=[asdict(d) for d in report.deliveries + report.given_up],
            description=f"{len(report.deliveries) - failed} alert messages delivered, {failed} "
            f"not this cycle; {len(report.given_up)} alerts given up on "
            "(`channelwatch alerts retry`)",
        ),
        acreate_markdown_artifact(
            key=BOARD_KEY, markdown=board, description="State of every channel"
        ),
    )


async def _tag_sources(report: CycleReport) -> None:
    """Tag the run by the sources that failed in it and those that brought news, so
    that the UI's filter on run tags finds a source's cycles. Tagged once, after the
    cycle: a tagged task run costs a concurrency-limit call to the API as it starts,
    one for each set of tags (measured at 200 feeds: first cycles of 29–54 s with 32
    batches tagged by source, 24–28 s without)."""
    tags = report.run_tags(SOURCE_TAGS)
    if tags:
        async with get_client() as client:
            await client.update_flow_run(flow_run.id, tags=[*flow_run.tags, *tags])


def _emit_transitions(report: CycleReport, config: Config) -> None:
    """Each state change as a Prefect event, for Automations to react to. The resource
    is the channel; `channelwatch.alerted` says whether it was news (not a baseline or
    an old report), so an automation can match only what was alerted."""
    names = {c.id: c.name for c in config.channels}
    for change in report.transitions:
        kind = "suspended" if change.to_state == "suspended" else "resumed"
        emit_event(
            event=f"{EVENT_PREFIX}.{kind}",
            resource={
                "prefect.resource.id": f"{EVENT_PREFIX}.{change.channel}",
                "prefect.resource.name": names.get(change.channel, change.channel),
                "channelwatch.alerted": str(change.alerted).lower(),
            },
            payload=asdict(change),
        )


def run_cycle(config_path: str, baseline: bool = False, since: date | None = None) -> State:
    """Run one cycle on the configured task runner; return its final state (the CLI's
    entry point)."""
    runner = task_runner(load_config(config_path).scale)
    cycle = monitor_cycle.with_options(task_runner=runner)
    return asyncio.run(cycle(config_path, baseline, since, return_state=True))


def deployment(config_path: str, config: Config) -> RunnerDeployment:
    """The monitor flow as a deployment on the configured schedule (interval or cron).

    At most one of its runs at a time: a run scheduled while the last one is still
    going is cancelled rather than queued, so slow cycles never pile up.
    """
    schedule = config.schedule
    timing = (
        {"cron": schedule.cron}
        if schedule.cron
        else {"interval": timedelta(minutes=schedule.interval_minutes)}
    )
    cycle = monitor_cycle.with_options(task_runner=task_runner(config.scale))
    return cycle.to_deployment(
        name="channelwatch",
        parameters={"config_path": config_path},
        tags=["channelwatch"],
        concurrency_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
        **timing,
    )


def ensure_polling_limit(slots: int = 1) -> None:
    """Create the tag concurrency limit on polling, unless an operator has set one.

    One slot by default: cycles of other deployments on the same server (another
    team's catalog, say) take turns polling instead of doubling the load on publishers.
    """
    with get_client(sync_client=True) as client:
        try:
            client.read_concurrency_limit_by_tag(POLLING_TAG)
        except ObjectNotFound:
            client.create_concurrency_limit(tag=POLLING_TAG, concurrency_limit=slots)


async def polling_tags() -> list[str]:
    """The polling tag for the `collect` task, if a concurrency limit is set on it.

    A tagged task run asks the API for a slot of its tag's limit as it starts, a call
    that writes, even when no limit exists; against the temporary SQLite API it often
    met a busy database and waited out a two-second back-off (measured: an unchanged
    cycle at 200 feeds took 4.5 s as a flow against 1.6 s plain). Reading whether the
    limit exists is one read, on the flow run's own client: a new client for it took
    0.04 s of an unchanged cycle's 1.5 s.
    """
    async with get_client() as client:
        try:
            await client.read_concurrency_limit_by_tag(POLLING_TAG)
        except ObjectNotFound:
            return []
    return [POLLING_TAG]


def serve_cycles(config_path: str, config: Config) -> None:
    """Run cycles on the configured schedule as a deployment, until interrupted."""
    ensure_polling_limit()
    serve(deployment(config_path, config))
