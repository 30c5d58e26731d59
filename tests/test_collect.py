"""A cycle's collection (flows/collect.py) without Prefect: local servers, SQLite, a clock we move."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

import storage
from channelwatch.config import Config, parse_config
from feeds import Limits
from flows.collect import Collected, collect
from flows.extract import extract_in_process
from storage import Alert, Article, SourceState
from tests.servers import REPO_CONFIG, Origin, Reply, Site

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
FAST = Limits(retry_delay=0.01, total_timeout=5.0)
PAGE = (
    Path(__file__).parent / "data" / "site" / "analysis" / "climate-talks-back.html"
).read_bytes()


def configure(*urls: str, **polling: Any) -> Config:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"] = [
        {"id": f"s{n}", "name": f"Source {n}", "url": url} for n, url in enumerate(urls)
    ]
    data["polling"] = polling
    return parse_config(yaml.safe_dump(data))


def rss(*items: tuple[str, str, str, datetime | None]) -> bytes:
    """A feed of (guid, link, title, published) items."""
    xml = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{title}</title>"
        + (f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>" if when else "")
        + "<description>&lt;p&gt;The feed's own summary of the article.&lt;/p&gt;</description></item>"
        for guid, link, title, when in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{xml}</channel></rss>'.encode()


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return storage.open_database(f"sqlite:///{tmp_path / 'channelwatch.db'}")


def cycle(engine: Engine, config: Config, now: datetime, **options: Any) -> Collected:
    """Collection, and the extraction of what it stored or downloaded."""
    collected = asyncio.run(
        collect(engine, config, now=now, limits=FAST, routes=["ops"], **options)
    )
    extract_in_process(engine, collected, now)
    return collected


def state(engine: Engine, source_id: str = "s0") -> SourceState:
    with Session(engine) as session:
        return session.get_one(SourceState, source_id)


def articles(engine: Engine) -> list[Article]:
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(Article.id)))


def test_entries_are_stored_once_and_the_feed_polled_again_only_when_due(
    engine: Engine, site: Site
) -> None:
    config = configure(site.url("feed.xml"))
    [first] = cycle(engine, config, NOW).sources
    assert (first.status, first.entries, first.new, first.from_feed) == ("new", 4, 4, 0)
    assert {a.text_origin for a in articles(engine)} == {"page"}
    assert state(engine).next_poll_at == NOW + timedelta(minutes=60)  # the feed's <ttl>

    [waiting] = cycle(engine, config, NOW + timedelta(minutes=30)).sources
    assert waiting.status == "waiting"
    assert waiting.line() == "source s0: not due until 2026-11-22 13:00 UTC"

    # A new process an hour later: the stored validators make it a 304.
    [again] = cycle(engine, config, NOW + timedelta(minutes=60)).sources
    assert again.status == "unchanged"
    feed_hits = site.hits_for("/feed.xml")
    assert [h.status for h in feed_hits] == [200, 304] and feed_hits[1].headers["If-None-Match"]
    assert len(articles(engine)) == 4
    assert state(engine).next_poll_at == NOW + timedelta(minutes=120)  # <ttl> remembered on a 304


def test_a_failing_source_backs_off_and_raises_one_health_alert_and_one_recovery(
    engine: Engine,
) -> None:
    with Origin() as origin:
        url = origin.script("/feed", Reply(503))
        config = configure(url, health_alert_hours=24)
        now, health, failures = NOW, [], 0
        while now < NOW + timedelta(hours=36):
            collected = cycle(engine, config, now)
            health += collected.health
            failures += collected.sources[0].status == "failed"
            assert collected.sources[0].status in ("failed", "waiting")
            now += timedelta(minutes=30)  # cycles every half hour; the source waits its turn
        failing = state(engine)
        assert failing.consecutive_errors == failures < 20  # backed off, still tried
        assert failing.failing_since == NOW and failing.last_error == "HTTP 503 Service Unavailable"
        assert [h.kind for h in health] == ["feed_failing"]  # once, however many cycles
        assert "failing since 2026-11-22 12:00 UTC" in health[0].detail

        origin.script("/feed", Reply(200, rss(("g1", origin.url("/a"), "A", NOW))))
        recovered = cycle(engine, config, failing.next_poll_at)  # type: ignore[arg-type]
        again = cycle(engine, config, failing.next_poll_at + timedelta(hours=1))  # type: ignore[operator]
    assert recovered.sources[0].status == "new" and [h.kind for h in recovered.health] == [
        "feed_recovered"
    ]
    assert again.health == []
    healthy = state(engine)
    assert (healthy.consecutive_errors, healthy.failing_since, healthy.last_error) == (
        0,
        None,
        None,
    )
    with Session(engine) as session:
        kinds = [a.kind for a in session.exec(select(Alert))]
    assert kinds == ["feed_failing", "feed_recovered"]  # one per route ("ops")


def test_retry_after_decides_when_the_source_is_polled_again(engine: Engine) -> None:
    with Origin() as origin:
        config = configure(origin.script("/feed", Reply(429, headers={"Retry-After": "7200"})))
        [limited] = cycle(engine, config, NOW).sources
        [waiting] = cycle(engine, config, NOW + timedelta(hours=1)).sources
    assert limited.status == "failed" and limited.error == "HTTP 429 Too Many Requests"
    assert state(engine).next_poll_at == NOW + timedelta(hours=2)
    assert (
        waiting.status == "waiting"
        and "backing off after 1 failed poll: HTTP 429" in waiting.line()
    )
    assert len(origin.hits) == 1


def test_a_permanent_redirect_is_polled_directly_from_then_on(engine: Engine) -> None:
    with Origin() as origin:
        feed = origin.script("/new", Reply(200, rss(("g1", origin.url("/a"), "A", NOW))))
        config = configure(origin.script("/old", Reply(301, headers={"Location": "/new"})))
        cycle(engine, config, NOW)
        cycle(engine, config, NOW + timedelta(hours=1))
    assert state(engine).feed_url == feed
    assert [h.path for h in origin.hits if h.path in ("/old", "/new")] == ["/old", "/new", "/new"]


def test_a_failed_page_keeps_the_feed_text_and_is_fetched_again_later(engine: Engine) -> None:
    with Origin() as origin:
        down = [Reply(503)] * (1 + FAST.retries)  # down for all of the first cycle's tries
        link = origin.script("/article", *down, Reply(200, PAGE))
        config = configure(origin.script("/feed", Reply(200, rss(("g1", link, "Talks", None)))))
        [first] = cycle(engine, config, NOW).sources
        [article] = articles(engine)
        assert (first.new, first.from_feed) == (1, 1)
        assert (
            article.text_origin == "feed"
            and article.text == "The feed's own summary of the article."
        )
        assert article.page_due_at == NOW + timedelta(minutes=15)
        with Session(engine) as session:  # detection ran on the feed's text meanwhile
            storage.apply_detection(session, session.get_one(Article, article.id), [], {})
            session.commit()

        cycle(engine, config, NOW + timedelta(minutes=5))  # too soon for the page
        assert len(origin.hits_for("/article")) == len(down)
        cycle(engine, config, NOW + timedelta(minutes=30))
    [article] = articles(engine)
    assert article.text_origin == "page" and "restarted their climate talks" in article.text
    # The feed gave no date; htmldate found the page's (a day, without the hour).
    assert article.published_at == datetime(2023, 11, 14, tzinfo=UTC)
    assert article.detected_at is None and article.page_due_at is None  # detect again, on the page


def test_since_takes_entries_back_to_a_date_as_history_and_later_old_entries_stay_history(
    engine: Engine,
) -> None:
    with Origin() as origin:

        def item(n: int, when: datetime) -> tuple[str, str, str, datetime]:
            return (f"g{n}", origin.url(f"/{n}"), f"Article {n}", when)

        first_feed = rss(item(1, NOW - timedelta(days=400)), item(2, NOW - timedelta(days=30)))
        later_feed = rss(item(3, NOW + timedelta(hours=1)), item(4, NOW - timedelta(days=60)))
        origin.script("/feed", Reply(200, first_feed), Reply(200, later_feed))
        config = configure(origin.url("/feed"))
        [report] = cycle(engine, config, NOW, since=(NOW - timedelta(days=90)).date()).sources
        cycle(engine, config, NOW + timedelta(hours=2))
    assert report.new == 1  # article 1 is older than --since
    history = {a.entry_key: a.history for a in articles(engine)}
    # Back-filled on a first install: history. Later, fresh news is news and an old
    # entry that shows up late is history.
    assert history == {"g2": True, "g3": False, "g4": True}


def test_a_first_poll_without_since_is_news(engine: Engine, site: Site) -> None:
    cycle(engine, configure(site.url("feed.xml")), NOW)
    assert {a.history for a in articles(engine)} == {False}


def test_a_changed_guid_or_link_is_the_same_article_re_keyed(engine: Engine) -> None:
    with Origin() as origin:
        before = rss(("g1", origin.url("/talks"), "US and China resume talks", NOW))
        after = rss(("g1-v2", origin.url("/talks-resume"), "US, China resume talks", NOW))
        origin.script("/feed", Reply(200, before), Reply(200, after))
        config = configure(origin.url("/feed"))
        cycle(engine, config, NOW)
        [report] = cycle(engine, config, NOW + timedelta(hours=1)).sources
    assert report.new == 0
    [article] = articles(engine)
    assert (article.entry_key, article.url) == ("g1-v2", origin.url("/talks-resume"))
