"""Finding channels named in a sentence.

A channel is named either by one of its aliases ("Defense Policy Coordination Talks",
"MMCA") or by one of its topics joined to a dialogue noun: "climate" + "talks", "talks
with Washington on" + "climate change", "the climate and anti-drug talks". A topic alone
("climate", "fentanyl") names no channel, and neither does a bare "talks".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from matching.lexicon import DIALOGUE_NOUNS, LINKERS

_TOKEN = re.compile(r"[\w'’.&-]+|[,;:()]")
_CONNECTORS = {
    ",",
    "and",
    "or",
    "as",
    "well",
    "&",
    "on",
    "one",
    "the",
    "other",
    "also",
    "both",
    "to",
    "its",
    "their",
}
_COORDINATORS = {",", "and", "or", "&"}
_BREAKS = {";", ":", "(", ")"}


class ChannelLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...
    @property
    def topics(self) -> list[str]: ...


@dataclass(frozen=True)
class Mention:
    channel: str
    start: int
    end: int
    text: str
    how: str  # "alias" or "topic"


def phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of phrases; hyphens and spaces match each other."""
    parts = [
        r"[\s\-–]+".join(re.escape(w) for w in re.split(r"[\s\-–]+", p.strip()) if w)
        for p in phrases
        if p.strip()
    ]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


class MentionFinder:
    def __init__(self, channels: Sequence[ChannelLike]) -> None:
        self._aliases = [(c.id, rx) for c in channels if (rx := phrase_pattern(c.aliases))]
        self._topics = [
            (c.id, rx) for c in channels if (rx := phrase_pattern(getattr(c, "topics", [])))
        ]

    def topics(self, text: str) -> list[str]:
        """Channels whose topics the text touches, named as channels or not."""
        return list(dict.fromkeys(channel for channel, rx in self._topics if rx.search(text)))

    def find(self, text: str) -> list[Mention]:
        aliases = _longest_first(
            (m.start(), m.end(), channel)
            for channel, rx in self._aliases
            for m in rx.finditer(text)
        )
        taken = [range(s, e) for s, e, _ in aliases]
        topics = _longest_first(
            (m.start(), m.end(), channel)
            for channel, rx in self._topics
            for m in rx.finditer(text)
            if not any(m.start() in span or m.end() - 1 in span for span in taken)
        )
        mentions = [Mention(c, s, e, text[s:e], "alias") for s, e, c in aliases]
        linked = _linked_topics(text, topics + aliases)  # aliases may stand in a coordinated list
        mentions += [
            Mention(c, s, e, text[s:e], "topic") for s, e, c in linked if (s, e, c) not in aliases
        ]
        return sorted(mentions, key=lambda m: m.start)


def _longest_first(found: object) -> list[tuple[int, int, str]]:
    ordered = sorted(found, key=lambda item: (item[0], item[0] - item[1]))  # type: ignore[call-overload]
    chosen: list[tuple[int, int, str]] = []
    for item in ordered:
        if not chosen or item[0] >= chosen[-1][1]:
            chosen.append(item)
    return chosen


def _linked_topics(text: str, topics: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The topics that a dialogue noun turns into channel mentions."""
    if not topics:
        return []
    topics = sorted(topics)
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
    # Each topic as a token range [first, last].
    spans = []
    for start, end, channel in topics:
        first = next(i for i, t in enumerate(tokens) if t[1] > start)
        last = max(i for i, t in enumerate(tokens) if t[0] < end)
        spans.append((first, last, (start, end, channel)))
    linked: set[tuple[int, int, str]] = set()
    for noun in DIALOGUE_NOUNS.finditer(text):
        n_first = next(i for i, t in enumerate(tokens) if t[1] > noun.start())
        n_last = max(i for i, t in enumerate(tokens) if t[0] < noun.end())
        linked |= _chain_before(tokens, spans, n_first)
        linked |= _chain_after(tokens, spans, n_last)
    return sorted(linked)


def _chain_before(tokens, spans, noun_first):  # type: ignore[no-untyped-def]
    """Topics ending at most two modifiers before the noun, and those coordinated with them."""
    found = set()
    for gap in range(3):
        end = noun_first - 1 - gap
        if end < 0 or any(
            tokens[i][2] in _BREAKS or tokens[i][2] == "," for i in range(end + 1, noun_first)
        ):
            break
        hit = next((s for s in spans if s[1] == end), None)
        if hit:
            found.add(hit[2])
            found |= _coordinated(tokens, spans, hit, backwards=True)
            break
    return found


def _chain_after(tokens, spans, noun_last):  # type: ignore[no-untyped-def]
    """Topics after "noun (with X) on|between|against …", and those coordinated with them."""
    for offset in range(1, 4):
        i = noun_last + offset
        if i >= len(tokens) or tokens[i][2] in _BREAKS:
            return set()
        if tokens[i][2] in LINKERS:
            for j in range(i + 1, min(i + 8, len(tokens))):
                if tokens[j][2] in _BREAKS:
                    return set()
                hit = next((s for s in spans if s[0] == j), None)
                if hit:
                    return {hit[2]} | _coordinated(tokens, spans, hit, backwards=False)
    return set()


def _coordinated(tokens, spans, hit, backwards: bool):  # type: ignore[no-untyped-def]
    """Topics joined to `hit` by "and", "or" and commas, walking one way."""
    found = set()
    current = hit
    while True:
        if backwards:
            candidates = [s for s in spans if 0 < current[0] - s[1] <= 5]
            nearest = max(candidates, key=lambda s: s[1], default=None)
            between = range(nearest[1] + 1, current[0]) if nearest else range(0)
        else:
            candidates = [s for s in spans if 0 < s[0] - current[1] <= 5]
            nearest = min(candidates, key=lambda s: s[0], default=None)
            between = range(current[1] + 1, nearest[0]) if nearest else range(0)
        if nearest is None:
            return found
        gap = [tokens[i][2] for i in between]
        content = [w for w in gap if w not in _CONNECTORS]
        if not (set(gap) & _COORDINATORS) or len(content) > 1 or set(gap) & _BREAKS:
            return found
        found.add(nearest[2])
        current = nearest
