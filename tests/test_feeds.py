"""Polling and extraction against a real local HTTP server, and golden feed fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from feeds import Validators, canonical_link, fetch_article, make_client, parse_feed, poll_feed
from feeds.feed import Entry
from tests.servers import DATA, Site, free_port


@pytest.mark.parametrize("name", ["rss20", "atom", "rss10"])
def test_golden_feeds_parse_to_their_expected_entries(name: str) -> None:
    body = (DATA / "feeds" / f"{name}.xml").read_bytes()
    entries, problem = parse_feed(body, {"content-type": "application/xml"}, "https://example.org/")
    expected = json.loads((DATA / "feeds" / f"{name}.expected.json").read_text())
    got = [
        {
            "key": e.key,
            "link": e.link,
            "title": e.title,
            "published": e.published.isoformat() if e.published else None,
            "author": e.author,
            "has_full_text": len(e.content.split()) >= 100,
        }
        for e in entries
    ]
    assert problem is None
    assert got == expected


def test_entry_without_guid_is_keyed_by_its_link_without_tracking() -> None:
    entries, _ = parse_feed((DATA / "feeds" / "rss20.xml").read_bytes(), {}, "https://example.org/")
    assert "https://example.org/posts/data-portal" in {e.key for e in entries}
    assert (
        canonical_link("HTTPS://Example.org/a?id=7&utm_source=rss&fbclid=x#top")
        == "https://example.org/a?id=7"
    )


def test_conditional_get_stores_validators_and_gets_304(site: Site) -> None:
    with make_client() as client:
        first = poll_feed(client, site.url("feed.xml"), Validators())
        assert first.status == 200 and len(first.entries) == 4
        assert first.validators.etag and first.validators.etag.startswith('"')  # kept verbatim
        second = poll_feed(client, site.url("feed.xml"), first.validators)
    assert second.not_modified and second.entries == [] and second.error is None
    assert second.validators == first.validators
    assert site.hits_for("/feed.xml")[1].headers["If-None-Match"] == first.validators.etag
    assert "channelwatch" in site.hits_for("/feed.xml")[0].headers["User-Agent"]


def test_unreachable_feed_is_one_line_not_an_exception() -> None:
    url = f"http://127.0.0.1:{free_port()}/feed.xml"  # nothing listens there
    with make_client() as client:
        poll = poll_feed(client, url, Validators(etag='"abc"'))
    assert poll.error is not None and "cannot connect to 127.0.0.1" in poll.error
    assert "\n" not in poll.error
    assert poll.validators.etag == '"abc"'  # a failure keeps what we knew


def test_http_errors_and_non_feeds_are_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<html><body>Sorry, our site is down</body></html")
    with Site(tmp_path) as site, make_client() as client:
        missing = poll_feed(client, site.url("missing.xml"), Validators())
        broken = poll_feed(client, site.url("broken.xml"), Validators())
    assert missing.error == "HTTP 404 Not Found"
    assert broken.error and broken.error.startswith("not a readable feed")


def test_malformed_feed_still_yields_what_can_be_read(tmp_path: Path) -> None:
    good = (DATA / "feeds" / "rss20.xml").read_text()
    (tmp_path / "feed.xml").write_text(
        good.replace("</channel>", "<item><title>cut off & broken</title></channel>")
    )
    with Site(tmp_path) as site, make_client() as client:
        poll = poll_feed(client, site.url("feed.xml"), Validators())
    assert poll.error is None
    assert len(poll.entries) >= 3
    assert poll.problem  # recorded, not swallowed


def test_article_page_is_extracted_and_a_dead_page_falls_back_to_the_feed(site: Site) -> None:
    with make_client() as client:
        poll = poll_feed(client, site.url("feed.xml"), Validators())
        entry = next(e for e in poll.entries if e.link.endswith("military-channels-restored"))
        article = fetch_article(client, entry)
        dead = Entry(
            "k", site.url("analysis/gone"), "Gone", None, None, "<p>The feed's own summary.</p>", ""
        )
        fallback = fetch_article(client, dead)
    assert article.origin == "page"
    assert "Gen. Charles Q. Brown Jr. held a video call" in article.text
    assert "Newsletter" not in article.text and "cookie" not in article.text.lower()
    assert fallback.origin == "feed" and fallback.text == "The feed's own summary."
    assert fallback.problem == "HTTP 404 Not Found"


def test_client_injection_with_a_mock_transport() -> None:
    """Redirect loops end with a reason rather than an exception."""

    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": str(request.url)})

    with make_client(transport=httpx.MockTransport(loop)) as client:
        poll = poll_feed(client, "https://example.org/feed", Validators())
    assert poll.error == "more than 5 redirects"
