"""Prefect's orchestration overhead: one cycle as a flow run, and as plain functions.

    .venv/bin/python benchmarks/orchestration.py                # 200 feeds, 2 rounds
    .venv/bin/python benchmarks/orchestration.py --feeds 50 --rounds 1
    .venv/bin/python benchmarks/orchestration.py --rounds 1 --dask-workers 1 2
    .venv/bin/python benchmarks/orchestration.py --server       # against `prefect server start`
    .venv/bin/python benchmarks/orchestration.py --polling-limit  # with serve's polling limit set

The feed farm of benchmarks/poll_farm.py serves full-text feeds (20 entries each, the
article in content:encoded, one in ten reporting a suspension) from 50 loopback hosts,
with 50 ms added to every response. Each round times, for each kind of run on a
database of its own, a first cycle (empty SQLite database: every feed polled, every
entry stored, extracted, detected and folded) and then `--unchanged` cycles in which
nothing changed (every feed answers 304), which is what a deployment runs most of the
time. Plain and flow alternate cycle by cycle, so a load that comes and goes on a shared
machine weighs on both alike.

- flow: `monitor_cycle`, the flow `channelwatch run` starts, with its task runs, logs
  (at Prefect's default level, INFO, as in production; only the console is quieted),
  four artifacts and events all included;
- plain: the same cycle (`hold_and_run`: the lock, the five stages, the Atom file and
  the channel board) with each stage a plain call (each task's `.fn`), no Prefect run at
  all. What only the flow does (its run, task runs, logs sent to the API, artifacts,
  tags and events) is the orchestration.

The flow runs against Prefect's temporary local API (started, and warmed up by one
small flow run, before timing), or with `--server` against a `prefect server start`
process of its own on PostgreSQL, as docker-compose runs it: a fresh database on the
server at 127.0.0.1:5432 (CHANNELWATCH_BENCH_PG), dropped afterwards. Either way the
API shares this machine's cores with the cycle.

With `--dask-workers`, the flow's first cycle is also timed with extraction and
detection on a local Dask cluster (prefect-dask) of that many worker processes.

The overhead of a pair is (flow - plain) / flow; the target is at most 25% at 200 feeds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# A private Prefect home, so the runs land neither in the user's database nor in the way.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="channelwatch-bench-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")  # the API gets INFO
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import httpx  # noqa: E402
import psycopg  # noqa: E402
import yaml  # noqa: E402
from prefect import flow  # noqa: E402

import storage  # noqa: E402
from benchmarks.poll_farm import HOSTS, LATENCY, Farm  # noqa: E402
from channelwatch.config import load_config  # noqa: E402
from flows.monitor import (  # noqa: E402
    IN_PROCESS,
    Stages,
    ensure_polling_limit,
    hold_and_run,
    run_cycle,
)
from flows.report import CycleReport  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PG_DSN = os.environ.get(
    "CHANNELWATCH_BENCH_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)
SERVER_PORT = 4299


def plain_cycle(config_path: str) -> tuple[CycleReport, dict[str, float]]:
    """The flow's cycle with its stages as plain calls (`IN_PROCESS`): what the cycle
    costs with no orchestration; and the seconds each stage took."""
    spent: dict[str, float] = {}

    def timed_stage(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return step(*args)
            finally:
                spent[name] = time.perf_counter() - start

        return run

    stages = Stages(
        collect=timed_stage("collect", IN_PROCESS.collect),
        extract=timed_stage("extract", IN_PROCESS.extract),
        detect=timed_stage("detect", IN_PROCESS.detect),
        fold=timed_stage("fold", IN_PROCESS.fold),
        deliver=timed_stage("deliver", IN_PROCESS.deliver),
    )
    report, _board = hold_and_run(load_config(config_path), stages)
    return report, spent


def flow_cycle(config_path: str) -> str:
    state = run_cycle(config_path)
    assert state.is_completed(), state.message
    return str(state.message)


@flow
def warm_up() -> None:
    """Starts the local Prefect API before timing: `serve` pays that once, not per cycle."""


def farm_config(folder: Path, urls: list[str], dask_workers: int = 0) -> str:
    config = yaml.safe_load((REPO / "sources.yaml").read_text())
    config["sources"] = [
        {"id": f"farm{n}", "name": f"Farm feed {n}", "url": url} for n, url in enumerate(urls)
    ]
    config["alerts"] = {"routes": []}  # nothing to deliver: the cycle is poll, store, detect
    if dask_workers:
        config["scale"] = {"task_runner": "dask", "workers": dask_workers}
    path = folder / f"sources-{dask_workers}.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def timed(kind: str, config_path: str) -> float:
    start = time.perf_counter()
    if kind == "plain":
        report, stages = plain_cycle(config_path)
        outcome = report.summary() + "; " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
    else:
        outcome = flow_cycle(config_path)
    seconds = time.perf_counter() - start
    print(f"  {kind:<5} {seconds:6.2f} s   {outcome}")
    return seconds


def use_database(database: Path) -> None:
    """Point the next cycle at `database`; a new one is migrated first (untimed)."""
    os.environ["CHANNELWATCH_DB_URL"] = f"sqlite:///{database}"
    if not database.exists():
        storage.open_database(os.environ["CHANNELWATCH_DB_URL"]).dispose()


def pair(config_path: str, plain_db: Path, flow_db: Path) -> tuple[float, float]:
    """One cycle run plain, then the same cycle as a flow, each on its own database."""
    use_database(plain_db)
    plain = timed("plain", config_path)
    use_database(flow_db)
    return plain, timed("flow", config_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--unchanged", type=int, default=5, help="unchanged cycles timed after each first cycle"
    )
    parser.add_argument(
        "--dask-workers",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="then time the flow's first cycle with extraction and detection on a local "
        "Dask cluster of N workers",
    )
    parser.add_argument(
        "--polling-limit",
        action="store_true",
        help="set the polling tag's concurrency limit first, as `channelwatch serve` does",
    )
    parser.add_argument(
        "--server",
        action="store_true",
        help="run the flow against a `prefect server start` process on PostgreSQL",
    )
    args = parser.parse_args(argv)
    if args.server:
        with prefect_server() as api_url:
            rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--server"]
            env = {**os.environ, "PREFECT_API_URL": api_url}
            return subprocess.call([sys.executable, "-u", __file__, *rest], env=env)
    api = os.environ.get("PREFECT_API_URL") or "Prefect's temporary local API"
    print(f"API: {api}")
    print(
        f"farm: {args.feeds} full-text feeds x 20 entries on {len(HOSTS)} loopback hosts, "
        f"+{LATENCY * 1000:.0f} ms per response; {os.cpu_count()} CPUs"
    )
    warm_up()
    if args.polling_limit:
        ensure_polling_limit()
    print("polling limit: " + ("set, as under `serve`" if args.polling_limit else "none"))
    overheads: dict[str, list[float]] = {"first cycle": [], "unchanged cycle": []}
    with tempfile.TemporaryDirectory() as scratch, Farm(args.feeds, full_text=True) as farm:
        folder = Path(scratch)
        config_path = farm_config(folder, farm.urls())
        for round_ in range(args.rounds):
            plain_db, flow_db = folder / f"plain-{round_}.db", folder / f"flow-{round_}.db"
            # The first cycle on empty databases, then unchanged ones: plain and flow
            # alternate, so that a load that comes and goes weighs on both alike.
            cycles = ["first cycle"] + ["unchanged cycle"] * args.unchanged
            for cycle in cycles:
                p, f = pair(config_path, plain_db, flow_db)
                overheads[cycle].append((f - p) / f)
                print(
                    f"round {round_ + 1}, {cycle}: plain {p:.2f} s, flow {f:.2f} s, "
                    f"orchestration {f - p:+.2f} s = {overheads[cycle][-1]:.1%} of the flow's time"
                )
        for workers in args.dask_workers:  # the cluster's start is inside the time
            dask_config = farm_config(folder, farm.urls(), workers)
            use_database(folder / f"dask-{workers}.db")
            first = timed("flow", dask_config)
            print(f"flow on Dask, {workers} workers: first cycle {first:.2f} s")
    for cycle, ratios in overheads.items():
        print(
            f"overhead, {cycle}: median {statistics.median(ratios):.1%} "
            f"(range {min(ratios):.1%} to {max(ratios):.1%}); target at most 25%"
        )
    return 0


@contextmanager
def prefect_server() -> Iterator[str]:
    """A `prefect server start` process on a fresh PostgreSQL database; yields its API URL."""
    database = f"cw_bench_prefect_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    info = psycopg.conninfo.conninfo_to_dict(PG_DSN)
    env = {
        **os.environ,
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": (
            f"postgresql+asyncpg://{info['user']}@{info['host']}:{info['port']}/{database}"
        ),
        "PREFECT_HOME": tempfile.mkdtemp(prefix="channelwatch-bench-server-"),
    }
    prefect = str(Path(sys.executable).with_name("prefect"))
    command = [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(SERVER_PORT)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{SERVER_PORT}/api"
    try:
        deadline = time.monotonic() + 180
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"`prefect server start` did not come up at {url}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    sys.exit(main())
