"""Faults: a cycle killed anywhere, a locked SQLite file, a full disk, PostgreSQL restarted.

A cycle here is what `monitor_cycle` composes — collect, detect, deliver — run without
Prefect's API in a forked child process (a fork starts in milliseconds; a fresh Python
with Prefect takes seconds), against the real local site, webhook receiver and SMTP
server of tests/servers.py.

Kill points are numbered events, chosen from a fixed seed, never a timer: a request
reaching the site, the webhook receiver or the SMTP server (killed before it is
answered: not delivered), and each database commit of collection and detection (the
child stops at the commit and waits for the test to let it go on or to kill it there).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import yaml
from sqlalchemy import create_engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

import storage
from alerts import Senders, plan_routes
from alerts.transports import SmtpServer
from channelwatch.config import Config, parse_config
from channelwatch.settings import Settings
from feeds import Limits, make_client
from flows.collect import collect
from flows.extract import extract_in_process
from flows.monitor import deliver_alerts, detect_in_process, fold_readings
from tests.servers import REPO_CONFIG, Mailbox, Site, WebhookReceiver, free_port, smtp_server

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
KILLS = 20  # SIGKILLs at points drawn from SEED; each followed by a clean re-run
SEED = 20261201
# The site's four articles make three changes: climate and counternarcotics suspended,
# military channels resumed.
CHANGES = {"climate", "counternarcotics", "mil_mil"}


@dataclass
class World:
    """The servers and settings one cycle talks to."""

    site: Site
    slack: WebhookReceiver
    mailbox: Mailbox
    smtp: SmtpServer
    config: Config

    def settings(self, db_url: str) -> Settings:
        return Settings(
            db_url=db_url,
            smtp_host=self.smtp.host,
            smtp_port=self.smtp.port,
            email_from=self.smtp.sender,
            email_to=["desk@example.org"],
            slack_webhook_url=self.slack.url,
        )


@pytest.fixture
def world(site: Site) -> Iterator[World]:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"] = [
        {"id": "ppi", "name": "Pacific Policy Institute", "url": site.url("feed.xml")}
    ]
    data["polling"] = {"max_connections": 1}  # one request at a time: kill points are repeatable
    data["alerts"] = {"routes": []}  # the settings' own email and Slack routes
    with WebhookReceiver() as slack, smtp_server() as (controller, mailbox):
        smtp = SmtpServer(controller.hostname, controller.port, "channelwatch@example.org")
        yield World(site, slack, mailbox, smtp, parse_config(yaml.safe_dump(data)))


def one_cycle(
    db_url: str,
    world: World,
    gate: Callable[[], None] | None = None,
    gate_delivery: bool = False,
) -> None:
    """collect, detect, deliver: `monitor_cycle` without Prefect's API."""
    settings = world.settings(db_url)
    engine = storage.open_database(db_url)

    def stop(session: Session) -> None:
        if gate is not None:
            gate()

    event.listen(Session, "before_commit", stop)
    event.listen(Session, "after_commit", stop)
    routing = plan_routes(world.config, settings)
    routes = [route.name for route in routing.live]
    limits = Limits(connections=1, retries=0, total_timeout=10)  # one request at a time
    collected = asyncio.run(collect(engine, world.config, now=NOW, routes=routes, limits=limits))
    extract_in_process(engine, collected, NOW)
    fold_readings.fn(engine, world.config, routing, detect_in_process(engine, world.config), False)
    # From here on, kills come from the receivers, before they answer: a kill between an
    # answer and the commit recording it is the duplicate no transport can rule out
    # (test_a_kill_after_the_receiver_answered_sends_it_again_under_the_same_message_id).
    if not gate_delivery:
        event.remove(Session, "before_commit", stop)
        event.remove(Session, "after_commit", stop)
    with make_client() as client:
        deliver_alerts.fn(engine, world.config, routing, Senders.from_settings(settings, client))
    engine.dispose()


@dataclass
class Killer:
    """Counts the cycle's events; kills the child at event number `at`."""

    at: int | None = None
    pid: int = 0
    count: int = 0
    killed: bool = False
    log: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, what: str) -> bool:
        """Whether the child lives on past this event."""
        with self.lock:
            if self.killed:
                return False
            self.count += 1
            self.log.append(what)
            if self.count == self.at:
                os.kill(self.pid, signal.SIGKILL)
                self.killed = True
            return not self.killed


def run_child(work: Callable[[Callable[[], None]], None], killer: Killer) -> int:
    """Run `work(gate)` in a forked child; `gate()` stops it at a commit until `killer` says."""
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(to_parent_r)
            os.close(to_child_w)

            def gate() -> None:
                os.write(to_parent_w, b"c")
                os.read(to_child_r, 1)

            work(gate)
        except BaseException:
            os.write(2, traceback.format_exc().encode())  # fd 2: pytest's sys.stderr is not ours
            code = 1
        finally:
            os._exit(code)
    os.close(to_parent_w)
    os.close(to_child_r)
    killer.pid = pid

    def answer_commits() -> None:
        while os.read(to_parent_r, 1):
            if killer.admit("commit"):
                os.write(to_child_w, b"g")  # one byte: the one `gate()` waits for

    gatekeeper = threading.Thread(target=answer_commits, daemon=True)
    gatekeeper.start()
    _, status = os.waitpid(pid, 0)
    os.close(to_child_w)
    gatekeeper.join()
    os.close(to_parent_r)
    return status


def admit_through(world: World, killer: Killer) -> None:
    world.site.admit = world.slack.admit = world.mailbox.admit = killer.admit


def check_nothing_lost_nothing_twice(db_url: str, world: World) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        articles = session.exec(select(storage.Article)).all()
        transitions = session.exec(select(storage.Transition)).all()
        alerts = session.exec(select(storage.Alert)).all()
    engine.dispose()
    assert len(articles) == 4 and all(a.detected_at for a in articles)
    assert {a.text_origin for a in articles} == {"page"}  # every page had, in the end
    assert Counter(t.channel for t in transitions) == Counter(CHANGES)
    assert {a.status for a in alerts} == {"sent"} and len(alerts) == 2 * len(CHANGES)
    names = {world.config.channel(c).name: c for c in CHANGES}
    slack = Counter(c for post in world.slack.posts for n, c in names.items() if n in str(post))
    email = Counter(
        c for m in world.mailbox.messages for n, c in names.items() if n in m["Subject"]
    )
    assert slack == email == Counter(CHANGES), (slack, email)


def test_sigkill_anywhere_in_a_cycle_loses_nothing_and_sends_nothing_twice(
    world: World, tmp_path: Path
) -> None:
    # A clean run first, in this process, to number its events (and so that the forked
    # children inherit warm caches: trafilatura's first page costs a second).
    counting = Killer()
    admit_through(world, counting)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    one_cycle(clean, world, lambda: counting.admit("commit") and None)
    check_nothing_lost_nothing_twice(clean, world)
    events = counting.count
    assert events > 20

    empty = tmp_path / "empty.db"  # migrated once, copied for each kill
    storage.open_database(f"sqlite:///{empty}").dispose()
    points = random.Random(SEED).sample(range(1, events + 1), min(KILLS, events))
    for n, point in enumerate(points):
        world.slack.posts.clear()
        world.mailbox.messages.clear()
        db_url = f"sqlite:///{shutil.copy(empty, tmp_path / f'kill{n}.db')}"
        killer = Killer(at=point)
        admit_through(world, killer)
        status = run_child(lambda gate: one_cycle(db_url, world, gate), killer)  # noqa: B023
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, killer.log
        admit_through(world, Killer())
        assert run_child(lambda gate: one_cycle(db_url, world), Killer()) == 0  # noqa: B023
        try:
            check_nothing_lost_nothing_twice(db_url, world)
        except AssertionError as exc:
            raise AssertionError(f"killed at event {point} ({killer.log[-1]}): {exc}") from None


class KillAfterAnswer(Killer):
    """Kills at the first commit after the SMTP server accepted a message: the commit
    that would record it as sent (the cycle waits for the answer, so none comes between)."""

    def admit(self, what: str) -> bool:
        if what == "commit" and "DATA" in self.log:
            self.at = self.count + 1
        return super().admit(what)


def test_a_kill_after_the_receiver_answered_sends_it_again_under_the_same_message_id(
    world: World, tmp_path: Path
) -> None:
    """The documented limit (README, Reliability: delivery is at-least-once): killed after
    the SMTP server's 250 and before the commit recording it, the next cycle sends that
    email once more, under the same Message-ID so mail clients fold the two into one,
    and everything else exactly once."""
    db_url = f"sqlite:///{tmp_path / 'cw.db'}"
    killer = KillAfterAnswer()
    admit_through(world, killer)
    run_child(lambda gate: one_cycle(db_url, world, gate, gate_delivery=True), killer)
    assert killer.killed and killer.log[-2:] == ["DATA", "commit"], killer.log
    [answered] = world.mailbox.messages
    admit_through(world, Killer())
    assert run_child(lambda gate: one_cycle(db_url, world), Killer()) == 0
    again = [m for m in world.mailbox.messages if m["Subject"] == answered["Subject"]]
    assert [m["Message-ID"] for m in again] == [answered["Message-ID"]] * 2
    del world.mailbox.messages[0]  # the copy sent before the kill; the rest arrived once
    check_nothing_lost_nothing_twice(db_url, world)


# --- the database under stress -------------------------------------------------------


@contextmanager
def locked(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the SQLite file's write lock until its stdin is closed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n"
            "db.execute('COMMIT')\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield holder
    finally:
        if holder.stdin and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=30)


def articles_in(db_url: str) -> list[storage.Article]:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        found = list(session.exec(select(storage.Article)))
    engine.dispose()
    return found


def test_a_lock_held_by_another_process_is_waited_out(world: World, tmp_path: Path) -> None:
    path = tmp_path / "cw.db"
    storage.open_database(f"sqlite:///{path}").dispose()
    with locked(path) as holder:

        def release_on_feed(request: str) -> bool:
            if "feed.xml" in request and holder.stdin and not holder.stdin.closed:
                holder.stdin.close()  # let go while the cycle is running
            return True

        world.site.admit = release_on_feed
        one_cycle(f"sqlite:///{path}", world)
    check_nothing_lost_nothing_twice(f"sqlite:///{path}", world)


def test_a_lock_held_too_long_fails_the_cycle_clearly_and_loses_nothing(
    world: World, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cw.db'}"
    storage.open_database(url).dispose()
    # The cycle's engine as open_database makes it, but waiting 0.3 s on a lock, not 30.
    impatient = create_engine(url, connect_args={"timeout": 0.3})
    with locked(tmp_path / "cw.db"), pytest.raises(OperationalError) as failed:
        asyncio.run(collect(impatient, world.config, now=NOW, limits=Limits(retries=0)))
    impatient.dispose()
    assert "database is locked" in str(failed.value)  # the database's words, not a TaskGroup's
    assert articles_in(url) == []
    one_cycle(url, world)  # the lock is gone: the next cycle has it all
    check_nothing_lost_nothing_twice(url, world)


def test_a_full_disk_fails_the_cycle_clearly_and_the_next_one_has_it_all(
    world: World, tmp_path: Path
) -> None:
    """The disk fills up (a file size limit, RLIMIT_FSIZE, in the cycle's process: works
    without privileges); once there is room again, nothing is missing or doubled."""
    url = f"sqlite:///{tmp_path / 'cw.db'}"
    storage.open_database(url).dispose()
    stderr = tmp_path / "child.err"

    def cycle_on_a_full_disk(gate: Callable[[], None]) -> None:
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT), 2)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write that does not fit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (48 * 1024, resource.RLIM_INFINITY))
        one_cycle(url, world)

    status = run_child(cycle_on_a_full_disk, Killer())
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1
    error = stderr.read_text()
    assert "(sqlite3.OperationalError) disk I/O error" in error, error[-2000:]  # EFBIG
    assert "ExceptionGroup" not in error
    world.slack.posts.clear()
    world.mailbox.messages.clear()
    one_cycle(url, world)
    check_nothing_lost_nothing_twice(url, world)


@contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted on `folder` (needs root; skipped where mounting is refused)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_really_full_disk_says_so_and_the_next_cycle_has_it_all(
    world: World, tmp_path: Path
) -> None:
    """ENOSPC itself, on a small tmpfs filled up but for a few kilobytes."""
    with small_disk(tmp_path / "disk") as disk:
        url = f"sqlite:///{disk / 'cw.db'}"
        storage.open_database(url).dispose()
        filler = disk / "filler"
        with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 4096)
        os.truncate(filler, filler.stat().st_size - 16 * 1024)  # leave 16 KB
        with pytest.raises(OperationalError) as failed:
            one_cycle(url, world)
        assert "disk I/O error" in str(failed.value)  # how SQLite's WAL reports ENOSPC
        filler.unlink()
        world.slack.posts.clear()
        world.mailbox.messages.clear()
        one_cycle(url, world)
        check_nothing_lost_nothing_twice(url, world)


# --- PostgreSQL restarted mid-cycle -------------------------------------------------------


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on a free port: never the shared server."""

    bin: Path
    data: Path
    port: int
    user: list[str]  # how to run its tools: as postgres when we are root (initdb refuses root)

    def start(self) -> None:
        # The port every time: without it PostgreSQL would try the shared server's 5432.
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("-o", options, "start")

    def database(self, name: str) -> str:
        """A new, empty database on this cluster; its URL."""
        with psycopg.connect(self.dsn(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def started(self) -> datetime:
        with psycopg.connect(self.dsn()) as db:
            return db.execute("SELECT pg_postmaster_start_time()").fetchone()[0]  # type: ignore[index]

    def ctl(self, *args: str) -> None:
        log = str(self.data.parent / "server.log")
        subprocess.run(
            [*self.user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-w", *args],
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail("initdb is required in CI (/usr/lib/postgresql/*/bin)")
        pytest.skip("PostgreSQL's server binaries are not installed")
    folder = Path(tempfile.mkdtemp(prefix="channelwatch-pg-"))  # pytest's tmp is root-only
    user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        user = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"]
    bin_dir = found[-1].parent
    subprocess.run(
        [
            *user,
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
        ],
        check=True,
        capture_output=True,
    )
    server = Cluster(bin_dir, folder / "data", free_port(), user)
    server.start()
    try:
        yield server
    finally:
        server.ctl("-m", "immediate", "stop")  # raises if it is not running: a test left it down
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_restarted_mid_cycle_loses_nothing(world: World, cluster: Cluster) -> None:
    """The server restarts while the cycle fetches its pages: the pooled connections die,
    the next ones are opened afresh, and the cycle ends as if nothing had happened."""
    pages = 0

    def restart_at_the_second_page(request: str) -> bool:
        nonlocal pages
        if "/analysis/" in request:
            pages += 1
            if pages == 2:
                cluster.ctl("-m", "fast", "restart")
        return True

    url = cluster.database("restarted")
    first_start = cluster.started()
    world.site.admit = restart_at_the_second_page
    one_cycle(url, world)
    assert pages == 4 and cluster.started() > first_start  # it did restart, mid-cycle
    check_nothing_lost_nothing_twice(url, world)


def test_postgresql_down_mid_cycle_fails_it_clearly_and_the_next_has_it_all(
    world: World, cluster: Cluster
) -> None:
    url = cluster.database("down")
    pages = 0

    def stop_at_the_second_page(request: str) -> bool:
        nonlocal pages
        pages += "/analysis/" in request
        if pages == 2 and "/analysis/" in request:
            cluster.ctl("-m", "fast", "stop")
        return True

    world.site.admit = stop_at_the_second_page
    with pytest.raises(OperationalError) as failed:
        one_cycle(url, world)
    assert "Connection refused" in str(failed.value)  # the database's words, not a TaskGroup's
    cluster.start()
    world.site.admit = lambda request: True
    one_cycle(url, world)
    check_nothing_lost_nothing_twice(url, world)
