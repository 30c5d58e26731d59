"""Turn text into channel events: which channel was reported suspended or resumed, where.

The detector reads sentence by sentence. A sentence yields an event when:
1. it names a channel (`mentions.py`), or holds an anaphor ("those talks", "both")
   pointing at channels named in the one or two sentences before;
2. a state-change trigger governs that mention ("suspended", "the resumption of",
   "agreed to restart", "for the first time since"); and
3. no cue in the trigger's clause makes the statement something other than a report of
   fact: a negation, a modal or prediction, a recommendation, a hope or plan, an
   infinitive or imperative, a condition, a question, a habit, or a future date.
A trigger that only gives background to another ("the talks, suspended in 2022, resumed
on Monday") does not count.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from matching import lexicon as lx
from matching.dates import find_dates, period_start
from matching.mentions import ChannelLike, Mention, MentionFinder
from matching.sentences import Sentence, paragraphs, split_sentences

SUSPENDED, RESUMED = lx.SUSPENDED, lx.RESUMED


@dataclass(frozen=True)
class Event:
    channel: str
    event: str  # "suspended" or "resumed"
    sentence: str
    start: int  # the sentence's span in the text
    end: int
    confidence: float
    occurred: str | None  # ISO date as precise as the text states it
    rule: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    kind: str
    start: int
    end: int
    word: str
    flipped: bool = False  # "no longer suspended": a suspension word reporting a resumption

    @property
    def nominal(self) -> bool:
        return bool(lx.NOMINAL.search(self.word))


@dataclass
class SentenceTrace:
    """What the detector saw in one sentence, for `detect --explain`."""

    sentence: Sentence
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (channel, text)
    triggers: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Detector:
    """Compiled once per catalog; `detect` is then a pure function of the text."""

    def __init__(self, channels: Sequence[ChannelLike]) -> None:
        self._finder = MentionFinder(channels)

    def detect(self, text: str, published: date | None = None) -> list[Event]:
        return [
            event
            for trace in self.explain(text, published, everything=False)
            for event in trace.events
        ]

    def explain(
        self, text: str, published: date | None = None, everything: bool = True
    ) -> list[SentenceTrace]:
        """One trace per sentence. Without `everything`, only sentences holding a trigger
        (and the two before each, for anaphora) are read closely: most sentences of an
        article report no change, and detection must stay cheap next to extraction."""
        found = _trigger_spans(text)
        if everything:
            sentences = split_sentences(text)
        else:
            # Only paragraphs holding a trigger, and the one before each (for anaphora).
            spans = paragraphs(text)
            starts = [start for start, _ in spans]
            wanted = sorted(
                {
                    i
                    for t in found
                    for i in (bisect_right(starts, t.start) - 2, bisect_right(starts, t.start) - 1)
                    if i >= 0
                }
            )
            sentences = [s for i in wanted for s in split_sentences(text, *spans[i])]
        triggers = _triggers_by_sentence(found, sentences)
        mentions: dict[int, list[Mention]] = {}

        def mentions_of(i: int) -> list[Mention]:
            if i not in mentions:
                named = everything or self._finder.may_name_a_channel(sentences[i].text)
                mentions[i] = self._finder.find(sentences[i].text) if named else []
            return mentions[i]

        def antecedents_of(i: int) -> tuple[list[str], str]:
            before = [j for j in (i - 2, i - 1) if j >= 0]
            return _antecedents(
                [[m.channel for m in mentions_of(j)] for j in before],
                [self._finder.topics(sentences[j].text) for j in before],
            )

        traces = []
        for i, sentence in enumerate(sentences):
            if not triggers[i] and not everything:
                traces.append(SentenceTrace(sentence))
                continue
            anaphoric = bool(lx.ANAPHOR.search(sentence.text))
            antecedents = antecedents_of(i) if anaphoric else ([], "")
            traces.append(_read(sentence, triggers[i], mentions_of(i), published, antecedents))
        return traces


def _antecedents(named: list[list[str]], touched: list[list[str]]) -> tuple[list[str], str]:
    """What "those talks" refers to: the channels named most recently, else their topics."""
    for channels in reversed(named):
        if channels:
            return list(dict.fromkeys(channels)), "named"
    for channels in reversed(touched):
        if channels:
            return channels, "topic"
    return [], ""


def _read(
    sentence: Sentence,
    triggers: list[Trigger],
    mentions: list[Mention],
    published: date | None,
    antecedents: tuple[list[str], str],
) -> SentenceTrace:
    text = sentence.text
    trace = SentenceTrace(sentence, mentions=[(m.channel, m.text) for m in mentions])
    trace.triggers = [f"{t.kind}:{t.word}" for t in triggers]
    if not triggers or not (mentions or antecedents[0]):
        return trace  # nothing here for a trigger to be about
    dates = _LazyDates(text, published)
    verdicts = {t: _cues(text, t, dates, published) for t in triggers}
    # "no longer suspended" reports a resumption.
    triggers = [_no_longer(text, t, verdicts) for t in triggers]
    verdicts = {t: verdicts.get(t) or _cues(text, t, dates, published) for t in triggers}
    live = [t for t in triggers if not verdicts[t]]
    background = {t for t in triggers if _is_background(text, t, mentions, live)}
    for t in triggers:
        cues = verdicts[t] + (["background"] if t in background else [])
        trace.cues += [f"{t.word}: blocked by {cue}" for cue in cues]
    governing = [t for t in triggers if t not in background]
    events: dict[tuple[str, str], Event] = {}
    claimed: set[Trigger] = set()
    for mention in mentions:
        trigger = _governing(text, mention, governing, mentions, live)
        if trigger is None:
            continue
        claimed.add(trigger)
        if trigger in live:
            how = "nominal" if trigger.nominal else "verb"
            confidence = (0.85 if trigger.nominal else 0.9) - (
                0.05 if mention.how == "topic" else 0
            )
            event = _event(
                sentence, mention.channel, trigger, f"{trigger.kind}:{how}", confidence, dates, text
            )
            events.setdefault((mention.channel, trigger.kind), event)
    channels, how = antecedents
    for trigger in live:
        if trigger in claimed or trigger in background or not channels:
            continue
        start, end = _clause_bounds(text, trigger.start)
        anaphor = lx.ANAPHOR.search(text, start, end)
        if anaphor:
            trace.cues.append(
                f"{trigger.word}: anaphor '{anaphor.group()}' -> {', '.join(channels)} ({how})"
            )
            confidence = 0.75 if how == "named" else 0.65
            for channel in channels:
                event = _event(
                    sentence, channel, trigger, f"{trigger.kind}:anaphora", confidence, dates, text
                )
                events.setdefault((channel, trigger.kind), event)
    trace.events = list(events.values())
    return trace


def _trigger_spans(text: str) -> list[Trigger]:
    """Every trigger in the text, with offsets in it."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare scripts whose lowercase changes length
        found = [
            Trigger(k, m.start(), m.end(), m.group())
            for k, rx in lx.TRIGGERS.items()
            for m in rx.finditer(text)
        ]
        return sorted(found, key=lambda t: t.start)
    return [
        Trigger(m.lastgroup or "", m.start(), m.end(), text[m.start() : m.end()])
        for m in lx.ANY_TRIGGER.finditer(lowered)
    ]


def _triggers_by_sentence(found: list[Trigger], sentences: list[Sentence]) -> list[list[Trigger]]:
    """Triggers filed under their sentence, with offsets relative to it."""
    starts = [s.start for s in sentences]
    filed: list[list[Trigger]] = [[] for _ in sentences]
    for t in found:
        i = bisect_right(starts, t.start) - 1
        if i >= 0 and t.end <= sentences[i].end:
            offset = sentences[i].start
            filed[i].append(Trigger(t.kind, t.start - offset, t.end - offset, t.word))
    return filed


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for boundary_start, boundary_end in _clause_boundaries(text):
        if boundary_end <= position:
            start = boundary_end
        elif boundary_start >= position:
            end = boundary_start
            break
    return start, end


@lru_cache(maxsize=256)
def _clause_boundaries(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in lx.CLAUSE.finditer(text))


def _cues(
    text: str, trigger: Trigger, dates: Iterable[tuple[int, int, str]], published: date | None
) -> list[str]:
    """Every reason the trigger is not a report of fact; empty when it is one."""
    start, end = _clause_bounds(text, trigger.start)
    relative = [m.end() for m in lx.RELATIVE_START.finditer(text, start, trigger.start)]
    before = lx.PSEUDO_NEGATION.sub(" ", text[max([start, *relative]) : trigger.start])
    if trigger.flipped:
        before = lx.NO_LONGER.sub(" ", before)
    # A noun trigger is hedged after it, too ("the resumption of talks would help"),
    # within its own phrase: the next eight words.
    after = " ".join(text[trigger.end : end].split()[:8]) if trigger.nominal else ""
    cues = [
        kind
        for kind, rx in lx.BLOCKERS.items()
        if rx.search(before) or (after and rx.search(after))
    ]
    if "generic" not in cues and lx.BLOCKERS["generic"].search(text[trigger.end : end]):
        cues.append("generic")
    if trigger.nominal and re.search(r"\bno\s+(?:[\w-]+\s+)?$", before, re.IGNORECASE):
        cues.append("negation")  # "there has been no restoration of …"
    agreed = lx.AGREED.search(before)
    if "hope_plan" in cues and agreed and not {"negation", "modal", "conditional"} & set(cues):
        cues.remove("hope_plan")
    if re.search(r"\bto\s+(?:\w+ly\s+)?$", before, re.IGNORECASE) and not re.search(
        lx.AGREED.pattern + r"\s+(?:\w+\s+){0,2}to\s+(?:\w+ly\s+)?$", before, re.IGNORECASE
    ):
        cues.append("infinitive")
    if lx.BASE_FORM.match(trigger.word) and re.fullmatch(
        r"[\W\d]*(?:(?:and|then|to)\s+)?", before, re.IGNORECASE
    ):
        cues.append("imperative")
    if lx.INVERTED_CONDITION.match(before) and not text.rstrip().endswith("?"):
        cues.append("conditional")
    if text.rstrip().rstrip("\"'”’)").endswith("?"):
        cues.append("question")
    if not cues and published:  # dates are costly to find: only for an otherwise live trigger
        occurred = _occurred(text, trigger, dates)
        if occurred and period_start(occurred) > published:
            cues.append("future")
    return list(dict.fromkeys(cues))


class _LazyDates:
    """The sentence's stated dates, found on first use."""

    def __init__(self, text: str, published: date | None) -> None:
        self._text, self._published = text, published
        self._found: list[tuple[int, int, str]] | None = None

    def __iter__(self) -> Iterator[tuple[int, int, str]]:
        if self._found is None:
            self._found = find_dates(self._text, self._published)
        return iter(self._found)


def _no_longer(text: str, trigger: Trigger, verdicts: dict[Trigger, list[str]]) -> Trigger:
    start, _ = _clause_bounds(text, trigger.start)
    if (
        trigger.kind == SUSPENDED
        and verdicts[trigger] == ["negation"]
        and lx.NO_LONGER.search(text[max(start, trigger.start - 30) : trigger.start])
        and not re.search(r"\bnot\b|n't\b", text[start : trigger.start], re.IGNORECASE)
    ):
        return Trigger(RESUMED, trigger.start, trigger.end, trigger.word, flipped=True)
    return trigger


def _is_background(
    text: str, trigger: Trigger, mentions: list[Mention], live: list[Trigger]
) -> bool:
    """An older change told in passing: "…, suspended after the Pelosi visit, …"."""
    others = [t for t in live if t.kind != trigger.kind and t is not trigger]
    if not others or not lx.PARTICIPLE.search(trigger.word):
        return False
    before = text[: trigger.start]
    if lx.STILL_STATE.search(before[-25:]):
        return False  # "which remain suspended" is the state now, not background
    if lx.RELATIVE_BEFORE.search(before):
        return True
    preceding = [m for m in mentions if m.end <= trigger.start]
    if preceding and lx.APPOSITIVE.fullmatch(text, max(m.end for m in preceding), trigger.start):
        return True
    # A reduced relative: "military talks cut off after the Pelosi trip are back on track".
    follows_mention = any(0 <= trigger.start - m.end <= 1 for m in mentions)
    return follows_mention and any(t.start > trigger.end for t in others)


def _governing(
    text: str,
    mention: Mention,
    triggers: list[Trigger],
    mentions: list[Mention],
    live: list[Trigger],
) -> Trigger | None:
    """The trigger that says something of this mention: in its clause, else the list it ends.

    When the clause holds several, a live one wins: in "has not restored the MMCA talks,
    which remain suspended" the suspension is reported even though the restoration is denied.
    """
    if not triggers:
        return None
    start, end = _clause_bounds(text, mention.start)
    pool = [t for t in triggers if start <= t.start < end]
    if not pool:
        rest = text[start:end]
        for other in sorted(mentions, key=lambda m: m.start, reverse=True):
            if start <= other.start and other.end <= end:
                rest = rest[: other.start - start] + " " + rest[other.end - start :]
        # "…, climate talks, and military dialogues": a list continued past a comma.
        if len(re.findall(r"[A-Za-z]+", rest)) > 3:
            return None
        pool = triggers
    pool = [t for t in pool if t in live] or pool
    return min(
        pool,
        key=lambda t: t.start - mention.end if t.start >= mention.end else mention.start - t.end,
    )


def _occurred(text: str, trigger: Trigger, dates: Iterable[tuple[int, int, str]]) -> str | None:
    """The stated date of this change: in its clause, after the trigger first."""
    start, end = _clause_bounds(text, trigger.start)
    # "met for the first time since 2019": that date is the earlier change, not this one.
    own = [d for d in dates if start <= d[0] < end and not trigger.start <= d[0] < trigger.end]
    after = [d for d in own if d[0] >= trigger.end and "," not in text[trigger.end : d[0]]]
    before = [d for d in own if d[1] <= trigger.start]
    if after:
        return after[0][2]
    return before[-1][2] if before else None


def _event(
    sentence: Sentence,
    channel: str,
    trigger: Trigger,
    rule: str,
    confidence: float,
    dates: Iterable[tuple[int, int, str]],
    text: str,
) -> Event:
    return Event(
        channel,
        trigger.kind,
        sentence.text,
        sentence.start,
        sentence.end,
        round(confidence, 2),
        _occurred(text, trigger, dates),
        rule,
    )
