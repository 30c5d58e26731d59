"""Running unattended: one cycle at a time, what the Prefect UI shows, the deployment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import httpx
import prefect.task_engine
import pytest
import yaml
from distributed import LocalCluster
from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.deployments import run_deployment
from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter
from prefect.exceptions import ObjectNotFound
from prefect.states import Failed, State
from sqlalchemy.exc import OperationalError

from channelwatch.cli import main
from channelwatch.config import Scale, Schedule, load_config
from flows.monitor import (
    IN_PROCESS,
    POLLING_TAG,
    batches,
    collect_sources,
    deployment,
    detect_batch,
    ensure_polling_limit,
    fold_readings,
    hold_and_run,
    log_cycle,
    run_cycle,
)
from flows.report import CycleReport, SourceReport
from tests.servers import Gate, Site, WebhookReceiver
from tests.test_cli import run_cli
from tests.test_end_to_end import RESUMPTION, SUSPENSION, make_due, status, write_config

pytestmark = pytest.mark.flow
REPO = Path(__file__).resolve().parents[1]


def test_a_cycle_started_while_another_runs_is_skipped_and_nothing_is_sent_twice(
    prefect_harness: str,
    workdir: Path,
    site: Site,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    gate = site.gates["/feed.xml"] = Gate()
    with WebhookReceiver() as slack:
        env = {
            "CHANNELWATCH_CONFIG": str(config),
            "CHANNELWATCH_DB_URL": db_url,
            "CHANNELWATCH_SLACK_WEBHOOK_URL": slack.url,
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(main, ["run"])
            assert gate.arrived.wait(timeout=120), "the first cycle never polled"
            # The first cycle is stuck in the middle of its poll. Another process starts one.
            second = run_cli(["run"], workdir, prefect_harness, env)
            gate.opened.set()
            assert first.result(timeout=240) == 0

        assert second.returncode == 0, second.stdout + second.stderr
        assert "skipped: another cycle is running" in second.stderr
        assert len(site.hits_for("/feed.xml")) == 1  # the second cycle did not poll
        assert len(slack.posts) == 2  # each article's changes of the first cycle, once
        assert slack.path not in second.stdout + second.stderr

        # The lock ends with its cycle: the next one runs, and sends nothing again.
        make_due(db_url)
        assert main(["run"]) == 0
        assert [hit.status for hit in site.hits_for("/feed.xml")] == [200, 304]
        assert len(slack.posts) == 2


def test_a_cycle_publishes_its_artifacts_and_an_event_per_change(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    with WebhookReceiver() as slack:
        slack.fail_next = 1000  # the Slack route is down all cycle
        monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", slack.url)
        state = run_cycle(str(config))
    assert state.is_completed(), state.message
    run_id = state.state_details.flow_run_id
    assert run_id is not None

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        artifacts = {
            a.key: a
            for a in client.read_artifacts(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
            )
        }
    assert set(artifacts) == {"cycle-sources", "cycle-events", "cycle-alerts", "channel-board"}
    assert run.name.startswith("cycle 20")

    [source] = table(artifacts["cycle-sources"].data)
    assert (source["source"], source["status"], source["new"], source["error"]) == (
        "ppi",
        "new",
        4,
        "",
    )
    events = table(artifacts["cycle-events"].data)
    assert {(e["channel"], e["event"]) for e in events} == {
        ("climate", "suspended"),
        ("counternarcotics", "suspended"),
        ("mil_mil", "resumed"),
    }
    assert {e["sentence"] for e in events} == {SUSPENSION, RESUMPTION}
    assert all(e["article"].startswith(site.url("analysis/")) for e in events)

    alerts = table(artifacts["cycle-alerts"].data)
    # One message per article: the countermeasures' two channels are one row.
    assert {a["channel"] for a in alerts} == {"climate, counternarcotics", "mil_mil"}
    assert all(not a["delivered"] and a["error"] for a in alerts)
    assert slack.path not in artifacts["cycle-alerts"].data  # the webhook URL is a secret

    board = artifacts["channel-board"].data
    assert "| Climate change talks and working group | **suspended** | 2022-08-05 |" in board
    assert SUSPENSION in board

    # Automations see each change as an event about the channel, tied to this run.
    found = wait_for_events(run_id, count=3)
    assert {(e.event, e.resource.id) for e in found} == {
        ("channelwatch.channel.suspended", "channelwatch.channel.climate"),
        ("channelwatch.channel.suspended", "channelwatch.channel.counternarcotics"),
        ("channelwatch.channel.resumed", "channelwatch.channel.mil_mil"),
    }
    climate = next(e for e in found if e.resource.id.endswith("climate"))
    assert climate.resource.name == "Climate change talks and working group"
    assert climate.resource["channelwatch.alerted"] == "true"
    assert climate.payload["sentence"] == SUSPENSION
    assert climate.payload["since"] == "2022-08-05"


def test_the_deployment_runs_on_the_configured_schedule_one_run_at_a_time(
    prefect_harness: str, tmp_path: Path
) -> None:
    catalog = load_config(REPO / "sources.yaml")
    every_half_hour = deployment(str(tmp_path / "sources.yaml"), catalog)
    nightly = deployment(
        "sources.yaml", catalog.model_copy(update={"schedule": Schedule(cron="15 2 * * *")})
    )
    assert [s.schedule.cron for s in nightly.schedules] == ["15 2 * * *"]

    deployment_id = every_half_hour.apply()
    ensure_polling_limit()
    ensure_polling_limit(slots=5)  # an operator's limit, or the first one, stands
    with get_client(sync_client=True) as client:
        applied = client.read_deployment(deployment_id)
        limit = client.read_concurrency_limit_by_tag(POLLING_TAG)
    assert (applied.name, applied.tags) == ("channelwatch", ["channelwatch"])
    assert [s.schedule.interval.total_seconds() for s in applied.schedules] == [30 * 60]
    assert applied.parameters == {"config_path": str(tmp_path / "sources.yaml")}
    assert applied.global_concurrency_limit is not None
    assert applied.global_concurrency_limit.limit == 1
    assert applied.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert limit.concurrency_limit == 1


def test_collect_carries_the_polling_tag_only_while_a_limit_is_set(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`collect` carries the polling tag, so Prefect's tag limit holds it back, while
    the limit exists; without a limit it goes untagged (a tagged start costs an API
    call that writes)."""
    config = write_config(workdir, site.url("feed.xml"))
    monkeypatch.setenv("CHANNELWATCH_CONFIG", str(config))
    ensure_polling_limit()
    limited = run_id(run_cycle(str(config)))
    with get_client(sync_client=True) as client:
        client.delete_concurrency_limit_by_tag(POLLING_TAG)
    free = run_id(run_cycle(str(config)))

    for run, tags in ((limited, [POLLING_TAG]), (free, [])):
        (collect,) = wait_for_task_runs(run, names=("collect",))
        assert collect.tags == tags


def test_two_teams_cycles_take_turns_polling_under_the_limit(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two deployments on one Prefect server (two teams' catalogs and databases, two
    processes) share the polling limit `serve` sets: while one team's cycle polls, the
    other's is refused the slot and waits, and polls once it is free; neither is lost."""
    teams = {}
    for team, feed in (("a", "feed.xml"), ("b", "team-b.xml")):
        (folder := workdir / team).mkdir()
        teams[team] = (
            folder,
            write_config(folder, site.url(feed)),
            f"sqlite:///{folder / 'cw.db'}",
        )
        site.gates[f"/{feed}"] = Gate()
    site.aliases["/team-b.xml"] = "feed.xml"
    a_gate, b_gate = site.gates["/feed.xml"], site.gates["/team-b.xml"]
    ensure_polling_limit()
    with get_client(sync_client=True) as client:
        assert client.read_concurrency_limit_by_tag(POLLING_TAG).concurrency_limit == 1
    # This process is team B, watched for refusals; team A is a `channelwatch run` of its own.
    refused = threading.Event()
    monkeypatch.setattr(httpx.AsyncClient, "send", watch_for_refusals(refused))
    monkeypatch.setenv("CHANNELWATCH_DB_URL", teams["b"][2])
    folder_a, config_a, db_a = teams["a"]
    try:
        with ThreadPoolExecutor(2) as pool:
            try:
                a = pool.submit(
                    run_cli,
                    ["run", "--config", str(config_a)],
                    folder_a,
                    prefect_harness,
                    {"CHANNELWATCH_DB_URL": db_a},
                )
                assert a_gate.arrived.wait(timeout=120), "team A's cycle never polled"
                b = pool.submit(run_cycle, str(teams["b"][1]))
                assert refused.wait(timeout=120), "team B's cycle was never refused the slot"
                assert not b_gate.arrived.is_set()  # and has not polled while A polls
                a_gate.opened.set()
                assert b_gate.arrived.wait(timeout=120), "team B's cycle never polled"
            finally:  # never leave a cycle held at a gate: the pool would wait for it
                a_gate.opened.set()
                b_gate.opened.set()
            a_run, b_state = a.result(timeout=240), b.result(timeout=240)
    finally:
        with get_client(sync_client=True) as client:
            client.delete_concurrency_limit_by_tag(POLLING_TAG)
    assert a_run.returncode == 0, a_run.stdout + a_run.stderr
    assert "4 new articles" in a_run.stdout + a_run.stderr
    assert b_state.is_completed() and "4 new articles" in str(b_state.message)


def watch_for_refusals(refused: threading.Event) -> Callable[..., Any]:
    """httpx's send, setting `refused` when the API answers a request for a concurrency
    slot with 423 Locked: the one sign that a cycle waited for the polling slot."""
    send = httpx.AsyncClient.send

    async def watching(client: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        response = await send(client, request, **kwargs)
        if request.url.path.endswith("/increment-with-lease") and response.status_code == 423:
            refused.set()
        return response

    return watching


def test_the_plain_stages_do_the_flows_work_without_a_prefect_run(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The orchestration benchmark's baseline runs the cycle with plain stages: unless it
    finds, stores and reports what the flow does, with no run on the API, the benchmark's
    overhead figure means nothing."""
    config = str(write_config(workdir, site.url("feed.xml")))
    with get_client(sync_client=True) as client:
        runs_before = client.count_flow_runs()
        monkeypatch.setenv("CHANNELWATCH_DB_URL", f"sqlite:///{workdir / 'plain.db'}")
        with monkeypatch.context() as no_tasks:  # a task called outside a flow still runs as one
            no_tasks.setattr(prefect.task_engine, "run_task", task_run_started)
            plain, plain_board = hold_and_run(load_config(config), IN_PROCESS)
        assert client.count_flow_runs() == runs_before

        monkeypatch.setenv("CHANNELWATCH_DB_URL", f"sqlite:///{workdir / 'flow.db'}")
        state = run_cycle(config)
        assert state.is_completed(), state.message
        this_run = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
        artifacts = client.read_artifacts(flow_run_filter=this_run)
    [board] = [a for a in artifacts if a.key == "channel-board"]
    assert "4 new articles" in plain.summary() and len(plain.transitions) == 3
    assert plain.summary() == state.message
    assert plain_board == board.data


def test_an_atom_file_that_cannot_be_written_is_logged_and_the_cycle_keeps_its_work(
    workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Atom file is a convenience: when it can't be written the run's log says so,
    with the routes that are off, and the cycle's articles and changes stand."""
    config = write_config(workdir, site.url("feed.xml"))
    data = yaml.safe_load(config.read_text())
    data["alerts"]["atom_file"] = str(workdir)  # a folder: no file can replace it
    config.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("CHANNELWATCH_DB_URL", f"sqlite:///{workdir / 'cw.db'}")

    report, _ = hold_and_run(load_config(str(config)), IN_PROCESS)
    lines: list[str] = []
    log_cycle(SimpleNamespace(info=lines.append, warning=lines.append), report, baseline=False)

    assert "4 new articles" in report.summary() and len(report.transitions) == 3
    assert f"the Atom file {workdir} was not written: [Errno 21] Is a directory" in "\n".join(lines)
    assert any(line.startswith("route 'team-slack' (slack) is off") for line in lines)


def task_run_started(task: object, **kwargs: object) -> None:
    raise AssertionError(f"a task run was started for {task}")


def table(data: str | None) -> list[dict]:
    assert data is not None
    return json.loads(data)


def wait_for_events(run_id: UUID, count: int, timeout: float = 60) -> list:
    """Events reach the API in the background; wait until the run's `count` have."""
    query = EventFilter(
        event=EventNameFilter(prefix=["channelwatch.channel."]),
        related=EventRelatedFilter(id=[f"prefect.flow-run.{run_id}"]),
    )
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            events = client.read_events(filter=query, limit=50).events
            if len(events) >= count or time.monotonic() > deadline:
                return events
            time.sleep(0.2)


def test_a_team_can_prefect_deploy_the_cycle_to_a_work_pool(prefect_harness: str) -> None:
    """prefect.yaml, as `prefect deploy` reads it, makes the same deployment as `serve`."""
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="channelwatch", type="process"), overwrite=True)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("prefect")), "--no-prompt", "deploy", "--all"],
        cwd=REPO,
        env={**os.environ, "PREFECT_API_URL": prefect_harness},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with get_client(sync_client=True) as client:
        deployed = client.read_deployment_by_name("channelwatch-cycle/channelwatch")
    served = deployment("sources.yaml", load_config(REPO / "sources.yaml"))
    assert deployed.work_pool_name == "channelwatch"
    assert deployed.entrypoint == "flows/monitor.py:monitor_cycle"
    assert deployed.parameters == served.parameters
    assert [s.schedule.interval for s in deployed.schedules] == [  # type: ignore[union-attr]
        s.schedule.interval  # type: ignore[union-attr]
        for s in served.schedules
    ]
    assert deployed.global_concurrency_limit is not None
    assert deployed.global_concurrency_limit.limit == 1
    assert deployed.concurrency_options == served.concurrency_options


def test_extraction_and_detection_run_on_a_dask_cluster_when_the_config_says_so(
    prefect_harness: str,
    workdir: Path,
    site: Site,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        catalog = yaml.safe_load(config.read_text())
        catalog["scale"] = {
            "task_runner": "dask",
            "dask_address": cluster.scheduler_address,
            "workers": 1,  # the cluster's size: a batch of extraction and detection each
        }
        config.write_text(yaml.safe_dump(catalog))
        monkeypatch.setenv("CHANNELWATCH_CONFIG", str(config))
        assert main(["run"]) == 0
        # Extraction and detection batches ran on the cluster's worker process, and
        # nothing else did: polling, storing and folding stay in the cycle's process.
        ran = {
            name: prefix.state_counts["memory"]
            for name, prefix in cluster.scheduler.task_prefixes.items()
        }
        assert ran == {"extract_batch": 1, "detect_batch": 1}
    states = status(capsys)
    assert {c: r["state"] for c, r in states.items() if r["state"] != "unknown"} == {
        "climate": "suspended",
        "counternarcotics": "suspended",
        "mil_mil": "active",
    }
    assert states["climate"]["evidence"]["sentence"] == SUSPENSION


def test_a_user_finds_the_cycles_in_which_a_source_brought_news_or_failed_by_tag(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flow run is tagged `source:<id>` for each source with new articles and
    `failed:<id>` for each that failed; a later cycle in which the feeds are unchanged is
    not tagged by them. The task runs carry no source tags (each tag set costs an API
    call as the run starts), and on threads a cycle's articles are one batch."""
    config = write_config(workdir, site.url("feed.xml"))
    catalog = yaml.safe_load(config.read_text())
    catalog["sources"] = [
        {"id": f"s{n}", "name": f"Source {n}", "url": site.url(f"feed.xml?copy={n}")}
        for n in range(3)
    ] + [{"id": "gone", "name": "Gone", "url": site.url("no-such-feed.xml")}]
    config.write_text(yaml.safe_dump(catalog))
    monkeypatch.setenv("CHANNELWATCH_CONFIG", str(config))

    first, again = run_cycle(str(config)), run_cycle(str(config))

    with get_client(sync_client=True) as client:
        tags = [set(client.read_flow_run(run_id(state)).tags) for state in (first, again)]
    assert tags[0] >= {"source:s0", "source:s1", "source:s2", "failed:gone"}
    assert not {t for t in tags[1] if t.startswith("source:")}  # every feed answered 304
    runs = wait_for_task_runs(run_id(first), names=("extract", "detect"))
    assert sorted(run.name.split("-")[0] for run in runs) == ["detect", "extract"]
    assert all(run.state and run.state.is_completed() for run in runs)
    assert not any(t.startswith("source:") for run in runs for t in run.tags)


def test_a_cycle_with_nothing_new_starts_only_the_collect_task(
    prefect_harness: str, workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual cycle: every feed unchanged, no alert waiting. Each task run costs the
    API calls, so it starts `collect` alone; a cycle with news runs every stage."""
    config = str(write_config(workdir, site.url("feed.xml")))
    db_url = f"sqlite:///{workdir / 'cw.db'}"
    monkeypatch.setenv("CHANNELWATCH_DB_URL", db_url)
    started: list[str] = []
    run_task_sync = prefect.task_engine.run_task_sync

    def recording(task: Any, *args: Any, **kwargs: Any) -> Any:
        started.append(task.name)
        return run_task_sync(task, *args, **kwargs)

    monkeypatch.setattr(prefect.task_engine, "run_task_sync", recording)
    with WebhookReceiver() as slack:
        monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", slack.url)
        assert run_cycle(config).is_completed()
        assert sorted(started) == ["collect", "deliver", "detect", "extract", "fold"]
        assert len(slack.posts) == 2
        started.clear()
        make_due(db_url)
        assert run_cycle(config).is_completed()
    assert [hit.status for hit in site.hits_for("/feed.xml")] == [200, 304]
    assert started == ["collect"]


def test_a_stage_is_one_batch_on_threads_and_one_per_worker_on_dask_in_article_order() -> None:
    """Threads share one interpreter lock, so more batches would only add task runs;
    each Dask worker gets one, and folding relies on the order being kept."""
    articles = list(range(10))
    assert batches(articles, Scale()) == [articles]
    on_dask = batches(articles, Scale(task_runner="dask", workers=3))
    assert on_dask == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert batches(articles[:2], Scale(task_runner="dask", workers=5)) == [[0], [1]]
    assert batches([], Scale(task_runner="dask", workers=5)) == []


def run_id(state: State) -> UUID:
    assert state.is_completed(), state.message
    assert state.state_details.flow_run_id is not None
    return state.state_details.flow_run_id


def test_a_run_with_too_many_sources_to_tag_says_many_and_stays_under_prefects_limit() -> None:
    """Prefect drops an event with more than 100 related resources, and each tag of a run
    is one on every event of the run: measured, all 200 sources' tags on one run lost
    its state events. Beyond 50 tags, a kind of tag becomes one `…:many` tag."""
    news = [SourceReport(f"s{n:03}", "new", 200, entries=20, new=1) for n in range(200)]
    down = [SourceReport(f"d{n:02}", "failed", error="HTTP 503") for n in range(60)]
    quiet = [SourceReport("same", "new", 200, entries=20), SourceReport("q", "unchanged", 304)]

    assert CycleReport(sources=news + quiet).run_tags(50) == ["source:many"]
    assert CycleReport(sources=down + news).run_tags(50) == ["failed:many", "source:many"]
    few_down = CycleReport(sources=down[:3] + news[:47] + quiet).run_tags(50)
    assert few_down == ["failed:d00", "failed:d01", "failed:d02"] + [
        f"source:s{n:03}" for n in range(47)
    ]
    crowded = CycleReport(sources=down[:49] + news[:2]).run_tags(50)
    assert len(crowded) == 50 and crowded[-1] == "source:many"
    assert CycleReport(sources=quiet).run_tags(50) == []


def wait_for_task_runs(run_id: UUID, names: tuple[str, ...], timeout: float = 60) -> list:
    """The run's task runs of those names, once the API has recorded them as finished
    (task run states reach it as events, in the background)."""
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            runs = [
                run
                for run in client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
                )
                if run.name.split("-")[0] in names
            ]
            if all(r.state and r.state.is_final() for r in runs) and runs:
                return runs
            if time.monotonic() > deadline:
                return runs
            time.sleep(0.2)


def test_only_the_network_task_retries_and_only_for_network_trouble() -> None:
    """A dropped connection is worth a retry of the collection; a bug is not."""
    should_retry = collect_sources.retry_condition_fn
    assert collect_sources.retries == 2 and should_retry is not None
    for trouble in (
        httpx.ConnectError("connection refused"),
        OSError("network is unreachable"),
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    ):
        assert should_retry(collect_sources, None, Failed(data=trouble)), trouble  # type: ignore[arg-type]
    assert not should_retry(collect_sources, None, Failed(data=KeyError("a bug")))  # type: ignore[arg-type]
    assert (detect_batch.retries, fold_readings.retries) == (0, 0)  # no network in them


def test_serve_runs_the_cycles_of_its_deployment(
    prefect_harness: str, workdir: Path, site: Site
) -> None:
    """`channelwatch serve`, as a user starts it: its deployment's runs are cycles."""
    config = write_config(workdir, site.url("feed.xml"))
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_harness,
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "CHANNELWATCH_CONFIG": str(config),
    }
    command = [str(Path(sys.executable).with_name("channelwatch")), "serve"]
    server = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.DEVNULL)
    try:
        deployment_id = wait_for_deployment("channelwatch-cycle/channelwatch", str(config))
        run = run_deployment(deployment_id, timeout=180, poll_interval=1, as_subflow=False)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert run.state is not None and run.state.is_completed(), run.state
    assert run.name.startswith("cycle 20")
    assert "3 state changes" in (run.state.message or "")
    assert site.hits_for("/feed.xml")


def wait_for_deployment(name: str, config_path: str, timeout: float = 120) -> UUID:
    """The deployment, once the serve process has registered it for this config."""
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            try:
                found = client.read_deployment_by_name(name)
            except ObjectNotFound:
                found = None
            if found and found.parameters.get("config_path") == config_path:
                return found.id
            time.sleep(0.2)
    raise AssertionError(f"{name} was not registered for {config_path}")


def test_the_log_names_sources_with_news_or_trouble_and_counts_the_quiet_ones() -> None:
    """At a thousand sources, a line each would send a thousand records a cycle to
    Prefect's API, nearly all saying nothing."""
    report = CycleReport(
        sources=[SourceReport(f"q{n}", "unchanged", 304) for n in range(998)]
        + [
            SourceReport("rested", "waiting"),
            SourceReport("news", "new", 200, entries=20, new=2),
            SourceReport("same", "new", 200, entries=20),
            SourceReport("odd", "new", 200, entries=20, problem="not well-formed"),
            SourceReport("down", "failed", error="HTTP 503"),
            SourceReport("backing", "waiting", errors=2, error="HTTP 503"),
        ]
    )
    lines: list[str] = []
    logger = SimpleNamespace(info=lines.append, warning=lines.append)
    log_cycle(logger, report, baseline=False)
    named = [line.split(":")[0] for line in lines if line.startswith("source ")]
    assert named == ["source news", "source odd", "source down", "source backing"]
    assert "1000 sources without news: unchanged, or not due" in lines
