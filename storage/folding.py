"""Folding reported events into a channel's state: pure data in, data out.

A channel is `unknown` until the first report, then `active` or `suspended` *since* a
date. Reports are applied in time order (when the change happened, else when it was
published). A report dated before the current `since` is history: it is evidence of an
older change and never flips a newer state. Several reports about one channel in one
article fold into one net change.
"""

from __future__ import annotations

from dataclasses import dataclass
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
