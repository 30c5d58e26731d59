"""The detector on plain sentences: what fires, what must stay quiet, and why."""

from __future__ import annotations

from datetime import date

import pytest

from channelwatch.config import load_config
from matching import Detector, split_sentences
from matching.dates import find_dates
from tests.servers import REPO_CONFIG

PUBLISHED = date(2023, 11, 20)  # a Monday


def found(
    detector: Detector, text: str, published: date | None = PUBLISHED
) -> set[tuple[str, str]]:
    return {(e.channel, e.event) for e in detector.detect(text, published)}


def test_sentences_survive_abbreviations_and_initials() -> None:
    text = (
        "Gen. Charles Q. Brown Jr. spoke with Gen. Liu on Jan. 5. The U.S. side said No. 2 was next. "
        'Sen. Smith asked, "Why now?" Talks followed.\n\nA heading\n- a list item\n- another one'
    )
    assert [s.text for s in split_sentences(text)] == [
        "Gen. Charles Q. Brown Jr. spoke with Gen. Liu on Jan. 5.",
        "The U.S. side said No. 2 was next.",
        'Sen. Smith asked, "Why now?"',
        "Talks followed.",
        "A heading",
        "- a list item",
        "- another one",
    ]
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China suspended its climate talks with the United States.", {("climate", "suspended")}),
        (
            "Beijing called off the Defense Policy Coordination Talks.",
            {("defense_policy_coordination", "suspended")},
        ),
        ("MMCA meetings have fallen into abeyance.", {("mmca", "suspended")}),
        ("Counternarcotics cooperation remains suspended.", {("counternarcotics", "suspended")}),
        ("Beijing cut off military-to-military communications.", {("mil_mil", "suspended")}),
        ("The two sides restored military-to-military communications.", {("mil_mil", "resumed")}),
        ("Washington and Beijing restarted their climate talks.", {("climate", "resumed")}),
        (
            "The leaders agreed to resume military-to-military communications.",
            {("mil_mil", "resumed")},
        ),
        (
            "The resumption of military-to-military communications eased tensions.",
            {("mil_mil", "resumed")},
        ),
        ("Suspending climate cooperation punishes the world.", {("climate", "suspended")}),
        (
            "China suspended climate talks, counternarcotics cooperation and military-to-military communications.",
            {("climate", "suspended"), ("counternarcotics", "suspended"), ("mil_mil", "suspended")},
        ),
        (
            "The two sides have resumed their climate dialogue, suspended after the Pelosi visit.",
            {("climate", "resumed")},
        ),
        (
            "The Defense Policy Coordination Talks met for the first time since 2020.",
            {("defense_policy_coordination", "resumed")},
        ),
        (
            "Beijing not only suspended climate talks but also froze counternarcotics cooperation.",
            {("climate", "suspended"), ("counternarcotics", "suspended")},
        ),
        # topics joined to a dialogue noun, before or after it, and coordinated
        ("Beijing halted its talks with Washington on climate change.", {("climate", "suspended")}),
        (
            "The climate and anti-drug talks were frozen in August.",
            {("climate", "suspended"), ("counternarcotics", "suspended")},
        ),
        (
            "Cooperation on fentanyl and on transnational crime was restored.",
            {("counternarcotics", "resumed"), ("transnational_crime", "resumed")},
        ),
        (
            "The two sides set up working groups, one on economic policy and one on finance.",
            {("economic_financial", "resumed")},
        ),
        (
            "China scrapped the theater commanders' talks with the U.S. military.",
            {("theater_commanders", "suspended")},
        ),
        # background on either side of the main verb
        (
            "The MMCA talks, cancelled by Beijing in 2022, resumed in Hawaii on Monday.",
            {("mmca", "resumed")},
        ),
        (
            "The MMCA talks that China called off in 2022 were reopened on Monday.",
            {("mmca", "resumed")},
        ),
        (
            "Military-to-military talks cut off after the Pelosi trip are back on track.",
            {("mil_mil", "resumed")},
        ),
        (
            "Climate cooperation — one of eight channels China suspended in 2022 — is running again.",
            {("climate", "resumed")},
        ),
        (
            "Beijing has thawed the repatriation channel it froze in 2022.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        ("Once shelved by Beijing, the MMCA talks reconvened on Monday.", {("mmca", "resumed")}),
        # one sentence, both changes: the last told is the news
        ("The climate talks were suspended in 2022 and revived in 2023.", {("climate", "resumed")}),
        # the state now, beside a denied change
        ("China has not restored the MMCA talks, which remain suspended.", {("mmca", "suspended")}),
        (
            "Climate cooperation is no longer suspended: the working group met on Monday.",
            {("climate", "resumed")},
        ),
        ("The MMCA talks continue to be frozen.", {("mmca", "suspended")}),
        (
            "The repatriation track has been in abeyance since 2022.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        # a cue far beyond a noun trigger's phrase does not reach it; contrast is no negation
        (
            "Beijing's cancellation of the MMCA talks has left U.S. captains at sea without a number to call.",
            {("mmca", "suspended")},
        ),
        (
            "Suspending climate cooperation punishes the world, not Washington.",
            {("climate", "suspended")},
        ),
        (
            "Since the restoration of climate cooperation, emissions data flow again.",
            {("climate", "resumed")},
        ),
        # more ways to say it
        (
            "Beijing put its climate talks with Washington on hold on Friday.",
            {("climate", "suspended")},
        ),
        (
            "China mothballed counternarcotics cooperation in 2022.",
            {("counternarcotics", "suspended")},
        ),
        ("The MMCA talks went dark after the Pelosi visit.", {("mmca", "suspended")}),
        ("The PLA slammed shut its channels to the U.S. military.", {("mil_mil", "suspended")}),
        (
            "The human rights dialogue reconvened in Geneva on Monday.",
            {("human_rights", "resumed")},
        ),
        (
            "Counternarcotics cooperation is back up and running, officials said.",
            {("counternarcotics", "resumed")},
        ),
        ("The two sides brought the MMCA talks back in April.", {("mmca", "resumed")}),
        (
            "Monday's meeting ended a four-year gap in arms control consultations.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        (
            "Theater commanders spoke for the first time in two years on Monday.",
            {("theater_commanders", "resumed")},
        ),
        # an agreement reports a fact, even with "would" or words before "to"
        (
            "Both sides agreed that theater commander calls would be restored.",
            {("theater_commanders", "resumed")},
        ),
        (
            "The leaders agreed in Woodside last week to restart military-to-military talks.",
            {("mil_mil", "resumed")},
        ),
        # a list continues past a clause boundary only through function words
        (
            "Climate cooperation: restored at the leader level; DPCT and MMCA to follow.",
            {("climate", "resumed")},
        ),
        (
            "China suspended climate talks, counternarcotics cooperation, and the MMCA talks.",
            {("climate", "suspended"), ("counternarcotics", "suspended"), ("mmca", "suspended")},
        ),
        # background after the main verb: a relative clause, a parenthesis
        ("China restored the MMCA talks that it had suspended in 2022.", {("mmca", "resumed")}),
        (
            "Climate talks resumed on Monday — two years after Beijing suspended them — in Beijing.",
            {("climate", "resumed")},
        ),
        (
            "Climate talks resumed on Monday — Beijing suspended them in 2022 — at a hotel in Beijing.",
            {("climate", "resumed")},
        ),
        (
            "The DPCT has resumed, but the MMCA talks, which remain suspended, have not.",
            {("defense_policy_coordination", "resumed"), ("mmca", "suspended")},
        ),
        # an agreement, and what is said after a reporting verb
        ("The two sides agreed on a plan to restore the MMCA talks.", {("mmca", "resumed")}),
        (
            "Officials who had hoped for progress said the climate talks resumed on Monday.",
            {("climate", "resumed")},
        ),
        # a fronted "although" clause and a closed relative clause keep their cues to themselves
        (
            "Although it may not last, the climate working group was relaunched this week.",
            {("climate", "resumed")},
        ),
        (
            "The MMCA channel, which both navies say they want to expand, was reopened in March.",
            {("mmca", "resumed")},
        ),
        (
            "Thanks to the reopening of the MMCA channel, officers could compare notes.",
            {("mmca", "resumed")},
        ),
        (
            "Eighteen months after Beijing cut them off, the counternarcotics talks are back.",
            {("counternarcotics", "resumed")},
        ),
        (
            "The human rights dialogue was effectively abandoned in 2018.",
            {("human_rights", "suspended")},
        ),
        (
            "Neither the climate talks nor the MMCA talks survived: Beijing suspended both within hours.",
            {("climate", "suspended"), ("mmca", "suspended")},
        ),
        (
            "Austin and Dong held a video call on Thursday, the first talks between the two militaries since 2022.",
            {("mil_mil", "resumed")},
        ),
        # a habit marker does not block a dated change
        (
            "In August 2022, as it always does, Beijing suspended military-to-military talks.",
            {("mil_mil", "suspended")},
        ),
        (  # walked away
            "Beijing walked away from the arms control talks on Tuesday.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (  # pulled the plug
            "China has pulled the plug on counternarcotics cooperation.",
            {("counternarcotics", "suspended")},
        ),
        (  # stopped talking
            "Beijing stopped talking to Washington about mutual legal assistance.",
            {("criminal_legal_assistance", "suspended")},
        ),
        (  # first X in N years
            "The MMCA working group held its first meeting in three years on Monday.",
            {("mmca", "resumed")},
        ),
        (  # consultations on these issues
            "Officials raised climate change and human rights with Beijing. Consultations on these issues resumed in May.",
            {("climate", "resumed"), ("human_rights", "resumed")},
        ),
        (  # plan predicate
            "The suspension of climate talks has hampered efforts to cut methane.",
            {("climate", "suspended")},
        ),
        (  # slammed the door
            "Beijing slammed the door on arms control consultations.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (  # back under way
            "Climate talks are back under way, the envoys said.",
            {("climate", "resumed")},
        ),
        (  # an indefinite noun can report a fact
            "Beijing announced a suspension of climate talks on Friday.",
            {("climate", "suspended")},
        ),
        (  # after a N-year freeze
            "The MMCA talks were restored after a two-year freeze.",
            {("mmca", "resumed")},
        ),
        (  # a gerund after a comma still reports
            "Biden and Xi met on Wednesday, restoring military-to-military communications.",
            {("mil_mil", "resumed")},
        ),
        (  # a gerund after a start verb still reports
            "Beijing began restoring the MMCA talks in January.",
            {("mmca", "resumed")},
        ),
        (  # a gerund after 'is' still reports
            "Counternarcotics cooperation is resuming this week, officials said.",
            {("counternarcotics", "resumed")},
        ),
        (  # a headline's present tense, with no date, still reports
            "China freezes arms control talks with US over Taiwan arms sales",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (  # cut: singular
            "Beijing cut military communication with Washington.",
            {("mil_mil", "suspended")},
        ),
        (  # cut: hyphenated
            "Beijing cut all mil-to-mil talks.",
            {("mil_mil", "suspended")},
        ),
        (  # a noun's predicate denies something else, not the change
            "The establishment of the economic working group last year has not ended disputes over subsidies.",
            {("economic_financial", "resumed")},
        ),
        (  # a regular channel back after a gap of years is news, not routine
            "The annual human rights consultations reconvened in Geneva after a six-year gap.",
            {("human_rights", "resumed")},
        ),
        (  # "regular" describing what was restored is not a round on the calendar
            "The defense chiefs agreed to restore regular military talks.",
            {("mil_mil", "resumed")},
        ),
        (  # the suspension a "first since" counts from is its background
            "The fentanyl working group met on Monday, the first session since the 2025 suspension.",
            {("counternarcotics", "resumed")},
        ),
        (  # "its first since" as well as "the first since"
            "The MMCA talks met in Guam, their first since Beijing cancelled them in 2022.",
            {("mmca", "resumed")},
        ),
        (  # "the first time … suspended since" measures a suspension, it is no resumption
            "Beijing froze the climate talks last week, the first time they had been suspended since 2022.",
            {("climate", "suspended")},
        ),
        (  # a gap dated from a year
            "The monthly theater commander calls resumed, silent since 2022.",
            {("theater_commanders", "resumed")},
        ),
        (  # a suspension named beside a regular meeting
            "The quarterly climate talks were restored after Beijing had frozen them.",
            {("climate", "resumed")},
        ),
        (  # a "when" clause in the past tells a story, not a habit
            "When the envoys met in Beijing, they restored the climate talks.",
            {("climate", "resumed")},
        ),
        (  # … and so does a year in it
            "China suspended the DPCT when tensions peaked in 2022.",
            {("defense_policy_coordination", "suspended")},
        ),
        (  # a present "when" inside a relative clause tells what the channel is for
            "Beijing restored the military hotline, which is used when ships meet at sea.",
            {("mil_mil", "resumed")},
        ),
        (  # "when it comes to" is no "when" clause
            "When it comes to fentanyl, Beijing restored cooperation on counternarcotics in 2023.",
            {("counternarcotics", "resumed")},
        ),
        (  # a forum named with the two leaders meeting there: their own channel
            "At the G20 in Rio, the two presidents agreed to restart talks on fentanyl.",
            {("counternarcotics", "resumed")},
        ),
        (  # … or named as the sidelines
            "On the sidelines of APEC, officials restored talks on fentanyl.",
            {("counternarcotics", "resumed")},
        ),
        (  # "had used to" is the verb "use", not a habit
            "China cut off the MMCA talks, which the navies had used to avoid collisions.",
            {("mmca", "suspended")},
        ),
        (  # an opening phrase of motive keeps its cues to itself
            "Keen to avoid a scene, Beijing quietly restored the climate talks.",
            {("climate", "resumed")},
        ),
        (  # … "not" included
            "Not waiting for Washington, China suspended the arms control talks.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (  # … "despite" too
            "Despite calls for restraint, Beijing froze the military talks.",
            {("mil_mil", "suspended")},
        ),
        (  # … "without" too
            "Without any notice, China halted fentanyl cooperation.",
            {("counternarcotics", "suspended")},
        ),
        (  # a planned meeting named is not the clause's plan
            "Beijing scrapped a planned MMCA meeting and froze the climate talks.",
            {("mmca", "suspended"), ("climate", "suspended")},
        ),
        (  # … nor a meeting "scheduled for" a date
            "China cancelled the DPCT round scheduled for May and froze the fentanyl talks.",
            {("defense_policy_coordination", "suspended"), ("counternarcotics", "suspended")},
        ),
        (  # "for May": the month, not a modal
            "Beijing cancelled the MMCA round set for May and halted the climate talks.",
            {("mmca", "suspended"), ("climate", "suspended")},
        ),
        (  # "as planned" is how it happened, not a plan
            "The climate talks went ahead as planned on Monday, the first since Beijing froze them.",
            {("climate", "resumed")},
        ),
        (  # a decided list of countermeasures: base forms, but a decision
            "Beijing decided on these steps: suspend the MMCA talks; cancel the DPCT.",
            {("mmca", "suspended"), ("defense_policy_coordination", "suspended")},
        ),
        (  # one instance set against the habit just told
            "Usually patient, Beijing this time suspended the climate talks.",
            {("climate", "suspended")},
        ),
        (  # a habit bounded in the past, in an aside, is background
            "The climate talks, held every year before 2022, have resumed.",
            {("climate", "resumed")},
        ),
        (  # "the first time … in five years", with a long gap of words
            "The envoys met in Geneva, the first time the two sides had held arms control talks in five years.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        (  # a forum where the two defense chiefs met: their own channel
            "At the Shangri-La Dialogue, the two defense chiefs held talks for the first time since 2022.",
            {("mil_mil", "resumed")},
        ),
        (  # people named with titles are not another pair of countries
            "The talks between Adm. Aquilino and Gen. Lin restored the theater-level channel.",
            {("theater_commanders", "resumed")},
        ),
        (  # "lifting a freeze" is a resumption, not a suspension
            "The fentanyl talks restarted in Beijing, lifting a months-long freeze.",
            {("counternarcotics", "resumed")},
        ),
        (  # a named American and Chinese agreeing at a forum: their own channel
            "At the G20 summit, Biden and his counterpart Xi Jinping agreed to resume climate work.",
            {("climate", "resumed")},
        ),
        (  # a present tense with an event for its subject reports it
            "The agreement restores the MMCA talks that Beijing froze in May.",
            {("mmca", "resumed")},
        ),
        (  # the National Security Council is no forum of many
            "A National Security Council official said talks on fentanyl had resumed.",
            {("counternarcotics", "resumed")},
        ),
        (  # a second infinitive after "agreed to … and to" shares the agreement
            "The envoys agreed to hold a summit on trade and to restore the climate talks.",
            {("climate", "resumed")},
        ),
        (  # … with a noun between the first verb and its object
            "Beijing agreed to establish a working group on fentanyl and to resume the DPCT.",
            {("counternarcotics", "resumed"), ("defense_policy_coordination", "resumed")},
        ),
        (  # a verb after the mention with its own object is that object's
            "Beijing restored a long-delayed round of the DPCT and suspended the climate talks.",
            {("defense_policy_coordination", "resumed"), ("climate", "suspended")},
        ),
        (  # a reduced relative after the object of an earlier verb is background
            "The envoys revived the MMCA talks frozen since 2022.",
            {("mmca", "resumed")},
        ),
        (  # an opening phrase's change does not make the main verb background
            "After a two-year suspension, the MMCA talks resumed.",
            {("mmca", "resumed")},
        ),
        (  # "after the 2022 suspension": the older change told after the news is background
            "The MMCA talks resumed on Monday after the 2022 suspension.",
            {("mmca", "resumed")},
        ),
        (  # … but a restoration told first, with a change after it, is not ("since the …")
            "Since the restoration of the climate talks, Beijing has cut off the MMCA talks.",
            {("climate", "resumed"), ("mmca", "suspended")},
        ),
        (  # "the first in-person meeting of its kind in years"
            "The MMCA delegates met in Hawaii, the first in-person meeting of its kind in years.",
            {("mmca", "resumed")},
        ),
        (  # what a change failed to do does not deny the change
            "The resumption of military talks has not stopped the unsafe intercepts.",
            {("mil_mil", "resumed")},
        ),
        (  # "both" before a change verb is an anaphor
            "China cut off the DPCT and the MMCA talks in 2021. Both resumed in 2023.",
            {
                ("defense_policy_coordination", "suspended"),
                ("mmca", "suspended"),
                ("defense_policy_coordination", "resumed"),
                ("mmca", "resumed"),
            },
        ),
        (  # a pronoun before a passive change is the channel, object or not
            "Beijing froze the climate talks in 2022. It was revived a year later.",
            {("climate", "suspended"), ("climate", "resumed")},
        ),
        (  # "have since been revived": "since" is an adverb here, not background
            "The climate talks were frozen in August; they have since been revived.",
            {("climate", "resumed")},
        ),
        (  # "talking" joins a topic to make a channel
            "The two militaries are talking again.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Both governments should revive their human rights dialogue.",  # recommendation
        "Analysts urge the restoration of military-to-military communications.",  # demand
        "Washington hopes to resume the climate talks later this year.",  # hope
        "The Pentagon is seeking to reengage military-to-military communications.",  # intention
        "China could suspend the climate talks again.",  # hypothetical
        "If climate talks resume, emissions targets may follow.",  # conditional
        "Military-to-military communications have yet to resume.",  # negation
        "Beijing has not restored counternarcotics cooperation.",  # negation
        "Beijing refused to restore military-to-military communications.",  # refusal
        "Will Beijing restore the climate talks?",  # question
        "The resumption of climate talks would be welcome.",  # hedged noun
        "The 18th round of the human rights dialogue took place in Geneva.",  # routine, no state verb
        "Climate talks are a staple of the relationship.",  # bare mention
        "Beijing suspended its participation in the UN meeting.",  # no channel
        "The wiser course is to re-establish the MMCA talks on a fixed calendar.",  # infinitive
        "Officials are pushing to relaunch the human rights dialogue.",  # infinitive
        "Recommendation No. 3: Restart the counternarcotics working group.",  # imperative
        "Had the two sides restored the climate talks earlier, much would differ.",  # inverted condition
        "Were Beijing to freeze climate cooperation, emissions would rise.",  # inverted condition
        "Beijing denied that it had suspended counternarcotics cooperation.",  # denial
        "Neither side has revived the arms control consultations.",  # neither
        "There has been no restoration of counternarcotics cooperation.",  # "no" + noun trigger
        "Beijing typically halts arms control consultations after arms sales.",  # habit
        "Gen. Liu will call Gen. Brown next week, resuming military-to-military talks.",  # future
        "Gen. Liu is to call Gen. Brown next week, resuming military-to-military talks.",  # future date alone
        "Climate change is accelerating, and China is the largest emitter.",  # a topic alone names no channel
        "Resuming the MMCA talks would restore a forum for incidents at sea.",  # gerund subject, hedged after
        "Any reopening of arms control consultations would depend on Taiwan arms sales.",  # "any" + gerund
        "Even a restored line between the two militaries would not guarantee calm.",  # participle as adjective
        "The climate talks are to be reopened at a meeting next month.",  # "is to be"
        "The counternarcotics dialogue is poised for a restart.",  # poised
        "At no point did Washington suspend its climate dialogue.",  # at no point
        "Nothing suggests that repatriation cooperation has been reinstated.",  # nothing
        "Arms control consultations are held sporadically and suspended at the slightest provocation.",  # habit
        "Washington suspended its arms control talks with Moscow in 2022.",  # another pair
        "Japan and China resumed their economic dialogue in Tokyo.",  # another pair
        "The G20 finance working group was relaunched in 2021.",  # a forum of many
        "Our first recommendation: revive the arms control consultations, with missile launch notifications.",  # imperative
        "Has Beijing restored the climate talks?",  # a question with no modal
        "Every crisis since 1996 has seen military-to-military contacts suspended.",  # generic, sentence-wide
        "The pattern has held: military-to-military talks are suspended after arms sales.",  # generic
        "Beijing has repeatedly frozen the climate talks to signal displeasure.",  # repeatedly
        "A sensible first step is restoring the MMCA meetings.",  # recommendation
        "What is needed is a resumption of the arms control consultations.",  # recommendation
        "Let the two navies resume the MMCA talks.",  # recommendation
        "No agreement was reached on reopening the MMCA meetings.",  # no agreement
        "The climate working group met again on Tuesday.",  # met again removed
        "China has in no way halted climate cooperation.",  # in no way
        "The DPCT have hardly been restored.",  # hardly
        "Beijing rejected the idea of a restart of the MMCA talks.",  # reject the idea
        "Restoring the MMCA talks is in the interest of both navies.",  # in the interest of
        "What the region needs is a restored MMCA.",  # what X needs
        "Restarting the arms control talks is overdue.",  # overdue
        "Restarting the human rights dialogue deserves serious thought.",  # deserves
        "Reopening the climate dialogue is the natural starting point.",  # natural starting point
        "An early restoration of counternarcotics cooperation benefits everyone, the spokesperson said.",  # an early
        "Officials see real value in restoring the MMCA talks.",  # see value in
        "Beijing has shown interest in restoring the DPCT.",  # interest in
        "Both sides favour the restoration of the MMCA talks.",  # favour
        "The Pentagon requested a resumption of theater commander talks.",  # request
        "The two envoys discussed reviving the climate working group.",  # a gerund as an object
        "The ministries held talks about reopening law enforcement cooperation.",  # a gerund as an object
        "Time after time, Beijing has halted climate talks.",  # time after time
        "China has suspended the MMCA talks more than once.",  # more than once
        "Beijing has cut off military talks four times since 2001.",  # N times
        "Sooner or later, an arms sale brings a freeze in military contacts.",  # sooner or later
        "Each round of sanctions brought a suspension of counternarcotics cooperation.",  # each round
        "Climate cooperation rises and falls with the relationship, reviving when ties warm.",  # rises and falls
        "Law enforcement cooperation resumes in good years.",  # in good years
        "Suspending the climate talks was a predictable response to the visit.",  # predictable
        "The DPCT have been suspended and restored in cycles.",  # in cycles
        "Beijing has a record of freezing military contacts.",  # a gerund as an object
        "In Chinese practice, suspending the MMCA talks sends a signal.",  # Chinese practice
        "Beijing restores the talks slowly after a freeze, as the MMCA shows.",  # as X shows
        "The arms control talks resumed on Wednesday for their second day.",  # routine: nth day
        "The DPCT reconvened after lunch.",  # routine: after a break
        "The MMCA talks resumed after a coffee break.",  # routine: after a break
        "The human rights talks resumed after the delegations broke for the night.",  # routine: broke for
        "The climate working group reconvened this week as planned.",  # routine: as planned
        "The EU restarted its human rights dialogue with China.",  # other country: EU
        "Canada restored its law enforcement cooperation with China.",  # other country: Canada
        "New Zealand relaunched its military dialogue with China.",  # other country: NZ
        "France suspended its climate dialogue with China.",  # other country: France
        "Bringing the MMCA talks back would calm the seas.",  # gerund phrase head
        "A freeze in climate talks would hurt both sides.",  # article nominal
        "The UN climate talks resumed on Monday.",  # forum before
        "The counternarcotics working group resumed work for the third day.",  # routine cue
        "The MMCA talks resume next Tuesday in Hawaii.",  # a present-tense change on a set day
        "The ministry dismissed reports that the MMCA talks had been restored.",  # dismissed reports
        "No one has cancelled the climate talks, officials said.",  # no one
        "Nobody restored the MMCA talks.",  # nobody
        "The arms sale risks a freeze in military talks.",  # risks
        "Officials said it was high time both sides restored the MMCA talks.",  # high time
        "The goal of the visit is the restoration of climate cooperation.",  # goal
        "The envoys arrived intent on restarting the climate talks.",  # intent on
        "Treasury is eyeing the relaunch of the economic dialogue.",  # eyeing
        "Officials have pencilled in the resumption of the MMCA talks.",  # pencilled in
        "Assuming the MMCA talks are restored, incidents should fall.",  # assuming
        "Suppose China halted climate cooperation tomorrow.",  # suppose
        "Imagine Beijing restored the military talks overnight.",  # imagine
        "Military talks resume in good times.",  # in good times
        "It is a truism that China freezes climate cooperation to punish Washington.",  # truism
        "Suspending the climate talks is the equivalent of a diplomatic protest.",  # equivalent of
        "The MMCA talks have lurched from suspension to revival.",  # lurch
        "Beijing halts military talks at the first hint of trouble.",  # first hint / sign
        "China freezes climate talks at the first sign of friction.",  # first hint / sign
        "Washington and Tokyo restored their climate dialogue.",  # Tokyo
        "Seoul restarted its military dialogue with Beijing.",  # Seoul
        "Mexico and China relaunched their counternarcotics cooperation.",  # another pair, named before China
        "Indonesia and China resumed their law enforcement cooperation.",  # another pair, named before China
        "The DPCT resumed the next morning.",  # next morning
        "The climate talks resumed on the second morning.",  # second morning
        "The MMCA talks reconvened after the first day's plenary.",  # first day's
        "Our priority: getting the MMCA talks restarted.",  # a lead-in
        "Kerry's job now is getting the climate talks restarted.",  # get X done
        "The envoy is angling for a restart of the MMCA talks.",  # for a
        "Restoration of the defense policy coordination talks, the admiral said, would calm the region.",  # a reporting aside before the predicate
        "Beijing's freeze of the climate talks would hurt everyone.",  # possessive noun
        "Analysts proposed nothing but reviving the climate talks.",  # gerund object
        "Washington has floated reopening the MMCA channel.",  # gerund object
        "Officials dread China cancelling the MMCA talks.",  # gerund object
        "The MMCA working group reconvenes in Honolulu on Thursday.",  # present simple + when
        "The climate talks restart in March.",  # present simple + when
        "The Pentagon's ask: the resumption of the MMCA talks.",  # colon lead-in
        "Kenya and China resumed their climate dialogue.",  # other pair X and China
        "None of the climate talks has been restored.",  # none of
        "China refrained from a suspension of climate talks.",  # refrain
        "Washington held off on the restoration of the MMCA talks.",  # held off
        "Officials back a quick restoration of the MMCA talks.",  # a quick
        "The sooner climate cooperation is restored, the better.",  # the sooner
        "Restoring the MMCA talks is a smart bet.",  # smart
        "The relaunch of the economic dialogue is set for the autumn.",  # set for
        "The Pentagon is pursuing the restoration of military talks.",  # pursue
        "The ministries are in discussions on restoring the MMCA talks.",  # discussions on
        "Most years, Beijing halts the climate talks.",  # most years
        "China has suspended the MMCA talks at least once.",  # at least once
        "Military talks are frequently suspended.",  # frequently
        "Officers are accustomed to the suspension of the MMCA talks.",  # accustomed
        "Beijing uses the suspension of climate talks as a lever.",  # as a tool
        "The DPCT reconvened after the weekend.",  # after the weekend
        "The climate talks resumed for a final session.",  # final session
        "Thailand restored its military talks with China.",  # Thailand
        "Italy suspended its climate cooperation with China.",  # Italy
        "The East Asia Summit's maritime dialogue resumed.",  # East Asia Summit
        "The IMO restarted talks on shipping emissions.",  # IMO
        "The Financial Stability Board resumed talks on financial regulation.",  # FSB
        "The Human Rights Council's human rights dialogue resumed.",  # HRC
        "Beijing is weighing the restoration of the MMCA talks.",  # weigh
        "It is pointless to keep the climate talks suspended.",  # to keep
        "Suspensions of the MMCA talks send a signal.",  # plural change
        "The restoration of the defense policy coordination talks at the deputy level would reassure allies.",  # predicate window
        "The MMCA talks resumed on day two.",  # day two
        "The climate working group resumed its deliberations on Tuesday.",  # their deliberations
        "Every new crisis brings a suspension of the climate talks.",  # every new crisis
        "The UK restored its climate dialogue with China.",  # UK
        "The MMCA talks reconvened after a brief recess.",  # recess
        "Fentanyl talks restarted after the adjournment was lifted.",  # adjournment
        "The arms control consultations resumed after a tea break.",  # tea break
        "The economic working group reconvened after the New Year break.",  # New Year break
        "Climate talks restarted after the opening ceremony.",  # opening ceremony
        "The DPCT resumed in the morning session.",  # morning session
        "The climate talks resumed for a last day of sessions.",  # last day of
        "The MMCA talks went into a second day and resumed at noon.",  # into a second day
        "The DPCT opened on Monday; on its first day they resumed twice.",  # its first day
        "The climate talks resumed where they had left off.",  # left off
        "The economic talks restarted within the hour.",  # within the hour
        "Law enforcement officials resumed work at the ministry.",  # resumed work
        "The climate working group resumed its technical discussions.",  # its … discussions
        "The theater-level talks reconvened for their regular monthly call.",  # their regular … call
        "The climate working group reconvened on Tuesday in its quarterly format.",  # quarterly
        "The MMCA talks resumed on schedule.",  # on schedule
        "The 21st round of the arms control consultations reconvened.",  # 21st round
        "Beijing restores the climate talks when it suits it.",  # present "when"
        "China cuts off the military channels when Washington sells arms to Taiwan.",  # when + present
        "Military talks have seldom been suspended for long.",  # seldom
        "Military talks have rarely been restored quickly.",  # rarely
        "The fentanyl talks have been cut off and on for years.",  # on and off
        "In a crisis, Beijing suspends the military hotline.",  # in a crisis
        "The DPCT survived some crises and was frozen in others.",  # in others
        "China freezes climate talks as readily as it imposes sanctions.",  # as readily as
        "Beijing reaches for the cancellation of military talks.",  # reach for
        "Suspending the MMCA talks is what Beijing does.",  # is what … does
        "The P-5 climate talks resumed in Paris.",  # P5
        "The UNFCCC talks on climate resumed in Bonn.",  # UNFCCC
        "The Major Economies Forum restarted its climate work.",  # Major Economies Forum
        "The Asia-Pacific Economic Cooperation forum resumed in Lima.",  # APEC spelled out
        "The nuclear-weapon states resumed their arms control work.",  # nuclear-weapon states
        "The trilateral talks on fentanyl resumed.",  # trilateral
        "A Track II dialogue on arms control resumed in Honolulu.",  # Track II
        "Climate work among American, Chinese, Indian and Korean officials resumed.",  # among A, B and C
        "The G20 met in Bali; climate work there was suspended overnight.",  # a forum anywhere in the sentence
        "Officials are discussing the revival of the climate talks.",  # discussing the
        "Diplomats floated a restart of the MMCA talks.",  # floated a
        "The Pentagon is lobbying for the reopening of the DPCT.",  # lobbying for
        "Treasury is counting on a restoration of the economic dialogue.",  # counting on
        "Officials are banking on the resumption of the fentanyl talks.",  # banking on
        "Both sides see merit in restoring the military talks.",  # merit in
        "Reviving the climate talks is on the agenda.",  # on the agenda
        "Restoring fentanyl cooperation is on the table.",  # on the table
        "There is no basis to say Beijing halted the fentanyl talks.",  # no basis
        "Claims that China had suspended the climate talks were unfounded.",  # were unfounded
        "The MMCA suspension never materialized.",  # never + verb, after a noun trigger
        "A cancellation of the climate talks is possible.",  # possible
        "The suspension of the military talks is conceivable.",  # conceivable
        "Restoring the DPCT is plausible.",  # plausible
        "The rumored suspension of the climate talks worried investors.",  # rumored
        "The alleged cancellation of the MMCA talks drew protests.",  # alleged
        "The purported freeze of the fentanyl talks was denied.",  # purported
        "The climate talks, the first since 2022, are planned for May.",  # "the first since": a noun phrase
        "Resumed climate talks are expected in May.",  # an opening participle: a noun phrase
        "China suspended economic talks with Lithuania.",  # Lithuania
        "Beijing and Canberra restored their economic dialogue.",  # China and another
        "Chinese and Brazilian officials launched climate talks.",  # Chinese and X officials
        "The climate working group met for the sixth time since its establishment.",  # since its
        "Military talks are what China suspends in a standoff.",  # in a standoff
        "The climate talks are frozen after every arms sale.",  # every … sale
        "The DPCT has a way of being cancelled.",  # a way of
        "The MMCA talks are prone to being suspended.",  # prone to
        "The fentanyl talks are vulnerable to being frozen.",  # vulnerable to
        "Cancelling military talks is China's standard response.",  # standard response
        "A freeze of the climate talks costs Beijing nothing.",  # an indefinite change as subject
        "The climate talks reconvened after a brief pause.",  # brief pause
        "The MMCA talks resumed after a pause for consultations.",  # pause for
        "The DPCT restarted after the delegations broke for dinner.",  # broke for
        "The fentanyl talks broke off and restarted two hours later.",  # hours later
        "The climate talks were suspended for the night.",  # for the night (the trigger is no gap)
        "The MMCA talks resumed after the opening statements.",  # opening statements
        "The arms control talks resumed following the plenary.",  # following the plenary
        "The DPCT resumed in breakout groups.",  # breakout
        "The economic working group resumed over a working lunch.",  # over lunch
        "The MMCA talks reconvened on the second afternoon.",  # second afternoon
        "The climate talks reconvened for the third session of the year.",  # third session of the year
        "At the Shangri-La Dialogue, the defense ministers' talks resumed.",  # Shangri-La
        "The ARF meeting on maritime security resumed.",  # ARF
        "The inter-sessional meeting on maritime security was revived.",  # inter-sessional
        "The ADMM-Plus working group on maritime security restarted.",  # ADMM-Plus
        "Climate work among the major emitters resumed.",  # major emitters
        "Maritime safety talks among 27 delegations resumed.",  # 27 delegations
        "The United Kingdom restored its economic dialogue with China.",  # United Kingdom
        "Cooperation on fentanyl between China and the Gulf states resumed.",  # China and the X
        "Law enforcement cooperation between Hong Kong and Macau was suspended.",  # between X and Y
        "There has been no thaw in the climate talks.",  # "no" before a bare noun trigger
        "The PLA cuts off military talks to signal anger.",  # present tense in a sentence: a habit
        "Climate talks among the major emitters resumed.",  # the forum's members after an alias
        "The MMCA talks reconvened for another round.",  # another round
        "The climate talks resumed for a fifth session.",  # fifth session
        "The leaders agreed to step up efforts to get the climate talks running again.",  # an aim agreed
        "The MMCA talks stalled. Beijing said it was cancelling two defense meetings.",  # "it" acts
        "The DPCT met for the third time since the talks were restored.",  # third time since
        "The climate call paused briefly and then resumed.",  # paused briefly
        "The MMCA video call resumed after a technical fault.",  # technical fault
        "The climate working group resumed its session in Tianjin.",  # one sitting, not the channel
        "MMCA delegates resumed their meeting after a tour of the ship.",  # their meeting
        "The DPCT's working sessions restarted in the afternoon.",  # working sessions
        "The fentanyl working group reconvened to continue drafting a protocol.",  # to continue
        "The economic working group reconvened, continuing its regular review.",  # continuing its
        "The law enforcement dialogue lives and dies with the politics, resuming and lapsing.",  # lives and dies
        "The climate talks resume in warm spells.",  # in warm spells
        "The MMCA talks resumed after the national day holiday.",  # after the … holiday
        "The climate working group reconvened for its autumn session.",  # autumn session
        "The arms control talks, held twice a year, resumed in Geneva.",  # twice a year (no gap)
        "The DPCT resumed for a new round in Beijing.",  # new round
        "The fentanyl talks resumed as normal.",  # as normal
        "The MMCA talks, held every six months, resumed in Qingdao.",  # every six months (no gap)
        "The climate working group reconvened for its yearly review.",  # yearly
        "China treats the suspension of climate talks as a signal.",  # as a signal
        "China sees the suspension of military talks as a legitimate form of protest.",  # as a … form
        "Historically, the MMCA talks have been cancelled by Beijing.",  # historically
        "The DPCT is suspended one year in three.",  # one year in three
        "In past crises, Beijing cut off the military hotline.",  # in past crises
        "Each suspension of the climate talks has lasted longer.",  # each suspension
        "Experience shows that the restoration of the MMCA talks took months.",  # experience shows
        "The record says it: the climate talks get frozen over Taiwan.",  # the record says
        "Despite the thaw, the human rights dialogue has not been revived.",  # the subject's own verb
        "After Thursday's session, the climate working group resumed on Friday.",  # after … session
        "Beijing is open to a resumption of military talks.",  # open to
        "Beijing signaled openness about the restoration of the DPCT.",  # openness
        "Beijing expressed readiness about the restoration of the DPCT.",  # readiness
        "Arms control talks among the nuclear powers resumed.",  # nuclear powers
        "The climate talks were suspended as the U.S., China and the EU argued.",  # three parties
        "Beijing values the climate talks. The six-party talks were later revived.",  # a forum is no anaphor
        "Talks on nonproliferation at the Group of 20 resumed.",  # Group of 20
        "The General Assembly restarted its climate work.",  # General Assembly
        "The Security Council resumed consultations on nonproliferation.",  # Security Council
    ],
)
def test_non_events_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


def test_anaphor_takes_the_channels_named_just_before(detector: Detector) -> None:
    text = (
        "Beijing's list named climate talks and counternarcotics cooperation. "
        "Dialogues on these issues were suspended in August 2022."
    )
    events = detector.detect(text, PUBLISHED)
    assert {(e.channel, e.event) for e in events} == {
        ("climate", "suspended"),
        ("counternarcotics", "suspended"),
    }
    assert all(e.rule == "suspended:anaphora" and e.confidence < 0.9 for e in events)
    assert found(detector, "Beijing suspended those channels.") == set()  # nothing to refer back to


def test_anaphor_falls_back_to_the_topics_named_before(detector: Detector) -> None:
    text = "Theater commanders used to speak by phone during incidents. Those calls were re-established in 2024."
    assert found(detector, text, date(2024, 10, 1)) == {("theater_commanders", "resumed")}
    named_first = (
        "The climate talks were valuable. Fentanyl is a scourge. Beijing suspended those talks."
    )
    assert found(detector, named_first) == {
        ("climate", "suspended")
    }  # a named channel beats a topic


def test_anaphors_pick_their_antecedents(detector: Detector) -> None:
    in_sentence = (
        "Neither the climate channel nor the MMCA talks survived: Beijing suspended both on Friday."
    )
    assert found(detector, in_sentence) == {("climate", "suspended"), ("mmca", "suspended")}
    former = (
        "The MMCA talks and the climate dialogue serve different ends. China called off the former."
    )
    assert found(detector, former) == {("mmca", "suspended")}
    latter = (
        "The MMCA talks and the climate dialogue serve different ends. China called off the latter."
    )
    assert found(detector, latter) == {("climate", "suspended")}
    both = "The MMCA and the DPCT are the oldest military channels. Both were brought back in 2024."
    assert found(detector, both, date(2024, 6, 1)) == {
        ("mmca", "resumed"),
        ("defense_policy_coordination", "resumed"),
    }
    earlier_clause = "Few channels mattered like the climate dialogue. It went dark in 2022 but was revived at COP27."
    assert found(detector, earlier_clause) == {("climate", "resumed")}


def test_us_can_end_a_sentence_before_an_anaphor(detector: Detector) -> None:
    text = "China's envoy spent 2021 negotiating on climate change with the U.S. Beijing suspended those talks in August 2022."
    assert len(split_sentences(text)) == 2
    assert found(detector, text) == {("climate", "suspended")}
    assert len(split_sentences("The U.S. Navy sailed past.")) == 1


def test_event_carries_its_sentence_span_and_occurred_date(detector: Detector) -> None:
    text = "Relations were tense. In August 2022, the PRC suspended military-to-military communications."
    [event] = detector.detect(text, PUBLISHED)
    assert text[event.start : event.end] == event.sentence
    assert event.sentence.startswith("In August 2022")
    assert event.occurred == "2022-08"
    [first_since] = detector.detect(
        "The DPCT met for the first time since 2020 on Nov. 9, 2023.", PUBLISHED
    )
    assert first_since.occurred == "2023-11-09"  # not the earlier date it refers back to


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("in August 2022", "2022-08"),
        ("on Aug. 5, 2022", "2022-08-05"),
        ("on Aug. 5", "2023-08-05"),
        ("on December 5", "2022-12-05"),  # after the published date, so last year
        ("last November", "2022-11"),  # "last" means before this month
        ("next Tuesday", "2023-11-21"),  # the first Tuesday after the published Monday
        ("next Monday", "2023-11-27"),  # a week on, not the published day itself
        ("in November", "2023-11"),
        ("earlier this month", "2023-11"),
        ("last month", "2023-10"),
        ("on Friday", "2023-11-17"),
        ("this week", "2023-11-20"),
        ("in 2019", "2019"),
        ("last year", "2022"),
        ("earlier this year", "2023"),
        ("next year", "2024"),
        ("next month", "2023-12"),
        ("yesterday", "2023-11-20"),
        ("August: talks frozen", "2023-08"),
    ],
)
def test_stated_dates_resolve_against_the_published_date(text: str, iso: str) -> None:
    assert [d[2] for d in find_dates(text, PUBLISHED)] == [iso]


def test_dates_spelt_with_case_traps_resolve_as_plain_ones(detector: Detector) -> None:
    """IGNORECASE reads "ſ" as "s", and "ı" and "İ" as "i": a date so spelt (pasted text,
    odd fonts) resolves like the plain one instead of stopping the detector."""
    from matching.dates import MONTHS, WEEKDAYS

    for name in [*WEEKDAYS, *(m for m in MONTHS if len(m) > 3)]:
        plain = find_dates(f"on {name} 2022, again", PUBLISHED)
        for trap in (
            name.replace("s", "ſ"),
            name.replace("i", "ı"),
            name.upper().replace("I", "İ"),
        ):
            assert find_dates(f"on {trap} 2022, again", PUBLISHED) == plain, trap
    events = detector.detect("The MMCA talks were suspended on Tueſday.", PUBLISHED)
    assert [(e.channel, e.event, e.occurred) for e in events] == [
        ("mmca", "suspended", "2023-11-14")
    ]


def test_may_the_month_is_not_a_modal(detector: Detector) -> None:
    assert found(detector, "In May 2023 China suspended the climate talks.") == {
        ("climate", "suspended")
    }


def test_articles_are_tagged_with_the_issues_they_touch() -> None:
    from matching.issues import IssueTagger

    tagger = IssueTagger(load_config(REPO_CONFIG).issues)
    text = (
        "Beijing staged drills around Taiwan after Lai Ching-te's inauguration. The Taiwan Strait "
        "remains the likeliest flashpoint, while export controls on advanced chips add friction."
    )
    tags = {t.issue: t for t in tagger.tag(text)}
    assert list(tags)[0] == "taiwan"  # the strongest first
    assert tags["taiwan"].mentions >= 3 and "trade_technology" in tags
    assert tags["taiwan"].per_thousand_words > tags["trade_technology"].per_thousand_words
    assert "human_rights" not in tags
    assert [t.issue for t in tagger.tag(text, minimum=3)] == ["taiwan"]


def test_a_military_channel_added_to_the_catalog_is_counted_among_the_military_ones() -> None:
    """ "Military channels" counted beside a specific one name that one, not military
    contact in general; the specific ones are those the catalog files under the issue
    of military contact, so a user's own needs no code."""
    config = load_config(REPO_CONFIG)
    hotline = config.channels[0].model_copy(
        update={"id": "defense_telephone_link", "aliases": ["Defense Telephone Link"]}
    )
    assert hotline.issue == "military_risk"  # the first channel: military contact
    detector = Detector([*config.channels, hotline])
    text = "Beijing cut off one of the military channels, the Defense Telephone Link."
    assert found(detector, text) == {("defense_telephone_link", "suspended")}
    # filed under another issue, it is no military channel: the class stays
    elsewhere = hotline.model_copy(update={"issue": "climate"})
    assert found(Detector([*config.channels, elsewhere]), text) == {
        ("defense_telephone_link", "suspended"),
        ("mil_mil", "suspended"),
    }


def test_lowercased_text_reads_as_ignorecase_does_but_for_the_case_traps() -> None:
    """`lexicon.found` reads text lowercased with a pattern's case-sensitive twin. That
    agrees with IGNORECASE for every code point but the traps, which take the slow path."""
    import re
    import string

    from matching import lexicon as lx

    traps = set(lx._CASE_TRAPS.pattern[1:-1])
    chars = "".join(
        chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c) not in traps
    )
    lowered = "".join(c.lower() for c in chars)
    assert len(lowered) == len(chars)  # one character each: offsets hold
    for letter in string.ascii_lowercase:
        at = [m.start() for m in re.finditer(letter, chars, re.IGNORECASE)]
        assert at == [m.start() for m in re.finditer(letter, lowered)], letter
    for cls in (r"\w", r"\s", r"\d", r"[\w-]"):
        assert [m.start() for m in re.finditer(cls, chars)] == [
            m.start() for m in re.finditer(cls, lowered)
        ], cls
    changed = [low for c, low in zip(chars, lowered, strict=True) if c != low]
    assert not any(low.isascii() and not low.isalpha() for low in changed)  # "." stays "."
    # And the traps themselves are read as IGNORECASE reads them.
    this = lx.words("this|is")
    assert lx.found(this, "THIS") and lx.found(this, "thiſ") and lx.found(this, "İS")
    assert not lx.found(this, "thus")


def test_the_fast_trigger_scan_finds_what_the_plain_pattern_finds() -> None:
    """`AFTER_A_GAP` (by first letter, from the gap before a word) against `ANY_TRIGGER`
    on every labelled passage, run together as one text, and on words run together."""
    import json
    from pathlib import Path

    from matching import lexicon as lx
    from matching.detector import _scan_triggers

    corpus = Path(__file__).parent / "data" / "corpus"
    texts = [
        json.loads(line)["text"]
        for path in sorted(corpus.glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    for text in (
        "\n".join(texts).lower(),
        "suspended-resumed,cut off:back on track the first since",
    ):
        expected = [(m.lastgroup, m.start(), m.end()) for m in lx.ANY_TRIGGER.finditer(text)]
        assert _scan_triggers(text) == expected
    assert len(expected) == 3
    # Alternatives are taken apart in the order the engine tries them ...
    assert lx._by_first_letter(r"(?:for\s+)?the\s+first") == [
        ("f", r"or\s+the\s+first"),
        ("t", r"he\s+first"),
    ]
    # ... and a pattern that cannot be taken apart so keeps the plain scan.
    assert lx._by_first_letter(r"\w+") is None
    assert lx._first_letter_tree({"suspended": r"halt|[a-z]+ed"}) is None


def test_found_answers_as_a_plain_search_does() -> None:
    """`lexicon.found` reads lowercase and by first letter; on the dev passages, whole
    and in pieces, it answers as `rx.search` does for every cue list."""
    import json
    from pathlib import Path

    from matching import lexicon as lx

    lines = (Path(__file__).parent / "data" / "corpus" / "dev.jsonl").read_text().splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()][:300]
    texts += ["Would-be talks", "talks would", "Unlikely", "ſhould", "MAY 5", "may"]
    texts += ["Used to", "had used to", "mid-May", "may"]  # lookbehinds at the start
    patterns = [*lx.BLOCKERS.values(), lx.ROUTINE, lx.OTHER_COUNTRY, lx.AGREED, lx.PRESUPPOSING]
    patterns.append(lx.ANY_BLOCKER)
    for text in texts:  # one search for all blockers finds one where any finds one
        assert lx.found(lx.ANY_BLOCKER, text) == any(
            lx.found(rx, text) for rx in lx.BLOCKERS.values()
        ), text
    for rx in patterns:
        for text in texts:
            third = len(text) // 3
            for start, end in ((0, len(text)), (third, 2 * third), (0, third), (third, len(text))):
                assert lx.found(rx, text, start, end) == bool(rx.search(text, start, end)), (
                    rx.pattern[:30],
                    text[start:end],
                )
    # A lookbehind that opens on a letter cannot see the space put before the text,
    # so its list keeps the fast form; one with alternatives might, so it does not.
    assert lx._any_after_a_gap(r"(?<!had\s)used\s+to|always") is not None
    assert lx._any_after_a_gap(r"(?<=a|\s)used\s+to|always") is None
    assert lx._any_after_a_gap(r"(?<!a\)|\s\W)used\s+to|always") is None  # "(used to"
    assert lx._any_after_a_gap(r"(?<!a{0}\s)used\s+to|always") is None  # "used to"


def test_shortcut_searches_answer_as_the_plain_ones() -> None:
    """Patterns that must end at a position are searched only over the last words before
    it, and patterns that need a word only where it is; on dev passages, at every word,
    that answers as the plain search does."""
    import json
    import re
    from pathlib import Path

    from matching import detector as d
    from matching import lexicon as lx

    lines = (Path(__file__).parent / "data" / "corpus" / "dev.jsonl").read_text().splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()][:400]
    texts += ["The Oslo  \n talks", "missile -\u00a0- launch", "(California's climate", "  x"]
    texts += ["talks wıth Moscow", "talks with Moscow", "talks between India and Japan"]
    texts += ["flights to Russia", "removals to Russia", "deportations to Russia"]
    texts += ["Sino-Russian talks", "Brazil and China", "Chinese and Indian officials"]
    texts += ["talks, ſeen by some as a favor, that ſtalled", "talks which stalled"]
    texts += ["By the time talks resume", "as soon as they meet", "whenever it met"]
    texts += ["Talks, although stalled", "April 3–4 – then", "x - y; z: but BUT wHiLe"]
    texts += ["on the sidelines", "on the margins", "Kerry and Xie agreed", "the two leaders"]
    texts += [f"{name} and {name}" for name in ("Xi", "Biden", "Trump", "Obama")]
    other_pair = re.compile("|".join(rx.pattern for _, rx in d._OTHER_PAIRS))
    for text in texts:
        for end in [m.start() for m in re.finditer(r"\b\w", text)] + [len(text)]:
            window = d._start_of_last_words(text, end, 2)
            assert bool(d._OTHER_OWNER.search(text, window, end)) == bool(
                d._OTHER_OWNER.search(text, 0, end)
            ), (text, end)
            assert d._launched_thing_before(text, end) == bool(
                d._LAUNCHED_THING.search(text, 0, end)
            ), (text, end)
        # … and the searches that need a word are skipped only where they cannot match.
        assert d._names_another_pair(text) == bool(other_pair.search(text)), text
        assert d._is_bilateral(text) == bool(d._BILATERAL.search(text)), text
        plain = d._RELATIVE_CLAUSE.sub(" ", d._READ_AS.sub(" ", text))
        assert d._without_asides(text) == plain, text
        assert [m.span() for m in lx.clause_boundaries(text)] == [
            m.span() for m in lx.CLAUSE.finditer(text)
        ], text
        for rx, needs in (
            (lx.TIME_CLAUSE, lx.TIME_CLAUSE_NEEDS),
            (lx.WHEN_CLAUSE, lx.WHEN_CLAUSE_NEEDS),
        ):
            assert lx.holds_any(needs, text) or not rx.search(text), text
    assert sum(map(d._names_another_pair, texts)) > 10


# The dvw round's rules. Each sentence fails with its rule switched off
# (the check is in the commit message of the rule's commit).
@pytest.mark.parametrize(
    "text",
    [
        # hearsay: a rumour's content, a report that is denied
        "Rumours spread that the climate talks had been suspended.",
        "Unverified reports suggested Beijing had frozen the arms control consultations.",
        "Beijing disputed accounts that the human rights dialogue had been restored.",
        "Officials rebutted the claim that the MMCA talks were called off.",
        # a change one must make, told by its predicate
        "Restarting the arms control talks is essential.",
        "For both navies, reopening the military hotline remains vital.",
        "Analysts call the resumption of the military talks urgent.",
        # a clause of time in the present tense
        "By the time the climate talks resume, the targets will be out of date.",
        # a question inside a quotation
        '"Has China restored the military talks?" one senator asked.',
        # another party as the subject
        "Hong Kong suspended its mutual legal assistance agreement with the United States.",
        # a fault, not a decision
        "The military hotline was restored after a cable fault.",
        # a timetable: present tense, "later this month"
        "The climate talks restart later this month.",
        # another pair: "X and the China Coast Guard"
        "Taipei and the China Coast Guard restarted their maritime talks.",
        # parties counted by the dozen
        "Climate talks resumed in Oslo with delegations from forty countries.",
        # a forum's proper name, before or after the channel
        "Pacific Islands Forum climate talks resumed.",
        "The counternarcotics working group of the Global Coalition to Address Synthetic Drug Threats was relaunched.",
        # another owner or place named before the channel
        "California's climate talks with Chinese provinces were restarted.",
        "The Oslo talks on climate were suspended.",
        # a change that has become a role
        "Suspending the climate talks has become Beijing's favourite signal of displeasure.",
        # a gap with no meeting that took place
        "After a long hiatus, the climate working group is expected to meet in May.",
        # "the Group of 20" is no anaphor
        "Officials praised the climate talks. The Group of 20 was revived.",
    ],
)
def test_dvw_non_events_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rumour that does not take the clause
        (
            "Amid rumours of a coup, Beijing suspended the climate talks.",
            {("climate", "suspended")},
        ),
        # a time clause told in the past
        (
            "By the time the climate talks resumed in 2023, the targets were out of date.",
            {("climate", "resumed")},
        ),
        # Taiwan that is no subject
        (
            "China suspended the climate talks after Pelosi's visit to Taiwan.",
            {("climate", "suspended")},
        ),
        # either side's own name before the channel
        ("The Pentagon's military talks with the PLA were restored.", {("mil_mil", "resumed")}),
        # a gap told beside a meeting that took place
        (
            "After a long hiatus, the climate working group met in Beijing.",
            {("climate", "resumed")},
        ),
        (
            "After an 18-month hiatus, U.S. and Chinese officials met for the arms control talks.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        (
            "The climate working group, dormant for two years, met on Monday.",
            {("climate", "resumed")},
        ),
        # the end of a gap counted in months
        (
            "The theater commander talks were held by video link, ending 17 months of silence.",
            {("theater_commanders", "resumed")},
        ),
        ("The human rights dialogue is active again.", {("human_rights", "resumed")}),
        # either side named inside a compound: "China-U.S." names both (a capital in
        # "Matters and China" made it look like another pair; found by the fuzz test)
        (
            "The Chinese side has suspended China-U.S. cooperation on repatriation of illegal"
            " immigrants, China-U.S. legal assistance in criminal Matters and China-U.S."
            " cooperation against transnational crimes.",
            {
                ("illegal_immigrant_repatriation", "suspended"),
                ("criminal_legal_assistance", "suspended"),
                ("transnational_crime", "suspended"),
            },
        ),
        # "the group" takes the working group named before it
        (
            "Officials praised the counternarcotics working group. The group was revived in March.",
            {("counternarcotics", "resumed")},
        ),
    ],
)
def test_dvw_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


# The dvy round's rules and words (wide vocabulary; channels named by description). Each
# sentence fails on the commit before its rule or word.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # idioms of suspending
        ("Communications between the two militaries went silent.", {("mil_mil", "suspended")}),
        ("The military hotline went dead in August.", {("mil_mil", "suspended")}),
        ("The defense policy talks were axed.", {("defense_policy_coordination", "suspended")}),
        (
            "Beijing scuttled the arms control talks.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (
            "Law enforcement cooperation came to a standstill after August.",
            {("transnational_crime", "suspended")},
        ),
        ("China pulled out of the climate talks.", {("climate", "suspended")}),
        (
            "Beijing withdrew from the arms control consultations.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        ("Washington iced the human rights talks.", {("human_rights", "suspended")}),
        (
            "Beijing has kept the climate dialogue on the shelf since 2022.",
            {("climate", "suspended")},
        ),
        ("The climate working group was wound down in 2022.", {("climate", "suspended")}),
        # idioms of resuming
        (
            "China returned to the table on arms control talks.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        ("The two sides dusted off their climate dialogue.", {("climate", "resumed")}),
        (
            "The counternarcotics working group resurfaced in January.",
            {("counternarcotics", "resumed")},
        ),
        (
            "The two governments resuscitated their arms control consultations.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        (
            "Deportation cooperation has started up again.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        ("The human rights dialogue was kicked back into gear.", {("human_rights", "resumed")}),
        (
            "The law enforcement dialogue was put back in motion.",
            {("transnational_crime", "resumed")},
        ),
        ("The two sides rekindled their climate dialogue.", {("climate", "resumed")}),
        (
            "Both sides agreed to breathe new life into the climate working group.",
            {("climate", "resumed")},
        ),
        ("The maritime consultations are active once more.", {("mmca", "resumed")}),
        # the other side's name as a topic, when no other channel is named
        ("Contacts with their PLA counterparts ceased.", {("mil_mil", "suspended")}),
        (
            "The Pentagon's talks with the People's Liberation Army were put on hold.",
            {("mil_mil", "suspended")},
        ),
        # … and it yields to a channel that is named
        (
            "Talks between INDOPACOM and the PLA's Southern Theater Command were restored.",
            {("theater_commanders", "resumed")},
        ),
        # descriptions of the two militaries
        ("Communications between the two armed forces were restored.", {("mil_mil", "resumed")}),
        ("Dialogue between the two defense establishments restarted.", {("mil_mil", "resumed")}),
        # flights as a channel
        (
            "Beijing restored the deportation flights it had halted.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        # stacked topics: the outer names the channel, an outer possessive does not
        ("The climate finance talks were suspended.", {("climate", "suspended")}),
        (
            "The two sides restarted their theater-level military talks.",
            {("theater_commanders", "resumed")},
        ),
        (
            "The two militaries' theater commanders spoke by video for the first time since 2022.",
            {("theater_commanders", "resumed")},
        ),
        # a topic of another channel right after an alias names its subject
        ("Law-enforcement cooperation on fentanyl was revived.", {("counternarcotics", "resumed")}),
        (
            "The law enforcement talks on the deportations were halted.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        # a gerund listed among measures taken reports them
        ("The countermeasures include halting the climate talks.", {("climate", "suspended")}),
        # people "from both countries" stand between the topic and the meeting
        (
            "Human rights officials from the two governments met for the first time in a decade.",
            {("human_rights", "resumed")},
        ),
        (
            "Theater commanders from the two militaries held a call, their first since 2022.",
            {("theater_commanders", "resumed")},
        ),
        # "sat down" is a meeting
        (
            "Climate envoys sat down together for the first time since 2022.",
            {("climate", "resumed")},
        ),
        # "the pair" is an anaphor
        (
            "The macroeconomic dialogue and the law enforcement talks suffered in 2022."
            " The pair have since been revived.",
            {("economic_financial", "resumed"), ("transnational_crime", "resumed")},
        ),
        # a risk the change lowered is no hedge
        (
            "The revival of the theater commander talks has lowered the risk of an accident.",
            {("theater_commanders", "resumed")},
        ),
        # a stop after the Nth round is a stop
        (
            "The strategic stability dialogue ground to a halt after the third round.",
            {("arms_control_nonproliferation", "suspended")},
        ),
    ],
)
def test_dvy_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # leaving a treaty is no channel cut
        "The climate working group met only twice before the U.S. withdrew from the Paris Agreement.",
        # "past time" recommends
        "It is past time the human rights dialogue was restored.",
        # only measures taken are reported by "include": options are not
        "Options include halting the climate talks.",
        # a resumption after the Nth round is still routine
        "The climate talks resumed after the third round.",
    ],
)
def test_dvy_non_events_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


# The `dvz` round: rules for a batch written blind. Each sentence fails without its rule.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "people familiar with the matter" is an attribution, not a habit
        (
            "Beijing has put the climate talks on ice, according to people familiar with the matter.",
            {("climate", "suspended")},
        ),
        # a participle as an adjective after "a" is no indefinite noun of change
        (
            "The summit's yield was modest: a reopened defense policy channel.",
            {("defense_policy_coordination", "resumed")},
        ),
        ("The outcome: a restarted climate working group.", {("climate", "resumed")}),
        # "X and China's Y": China owns Y, it is not the other half of a pair with X
        (
            "The Department of Homeland Security and China's Ministry of Public Security"
            " restored law enforcement cooperation.",
            {("transnational_crime", "resumed")},
        ),
        # the two sides named by their capitals after the people
        (
            "Climate envoys from Washington and Beijing sat down together for the first time since 2022.",
            {("climate", "resumed")},
        ),
        (
            "Arms control officials from the U.S. and China met for the first time since 2019.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        # the change a gap is counted from, told in a "when" clause after its date
        (
            "The climate envoys met on Monday for the first time since November,"
            " when the working group was frozen.",
            {("climate", "resumed")},
        ),
        # a change that dates an earlier state ("had lapsed when … scrapped") is background
        (
            "Washington and Beijing launched two new economic working groups in September, reviving a form of macroeconomic dialogue that had lapsed when the Trump administration scrapped the Comprehensive Economic Dialogue in 2018.",
            {("economic_financial", "resumed")},
        ),
        # nominalisations of listed verbs
        (
            "The call was a product of the reinstatement of senior military communications.",
            {("mil_mil", "resumed")},
        ),
        (
            "The two sides welcomed the reactivation of the counternarcotics working group in September.",
            {("counternarcotics", "resumed")},
        ),
        ("The cessation of the climate talks in 2022 hurt both sides.", {("climate", "suspended")}),
        (
            "The discontinuation of the human rights dialogue in 2018 drew little notice.",
            {("human_rights", "suspended")},
        ),
        # particle verbs with a pronoun object
        (
            "The climate talks had survived the trade war. Beijing switched them off on Friday.",
            {("climate", "suspended")},
        ),
        (
            "The climate talks had survived the trade war. Beijing shut them down on Friday.",
            {("climate", "suspended")},
        ),
        # a cadence set for a later act is not this change's
        (
            "The two sides welcomed the reactivation of the counternarcotics working group and"
            " committed to sharing case information on a monthly basis.",
            {("counternarcotics", "resumed")},
        ),
        (
            "The two ministries agreed to restart the maritime military consultations and to hold"
            " them twice a year.",
            {("mmca", "resumed")},
        ),
        # number and wording variants of channel names
        (
            "The first removal flight to China since March left Los Angeles on Tuesday.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        (
            "China broke off judicial assistance in criminal cases and the repatriation of its nationals.",
            {
                ("criminal_legal_assistance", "suspended"),
                ("illegal_immigrant_repatriation", "suspended"),
            },
        ),
        # a verb in a relative clause on the mention describes it; the verb before governs
        (
            "Since spring, Beijing has shut down the climate talks, the human rights dialogue and"
            " even the theater commander calls that the staff had fought so hard to set up.",
            {
                ("climate", "suspended"),
                ("human_rights", "suspended"),
                ("theater_commanders", "suspended"),
            },
        ),
        # the agreement told after the change it agrees on
        (
            "The fentanyl working group will be restored, the two sides agreed Tuesday.",
            {("counternarcotics", "resumed")},
        ),
        # an aside between a decision and its infinitive
        (
            "The State Department regrets the PRC's decision, communicated on May 11, to cancel"
            " the nonproliferation consultations.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        # a list's last item with the pair's prefix, then an aside
        (
            "The two sides resumed military-to-military communication, the Defense Policy"
            " Coordination Talks, and the U.S.-China Military Maritime Consultative Agreement"
            " meetings, as directed by the two presidents.",
            {
                ("mil_mil", "resumed"),
                ("defense_policy_coordination", "resumed"),
                ("mmca", "resumed"),
            },
        ),
        # nouns and verbs of stopping: stoppage, cutoff, paused, in limbo
        (
            "Even the stoppage of mutual legal assistance last month is costing U.S. investigators evidence.",
            {("criminal_legal_assistance", "suspended")},
        ),
        (
            "In January 2023, Beijing quietly paused the fentanyl talks.",
            {("counternarcotics", "suspended")},
        ),
        (
            "The cutoff of deportation cooperation in March has left ICE holding 1,300 Chinese nationals.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        (
            "The economic and financial working groups are in limbo.",
            {("economic_financial", "suspended")},
        ),
        # a gap counted with no word between 'first' and 'in', or as 'over a year'
        (
            "The cooperation against transnational crime meeting in Washington, the first in eighteen months, was notable mainly for its length.",
            {("transnational_crime", "resumed")},
        ),
        (
            "Chinese and American defense officials convened defense policy coordination talks in Beijing on Tuesday for the first time in over a year.",
            {("defense_policy_coordination", "resumed")},
        ),
        # an opening 'whatever' clause keeps its hedges to itself
        (
            "Whatever hopes U.S. negotiators harbored that the climate talks might carry on, Beijing cut them off this month.",
            {("climate", "suspended")},
        ),
        # a parenthesis set off by spaced hyphens is background
        (
            "The restart of the maritime consultations and the defense policy talks - all cancelled in August 2022 - is the summit's most tangible product.",
            {("mmca", "resumed"), ("defense_policy_coordination", "resumed")},
        ),
        # a perfect participle clause tells the earlier state
        (
            "Judicial assistance in criminal matters was reinstated last spring, having fallen into abeyance in August 2022.",
            {("criminal_legal_assistance", "resumed")},
        ),
        # plural changes that are dated are these ones, not a habit; a list after a dash
        (
            "The suspensions announced last August - of the climate talks and of the human rights dialogue - were the most gratuitous.",
            {("climate", "suspended"), ("human_rights", "suspended")},
        ),
        # a move or decision to do it, and 'the first moves ... was to', report it
        (
            "Beijing's move last week to halt the arms control consultations caught officials off guard.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (
            "Among the first moves of the new team was to reinstate the macroeconomic dialogue.",
            {("economic_financial", "resumed")},
        ),
        # a noun of change as a verb's object has no predicate of its own after it
        (
            'The State Department called Beijing\'s termination of the climate talks "irresponsible," arguing that it would punish the developing world.',
            {("climate", "suspended")},
        ),
        # 'should worry' is what the change ought to make others feel, no hedge on it
        (
            "That is precisely why its suspension last month should worry those who care about the human rights dialogue.",
            {("human_rights", "suspended")},
        ),
        # gerund and cross-border topics
        (
            "Cooperation on repatriating Chinese nationals remains on hold, a DHS official said.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        (
            "Separately, China put on hold its cooperation with U.S. authorities on cross-border crime, drug control and mutual legal assistance.",
            {
                ("counternarcotics", "suspended"),
                ("criminal_legal_assistance", "suspended"),
                ("transnational_crime", "suspended"),
            },
        ),
    ],
)
def test_dvz_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a change said of another thing named right after it: an attributive participle
        "Officials on the fentanyl working group studied the halted shipments at the port.",
        "The arms control dialogue was the subject of a panel on the halted New START inspections.",
        # … or a noun of change with its "of"
        "The mutual legal assistance agreement covers the freezing of criminal assets.",
        # the agreement told after a future is needed: an announcement is a schedule
        "The climate talks will be restored, the ministry announced.",
        # "missile launch notifications": a launch of a thing
        "Arms control consultations continued in Washington for a second day, with delegations"
        " discussing missile launch notifications.",
        # "as one admiral put it": a pronoun that is a verb's object is no channel
        'The theater commander channel, as one retired admiral put it, is "a phone number, not a'
        ' relationship," and he should know: his own visit to Nanjing was cancelled twice.',
        # a year's pause before a restart is a gap, not a suspension
        "After a year's pause, the maritime security dialogue of the ASEAN Regional Forum was restored.",
        # "would worry" still hedges
        "The resumption of the climate talks would worry the hawks.",
    ],
)
def test_dvz_non_events_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


# The `dxa` round: a blind batch weighted to states, anaphora and historical reports.
# Rules were written from its odd-numbered passages first. Each sentence fails without
# its rule or lexicon entry.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a state frame: a verb of staying and a word of disuse
        (
            "The fentanyl working group has stayed dark since the spring.",
            {("counternarcotics", "suspended")},
        ),
        (
            "Theater-level talks have remained shut since the August collision.",
            {("theater_commanders", "suspended")},
        ),
        (
            "The human rights dialogue has been moribund for a decade.",
            {("human_rights", "suspended")},
        ),
        # "sits idle" in the present is a state, not a habit
        ("The climate working group now sits idle.", {("climate", "suspended")}),
        # an adverb between "running" and "again"
        (
            "The DPCT has been running smoothly again since March.",
            {("defense_policy_coordination", "resumed")},
        ),
        # "the latter" is the channel written last, however it was named
        (
            "Theater-level calls and the Defense Policy Coordination Talks differ in scope."
            " The latter were called off in August.",
            {("defense_policy_coordination", "suspended")},
        ),
        # a country in an adjunct after the change is no party to it
        (
            "The MMCA meetings went dark in June, after Washington sent ships to the Philippines.",
            {("mmca", "suspended")},
        ),
        # a hedge in a relative clause after a noun of change is the clause's
        (
            "China's suspension of the climate talks removed the one venue in which envoys"
            " could compare emissions data.",
            {("climate", "suspended")},
        ),
        # a habit in a relative clause is the noun's ("a channel that seldom makes news")
        (
            "Halted, too, were the arms control talks, a channel that seldom makes news.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        # "without warning" tells a manner, it denies nothing
        (
            "Cancelled without warning in 2022, the climate working group stayed closed for a year.",
            {("climate", "suspended")},
        ),
        # "consented to" is a decision, like "agreed to"
        (
            "Beijing consented to restore law enforcement cooperation.",
            {("transnational_crime", "resumed")},
        ),
        (
            "The two leaders put back in place the climate working group.",
            {("climate", "resumed")},
        ),
        # "returned … after a freeze": the freeze is background
        (
            "The DPCT returned last month after a freeze of two years.",
            {("defense_policy_coordination", "resumed")},
        ),
        # aliases: the envoys' channel, the 1998 agreement without "Military"
        ("The Kerry-Xie channel was suspended in 2022.", {("climate", "suspended")}),
        (
            "The sides restored the safety talks held under the maritime consultative agreement.",
            {("mmca", "resumed")},
        ),
        # (rules from the even-numbered passages)
        (
            "Repatriation flights to China stayed grounded through the winter.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        ("The military-to-military talks remain off for now.", {("mil_mil", "suspended")}),
        (
            "The arms control talks were quietly dropped by Beijing in 2019.",
            {("arms_control_nonproliferation", "suspended")},
        ),
        (
            "By 2023 China had stopped accepting deportation flights.",
            {("illegal_immigrant_repatriation", "suspended")},
        ),
        ("The climate working group is once again in regular operation.", {("climate", "resumed")}),
        (
            "Beijing resurrected the counternarcotics working group in January.",
            {("counternarcotics", "resumed")},
        ),
        (
            "The negotiators reached an understanding to restore the human rights dialogue.",
            {("human_rights", "resumed")},
        ),
        # "once the backbone of …" is no condition
        (
            "The MMCA talks, once the backbone of the relationship, now lie idle.",
            {("mmca", "suspended")},
        ),
        # an abbreviation's stop does not end a "when" clause ("when Gen. Wu held …" is past)
        (
            "The theater-level talks were restored when Gen. Wu held a call with Adm. Paparo.",
            {("theater_commanders", "resumed")},
        ),
        # a cadence in a "with" clause after a resumption is the channel's rhythm since
        (
            "The climate talks are running again, with meetings now taking place twice a year.",
            {("climate", "resumed")},
        ),
        # "read as a signal" is an interpretation, not a habit
        (
            "Beijing's decision to cancel the climate talks was read in Washington as a signal"
            " to Congress.",
            {("climate", "suspended")},
        ),
        # "of the China-U.S. …": the stop in "U.S." ends no noun phrase
        (
            "China announced the cancellation of the China-U.S. climate talks.",
            {("climate", "suspended")},
        ),
        # "U.S.-China" is still the pair
        (
            "The U.S.-China human rights dialogue was resumed in Geneva.",
            {("human_rights", "resumed")},
        ),
    ],
)
def test_dxa_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: a later "the channel" does not reach back into a sentence about another pair
        "Japanese and Chinese diplomats reopened their maritime communication mechanism in"
        " Osaka. The channel had been idle since 2020.",
        # guard: "EU-China", "China-Japan" are other pairs
        "The EU-China human rights dialogue was resumed in Chengdu last week.",
        "The China-Japan maritime talks were suspended in May.",
        # the adjunct cut leaves a party named before it
        "Washington suspended its arms control talks with Moscow, after the invasion.",
        # "dropped" with an object that is no channel
        "The MMCA delegation dropped its demand for a joint statement.",
        # a habit in a relative clause that holds the change still counts
        "The climate talks are the channel that Beijing has typically suspended first.",
        # "closed to the press" is no state of disuse
        "The MMCA talks remained closed to the press.",
    ],
)
def test_dxa_non_events_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


# The `dxb` round: a blind batch written for precision (other pairs, forums, look-alikes).
# Rules were written from its odd-numbered passages first. Each sentence fails without
# its rule.
@pytest.mark.parametrize(
    "text",
    [
        # a hyphenated pair of one of the two with a third country is another pair
        "U.S.-Russian strategic stability talks remain frozen.",
        "The Sino-Japanese maritime consultations were suspended in May.",
        # the other end of a flight or a dialogue names its pair
        "The United States resumed deportation flights to Venezuela on Monday.",
        # a gerund with an object of its own that is no channel
        "The climate working group's agenda covered coal, methane and halting deforestation.",
        # a channel a forum owns is no antecedent for a later "it"
        "The G20 revived its Sustainable Finance Working Group this year."
        " It had been dormant since 2018.",
        # a forum or its session as the subject of the change
        "Arms control talks at the Conference on Disarmament are stuck; the plenary was"
        " suspended again last week.",
        # (rules from the even-numbered passages)
        # "the IMF-World Bank meetings": forums joined by a hyphen are still forums, no anaphor
        "The economic working group met in May. The IMF-World Bank meetings were nearly"
        " called off after the earthquake.",
        # an infinitive with an object of its own that is no channel
        "Signed in 1998, the Military Maritime Consultative Agreement was meant to help halt"
        " dangerous encounters between the two navies.",
        # a forum's proper name as the subject of the change
        "The Financial Action Task Force suspended Russia's membership, a step Chinese and U.S."
        " officials backed during talks on money laundering.",
    ],
)
def test_dxb_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # guards: the pair itself, either way round, and a gerund whose object is a channel
        ("The U.S.-China climate talks remain frozen.", {("climate", "suspended")}),
        (
            "Beijing resumed deportation flights from the United States in May.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        # a capital is no third country: title-cased text, or "the" capitalised
        (
            "Beijing Resumed Deportation Flights From The United States In May.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        (
            "China resumed repatriation flights to Resume the Returns of its nationals.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        ("China is halting the climate talks.", {("climate", "suspended")}),
        ("China decided to halt military talks in August.", {("mil_mil", "suspended")}),
    ],
)
def test_dxb_the_pair_still_fires(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


# The `dxc` round: a blind batch weighted to "first since", agreements, lists and anaphora.
# Rules were written from its odd-numbered passages first. Each sentence fails without
# its rule.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "first … in N years" across "U.S.-China" and a long noun phrase
        (
            "Tuesday's session was the first formal U.S.-China human rights dialogue in more"
            " than a decade.",
            {("human_rights", "resumed")},
        ),
        (
            "The MMCA meeting in Qingdao was the first encounter of the two navies' senior"
            " maritime safety officers in three years.",
            {("mmca", "resumed")},
        ),
        # a meeting that "broke a silence in" a channel ends its gap
        ("Monday's call broke an 18-month silence in military talks.", {("mil_mil", "resumed")}),
        # "take up … again", with the channel as its object or its subject
        (
            "The two governments took up the fentanyl talks again last month.",
            {("counternarcotics", "resumed")},
        ),
        (
            "The human rights consultations, idle since 2019, were taken up again in May.",
            {("human_rights", "resumed")},
        ),
        # "picked up where they left off", with no day or lunch beside it
        (
            "Military talks have picked up where they left off, the Pentagon said.",
            {("mil_mil", "resumed")},
        ),
        # "negotiators on X" name the channel's people
        (
            "Negotiators on climate and human rights were back at the table in March.",
            {("climate", "resumed"), ("human_rights", "resumed")},
        ),
        # an auxiliary between the people and "spoken" is no modifier
        (
            "Friday's call was the first time the two militaries' top commanders had spoken in"
            " 14 months.",
            {("mil_mil", "resumed")},
        ),
        # an agreement is news now, even when what was agreed starts next year
        (
            "The two sides agreed to reopen the MMCA talks early next year.",
            {("mmca", "resumed")},
        ),
        # an investigation with the other side is a channel
        (
            "Chinese customs officers resumed joint fentanyl investigations with U.S. agents"
            " in June.",
            {("counternarcotics", "resumed")},
        ),
        # "requests" as a noun in a list, or "at Washington's request", is no plan
        (
            "Deportation flights, legal assistance requests and fentanyl talks all came back"
            " in April.",
            {
                ("illegal_immigrant_repatriation", "resumed"),
                ("criminal_legal_assistance", "resumed"),
                ("counternarcotics", "resumed"),
            },
        ),
        (
            "At Washington's request, the human rights talks resumed in May.",
            {("human_rights", "resumed")},
        ),
        # a timeline's entry is dated by its head, so its present tense is no habit
        (
            "June 2022: Beijing halts the climate working group.",
            {("climate", "suspended")},
        ),
        # a second infinitive of the agreement that holds a meeting shares its resumption …
        (
            "The two leaders agreed to resume military talks, and to hold calls between"
            " theater commanders.",
            {("mil_mil", "resumed"), ("theater_commanders", "resumed")},
        ),
        # … but not one with a verb of its own (guard)
        (
            "The two leaders agreed to resume military talks, and to discuss climate"
            " cooperation at a later date.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_dxc_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: "broke a silence on" the talks is speaking out about them
        "Beijing broke a long silence on the climate talks with a terse statement.",
        # guard: a topic taken up again by a running channel, not the channel
        "The human rights dialogue took up the question of Xinjiang again.",
        # a day told beside "where they had left off" is a sitting's routine
        "The climate talks picked up where they had left off the day before.",
        # a forum's negotiators
        "Climate negotiators at COP28 were back at the table on Saturday.",
        # a plan to reopen next year, with no agreement, is still a plan
        "The MMCA talks are to reopen early next year.",
        # guard: one side's own investigations are no channel
        "The FBI halted its fentanyl investigations in May.",
        # a request as a verb is still a plan
        "Beijing requested the resumption of the human rights talks.",
        # a head before the colon that is no date is no timeline
        "Bottom line: Beijing halts the climate working group.",
    ],
)
def test_dxc_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


# (rules from the even-numbered dxc passages)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "defense minister" in the singular, as in "a defense-minister call"
        (
            "The two militaries held their first defense-minister call since 2021.",
            {("mil_mil", "resumed")},
        ),
        # "X, the first since …" reports the meeting; the change it counts from is background
        (
            "Officials met in Beijing for climate talks, the first since China called off the"
            " talks in 2022.",
            {("climate", "resumed")},
        ),
        # joint drug investigations are counternarcotics cooperation
        (
            "In May the two sides restored evidence sharing and joint drug investigations.",
            {("counternarcotics", "resumed")},
        ),
        # "back into service", "started moving again"
        (
            "The Pentagon put theater commander calls back into service in March.",
            {("theater_commanders", "resumed")},
        ),
        ("The MMCA talks have started moving again, officials said.", {("mmca", "resumed")}),
        # "fugitive" in the singular: "cooperation on fugitive cases"
        (
            "Cooperation on fugitive cases was restored in June.",
            {("transnational_crime", "resumed")},
        ),
        # "those flights" points back at flights named before
        (
            "Removal flights were long a point of friction. Those flights came back in April,"
            " ICE said.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        # a number standing alone counts the channels named before: "all three", "the two"
        (
            "Beijing runs the DPCT, the MMCA talks and theater commander calls through one"
            " office. All three were cancelled in August.",
            {
                ("defense_policy_coordination", "suspended"),
                ("mmca", "suspended"),
                ("theater_commanders", "suspended"),
            },
        ),
        (
            "The climate and fentanyl working groups had been on Kerry's list. Biden and Xi"
            " agreed to restart the two.",
            {("climate", "resumed"), ("counternarcotics", "resumed")},
        ),
        # a month heading a timeline's entry dates it
        (
            "March: Beijing suspends the fentanyl working group.",
            {("counternarcotics", "suspended")},
        ),
        # "at the … level" links a channel's topic to its noun
        (
            "Thursday's call was the first talk at the theater commander level since 2022.",
            {("theater_commanders", "resumed")},
        ),
    ],
)
def test_dxc_even_half_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # guard: "the two sides", "the two governments" are no anaphor
        "The climate talks stalled last year. In May the two governments restored calm.",
        # guard: "at" a place links no topic
        "The two navies' officers restarted their talks at the maritime museum in Qingdao.",
    ],
)
def test_dxc_even_half_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change told in the pluperfect after "after", behind the other change, came first
        (
            "China suspended the climate talks on Monday, days after the two sides had agreed "
            "to resume them.",
            {("climate", "suspended")},
        ),
        # ... and is no main verb that makes the change before it a reduced relative
        (
            "The climate talks resumed in Dubai, a year after Beijing had suspended them.",
            {("climate", "resumed")},
        ),
        # guard: a reduced relative whose main verb comes later still is one
        (
            "Military talks cut off after Nancy Pelosi's Taiwan trip are back on track.",
            {("mil_mil", "resumed")},
        ),
    ],
)
def test_the_change_told_after_after_came_first(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


# (rules from the odd-numbered dxd passages)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a round count after "in" is still a gap: "in about five years"
        (
            "Last week's arms control consultations in Geneva were the first in about six years.",
            {("arms_control_nonproliferation", "resumed")},
        ),
        (
            "Friday's call was the first time the theater commanders had talked in roughly"
            " two years.",
            {("theater_commanders", "resumed")},
        ),
        # guard: a last round told beside a gap still leaves the suspension standing
        (
            "The climate talks were suspended in 2022, a year after the last round.",
            {("climate", "suspended")},
        ),
        # guard: "the latest tariff round" is no sitting of a channel
        (
            "Beijing froze the economic working groups after the latest tariff round.",
            {("economic_financial", "suspended")},
        ),
        # a channel taken up again is one resumed …
        (
            "In May the two sides took up again the fentanyl talks.",
            {("counternarcotics", "resumed")},
        ),
        # … and "started up again this spring" is no topic taken up (guard)
        (
            "Removal flights to China started up again this spring.",
            {("illegal_immigrant_repatriation", "resumed")},
        ),
        # what was agreed is a fact, even to start moving again (guard)
        (
            "The two sides agreed the MMCA talks were to start moving again.",
            {("mmca", "resumed")},
        ),
        # an agreement reached, not "any agreement"
        (
            "An agreement to restore the climate talks was reached in May.",
            {("climate", "resumed")},
        ),
        # an anaphor after a sitting with a gap before it still resumes (guard) …
        (
            "The climate working group held its annual session in May, three years after the"
            " one before. It picked up where it left off, officials said.",
            {("climate", "resumed")},
        ),
        # … and so does a suspension after a routine sitting
        (
            "The MMCA talks met for their annual session in May. Beijing scrapped them in August.",
            {("mmca", "suspended")},
        ),
        # "picked up where they left off" after a real break still fires
        (
            "The MMCA talks picked up where they left off in 2022, the Pentagon said.",
            {("mmca", "resumed")},
        ),
    ],
)
def test_dxd_reported_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # an ordinal with a word between is still a regular sitting
        "The climate working group reconvened in Tianjin for its third formal session.",
        # where a running channel left off is its last sitting, not a suspension
        "The fentanyl working group picked up where it left off at the previous session.",
        # a topic taken up again after the verb: "taking up again the question of …"
        "The climate working group met in Tianjin, taking up again the question of methane.",
        # a start of a motion after "are to" is a plan
        "The MMCA talks are to start moving again, officials said.",
        # an anaphor's sentence goes on about the routine sitting just told
        "The counternarcotics working group met for its annual plenary this week. The group"
        ' "picked up where it left off" on pill presses, an official said.',
        # "any agreement" is none yet
        "Any agreement to restore the climate talks would need Xi's approval.",
    ],
)
def test_dxd_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


# (rules from the even-numbered dxd passages)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause of "-ing" after a main clause in the past reports (guard)
        (
            "The DPCT met in Beijing on Monday, Pentagon officials said, picking up where it"
            " left off in 2021.",
            {("defense_policy_coordination", "resumed")},
        ),
        # a channel left dormant, not meant to be left so
        ("Beijing left the MMCA talks dormant in 2023.", {("mmca", "suspended")}),
        # "a first call in N months" that took place is one meeting, no habit (guard)
        (
            "A first defense minister call in 18 months took place, the Pentagon said.",
            {("mil_mil", "resumed")},
        ),
        (
            "The first MMCA meeting in three years took place in Qingdao on Monday.",
            {("mmca", "resumed")},
        ),
        # a silence broken on a weekday
        (
            "Theater-level communications broke a two-year silence on Thursday.",
            {("theater_commanders", "resumed")},
        ),
        # a topic after "were the two" describes the channels named before it
        (
            "Legal assistance in criminal matters and fentanyl cooperation were the two"
            " law-enforcement tracks Washington prized. Beijing froze the programs in 2022.",
            {("criminal_legal_assistance", "suspended"), ("counternarcotics", "suspended")},
        ),
        # a sitting after a semicolon is another sentence's
        (
            "China halted the arms control consultations in July; the MMCA talks met as scheduled.",
            {("arms_control_nonproliferation", "suspended")},
        ),
    ],
)
def test_dxd_even_half_changes_fire(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a clause of "-ing" after a comma is told in its main clause's mood
        "The climate working group will meet in May, officials said, picking up where it left"
        " off in 2022.",
        # a state one is content to leave as it is
        "Washington seems content to leave the climate talks dormant.",
        # a first meeting in years that would happen
        "A first MMCA meeting in three years would ease tensions at sea.",
        # guard: a sitting in the trigger's own part of the sentence is still routine
        "The climate talks resumed as scheduled on Monday; officials met in Beijing.",
    ],
)
def test_dxd_even_half_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    assert found(detector, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the resumption of the law-enforcement channels" is no pick from a counted class
        (
            "The two governments restored climate talks in May. Beijing on Monday also"
            " announced the resumption of the law-enforcement channels with Washington.",
            {("climate", "resumed"), ("transnational_crime", "resumed")},
        ),
        # an ordinal sitting of something else is no routine of the channel
        (
            "Beijing suspended the climate talks before the third tariff round.",
            {("climate", "suspended")},
        ),
        # what is set aside from a routine check keeps later offsets: the cadence is the
        # later act's ("and agreed to meet twice a year"), not this change's
        (
            "The defense policy coordination talks picked up where they left off on Monday"
            " and agreed to meet twice a year.",
            {("defense_policy_coordination", "resumed")},
        ),
    ],
)
def test_a_count_needs_a_pick_and_a_later_acts_cadence_stays_its_own(
    detector: Detector, text: str, expected: set[tuple[str, str]]
) -> None:
    assert found(detector, text, date(2024, 6, 10)) == expected
