"""The dxf round: a channel beside a state word that is no event of it, and the
punctuation and objects that tell which."""

from __future__ import annotations

from datetime import date

import pytest

from matching import Detector
from tests.test_matching import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an en dash between two days is a range inside the clause, no clause break
        (
            "The climate working group sat in Tianjin on June 11–12 for the first time since "
            "2022, the envoys' offices said.",
            {("climate", "resumed")},
        ),
        (
            "The defense policy coordination talks met on 7–8 March for the first time since 2021.",
            {("defense_policy_coordination", "resumed")},
        ),
        # guard: a spaced en dash still ends a clause, and the denial before it with it
        (
            "The climate talks have not resumed – they were halted in 2022.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxf_changes(detector: Detector, text: str, expected: set[tuple[str, str]]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sitting told as a custom ("as they do every autumn") is routine: what it
        # restarts is an item on its agenda
        (
            "As they do every autumn, the two militaries met under the MMCA in Hawaii, "
            "restarting a review of air intercepts.",
            set(),
        ),
        (
            "The climate envoys held their talks in Beijing, as they have done each year, "
            "resuming a debate on methane.",
            set(),
        ),
        # guard: a season in an aside on the channel is no custom of this sitting
        (
            "The climate talks, held each spring, were cancelled in 2022.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxf_a_sitting_told_as_a_custom(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb with an object of its own that is no channel stops that thing, not the
        # channel named later in a clause of "as"
        (
            "China suspended sales of rare earths on Tuesday, the ministry said, as negotiators "
            "prepared for the climate talks.",
            set(),
        ),
        (
            "Washington restored licences for U.S. chip exports, as officials drafted the "
            "agenda of the arms control talks.",
            set(),
        ),
        # guards: a verb that takes another verb ("ceased working with") stops the work
        (
            "Chinese police ceased working with U.S. agents on counternarcotics cooperation in "
            "August 2022.",
            {("counternarcotics", "suspended")},
        ),
        # … a passive has no object, whatever stands between it and its auxiliary
        (
            "The climate talks were nonetheless halted together in May.",
            {("climate", "suspended")},
        ),
        # … a thing first in a list leaves the channels after it to the verb
        (
            "Beijing cancelled port visits, the MMCA talks and the defense policy "
            "coordination talks after the Pelosi trip.",
            {("mmca", "suspended"), ("defense_policy_coordination", "suspended")},
        ),
        (
            "In August 2022 China suspended student visas, climate talks and counternarcotics "
            "cooperation.",
            {("climate", "suspended"), ("counternarcotics", "suspended")},
        ),
        # … and a channel before the verb is its subject
        (
            "The climate talks resumed quietly after Bali.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxf_a_verb_with_an_object_of_its_own(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel that stops after a session dated by its year, or its last, has stopped:
        # that session is no routine sitting of this change
        (
            "The arms control talks were suspended after their 2019 session in Geneva, and "
            "neither side has asked to restart them.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (
            "The climate talks were frozen after their last session in Bali.",
            {("climate", "suspended")},
        ),
        # guard: a resumption after one is still routine
        ("The climate talks resumed after their 2019 session.", set()),
    ],
)
def test_dxf_stopped_after_a_dated_session(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a yearly document is no sitting: the change beside it is no routine round
        (
            "The climate talks have fallen into abeyance, and the ministry no longer lists "
            "them in its annual report on engagements.",
            {("climate", "suspended")},
        ),
        (
            "The arms control talks were cancelled in March, weeks before the quarterly "
            "assessment was filed.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        # guard: a yearly sitting still is one
        ("The climate talks resumed for their annual session.", set()),
    ],
)
def test_dxf_a_yearly_document_is_no_sitting(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel in what a participle of saying reports belongs to that clause, not to
        # the change told before it
        (
            "Beijing has reopened the climate talks, the ministry said, adding that the arms "
            "control talks were still being studied.",
            {("climate", "resumed")},
        ),
        (
            "Chinese officials accused the Pentagon of cutting off student exchanges, arguing "
            "that the human rights dialogue exists to settle such quarrels.",
            set(),
        ),
        # guard: a channel listed before the participle is still the verb's object
        (
            "China suspended the climate talks and the arms control talks, noting that the "
            "decision was final.",
            {("climate", "suspended"), ("arms_control_nonproliferation", "suspended")},
        ),
    ],
)
def test_dxf_what_a_participle_of_saying_reports(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an appositive that renames the change ("a move", "a step") says something of
        # the change: a channel in it is no object of the verb
        (
            "Beijing halted visas for three American journalists on Friday, a move its "
            "spokesman tied to nothing in the climate talks.",
            set(),
        ),
        (
            "China suspended new licences for two U.S. grain traders, in a step analysts "
            "called separate from the counternarcotics working group.",
            set(),
        ),
        # guard: one that closes before the channel leaves it the verb's object
        (
            "China suspended, in a move that stunned Washington, the climate talks.",
            {("climate", "suspended")},
        ),
        # guard: the channels listed before it are still its objects
        (
            "China suspended the climate talks, a move Washington called reckless.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxf_an_appositive_move(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the date of a planned meeting called off is the meeting's, not the change's: the
        # calling off is done
        (
            "China has cancelled the climate talks scheduled for next month, two diplomats said.",
            date(2023, 5, 2),
            {("climate", "suspended")},
        ),
        (
            "Beijing called off the arms control talks set for June 14, officials said.",
            date(2024, 6, 3),
            {("arms_control_nonproliferation", "suspended")},
        ),
        # guard: a change told with a later date of its own is still a plan
        (
            "The climate talks resume next month, two diplomats said.",
            date(2023, 5, 2),
            set(),
        ),
    ],
)
def test_dxf_a_planned_meeting_called_off(
    detector: Detector, text: str, published: date, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the other side before a determiner is the one acting: "those channels" stands for
        # the channels named before, not for talks with the PLA
        (
            "The MMCA and the defense policy coordination talks were long the backbone of "
            "military ties. The PLA reopened those channels last spring.",
            {("mmca", "resumed"), ("defense_policy_coordination", "resumed")},
        ),
        # guard: the PLA as a modifier of the noun still names the military channel
        (
            "Beijing restored PLA talks with the Pentagon in 2023.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_dxf_the_other_side_acting(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected
