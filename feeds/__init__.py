"""Polling feeds and fetching their articles: network in, plain data out."""

from feeds.article import (
    Download,
    Page,
    download_page,
    extract,
    feed_html,
    feed_text,
    fetch_page,
    has_full_text,
    html_to_text,
    read_page,
)
from feeds.feed import Entry, FeedPoll, ParsedFeed, Validators, parse_feed, poll_feed, poll_feeds
from feeds.http import Fetched, Limits, Poller, fan_out, make_client, user_agent
from feeds.identity import canonical_link, match_known, match_window
from feeds.robots import Robots
from feeds.schedule import is_due, news_cutoff, next_poll_at, page_retry_at

__all__ = [
    "Download",
    "Entry",
    "FeedPoll",
    "Fetched",
    "Limits",
    "Page",
    "ParsedFeed",
    "Poller",
    "Robots",
    "Validators",
    "canonical_link",
    "download_page",
    "extract",
    "fan_out",
    "feed_html",
    "feed_text",
    "fetch_page",
    "has_full_text",
    "html_to_text",
    "is_due",
    "make_client",
    "match_known",
    "match_window",
    "news_cutoff",
    "next_poll_at",
    "page_retry_at",
    "parse_feed",
    "poll_feed",
    "poll_feeds",
    "read_page",
    "user_agent",
]
