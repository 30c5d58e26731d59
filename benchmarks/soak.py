"""Soak: many cycles over a changing local feed farm, with time compressed.

    .venv/bin/python benchmarks/soak.py                      # 48 cycles, 4 sources
    .venv/bin/python benchmarks/soak.py --cycles 480 --sources 8      # `make soak`

Each cycle is what `monitor_cycle` composes — collect, detect, deliver — called as plain
functions (48 flow runs would spend most of their time on Prefect's API, which is not
what a soak looks at). The clock moves 30 minutes a cycle. The farm, one in-process HTTP
server on loopback, changes under it:

- every source publishes one new article a cycle; every other one's page must be
  fetched (trafilatura), the others carry their full text in the feed;
- the articles report climate, counternarcotics and military talks suspended and
  resumed in turn, so alerts flow to the farm's Slack-style webhook;
- one source in four answers 503 every fifth cycle (it backs off, then recovers), and
  the feeds keep only their latest 20 items, as real feeds do.

It reports, per cycle, the process's resident memory and the database's size, and the
growth of each per cycle over the second half of the run (after warm-up). Stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import yaml  # noqa: E402
from sqlalchemy import Engine  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

import storage  # noqa: E402
from alerts import Senders, plan_routes  # noqa: E402
from channelwatch.config import Config, parse_config  # noqa: E402
from channelwatch.settings import Settings  # noqa: E402
from feeds import Limits, make_client  # noqa: E402
from flows.collect import collect  # noqa: E402
from flows.extract import extract_in_process  # noqa: E402
from flows.monitor import deliver_alerts, detect_in_process, fold_readings  # noqa: E402

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
STEP = timedelta(minutes=30)
KEEP = 20  # items a feed shows
CHANNELS = [
    ("climate", "climate talks"),
    ("counternarcotics", "counternarcotics cooperation"),
    ("mil_mil", "military-to-military communications"),
]
FILLER = (
    "Analysts in Washington and Beijing have followed the relationship closely this year, "
    "weighing trade measures, export controls and the outlook for regional security. "
)


def report_sentence(source: int, n: int) -> tuple[str, str, str]:
    """The n-th article of a source: which channel, which way, and the sentence saying so."""
    channel, words = CHANNELS[(source + n) % len(CHANNELS)]
    if (n // len(CHANNELS)) % 2 == 0:
        return channel, "suspended", f"China suspended its {words} with the United States."
    return channel, "resumed", f"The United States and China resumed their {words} this week."


def article_html(source: int, n: int) -> str:
    _, _, sentence = report_sentence(source, n)
    return f"<p>{FILLER * 3}</p><p>{sentence}</p><p>{FILLER * 2}</p>"


@dataclass
class Farm:
    """The feeds, pages and webhook of the soak, on one loopback server."""

    sources: int
    cycle: int = 0
    posts: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Farm:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def failing(self, source: int) -> bool:
        return source % 4 == 3 and self.cycle % 5 == 4

    def feed(self, source: int) -> bytes:
        newest = self.cycle
        items = []
        for n in range(newest, max(-1, newest - KEEP), -1):
            when = format_datetime(START + n * STEP, usegmt=True)
            full = source % 2 == 1  # every other source carries the article in its feed
            content = f"<content:encoded><![CDATA[{article_html(source, n)}]]></content:encoded>"
            items.append(
                f"<item><title>Report {n} from source {source}</title>"
                f"<link>{self.base}/s{source}/a{n}</link><guid>s{source}-{n}</guid>"
                f"<pubDate>{when}</pubDate><description>Report {n}.</description>"
                f"{content if full else ''}</item>"
            )
        return (
            '<?xml version="1.0"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Source {source}</title>{''.join(items)}</channel></rss>"
        ).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        farm = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = self.path.strip("/").split("/")
                if parts[-1] == "feed.xml" and not farm.failing(int(parts[0][1:])):
                    self._send(200, farm.feed(int(parts[0][1:])), "application/rss+xml")
                elif len(parts) == 2 and parts[1].startswith("a"):
                    body = f"<html><body><article><h1>Report</h1>{article_html(int(parts[0][1:]), int(parts[1][1:]))}</article></body></html>"
                    self._send(200, body.encode(), "text/html")
                elif parts[-1] == "feed.xml":
                    self._send(503, b"busy", "text/plain")
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                farm.posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self._send(200, b"ok", "text/plain")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@dataclass(frozen=True)
class CycleFigures:
    cycle: int
    rss_kib: int
    db_kib: int
    articles: int
    alerts_sent: int


@dataclass
class Soak:
    figures: list[CycleFigures]
    posts: int
    transitions: int

    def growth(self, attribute: str) -> float:
        """KiB per cycle over the second half (least squares), after warm-up."""
        half = self.figures[len(self.figures) // 2 :]
        xs = [f.cycle for f in half]
        ys = [getattr(f, attribute) for f in half]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = sum((x - mean_x) ** 2 for x in xs) or 1
        return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def used_kib(engine: Engine) -> int:
    """The database's pages in use: the file itself grows in steps and keeps freed pages."""
    with engine.connect() as db:
        pages, free, size = (
            db.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("page_count", "freelist_count", "page_size")
        )
    return (pages - free) * size // 1024


def configure(farm: Farm) -> Config:
    data = yaml.safe_load((Path(__file__).parents[1] / "sources.yaml").read_text())
    data["sources"] = [
        {"id": f"s{n}", "name": f"Source {n}", "url": f"{farm.base}/s{n}/feed.xml"}
        for n in range(farm.sources)
    ]
    # The settings' Slack route only. The farm flips each channel every few half-hours,
    # which would count as flapping (one "unstable" notice); the soak counts one alert
    # per change, so the flap window is off here (flapping has tests of its own).
    data["alerts"] = {"routes": [], "flap_days": 0}
    return parse_config(yaml.safe_dump(data))


def soak(cycles: int, sources: int, folder: Path) -> Soak:
    db_url = f"sqlite:///{folder / 'soak.db'}"
    figures = []
    with Farm(sources) as farm:
        config = configure(farm)
        settings = Settings(db_url=db_url, slack_webhook_url=f"{farm.base}/hook")
        routing = plan_routes(config, settings)
        engine = storage.open_database(db_url)
        limits = Limits(retry_delay=0.01, total_timeout=10)
        with make_client() as client:
            senders = Senders.from_settings(settings, client)
            for cycle in range(cycles):
                farm.cycle = cycle
                now = START + cycle * STEP + timedelta(minutes=1)
                routes = [r.name for r in routing.live]
                collected = asyncio.run(
                    collect(engine, config, now=now, routes=routes, limits=limits)
                )
                extract_in_process(engine, collected, now)
                readings = detect_in_process(engine, config)
                fold_readings.fn(engine, config, routing, readings, False)
                deliver_alerts.fn(engine, config, routing, senders)
                with Session(engine) as session:
                    articles = session.exec(select(func.count()).select_from(storage.Article)).one()
                    sent = session.exec(
                        select(func.count())
                        .select_from(storage.Alert)
                        .where(storage.Alert.status == "sent")
                    ).one()
                figures.append(CycleFigures(cycle, rss_kib(), used_kib(engine), articles, sent))
        with Session(engine) as session:
            transitions = session.exec(select(func.count()).select_from(storage.Transition)).one()
        engine.dispose()
        return Soak(figures, len(farm.posts), transitions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=48)
    parser.add_argument("--sources", type=int, default=4)
    args = parser.parse_args()
    with TemporaryDirectory() as folder:
        result = soak(args.cycles, args.sources, Path(folder))
    every = max(1, args.cycles // 12)
    print(f"{'cycle':>6} {'RSS MiB':>8} {'DB KiB':>7} {'articles':>8} {'alerts sent':>11}")
    for f in result.figures[::every] + result.figures[-1:]:
        print(
            f"{f.cycle:>6} {f.rss_kib / 1024:>8.1f} {f.db_kib:>7} {f.articles:>8} {f.alerts_sent:>11}"
        )
    last = result.figures[-1]
    print(
        f"\n{args.cycles} cycles, {args.sources} sources: {last.articles} articles, "
        f"{result.transitions} transitions, {last.alerts_sent} alerts sent, "
        f"{result.posts} received by the webhook"
    )
    print(
        f"growth per cycle over the second half: memory {result.growth('rss_kib'):+.1f} KiB, "
        f"database {result.growth('db_kib'):+.1f} KiB "
        f"({result.growth('db_kib') / max(1, args.sources):.1f} KiB per new article)"
    )


if __name__ == "__main__":
    main()
