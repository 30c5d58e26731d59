"""The dxg round: asides that rename a change, clauses of contrast, lists counted back,
and the pairs and forums a change belongs to."""

from __future__ import annotations

import pytest

from matching import Detector
from tests.test_matching import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an aside renaming the change says what the change is; its habit and its other
        # pair are no cue on the change
        (
            "The climate talks were called off in 2019 after two rounds -- a precedent "
            "diplomats invoke whenever the Japan-Korea dialogue falters.",
            {("climate", "suspended")},
        ),
        (
            "China halted the counternarcotics working group in 2022 — a step analysts say "
            "Beijing takes whenever Washington sells arms to Taipei.",
            {("counternarcotics", "suspended")},
        ),
        # guard: a habit in the change's own clause still blocks it
        ("China halts the climate talks whenever a U.S. official visits Taipei.", set()),
        # guard: another pair named before the aside is still the one acting
        (
            "Japan and South Korea suspended their climate talks in 2019 — a move Beijing welcomed.",
            set(),
        ),
    ],
)
def test_dxg_an_aside_renaming_the_change(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause of ", even as" is a clause of its own: another pair in it is no party
        # to the change, and a channel in it no object of the change
        (
            "Beijing froze the arms control consultations last spring, even as it kept up a "
            "security dialogue with Russia.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (
            "Beijing suspended the counternarcotics talks in March, even as it kept up its "
            "maritime dialogue with Vietnam.",
            {("counternarcotics", "suspended")},
        ),
        # guard: the other pair in the change's own clause still blocks it
        ("Beijing suspended its maritime dialogue with Vietnam in March.", set()),
        (
            "Tokyo and Beijing suspended their climate talks in May, even as Washington looked on.",
            set(),
        ),
    ],
)
def test_dxg_a_clause_of_even_as(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "all three" before a sentence adverb stands for the channels counted before it
        (
            "Washington pleaded for the climate talks, the counternarcotics working group and "
            "the MMCA. Beijing suspended all three regardless.",
            {("climate", "suspended"), ("counternarcotics", "suspended"), ("mmca", "suspended")},
        ),
        # guard: what is only expected of all three is still no event
        (
            "The climate talks, the MMCA and the counternarcotics working group were on the "
            "agenda. Analysts expect Beijing to suspend all three anyway.",
            set(),
        ),
    ],
)
def test_dxg_all_three_counted_back(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel set apart from the verb's object ("separate from", "rather than",
        # "unlike") is not that object
        (
            "The Pentagon set up a new cyber working group in March, separate from the "
            "defense policy coordination talks.",
            set(),
        ),
        (
            "Beijing suspended the climate talks rather than the military maritime consultations.",
            {("climate", "suspended")},
        ),
        (
            "Washington restored the student exchange program, unlike the counternarcotics "
            "working group.",
            set(),
        ),
        # guard: a channel added to the object keeps the verb
        (
            "Beijing suspended the military maritime consultations along with the climate talks.",
            {("climate", "suspended"), ("mmca", "suspended")},
        ),
    ],
)
def test_dxg_a_channel_set_apart(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an appositive renaming the news verb's object tells its earlier state
        (
            "The envoys restarted the climate talks in Beijing on Monday, a channel frozen "
            "since August 2022.",
            {("climate", "resumed")},
        ),
        (
            "Washington and Beijing revived the counternarcotics working group last week, a "
            "forum dormant for four years.",
            {("counternarcotics", "resumed")},
        ),
        # guard: a state told of the channel before the news verb is no background to it
        (
            "The climate talks, a channel revived only last year, were suspended again on Monday.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxg_an_appositive_channel_in_an_earlier_state(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a numbered item of a list of measures reports its change in the present
        (
            "Of the countermeasures, No. 3 halts the counternarcotics working group and No. 6 "
            "suspends the climate talks.",
            {("counternarcotics", "suspended"), ("climate", "suspended")},
        ),
        (
            "Under the list Beijing issued, Item 4 cancels the defense policy coordination talks.",
            {("defense_policy_coordination", "suspended")},
        ),
        # guard: a party's present tense is still a habit
        ("Beijing suspends the climate talks to signal displeasure.", set()),
        # guard: an item that only would suspend is no event
        ("If adopted, No. 2 would suspend the climate talks.", set()),
    ],
)
def test_dxg_a_numbered_measure(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative clause on a forum tells the forum's change, not a channel's
        (
            "At the G20 summit, which resumed in person after the pandemic, Secretary Blinken "
            "said the climate talks with Beijing mattered.",
            set(),
        ),
        (
            "At the ASEAN Regional Forum, which resumed in person this year, officials praised "
            "the military maritime consultations.",
            set(),
        ),
        # guard: the pair's own change after the forum's relative clause still counts
        (
            "On the margins of the APEC meetings, which had been suspended for two years, the "
            "two sides restored the counternarcotics working group.",
            {("counternarcotics", "resumed")},
        ),
    ],
)
def test_dxg_a_forum_that_resumed(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel "between them" belongs to the other pair named before it
        (
            "Tokyo and Seoul keep a defense hotline, but climate talks between them were "
            "cancelled in 2023.",
            set(),
        ),
        # guard: with both sides named, "the two" are the pair
        (
            "Unlike Japan, Washington and Beijing restored the climate talks between the two in May.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxg_talks_between_another_pair(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change as the subject of "will not make/force/stop": the effect of a change
        # made is denied, not the change
        (
            '"Cancelling the climate talks will not force us to change course," a White House '
            "official said.",
            {("climate", "suspended")},
        ),
        (
            "Halting the counternarcotics cooperation won't stop Washington from pressing on "
            "fentanyl, the envoy said.",
            {("counternarcotics", "suspended")},
        ),
        # guard: "would not" weighs a change not made
        ("Suspending the climate talks would not make Beijing any safer.", set()),
        # guard: a change that will not even be weighed is none
        ("Suspending the climate talks will not be considered, officials said.", set()),
    ],
)
def test_dxg_a_change_whose_effect_is_denied(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the last item of a list after ", and" keeps the verb with an adjunct after it …
        (
            "Beijing cancelled the climate talks, the counternarcotics working group, and the "
            "MMCA meetings on the same day.",
            {("climate", "suspended"), ("counternarcotics", "suspended"), ("mmca", "suspended")},
        ),
        # … and with the preposition the items share
        (
            "The two sides restored cooperation on the repatriation of illegal immigrants, on "
            "legal assistance in criminal matters, and against transnational crime.",
            {
                ("illegal_immigrant_repatriation", "resumed"),
                ("criminal_legal_assistance", "resumed"),
                ("transnational_crime", "resumed"),
            },
        ),
        # guard: a clause of its own after ", and" is no item of the list
        (
            "Beijing cancelled the climate talks, and on the MMCA it said nothing.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxg_the_last_item_after_a_serial_comma(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list after a colon that follows a plural of channels spells out the verb's object
        (
            "Beijing has suspended three more channels: the climate talks, the counternarcotics "
            "working group and a dialogue on Afghanistan.",
            {("climate", "suspended"), ("counternarcotics", "suspended")},
        ),
        (
            "The two militaries reopened two old lines: the defense telephone link and the "
            "MMCA talks.",
            {("mmca", "resumed")},
        ),
        # guard: the verb's own negation still holds for the list
        (
            "Beijing has yet to restore several channels: the climate talks and the MMCA meetings.",
            set(),
        ),
    ],
)
def test_dxg_a_list_after_a_colon_spells_out_the_object(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the first", "the second" standing alone as a subject are the former and the latter
        (
            "The climate talks and the MMCA meetings both stalled in 2022. The first was "
            "revived in Beijing last week; the second remains frozen.",
            {("climate", "resumed"), ("mmca", "suspended")},
        ),
        (
            "The MMCA talks and the counternarcotics working group were both cut off in 2022. "
            "The second was restored in November.",
            {
                ("mmca", "suspended"),
                ("counternarcotics", "suspended"),
                ("counternarcotics", "resumed"),
            },
        ),
        # guard: "the first" with a noun of its own is that noun, no channel named before
        (
            "The climate talks met for the first time since 2022. The first round was "
            "cancelled in 2019.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxg_the_first_and_the_second(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change in a clause of "since" is the fact the main clause counts from: the main
        # clause's denial and attempts are its own
        (
            "Officials have not met the climate envoys since Beijing suspended the climate "
            "talks in August.",
            {("climate", "suspended")},
        ),
        (
            "The climate talks have not resumed since Beijing suspended them.",
            {("climate", "suspended")},
        ),
        # guard: a hedge inside the clause of "since" is still the change's
        ("Since Beijing would never cancel the climate talks, the envoys relaxed.", set()),
    ],
)
def test_dxg_a_change_in_a_clause_of_since(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative clause with a change of its own has its verb: the trigger after it is
        # the main verb, not a second verb of the relative clause
        (
            "The climate talks that Beijing cancelled in 2022 resumed in Beijing last week.",
            {("climate", "resumed")},
        ),
        # guard: the change in a relative clause after the main verb is still background
        ("Beijing revived the climate talks that it had frozen in 2022.", {("climate", "resumed")}),
    ],
)
def test_dxg_the_main_verb_after_a_relative_clause(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle capitalised as in a title is no other owner of the channel
        ("The Dedicated climate talks were revived in May.", {("climate", "resumed")}),
        # guard: a place's name before the channel still is one
        ("The Oslo climate talks were revived in May.", set()),
    ],
)
def test_dxg_a_capitalised_participle_is_no_owner(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "two military exchanges" counted beside the specific ones names no military
        # contact in general
        (
            "The PLA called off two military exchanges, the MMCA meeting and the defense policy "
            "coordination talks, in August.",
            {("mmca", "suspended"), ("defense_policy_coordination", "suspended")},
        ),
        # guard: military exchanges not counted are military contact itself
        (
            "Beijing suspended military exchanges with the United States in August.",
            {("mil_mil", "suspended")},
        ),
    ],
)
def test_dxg_counted_military_exchanges(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected
