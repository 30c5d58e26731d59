"""Scoring the detector on labelled passages (`channelwatch eval`).

The unit is the (passage, channel, event) triple: a reported triple that is labelled
is a true positive, one that is not is a false positive, a labelled one not reported is
a false negative. Passages labelled with no events are the hard negatives; for each
kind of them ("recommendation", "negation", …) the false-fire rate is the share of
passages where anything at all was reported.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from matching.detector import Detector


class CorpusError(ValueError):
    """A labelled file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    published: date | None
    expected: frozenset[tuple[str, str]]
    kind: str = ""


@dataclass(frozen=True)
class Miss:
    passage: Passage
    found: frozenset[tuple[str, str]]

    @property
    def false_positives(self) -> frozenset[tuple[str, str]]:
        return self.found - self.passage.expected

    @property
    def false_negatives(self) -> frozenset[tuple[str, str]]:
        return self.passage.expected - self.found


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    passages: int = 0
    negatives: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )  # kind -> [fired, of]
    positives: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )  # kind -> [found, labelled]
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def false_fire_rates(self) -> dict[str, tuple[int, int, float]]:
        return {
            kind: (fired, of, fired / of) for kind, (fired, of) in sorted(self.negatives.items())
        }

    def recall_by_kind(self) -> dict[str, tuple[int, int, float]]:
        """For passages that report events: of each kind's labelled events, how many
        were found. Says where recall is lost without showing a single passage, so a
        frozen file can be read this way too."""
        return {
            kind: (found, of, found / of) for kind, (found, of) in sorted(self.positives.items())
        }

    def as_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "passages": self.passages,
        }


def load_passages(path: str | Path) -> list[Passage]:
    passages = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            expected = frozenset((e["channel"], e["event"]) for e in raw["expected"])
            published = date.fromisoformat(raw["published"]) if raw.get("published") else None
            passages.append(
                Passage(str(raw["id"]), raw["text"], published, expected, raw.get("kind", ""))
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(
                f"{path}:{number}: not a labelled passage ({type(exc).__name__}: {exc})"
            ) from None
    return passages


def evaluate(detector: Detector, passages: Iterable[Passage]) -> Scores:
    scores = Scores()
    for passage in passages:
        found = frozenset(
            (e.channel, e.event) for e in detector.detect(passage.text, passage.published)
        )
        scores.passages += 1
        scores.tp += len(found & passage.expected)
        scores.fp += len(found - passage.expected)
        scores.fn += len(passage.expected - found)
        if passage.expected:
            tally = scores.positives[passage.kind or "event"]
            tally[0] += len(found & passage.expected)
            tally[1] += len(passage.expected)
        else:
            tally = scores.negatives[passage.kind or "negative"]
            tally[0] += bool(found)
            tally[1] += 1
        if found != passage.expected:
            scores.misses.append(Miss(passage, found))
    return scores


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion: honest at small counts."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - margin), min(1.0, centre + margin))
