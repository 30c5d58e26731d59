"""The dxe round: channels named in one sentence and changed in the next, changes
presupposed by a noun or a gerund, and channels named by what they do."""

from __future__ import annotations

import pytest

from matching import Detector
from tests.test_matching import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "all three" as an object before an adjunct stands for the channels counted
        (
            "The envoys talked about the climate talks, the arms control talks and the human "
            "rights dialogue. Both sides agreed to revive all three in the spring.",
            {
                ("climate", "resumed"),
                ("arms_control_nonproliferation", "resumed"),
                ("human_rights", "resumed"),
            },
        ),
        # "that forum" stands for the channel named before it
        (
            "The arms control dialogue met twice in 2019. That forum was later frozen by Beijing.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        # a shutdown is a halt
        (
            "Last year's shutdown of the counternarcotics working group hurt enforcement.",
            {("counternarcotics", "suspended")},
        ),
        # "has let the" is no "let the …" of a recommendation
        (
            "The revival of the human rights dialogue has let the envoys raise detained lawyers.",
            {("human_rights", "resumed")},
        ),
        # a noun of change dated by its participle is done; "will" hedges its effects
        (
            "The suspension of climate talks ordered by Beijing last August will slow "
            "methane cuts.",
            {("climate", "suspended")},
        ),
        # a change given as the evidence for a claim: the claim's hedges are its own
        (
            "The revival of the arms control talks shows that dialogue can outlast a crisis.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        # … and the channel named in the claim is not the one changed
        (
            "The revival of the arms control talks shows that military contacts can survive.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        # a gerund subject whose effect is denied ("doesn't hurt Washington") is presupposed
        (
            "Cancelling the human rights dialogue doesn't hurt Washington, a senator said in "
            "Tokyo.",
            {("human_rights", "suspended")},
        ),
    ],
)
def test_dxe_anaphors_and_presupposed_changes(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: "the two" before an adjunct may be two people, not two channels
        "The climate talks and the arms control talks were discussed. The two in Beijing "
        "agreed to restart the visits program.",
        # guard: a noun of change not dated keeps the modal ("will" is its own)
        "The suspension of climate talks will follow any new arms sale.",
        # guard: "let the" still recommends
        "Let the restoration of the climate talks be the first step.",
        # guard: the channel in the claim is not the one changed
        "The reopening of the consulate shows that the climate talks can survive.",
        # guard: an effect denied is no denial of anything but the effect ("would not")
        "Suspending the climate talks would not hurt Beijing.",
    ],
)
def test_dxe_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an older change told as an aside on the news verb's object is background
        (
            "Washington revived the climate working group with Beijing, suspended in August "
            "2022 over Taiwan, at talks in Tianjin.",
            {("climate", "resumed")},
        ),
        (
            "The Treasury restarted the financial working group, reviving an economic dialogue "
            "left dormant after 2016.",
            {("economic_financial", "resumed")},
        ),
        # guard: the aside before the news verb leaves the news verb alone
        (
            "The arms control talks, frozen since 2022, resumed in Geneva on Monday.",
            {("arms_control_nonproliferation", "resumed")},
        ),
    ],
)
def test_dxe_an_older_change_told_as_an_aside(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


def test_dxe_the_talks_of_another_pair_named_before(detector: Detector) -> None:
    # "the climate talks" after a sentence about Japan and China are theirs
    text = "Japanese and Chinese envoys met in Osaka this week. The climate talks resumed there."
    assert found(detector, text) == set()
    # guard: a sentence that names one of the two speaks of their channel
    text = (
        "Japanese and Chinese envoys met in Osaka this week. The climate talks with "
        "Washington resumed in Beijing."
    )
    assert found(detector, text) == {("climate", "resumed")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the military channels" that only count the specific ones named are no channel
        (
            "The ministry listed two military channels: the MMCA talks and the theater "
            "commander calls. All of them were suspended.",
            {("mmca", "suspended"), ("theater_commanders", "suspended")},
        ),
        (
            "With the restart of the MMCA talks, the Navy regained the last of the military "
            "channels it had lost.",
            {("mmca", "resumed")},
        ),
        # … also "one of the oldest", and "two other" when the one before names one
        (
            "The MMCA talks are one of the oldest military safety channels. They resumed in May.",
            {("mmca", "resumed")},
        ),
        (
            "The theater commander talks date to 2021. They were frozen along with two other "
            "military channels.",
            {("theater_commanders", "suspended")},
        ),
        # guard: "two other" with no specific military channel near are military contact
        (
            "China froze the climate talks along with two other military channels.",
            {("climate", "suspended"), ("mil_mil", "suspended")},
        ),
        # guard: with no specific channel named, they are military contact in general
        (
            "Beijing froze three military channels in August.",
            {("mil_mil", "suspended")},
        ),
        # guard: "the two defense chiefs" is a topic joined to a channel, not a count of them
        (
            "Woodside brought a reopened defense policy channel and a revived line between "
            "the two defense chiefs.",
            {("defense_policy_coordination", "resumed"), ("mil_mil", "resumed")},
        ),
    ],
)
def test_dxe_military_channels_counted_are_the_ones_named(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a channel named by what its parties do there, in a relative clause (the last
        # topic is what they do; the first, "the two defense establishments", who does it)
        (
            "Beijing scrapped the meetings at which the two defense establishments "
            "coordinate defense policy.",
            {("defense_policy_coordination", "suspended")},
        ),
        (
            "Both navies revived the working group in which officers review incidents at sea.",
            {("mmca", "resumed")},
        ),
        # "process" and "arrangement" name a channel only with such a clause
        (
            "China halted the process through which the two justice ministries share "
            "evidence in criminal cases.",
            {("criminal_legal_assistance", "suspended")},
        ),
        (
            "Beijing restored the arrangement under which U.S. charter planes return people "
            "with removal orders.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        # topics that describe a channel, joined to a dialogue noun
        (
            "The navies reopened their talks on encounters at sea last week.",
            {("mmca", "resumed")},
        ),
        (
            "The Pentagon restored calls between regional commanders in March.",
            {("theater_commanders", "resumed")},
        ),
        (
            "The two governments revived their talks on political prisoners in 2008.",
            {("human_rights", "resumed")},
        ),
        (
            "Washington and Beijing restarted their dialogue on religious freedom.",
            {("human_rights", "resumed")},
        ),
    ],
)
def test_dxe_channels_named_by_description(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: a "process" with no clause saying what is done through it is no channel
        "China halted the process of reviewing criminal cases.",
        # guard: a topic in a relative clause on no dialogue noun links nothing
        "Beijing revived the museum in which the navies display encounters at sea.",
    ],
)
def test_dxe_descriptions_that_name_no_channel(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "each" standing alone for the channels listed before
        (
            "Beijing's note listed the climate talks and the arms control talks. Each was "
            "frozen the same day.",
            {("climate", "suspended"), ("arms_control_nonproliferation", "suspended")},
        ),
        # "set it up": the pronoun between the verb and its particle
        (
            "Kerry proposed a new climate working group. Xie agreed to set it up in Beijing.",
            {("climate", "resumed")},
        ),
        # a channel in a "with" adjunct after the verb is a circumstance, not its object
        (
            "The envoys named the climate talks and the human rights dialogue. Each has since "
            "been revived, with the arms control talks in March a later addition.",
            {("climate", "resumed"), ("human_rights", "resumed")},
        ),
    ],
)
def test_dxe_each_set_it_up_and_with_adjuncts(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: "each" before a verb other than "be"/"have" is no anaphor for a change
        "The climate talks and the arms control talks met. Each side suspended judgment.",
    ],
)
def test_dxe_each_and_set_it_up_look_alikes(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "no longer suspended", with the sessions since told after a colon
        (
            "Climate cooperation is no longer suspended: the envoys met in May, and a second "
            "session is planned.",
            {("climate", "resumed")},
        ),
        # a cadence naming the series a suspension ends, not one sitting
        (
            "Beijing called off the annual meetings at which the navies review encounters at sea.",
            {("mmca", "suspended")},
        ),
        # a topic in an office's title-cased name names no channel
        (
            "China cancelled the climate talks, said the Office for International Military "
            "Cooperation.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxe_states_series_and_names(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: routine in the change's own clause still blocks the flip
        "The climate talks are no longer suspended for the lunch break: the sitting goes on.",
        # guard: one sitting of a cadence is routine ("the annual meeting", singular)
        "The envoys called off the annual meeting of the climate talks.",
    ],
)
def test_dxe_routine_look_alikes(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


def test_dxe_between_after_a_topic_names_the_parties(detector: Detector) -> None:
    # "between the two militaries" after "maritime safety consultations" names who talks
    text = "Beijing cancelled the maritime safety consultations between the two militaries."
    assert found(detector, text) == {("mmca", "suspended")}
    # guard: with no topic before the noun, "between the two militaries" names the channel
    text = "Beijing cancelled the consultations between the two militaries."
    assert found(detector, text) == {("mil_mil", "suspended")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "sessions" told by what is done at them
        (
            "Beijing froze the sessions in which the envoys compare nuclear arsenals.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        # a series ended, told by what is done at it
        (
            "Washington ended the cabinet-level meetings in which the two sides discussed methane.",
            {("climate", "suspended")},
        ),
        # topics and an alias for channels told by description
        (
            "In 2004 China cancelled the talks at which diplomats raised jailed dissidents.",
            {("human_rights", "suspended")},
        ),
        (
            "The two agencies restarted joint investigations into fentanyl smuggling.",
            {("counternarcotics", "resumed")},
        ),
    ],
)
def test_dxe_sessions_series_and_descriptions(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: "ended the two-day talks" closes one round, it ends no series
        "The envoys ended the two-day talks on methane in Beijing.",
        # guard: "sessions" with no clause on what is done at them is no channel noun
        "Beijing halted training sessions for engineers who measure methane.",
    ],
)
def test_dxe_sessions_and_ended_look_alikes(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


def test_dxe_the_other_side_before_the_topic(detector: Detector) -> None:
    # "with the U.S." between the noun and its topic is the other side
    text = "China suspended its consultations with the U.S. on a new phase of arms control."
    assert found(detector, text) == {("arms_control_nonproliferation", "suspended")}
    # guard: a party that is not one of the two does not stretch the reach
    text = "China suspended its consultations with museum staff on a new phase of arms control."
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a counted class of any kind counts the channels named beside it
        (
            "Climate talks and fentanyl cooperation were the two law-enforcement tracks that "
            "mattered. Beijing froze those tracks in May.",
            {("climate", "suspended"), ("counternarcotics", "suspended")},
        ),
        # guard: a class that counts its own channel too stays a mention of it
        (
            "Aides say the two law-enforcement channels China froze in 2022 — law enforcement "
            "cooperation and fentanyl cooperation — are running again.",
            {("transnational_crime", "resumed"), ("counternarcotics", "resumed")},
        ),
        # "signalled that": the channel in the claim is not the one changed
        (
            "By cutting off the climate talks, Beijing signalled that military contacts were next.",
            {("climate", "suspended")},
        ),
    ],
)
def test_dxe_counted_classes_and_claims(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # talks with Taipei are across the strait, not with the U.S.
        ("Beijing restarted climate talks with Taipei's city officials last week.", set()),
        # an agreement not yet made, whose effect is hedged
        ("Any agreement to revive the human rights dialogue would please activists.", set()),
        # guard: an agreement made is news, hedged effect or not
        (
            "An agreement to revive the human rights dialogue was signed, and it would please "
            "activists.",
            {("human_rights", "resumed")},
        ),
        # guard: talks with Washington stay ours
        (
            "Beijing restarted climate talks with Washington, angering Taipei.",
            {("climate", "resumed")},
        ),
    ],
)
def test_dxe_other_parties_and_agreements_not_made(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


def test_dxe_a_capitalised_verb_in_the_clause_is_no_owner(detector: Detector) -> None:
    # the mention spans the noun and its clause: "Review" before the topic is no forum name
    text = "Beijing froze the working group in which officers Review incidents at sea."
    assert found(detector, text) == {("mmca", "suspended")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a cadence on a meeting told by what is done at it names the series, not a sitting
        (
            "The envoys resumed the annual meeting at which the two sides compare nuclear "
            "arsenals.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        # "returning Chinese nationals" describes the repatriation channel
        (
            "Beijing suspended cooperation on returning Chinese nationals who overstay visas.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        # guard: one sitting picking up again is routine
        ("The envoys resumed the annual meeting of the arms control talks after lunch.", set()),
    ],
)
def test_dxe_series_told_by_description(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected
