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
import os
import random
import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event
from sqlmodel import Session, select

import storage
from alerts import Senders, plan_routes
from alerts.transports import SmtpServer
from channelwatch.config import Config, parse_config
from channelwatch.settings import Settings
from feeds import Limits, make_client
from flows.collect import collect
from flows.monitor import deliver_alerts, detect_articles
from tests.servers import REPO_CONFIG, Mailbox, Site, WebhookReceiver, smtp_server

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
KILLS = 24  # SIGKILLs at points drawn from SEED; each followed by a clean re-run
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


def one_cycle(db_url: str, world: World, gate: Callable[[], None] | None = None) -> None:
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
    limits = Limits(retries=0, total_timeout=10)
    asyncio.run(collect(engine, world.config, now=NOW, routes=routes, limits=limits))
    detect_articles.fn(engine, world.config, routing, False)
    # From here on, kills come from the receivers, before they answer: a kill between an
    # answer and the commit recording it is the duplicate no transport can rule out
    # (test_a_kill_after_the_receiver_answered_sends_it_again).
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
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(to_parent_w)
    os.close(to_child_r)
    killer.pid = pid

    def answer_commits() -> None:
        while os.read(to_parent_r, 1):
            if killer.admit("commit"):
                os.write(to_child_w, b"go")

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

    points = random.Random(SEED).sample(range(1, events + 1), min(KILLS, events))
    for n, point in enumerate(points):
        world.slack.posts.clear()
        world.mailbox.messages.clear()
        db_url = f"sqlite:///{tmp_path / f'kill{n}.db'}"
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
