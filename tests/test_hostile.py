"""Hostile feeds and pages: each is bounded in time and memory, and costs only its source.

test_polling.py covers the HTTP edge cases one request at a time (caps, endless and
dripping bodies, redirect loops, other schemes); here are the XML and HTML attacks, the
full-size versions of the network ones at the default limits, and a whole collection
cycle in which every kind of hostile source sits next to a good one.
"""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from sqlmodel import Session, select

import storage
from channelwatch.config import parse_config
from feeds import Limits, Poller, Robots, Validators, fetch_page, parse_feed, poll_feed
from feeds.article import MAX_PAGE_ELEMENTS
from feeds.feed import DTD_IGNORED
from flows.collect import collect
from flows.extract import extract_in_process
from tests.servers import REPO_CONFIG, Origin, Reply, Site

MIB = 2**20
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
T = TypeVar("T")


def within(seconds: float, work: Callable[[], T]) -> T:
    """`work()`, failing the test if it has not ended after `seconds` (a hang, not a speed
    figure: the bounds are ten times what the work takes)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=seconds)


def peak_mib(work: Callable[[], T]) -> tuple[T, float]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def rss_with(title: str, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>https://x.example/a</link><guid>g1</guid></item>"
        "</channel></rss>"
    )


LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
QUADRATIC = f'<!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("billion laughs", rss_with("&l9;", LAUGHS).encode()),
        ("billion laughs, UTF-16", rss_with("&l9;", LAUGHS).encode("utf-16")),
        ("quadratic blowup", rss_with("&a;" * 50_000, QUADRATIC).encode()),
    ],
)
def test_entity_expansion_is_not_expanded(name: str, body: bytes) -> None:
    parsed, peak = peak_mib(lambda: within(10, lambda: parse_feed(body, {}, "https://x.example/")))
    assert parsed.problem  # reported, for this source's line of the run summary
    assert all(len(e.title) < 200_000 for e in parsed.entries)  # the literal text, not 3 GB
    assert peak < 50, f"{name}: {peak:.0f} MiB"


def test_external_entities_are_neither_read_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    with Origin() as origin:
        dtd = origin.script("/evil.dtd", Reply(200, b'<!ENTITY leak "LEAKED">'))
        doctypes = [
            f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>',
            f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{dtd}">]>',
            f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{dtd}"> %p;]>',
        ]
        parsed = [
            parse_feed(rss_with("a&x;&leak;b", d).encode(), {}, "https://x.example/")
            for d in doctypes
        ]
    assert origin.hits == []  # no request to an internal host on a feed's say-so
    for feed in parsed:
        assert feed.problem
        assert [e.key for e in feed.entries] == ["g1"]
        assert not any("SECRET" in e.title or "LEAKED" in e.title for e in feed.entries)


def test_a_wellformed_feed_with_a_dtd_still_reads() -> None:
    body = rss_with("Talks resume", '<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>').encode()
    parsed = parse_feed(body, {}, "https://x.example/")
    assert [e.title for e in parsed.entries] == ["Talks resume"]
    assert parsed.problem == DTD_IGNORED


def test_markup_floods_in_titles_and_content_take_linear_time() -> None:
    """A title of 200,000 unclosed '<' took minutes (a regex that rescanned to the end)."""
    flood = "&lt;" * 200_000
    broken = rss_with(flood).replace("</channel>", "<unclosed></channel>").encode()
    parsed = within(20, lambda: parse_feed(broken, {}, "https://x.example/"))
    assert [e.key for e in parsed.entries] == ["g1"] and parsed.problem


def page(html: bytes) -> tuple:
    async def get() -> tuple:
        with Origin() as origin:
            url = origin.script("/a", Reply(200, html, {"Content-Type": "text/html"}))
            async with Poller(Limits(retries=0)) as poller:
                return await fetch_page(poller, Robots(poller), url), origin

    return asyncio.run(get())


def test_pages_too_big_to_read_are_refused_before_extraction() -> None:
    text = b"<p>The United States and China resumed their climate talks on Monday.</p>"
    huge = b"<html><body><article>" + text + b"<p>word</p>" * 200_000 + b"</article></body></html>"
    refused, _ = within(20, lambda: page(huge))
    assert refused.problem == f"the page has more than {MAX_PAGE_ELEMENTS:,} HTML elements"
    assert not refused.retry  # the same page will be as big next time


def test_deep_nesting_and_entities_in_pages_end_without_expansion() -> None:
    article = b"<p>" + b"The talks resumed after a long pause, officials said. " * 20 + b"</p>"
    deep = b"<html><body>" + b"<div>" * 20_000 + article + b"</div>" * 20_000 + b"</body></html>"
    laughs = (
        b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<html><body><article>" + article + b"<p>&b;&b;&b;</p></article></body></html>"
    )
    nested, _ = within(30, lambda: page(deep))
    expanded, _ = within(30, lambda: page(laughs))
    assert nested.problem or "talks resumed" in nested.text
    assert "aaaaaaaaaa" not in expanded.text


def poll_at_defaults(url: str) -> tuple:
    async def once() -> object:
        async with Poller(Limits(retries=0)) as poller:
            return await poll_feed(poller, url, Validators())

    return peak_mib(lambda: within(60, lambda: asyncio.run(once())))


def test_hundred_megabyte_bodies_stop_at_the_default_cap_in_bounded_memory() -> None:
    cap = Limits().max_bytes
    bomb = gzip.compress(b"<rss>" + b"\0" * (100 * MIB), compresslevel=1)
    with Origin() as origin:
        declared = origin.script(
            "/declared", Reply(200, b"<rss>", {"Content-Length": str(100 * MIB)})
        )
        streamed = origin.script("/streamed", Reply(200, endless=True))  # chunked, no length
        zipped = origin.script("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
        results = [poll_at_defaults(url) for url in (declared, streamed, zipped)]
    for result, peak in results:
        assert result.error == "response larger than 10 MB"
        assert peak < 4 * cap / MIB  # the cap, and a copy of it: not 100 MB


def test_every_hostile_source_fails_alone_and_the_good_one_is_collected(
    tmp_path: Path, site: Site
) -> None:
    """One cycle, nine hostile sources and a good one: the good one's articles are stored,
    each hostile one gets its own reason, and the cycle ends within its time limits."""
    flood = b"<p>word</p>" * 30_000
    with Origin() as origin:
        big_page = origin.script("/big-page", Reply(200, b"<html><body>" + flood))
        hostile = {
            "laughs": Reply(200, rss_with("&l9;", LAUGHS).encode()),
            "bomb": Reply(200, gzip.compress(b" " * (4 * MIB)), {"Content-Encoding": "gzip"}),
            "endless": Reply(200, endless=True),
            "trickle": Reply(200, endless=True, drip=0.05),
            "stalled": Reply(200, delay=30),
            "loop": Reply(302, headers={"Location": "/loop"}),
            "file": Reply(302, headers={"Location": "file:///etc/passwd"}),
            "javascript": Reply(302, headers={"Location": "javascript:alert(1)"}),
            "latin1": Reply(
                200,
                rss_with("Café talks").replace("https://x.example/a", big_page).encode("cp1252"),
                {"Content-Type": "application/rss+xml; charset=utf-8"},
            ),
        }
        sources = [{"id": "good", "name": "Good", "url": site.url("feed.xml")}] + [
            {"id": name, "name": name, "url": origin.script(f"/{name}", reply)}
            for name, reply in hostile.items()
        ]
        data = yaml.safe_load(REPO_CONFIG.read_text())
        data["sources"] = sources
        config = parse_config(yaml.safe_dump(data))
        engine = storage.open_database(f"sqlite:///{tmp_path / 'cw.db'}")
        limits = Limits(max_bytes=MIB, read_timeout=1, total_timeout=2, retries=0)
        collected = within(60, lambda: asyncio.run(collect(engine, config, now=NOW, limits=limits)))
        within(60, lambda: extract_in_process(engine, collected, NOW))
    report = {s.source: s for s in collected.sources}
    assert (report["good"].status, report["good"].new) == ("new", 4)
    assert report["laughs"].status == "new" and report["laughs"].problem
    assert report["latin1"].status == "new" and report["latin1"].from_feed == 1
    errors = {name: report[name].error for name in hostile if report[name].status == "failed"}
    assert errors == {
        "bomb": "response larger than 1 MB",
        "endless": "response larger than 1 MB",
        "trickle": "timed out after 2 s",
        "stalled": "timed out (ReadTimeout)",
        "loop": f"redirect loop at {origin.url('/loop')}",
        "file": "redirected to a URL that is not http or https",
        "javascript": "redirected to an invalid URL",  # httpx refuses it before we can look
    }
    with Session(engine) as session:
        stored = {(a.source_id, a.title) for a in session.exec(select(storage.Article))}
    assert ("latin1", "Café talks") in stored  # the mislabelled feed still reads right
    assert len([s for s in stored if s[0] == "good"]) == 4
