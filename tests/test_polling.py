"""Polling's HTTP behaviour against real local servers, and its schedule (pure)."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from feeds import FeedPoll, Limits, Poller, Validators, next_poll_at, poll_feed, poll_feeds
from feeds.http import max_age, retry_after
from feeds.schedule import MAX_BACKOFF, is_due, news_cutoff, page_retry_at
from tests.servers import DATA, Gauge, Origin, Reply, free_port

FEED = (DATA / "feeds" / "rss20.xml").read_bytes()
AS_RSS = {"Content-Type": "application/rss+xml"}
FAST = Limits(retry_delay=0.01, total_timeout=5.0)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def poll(
    url: str, limits: Limits = FAST, transport: httpx.AsyncBaseTransport | None = None
) -> FeedPoll:
    async def once() -> FeedPoll:
        async with Poller(limits, transport=transport) as poller:
            return await poll_feed(poller, url, Validators())

    return asyncio.run(once())


def test_500s_then_success_is_retried_within_the_cycle() -> None:
    with Origin() as origin:
        url = origin.script("/feed", Reply(500), Reply(502), Reply(200, FEED, AS_RSS))
        result = poll(url)
    assert result.error is None and len(result.entries) == 3
    assert [h.status for h in origin.hits] == [500, 502, 200]


def test_a_server_that_keeps_failing_is_one_line_after_the_retries() -> None:
    with Origin() as origin:
        url = origin.script("/feed", Reply(503))
        result = poll(url)
    assert result.error == "HTTP 503 Service Unavailable"
    assert len(origin.hits) == 1 + FAST.retries


def test_429_with_retry_after_is_not_retried_now_and_schedules_the_next_poll() -> None:
    with Origin() as origin:
        url = origin.script("/feed", Reply(429, headers={"Retry-After": "7200"}))
        result = poll(url)
    assert len(origin.hits) == 1  # the server said two hours; we don't knock again now
    assert result.error == "HTTP 429 Too Many Requests"
    assert result.retry_after == timedelta(hours=2)
    later = next_poll_at(NOW, interval=timedelta(0), hints=result.hints, errors=1)
    assert later == NOW + timedelta(hours=2)


def test_a_short_retry_after_is_waited_out_within_the_cycle() -> None:
    with Origin() as origin:
        url = origin.script("/feed", Reply(429, headers={"Retry-After": "0"}), Reply(200, FEED))
        result = poll(url)
    assert result.error is None and [h.status for h in origin.hits] == [429, 200]


def test_responses_slower_than_the_timeouts_fail_in_time() -> None:
    with Origin() as origin:
        slow = origin.script("/slow", Reply(200, FEED, delay=30))
        drip = origin.script("/drip", Reply(200, endless=True, drip=0.02))
        late = poll(slow, Limits(read_timeout=0.3, retries=0))
        dripping = poll(drip, Limits(read_timeout=5, total_timeout=0.5, retries=0))
    assert late.error == "timed out (ReadTimeout)"
    assert dripping.error == "timed out after 0.5 s"  # every read is quick; the whole is not


def test_oversized_endless_and_bomb_bodies_stop_at_the_cap() -> None:
    small = Limits(max_bytes=64 * 1024, retries=0)
    bomb = gzip.compress(b"<rss>" + b" " * 2_000_000)
    with Origin() as origin:
        big = poll(origin.script("/big", Reply(200, b"<rss>" + b"x" * 200_000)), small)
        endless = poll(origin.script("/endless", Reply(200, endless=True)), small)
        zipped = poll(origin.script("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"})), small)
    assert big.error == endless.error == zipped.error == "response larger than 64 KB"


def test_compressed_feeds_are_asked_for_and_decoded() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    encoded = {
        "gzip": gzip.compress(FEED),
        "deflate": zlib.compress(FEED),
        "raw-deflate": raw.compress(FEED) + raw.flush(),  # what some old servers send
    }
    with Origin() as origin:
        results = [
            poll(origin.script(f"/{name}", Reply(200, body, {"Content-Encoding": name[-7:]})))
            for name, body in encoded.items()
        ]
        corrupt = poll(
            origin.script("/bad", Reply(200, b"\x1f\x8bnot gzip", {"Content-Encoding": "gzip"}))
        )
    assert [(len(r.entries), r.received) for r in results] == [(3, len(FEED))] * 3
    assert "gzip" in origin.hits[0].headers["Accept-Encoding"]
    assert corrupt.error == "the body's gzip compression is corrupt"


def test_permanent_redirects_move_the_feed_and_temporary_ones_do_not() -> None:
    with Origin() as origin, Origin("127.0.0.2") as elsewhere:
        feed = elsewhere.script("/feed", Reply(200, FEED))
        origin.script("/a", Reply(301, headers={"Location": "/b"}))
        origin.script("/b", Reply(308, headers={"Location": feed}))
        origin.script("/p", Reply(301, headers={"Location": "/q"}))
        origin.script("/q", Reply(302, headers={"Location": feed}))
        origin.script("/t", Reply(302, headers={"Location": "/a"}))
        moved, partly, temporary = (
            poll(origin.url("/a")),
            poll(origin.url("/p")),
            poll(origin.url("/t")),
        )
    assert moved.moved_to == feed and len(moved.entries) == 3
    assert partly.moved_to == origin.url("/q")  # up to the first temporary hop
    assert temporary.moved_to is None and temporary.error is None


def test_redirect_loops_long_chains_and_other_schemes_end_with_a_reason() -> None:
    with Origin() as origin:
        origin.script("/x", Reply(302, headers={"Location": "/y"}))
        origin.script("/y", Reply(302, headers={"Location": "/x"}))
        for n in range(8):
            origin.script(f"/hop{n}", Reply(302, headers={"Location": f"/hop{n + 1}"}))
        origin.script("/ftp", Reply(301, headers={"Location": "ftp://files.example/feed"}))
        loop, chain, ftp = (
            poll(origin.url("/x")),
            poll(origin.url("/hop0")),
            poll(origin.url("/ftp")),
        )
    assert loop.error == f"redirect loop at {origin.url('/x')}"
    assert chain.error == "more than 5 redirects"
    assert ftp.error == "redirected to a URL that is not http or https"


def test_an_invalid_redirect_target_is_a_reason_not_an_exception() -> None:
    """An edge case a real server can hardly send: a Location httpx can't parse."""

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://[::1/feed"})

    result = poll("https://example.org/feed", transport=httpx.MockTransport(broken))
    assert result.error == "redirected to an invalid URL"


def test_unreachable_and_non_feeds_are_one_line_reasons() -> None:
    with Origin() as origin:
        html = origin.script("/page", Reply(200, b"<html><body>Sorry, we are down</body></html"))
        missing, page = poll(origin.url("/missing")), poll(html)
    dead = poll(f"http://127.0.0.1:{free_port()}/feed.xml")
    assert missing.error == "HTTP 404 Not Found"
    assert page.error and page.error.startswith("not a readable feed")
    assert (
        dead.error
        and dead.error.startswith("cannot connect to 127.0.0.1")
        and "\n" not in dead.error
    )


def test_concurrency_is_limited_per_host_and_overall() -> None:
    gauge = Gauge()
    with (
        Origin("127.0.0.2", gauge) as a,
        Origin("127.0.0.3", gauge) as b,
        Origin("127.0.0.4", gauge) as c,
    ):
        feeds = [
            (n, origin.script(f"/feed{n}", Reply(200, FEED, delay=0.05)), Validators())
            for origin in (a, b, c)
            for n in range(5)
        ]
        results: list[FeedPoll] = []

        async def run(limits: Limits) -> None:
            async with Poller(limits) as poller:
                await poll_feeds(poller, feeds, lambda _, result: results.append(result))

        asyncio.run(run(Limits(connections=10, per_host=2)))
        per_host = [a.gauge.most, b.gauge.most, c.gauge.most]
        gauge.most = 0
        asyncio.run(run(Limits(connections=3, per_host=2)))
    assert per_host == [2, 2, 2]  # two at a time on each host, hosts in parallel
    assert gauge.most == 3  # never more than three at once in all
    assert len(results) == 30 and all(r.error is None for r in results)


# --- the schedule -----------------------------------------------------------------------------


def test_next_poll_is_the_latest_of_interval_ttl_max_age_and_retry_after() -> None:
    hour = timedelta(hours=1)
    assert next_poll_at(NOW, interval=hour / 2) == NOW + hour / 2
    assert next_poll_at(NOW, interval=hour / 2, hints=(hour, None, 2 * hour)) == NOW + 2 * hour
    assert next_poll_at(NOW, interval=hour, hints=(timedelta(days=30),)) == NOW + timedelta(days=1)


def test_backoff_doubles_with_jitter_is_capped_and_never_gives_up() -> None:
    waits = [
        next_poll_at(NOW, interval=timedelta(0), errors=n, jitter=1.0) - NOW for n in range(1, 12)
    ]
    assert waits[:4] == [timedelta(minutes=m) for m in (10, 20, 40, 80)]
    assert waits[-1] == MAX_BACKOFF  # after many failures, still twice a day
    low = next_poll_at(NOW, interval=timedelta(0), errors=3, jitter=0.0) - NOW
    assert low == timedelta(minutes=20)  # jitter spreads retries over half the wait


def test_due_at_the_start_of_the_next_cycle_and_pages_retried_then_given_up() -> None:
    assert is_due(None, NOW) and is_due(NOW + timedelta(seconds=30), NOW)
    assert not is_due(NOW + timedelta(minutes=5), NOW)
    retries = [page_retry_at(NOW, n) for n in range(1, 5)]
    assert [r - NOW for r in retries[:3] if r] == [timedelta(minutes=m) for m in (15, 60, 240)]
    assert retries[3] is None
    assert news_cutoff(None) is None and news_cutoff(NOW) == NOW - timedelta(days=2)


@pytest.mark.parametrize(
    ("headers", "wait", "age"),
    [
        ({"retry-after": "120", "cache-control": "public, max-age=600"}, 120.0, 600.0),
        (
            {
                "retry-after": "Sun, 22 Nov 2026 13:00:00 GMT",
                "cache-control": "no-cache, max-age=60",
            },
            3600.0,
            None,
        ),
        ({"retry-after": "soon"}, None, None),
    ],
)
def test_retry_after_and_max_age_headers(
    headers: dict[str, str], wait: float | None, age: float | None
) -> None:
    assert retry_after(headers, NOW) == wait
    assert max_age(headers) == age
