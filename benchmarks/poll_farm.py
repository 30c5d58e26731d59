"""Polling benchmark: a local farm of feeds, channelwatch's poller, and the usual baseline.

    .venv/bin/python benchmarks/poll_farm.py            # 1,000 feeds on 50 hosts
    .venv/bin/python benchmarks/poll_farm.py --feeds 200 --skip-baseline

The farm is one server process answering on loopback addresses 127.0.0.2 … 127.0.0.51
(all of 127.0.0.0/8 is loopback on Linux), each feed with 20 entries, an ETag and a
Last-Modified, gzip when asked, and 50 ms added to every response. It measures, in one
run:

- the first cycle: channelwatch's poller (feeds.poll_feeds) fetching and parsing every feed;
- a second cycle in which nothing changed: every answer should be a 304, with no body;
  (both `--rounds` times, 5 by default, and their medians: on a shared machine a burst
  of other work can double one 3 s cycle, while it averages out over the baseline's minute)
- the baseline: `feedparser.parse(url)` on each feed in turn, as most scripts poll;
- peak memory of a fresh process polling 100 and 1,000 feeds.

It binds only loopback addresses and stops by itself (the farm exits with this process
or after ten minutes, whichever comes first).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import feedparser  # noqa: E402

from feeds import FeedPoll, Limits, Poller, Validators, poll_feeds  # noqa: E402

HOSTS = [f"127.0.0.{i}" for i in range(2, 52)]
ENTRIES = 20
LATENCY = 0.05
LIFETIME = 600  # seconds: the farm never outlives a forgotten run by long


# --- the farm ---------------------------------------------------------------------------


ARTICLE = (
    "<p>Officials from Washington and Beijing met in Vienna this week for talks that both "
    "sides described as candid. The agenda covered climate change, counternarcotics "
    "cooperation and the military-to-military communications that matter most in a crisis. "
    "Analysts urged both governments to restore the channels that were cut in 2022.</p>"
) * 4
SUSPENSION = "<p>On Friday, China suspended its climate talks with the United States.</p>"


def feed_xml(number: int, base: str, full_text: bool = False) -> bytes:
    """A realistic think-tank RSS 2.0 feed: 20 items with guid, date, author and summary,
    and with `full_text` each item's article in content:encoded (one in ten reporting
    a suspension), so a whole cycle runs without fetching pages."""
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=number)

    def content(j: int) -> str:
        if not full_text:
            return ""
        news = SUSPENSION if (number + j) % 10 == 0 else ""
        return f"<content:encoded><![CDATA[{ARTICLE}{news}]]></content:encoded>"

    items = "".join(
        f"""
    <item>
      <title>US-China dialogue, part {j}: what feed {number} says about the talks</title>
      <link>{base}/analysis/{number}-{j}?utm_source=rss</link>
      <guid isPermaLink="false">farm-{number}-{j}</guid>
      <pubDate>{format_datetime(start - timedelta(days=j), usegmt=True)}</pubDate>
      <dc:creator>Analyst {j}</dc:creator>
      <category>Analysis</category>{content(j)}
      <description>&lt;p&gt;Officials from both governments met this week to discuss climate,
      counternarcotics and military communications. &lt;a href="/analysis/{number}-{j}"&gt;Read
      more&lt;/a&gt;.&lt;/p&gt;</description>
    </item>"""
        for j in range(ENTRIES)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Farm feed {number}</title>
    <link>{base}/</link>
    <description>Benchmark feed {number}</description>
    <language>en-us</language>{items}
  </channel>
</rss>""".encode()


def feed_host(number: int, hosts: int) -> str:
    return HOSTS[number % hosts]


def run_farm(
    feeds: int,
    hosts: int,
    latency: float,
    ports: multiprocessing.Queue,
    counters: object,
    full_text: bool = False,
) -> None:
    """The farm's process: one asyncio server per loopback host, until the parent goes."""
    parent = os.getppid()
    bodies: dict[int, tuple[bytes, bytes]] = {}
    modified = format_datetime(datetime(2024, 1, 2, tzinfo=UTC), usegmt=True)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: one request after another on the same connection
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                path = head[0].split(" ")[1]
                headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:])}
                number = int(path.rsplit("/", 1)[-1].removesuffix(".xml"))
                raw, packed = bodies[number]
                etag = f'"farm-{number}-v1"'
                await asyncio.sleep(latency)
                if headers.get("if-none-match") == etag:
                    counters.not_modified.value += 1  # type: ignore[attr-defined]
                    status, extra, body = "304 Not Modified", "", b""
                else:
                    zipped = "gzip" in headers.get("accept-encoding", "")
                    body = packed if zipped else raw
                    extra = "Content-Encoding: gzip\r\n" if zipped else ""
                    counters.full.value += 1  # type: ignore[attr-defined]
                    counters.body_bytes.value += len(body)  # type: ignore[attr-defined]
                    status = "200 OK"
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
                    f"ETag: {etag}\r\nLast-Modified: {modified}\r\n{extra}"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = []
        for host in HOSTS[:hosts]:
            server = await asyncio.start_server(handle, host, 0, backlog=1024)
            servers.append(server)
            ports.put((host, server.sockets[0].getsockname()[1]))
        for number in range(feeds):
            host = feed_host(number, hosts)
            raw = feed_xml(number, f"http://{host}", full_text)
            bodies[number] = (raw, gzip.compress(raw, 6))
        ports.put(None)  # ready
        deadline = time.monotonic() + LIFETIME
        while os.getppid() == parent and time.monotonic() < deadline:
            await asyncio.sleep(0.5)

    asyncio.run(main())


@dataclass
class Farm:
    feeds: int
    hosts: int = len(HOSTS)
    latency: float = LATENCY
    full_text: bool = False

    def __enter__(self) -> Farm:
        context = multiprocessing.get_context("spawn")
        self.counters = argparse.Namespace(
            full=context.Value("l", 0, lock=False),
            not_modified=context.Value("l", 0, lock=False),
            body_bytes=context.Value("q", 0, lock=False),
        )
        ports = context.Queue()
        self.process = context.Process(
            target=run_farm,
            args=(self.feeds, self.hosts, self.latency, ports, self.counters, self.full_text),
            daemon=True,
        )
        self.process.start()
        self.ports = dict(iter(lambda: ports.get(timeout=120), None))
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join(10)

    def urls(self) -> list[str]:
        return [
            f"http://{(host := feed_host(n, self.hosts))}:{self.ports[host]}/feeds/{n}.xml"
            for n in range(self.feeds)
        ]

    def reset(self) -> None:
        for counter in vars(self.counters).values():
            counter.value = 0


# --- the measurements ------------------------------------------------------------------------


@dataclass
class Cycle:
    seconds: float
    cpu: float  # of this process: the part a busy machine can't stretch
    entries: int
    statuses: dict[int | None, int]
    validators: dict[str, Validators]
    errors: list[str]


async def poll_cycle(urls: list[str], validators: dict[str, Validators], limits: Limits) -> Cycle:
    """One cycle of channelwatch's polling; results are counted and dropped, as the flow does."""
    entries, statuses, errors, seen = 0, {}, [], {}

    def handle(url: str, poll: FeedPoll) -> None:
        nonlocal entries
        entries += len(poll.entries)
        statuses[poll.status] = statuses.get(poll.status, 0) + 1
        if poll.error:
            errors.append(f"{url}: {poll.error}")
        seen[url] = poll.validators

    start, cpu = time.perf_counter(), time.process_time()
    async with Poller(limits, contact="bench@example.org") as poller:
        await poll_feeds(poller, ((u, u, validators.get(u, Validators())) for u in urls), handle)
    wall = time.perf_counter() - start
    return Cycle(wall, time.process_time() - cpu, entries, statuses, seen, errors)


def baseline(urls: list[str]) -> tuple[float, int]:
    """`feedparser.parse(url)` on each feed in turn."""
    start = time.perf_counter()
    entries = sum(len(feedparser.parse(url).entries) for url in urls)
    return time.perf_counter() - start, entries


def peak_memory(feeds: int) -> tuple[float, float]:
    """(MB after imports, peak MB) of a fresh process polling `feeds` feeds once."""
    result = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(feeds)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    before, peak = result.stdout.split()
    return float(before), float(peak)


def memory_child(feeds: int) -> None:
    with Farm(feeds) as farm:
        urls = farm.urls()
        before = _rss_mb()
        asyncio.run(poll_cycle(urls, {}, Limits()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{before:.1f} {peak:.1f}")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=len(HOSTS))
    parser.add_argument("--rounds", type=int, default=5, help="first and second cycles, each")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child)
        return 0

    limits = Limits()
    print(
        f"farm: {args.feeds} feeds x {ENTRIES} entries on {args.hosts} loopback hosts, "
        f"+{LATENCY * 1000:.0f} ms per response; poller: {limits.connections} connections, "
        f"{limits.per_host} per host; {os.cpu_count()} CPUs"
    )
    firsts, unchanged, errors = [], [], []
    with Farm(args.feeds, args.hosts) as farm:
        urls = farm.urls()
        for _ in range(args.rounds):  # a shared machine's bursts hit a 3 s cycle hard
            farm.reset()
            first = asyncio.run(poll_cycle(urls, {}, limits))
            full, bytes_first = farm.counters.full.value, farm.counters.body_bytes.value
            farm.reset()
            second = asyncio.run(poll_cycle(urls, first.validators, limits))
            not_modified = farm.counters.not_modified.value
            body_second = farm.counters.body_bytes.value + farm.counters.full.value
            firsts.append(first.seconds)
            unchanged.append(second.seconds)
            errors += first.errors + second.errors
            print(
                f"first cycle:   {first.seconds:6.2f} s ({first.cpu:.2f} s CPU)  {first.entries} entries, "
                f"{full} full responses, {bytes_first / 1e6:.1f} MB, {len(first.errors)} errors"
            )
            print(
                f"second cycle:  {second.seconds:6.2f} s ({second.cpu:.2f} s CPU)  {not_modified}/{args.feeds} answered "
                f"304, {body_second} feed bodies sent, {second.entries} entries parsed"
            )
        farm.reset()
        base = baseline(urls) if not args.skip_baseline else None

    first_median, second_median = statistics.median(firsts), statistics.median(unchanged)
    print(
        f"median of {args.rounds}: first cycle {first_median:.2f} s, "
        f"unchanged cycle {second_median:.2f} s"
    )
    for error in errors[:5]:
        print("  error:", error)
    if base is not None:
        seconds, entries = base
        print(
            f"baseline:      {seconds:6.2f} s  {entries} entries (feedparser.parse(url), serially)"
        )
        print(
            f"speed-up:      first cycle {seconds / first_median:.1f}x, "
            f"unchanged cycle {seconds / second_median:.1f}x (medians)"
        )
    if not args.skip_memory:
        for feeds in (100, 1000):
            before, peak = peak_memory(feeds)
            print(
                f"memory:        {feeds:5d} feeds: peak RSS {peak:.0f} MB ({peak - before:+.0f} MB while polling)"
            )
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
