"""Parsing feeds, entry identity, and article pages: golden fixtures and a real local server."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feeds import (
    Entry,
    Limits,
    Poller,
    Robots,
    Validators,
    canonical_link,
    feed_text,
    fetch_page,
    has_full_text,
    match_known,
    parse_feed,
    poll_feed,
)
from feeds.identity import digest, entry_keys
from storage import StoredEntry
from tests.servers import DATA, Origin, Reply, Site

RSS = "application/rss+xml"


def rss(*items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"<ttl>90</ttl>{''.join(items)}</channel></rss>"
    )


def item(
    title: str, link: str, guid: str | None = None, date: str = "Mon, 15 Jan 2024 09:00:00 GMT"
) -> str:
    guid_xml = f"<guid isPermaLink='false'>{guid}</guid>" if guid is not None else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>{guid_xml}<pubDate>{date}</pubDate></item>"
    )


@pytest.mark.parametrize("name", ["rss20", "atom", "rss10"])
def test_golden_feeds_parse_to_their_expected_entries(name: str) -> None:
    body = (DATA / "feeds" / f"{name}.xml").read_bytes()
    parsed = parse_feed(body, {"content-type": "application/xml"}, "https://example.org/")
    expected = json.loads((DATA / "feeds" / f"{name}.expected.json").read_text())
    got = [
        {
            "key": e.key,
            "link": e.link,
            "title": e.title,
            "published": e.published.isoformat() if e.published else None,
            "author": e.author,
            "has_full_text": has_full_text(e),
        }
        for e in parsed.entries
    ]
    assert parsed.problem is None
    assert got == expected


def test_entry_without_guid_is_keyed_by_its_link_without_tracking() -> None:
    parsed = parse_feed((DATA / "feeds" / "rss20.xml").read_bytes(), {}, "https://example.org/")
    assert "https://example.org/posts/data-portal" in {e.key for e in parsed.entries}
    assert (
        canonical_link("HTTPS://Example.org/a?id=7&utm_source=rss&fbclid=x#top")
        == "https://example.org/a?id=7"
    )


def test_relative_links_resolve_against_the_feed_and_ttl_is_read() -> None:
    parsed = parse_feed(
        rss(item("A", "/analysis/a?utm_medium=rss", "g1")).encode(),
        {},
        "https://think.example/feed/",
    )
    [entry] = parsed.entries
    assert entry.link == "https://think.example/analysis/a"
    assert parsed.ttl == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("body_encoding", "declared", "header"),
    [
        ("utf-8", "utf-8", "application/rss+xml; charset=iso-8859-1"),  # header lies
        ("cp1252", "utf-8", "application/rss+xml; charset=utf-8"),  # both lie
        ("utf-8", "iso-8859-1", "text/xml"),  # the XML declaration lies
        ("iso-8859-1", "iso-8859-1", "application/xml"),  # honest Latin-1
    ],
)
def test_mislabelled_encodings_still_read_right(
    body_encoding: str, declared: str, header: str
) -> None:
    title = "Café talks resume" if body_encoding == "iso-8859-1" else "Café “talks” resume"
    body = rss(item(title, "https://x.example/a", "g1"), encoding=declared).encode(body_encoding)
    parsed = parse_feed(body, {"Content-Type": header}, "https://x.example/feed")
    assert [e.title for e in parsed.entries] == [title]


def test_malformed_xml_yields_what_can_be_read_and_records_the_problem() -> None:
    body = rss(
        item("One", "https://x.example/1", "g1"), item("Two & broken", "https://x.example/2", "g2")
    )
    parsed = parse_feed(
        body.replace("</channel>", "<item><title>cut off").encode(), {}, "https://x.example/"
    )
    assert [e.title for e in parsed.entries][:1] == ["One"]
    assert parsed.problem


def test_blank_or_repeated_guids_fall_back_to_links() -> None:
    repeated = [item(f"Item {n}", f"https://x.example/{n}", "https://x.example/") for n in range(5)]
    parsed = parse_feed(rss(*repeated).encode(), {}, "https://x.example/feed")
    assert [e.key for e in parsed.entries] == [f"https://x.example/{n}" for n in range(5)]

    blank = [
        item(f"Item {n}", f"https://x.example/{n}", "" if n == 2 else f"g{n}") for n in range(4)
    ]
    parsed = parse_feed(rss(*blank).encode(), {}, "https://x.example/feed")
    assert [e.key for e in parsed.entries] == ["g0", "g1", "https://x.example/2", "g3"]


def test_a_rare_repeated_guid_is_told_apart_and_an_exact_repeat_dropped() -> None:
    guids = [f"g{n}" for n in range(40)] + ["g0"]
    links = [f"https://x.example/{n}" for n in range(40)] + ["https://x.example/other"]
    digests = [digest(link, "", None) for link in links]
    keys = entry_keys(guids, links, digests)
    assert keys[0] == "g0" and keys[-1] == f"g0#{digests[-1]}"
    exact = entry_keys([*guids[:40], "g0"], [*links[:40], links[0]], [*digests[:40], digests[0]])
    assert exact[:40] == guids[:40] and exact[-1] is None


def stored(key: str, link: str, title: str, day: int) -> StoredEntry:
    return StoredEntry(key, link, title, datetime(2024, 1, day, 9, tzinfo=UTC))


def entry(key: str, link: str, title: str, day: int) -> Entry:
    return Entry(key, link, title, datetime(2024, 1, day, 9, tzinfo=UTC), None, "", "")


def test_changed_guid_or_retitled_article_is_the_stored_one() -> None:
    known = [
        stored("g1", "https://x/talks-resume", "US and China resume climate talks", 15),
        stored("g2", "https://x/chips", "Export controls, phase two", 10),
        stored("g3", "https://x/old-slug", "Beijing suspends military talks after visit", 5),
    ]
    fresh = [
        entry("g1-v2", "https://x/talks-resume", "US, China resume climate talks", 15),  # new guid
        entry("g2", "https://x/chips-v2", "Export controls: phase two", 10),  # new link, same guid
        entry("g3-v2", "https://x/new-slug", "Beijing suspends military talks after the visit", 5),
        entry("g4", "https://x/new", "A genuinely new article", 16),
    ]
    assert match_known(fresh, known) == [known[0], known[1], known[2], None]


def test_a_busy_feeds_next_numbered_item_is_new_when_the_old_one_has_scrolled_off() -> None:
    """Found by the soak: a feed keeping 20 items, publishing hourly, "Report 21" arriving as
    "Report 1" left the feed was taken for "Report 1" re-titled, and never stored."""
    known = [stored("r1", "https://x/r1", "Daily report 1 on the talks", 15)]
    fresh = [entry("r21", "https://x/r21", "Daily report 21 on the talks", 15)]
    assert match_known(fresh, known) == [None]


def test_fuzzy_match_is_bounded_by_date_and_never_merges_items_still_in_the_feed() -> None:
    known = [stored("ep1", "https://x/ep1", "Dialogue podcast episode 1", 15)]
    # Near-equal title, but the stored item is still in the feed: two different items.
    both = [
        entry("ep1", "https://x/ep1", "Dialogue podcast episode 1", 15),
        entry("ep2", "https://x/ep2", "Dialogue podcast episode 2", 15),
    ]
    assert match_known(both, known) == [known[0], None]
    # Same title a week apart: a new article.
    later = [entry("ep1b", "https://x/ep1b", "Dialogue podcast episode 1", 22)]
    assert match_known(later, known) == [None]


def test_conditional_get_sends_validators_verbatim_and_a_304_costs_no_parsing(site: Site) -> None:
    async def twice() -> tuple:
        async with Poller(contact="desk@example.org") as poller:
            first = await poll_feed(poller, site.url("feed.xml"), Validators())
            second = await poll_feed(poller, site.url("feed.xml"), first.validators)
        return first, second

    first, second = asyncio.run(twice())
    assert first.status == 200 and len(first.entries) == 4
    assert first.validators.etag and first.validators.etag.startswith('"')  # kept verbatim
    assert first.ttl == timedelta(minutes=60)
    assert second.not_modified and second.entries == [] and second.error is None
    assert second.validators == first.validators
    [_, hit] = site.hits_for("/feed.xml")
    assert hit.headers["If-None-Match"] == first.validators.etag
    agent = hit.headers["User-Agent"]
    assert agent.startswith("channelwatch/") and "desk@example.org" in agent


def test_page_is_extracted_and_its_failures_say_whether_to_retry(
    site: Site, tmp_path: Path
) -> None:
    async def pages() -> list:
        with Origin() as origin:
            origin.script("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
            origin.script("/down", Reply(503, b"busy"))
            async with Poller(Limits(retries=0)) as poller:
                robots = Robots(poller)
                found = [
                    await fetch_page(
                        poller, Robots(poller), site.url("analysis/military-channels-restored")
                    ),
                    await fetch_page(poller, robots, origin.url("/private/memo")),
                    await fetch_page(poller, robots, origin.url("/down")),
                    await fetch_page(poller, robots, site.url("analysis/gone")),
                ]
            assert [h.path for h in origin.hits] == ["/robots.txt", "/down"]  # asked once, honoured
            return found

    page, private, down, gone = asyncio.run(pages())
    assert page.ok and "Gen. Charles Q. Brown Jr. held a video call" in page.text
    assert "Newsletter" not in page.text and "cookie" not in page.text.lower()
    assert page.published == datetime(2023, 12, 21, tzinfo=UTC)  # htmldate, from the page
    assert (private.problem, private.retry) == ("robots.txt disallows the page", False)
    assert (down.problem, down.retry) == ("HTTP 503 Service Unavailable", True)
    assert (gone.problem, gone.retry) == ("HTTP 404 Not Found", False)


def test_full_text_feeds_need_no_page_and_summaries_become_text() -> None:
    long = "<p>" + "The talks resumed after a long pause. " * 30 + "</p>"
    full = Entry("k", "https://x/a", "A", None, None, "<p>teaser</p>", long)
    teaser = Entry("k", "https://x/a", "A", None, None, "<p>The feed&#8217;s own summary.</p>", "")
    assert has_full_text(full) and not has_full_text(teaser)
    assert feed_text(teaser) == "The feed’s own summary."
