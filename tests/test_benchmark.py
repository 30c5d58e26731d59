"""A tiny run of the polling benchmark, so benchmarks/poll_farm.py keeps working."""

from __future__ import annotations

import asyncio

from benchmarks.poll_farm import ENTRIES, Farm, poll_cycle
from feeds import Limits


def test_the_feed_farm_polls_and_the_unchanged_cycle_transfers_no_body() -> None:
    with Farm(feeds=20, hosts=4, latency=0.01) as farm:
        urls = farm.urls()
        assert {url.split("/")[2].split(":")[0] for url in urls} == {
            "127.0.0.2",
            "127.0.0.3",
            "127.0.0.4",
            "127.0.0.5",
        }
        first = asyncio.run(poll_cycle(urls, {}, Limits()))
        assert (first.errors, first.entries, farm.counters.full.value) == ([], 20 * ENTRIES, 20)
        farm.reset()
        second = asyncio.run(poll_cycle(urls, first.validators, Limits()))
        assert second.statuses == {304: 20} and second.entries == 0
        assert (farm.counters.full.value, farm.counters.body_bytes.value) == (0, 0)
