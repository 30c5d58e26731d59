"""Turn text into channel events: which channel was reported suspended or resumed, where.

The detector reads sentence by sentence. A sentence yields an event when it names a
channel (by one of its aliases, or by an anaphor such as "those talks" that points at
channels named in the one or two sentences before), holds a state-change trigger
("suspended", "the resumption of", "agreed to restart"), and no cue in the trigger's
clause turns the statement into something other than a fact: a negation, a modal or
hypothetical, a recommendation, a hope or plan, a condition, or a question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from matching.dates import find_dates
from matching.sentences import Sentence, split_sentences

SUSPENDED, RESUMED = "suspended", "resumed"


class ChannelLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...


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
    nominal: bool  # "the suspension of" rather than "suspended"


@dataclass
class SentenceTrace:
    """What the detector saw in one sentence, for `detect --explain`."""

    sentence: Sentence
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (channel, text)
    triggers: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE)


_TRIGGERS = {
    SUSPENDED: _words(
        r"suspend(?:ed|s|ing)?|suspensions?|cancel(?:l?ed|s|l?ing)?|cancell?ations?"
        r"|halt(?:ed|s|ing)?|froze|frozen|freez(?:e|es|ing)"
        r"|cut(?:s|ting)?\s+off|called\s+off|call(?:s|ing)?\s+off|broke(?:n)?\s+off|break(?:s|ing)?\s+off"
        r"|sever(?:ed|s|ing)?|(?:fallen|fell|falls|fall)\s+into\s+abeyance|in\s+abeyance"
        r"|terminat(?:ed|es|e|ing)|shut\s+down"
        r"|cut(?=\s+(?:\w+\s+){0,3}(?:channels?|talks|dialogues?|contacts|communications|cooperation|ties)\b)"
    ),
    RESUMED: _words(
        r"resum(?:e|ed|es|ing|ption)|restart(?:ed|s|ing)?|re-start(?:ed)?"
        r"|restor(?:e|ed|es|ing|ation)|reviv(?:e|ed|es|ing|al)|re-?open(?:ed|s|ing)?"
        r"|re-?establish(?:ed|es|ing|ment)?|re-?launch(?:ed|es|ing)?|launch(?:ed|es|ing)?"
        r"|set\s+up|back\s+on\s+track|for\s+the\s+first\s+time\s+since|reinstat(?:e|ed|es|ing)"
        r"|reactivat(?:e|ed|es|ing)|re-?engag(?:e|ed|es|ing|ement)"
    ),
}
_NOMINAL = re.compile(r"(?:ion|al|ment|ations?|suspensions?)$", re.IGNORECASE)

# Cues that make a trigger something other than a report of fact, by kind.
_BLOCKERS: dict[str, re.Pattern[str]] = {
    "negation": _words(
        r"not|never|no\s+longer|yet\s+to|(?:fail|refus|declin)(?:ed|es|ing|e|s)?\s+to|without|nor"
        r"|\w+n't|cannot|no\s+(?:sign|plans?|date|progress|timeline|move)s?"
    ),
    "modal": _words(
        r"could|might|would|will|shall|can|may(?!\s+(?:\d|of\b))|'ll|likely|unlikely|probably|possibly"
    ),
    "recommendation": _words(
        r"should|must|ought\s+to|need(?:s|ed)?\s+to|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:for|on)"
        r"|recommend\w*|press(?:es|ed|ing)?\s+for|push(?:es|ed|ing)?\s+for|it\s+is\s+time|demand\w*"
        r"|advocat\w*|encourag\w*|appeal\w*|insist\w*"
    ),
    "hope_plan": _words(
        r"hop(?:e|es|ed|ing)|plan(?:s|ned|ning)?|seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|intend\w*"
        r"|want(?:s|ed|ing)?|expect\w*|set\s+to|efforts?\s+to|propos\w*|prepar\w+\s+to"
        r"|look(?:s|ed|ing)?\s+forward|wish\w*|eager|tr(?:y|ies|ying|ied)\s+to|attempt\w*|willing"
        r"|ready\s+to|consider\w*|explor\w*|scheduled|pledg\w*|promis\w*|vow\w*|offer\w*\s+to|keen"
    ),
    "conditional": _words(r"if|unless|whether|in\s+case|provided\s+that|once|until"),
}
# Realis markers that override a hope or plan: "agreed to resume" reports a decision.
_AGREED = _words(r"agreed|agree[sd]?\s+to|decided\s+to|moved\s+to|began\s+to|started\s+to")
_PSEUDO_NEGATION = _words(r"not\s+only|no\s+sooner|not\s+least")

# Clause boundaries: a cue does not reach across these.
_CLAUSE = re.compile(
    r";|:|—|–|\s-\s|,\s+(?:but|while|whereas|although|though|and|yet|so)\b|\b(?:but|while|whereas|although|though)\b",
    re.IGNORECASE,
)
# ", suspended after the Pelosi visit": an older change mentioned as background.
_BACKGROUND = re.compile(
    r",\s*(?:(?:which|that)\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+)?$", re.IGNORECASE
)
_ANAPHOR = _words(
    r"(?:these|those|such|the|both|all|their|its)\s+(?:\w+\s+){0,2}?"
    r"(?:talks|dialogues?|channels?|mechanisms?|exchanges|consultations|contacts|communications|cooperation|working\s+groups?)"
    r"|dialogues?\s+on\s+(?:these|those|both)\s+(?:issues|fronts|areas)|them|it"
)


class Detector:
    """Compiled once per catalog; `detect` is then a pure function of the text."""

    def __init__(self, channels: Sequence[ChannelLike]) -> None:
        self._aliases = [
            (
                channel.id,
                re.compile(
                    r"(?<![\w-])(?:"
                    + "|".join(_alias_pattern(a) for a in channel.aliases)
                    + r")(?![\w-])",
                    re.IGNORECASE,
                ),
            )
            for channel in channels
            if channel.aliases
        ]

    def detect(self, text: str, published: date | None = None) -> list[Event]:
        return [event for trace in self.explain(text, published) for event in trace.events]

    def explain(self, text: str, published: date | None = None) -> list[SentenceTrace]:
        traces: list[SentenceTrace] = []
        recent: list[list[str]] = []  # channels named in the previous sentences
        for sentence in split_sentences(text):
            trace = self._read(sentence, published, recent[-2:])
            traces.append(trace)
            recent.append(list(dict.fromkeys(channel for channel, _ in trace.mentions)))
        return traces

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping channel mentions (start, end, channel), longest first."""
        found = sorted(
            (
                (m.start(), m.end(), channel)
                for channel, rx in self._aliases
                for m in rx.finditer(text)
            ),
            key=lambda item: (item[0], item[0] - item[1]),
        )
        chosen: list[tuple[int, int, str]] = []
        for item in found:
            if not chosen or item[0] >= chosen[-1][1]:
                chosen.append(item)
        return chosen

    def _read(
        self, sentence: Sentence, published: date | None, recent: list[list[str]]
    ) -> SentenceTrace:
        text = sentence.text
        trace = SentenceTrace(sentence)
        mentions = self.mentions(text)
        trace.mentions = [(channel, text[s:e]) for s, e, channel in mentions]
        triggers = _find_triggers(text)
        trace.triggers = [f"{t.kind}:{t.word}" for t in triggers]
        if not triggers:
            return trace
        question = text.rstrip().rstrip("\"'”’)").endswith("?")
        live: list[Trigger] = []
        background: list[Trigger] = []
        for trigger in triggers:
            cues = _blocking_cues(text, trigger, triggers)
            if question:
                cues.append("question")
            trace.cues += [f"{trigger.word}: blocked by {cue}" for cue in cues]
            if "background" in cues:
                background.append(trigger)
            elif not cues:
                live.append(trigger)
        # Background ("…, suspended after the Pelosi visit") is not this sentence's claim.
        triggers = [t for t in triggers if t not in background]
        dates = find_dates(text, published)
        events: dict[tuple[str, str], Event] = {}
        if mentions:
            for start, end, channel in mentions:
                trigger = _nearest(triggers, start, end, text)
                if trigger in live:
                    rule = f"{trigger.kind}:{'nominal' if trigger.nominal else 'verb'}"
                    confidence = 0.85 if trigger.nominal else 0.9
                    events.setdefault(
                        (channel, trigger.kind),
                        self._event(sentence, channel, trigger, rule, confidence, dates),
                    )
        elif recent and any(recent):
            antecedents = next(channels for channels in reversed(recent) if channels)
            for trigger in live:
                anaphor = _ANAPHOR.search(_clause_of(text, trigger))
                if anaphor:
                    trace.cues.append(
                        f"{trigger.word}: anaphor '{anaphor.group()}' -> {', '.join(antecedents)}"
                    )
                    for channel in antecedents:
                        events.setdefault(
                            (channel, trigger.kind),
                            self._event(
                                sentence, channel, trigger, f"{trigger.kind}:anaphora", 0.75, dates
                            ),
                        )
        trace.events = list(events.values())
        return trace

    @staticmethod
    def _event(
        sentence: Sentence,
        channel: str,
        trigger: Trigger,
        rule: str,
        confidence: float,
        dates: list[tuple[int, int, str]],
    ) -> Event:
        # "met for the first time since 2019": that date is the earlier change, not this one.
        dates = [d for d in dates if not trigger.start <= d[0] < trigger.end]
        occurred = min(dates, key=lambda d: abs(d[0] - trigger.start))[2] if dates else None
        return Event(
            channel,
            trigger.kind,
            sentence.text,
            sentence.start,
            sentence.end,
            confidence,
            occurred,
            rule,
        )


def _alias_pattern(alias: str) -> str:
    words = re.split(r"[\s\-–]+", alias.strip())
    return r"[\s\-–]+".join(re.escape(w) for w in words if w)


def _find_triggers(text: str) -> list[Trigger]:
    triggers = [
        Trigger(kind, m.start(), m.end(), m.group(), bool(_NOMINAL.search(m.group())))
        for kind, rx in _TRIGGERS.items()
        for m in rx.finditer(text)
    ]
    return sorted(triggers, key=lambda t: t.start)


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for match in _CLAUSE.finditer(text):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


def _clause_of(text: str, trigger: Trigger) -> str:
    start, end = _clause_bounds(text, trigger.start)
    return text[start:end]


def _blocking_cues(text: str, trigger: Trigger, triggers: list[Trigger]) -> list[str]:
    start, end = _clause_bounds(text, trigger.start)
    before = _PSEUDO_NEGATION.sub(" ", text[start : trigger.start])
    # A noun trigger ("the resumption of talks would help") is hedged after it, too.
    after = text[trigger.end : end] if trigger.nominal else ""
    cues = [
        kind for kind, rx in _BLOCKERS.items() if rx.search(before) or (after and rx.search(after))
    ]
    if (
        "hope_plan" in cues
        and _AGREED.search(before)
        and not {"negation", "modal", "conditional"} & set(cues)
    ):
        cues.remove("hope_plan")
    if _BACKGROUND.search(text[: trigger.start]) and any(
        t.kind != trigger.kind and t.start < trigger.start for t in triggers
    ):
        cues.append("background")
    return cues


def _nearest(triggers: list[Trigger], start: int, end: int, text: str) -> Trigger:
    """The trigger a mention belongs to: in its own clause if one is there, else the closest."""
    clause = _clause_bounds(text, start)
    same_clause = [t for t in triggers if clause[0] <= t.start < clause[1]]
    pool = same_clause or triggers
    return min(pool, key=lambda t: t.start - end if t.start >= end else start - t.end)
