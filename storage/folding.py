"""Folding reported events into a channel's state: pure data in, data out.

A channel is `unknown` until the first report, then `active` or `suspended` *since* a
date. Reports are applied in time order (when the change happened, else when it was
published). A report dated before the current `since` is history: it is evidence of an
older change and never flips a newer state. Several reports about one channel in one
article fold into one net change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from matching.dates import period_start

Ref = TypeVar("Ref")

STATE_AFTER = {"suspended": "suspended", "resumed": "active"}


@dataclass(frozen=True)
class Report(Generic[Ref]):
    """One event as the fold sees it: what happened, when, and a handle to its evidence."""

    kind: str  # "suspended" or "resumed"
    when: str  # ISO date, possibly partial: "2022", "2022-08", "2022-08-05"
    evidence: Ref
    confidence: float = 0.0


@dataclass(frozen=True)
class Folded(Generic[Ref]):
    state: str
    since: str | None
    evidence: Ref | None
    previous: str  # the state before this fold

    @property
    def changed(self) -> bool:
        return self.state != self.previous


def fold(
    state: str, since: str | None, reports: list[Report[Ref]], evidence: Ref | None = None
) -> Folded[Ref]:
    """Apply `reports` (about one channel, from one article) to its current state."""
    current, current_since, current_evidence = state, since, evidence
    # In time order; of reports on the same day the surest, then the first told (the
    # lede states the news), comes first and so makes the change.
    ordered = sorted(
        enumerate(reports), key=lambda ir: (period_start(ir[1].when), -ir[1].confidence, ir[0])
    )
    flipped_here = False
    for _, report in ordered:
        if current_since is not None and period_start(report.when) < period_start(current_since):
            continue  # history: an older change than the one we already know
        after = STATE_AFTER[report.kind]
        if after != current:
            current, current_since, current_evidence, flipped_here = (
                after,
                report.when,
                report.evidence,
                True,
            )
        elif not flipped_here:
            # A newer report of the state an earlier article set refreshes the evidence;
            # within one article the sentence that made the change stays its evidence.
            current_evidence = report.evidence
    return Folded(current, current_since, current_evidence, state)


# --- what backs a change -------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """How reports become alerts: the confirmation rule, and the windows (in days of the
    events' own dates) for corroboration and for flapping. 0 switches a window off."""

    min_confidence: float = 0.85
    min_publishers: int = 2
    corroboration_days: int = 14
    flap_days: int = 7

    def status(self, surest: float, publishers: int) -> str:
        """Confirmed when one report is sure enough, or enough publishers report it."""
        sure = surest >= self.min_confidence or publishers >= self.min_publishers
        return "confirmed" if sure else "provisional"

    def flapping(self, before: str | None, after: str | None) -> bool:
        """A reversal within the flap window; only dates known to the day can tell
        (a change "in 2022" and one "in March 2022" may be months apart)."""
        to_the_day = (
            before is not None and after is not None and before.count("-") == after.count("-") == 2
        )
        return to_the_day and within(before, after, self.flap_days)


def period_end(when: str) -> date:
    """The last day a partial ISO date can mean: "2022-08" -> 2022-08-31."""
    start = period_start(when)
    parts = when.count("-")
    if parts == 2:
        return start
    if parts == 1:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(start.year, 12, 31)


def days_apart(a: str, b: str) -> int:
    """Days between the periods two partial dates can mean; 0 when they overlap
    ("2022-08" and "2022-08-05" are 0 days apart)."""
    if period_end(a) < period_start(b):
        return (period_start(b) - period_end(a)).days
    if period_end(b) < period_start(a):
        return (period_start(a) - period_end(b)).days
    return 0


def within(a: str | None, b: str | None, days: int) -> bool:
    return bool(days) and a is not None and b is not None and days_apart(a, b) <= days


def combined(backing: Iterable[tuple[str, float]]) -> tuple[float, int]:
    """(confidence, independent publishers) of reports given as (publisher, confidence).

    Each publisher counts once, with its surest report; independent reports each leave
    less room for doubt: 1 - Π(1 - c).
    """
    best: dict[str, float] = {}
    for publisher, confidence in backing:
        best[publisher] = max(confidence, best.get(publisher, 0.0))
    doubt = 1.0
    for confidence in best.values():
        doubt *= 1.0 - confidence
    return round(1.0 - doubt, 4), len(best)
