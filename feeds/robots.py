"""robots.txt, fetched once per host per cycle and consulted before every article page.

Feeds themselves are not checked: the operator subscribed to them, as a reader does.
As RFC 9309 says, a robots.txt that does not exist (a 4xx) allows everything, and one
that cannot be had (a 5xx, a network failure) allows nothing for now: the page waits
for a later cycle.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from feeds.http import Poller

AGENT = "channelwatch"  # the product token robots.txt rules name us by


class Robots:
    """The robots.txt rules of every host a cycle visits, each fetched at most once."""

    def __init__(self, poller: Poller) -> None:
        self._poller = poller
        self._rules: dict[str, asyncio.Task[RobotFileParser | str]] = {}

    async def refusal(self, url: str) -> tuple[str, bool] | None:
        """Why we may not fetch `url`, and whether asking again later may help; None if we may."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:  # concurrent callers share one fetch
            self._rules[origin] = asyncio.ensure_future(self._load(origin))
        rules = await self._rules[origin]
        if isinstance(rules, str):
            return f"robots.txt of {parts.hostname} unavailable ({rules})", True
        if not rules.can_fetch(AGENT, url):
            return "robots.txt disallows the page", False
        return None

    async def _load(self, origin: str) -> RobotFileParser | str:
        fetched = await self._poller.get(f"{origin}/robots.txt")
        rules = RobotFileParser()
        if fetched.ok:
            rules.parse(fetched.body.decode("utf-8", "replace").splitlines())
        elif fetched.status is not None and 400 <= fetched.status < 500 and fetched.status != 429:
            rules.allow_all = True
        else:
            return fetched.error or "no answer"
        return rules
