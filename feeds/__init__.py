"""Polling feeds and fetching their articles: network in, plain data out."""

from feeds.article import Article, extract, fetch_article
from feeds.feed import Entry, FeedPoll, Validators, canonical_link, parse_feed, poll_feed
from feeds.http import Fetched, get, make_client

__all__ = [
    "Article",
    "Entry",
    "FeedPoll",
    "Fetched",
    "Validators",
    "canonical_link",
    "extract",
    "fetch_article",
    "get",
    "make_client",
    "parse_feed",
    "poll_feed",
]
