"""What a cycle found, as plain data, and how it reads in the Prefect UI and the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from alerts import DeliveryReport
from storage import BoardRow, HealthChange


@dataclass(frozen=True)
class SourceReport:
    source: str
    status: str  # "new", "unchanged", "failed", or "waiting" (not due this cycle)
    http_status: int | None = None
    entries: int = 0
    new: int = 0
    from_feed: int = 0  # new articles whose page was not had, kept from the feed's own text
    error: str | None = None
    problem: str | None = None
    next_poll: datetime | None = None
    errors: int = 0  # consecutive failed polls

    @property
    def quiet(self) -> bool:
        """Nothing to say: not modified, or not due after good polls, or no new entry."""
        if self.status == "waiting":
            return not self.errors
        return self.status == "unchanged" or (
            self.status == "new" and not (self.new or self.from_feed or self.problem)
        )

    def line(self) -> str:
        if self.status == "failed":
            return f"source {self.source}: FAILED — {self.error}"
        if self.status == "waiting":
            when = f"{self.next_poll:%Y-%m-%d %H:%M} UTC" if self.next_poll else "later"
            polls = "poll" if self.errors == 1 else "polls"
            why = f" (backing off after {self.errors} failed {polls}: {self.error})"
            why = why if self.errors else ""
            return f"source {self.source}: not due until {when}{why}"
        if self.status == "unchanged":
            return f"source {self.source}: not modified (304)"
        extra = f", {self.from_feed} from feed text" if self.from_feed else ""
        warn = f" (feed problem: {self.problem})" if self.problem else ""
        return f"source {self.source}: {self.entries} entries, {self.new} new{extra}{warn}"


@dataclass(frozen=True)
class TransitionReport:
    channel: str
    from_state: str
    to_state: str
    since: str | None
    sentence: str
    url: str
    alerted: bool = True  # not for a baseline run, nor for a history article
    status: str = "confirmed"  # provisional, confirmed, or unstable (a quick reversal)

    def line(self) -> str:
        since = f" since {self.since}" if self.since else ""
        status = "" if self.status == "confirmed" else f" ({self.status})"
        return f"{self.channel}: {self.from_state} -> {self.to_state}{since}{status} — “{self.sentence}” {self.url}"


@dataclass
class CycleReport:
    sources: list[SourceReport] = field(default_factory=list)
    articles: int = 0
    events: list[dict[str, object]] = field(default_factory=list)
    transitions: list[TransitionReport] = field(default_factory=list)
    deliveries: list[DeliveryReport] = field(default_factory=list)
    health: list[HealthChange] = field(default_factory=list)
    given_up: list[DeliveryReport] = field(default_factory=list)  # every try failed: still told
    routes_off: list[str] = field(default_factory=list)  # why each inactive route is off
    atom_error: str | None = None  # the Atom file of alerts could not be written

    @property
    def every_source_failing(self) -> bool:
        """No source is healthy: each failed this cycle or is backing off after failing.
        Sources that are merely not due after good polls make a quiet cycle, not a failed one."""
        return bool(self.sources) and all(
            s.status == "failed" or (s.status == "waiting" and s.errors) for s in self.sources
        )

    def summary(self) -> str:
        polled = [s for s in self.sources if s.status != "waiting"]
        failed = sum(s.status == "failed" for s in polled)
        waiting = len(self.sources) - len(polled)
        sent = sum(d.delivered for d in self.deliveries)
        return (
            f"{len(polled) - failed}/{len(polled)} sources polled ok"
            + (f" ({waiting} not due)" if waiting else "")
            + f", {self.articles} new articles, "
            f"{len(self.events)} events, {len(self.transitions)} state changes, "
            f"{sent}/{len(self.deliveries)} alert messages delivered"
        )

    def run_tags(self, limit: int) -> list[str]:
        """The flow run's tags by source, at most `limit` of them: `failed:<id>` for each
        source that failed, then `source:<id>` for each that brought new articles. A
        kind that doesn't fit is one tag, `failed:many` or `source:many`; the
        cycle-sources artifact still names every source."""
        failed = sorted(s.source for s in self.sources if s.status == "failed")
        news = sorted(s.source for s in self.sources if s.status == "new" and s.new)
        tags = _tags_or_many("failed", failed, limit - 1)  # leaves room for `source:many`
        return tags + _tags_or_many("source", news, limit - len(tags))

    def source_rows(self) -> list[dict[str, object]]:
        return [
            {
                "source": s.source,
                "status": s.status,
                "http": s.http_status,
                "entries": s.entries,
                "new": s.new,
                "next poll": f"{s.next_poll:%Y-%m-%d %H:%M}" if s.next_poll else "",
                "error": s.error or s.problem or "",
            }
            for s in self.sources
        ]

    def event_rows(self) -> list[dict[str, object]]:
        """Each event with its evidence: the sentence and the article it is in."""
        keys = ("channel", "event", "occurred", "confidence", "sentence", "article")
        return [{key: event.get(key) for key in keys} for event in self.events]


def _tags_or_many(kind: str, sources: list[str], room: int) -> list[str]:
    if not sources:
        return []
    return [f"{kind}:{source}" for source in sources] if len(sources) <= room else [f"{kind}:many"]


def board_markdown(board: list[BoardRow], names: dict[str, str]) -> str:
    lines = [
        "# Channel board",
        "",
        "| channel | state | since | last evidence |",
        "|---|---|---|---|",
    ]
    for row in board:
        evidence = ""
        if row.event and row.article:
            sentence = row.event.sentence.replace("|", "\\|").replace("\n", " ")
            evidence = f"“{sentence}” ([{row.article.title or 'article'}]({row.article.url}))"
        lines.append(
            f"| {names.get(row.channel, row.channel)} | **{row.state}** | {row.since or ''} | {evidence} |"
        )
    return "\n".join(lines)
