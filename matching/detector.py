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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache, partial

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
    nominal: bool = False  # a noun: "the suspension of", "any reopening of", "restoring X would"
    flipped: bool = False  # "no longer suspended": a suspension word reporting a resumption


_STRAIGHT_QUOTES = str.maketrans("‘’“”", "''\"\"")
_DETERMINER = re.compile(r"\b(?:a|an|any|the|its|their|this|that|his|her|our)\s+$", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?:a|an|any|the|no|[\w-]+['’]s)\s+$", re.IGNORECASE)
_CLAUSE_START = re.compile(r"(?:^|[.!?:;\"“‘(]|\s[-–—])\s*$")


def _is_nominal(text: str, start: int, word: str) -> bool:
    """A noun trigger, a participle used as an adjective, or a gerund as the subject."""
    before = text[max(0, start - 12) : start]
    head = word.split()[0].lower()  # "Bringing the talks back": the phrase's first word
    opening = text[max(0, start - 4) : start]
    if start > 4 and opening.isspace():
        # "was        suspended" (wide spaces, as tabs expanded leave them): the four
        # characters before are no start of a clause; read from the last word instead
        lead = text[:start].rstrip()
        opening = f"{lead[-3:]} " if lead else ""
    return bool(
        lx.NOMINAL.search(word)
        or (head.endswith(("ing", "ed")) and _DETERMINER.search(before))
        or (
            not _several_words(word)
            and not head.endswith(("ing", "ed"))
            and _ARTICLE.search(before)
        )
        or (head.endswith(("ing", "ed")) and _CLAUSE_START.search(opening))
        # "the talks, the first since 2021, are set for May": a noun phrase, with a predicate
        or bool(_FIRST_SINCE_NOUN.match(word))
        # … and so is "a first call in 18 months would signal …"
        or (head == "first" and bool(_ARTICLE.search(before)))
    )


_FIRST_SINCE_NOUN = re.compile(r"(?:the|its|their)\s+first\b.*\bsince$", re.IGNORECASE)


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
        self._military = _military_channels(channels)

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
        (and the two before each, for anaphora) are read closely, and only those holding
        a trigger have a trace: most sentences of an article report no change, and
        detection must stay cheap next to extraction."""
        # Curly and straight quotes read alike; the swap keeps every offset, so the
        # sentences reported are cut from the text as given.
        given, text = text, text.translate(_STRAIGHT_QUOTES)
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

        @cache
        def named_in(i: int) -> list[Mention]:
            named = everything or self._finder.may_name_a_channel(sentences[i].text)
            return self._finder.find(sentences[i].text) if named else []

        @cache
        def mentions_of(i: int) -> list[Mention]:
            # (the sentence before, read only for a counted class of channels:
            # "That forum was called off along with two other military channels")
            before = (lambda: {m.channel for m in named_in(i - 1)}) if i > 0 else set
            found = [m for m in named_in(i) if not _in_an_office_name(sentences[i].text, m)]
            return _without_umbrella(sentences[i].text, found, before, self._military)

        @cache
        def antecedents_of(i: int) -> tuple[list[str], str, bool]:
            # Looked up only if an anaphor is left to resolve: most sentences hold an
            # "it" or a "the talks", few need it resolved.
            if not lx.found(lx.ANAPHOR, sentences[i].text):
                return [], "", False
            before = [j for j in (i - 2, i - 1) if j >= 0]
            # "the former", "the latter" count in the order the channels were written
            order = (
                _in_order
                if lx.FORMER.search(sentences[i].text) or lx.LATTER.search(sentences[i].text)
                else _named_first
            )
            # A sentence about another pair ("Chinese and Japanese officials restored their
            # maritime mechanism") names no channel of the two for a later "the channel".
            before = [j for j in before if not _of_another_pair(sentences[j].text)]
            # Nor does one whose channels are all a forum's ("The G20 revived its finance
            # working group. It had been dormant since 2018.").
            before = [
                j
                for j in before
                if not mentions_of(j)
                or not all(_owned_by_another(sentences[j].text, m) for m in mentions_of(j))
            ]
            channels, how, k = _antecedents(
                [order(mentions_of(j)) for j in before],
                [self._finder.topics(sentences[j].text) for j in before],
            )
            # "The group reconvened for its annual plenary. It picked up where it left
            # off": the sitting told before is the one the anaphor's sentence goes on about.
            return channels, how, k >= 0 and _tells_routine(sentences[before[k]].text)

        traces = []
        for i, sentence in enumerate(sentences):
            if not triggers[i] and not everything:
                continue
            antecedents = partial(antecedents_of, i)
            named = mentions_of(i)
            # (the sentence before is read only for "the military talks" with no side named)
            theirs = [m for m in named if _the_pairs_own(sentence.text, m)]
            if i > 0 and theirs and _of_another_pair(sentences[i - 1].text):
                named = [m for m in named if m not in theirs]
            traces.append(_read(sentence, triggers[i], named, published, antecedents))
        return traces if given == text else [_as_given(trace, given) for trace in traces]


def _as_given(trace: SentenceTrace, given: str) -> SentenceTrace:
    """The trace with its sentence as the text gave it (the trace is this call's own)."""
    sentence = trace.sentence
    trace.sentence = Sentence(sentence.start, sentence.end, given[sentence.start : sentence.end])
    trace.events = [replace(e, sentence=given[e.start : e.end]) for e in trace.events]
    return trace


def _named_first(mentions: list[Mention]) -> list[str]:
    """Channels in the order an anaphor prefers them: named by their own names first,
    then those described ("the two oldest military channels")."""
    ordered = [m.channel for m in mentions if m.how == "alias"] + [
        m.channel for m in mentions if m.how != "alias"
    ]
    return list(dict.fromkeys(ordered))


def _of_another_pair(text: str) -> bool:
    return not _names_both_sides(text) and bool(
        _names_another_pair(text) or lx.found(lx.OTHER_COUNTRY, text)
    )


@lru_cache(maxsize=256)
def _names_both_sides(text: str) -> bool:
    """Whether the text names the U.S. and China: then no third party is the pair.
    (Asked first, as it is cheap next to the search for another pair.)"""
    return lx.found(lx.US_SIDE, text) and lx.found(lx.CN_SIDE, text)


# The specific military channels, each one of "the military channels".
# Military contact in general (a fixed catalog id). "Military channels" count the specific
# military ones: the channels the catalog files under its issue, so that a user who adds
# one to the catalog has it counted too.
_MILITARY = "mil_mil"


def _military_channels(channels: Sequence[ChannelLike]) -> frozenset[str]:
    issue = next((c.issue for c in channels if c.id == _MILITARY), None)
    return frozenset(c.id for c in channels if c.id != _MILITARY and c.issue == issue)


# "three military channels: …", "the last of the military channels": the channels counted
# or picked from, not military contact in general.
_COUNTED = re.compile(
    r"\b(?:(?:two|three|four|five|six|seven|eight|several)(?:\s+other)?"
    # a pick from them: "the last of the", "one of its", "of the oldest" (but not "the
    # resumption of the law-enforcement channels", which is no count)
    r"|(?:one|last|first|each|all|none|some|most|many|few)\s+of\s+(?:the|its|their)"
    r"(?:\s+(?:oldest|last|newest|main|few|remaining))?"
    r"|of\s+(?:the|its|their)\s+(?:oldest|last|newest|main|few|remaining))\s+$",
    re.IGNORECASE,
)

_CHANNELS_NOUN = re.compile(
    r"\b(?:channels|contacts|talks|dialogues|communications|mechanisms|lines|tracks|exchanges)$",
    re.IGNORECASE,
)


def _without_umbrella(
    text: str,
    mentions: list[Mention],
    named_before: Callable[[], set[str]],
    military: frozenset[str],
) -> list[Mention]:
    """Drop a class of channels that only counts the specific ones named beside it:
    "named three military channels: the theater commander talks, …", "the MMCA is one of
    the oldest military safety mechanisms", "X and Y were the two law-enforcement tracks"."""
    counted = [
        m
        for m in mentions
        if m.how == "topic"
        # (the channels themselves counted, not "a line between the two defense chiefs")
        and _CHANNELS_NOUN.search(m.text)
        and (_COUNTED.search(text, 0, m.start) or text.startswith(":", m.end))
    ]
    if not counted:
        return mentions
    return [
        m
        for m in mentions
        if m not in counted or not _counts_others(m, mentions, named_before, military)
    ]


def _counts_others(
    umbrella: Mention,
    mentions: list[Mention],
    named_before: Callable[[], set[str]],
    military: frozenset[str],
) -> bool:
    """Whether a counted class names the other channels beside it rather than its own
    ("the two law-enforcement channels — transnational crime cooperation and …" counts
    its own channel too, and stays). "Military channels" count the military ones only."""
    others = [m.channel for m in mentions if m is not umbrella]
    if umbrella.channel in others:
        return False
    if umbrella.channel == _MILITARY:
        return bool(military & (set(others) | named_before()))
    return bool(others) or bool(named_before() - {umbrella.channel})


# "the PLA's Office for International Military Cooperation": a name, not the channel
_OFFICE_OF = re.compile(
    r"\b(?:Office|Department|Ministry|Bureau|Commission|Agency|Institute|Center|Centre)"
    r"\s+(?:for|of)\s+(?:[A-Z][\w-]*\s+){0,3}$"
)


def _in_an_office_name(text: str, mention: Mention) -> bool:
    """A topic in the title-cased name of an office or ministry names no channel."""
    return (
        mention.how == "topic"
        and mention.text[:1].isupper()
        and bool(_OFFICE_OF.search(text, 0, mention.start))
    )


_DEFINITE = re.compile(r"\b(?:the|their|those|these)\s+$", re.IGNORECASE)


def _the_pairs_own(text: str, mention: Mention) -> bool:
    """After a sentence about another pair ("Indian and Chinese commanders met"), "the
    military talks" with neither of the two named are that pair's talks."""
    return bool(_DEFINITE.search(text, 0, mention.start)) and not (
        lx.found(lx.US_SIDE, text) or lx.found(lx.CN_SIDE, text)
    )


def _in_order(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.channel for m in sorted(mentions, key=lambda m: m.start)))


def _antecedents(named: list[list[str]], touched: list[list[str]]) -> tuple[list[str], str, int]:
    """What "those talks" refers to: the channels named most recently, else their topics;
    and which of the sentences before named them."""
    for k in reversed(range(len(named))):
        if named[k]:
            return list(dict.fromkeys(named[k])), "named", k
    for k in reversed(range(len(touched))):
        if touched[k]:
            return touched[k], "topic", k
    return [], "", -1


def _tells_routine(text: str) -> bool:
    """A regular sitting with no gap before it: "met for its annual plenary"."""
    return lx.found(lx.ROUTINE, text) and not lx.found(lx.GAP, text)


def _read(
    sentence: Sentence,
    triggers: list[Trigger],
    mentions: list[Mention],
    published: date | None,
    antecedents: Callable[[], tuple[list[str], str, bool]],
) -> SentenceTrace:
    text = sentence.text
    trace = SentenceTrace(sentence, mentions=[(m.channel, m.text) for m in mentions])
    triggers = _anchor_gaps(text, triggers, mentions)
    trace.triggers = [f"{t.kind}:{t.word}" for t in triggers]
    if not triggers or not (mentions or antecedents()[0]):
        return trace  # nothing here for a trigger to be about
    dates = _LazyDates(text, published)
    verdicts = {t: _cues(text, t, dates, published) for t in triggers}
    # "no longer suspended" reports a resumption.
    triggers = [_no_longer(text, t, verdicts) for t in triggers]
    verdicts = {
        t: verdicts[t] if t in verdicts else _cues(text, t, dates, published) for t in triggers
    }
    live = [t for t in triggers if not verdicts[t]]
    background = {t for t in triggers if _is_background(text, t, mentions, live)}
    for t in triggers:
        cues = verdicts[t] + (["background"] if t in background else [])
        trace.cues += [f"{t.word}: blocked by {cue}" for cue in cues]
    # "the halted shipments", "the freezing of criminal assets": a change said of another
    # thing, named right after it, is about that thing, not a channel in the sentence.
    governing = [
        t
        for t in triggers
        if t not in background
        and not _of_another_thing(text, t, mentions)
        and not _forum_subject(text, t, mentions)
    ]
    live = [t for t in live if t in governing or t in background]
    events: dict[tuple[str, str], Event] = {}
    positions: dict[tuple[str, str], int] = {}
    claimed: set[Trigger] = set()
    for mention in mentions:
        trigger = _governing(text, mention, governing, mentions, live)
        if trigger is None:
            continue
        claimed.add(trigger)
        if _owned_by_another(text, mention):
            trace.cues.append(f"{mention.text}: a forum of many, not the bilateral channel")
            continue
        if trigger in live:
            how = "nominal" if trigger.nominal else "verb"
            confidence = (0.85 if trigger.nominal else 0.9) - (
                0.05 if mention.how == "topic" else 0
            )
            notes = (f"{mention.how} '{mention.text}'", *_notes(text, trigger, background))
            event = _event(
                sentence,
                mention.channel,
                trigger,
                f"{trigger.kind}:{how}",
                confidence,
                dates,
                text,
                notes,
            )
            events.setdefault((mention.channel, trigger.kind), event)
            positions.setdefault((mention.channel, trigger.kind), trigger.start)
    for trigger in live:
        if (
            trigger in claimed
            or trigger in background
            or not _INTRANSITIVE.match(text, trigger.end)
        ):
            continue
        # "X — one of eight mechanisms China suspended — is running again": with no object,
        # the trigger speaks of the channels named before it …
        if _has_own_subject(text, trigger, mentions):
            continue  # … unless its clause has a subject of its own that is no channel
        for mention in [m for m in mentions if m.end <= trigger.start]:
            claimed.add(trigger)
            notes = (
                f"subject '{mention.text}' of '{trigger.word}'",
                *_notes(text, trigger, background),
            )
            event = _event(
                sentence,
                mention.channel,
                trigger,
                f"{trigger.kind}:subject",
                0.8,
                dates,
                text,
                notes,
            )
            events.setdefault((mention.channel, trigger.kind), event)
            positions[(mention.channel, trigger.kind)] = trigger.start
    for trigger in live:
        if trigger in background or (
            # "shelved them as well, along with the defense policy talks": a pronoun as the
            # change's object still stands for the channels before, beside one named after
            trigger in claimed and not _THEM_OBJECT.match(text, trigger.end)
        ):
            continue
        _, end = _clause_bounds(text, trigger.start)
        # The subject may open an earlier clause: "It went dark … but was revived".
        candidates = [
            a
            for a in lx.ANAPHOR.finditer(text, 0, end)
            if not any(m.start < a.end() and a.start() < m.end for m in mentions)
            # "it was cancelling several meetings": a pronoun before a verb with an
            # object of its own is the one acting, not a channel
            # "the six-party talks" stand for no bilateral channel
            # (also joined by a hyphen: "the IMF-World Bank meetings")
            and not lx.MULTILATERAL.search(a.group())
            and not lx.MULTILATERAL.search(a.group().replace("-", " "))
            # "as one admiral put it": a pronoun that is a verb's object stands for no channel
            and not (a.group().lower() in ("it", "them") and _VERB_OF_IT.search(text, 0, a.start()))
            # "the Group of 20", "the group of experts": a noun with its own complement
            and not (a.group().lower().endswith("group") and _OF.match(text, a.end()))
            and not (
                a.group().lower() in ("it", "they")
                and a.end() <= trigger.start
                and not _INTRANSITIVE.match(text, trigger.end)
                # "it was revived a year later" (but "it was cancelling two meetings")
                and not (
                    _PASSIVE.search(text, 0, trigger.start) and lx.PARTICIPLE.search(trigger.word)
                )
            )
        ]
        if not candidates:
            continue
        anaphor = min(candidates, key=lambda a: abs(a.start() - trigger.start))
        # An anaphor points first at channels named earlier in its own sentence; "the
        # former", "the latter" count them in the order they were written.
        # (read in the text: "the first" is the former only before its verb)
        former = lx.FORMER.match(text, anaphor.start()) is not None
        latter = lx.LATTER.match(text, anaphor.start()) is not None
        in_order = former or latter
        local = (_in_order if in_order else _named_first)(
            [m for m in mentions if m.end <= anaphor.start()]
        )
        channels, how, routine = (local, "named", False) if local else antecedents()
        if routine and trigger.kind == RESUMED and not lx.found(lx.GAP, text):
            # "It picked up where it left off": the routine sitting just told, told again
            trace.cues.append(f"{trigger.word}: blocked by routine (the sitting before)")
            continue
        if former:
            channels = channels[:1]
        elif latter:
            channels = channels[-1:]
        elif lx.DUAL.match(anaphor.group()):
            channels = channels[:2]
        if not channels:
            continue
        trace.cues.append(
            f"{trigger.word}: anaphor '{anaphor.group()}' -> {', '.join(channels)} ({how})"
        )
        confidence = 0.75 if how == "named" else 0.65
        notes = (f"anaphor '{anaphor.group()}' ({how} before)", *_notes(text, trigger, background))
        for channel in channels:
            event = _event(
                sentence,
                channel,
                trigger,
                f"{trigger.kind}:anaphora",
                confidence,
                dates,
                text,
                notes,
            )
            events.setdefault((channel, trigger.kind), event)
            positions[(channel, trigger.kind)] = trigger.start
    # One sentence, both changes for one channel ("suspended in 2022 and revived after
    # Woodside"): the last told is the news, the other its background.
    for channel, kind in list(events):
        other = (channel, RESUMED if kind == SUSPENDED else SUSPENDED)
        if other in events and positions[other] > positions[(channel, kind)]:
            del events[(channel, kind)]
    trace.events = list(events.values())
    return trace


_THEM_OBJECT = re.compile(r"\s+them\b", re.IGNORECASE)


def _has_own_subject(text: str, trigger: Trigger, mentions: list[Mention]) -> bool:
    """Whether the trigger's clause opens on a subject of its own, before a passive, that
    names no channel: "…, though a planned visit by the delegation was called off"."""
    start, _ = _clause_bounds(text, trigger.start)
    subject = _OWN_SUBJECT.fullmatch(text, start, trigger.start)
    return bool(
        subject
        and not any(start <= m.start < trigger.start for m in mentions)
        and not lx.found(lx.DIALOGUE_NOUNS, text, start, trigger.start)
        # (the channel's sittings are the channel: "though the sessions were suspended")
        and not _SITTINGS.search(text, start, trigger.start)
    )


_SITTINGS = re.compile(r"\b(?:sessions?|rounds?|sittings?)\b", re.IGNORECASE)
# A clause's own subject up to its passive verb: "a planned visit by the delegation was".
_OWN_SUBJECT = re.compile(
    r"\W*(?:(?:though|although|while|whereas|but|yet|and)\s+)?(?:a|an|the|its|their|his|her)\s+"
    r"(?:[\w'’.-]+\s+){0,7}?(?:was|were|is|are|(?:has|have|had)\s+been)\s+(?:\w+ly\s+)?",
    re.IGNORECASE,
)


def _owned_by_another(text: str, mention: Mention) -> bool:
    """Whether a channel's name is a forum's or another owner's: "the G20's financial
    track", "climate talks among the major emitters", "California's climate talks"."""
    # (the forums' patterns hold a forum's name: where the sentence has none, they cannot match)
    forum, named_forum = _names_a_forum(text)
    return bool(
        (mention.how == "topic" and forum and not _is_bilateral(text))
        or (forum and _FORUM_BEFORE.search(text, 0, mention.start))
        or (forum and _FORUM_AFTER.match(text, mention.end))
        or (
            forum
            and _AT_FORUM_BEFORE_VERB.match(text, mention.end)
            # (not a change's object: "the unfreezing of the climate dialogue at COP27 owed …")
            and not _OF_BEFORE.search(
                text, _start_of_last_words(text, mention.start, 2), mention.start
            )
            and not _is_bilateral(text)
        )
        or _of_many_parties(text)
        or (named_forum and _NAMED_FORUM_BEFORE.search(text, 0, mention.start))
        or (named_forum and _NAMED_FORUM_AFTER.match(text, mention.end))
        or _OTHER_OWNER.search(text, _start_of_last_words(text, mention.start, 2), mention.start)
        # "Washington and Moscow …, though arms control talks between them were suspended":
        # "them" are the other pair named before
        or (
            _BETWEEN_THEM.match(text, mention.end) is not None
            and lx.found(lx.OTHER_COUNTRY, text, 0, mention.start)
            and not _names_both_sides(text)
        )
    )


_BETWEEN_THEM = re.compile(r"\s+(?:between|among)\s+(?:them|the\s+two)\b", re.IGNORECASE)


def _start_of_last_words(text: str, end: int, count: int) -> int:
    """Where the last `count` words before `end` begin, words being split on whitespace:
    a pattern that must end at `end` and spans no more words can start no earlier."""
    head = text[:end]
    for _ in range(count):
        head = head.rstrip()
        head = head[: len(head) - len(head.rsplit(None, 1)[-1])] if head else head
    return len(head)


# (asked of each channel and each trigger of a sentence: answered once per sentence)
@lru_cache(maxsize=256)
def _of_many_parties(text: str) -> bool:
    """ "the U.S., China and Japan", "talks among 40 countries": more than the two."""
    return lx.found(lx.MANY_PARTIES, text) or (
        lx.found(lx.COUNTED_PARTIES, text) and not _is_bilateral(text)
    )


@lru_cache(maxsize=256)
def _names_a_forum(text: str) -> tuple[bool, bool]:
    """Whether the text names a forum ("the G20"), and one by its proper name."""
    return lx.found(lx.MULTILATERAL, text), _A_FORUM_NOUN.search(text) is not None


@lru_cache(maxsize=256)
def _is_bilateral(text: str) -> bool:
    return lx.holds_any(_BILATERAL_NEEDS, text) and _BILATERAL.search(text) is not None


def _forum_subject(text: str, trigger: Trigger, mentions: list[Mention]) -> bool:
    """Whether the trigger's own clause has a forum, and no channel, before it: "…; the
    plenary was suspended again", "the G20 session was called off"."""
    start, _ = _clause_bounds(text, trigger.start)
    if any(start <= m.start < trigger.start for m in mentions) or _is_bilateral(text):
        return False
    return bool(
        _FORUM_SUBJECT.fullmatch(text, start, trigger.start)
        or _NAMED_FORUM_SUBJECT.fullmatch(text, start, trigger.start)
        # "At the Shangri-La Dialogue, which resumed in person in 2022, …": the relative
        # clause's subject is the forum
        or (
            _names_a_forum(text)[0]
            and _FORUM_WHICH.search(
                text, _start_of_last_words(text, trigger.start, 7), trigger.start
            )
        )
    )


# A relative clause on a forum, up to its verb: "the Shangri-La Dialogue, which".
_FORUM_WHICH = re.compile(
    r"(?:" + lx.MULTILATERAL.pattern + r")(?:\s+[\w'’-]+){0,2}?,?\s+(?:which|that)\s+"
    r"(?:(?:has|have|had|was|were|is|are|been|again|finally|quietly|formally|only)\s+)*$",
    re.IGNORECASE,
)
# … or by a forum's proper name: "The Financial Action Task Force suspended …".
_NAMED_FORUM_SUBJECT = re.compile(
    r"\W*(?:[Tt]he\s+)?(?:" + lx.FORUM_NAME + r"|(?:[A-Z][\w-]*\s+){1,3}Task\s+Force)\s+"
    r"(?:(?:has|have|had|was|were|is|are|been|again|abruptly|quietly|formally)\s+)*"
)
# A clause opened by a forum or its session as the subject, up to its verb: "the plenary
# was", "the G20's finance track has been".
_FORUM_SUBJECT = re.compile(
    r"\W*(?:(?:and|but|while|yet|meanwhile)\s+)?(?:the\s+|its\s+|this\s+year's\s+)?"
    r"(?:[\w'’-]+\s+){0,2}?(?:" + lx.MULTILATERAL.pattern + r")(?:'s|’s)?(?:\s+[\w'’-]+){0,2}?\s+"
    r"(?:(?:was|were|is|are|has|have|had|been|being|again|abruptly|quietly|formally|itself)\s+)*",
    re.IGNORECASE,
)


def _of_another_thing(text: str, trigger: Trigger, mentions: list[Mention]) -> bool:
    """Whether a trigger used as an adjective ("the halted shipments") or a noun with its
    "of" ("the freezing of criminal assets") names a thing that is no channel."""
    word = trigger.word.lower()
    if (
        not trigger.nominal
        and not _several_words(word)
        and (_GERUND.fullmatch(word) or _INFINITIVE_BEFORE.search(text, 0, trigger.start))
    ):
        # "covered methane and halting deforestation": a gerund with an object of its own
        # that is no channel stops that thing
        thing = _GERUND_THING.match(text, trigger.end)
        return thing is not None and not (
            _may_be_a_channel(text, thing, mentions) or lx.ANAPHOR.search(text, *thing.span(1))
        )
    up_again = _UP_AGAIN.fullmatch(text, trigger.start, trigger.end) or (
        _UP_AGAIN_BARE.fullmatch(trigger.word) and _TAKEN_UP_AFTER.match(text, trigger.end)
    )
    if up_again:
        # "took up the question of Xinjiang again", "taking up again their concerns about
        # subsidies": a topic taken up, not a channel
        return not _may_be_a_channel(text, up_again, mentions)
    if (
        not word.endswith(("ed", "ing"))
        and not _several_words(word)
        and _A_NOUN_BEFORE.search(text, max(0, trigger.start - 30), trigger.start)
    ):
        # "a separate freeze on chip exports", "a halt on new permits": what is stopped
        thing = _ON_THING.match(text, trigger.end)
        if thing is not None:
            return not _may_be_a_channel(text, thing, mentions)
    if not trigger.nominal and word.endswith("ed") and not _several_words(word):
        return _has_own_object(text, trigger, mentions)
    if not trigger.nominal or _several_words(word):
        return False
    if word.endswith("ed"):
        # only after a determiner: "Suspended as of Aug. 5: …" heads a list
        before = text[max(0, trigger.start - 12) : trigger.start]
        thing = _MODIFIED.match(text, trigger.end) if _DETERMINER.search(before) else None
    elif lx.NOMINAL.search(word) or word.endswith("ing"):
        thing = _OF_THING.match(text, trigger.end)
    else:
        return False
    return thing is not None and not _may_be_a_channel(text, thing, mentions)


def _has_own_object(text: str, trigger: Trigger, mentions: list[Mention]) -> bool:
    """Whether a verb in the past with no channel before it in its clause has an object
    that is no channel: "Beijing halted purchases of U.S. soybeans on Monday, as Treasury
    staff prepared for the economic dialogue" stops purchases, not the dialogue."""
    thing = _VERB_THING.match(text, trigger.end)
    if thing is None or _may_be_a_channel(text, thing, mentions):
        return False
    # "cancelled port visits, the MMCA talks and …": the first of a list, not all its object
    item = _NEXT_ITEM.match(text, thing.end())
    if item and any(m.start == item.end() for m in mentions):
        return False
    start, _ = _clause_bounds(text, trigger.start)
    return not (
        lx.ANAPHOR.search(text, *thing.span(1))
        or any(start <= m.start < trigger.start for m in mentions)
        # "the two were nonetheless halted together": a passive has no object
        or _BEEN_BEFORE.search(text[max(start, trigger.start - 30) : trigger.start])
    )


def _may_be_a_channel(text: str, thing: re.Match[str], mentions: list[Mention]) -> bool:
    """Whether the phrase a change is said of (group 1 of `thing`) holds a channel, a
    dialogue noun or a word that may stand for one."""
    a, b = thing.span(1)
    return bool(
        any(a <= m.start < b + 1 for m in mentions)
        or lx.DIALOGUE_NOUNS.search(text, a, b)
        or _CHANNEL_LIKE.search(text, a, b)
    )


# The noun phrase an attributive participle modifies: up to four words, the last a plural
# or capitalised noun ("halted shipments", "the halted New START inspections").
_MODIFIED = re.compile(
    r"\s+((?:[\w.'’-]+\s+){0,3}?[\w'’-]+s)(?=\s*(?:[.,;:]|$|\s(?:at|in|of|on|from|to|that|which|and|last|this)\b))"
)
# The "of" phrase of a noun of change, to the next comma or clause.
# ("of the China-U.S. talks": the stop inside an abbreviation ends nothing)
_OF_THING = re.compile(r"\s+of\s+((?:[\w.'’-]+\s+){0,4}?[\w'’-]+)(?=\s*(?:[,;:]|\.(?![\w-])|$))")
# A noun's article, and at most one word after it: "a separate ", "the ".
_A_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|any|its|their)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# … and its "on" phrase: "a freeze on chip exports" (not a day or a month: "a halt on Monday").
_ON_THING = re.compile(
    r"\s+on\s+(?!(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug"
    r"|sep|oct|nov|dec|the\s+\d|\d))((?:[\w.'’-]+\s+){0,4}?[\w'’-]+)(?=\s*(?:[,;:]|\.(?![\w-])|$))"
)
# The object of a gerund: a noun phrase of up to four words right after it, to the end of
# its clause ("halting deforestation", "resuming construction").
_GERUND_THING = re.compile(
    r"\s+(?!(?:in|on|at|after|before|since|for|from|with|by|to|again|all|its|their|the|a|an|this"
    r"|that|them|it|both|any|some|temporarily|quietly|formally|officially|abruptly|altogether)\b)"
    r"((?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?=\s*(?:[,;:]|\.(?![\w-])|$)|\s+(?:between|among|in|at|on|with|from))",
    re.IGNORECASE,
)
# … and of a verb in the past, up to a time told after it ("halted purchases of U.S.
# soybeans on Monday"); an abbreviation's stops are inside the phrase.
_VERB_THING = re.compile(
    r"\s+(?!(?:in|on|at|after|before|since|for|from|with|by|to|again|all|its|their|the|a|an|this"
    r"|that|them|it|both|any|some|temporarily|quietly|formally|officially|abruptly|altogether"
    # (a verb after it is its complement, not an object: "ceased working with …")
    r"|\w+ing)\b)"
    r"((?:[\w.'’-]+\s+){0,5}?[\w'’-]+)"
    r"(?=\s*(?:[,;:]|\.(?![\w-])|$)|\s+(?:on|last|this|after|following|amid)\b)",
    re.IGNORECASE,
)
# The next item of a list, up to its first word: ", the MMCA talks".
_NEXT_ITEM = re.compile(r",\s+(?:(?:and|or)\s+)?(?:(?:the|its|their)\s+)?", re.IGNORECASE)
# What is taken up or picked up again, between the verb and "again": "took up the question
# of Xinjiang again".
_UP_AGAIN = re.compile(r"\w+\s+up\s+(.+?)\s+again", re.IGNORECASE)
# … or after "again": "taking up again their concerns", up to a preposition or the clause's end.
# (not "started up again this spring": a time, and the channel's own start)
_UP_AGAIN_BARE = re.compile(lx.TAKE + r"\s+up\s+again", re.IGNORECASE)
_TAKEN_UP_AFTER = re.compile(
    r"\s+((?:the|their|its|his|her|our|a|an)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+)"
    r"(?=\s*(?:[,;:.]|$)|\s+(?:about|on|of|over|regarding|with|in|at|from|for|to)\b)",
    re.IGNORECASE,
)
# A verb in its bare form after "to" or "help": "was meant to help halt dangerous encounters".
_INFINITIVE_BEFORE = re.compile(r"\b(?:to|help|helps|helped)\s+$", re.IGNORECASE)
# Words that may stand for a channel in such a phrase.
_CHANNEL_LIKE = re.compile(
    r"\b(?:ties|links|relations|engagement|diplomacy|rounds?|sessions?|plenar\w+|flights?|it|them"
    r"|these|those|both|all|each|two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
    re.IGNORECASE,
)


# "After a hiatus", "after a long lull": a gap, told before or after the meeting that ends it.
_GAP_MARKER = re.compile(r"after\s", re.IGNORECASE)
# A meeting that took place: what a gap before it makes a resumption ("After a hiatus, the
# group met"; "X, dormant for four years, met again").
_MET = re.compile(
    r"\b(?:met|spoke|talked|convened|gathered|sat\s+down|held\s+(?:talks|(?:a|an|their|its)\s+"
    r"(?:[\w-]+\s+)?(?:meeting|session|round|call|dialogue)))\b",
    re.IGNORECASE,
)


def _anchor_gaps(text: str, triggers: list[Trigger], mentions: list[Mention]) -> list[Trigger]:
    """A gap told beside a meeting ("After a hiatus, the talks met in May") reports a
    resumption, and the meeting's verb is the trigger: its cues are the meeting's. A gap
    with no meeting is left to the other triggers ("resumed after a long hiatus")."""
    markers = [t for t in triggers if t.kind == RESUMED and _GAP_MARKER.match(t.word)]
    kept = [t for t in triggers if t not in markers]
    # "The macroeconomic dialogue, dormant for four years, met again": a suspension in
    # apposition to the channel, then its meeting.
    aside = [
        t
        for t in kept
        if t.kind == SUSPENDED
        and any(
            m.end <= t.start and lx.APPOSITIVE.fullmatch(text, m.end, t.start) for m in mentions
        )
    ]
    if not (markers or aside) or any(t.kind == RESUMED for t in kept):
        return kept
    after = min(t.end for t in aside) if aside and not markers else 0
    met = _MET.search(text, after)
    if met is None:
        return kept
    anchored = Trigger(RESUMED, met.start(), met.end(), met.group(), False)
    return sorted([*kept, anchored], key=lambda t: t.start)


def _trigger_spans(text: str) -> list[Trigger]:
    """Every trigger in the text, with offsets in it."""
    lowered = text.lower()
    if len(lowered) == len(text):
        spans = _scan_triggers(lowered)
    else:  # rare scripts whose lowercase changes length
        spans = sorted(
            (
                (kind, m.start(), m.end())
                for kind, rx in lx.TRIGGERS.items()
                for m in rx.finditer(text)
            ),
            key=lambda span: span[1],
        )
    return [
        Trigger(kind, a, b, text[a:b], _is_nominal(text, a, text[a:b]))
        for kind, a, b in spans
        if not _counts_suspensions(kind, text[a:b])
        # "missile launch notifications": a launch of a thing, not of a channel
        and not (_LAUNCH_NOUN.fullmatch(text, a, b) and _launched_thing_before(text, a))
    ]


_LAUNCH_NOUN = re.compile(r"launch(?:es)?", re.IGNORECASE)
_LAUNCHED_THING = re.compile(
    r"\b(?:missile|rocket|satellite|space|test|ballistic|icbm|product|vehicle)s?[\s-]+$",
    re.IGNORECASE,
)


def _launched_thing_before(text: str, at: int) -> bool:
    """Whether `_LAUNCHED_THING` ends at `at`. Its word must end where the run of spaces and
    hyphens before `at` starts, so only the dozen characters before that are searched (not
    the article up to there)."""
    gap = at
    while gap > 0 and (text[gap - 1].isspace() or text[gap - 1] == "-"):
        gap -= 1
    # (the longest word, "ballistics", is 10 characters; the search may start before it)
    return gap < at and _LAUNCHED_THING.search(text, max(0, gap - 12), at) is not None


_VERB_OF_IT = re.compile(
    r"\b(?:put|puts|putting|make|makes|made|call|calls|called|take|takes|took|describe[sd]?|see|saw)\s+$",
    re.IGNORECASE,
)


def _counts_suspensions(kind: str, word: str) -> bool:
    """ "The first time the talks had been suspended since 2019" measures a suspension."""
    return (
        kind == RESUMED
        and word.lower().endswith("since")
        and bool(lx.TRIGGERS[SUSPENDED].search(word))
    )


def _scan_triggers(lowered: str) -> list[tuple[str, int, int]]:
    """`ANY_TRIGGER`'s matches (kind, start, end), found faster by `AFTER_A_GAP`."""
    # A match opens on the gap before the word: in the text without the space put
    # first, that is where the word starts. Its last group is named after its kind.
    spans = [
        ((m.lastgroup or "").partition("_")[0], m.start(), m.end() - 1)
        for m in lx.AFTER_A_GAP.finditer(" " + lowered)
    ]
    # The two agree unless a trigger ends on a non-word character, where the next one
    # could start with no gap of its own to read: then only the slow scan is exact.
    if any(not _WORD_CHAR.match(lowered, end - 1) for _, _, end in spans):
        spans = [(m.lastgroup or "", m.start(), m.end()) for m in lx.ANY_TRIGGER.finditer(lowered)]
    return spans


_WORD_CHAR = re.compile(r"[\w-]")


def _triggers_by_sentence(found: list[Trigger], sentences: list[Sentence]) -> list[list[Trigger]]:
    """Triggers filed under their sentence, with offsets relative to it."""
    starts = [s.start for s in sentences]
    filed: list[list[Trigger]] = [[] for _ in sentences]
    for t in found:
        i = bisect_right(starts, t.start) - 1
        if i >= 0 and t.end <= sentences[i].end:
            offset = sentences[i].start
            filed[i].append(Trigger(t.kind, t.start - offset, t.end - offset, t.word, t.nominal))
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
    found = [(m.start(), m.end()) for m in lx.clause_boundaries(text)]
    # "Although it may not last, the group was relaunched": the opening clause ends at its comma.
    comma = text.find(",")
    if comma != -1 and (lx.SUBORDINATE_OPENING.match(text) or _is_adjunct(text[:comma])):
        found.append((comma, comma + 1))
    return tuple(sorted(set(found)))


def _is_adjunct(opening: str) -> bool:
    """ "Eager to show goodwill," "Not wanting to appear weak,": a phrase with no verb of
    its own and no change in it, so the cues in it are its own."""
    return bool(
        lx.ADJUNCT_OPENING.match(opening)
        and not lx.PAST.search(opening)
        and not lx.ANY_TRIGGER.search(opening.lower())
    )


def _cues(
    text: str, trigger: Trigger, dates: Iterable[tuple[int, int, str]], published: date | None
) -> list[str]:
    """Every reason the trigger is not a report of fact; empty when it is one."""
    start, end = _clause_bounds(text, trigger.start)
    frames = [m.end() for m in lx.RELATIVE_START.finditer(text, start, trigger.start)]
    # "…, which both ministries say they want to expand, was reopened": once the relative
    # clause closes, the main clause resumes without its cues.
    frames += [c + 1 for f in frames if (c := text.find(",", f, trigger.start)) != -1]
    # ("Officials denied reports that …" keeps its denial: a negated frame is no frame.)
    frames += [
        m.end()
        for m in lx.REPORTING.finditer(text, start, trigger.start)
        if not lx.BLOCKERS["negation"].search(text, start, m.start())
    ]
    # "has tried to call … without success since Beijing suspended defense talks": a
    # change told in a clause of "since" is the fact the main clause counts from, and the
    # main clause's cues are its own
    since = (
        not trigger.nominal
        and lx.holds_any(("since",), text)
        and _SINCE_SUBJECT.search(text, _start_of_last_words(text, trigger.start, 4), trigger.start)
    )
    if since:
        frames.append(since.end())
    before = lx.PSEUDO_NEGATION.sub(" ", text[max([start, *frames]) : trigger.start])
    comma = _AFTER_COMMA.search(text, start, trigger.start)
    if comma and _GERUND.match(trigger.word):
        # "will meet next month, Treasury said, picking up where it left off": a clause of
        # "-ing" after a comma is told in its main clause's mood, said or not
        before = f"{lx.PSEUDO_NEGATION.sub(' ', text[start : comma.start()])} {before}"
    if lx.found(lx.PAST_HABIT_ASIDE, before):
        before = lx.PAST_HABIT_ASIDE.sub(", ", before)
    if lx.found(lx.ATTRIBUTIVE_PLAN, before):
        before = lx.ATTRIBUTIVE_PLAN.sub(" ", before)
    if trigger.flipped:
        before = lx.NO_LONGER.sub(" ", before)
    # A noun trigger is hedged after it, too ("the resumption of talks would help"),
    # within its own phrase: the next eight words.
    after = _before_evidenced_claim(text[trigger.end : end]) if trigger.nominal else ""
    if after and _SHOULD_WORRY.search(after):
        # "its suspension last month should worry …": what the change ought to make others
        # feel, not a hedge on the change
        after = _SHOULD_WORRY.sub(" ", after)
    if after and lx.found(lx.LOWERED_RISK, after):
        after = lx.LOWERED_RISK.sub(" lowered ", after)
    # A long channel name can push a hedge out of those words: read the predicate from its
    # verb too ("the resumption of the defense policy coordination talks … would be …").
    # (a hedge inside a relative clause is the clause's: "removed the only forum in which
    # officers could review …")
    relative = _RELATIVE_OPENER.search(after)
    verb = _PREDICATE_START.search(after, 0, relative.start() if relative else len(after))
    predicate = " ".join(after[verb.start() :].split()[:8]) if verb else ""
    after = " ".join(after.split()[:8])
    if lx.found(lx.PRESUPPOSING, text, start, trigger.start) or _JUDGED.search(before):
        # "called Beijing's termination of the talks irresponsible": the noun is the verb's
        # object, and what follows is no predicate of it
        after = predicate = ""  # "thanks to the reopening of the channel, officers could …"
    cues = (
        [kind for kind, rx in lx.BLOCKERS.items() if lx.found(rx, before)]
        if lx.found(lx.ANY_BLOCKER, before)
        else []
    )
    # After a noun trigger, "not" must deny the verb ("has not happened"), not contrast
    # ("punishes the world, not Washington").
    cues += [
        kind
        for kind, rx in lx.BLOCKERS.items()
        if after
        and kind not in cues
        and (rx.search(after) or (kind != "negation" and rx.search(predicate)))
        and (
            kind != "negation"
            or (_VERBAL_NEGATION.search(after) and not _DENIED_EFFECT.search(after))
        )
        # … and a plan must be the noun's predicate ("is planned"), not what the change
        # did ("the freeze … has hampered efforts to trace …").
        and (kind != "hope_plan" or _PLAN_PREDICATE.search(f"{after} {predicate}"))
        # … and a change dated by its participle is done: "will" hedges its effects ("the
        # halt announced by Beijing on Aug. 5 will cost lives")
        and (kind != "modal" or not _DONE_CHANGE.search(after))
        # … and "will not make us stop" denies the effect of a change made
        and (kind != "modal" or not _WILL_NOT_EFFECT.search(after))
    ]
    # What an aside renaming the change says is said of the change, not a cue on it ("—
    # a precedent some cite whenever the EU-China summit stalls"): the checks that read
    # past the trigger's clause stop before it.
    said = _before_renaming(text, trigger.end)
    if "generic" not in cues and lx.found(
        lx.BLOCKERS["generic"], _without_asides(said[trigger.end : end])
    ):
        cues.append("generic")
    if (
        trigger.nominal
        and _INDEFINITE_SUBJECT.fullmatch(before)
        # "a reopened defense policy channel": a participle as an adjective, no noun of change
        and not trigger.word.lower().endswith("ed")
        # "a first call in 18 months": one meeting, no habit
        and not trigger.word.lower().startswith("first")
    ):
        cues.append("generic")  # "a suspension of military talks costs Beijing little"
    if (
        trigger.nominal
        and _PLURAL_CHANGE.fullmatch(trigger.word)
        # "the suspensions announced last August": these ones, dated
        and not (_PLURAL_DATED.match(text, trigger.end) and _occurred(text, trigger, dates))
    ):
        cues.append("generic")  # "suspensions of military talks are a standard signal"
    if trigger.nominal and re.search(r"\bno\s+(?:[\w-]+\s+)?$", before, re.IGNORECASE):
        cues.append("negation")  # "there has been no restoration of …"
    if trigger.nominal and _ANY_BEFORE.search(before):
        # "responsible for any halt in military dialogue", "made any restart of the talks
        # harder": "any" names no change that was made
        cues.append("hypothetical")
    agreed = lx.AGREED.search(before)
    if agreed and _AIM.search(before, agreed.end()):
        agreed = None  # "agreed to advance efforts to get the talks running again": an aim
    if agreed and _ANY_BEFORE.search(before, 0, agreed.start()):
        agreed = None  # "any agreement to reinstate …": no agreement was made
    modals = {m.group().lower() for m in lx.BLOCKERS["modal"].finditer(before)}
    # "The group will be restored, the two sides agreed": the agreement told after it.
    agreed = agreed or _AGREED_AFTER.match(text, trigger.end)
    if agreed and "modal" in cues and modals <= {"would", "will"}:
        cues.remove("modal")  # "agreed that the calls would be restored" reports the agreement
    if "hope_plan" in cues and agreed and not {"negation", "modal", "conditional"} & set(cues):
        cues.remove("hope_plan")
    # "agreed to restart", "decided … to resume": the infinitive is what was agreed
    agreed_to = agreed and re.search(
        lx.AGREED.pattern + f"(?:{_AGREED_TO}|{_AGREED_AND_TO})", before, re.IGNORECASE
    )
    # "getting the talks restarted", "get them going again": an aim or an order, too.
    if (
        (_INFINITIVE.search(before) or _GET_DONE.search(before))
        # "Beijing's move last week to halt …", "the first moves … was to reinstate …": done
        and not _MOVE_TO.search(before)
        and not agreed_to
        and not _STATE_TO_BE.search(before)
    ):
        cues.append("infinitive")
    if (
        _GERUND.fullmatch(trigger.word)
        and _GERUND_OBJECT.search(text, 0, trigger.start)
        and not _MEASURES_INCLUDE.search(text, 0, trigger.start)
    ):
        cues.append("gerund")  # "suggested reviving", "refrained from suspending": not done
    news = lx.found(_NEWS_SUBJECT, before)  # "the deal revives …" reports, whatever the tense
    if _is_present_simple(trigger, before) and _WHEN.search(text, trigger.end, end) and not news:
        cues.append("scheduled")  # "the group reconvenes on Monday": a timetable, not news
    elif (
        _THIRD_PERSON.fullmatch(trigger.word)
        # "now sits idle", "lies shut": a state told in the present, not a habit
        and not _STATE_VERB.match(trigger.word)
        and not news
        and not trigger.nominal
        and text.rstrip("\"'”’) ").endswith(".")
        and not _occurred(text, trigger, dates)
    ):
        cues.append("generic")  # "the PLA suspends talks to punish": a habit (headlines end bare)
    if _LEAD_IN.search(text, 0, start):
        cues.append("hope_plan")  # "Washington's ask: the restoration of …"
    if _SINCE_ITS.search(before):
        cues.append("time anchor")  # "the group's sixth session since its launch"
    if trigger.nominal and _FOR_A.search(before):
        cues.append("purpose")  # "angling for a restart of", "terms for a resumption": an aim
    if (
        lx.BASE_FORM.match(trigger.word)
        and _IMPERATIVE_OPENING.fullmatch(before)
        # "has decided on the following countermeasures: cancel …" lists a decision
        and not (":" in text[:start] and lx.AGREED.search(text, 0, text.index(":")))
    ):
        cues.append("imperative")
    if lx.INVERTED_CONDITION.match(before) and not text.rstrip().endswith("?"):
        cues.append("conditional")
    if lx.found(lx.DENIAL, text):
        cues.append("negation")  # "reports that Beijing had halted … proved false"
    if lx.found(lx.HEARSAY, before):
        cues.append("hearsay")  # "Rumours swirled that …", "disputed accounts that …"
    if (trigger.nominal or _GERUND.fullmatch(trigger.word)) and lx.NECESSITY.search(
        " ".join(text[trigger.end : end].split()[:14])
    ):
        cues.append("recommendation")  # "Resuming the MMCA talks is essential"
    if any(
        a.start() <= trigger.start < a.end() and not lx.PAST.search(a.group())
        for a in (lx.TIME_CLAUSE.finditer(text) if lx.holds_any(lx.TIME_CLAUSE_NEEDS, text) else ())
    ):
        cues.append("future")  # "By the time the talks resume, …"
    if any(
        q.start() < trigger.start < q.end() and q.group().rstrip('"').rstrip().endswith("?")
        for q in _QUOTED.finditer(text)
    ):
        cues.append("question")  # '"Has Beijing really restored …?" asked one analyst'
    if _SUBJECT_PARTY.fullmatch(text, start, trigger.start):
        cues.append("other parties")  # "Hong Kong suspended its … agreement with the United States"
    if text.rstrip().rstrip("\"'”’)").endswith("?"):
        cues.append("question")
    # "told reporters in Manila": where a change is told is no party to it
    clause = _VENUE.sub(" ", text[start:end])
    # "went dark in May, after the Pentagon announced deployments to the Philippines": a
    # country in an adjunct after the change is no party to it
    adjunct = _ADJUNCT_AFTER.search(text, trigger.end, end)
    if adjunct:
        clause = _VENUE.sub(" ", text[start : adjunct.start()])
    # … nor one named in a later clause ("…, even as it kept up its own security dialogue
    # with Japan") or in an aside renaming the change. The two sides count where the change
    # is told: not in that aside (", a move that left its channels with Washington
    # untouched"), nor after a semicolon ("…; China has never joined such talks with
    # Washington"), nor in a relative clause after the change ("Beijing and Seoul
    # restored their maritime hotline, which had no bearing on the U.S.-China talks").
    told = said[:semicolon] if (semicolon := said.find(";", trigger.end)) != -1 else said
    relative = lx.RELATIVE_START.search(told, trigger.end)
    told = told[: relative.start()] if relative else told
    if not _names_both_sides(told) and (
        lx.found(lx.OTHER_COUNTRY, clause)
        or _names_another_pair(said[: adjunct.start() if adjunct else end])
    ):
        cues.append("other parties")  # "Washington suspended its dialogue with Moscow"
    # (the trigger itself is no gap: "suspended for the night" is routine)
    # A channel that stops after its Nth round has stopped: "ground to a halt after the
    # third round" (a resumption after one is routine: "resumed after the third round").
    # "China halted the former in July; the latter met as scheduled": a sitting told after
    # a semicolon is another sentence's
    semicolon = text.find(";", trigger.end)
    own = text if semicolon == -1 else text[:semicolon]
    # (what is set aside is blanked, not cut, so that offsets into `text` still hold)
    routine_text = (
        _AFTER_NTH_ROUND.sub(_blank, own)
        if trigger.kind == lx.SUSPENDED and _AFTER_NTH_ROUND.search(own, trigger.end)
        else own
    )
    # "picked up where they left off" is the trigger itself, no sitting's routine (a day
    # or a lunch told beside it still is, and so is where it left off: "at the last round")
    if trigger.word.lower().endswith("left off") and not _AT_LAST_SITTING.match(text, trigger.end):
        routine_text = _blanked(routine_text, trigger.start, trigger.end)
    # A cadence set for a later act is not this change's: "reactivated the groups and
    # committed to sharing data on a monthly basis", "agreed to restart the talks and to
    # hold them twice a year".
    # "called off the annual meetings at which officers review …": a cadence naming the
    # series a suspension ends, not one sitting
    series = _SERIES_ENDED.match(text, trigger.end) if trigger.kind == lx.SUSPENDED else None
    # … and one told by what is done at it is the series too: "resumed the annual meeting
    # at which the two sides coordinate defense policy"
    series = series or _SERIES_DESCRIBED.match(text, trigger.end)
    if series:
        routine_text = _blanked(routine_text, series.start(), series.end())
    if trigger.flipped and _routine_beyond(text, trigger):
        routine_text = routine_text[: _CLAUSE_STOP.search(text, trigger.end).start()]
    later_act = _LATER_ACT.search(routine_text, trigger.end)
    if later_act:
        routine_text = routine_text[: later_act.start()]
    if lx.found(lx.ROUTINE, routine_text) and not lx.found(
        lx.GAP, f"{text[: trigger.start]} {text[trigger.end :]}"
    ):
        cues.append("routine")  # "resumed work on Tuesday for the second day of the talks"
    if "generic" not in cues and _tells_a_habit(said):
        cues.append("generic")
    if cues == ["generic"] and (
        len(_occurred(text, trigger, dates) or "") >= 7 or lx.INSTANCE.search(before)
    ):
        cues.remove(
            "generic"
        )  # … unless this change is dated: "In August 2022, as it always does, …"
    # (an agreement to resume next year is news now: the date is the resumption's, the
    # agreement is the fact)
    if not cues and published and not agreed_to:  # dates are costly: only for a live trigger
        occurred = _occurred(text, trigger, dates)
        if occurred and period_start(occurred) > published:
            cues.append("future")
    return list(dict.fromkeys(cues))


def _blanked(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


# "since" and the subject of a verb in the past right after it: "since Beijing", "since
# the PLA had".
_SINCE_SUBJECT = re.compile(
    r"\bsince\s+(?:the\s+)?[A-Z][\w.'’-]*\s+(?:(?:had|has)\s+)?(?:\w+ly\s+)?$"
)
_QUOTED = re.compile(r'"[^"]*"')
_AFTER_COMMA = re.compile(r",\s*$")
# A noun of change dated by its participle: "the halt … announced by Beijing on Aug. 5".
_DONE_CHANGE = re.compile(
    r"\b(?:announced|ordered|imposed|declared)\s+(?:by|on|in|last|this)\b", re.IGNORECASE
)
# A change given as the evidence for a claim: "The restart of the talks shows that contact
# can survive" (the claim's hedges are its own).
_EVIDENCE_THAT = re.compile(
    r"\b(?:shows?|showed|proves?|proved|demonstrates?|demonstrated|suggests?|suggested"
    r"|signal(?:s|l?ed))\s+that\b",
    re.IGNORECASE,
)


# A participle of saying with its clause: ", noting that", ", arguing that".
_NOTING_THAT = re.compile(
    r",\s+(?:noting|adding|arguing|saying|stressing|warning|insisting|explaining"
    r"|acknowledging|conceding|claiming|complaining|cautioning)\s+that\b",
    re.IGNORECASE,
)
# An appositive that renames the clause before it: ", a move", ", a step".
_MOVE_NOUNS = ("move", "step", "decision", "measure", "gesture")
_A_MOVE = re.compile(
    r",\s+(?:in\s+)?(?:a|an)\s+(?:[\w-]+\s+)?(?:" + "|".join(_MOVE_NOUNS) + r")\b",
    re.IGNORECASE,
)


# … or one set off by a dash: "— a precedent some now cite", "-- a step that …" (or a
# comma: ", a reminder that …").
_RENAMING_NOUNS = (*_MOVE_NOUNS, "precedent", "reminder")
_RENAMING_ASIDE = re.compile(
    r"(?:[,—–]|\s--?\s)\s*(?:in\s+)?(?:a|an)\s+(?:[\w-]+\s+)?(?:"
    + "|".join(_RENAMING_NOUNS)
    + r")\b",
    re.IGNORECASE,
)


def _before_renaming(text: str, start: int) -> str:
    """The text up to an aside after `start` that renames the change: what the aside
    says (a habit, another pair) is said of the change, not a cue on it."""
    after = [a for a in _renaming_asides(text) if a >= start]
    return text[: after[0]] if after else text


@lru_cache(maxsize=256)  # (the same text for most triggers of a sentence)
def _tells_a_habit(said: str) -> bool:
    """A habit told anywhere: "the pattern has held: talks are suspended …"."""
    told = (
        lx.PAST_HABIT_ASIDE.sub(", ", said) if lx.found(lx.PAST_HABIT_ASIDE, said) else said
    )  # "the talks, held every year until 2022, resumed"
    told = _without_asides(told)  # "channels that rarely make headlines"
    return lx.found(lx.BLOCKERS["generic"], told) or any(
        not lx.PAST.search(when.group())
        # "the hotline, which is used when ships meet": what the channel is for
        and not _IN_RELATIVE.search(said, 0, when.start())
        for when in (
            lx.WHEN_CLAUSE.finditer(said) if lx.holds_any(lx.WHEN_CLAUSE_NEEDS, said) else ()
        )
    )


# (asked of each trigger of a sentence: found once per sentence)
@lru_cache(maxsize=256)
def _renaming_asides(text: str) -> tuple[int, ...]:
    if not lx.holds_any(_RENAMING_NOUNS, text):
        return ()
    return tuple(a.start() for a in _RENAMING_ASIDE.finditer(text))


def _in_a_move(text: str, start: int, end: int) -> bool:
    """Whether an appositive renaming the change opens between `start` and `end` and runs
    on to `end` ("…, in a move that stunned Washington, the climate talks" closes first)."""
    move = _A_MOVE.search(text, start, end)
    return move is not None and "," not in text[move.end() : end]


_WITH_ADJUNCT = re.compile(r",\s+with\b", re.IGNORECASE)
# Where something was said: "told reporters in Manila", "said in Tokyo on Monday".
_VENUE = re.compile(
    r"\b(?:told\s+(?:reporters|journalists|the\s+press)|said|says|spoke|speaking)"
    r"\s+(?:[\w-]+\s+){0,2}?in\s+[A-Z][\w-]+"
)


def _before_evidenced_claim(after: str) -> str:
    """What follows a noun of change, up to a claim it is the evidence for."""
    evidence = _EVIDENCE_THAT.search(after)
    return after[: evidence.start()] if evidence else after


_SHOULD_WORRY = re.compile(
    r"\b(?:should|must|ought\s+to)\s+(?:\w+ly\s+)?(?:worry|concern|alarm|trouble|disturb|dismay|unsettle|sober)\b",
    re.IGNORECASE,
)
_JUDGED = re.compile(
    r"\b(?:called|welcomed|condemned|critici[sz]ed|denounced|regretted|protested|deplored|praised"
    r"|hailed|lamented|confirmed|followed|ordered)\s+(?:(?:the|its|their|this|that)\s+|[\w.'’-]+['’]s\s+)"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# Measures taken, listed: "the countermeasures include halting …" reports what was done
# (hedges still block: "could include", "proposed countermeasures").
_MEASURES_INCLUDE = re.compile(
    r"\b(?:countermeasures|measures|steps|retaliation)\s+(?:[\w-]+\s+){0,2}?"
    r"includ(?:e|es|ed|ing)\s+$",
    re.IGNORECASE,
)
_AFTER_NTH_ROUND = re.compile(
    r"\b(?:after|following)\s+(?:the|its|their)\s+(?:second|third|fourth|fifth|sixth|seventh"
    # … or by its year, or as the last: "frozen after its 2015 session"
    r"|eighth|ninth|tenth|\d+(?:st|nd|rd|th)|(?:19|20)\d\d|last)\s+(?:round|session|plenary|meeting)\b",
    re.IGNORECASE,
)
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
# Where a running channel left off: its last sitting, not a suspension.
_AT_LAST_SITTING = re.compile(
    r"\s+(?:at|in|after)\s+(?:the|its|their)\s+(?:last|previous|prior)\s+"
    r"(?:round|session|plenary|meeting|sitting)\b",
    re.IGNORECASE,
)
_AGREED_AFTER = re.compile(
    r"[^,;:—–]*,\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,3}?(?:agreed|decided)\b", re.IGNORECASE
)
_LATER_ACT = re.compile(
    r"\band\s+(?:(?:committed|pledged|agreed|promised|vowed|undertook|decided)\s+)?to\s+\w+"
    # "operating again, …, with meetings now taking place twice a year": the cadence since
    r"|,\s+with\s+(?:[\w-]+\s+){0,4}?(?:now\s+)?(?:taking|landing|meeting|held|being|flights?|meetings?|sessions?)\b",
    re.IGNORECASE,
)
# A clause whose subject is another party: "Hong Kong suspended …", "Ottawa restored …".
# (Taiwan and Hong Kong stand here only as the subject: "after arms sales to Taiwan" is
# no other pair.)
_SUBJECT_PARTY = re.compile(
    r"\W*(?:"
    + lx.OTHER_COUNTRY.pattern
    + r"|hong\s+kong|macau|macao|taiwan|taipei)(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}",
    re.IGNORECASE,
)
_VERBAL_NEGATION = re.compile(
    r"\b(?:has|have|had|is|are|was|were|did|does|do|will|would|could|can)\s+(?:not|never)\b|n't\b"
    r"|\bnever\s+\w+",
    re.IGNORECASE,
)
# "The resumption … has not stopped the intercepts": what the change failed to do.
_DENIED_EFFECT = re.compile(
    r"(?:\bnot|\bnever|n't)\s+(?:yet\s+)?(?:stop|stopped|end|ended|prevent|prevented|ease|eased"
    r"|change|changed|reduce|reduced|help|helped|solve|solved|improve|improved|curb|curbed"
    r"|deter|deterred|resolve|resolved|slow|slowed|halt|halted|produce|produced|yield|yielded"
    r"|deliver|delivered|restore|restored|rebuild|rebuilt|brought|bring|make|made|force|forced"
    # "Suspending climate cooperation doesn't punish the United States": whom it hits
    r"|punish|punished|hurt|harm|harmed|affect|affected)\b",
    re.IGNORECASE,
)
_WILL_NOT_EFFECT = re.compile(
    r"\bwill\s+(?:not|never)\s+(?:make|force|stop|change|deter|break)\b|\bwon't\s+(?:make|force|stop|change|deter|break)\b",
    re.IGNORECASE,
)
# A gerund that is the object of a verb or a preposition names an act, it does not
# report one: "suggested reviving", "little to lose by restarting", "China suspending".
# After "and", a comma, a start verb, a presupposing preposition, a form of "be" ("is
# resuming") or a determiner ("the reopening", a possessive: "Monday's reopening") it still
# reports one.
_GERUND_OBJECT = re.compile(
    r"(?<![,;:])\s(?![\w-]+['’]s\s+$)(?!(?:and|or|then|after|since|following|despite|with|began|begun|started|start|starts|also|quietly|formally|officially|effectively|thereby|while|when|before|upon|on|in|not\s+only|am|is|are|was|were|be|been|being|the|a|an|any|its|their|this|that|his|her|our)\s+$)[\w'’-]+\s+$",
    re.IGNORECASE,
)
# China with a party that is not the U.S.: "Brazil and China". Each pattern with the
# words it needs one of: it is searched only where the sentence holds one (few do).
_OTHER_PAIRS = (
    (
        ("chin", "beijing"),
        re.compile(
            # ("the Department of Homeland Security and China's Ministry of Public
            # Security": an owner)
            r"\b[A-Z][\w.]*\s+and\s+(?:the\s+)?(?:China|Beijing)\b(?!['’]s\b)"
            r"|\b(?:China|Beijing)\s+(?i:and)\s+(?!(?i:the\s+)?(?:United\s+States|U\.?S\b)|Washington\b|America)(?i:the\s+)?[A-Z][\w.]*"
            r"|\bChinese\s+(?i:and)\s+(?!U\.?S\b|American\b)[A-Z]\w+\s+(?i:officials|diplomats|negotiators|envoys|ministers)\b"
            # "the EU-China human rights dialogue", "China-Japan talks"
            r"|\b(?!U\.?S\b|US\b|America|Washington|Sino)(?:EU|[A-Z][a-z]{2,})-(?:China|Chinese)\b"
            r"|\bChina-(?!U\.?S\b|US\b|America|United|Washington)[A-Z]"
        ),
    ),
    (
        ("between",),
        # "between Hong Kong and Macau": neither of the two
        re.compile(
            r"\b(?i:talks|dialogue|cooperation|channels?|contacts|consultations)\s+(?i:between)\s+"
            r"(?!(?i:the\s+)?(?:U\.?S|United\s+States|Washington|America|China|Beijing)\b|(?i:the\s+two)\b|[A-Z][a-z]*\.)"
            r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?"
            r"\s+(?i:and)\s+(?!(?i:the\s+)?(?:U\.?S|United\s+States|Washington|America|China|Beijing)\b)(?i:the\s+)?[A-Z]"
        ),
    ),
    (
        ("-",),
        # "U.S.-Russian strategic stability talks", "Sino-Japanese talks": one of the two
        # with a third country in a hyphenated pair (a known country: "U.S.-led" is no pair)
        re.compile(
            r"(?<![\w.])(?:U\.S\.|US|American|Washington|Sino)-(?i:"
            + lx.OTHER_COUNTRY.pattern.removeprefix(lx.WORD_START)
            + r")"
        ),
    ),
    (
        ("flights", "deportations", "removals"),
        # "deportation flights to Venezuela": the other end is a third party (a known
        # country, not any capital: "flights to The United States" or "to Resume" in a
        # title-cased text is no third party)
        re.compile(
            r"\b(?i:flights|deportations|removals)\s+(?i:to|from)\s+(?i:the\s+)?(?i:"
            + lx.OTHER_COUNTRY.pattern
            + r")"
        ),
    ),
    (
        ("with",),
        re.compile(
            # "talks with Moscow"
            r"\b(?i:talks|dialogue|consultations)\s+(?i:with)\s+(?i:"
            + lx.OTHER_COUNTRY.pattern
            + r")"
            # "economic talks with Taipei's business groups": across the strait, not with
            # the U.S.
            r"|\b(?i:talks|dialogue|consultations|exchanges)\s+(?i:with)\s+(?:Taiwan|Taipei)\b"
        ),
    ),
)


def _names_another_pair(text: str) -> bool:
    return any(lx.holds_any(needs, text) and rx.search(text) for needs, rx in _OTHER_PAIRS)


# "reactivated after a four-year freeze": a span of time told as background.
_AFTER_A = re.compile(r"\b(?:after|following)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# "after the two sides had agreed to resume", "after Beijing had cut", "after they had been"
# (searched only in the last _AFTER_REACH characters before a trigger: it can reach no further)
_AFTER_REACH = 120
_AFTER_CLAUSE = re.compile(
    r"\b(?:after|following)\s+[^,;:—–()]{0,60}\bhad\s+(?:(?:been|[\w-]+\s+to)\s+)?$",
    re.IGNORECASE,
)
_AFTER_THE = re.compile(
    r"\b(?:after|following|since)\s+(?:the|its|their|this|that)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
_GERUND = re.compile(r"(?!bring)[a-z-]+ing", re.IGNORECASE)  # one word: "reviving", not "bring"
# When a present-tense change is set: "on Monday", "in May", "on the 12th".
_WHEN = re.compile(
    r"\b(?:on|in|next)\s+(?:the\s+\d{1,2}(?:st|nd|rd|th)\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    # "restart later this month", "reopens later in the year"
    r"|\blater\s+(?:this|in\s+the)\s+(?:week|month|year|spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)


def _without_asides(text: str) -> str:
    """The text without relative clauses and interpretations, where a habit word is said
    of a noun ("channels that rarely make headlines") or is a reading ("read in
    Washington as a signal"), not of the change. (A habit in the trigger's own clause
    is still read there: "the channel that Beijing typically suspends".)"""
    if lx.holds_any(_READING_VERBS, text):
        text = _READ_AS.sub(" ", text)
    if lx.holds_any(_RELATIVE_PRONOUNS, text):
        text = _RELATIVE_CLAUSE.sub(" ", text)
    if lx.holds_any(("since",), text):
        text = _COUNT_SINCE.sub(_count_of_another_act, text)
    return text


# A count of what followed a change: "and Austin has since spoken with Adm. Dong several
# times" is a record after the fact, no habit of the change.
_COUNT_SINCE = re.compile(
    r"\b(?:has|have|had)\s+since\s+[^,;]{0,80}?\b(?:two|three|four|five|six|several|many|\d+)\s+times\b",
    re.IGNORECASE,
)


def _count_of_another_act(count: re.Match[str]) -> str:
    """The count blanked, unless what it counts is a change ("has since suspended the talks
    three times" is a habit of the change)."""
    return count.group() if lx.ANY_TRIGGER.search(count.group().lower()) else " "


def _several_words(word: str) -> bool:
    """A trigger of more than one word ("set up", "cut off"), whatever space is between:
    text from web pages puts no-break spaces there too."""
    return len(word.split()) > 1


def _is_present_simple(trigger: Trigger, before: str) -> bool:
    """A present-tense verb: "reconvenes", or "restart" after a plural subject."""
    word = trigger.word.lower()
    if _several_words(word) or trigger.nominal:
        return False
    if word.endswith("s") and not word.endswith("ss"):
        return True
    return bool(lx.BASE_FORM.match(word) and re.search(r"\ws\s+$", before))


_RELATIVE_OPENER = re.compile(
    r"\b(?:(?:in|on|at|by|through|under|from|with)\s+which|where|whom)\b", re.IGNORECASE
)
_READING_VERBS = (
    "read",
    "seen",
    "interpreted",
    "viewed",
    "taken",
    "understood",
    "regarded",
    "construed",
)
_READ_AS = re.compile(
    r"\b(?:" + "|".join(_READING_VERBS) + r")\s+(?:[\w.-]+\s+){0,3}?as\s+(?:a|an)\s+",
    re.IGNORECASE,
)
_STATE_VERB = re.compile(r"(?:sits|lies|remains|stays)\s", re.IGNORECASE)
_ADJUNCT_AFTER = re.compile(
    r",\s+(?:after|following|because|amid|as|when|weeks?\s+after|days?\s+after|months?\s+after)\s",
    re.IGNORECASE,
)
# A relative clause that says what a noun is like ("channels that rarely make headlines"):
# a habit told in it is the noun's, not the change's.
_RELATIVE_PRONOUNS = ("that", "which", "who")
_RELATIVE_CLAUSE = re.compile(
    r"(?<=[a-z])\s+(?:" + "|".join(_RELATIVE_PRONOUNS) + r")\s+[^,;:.—–]*", re.IGNORECASE
)
_IN_RELATIVE = re.compile(r"\b(?:which|who)\b[^,;:]*$", re.IGNORECASE)
# "The deal revives …": a present tense with an event for its subject reports that event.
# So does a numbered item of a list of measures: "No. 1 cancels the theater commanders
# talk and No. 8 suspends the climate talks".
_NEWS_SUBJECT = re.compile(
    r"(?:\b(?:deal|agreement|decision|move|announcement|step|accord|truce|statement|summit|pact"
    r"|consensus|order|directive)|\bNo\.\s*\d+|\b(?:item|measure|point)\s+(?:No\.\s*)?\d+)"
    r"\s+(?:also\s+|effectively\s+|formally\s+)?$",
    re.IGNORECASE,
)
# A verb in the present tense, third person: "suspends", "cuts off", "goes dark".
_THIRD_PERSON = re.compile(r"(?!(?:is|was|has|does)\b)[a-z-]+[^s\W]s(?:\s.*)?", re.IGNORECASE)
# A label before a colon that makes what follows an aim: "Washington's ask: the restoration of …".
_LEAD_IN = re.compile(
    r"\b(?:ask|goal|aim|priority|recommendation|demand|hope|wish|proposal)\s*:\s*$", re.IGNORECASE
)
# An agreement of any kind, which none has reached yet: "any agreement", "any new decision".
# What may stand before an imperative: "and", "then", or the ordinal of a numbered
# recommendation ("First, reopen the MMCA channel. Second, resume …").
_IMPERATIVE_OPENING = re.compile(
    r"[\W\d]*(?:(?:first|second|third|fourth|fifth|next|finally|lastly|firstly|secondly"
    r"|thirdly)\s*[,:]\s*)?(?:(?:and|then|to)\s+)?",
    re.IGNORECASE,
)
_ANY_BEFORE = re.compile(r"\bany\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# What an agreement may be to pursue rather than to do.
_AIM = re.compile(
    r"\b(?:efforts?|work\w*\s+toward|tr(?:y|ies|ied|ying)\s+to|seek\w*|aim\w*|attempt\w*"
    r"|explor\w*|consider\w*|stud(?:y|ying|ied))\b",
    re.IGNORECASE,
)
# "Since its launch", "the fourth time since the group was set up": a start that times
# what follows, not news.
_SINCE_ITS = re.compile(
    r"\bsince\s+(?:its|their)\s+$"
    r"|\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)|latest)"
    r"\s+(?:time|meeting|session|round)\s+since\s+[^,;:]*$",
    re.IGNORECASE,
)
_FOR_A = re.compile(r"\b(?:for|toward|towards)\s+(?:a|an)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_PREDICATE_START = re.compile(
    r"\b(?:is|are|was|were|has|have|had|would|will|could|should|must|can|may|might)\b",
    re.IGNORECASE,
)
# Many changes at once are a habit, not a report: "suspensions of …", "revivals of …".
_INDEFINITE_SUBJECT = re.compile(r"\W*(?:a|an|any)\s+(?:[\w-]+\s+)?", re.IGNORECASE)
_PLURAL_DATED = re.compile(r"\s+(?:announced|ordered|imposed|made|declared)\b", re.IGNORECASE)
_PLURAL_CHANGE = re.compile(r"\w+(?:ions|als|ments)", re.IGNORECASE)
_GET_DONE = re.compile(r"\b(?:get|gets|getting)\s+(?:[\w'’-]+\s+){1,6}$", re.IGNORECASE)
_PLAN_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|be|being|been)\s+(?:\w+\s+)?" + lx.BLOCKERS["hope_plan"].pattern,
    re.IGNORECASE,
)
# "continues to be suspended", "remain to be restored"? no: a state, not a plan.
_STATE_TO_BE = re.compile(
    r"\b(?:continu\w*|remain\w*|seem\w*|appear\w*)\s+to\s+be\s+$", re.IGNORECASE
)
# "to resume", "is to be reopened", "to get … going again"; after "agreed (…) to" a fact.
# ("to start moving again": a start of a motion is as much an aim; "to leave it dormant" a
# state one means to keep)
_INFINITIVE = re.compile(
    r"\bto\s+(?:be\s+|have\s+been\s+|(?:get|keep|leave)\s+(?:\S+\s+){0,4}|(?:start|begin)\s+)?"
    r"(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
# "agreed to set up a working group … and to resume …": the second infinitive shares the first's verb.
_MOVE_TO = re.compile(
    r"(?:['’]s|\b(?:its|their))\s+(?:[\w-]+\s+)?(?:move|decision|order)\s+(?:[\w.'’-]+\s+){0,4}?to\s+$"
    r"|\b(?:moves|steps|acts|decisions)\b[^;:]{0,80}\b(?:was|were)\s+to\s+$",
    re.IGNORECASE,
)
_AGREED_AND_TO = r"\s+(?:[\w.'’-]+\s+){0,4}to\s+[^;:.]*\band\s+to\s+$"
_AGREED_TO = (
    r"(?:,[^,;:]*,)?\s+(?:[\w.'’-]+\s+){0,4}to\s+(?:be\s+|get\s+(?:\S+\s+){0,4}|(?:start|begin)\s+)?"
    r"(?:\w+ly\s+)?$"
)


class _LazyDates:
    """The sentence's stated dates, found on first use."""

    def __init__(self, text: str, published: date | None) -> None:
        self._text, self.published = text, published
        self._found: list[tuple[int, int, str]] | None = None

    def __iter__(self) -> Iterator[tuple[int, int, str]]:
        if self._found is None:
            self._found = find_dates(self._text, self.published)
        return iter(self._found)


def _no_longer(text: str, trigger: Trigger, verdicts: dict[Trigger, list[str]]) -> Trigger:
    start, _ = _clause_bounds(text, trigger.start)
    if (
        trigger.kind == SUSPENDED
        and (
            verdicts[trigger] == ["negation"]
            or (verdicts[trigger] == ["negation", "routine"] and _routine_beyond(text, trigger))
        )
        and lx.NO_LONGER.search(text[max(start, trigger.start - 30) : trigger.start])
        and not re.search(r"\bnot\b|n't\b", text[start : trigger.start], re.IGNORECASE)
    ):
        return Trigger(
            RESUMED, trigger.start, trigger.end, trigger.word, trigger.nominal, flipped=True
        )
    return trigger


_CLAUSE_STOP = re.compile(r"[:;]")
_SERIES_DESCRIBED = re.compile(
    r"\s+(?:the|its|their)\s+(?:annual|yearly|quarterly|monthly|biennial|semiannual)\s+"
    r"(?:[\w-]+\s+)?(?:meetings?|talks|sessions?|consultations)(?=\s+(?:at|in)\s+which\b)",
    re.IGNORECASE,
)
_SERIES_ENDED = re.compile(
    r"\s+(?:the|its|their)\s+(?:annual|yearly|quarterly|monthly|biennial|semiannual)\s+"
    r"(?=(?:[\w-]+\s+)?(?:talks|meetings|consultations|dialogues|sessions)\b)",
    re.IGNORECASE,
)


def _routine_beyond(text: str, trigger: Trigger) -> bool:
    """ "no longer suspended: the group met in January, and a second session is planned":
    what follows a colon tells the sessions since, not this change (routine before the
    colon still blocks: `_cues` reads only up to it)."""
    return bool(_CLAUSE_STOP.search(text, trigger.end))


_WHICH_HAD = re.compile(
    r",\s+(?:[\w-]+\s+){0,3}?which\s+had\s+(?:[\w'’.-]+\s+){0,8}$", re.IGNORECASE
)


def _is_background(
    text: str, trigger: Trigger, mentions: list[Mention], live: list[Trigger]
) -> bool:
    """An older change told in passing: "…, suspended after the Pelosi visit, …"."""
    others = [t for t in live if t.kind != trigger.kind and t is not trigger]
    if not others:
        return False
    if trigger.word.lower().endswith("since"):
        # "met for arms control consultations, the first since Beijing called off the
        # talks": the meeting after the gap is the news, the change it counts from is not
        return False
    before = text[: trigger.start]
    if lx.STILL_STATE.search(before[-25:]):
        return False  # "which remain suspended" is the state now, not background
    relative = lx.RELATIVE_BEFORE.search(before)
    # "The flights that China halted in 2022 restarted this spring": a relative clause
    # that holds a change of its own has its verb; the trigger after it is the main verb
    if relative and any(relative.start() <= t.start and t.end <= trigger.start for t in others):
        relative = None
    if (
        relative
        or _AFTER_A.search(before)
        or _HAD_WHEN.search(before)
        # "reinstated last spring, having fallen into abeyance in 2022": the earlier state
        or _HAVING.search(before)
    ):
        return True
    if (
        trigger.nominal
        and _AFTER_THE.search(before)
        and any(t.end <= trigger.start for t in others)
    ):
        return True  # "resumed on Monday after the 2022 suspension"
    # "suspended the talks on Monday, days after the two sides had agreed to resume them":
    # a change told in the pluperfect, in a clause opened by "after" behind the other
    # change, came first.
    after = _AFTER_CLAUSE.search(text, max(0, trigger.start - _AFTER_REACH), trigger.start)
    if after and any(t.end <= after.start() for t in others):
        return True
    # "restored law enforcement cooperation, …, all three of which had been caught up in
    # the 2022 freeze": a change in a relative clause in the pluperfect, told after the
    # other change, came before it
    if (
        lx.holds_any(("which",), text)
        and any(t.end <= trigger.start for t in others)
        and _WHICH_HAD.search(text, _start_of_last_words(text, trigger.start, 14), trigger.start)
    ):
        return True
    # "the first meeting since the 2022 suspension": the change the gap is counted from.
    if any(
        t.word.lower().endswith("since") and _SINCE_WHAT.fullmatch(text, t.end, trigger.start)
        for t in others
    ):
        return True
    preceding = [m for m in mentions if m.end <= trigger.start]
    if preceding and lx.APPOSITIVE.fullmatch(text, max(m.end for m in preceding), trigger.start):
        return True
    # "reopened the human rights dialogue, a channel dormant since 2015": an appositive
    # that renames the news verb's object tells its earlier state
    if any(t.end <= trigger.start for t in others) and _A_CHANNEL_BEFORE.search(
        text, _start_of_last_words(text, trigger.start, 4), trigger.start
    ):
        return True
    dashes = before.count("—") + before.count("–") + before.count(" - ")
    if dashes == 1 and re.search(r"[—–]|\s-\s", text[trigger.end :]):
        return True  # inside a parenthesis: "— one of eight mechanisms China suspended —"
    # A relative clause without its pronoun: "the channel it froze", "channels Beijing froze".
    if any(_BARE_SUBJECT.fullmatch(text, m.end, trigger.start) for m in preceding):
        return True
    # A reduced relative: "military talks cut off after the Pelosi trip are back on track".
    follows_mention = any(0 <= trigger.start - m.end <= 1 for m in mentions)
    participle = bool(lx.PARTICIPLE.search(trigger.word))
    # … and the main verb comes later with its own auxiliary ("… are back on track").
    # (Not one told "after" it: "talks resumed in Dubai, a year after Beijing had cut them".)
    finite_later = any(
        t.start > trigger.end
        and _AUXILIARY_BEFORE.search(text, 0, t.start)
        and not _AFTER_CLAUSE.search(text, max(0, t.start - _AFTER_REACH), t.start)
        for t in others
    )
    # … or the main verb came first and governs the mention ("revived the climate talks
    # frozen since August").
    verb_before = any(
        _OBJECT_GAP.fullmatch(text, t.end, m.start) and 0 <= trigger.start - m.end <= 1
        for t in others
        for m in mentions
        if t.end <= m.start and not t.nominal
    )
    return (participle and follows_mention and (finite_later or verb_before)) or _aside_after(
        text, trigger, others, mentions
    )


# An appositive's noun for a channel, right before the state word told of it: ", a
# channel dormant since 2015", ", a forum frozen after …".
_A_CHANNEL_BEFORE = re.compile(
    r",\s+(?:a|an|one)\s+(?:[\w-]+\s+)?(?:channel|dialogue|mechanism|forum|track|group|format"
    r"|hotline|line)\s+$",
    re.IGNORECASE,
)
# "…, suspended in August 2022 over Taiwan, …": a participle set off by a comma and
# followed by an adjunct, not an object; "a dialogue left dormant after 2017".
_COMMA_BEFORE = re.compile(r",\s+(?:(?:first|originally|later)\s+)?$")
_LEFT_BEFORE = re.compile(r"\b(?:left|kept)\s+$", re.IGNORECASE)
_ADJUNCT_NEXT = re.compile(
    r"\s+(?:in|on|since|after|over|by|during|for|last|amid|following|until)\b", re.IGNORECASE
)


def _aside_after(
    text: str, trigger: Trigger, others: list[Trigger], mentions: list[Mention]
) -> bool:
    """An older change told after the news verb, as an aside on its object: "China
    restarted law enforcement cooperation, suspended in 2022, …", "reviving a dialogue
    left dormant after 2017"."""
    # (the news verb comes first, with the channel as its object between them: not "The
    # talks, frozen since 2022, resumed on Monday")
    if not any(
        t.end <= m.start and m.end <= trigger.start and not t.nominal
        for t in others
        for m in mentions
    ):
        return False
    before = text[: trigger.start]
    if _LEFT_BEFORE.search(before):
        return True
    return bool(
        lx.PARTICIPLE.search(trigger.word)
        and _COMMA_BEFORE.search(before)
        and _ADJUNCT_NEXT.match(text, trigger.end)
    )


def _governing(
    text: str,
    mention: Mention,
    triggers: list[Trigger],
    mentions: list[Mention],
    live: list[Trigger],
) -> Trigger | None:
    """The trigger that says something of this mention: in its clause, else the list it ends."""
    if not triggers:
        return None
    start, end = _clause_bounds(text, mention.start)
    pool = [t for t in triggers if start <= t.start < end]
    if not pool and _spells_out_the_object(text, start):
        # "have restored several channels: theater commander calls, the MMCA talks and …"
        head, _ = _clause_bounds(text, start - 1)
        pool = [t for t in triggers if head <= t.start < start and not t.nominal]
    if not pool:
        # (what follows the list's last item after a comma is an aside: ", as directed by …")
        comma = text.find(",", mention.end, end)
        if comma != -1 and re.search(r"\b(?:and|or)\b", text[max(0, start - 5) : mention.start]):
            end = comma
        # … and so is an adjunct right after it: "…, and the MMCA meetings in a single
        # announcement"
        adjunct = _ADJUNCT_NEXT.match(text, mention.end, end)
        if adjunct and re.search(r"\b(?:and|or)\b", text[max(0, start - 5) : mention.start]):
            end = adjunct.start()
        rest = text[start:end]
        for other in sorted(mentions, key=lambda m: m.start, reverse=True):
            if start <= other.start and other.end <= end:
                rest = rest[: other.start - start] + " " + rest[other.end - start :]
        # "…, climate talks, and military dialogues": a list continued past a comma.
        if set(re.findall(r"[a-z]+", rest.lower())) - _LIST_WORDS:
            return None
        pool = triggers
    # "shut down … the calls that the staff had fought to set up": a verb in a relative
    # clause on the mention describes it; the verb before the mention governs it.
    if any(t.end <= mention.start for t in pool):
        relative = _RELATIVE_AFTER.match(text, mention.end)
        if relative:
            pool = [t for t in pool if t.start < mention.end or t.start > relative.end()]
            pool = pool or [t for t in triggers if t.end <= mention.start]
    # "launched a commercial working group, separate from the Treasury's macroeconomic
    # dialogue": a channel set apart from the verb's object is not that object
    set_apart = lx.holds_any(_SET_APART_WORDS, text) and _SET_APART.search(
        text, _start_of_last_words(text, mention.start, 5), mention.start
    )
    # "agreed to resume X, and to discuss Y": Y is the object of its own verb (one that holds
    # a meeting shares the agreement: "…, and to conduct calls between theater commanders")
    pool = [
        t
        for t in pool
        if not (t.end <= mention.start and set_apart)
        and not (t.end <= mention.start and _AND_TO_OTHER.search(text, t.end, mention.start))
        # "The restart of the talks shows that military contact can survive": the channel
        # in the claim is not the one restarted
        and not (t.end <= mention.start and _EVIDENCE_THAT.search(text, t.end, mention.start))
        # "… restored the MMCA, noting that theater commander calls were still under
        # discussion": a channel in what a participle reports is that clause's own
        and not (t.end <= mention.start and _NOTING_THAT.search(text, t.end, mention.start))
        # "China suspended imports of beef, a move officials said was unrelated to the
        # counternarcotics working group": what is said of the move is no object of it
        and not (t.end <= mention.start and _in_a_move(text, t.end, mention.start))
        # "Each has been restored, with the MMCA session in April completing the set": a
        # "with" adjunct after the verb tells a circumstance, not its object
        and not (t.end <= mention.start and _WITH_ADJUNCT.search(text, t.end, mention.start))
    ]
    if not pool:
        return None
    # "Despite the thaw, the dialogue has not been revived": the mention's own verb.
    own = [
        t
        for t in pool
        if t.start >= mention.end and _SUBJECT_GAP.fullmatch(text, mention.end, t.start)
    ]
    if own:
        return own[0]
    # "cancelling a planned call and suspending the climate talks": a verb after the
    # mention with an object of its own is that object's, when one comes before.
    if any(t.end <= mention.start for t in pool):
        pool = [
            t
            for t in pool
            if t.start < mention.end
            or not any(
                m is not mention and _OBJECT_GAP.fullmatch(text, t.end, m.start) for m in mentions
            )
        ]
    return min(
        pool,
        key=lambda t: t.start - mention.end if t.start >= mention.end else mention.start - t.end,
    )


def _spells_out_the_object(text: str, start: int) -> bool:
    """Whether the clause at `start` follows a colon after a plural of channels: a list
    that names them ("restored several channels: …")."""
    return (
        start > 0
        and text[start - 1] == ":"
        and _CHANNELS_BEFORE_COLON.search(text, max(0, start - 40), start - 1) is not None
    )


_CHANNELS_BEFORE_COLON = re.compile(
    r"\b(?:channels|mechanisms|dialogues|exchanges|tracks|forums|contacts|lines)\s*$",
    re.IGNORECASE,
)
# A second infinitive with a verb of its own, which no meeting holds.
_AND_TO_OTHER = re.compile(
    r",\s+and\s+to\s+(?!(?:hold|conduct|have|convene|resume|restore|restart|revive|reopen)\b)\w+",
    re.IGNORECASE,
)
# What sets a channel apart from the thing a verb is said of: "separate from the
# Treasury's", "rather than", "unlike".
_SET_APART_WORDS = (
    "separate",
    "apart",
    "distinct",
    "aside",
    "independent",
    "rather",
    "instead",
    "unlike",
    "unrelated",
    "bearing",
)
# ("moves … described as unrelated to the economic working group", "a forum that had no
# bearing on the U.S.-China MMCA process": a channel the change is said not to touch)
_SET_APART = re.compile(
    r"\b(?:(?:separate|apart|distinct|aside)\s+from|independent\s+of|rather\s+than|instead\s+of"
    r"|unlike|unrelated\s+to|(?:no|little)\s+bearing\s+on)"
    r"\s+(?:(?:the|its|their|a|an|[\w.-]+['’]s|(?:u\.s\.|us)-china)\s+){0,2}$",
    re.IGNORECASE,
)
# A relative clause right after a mention, to its end.
_RELATIVE_AFTER = re.compile(r",?\s+(?:that|which|who)\s+[^,;:—–]*", re.IGNORECASE)
_SUBJECT_GAP = re.compile(
    r"\s+(?:(?:has|have|had|is|are|was|were|been|be|being|not|never|also|now|since|already"
    r"|formally|quietly|officially|again|finally|will|would|could|may|might|must|should|can|did|does)\s+)*",
    re.IGNORECASE,
)
_OBJECT_GAP = re.compile(r"\s+(?:(?:the|its|their|a|an|all|both|high-level|[\w-]+-level)\s+){0,2}")


_SIDES = (
    r"(?i:united|america\w*|washington|pentagon|treasury|white|state|biden|trump|obama|blinken|yellen"
    r"|austin|kerry|hegseth|rubio|bessent|china|chinese|beijing|sino\w*|xi|wang|li|he|xie|dong"
    r"|defen[cs]e|military|joint|comprehensive|theat(?:er|re)|indo|southern|eastern|northern|western|central"
    r"|two|both|new|first|last|next|latest|annual|bilateral|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
# "Their bilateral talks at the G20": the forum is only where the pair met.
_BILATERAL = re.compile(
    r"\bbilateral|\bsidelines\b|\bmargins?\b"
    r"|\bthe\s+two\s+(?:leaders|presidents|defen[cs]e\s+(?:chiefs|ministers)|militaries|governments)\b"
    r"|\b(?:Xi|Biden|Trump|Obama)\s+and\s+(?:Xi|Biden|Trump|Obama)\b"
    # a named American and a named Chinese official agreeing: "Biden and China's leader Xi
    # Jinping agreed"
    r"|\b(?:Biden|Trump|Obama|Blinken|Rubio|Austin|Hegseth|Kerry|Yellen|Bessent)\b[^.;]{0,40}?\band\b"
    r"[^.;]{0,40}?\b(?:Xi|Wang\s+Yi|Dong\s+Jun|Xie|He\s+Lifeng|Li\s+Qiang)\b[^.;]{0,20}?\bagree",
    re.IGNORECASE,
)
# Each alternative of `_BILATERAL` needs one of these.
_BILATERAL_NEEDS = (
    "bilateral",
    "sidelines",
    "margin",
    "two",
    "agree",
    "xi",
    "biden",
    "trump",
    "obama",
)
# A forum's name right before a channel's: "the UN climate talks", "the G20's financial track".
_FORUM_BEFORE = re.compile(lx.MULTILATERAL.pattern + r"(?:'s|’s)?\s+$", re.IGNORECASE)
# … or its members right after it: "climate talks among the major emitters". (Not its
# venue: the pair's own climate channel restarted "at COP27 in Sharm el-Sheikh".)
_FORUM_AFTER = re.compile(
    r"\s+(?:among|under|of)\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}?(?:" + lx.MULTILATERAL.pattern + ")",
    re.IGNORECASE,
)
# … or the forum it sits at, before its verb: "Climate talks at COP28 resumed on Tuesday"
# (the talks of the conference; after the verb, "resumed climate talks at COP27", the
# forum is only where the pair met).
_AT_FORUM_BEFORE_VERB = re.compile(
    r"\s+at\s+(?:the\s+)?(?:" + lx.MULTILATERAL.pattern + r")(?:\s+in\s+[A-Z][\w-]*)?\s+"
    r"(?:has|have|had|was|were|is|are|\w+ed)\b",
    re.IGNORECASE,
)
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.IGNORECASE)
# A forum's proper name right before a channel's, or after it: "Pacific Islands Forum
# climate talks", "the working group of the Global Coalition to …".
_NAMED_FORUM_BEFORE = re.compile(r"\b" + lx.FORUM_NAME + r"(?:'s|’s)?\s+$")
_A_FORUM_NOUN = re.compile(lx.FORUM_NOUNS)  # (every forum's name holds one)
_NAMED_FORUM_AFTER = re.compile(r"\s+(?i:among|under|of|at|within)\s+(?i:the\s+)?" + lx.FORUM_NAME)
# The channel named after another owner or place: "California's climate talks", "the Oslo
# talks on climate finance". Either side's own name there is no other owner.
# (A participle capitalised in a title is no owner: "the Dedicated human rights dialogue".)
_OTHER_OWNER = re.compile(
    r"(?:\b(?:[Tt]he)\s+(?!(?:" + _SIDES + r")\b)(?![A-Z][a-z]+ed\s)[A-Z][a-z][\w]*"
    r"|(?<![\w.])(?!(?:" + _SIDES + r")\b)[A-Z][a-z][\w]*(?:'s|’s))\s+$"
)
# What may follow a trigger that takes no object: "is running again, with …", "thawed at".
_INTRANSITIVE = re.compile(
    r"\s*(?:[,.;:—–)]|$|(?:in|on|at|after|before|this|last|with|since|for|from|by|again|earlier|later"
    r"|today|yesterday|when|following|until|quietly|formally|officially)\b)",
    re.IGNORECASE,
)
_AUXILIARY_BEFORE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|been|be)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
# "since the 2022 suspension", "since November, when the group was frozen"
_SINCE_WHAT = re.compile(r"[^,;:.—–]{0,40}(?:,\s+when\s+[^,;:—–]{0,60})?")
_HAVING = re.compile(r",\s+having\s+(?:been\s+)?(?:\w+ly\s+)?$", re.IGNORECASE)
# A change that dates an earlier state: "a dialogue that had lapsed when Washington scrapped …"
_HAD_WHEN = re.compile(
    r"\bhad\s+(?:been\s+)?[\w-]+\s+(?:when|after|once)\s+[^,;:—–]{0,60}$", re.IGNORECASE
)
# A passive's auxiliary, with any one word between: "were nonetheless halted".
_BEEN_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|being)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|been|be|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_BARE_SUBJECT = re.compile(
    r"\s+(?:it|they|beijing|china|washington|the\s+prc|the\s+pla|the\s+chinese\s+side)\s+(?:had\s+|has\s+)?",
    re.IGNORECASE,
)
_LIST_WORDS = {
    # the pair's prefix: "and the U.S.-China MMCA meetings"
    "u",
    "s",
    "us",
    "china",
    "sino",
    "american",
    "chinese",
    "bilateral",
    "even",
    "of",  # "the suspensions - of the climate talks and of …"
    "on",  # "cooperation on the repatriation of …, on legal assistance …, and on …"
    "against",  # "…, and against transnational crimes"
    "and",
    "or",
    "the",
    "its",
    "their",
    "as",
    "well",
    "also",
    "both",
    "all",
    "three",
    "two",
}


# What a date after the change is the plan of: "the talks scheduled for next week".
_PLANNED_FOR = re.compile(
    r"\b(?:planned|scheduled|set|due|slated|expected)\s+(?:for|on|in)\s+$", re.IGNORECASE
)


def _occurred(text: str, trigger: Trigger, dates: Iterable[tuple[int, int, str]]) -> str | None:
    """The stated date of this change: in its clause, after the trigger first."""
    start, end = _clause_bounds(text, trigger.start)
    # "met for the first time since 2019": that date is the earlier change, not this one.
    own = [
        d
        for d in dates
        if start <= d[0] < end
        and not trigger.start <= d[0] < trigger.end
        # "called off the talks planned for next week": the date of the meeting called off
        and not (d[0] > trigger.end and _PLANNED_FOR.search(text, trigger.end, d[0]))
    ]
    after = [d for d in own if d[0] >= trigger.end and "," not in text[trigger.end : d[0]]]
    before = [d for d in own if d[1] <= trigger.start]
    if after:
        return after[0][2]
    if before:
        return before[-1][2]
    # A timeline's entry is dated by its head: "Aug. 5, 2022: China cancels the talks."
    head = [d for d in dates if not text[: d[0]].strip() and text[d[1] :].lstrip()[:1] == ":"]
    return head[0][2] if head else None


def _event(
    sentence: Sentence,
    channel: str,
    trigger: Trigger,
    rule: str,
    confidence: float,
    dates: _LazyDates,
    text: str,
    notes: tuple[str, ...] = (),
) -> Event:
    return Event(
        channel,
        trigger.kind,
        sentence.text,
        sentence.start,
        sentence.end,
        round(confidence, 2),
        _reported_date(text, trigger, dates),
        rule,
        notes,
    )


def _reported_date(text: str, trigger: Trigger, dates: _LazyDates) -> str | None:
    """When the reported change happened, for `occurred`. Nothing a passage reports as
    done happened after it was published: a later date is a plan's ("agreed on Monday
    to restart the talks next year" is dated Monday, or by the passage). Folded as the
    change's date, "next year" would make every suspension before then look older than
    this resumption, and none of them would be alerted."""
    published = dates.published
    return _occurred(
        text, trigger, [d for d in dates if not published or period_start(d[2]) <= published]
    )


def _notes(text: str, trigger: Trigger, background: set[Trigger]) -> tuple[str, ...]:
    """Why the trigger counts: what it is, and each cue that was weighed and set aside."""
    start, _ = _clause_bounds(text, trigger.start)
    before = text[start : trigger.start]
    notes = [f"trigger '{trigger.word}'" + (" (a noun)" if trigger.nominal else "")]
    if trigger.flipped:
        notes.append("'no longer' + a suspension word: a resumption")
    if lx.PSEUDO_NEGATION.search(before):
        notes.append("'not only' and the like: not a negation")
    if lx.AGREED.search(before):
        notes.append("an agreement or decision: a fact, not a plan")
    if lx.REPORTING.search(before):
        notes.append("a reporting verb: cues before it belong to the speaker")
    # In the sentence's order: a set's order changes from one process to the next.
    notes += [f"'{t.word}' only background" for t in sorted(background, key=lambda t: t.start)]
    return tuple(notes)
