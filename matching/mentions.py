"""Finding channels named in a sentence.

A channel is named either by one of its aliases ("Defense Policy Coordination Talks",
"MMCA") or by one of its topics joined to a dialogue noun: "climate" + "talks", "talks
with Washington on" + "climate change", "the climate and anti-drug talks". A topic alone
("climate", "fentanyl") names no channel, and neither does a bare "talks".

Matching is word by word against an index of phrases (case-insensitive; hyphens and
spaces alike), so its cost does not grow with the size of the catalog.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

from matching.lexicon import COUNTERPART_TOPIC, DIALOGUE_NOUNS, LINKERS

_WORD = re.compile(r"[A-Za-z0-9'’]+|[,;:()]")
_JOINER = re.compile(r"[\s\-–]*")  # what may stand between the words of a phrase
_CONNECTORS = {
    ",",
    "and",
    "or",
    "as",
    "well",
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
_COORDINATORS = {",", "and", "or"}
_BREAKS = {";", ":", "(", ")"}
_POSSESSIVE = re.compile(r"['’]")
_SUBJECT_LINKERS = {"on", "against", "over", "regarding", "concerning"}


class ChannelLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...
    @property
    def topics(self) -> list[str]: ...
    @property
    def issue(self) -> str: ...


@dataclass(frozen=True)
class Mention:
    channel: str
    start: int
    end: int
    text: str
    how: str  # "alias" or "topic"


class Token(NamedTuple):
    start: int
    end: int
    word: str  # lowercased, apostrophes normalised


class _Hit(NamedTuple):
    first: int  # token indices, inclusive
    last: int
    channel: str
    alias: bool


class PhraseIndex:
    """Phrases by their first word, longest first, for a word-by-word scan."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[list[str], str]]] = defaultdict(list)

    def add(self, phrase: str, label: str) -> None:
        words = [w.lower() for w in _WORD.findall(phrase) if w not in _BREAKS and w != ","]
        if words:
            normal = [_norm(w) for w in words]
            self._by_first[normal[0]].append((normal, label))
            self._by_first[normal[0]].sort(key=lambda item: -len(item[0]))

    def scan(self, text: str, tokens: list[Token]) -> list[tuple[int, int, str]]:
        """Non-overlapping (first token, last token, label), longest match first."""
        found: list[tuple[int, int, str]] = []
        words = [token.word for token in tokens]
        after = 0  # the first token not inside a phrase already found
        # Only the tokens that start some phrase are tried: few words of a sentence do.
        for i in [i for i, word in enumerate(words) if word in self._by_first]:
            if i >= after and (match := self._match_at(text, tokens, words, i)):
                found.append(match)
                after = match[1] + 1
        return found

    def first_words(self) -> set[str]:
        return set(self._by_first)

    def _match_at(
        self, text: str, tokens: list[Token], words: list[str], i: int
    ) -> tuple[int, int, str] | None:
        for phrase, label in self._by_first.get(words[i], ()):
            last = i + len(phrase) - 1
            if words[i : last + 1] == phrase and all(
                _JOINER.fullmatch(text, tokens[j].end, tokens[j + 1].start) for j in range(i, last)
            ):
                return (i, last, label)
        return None


def _norm(word: str) -> str:
    """Apostrophes alike, possessives off: "Lai Ching-te's", "the two militaries' officers"."""
    word = word.replace("’", "'")
    return (word[:-2] if word.endswith("'s") else word).rstrip("'")


class MentionFinder:
    def __init__(self, channels: Sequence[ChannelLike]) -> None:
        self._aliases = PhraseIndex()
        self._topics = PhraseIndex()
        for channel in channels:
            for alias in channel.aliases:
                self._aliases.add(alias, channel.id)
            for topic in getattr(channel, "topics", []):
                self._topics.add(topic, channel.id)
        self._first_words = self._aliases.first_words() | self._topics.first_words()

    def may_name_a_channel(self, text: str) -> bool:
        """A cheap test: does any word of the text start an alias or a topic?"""
        return not self._first_words.isdisjoint(token.word for token in tokenize(text))

    def topics(self, text: str) -> list[str]:
        """Channels whose topics the text touches, named as channels or not."""
        tokens = tokenize(text)
        hits = [_Hit(*hit, alias=False) for hit in self._topics.scan(text, tokens)]
        return list(dict.fromkeys(h.channel for h in _drop_counterparts(text, tokens, hits, hits)))

    def find(self, text: str) -> list[Mention]:
        tokens = tokenize(text)
        aliases = [_Hit(*hit, alias=True) for hit in self._aliases.scan(text, tokens)]
        taken = {i for hit in aliases for i in range(hit.first, hit.last + 1)}
        topics = [
            _Hit(*hit, alias=False)
            for hit in self._topics.scan(text, tokens)
            if taken.isdisjoint(range(hit[0], hit[1] + 1))
        ]
        # A topic stacked right before an alias of another channel names the channel, the
        # alias its class: "theater-level military talks", "fentanyl law enforcement talks".
        for n, alias in enumerate(aliases):
            outer = next((h for h in topics if h.last == alias.first - 1), None)
            if (
                outer
                and outer.channel != alias.channel
                and not _POSSESSIVE.search(text, tokens[outer.last].start, tokens[outer.last].end)
            ):
                aliases[n] = alias._replace(first=outer.first, channel=outer.channel)
                topics.remove(outer)
        # … and a topic of another channel right after an alias names its subject:
        # "law-enforcement cooperation on fentanyl" is the counternarcotics channel.
        for n, alias in enumerate(aliases):
            at = alias.last + 1
            if at < len(tokens) and tokens[at].word in _SUBJECT_LINKERS:
                at += 1 + (at + 1 < len(tokens) and tokens[at + 1].word == "the")
                inner = next((h for h in topics if h.first == at), None)
                if inner and inner.channel != alias.channel:
                    aliases[n] = alias._replace(last=inner.last, channel=inner.channel)
                    topics.remove(inner)
        linked = _linked_topics(text, tokens, sorted(aliases + topics, key=lambda h: h.first))
        linked = [_through_noun(text, tokens, hit) for hit in linked]
        linked = _drop_counterparts(text, tokens, linked, aliases + topics)
        mentions = [
            Mention(
                h.channel,
                tokens[h.first].start,
                tokens[h.last].end,
                text[tokens[h.first].start : tokens[h.last].end],
                "alias" if h.alias else "topic",
            )
            for h in aliases + linked
        ]
        return sorted(mentions, key=lambda m: m.start)


def _drop_counterparts(
    text: str, tokens: list[Token], hits: list[_Hit], among: list[_Hit]
) -> list[_Hit]:
    """`hits` without the topics that only name the other side ("the PLA") when `among`
    names another channel too: then the PLA is that channel's other party."""
    named = {h.channel for h in among if not _counterpart(text, tokens, h)}
    return [h for h in hits if not (_counterpart(text, tokens, h) and named - {h.channel})]


def _counterpart(text: str, tokens: list[Token], hit: _Hit) -> bool:
    """A topic that is only the other side's name: "the PLA", "People's Liberation Army"."""
    return bool(COUNTERPART_TOPIC.match(text, tokens[hit.first].start))


def _through_noun(text: str, tokens: list[Token], hit: _Hit) -> _Hit:
    """A topic named with the noun after it spans both: "repatriation channel"."""
    for last in range(hit.last + 1, min(hit.last + 4, len(tokens))):
        noun = DIALOGUE_NOUNS.match(text, tokens[last].start)
        if noun:
            end = max(i for i in range(last, len(tokens)) if tokens[i].start < noun.end())
            return hit._replace(last=end)
        if tokens[last].word in _BREAKS or tokens[last].word == ",":
            break
    return hit


@lru_cache(maxsize=64)
def tokenize(text: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), _norm(word) if "'" in word or "’" in word else word)
        for m in _WORD.finditer(text)
        if (word := m.group().lower())
    ]


def _linked_topics(text: str, tokens: list[Token], hits: list[_Hit]) -> list[_Hit]:
    """The topics that a dialogue noun turns into channel mentions (aliases may join a list)."""
    if not any(not h.alias for h in hits):
        return []
    index_of = {t.start: i for i, t in enumerate(tokens)}
    linked: set[_Hit] = set()
    for noun in DIALOGUE_NOUNS.finditer(text):
        first = index_of.get(noun.start())
        if first is None:
            continue
        last = first + len(_WORD.findall(noun.group())) - 1
        owner = next((h for h in hits if h.alias and h.first <= first <= h.last), None)
        if owner:
            # A noun inside an alias links the lists it stands in ("counternarcotics and
            # military-to-military channels", "cooperation on fentanyl and on transnational
            # crime"), not loose topics after it ("talks with the U.S. military").
            linked |= _coordinated(tokens, hits, owner, backwards=True)
            linked |= _coordinated(tokens, hits, owner, backwards=False)
            continue
        before = _chain_before(text, tokens, hits, first)
        linked |= before
        if before and _between_parties(tokens, last):
            continue  # "maritime safety consultations between the two militaries"
        after = _chain_after(tokens, hits, last) or _chain_relative(tokens, hits, last)
        if _opens_relative(tokens, last):
            # "the group in which the navies Review incidents at sea": the mention spans
            # the noun, so the clause's verb before the topic is read as no owner's name
            after = {h._replace(first=first) for h in after}
        linked |= after
    return sorted((h for h in linked if not h.alias), key=lambda h: h.first)


def _chain_before(text: str, tokens: list[Token], hits: list[_Hit], noun_first: int) -> set[_Hit]:
    """A topic ending at most two modifiers before the noun, and those coordinated with it."""
    # "the two militaries' senior leaders had spoken": an auxiliary is no modifier
    while noun_first > 0 and tokens[noun_first - 1].word in _AUXILIARIES:
        noun_first -= 1
    for gap in range(3):
        end = noun_first - 1 - gap
        if end < 0 or any(
            tokens[i].word in _BREAKS or tokens[i].word == "," for i in range(end + 1, noun_first)
        ):
            return set()
        # "<topic> (officials) from both countries met": the two sides named after the
        # people are no modifier of the noun ("Theater commanders from the two militaries
        # held a call", "Human rights officials from the two governments met").
        end = _before_both_sides(tokens, end)
        hit = next((h for h in hits if h.last == end), None) or next(
            (h for h in hits if h.last == end - 1 and tokens[end].word in _PEOPLE), None
        )
        if hit and _counterpart(text, tokens, hit) and _phrase_opens(tokens, hit.last, noun_first):
            # "The PLA restored those channels": the other side before a determiner is the
            # one acting, not what the noun's phrase is about
            return set()
        if hit:
            # Two topics stacked with nothing between: the outer one names the channel,
            # the inner one its class ("theater-level military talks", "climate finance
            # talks"); an outer possessive is the owner ("the two militaries' theater
            # commanders").
            outer = next(
                (
                    h
                    for h in hits
                    if h.last == hit.first - 1
                    and h.channel != hit.channel
                    and not _POSSESSIVE.search(text, tokens[h.last].start, tokens[h.last].end)
                ),
                None,
            )
            if outer and not outer.alias and not hit.alias:
                hit = outer
            return {hit} | _coordinated(tokens, hits, hit, backwards=True)
    return set()


_AUXILIARIES = {"had", "have", "has"}
_DETERMINERS = {"the", "those", "these", "this", "that", "its", "their", "a", "an"}


def _phrase_opens(tokens: list[Token], after: int, noun_first: int) -> bool:
    """Whether a determiner stands between a word and the noun: the noun's phrase opens there."""
    return any(tokens[i].word in _DETERMINERS for i in range(after + 1, noun_first))


_BOTH_SIDES = {"countries", "governments", "sides", "militaries", "capitals", "nations"}
_SIDE_NAMES = {"washington", "beijing", "china", "u", "s", "us", "united", "states", "america"}
_PEOPLE = {"officials", "envoys", "negotiators", "diplomats", "delegates", "delegations", "experts"}


def _before_both_sides(tokens: list[Token], end: int) -> int:
    """The token before "(people) from both countries" ending at `end`, else `end`."""
    words = [t.word for t in tokens[max(0, end - 3) : end + 1]]
    if words and words[-1] in _SIDE_NAMES:
        # "from Washington and Beijing", "from the U.S. and China": the two sides by name
        span = [t.word for t in tokens[max(0, end - 6) : end + 1]]
        if "from" not in span:
            return end
        after = span[len(span) - 1 - span[::-1].index("from") + 1 :]
        if len([w for w in after if w in _SIDE_NAMES]) < 2 or set(after) - _SIDE_NAMES - {
            "and",
            "the",
        }:
            return end
        return end - len(after) - 1  # the people may be the topic's own: "climate envoys"
    if not words or words[-1] not in _BOTH_SIDES:
        return end
    # (or "of": "Counternarcotics officials of the two governments met")
    if words[-3:-1] in (["from", "both"], ["of", "both"]):
        end -= 3
    elif words[-4:-1] in (["from", "the", "two"], ["of", "the", "two"]):
        end -= 4
    else:
        return end
    return end - 1 if end >= 0 and tokens[end].word in _PEOPLE else end


def _chain_after(tokens: list[Token], hits: list[_Hit], noun_last: int) -> set[_Hit]:
    """Topics after "noun (with X) on|between|against …", and those coordinated with them."""
    for offset in range(1, 4 + _other_side_after(tokens, noun_last)):
        i = noun_last + offset
        if i >= len(tokens) or tokens[i].word in _BREAKS:
            return set()
        if tokens[i].word in LINKERS or _at_level(tokens, i):
            for j in range(i + 1, min(i + 8, len(tokens))):
                if tokens[j].word in _BREAKS:
                    return set()
                hit = next((h for h in hits if h.first == j), None)
                if hit:
                    return {hit} | _coordinated(tokens, hits, hit, backwards=False)
    return set()


def _between_parties(tokens: list[Token], noun_last: int) -> bool:
    """A noun with its topic before it: "between …" after it names the parties ("the
    maritime safety consultations between the two militaries"), not a second channel."""
    return noun_last + 1 < len(tokens) and tokens[noun_last + 1].word == "between"


_RELATIVE_PREPOSITIONS = {"at", "in", "under", "through", "by", "during"}


def _opens_relative(tokens: list[Token], noun_last: int) -> bool:
    """ "meetings at which …", "the group in which …"."""
    return (
        noun_last + 2 < len(tokens)
        and tokens[noun_last + 1].word in _RELATIVE_PREPOSITIONS
        and tokens[noun_last + 2].word == "which"
    )


def _chain_relative(tokens: list[Token], hits: list[_Hit], noun_last: int) -> set[_Hit]:
    """A channel named by what its parties do there: "the meetings at which the two
    sides coordinate defense policy", "the group in which the navies review incidents at
    sea". The last topic of the clause is what they do; the first may be who does it."""
    i = noun_last + 1
    if i + 1 >= len(tokens) or tokens[i].word not in _RELATIVE_PREPOSITIONS:
        return set()
    if tokens[i + 1].word != "which":
        return set()
    clause = []
    for j in range(i + 2, min(i + 16, len(tokens))):
        if tokens[j].word in _BREAKS or tokens[j].word == ",":
            break
        clause.append(j)
    inside = [h for h in hits if not h.alias and clause and clause[0] <= h.first <= clause[-1]]
    return {max(inside, key=lambda h: h.first)} if inside else set()


def _other_side_after(tokens: list[Token], noun_last: int) -> int:
    """How many words "with the U.S." or "with Beijing" after a noun take: the other side,
    before the topic ("consultations with the U.S. on arms control")."""
    words = [t.word for t in tokens[noun_last + 1 : noun_last + 6]]
    if words[:1] != ["with"]:
        return 0
    side = 1 + (words[1:2] == ["the"])
    while side < len(words) and words[side] in _SIDE_NAMES:
        side += 1
    return side if side > 1 + (words[1:2] == ["the"]) else 0


def _at_level(tokens: list[Token], i: int) -> bool:
    """ "A conversation at the theater commander level": "at" links a level, not a place
    ("restarted their talks at the maritime museum")."""
    return tokens[i].word == "at" and any(t.word == "level" for t in tokens[i + 2 : i + 6])


def _coordinated(tokens: list[Token], hits: list[_Hit], hit: _Hit, backwards: bool) -> set[_Hit]:
    """Topics joined to `hit` by "and", "or" and commas, walking one way."""
    found = set()
    current = hit
    while True:
        if backwards:
            nearest = max(
                (h for h in hits if 0 < current.first - h.last <= 5),
                key=lambda h: h.last,
                default=None,
            )
            between = range(nearest.last + 1, current.first) if nearest else range(0)
        else:
            nearest = min(
                (h for h in hits if 0 < h.first - current.last <= 5),
                key=lambda h: h.first,
                default=None,
            )
            between = range(current.last + 1, nearest.first) if nearest else range(0)
        if nearest is None:
            return found
        gap = [tokens[i].word for i in between]
        content = [w for w in gap if w not in _CONNECTORS]
        if not (set(gap) & _COORDINATORS) or len(content) > 1 or set(gap) & _BREAKS:
            return found
        found.add(nearest)
        current = nearest
