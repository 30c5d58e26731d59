"""Which entry is which: a stable key per entry, and recognising an article we already have.

A feed's guid is the best identity, but publishers leave guids blank, repeat one guid
on every item, or change guid and URL when they edit a headline. So:

- **Keys.** An entry's key is its guid, else (a blank guid) its canonical link. When more
  than 5% of a feed's guids repeat, its guids identify nothing and the whole feed is
  keyed by link instead (after FreshRSS), or by a digest of link, title and date when
  the links repeat too. A key that still repeats is made unique with the entry's
  digest; an exact repeat of an item is dropped.
- **Known articles.** An entry is an article we already have when its key or its
  canonical link matches a stored one of the same source. Failing that, a bounded fuzzy
  match: a stored article whose key has vanished from the feed, published within a day
  of the entry, with a near-equal title holding the same numbers, is the same article
  re-titled or re-keyed.
  Only vanished articles qualify, so two genuinely different items with similar titles
  that both remain in the feed are never merged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track clicks and never identify an article.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ref|cmpid|_hsenc|_hsmi|mkt_tok|at_\w+)$",
    re.I,
)
MAX_BAD_KEYS = 0.05  # share of blank or repeated guids beyond which a feed is keyed by link
SAME_DAY = timedelta(days=1)  # how far apart two dates of one article may be
SAME_TITLE = 0.8  # difflib ratio of normalised titles that counts as the same headline


def canonical_link(link: str) -> str:
    """The link without tracking parameters or fragment, so re-shared links match."""
    parts = urlsplit(link.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def digest(link: str, title: str, published: datetime | None) -> str:
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{link}\n{title}\n{stamp}".encode()).hexdigest()


def entry_keys(
    guids: Sequence[str], links: Sequence[str], digests: Sequence[str]
) -> list[str | None]:
    """One key per entry, unique within the feed; None for an exact repeat of an earlier one."""
    level = guids if _usable(guids) else links if _usable(links) else digests
    keys: list[str | None] = []
    seen: set[str] = set()
    items: set[tuple[str, str]] = set()
    for key, link, fallback in zip(level, links, digests, strict=True):
        key = key or link or fallback
        if (key, fallback) in items:
            keys.append(None)  # the same item twice
            continue
        items.add((key, fallback))
        if key in seen:
            key = f"{key}#{fallback}"  # a repeated guid or link: tell the items apart
        seen.add(key)
        keys.append(key)
    return keys


def _usable(keys: Sequence[str]) -> bool:
    """At most 5% of the keys repeat an earlier one (a blank key falls back on its own)."""
    present = [k for k in keys if k]
    return len(present) - len(set(present)) <= MAX_BAD_KEYS * len(keys)


class Identified(Protocol):
    """What identity needs of an entry, fresh (feeds.Entry) or stored."""

    @property
    def key(self) -> str: ...
    @property
    def link(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> datetime | None: ...


Stored = TypeVar("Stored", bound=Identified)


def match_window(entries: Iterable[Identified]) -> tuple[datetime, datetime] | None:
    """The publication dates a stored article needs to be a fuzzy match for one of these."""
    dates = [e.published for e in entries if e.published is not None]
    return (min(dates) - SAME_DAY, max(dates) + SAME_DAY) if dates else None


def match_known(entries: Sequence[Identified], stored: Iterable[Stored]) -> list[Stored | None]:
    """For each entry, the stored article it is, or None for a new article.

    Keys are matched first, then links, then titles and dates, and each stored article
    is claimed by one entry at most.
    """
    pool = list(stored)
    by_key = {k.key: k for k in pool}
    by_link = {k.link: k for k in pool if k.link}
    matches: list[Stored | None] = [by_key.get(e.key) for e in entries]
    claimed = {k.key for k in matches if k is not None}
    for i, entry in enumerate(entries):
        known = by_link.get(entry.link) if entry.link else None
        if matches[i] is None and known is not None and known.key not in claimed:
            matches[i] = known
            claimed.add(known.key)
    present = {e.key for e in entries}
    for i, entry in enumerate(entries):
        if matches[i] is None:
            vanished = [k for k in pool if k.key not in present and k.key not in claimed]
            known = _fuzzy(entry, vanished)
            if known is not None:
                matches[i] = known
                claimed.add(known.key)
    return matches


def _fuzzy(entry: Identified, vanished: Sequence[Stored]) -> Stored | None:
    if entry.published is None or not entry.title:
        return None
    title = _normal(entry.title)
    best, best_ratio = None, SAME_TITLE
    for known in vanished:
        if known.published is None or abs(known.published - entry.published) > SAME_DAY:
            continue
        other = _normal(known.title)
        if _numbers(title) != _numbers(other):
            continue  # "Report 21" is not "Report 1" re-titled: a busy feed's next item
        matcher = SequenceMatcher(None, title, other)
        if matcher.quick_ratio() >= best_ratio and (ratio := matcher.ratio()) >= best_ratio:
            best, best_ratio = known, ratio
    return best


def _normal(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def _numbers(title: str) -> list[str]:
    return re.findall(r"\d+", title)
