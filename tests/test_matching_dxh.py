"""The dxh round: habits that are threats, "any" before a change, imperatives in a
numbered list, and the things and forums a change belongs to."""

from __future__ import annotations

import pytest

from matching import Detector
from tests.test_matching import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "any further provocation" is the one a threat is about, still to come: no habit
        (
            "Beijing scrapped the climate talks and the MMCA meetings and vowed to punish any "
            "further provocation.",
            {("climate", "suspended"), ("mmca", "suspended")},
        ),
        # guard: a change after every provocation is still a habit
        ("Beijing has cut off the climate talks after every new provocation.", set()),
    ],
)
def test_dxh_any_further_is_no_habit(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a noun of change after "any" names no change that was made
        ("Washington is to blame for any halt in the climate talks, officials said.", set()),
        ("The sanctions made any restart of the climate talks harder.", set()),
        # guard: "any" elsewhere is no cue on the change
        (
            "Without any fanfare, Beijing announced the resumption of the climate talks.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxh_any_change_is_none_made(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a possessive before "-ing" makes it a noun, as "the" does: the change is told
        (
            "Since last week's reopening of the MMCA channel, naval officers have spoken twice.",
            {("mmca", "resumed")},
        ),
        (
            "After Beijing's suspending of the climate talks, Kerry flew home.",
            {("climate", "suspended")},
        ),
        # guard: a gerund as a verb's object still names an act, not one done
        ("Officials discussed reopening the MMCA channel.", set()),
    ],
)
def test_dxh_a_possessive_before_a_gerund(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a base form after the ordinal of a numbered recommendation is an imperative
        (
            "The report ends with two asks. First, restore the climate talks. Finally, "
            "revive the counternarcotics working group within a year.",
            set(),
        ),
        # guard: a past tense after the ordinal still reports
        ("First, Beijing restored the climate talks.", {("climate", "resumed")}),
    ],
)
def test_dxh_an_imperative_after_an_ordinal(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Interpol is a forum of many: its working group on a topic is no bilateral channel
        (
            "An Interpol working group on fentanyl trafficking was revived in Singapore after "
            "two idle years.",
            set(),
        ),
        # guard: the pair's own channel told beside it still reports
        (
            "Beijing and Washington revived their counternarcotics working group, Interpol said.",
            {("counternarcotics", "resumed")},
        ),
    ],
)
def test_dxh_interpol_is_a_forum(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # talks "at" a conference, before their verb, are the conference's talks
        (
            "Climate talks at COP29 in Baku were suspended overnight as negotiators argued "
            "over finance.",
            set(),
        ),
        # guard: the object of a change told at the forum is still the pair's channel
        (
            "Diplomats said the thawing of the climate talks at COP29 owed much to Kerry.",
            {("climate", "resumed")},
        ),
        # guard: the pair's channel restarted at the forum is still the pair's
        (
            "U.S. and Chinese envoys restarted their climate talks at COP29 in Baku.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxh_talks_at_a_forum(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause with a subject of its own that is no channel: its change is that thing's
        (
            "The two sides restarted the climate talks in Beijing, though a joint press "
            "conference was cancelled at short notice.",
            {("climate", "resumed")},
        ),
        # guard: a channel noun as that subject still takes the channel named before
        (
            "Kerry led the climate talks for years, but the talks were suspended in 2022.",
            {("climate", "suspended")},
        ),
        # … and so do the channel's sittings
        (
            "The climate talks had made progress, though the sessions were suspended in August.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxh_a_clause_with_its_own_subject(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "both" as the object that ends a subject before a singular verb stands for the
        # two channels named before
        (
            "The climate talks and the MMCA meetings had survived the trade war. The "
            "decision to suspend both drew protests on Friday.",
            {("climate", "suspended"), ("mmca", "suspended")},
        ),
        # guard: "both" before a plural noun is no anaphor
        (
            "The climate talks and the MMCA meetings had survived the trade war. The "
            "decision to suspend both countries' flights drew protests on Friday.",
            set(),
        ),
    ],
)
def test_dxh_both_ending_a_subject(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the two sides named only in an aside renaming the change, or after a semicolon,
        # do not make the other pair's change theirs
        (
            "Beijing suspended its military talks with Vietnam in May, a move that spared "
            "its defense contacts with Washington.",
            set(),
        ),
        (
            "Britain and the United States halted their climate talks in 2021; China never "
            "joined such talks with Washington.",
            set(),
        ),
        # guard: both sides named where the change is told still make it theirs
        (
            "Washington and Beijing suspended the climate talks in 2022, a move that Japan "
            "regretted.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxh_both_sides_where_the_change_is_told(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ", a reminder that …" renames the change: the two sides named in it are no party
        (
            "Beijing and Seoul restarted their military dialogue after a long gap, a reminder that "
            "Washington's military channel with China works by other rules.",
            set(),
        ),
        # guard: the pair's own change before the aside still reports
        (
            "Washington and Beijing restarted their military dialogue last week, a reminder "
            "that Seoul still waits.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_dxh_a_reminder_renames_the_change(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a noun of change with an "on" phrase that is no channel stops that thing
        (
            "The climate talks are chaired by two envoys; the envoys spoke mostly about a new "
            "freeze on solar panel imports.",
            set(),
        ),
        # guard: an "on" phrase that names a channel is still the channel
        (
            "Washington protested the sudden freeze on the climate talks.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxh_a_freeze_on_a_thing(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "no question of" denies the change
        ("An aide said there was no question of cutting off the climate talks.", set()),
        ("There is no question of the MMCA talks being broken off, the ministry said.", set()),
        # guard: "no question that" asserts it
        (
            "There is no question that Beijing cut off the climate talks in August.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxh_no_question_of(detector: Detector, text: str, expected: set[tuple[str, str]]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a round of measures is no sitting of the channel
        (
            "Beijing suspended the climate talks on Friday in answer to a third round of "
            "export controls.",
            {("climate", "suspended")},
        ),
        # guard: a round of the talks still is
        ("The climate talks resumed on Friday for a third round of talks.", set()),
    ],
)
def test_dxh_a_round_of_measures(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "those discussions" stand for the channel named before
        (
            "The two governments last held a climate dialogue in 2021. Those discussions "
            "were frozen the following year.",
            {("climate", "suspended")},
        ),
        # guard: "the discussions" may be any
        (
            "The two governments last held a climate dialogue in 2021. The discussions on "
            "a trade truce were frozen the following year.",
            set(),
        ),
    ],
)
def test_dxh_those_discussions(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a count of what followed the change is no habit of the change
        (
            "In 2023 the two sides restored the MMCA talks, and their admirals have since met "
            "three times.",
            {("mmca", "resumed")},
        ),
        # guard: a count of the changes themselves is still a habit
        ("Beijing has since suspended the MMCA talks three times.", set()),
        ("The MMCA talks have been halted and revived four times since 2012.", set()),
    ],
)
def test_dxh_a_count_since_the_change(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected
