"""The dxi round: inevitability that is no habit, a change that fits a pattern, an
anaphor object beside a channel added to it, and the people of both governments."""

from __future__ import annotations

import pytest

from matching import Detector
from tests.test_matching import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "was always going to" weighs a change made, it tells no habit
        (
            "“Cutting off the climate talks was always going to hurt Beijing,” an aide said.",
            {("climate", "suspended")},
        ),
        ("Freezing the MMCA meetings was always bound to backfire.", {("mmca", "suspended")}),
        # guard: "always" with a change still tells a habit
        ("Beijing has always cut off the climate talks after a provocation.", set()),
        ("Suspending the climate talks always hurts Beijing.", set()),
    ],
)
def test_dxi_always_going_to_is_no_habit(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change that fits a pattern is one instance of it, a change made
        (
            "An aide said Beijing's decision to cancel the climate talks fit a pattern of "
            "retaliation.",
            {("climate", "suspended")},
        ),
        (
            "Beijing's suspension of the MMCA meetings fits a pattern, analysts said.",
            {("mmca", "suspended")},
        ),
        # guard: a pattern of changes, or a familiar one, is still a habit
        ("There is a pattern of Beijing cancelling the climate talks after arms sales.", set()),
        ("Beijing's decision to cancel the climate talks fits a familiar pattern.", set()),
    ],
)
def test_dxi_a_change_that_fits_a_pattern(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # wide spaces before a participle are no start of a clause: the verb stays a verb
        (
            "Officials said the climate talks were    suspended and that Washington should "
            "reflect.",
            {("climate", "suspended")},
        ),
        # guard: a participle that opens the text still names the change as a noun would
        ("    Suspended climate talks should be revived.", set()),
    ],
)
def test_dxi_wide_spaces_before_a_participle(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "(people) of the two governments" names the two sides, as "from" does
        (
            "Fentanyl officials of the two governments met in Geneva on Monday for the first "
            "time since 2021.",
            {("counternarcotics", "resumed")},
        ),
        (
            "Human rights experts of both countries held talks in Oslo for the first time "
            "since 2018.",
            {("human_rights", "resumed")},
        ),
        # guard: the people of a topic that names no channel still name none
        (
            "The trade officials of the two governments met for the first time since 2019.",
            set(),
        ),
    ],
)
def test_dxi_people_of_both_governments(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "them" as the change's object stands for the channels before, beside one added
        (
            "The climate talks and the MMCA meetings were meant to be shielded. Beijing "
            "cancelled them anyway, along with the human rights dialogue.",
            {("climate", "suspended"), ("mmca", "suspended"), ("human_rights", "suspended")},
        ),
        # guard: "them" that is no object of the change stands for nothing changed
        (
            "The MMCA meetings went ahead in May. Beijing cancelled the climate talks but "
            "spared them.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxi_them_beside_a_channel_named_after(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the return of Chinese nationals" is the repatriation channel's topic
        (
            "Officials restored cooperation on drug control and on the return of Chinese "
            "nationals.",
            {("counternarcotics", "resumed"), ("illegal_immigrant_repatriation", "resumed")},
        ),
        # guard: a topic with no channel noun is no channel
        ("The return of Chinese nationals was halted in May.", set()),
    ],
)
def test_dxi_the_return_of_nationals(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "yet to" before a noun phrase is "so far" and a preposition, no denial
        (
            "In its sharpest reply yet to the arms sale, Beijing suspended the climate talks.",
            {("climate", "suspended")},
        ),
        # guard: "yet to" before a verb still denies
        ("Beijing has yet to restore the climate talks.", set()),
        ("The MMCA meetings are yet to resume.", set()),
    ],
)
def test_dxi_yet_to_a_noun_is_no_denial(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel the change is said to be unrelated to, or to have no bearing on, is
        # set apart from its object
        (
            "Beijing halted soybean purchases and suspended Boeing deliveries, moves that "
            "officials described as unrelated to the climate talks.",
            set(),
        ),
        (
            "Beijing and Seoul restored their fisheries hotline, which officials said had no "
            "bearing on the U.S.-China MMCA talks.",
            set(),
        ),
        # guard: a channel that is itself the object still reports
        (
            "Beijing suspended the climate talks, in a step unrelated to the trade row.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxi_a_channel_the_change_does_not_touch(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # channels treated as favours are things granted and withdrawn: a habit
        (
            "Beijing treats the climate talks as political favors — cut off after spats, "
            "revived after summits.",
            set(),
        ),
        # guard: one favour is one act
        ("Beijing restored the climate talks as a favor to Biden.", {("climate", "resumed")}),
    ],
)
def test_dxi_channels_as_favors(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change in a pluperfect relative clause after the news came before it
        (
            "Officials restored the climate talks and the MMCA meetings, both of which had "
            "been caught up in the 2022 freeze.",
            {("climate", "resumed"), ("mmca", "resumed")},
        ),
        # guard: a change after the relative clause has closed is news of its own
        (
            "Officials restored the climate talks, which had been praised by both sides, but "
            "Beijing suspended the MMCA meetings.",
            {("climate", "resumed"), ("mmca", "suspended")},
        ),
    ],
)
def test_dxi_a_change_in_a_pluperfect_relative(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the two sides named only in a relative clause after another pair's change do
        # not make it theirs (found by probing after the round)
        (
            "Beijing and Seoul restored their maritime hotline, which officials said had no "
            "bearing on the U.S.-China MMCA talks.",
            set(),
        ),
        # guard: the two named with the change still hold it, whoever the clause names
        (
            "China restored the military hotline with the United States, which Japan welcomed.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_the_two_sides_count_where_the_change_is_told(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected
