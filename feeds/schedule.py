"""When to poll a source next, and which entries are news: pure arithmetic on times.

- After a poll that worked, the next one waits for the later of the source's interval,
  the feed's `<ttl>`, the response's Cache-Control max-age and any Retry-After. Hints
  from the publisher are capped at a day, so a typo in a feed can't silence it for a year.
- After a poll that failed, it also waits out an exponential backoff with jitter (so
  feeds that failed together don't all come back in the same cycle), capped at twelve
  hours: a failing source is never abandoned, and its first success resets the count.
- A source is due when its time has come, give or take a minute: each poll is scheduled
  from the start of its cycle, so the next cycle finds it due even if it starts a little
  early.
- An article page that failed for a reason that may pass is tried again a few times,
  further apart each time.
- An entry first seen now but published well before the source's previous poll is
  history, not news: a feed that back-fills or re-keys old items must not re-alert them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

MAX_HINT = timedelta(days=1)
BACKOFF_BASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=12)
DUE_SLACK = timedelta(minutes=1)
PAGE_RETRY = timedelta(minutes=15)  # then an hour, then four: pages down for an afternoon
PAGE_ATTEMPTS = 4
# Feeds lag behind their own dates (a CMS stamps the draft, a page is dated at midnight),
# so "older than the last poll" means older by more than this.
FEED_LAG = timedelta(days=2)


def is_due(next_poll_at: datetime | None, now: datetime) -> bool:
    return next_poll_at is None or next_poll_at <= now + DUE_SLACK


def next_poll_at(
    now: datetime,
    *,
    interval: timedelta,
    hints: Iterable[timedelta | None] = (),
    errors: int = 0,
    jitter: float = 0.5,
) -> datetime:
    """When to poll again; `errors` counts consecutive failures, `jitter` is in [0, 1)."""
    wait = max([interval, *(min(hint, MAX_HINT) for hint in hints if hint)])
    if errors:
        wait = max(wait, backoff(errors, interval, jitter))
    return now + wait


def backoff(errors: int, interval: timedelta, jitter: float) -> timedelta:
    """Doubling waits after consecutive failures, half fixed and half random ("equal jitter")."""
    full = min(max(interval, BACKOFF_BASE) * 2 ** min(errors - 1, 16), MAX_BACKOFF)
    return full * (0.5 + jitter / 2)


def page_retry_at(now: datetime, attempts: int) -> datetime | None:
    """When to fetch a failed page again after `attempts` tries; None: keep the feed's text."""
    return now + PAGE_RETRY * 4 ** (attempts - 1) if attempts < PAGE_ATTEMPTS else None


def news_cutoff(last_poll: datetime | None) -> datetime | None:
    """Entries published before this are history; None when everything new is news."""
    return last_poll - FEED_LAG if last_poll else None
