"""The words the detector reads by: triggers, the nouns that make a channel, and cues.

Language lives here; the catalog (which channels exist, their aliases and topics) lives
in sources.yaml. Each pattern is a regular expression fragment matched case-insensitively
on word boundaries.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

SUSPENDED, RESUMED = "suspended", "resumed"

# A word list is one group with no letter, digit or hyphen on either side.
WORD_START, _WORD_END = r"(?<![\w-])", r")(?![\w-])"


def words(pattern: str) -> re.Pattern[str]:
    return re.compile(WORD_START + r"(?:" + pattern + _WORD_END, re.IGNORECASE)


# State-change triggers. A trigger is "nominal" when it is a noun ("the suspension of").
_W = r"[\w.'’-]+\s+"  # any one word, for phrases with a gap: "put the talks on hold"
TAKE = r"(?:take|takes|taking|took|taken)"  # "took up again": the channel's, or a topic's
TRIGGERS = {
    SUSPENDED: words(
        r"suspend(?:ed|s|ing)?|suspensions?|cancel(?:l?ed|s|l?ing)?|cancell?ations?"
        r"|halt(?:ed|s|ing)?|froze|frozen|freez(?:e|es|ing)|(?:in|into)\s+(?:the\s+|a\s+)?deep\s+freeze"
        r"|scrap(?:ped|s|ping)?|shelv(?:e|ed|es|ing)|mothball(?:ed|s|ing)?|dormant"
        r"|discontinu(?:e|ed|es|ing)|ceas(?:e|ed|es|ing)|(?:put|puts|putting|placed)\s+(?:"
        + _W
        + r"){0,8}?on\s+(?:hold|ice)"
        r"|on\s+(?:hold|ice)|(?:in|into)\s+cold\s+storage"
        r"|cut(?:s|ting)?\s+(?:(?:it|them|those|these|that|this)\s+)?off|cut-off"
        r"|call(?:s|ed|ing)?\s+(?:(?:it|them)\s+)?off|bro(?:ke|ken)\s+(?:(?:it|them)\s+)?off|break(?:s|ing)?\s+off"
        r"|sever(?:ed|s|ing)?|(?:fallen|fell|falls|fall)\s+into\s+abeyance|in\s+abeyance|abandon(?:ed|s|ing)?"
        r"|terminat(?:ed|es|e|ing|ion)|cessation|discontinuation|shutdowns?|shut\s+(?:(?:it|them|those|these|that|this)\s+)?(?:down|off)|slamm(?:ed|ing)\s+(?:shut|the\s+door\s+on)|switch(?:ed|es|ing)?\s+(?:(?:it|them|those|these|that|this)\s+)?off"
        r"|(?:went|gone|go|goes|going)\s+dark|walk(?:ed|s|ing)?\s+away\s+from|pull(?:ed|s|ing)?\s+the\s+plug"
        r"|stop(?:ped|s|ping)?\s+(?:co-?operating|talking|meeting|accepting|receiving|taking\s+back)"
        r"|end(?:ed|s)?(?=\s+(?:its|their|all|bilateral|the\s+(?:talks|cooperation|dialogue))\b)"
        r"(?!\s+(?:"
        + _W
        + r"){0,4}?(?:gap|hiatus|pause|freeze|drought|break|standoff|suspension|silence|estrangement)\b)"
        r"|end(?:ed|s)?\s+(?:abruptly|suddenly)"
        # a series ended, told by what is done at it: "ended the envoy-level meetings in
        # which officials coordinated methane policy" (not "ended the two-day talks")
        r"|end(?:ed|s)?(?=\s+the\s+(?:[\w-]+\s+)?(?:meetings|talks|sessions|consultations)\s+(?:at|in)\s+which\b)"
        r"|cut(?=\s+(?:[\w-]+\s+){0,3}(?:channels?|talks|dialogues?|contacts|communications?|cooperation|ties)\b)"
        # wider idioms: "went silent", "axed", "scuttled", "came to a standstill", "pulled
        # out of", "withdrew from", "iced", "on the shelf", "wound down"
        r"|(?:went|gone|go|goes|going)\s+(?:silent|dead)|ax(?:e|ed|ing)|scuttl(?:e|ed|es|ing)"
        r"|(?:to|at)\s+a\s+standstill|(?:pull(?:ed|s|ing)?\s+out\s+of|withdr(?:ew|awn|aws|awing)\s+from)"
        # (leaving a treaty is no channel cut: "withdrew from the Paris Agreement")
        r"(?!\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:agreement|accords?|treaty|pact|deal|convention)\b)"
        r"|iced|on\s+the\s+shelf|stoppages?|cutoffs?|in\s+limbo|paus(?:ed|es|ing)(?!\s+for\b)|on\s+pause|(?:wound|wind(?:s|ing)?)\s+down"
        # a state told by a verb of staying and a word of disuse: "stayed dark", "now sits
        # idle", "has lain shut", "is moribund"
        r"|(?:(?:remain|stay|sit|lie)(?:s|ed|ing)?|sat|lay|lain|been|is|are|was|were)\s+(?:\w+ly\s+)?"
        r"(?:dark|shut|closed|idle|moribund|inactive|defunct|shuttered|mothballed|grounded)(?!\s+(?:to|on|about|over)\b)"
        r"|(?:remain|stay)(?:s|ed|ing)?\s+off(?=\s*(?:[.,;:]|$|(?:for|since|until|after)\b))"
        # "quietly dropped by Beijing", "dropped the climate talks"
        r"|dropped(?=\s+(?:by|in|the\s+(?:[\w-]+\s+){0,4}?(?:talks|dialogue|channel|mechanism|working\s+group|consultations|cooperation)\b))"
    ),
    RESUMED: words(
        r"resum(?:e|ed|es|ing|ption)|restart(?:ed|s|ing)?|re-start(?:ed)?"
        r"|restor(?:e|ed|es|ing|ation)|reviv(?:e|ed|es|ing|al)|re-?open(?:ed|s|ing)?"
        r"|re-?establish(?:ed|es|ing|ment)?|re-?launch(?:ed|es|ing)?|launch(?:ed|es|ing)?"
        r"|establish(?:ed|es|ing|ment)?|set\s+(?:(?:it|them)\s+)?up|back\s+on\s+track|reinstat(?:e|ed|es|ing|ement)"
        r"|reactivat(?:e|ed|es|ing|ion)|re-?engag(?:e|ed|es|ing|ement)|unfroze|unfrozen|unfreez(?:e|es|ing)"
        r"|thaw(?:ed|ing)?|reconven(?:e|ed|es|ing)|re-?boot(?:ed|s|ing)?|creat(?:e|ed|es|ing)"
        r"|stood\s+up|stand(?:s|ing)?\s+up"
        r"|(?:brought|bring|brings|bringing)\s+(?:"
        + _W
        + r"){0,6}?back|(?:came|come|comes|coming)\s+back"
        r"|back\s+(?:to\s+life|in\s+(?:business|operation|use|action|session)|up\s+and\s+running|online|under\s*way)"
        r"|(?:running|functioning|operating|open|meeting|working|talking|active|operational|moving)\s+(?:(?:normally|smoothly|properly|fully|regularly)\s+)?(?:again|once\s+more|anew)|(?:held|going)\s+again"
        r"|switch(?:ed|es)?\s+(?:(?:it|them)\s+)?back\s+on|picked\s+up\s+(?:" + _W + r"){0,6}?again"
        r"|" + TAKE + r"\s+up\s+(?:" + _W + r"){0,6}?again"
        # "have picked up where they left off" (a sitting's "left off" after a day or a
        # lunch is still routine: those words block it)
        r"|pick(?:ed|s|ing)?\s+up\s+where\s+(?:they|it|[\w-]+)\s+(?:had\s+)?left\s+off"
        r"|(?:is|are|was|were)\s+back(?=\s*(?:[.,;:]|$|(?:in|on|at|after|with|this|for)\b))"
        r"|(?:end|lift)(?:ed|s|ing)?\s+(?:a|an|the|their|its|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)\s+(?:"
        + _W
        + r"){0,3}?(?:gap|hiatus|pause|freeze|drought|break|suspension|silence|estrangement)"
        # "broke a two-year silence in theater-level communications", "… on Thursday when the
        # generals spoke" (not "broke a silence on the talks": speaking out)
        r"|(?:bro(?:ke|ken)|break(?:s|ing)?)\s+(?:a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|several)"
        r"\s+(?:" + _W + r"){0,3}?(?:gap|hiatus|freeze|drought|silence|estrangement)"
        r"(?=\s+(?:in|between|of|when|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"
        # a gap before a meeting: "After a hiatus, the group met" (detector.py anchors it
        # on the meeting's verb, or drops it)
        r"|after\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:hiatus|lull|silence|estrangement)"
        r"|(?:for\s+)?(?:the|its|their)\s+first\s+(?:"
        + _W
        + r"){0,10}?since|(?:for\s+)?(?:the\s+)?first\s+time\s+in\s+(?:"
        + _W
        + r"){0,2}?(?:years|months|decades?|a\s+decade)"
        # (the words between may be long and hold "U.S.": "the first gathering of senior U.S.
        # and Chinese law enforcement officials in more than six years")
        r"|first\s+(?:[\w.'’-]+\s+){0,9}?in\s+(?:(?:more\s+than|over|nearly|almost|about|around|roughly|some)\s+)?(?:\w+\s+)?(?:years|months|decades?|a\s+decade)"
        r"|first\s+time\s+(?:[\w'’-]+\s+){1,8}?in\s+(?:(?:more\s+than|over|nearly|almost|about|around|roughly|some)\s+)?(?:\w+\s+)?(?:years|months|decades?|a\s+decade)"
        # "for the first time in over a year" ("in about five years": a round count is a gap too)
        r"|first\s+(?:[\w'’-]+\s+){0,8}?in\s+(?:more\s+than|over|nearly|almost|about|around|roughly|some)\s+a\s+year"
        r"|not\s+since"
        # wider idioms: "back at the table", "dusted off", "resurfaced", "resuscitated",
        # "started up again", "kicked back into gear", "rekindled", "put back in motion",
        # "breathe new life into"
        r"|(?:return(?:ed|s|ing)?|back)\s+(?:to|at)\s+the\s+(?:negotiating\s+)?table"
        r"|dust(?:ed|s|ing)?\s+off|resurfac(?:e|ed|es|ing)|resuscitat(?:e|ed|es|ing|ion)"
        r"|start(?:ed|s|ing)?\s+up\s+again|back\s+in(?:to)?\s+(?:gear|motion|service)|rekindl(?:e|ed|es|ing)"
        r"|breath(?:e|ed|es|ing)\s+(?:new\s+)?life\s+(?:back\s+)?into"
        r"|(?:once\s+)?again\s+in\s+(?:regular\s+|normal\s+|full\s+)?(?:operation|service|use)|resurrect(?:ed|s|ing|ion)"
        # "put back in place"; a channel "returned … after a freeze" (a gap makes it news)
        r"|(?:put|puts|putting|placed)\s+back\s+in\s+place"
        r"|return(?:ed|s)?(?=\s+(?:[\w-]+\s+){0,3}?(?:after|following)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:freeze|hiatus|pause|gap|break|suspension|silence|absence|lull|standoff)\b)"
    ),
}
# Both kinds in one pattern, lowercase and without IGNORECASE (five times faster), for
# one pass over a lowercased article.
ANY_TRIGGER = re.compile("|".join(f"(?P<{kind}>{rx.pattern})" for kind, rx in TRIGGERS.items()))


NOMINAL = re.compile(r"(?:ion|al|ment|ations?|suspensions?)$", re.IGNORECASE)
# The base form of a trigger verb: at the head of a clause it is an imperative.
BASE_FORM = re.compile(
    r"^(?:suspend|cancel|halt|freeze|scrap|cut|sever|resume|restart|restore|revive|reopen"
    r"|re-?establish|re-?launch|launch|establish|reinstate|reactivate|re-?engage|set\s+up)$",
    re.IGNORECASE,
)
# Past participles: such a trigger can hang off a noun as background ("talks, suspended in 2022,").
PARTICIPLE = re.compile(r"(?:ed|en|cut|off|set\s+up|froze|abeyance)$", re.IGNORECASE)

# Nouns that make a channel of a topic: "climate" + "talks", "talks on" + "climate change".
DIALOGUE_NOUNS = words(
    r"talks?|dialogues?|channels?|co-?operation|working\s+groups?|consultations?|meetings?|exchanges?"
    r"|contacts?|communications?|mechanisms?|calls?|conversations?|negotiations?|discussions?|met"
    r"|tracks?|lines?|hotlines?|programs?|programmes?|forums?|work|spoke|spoken|speak|speaks|talked|talking"
    r"|(?:sat|sit|sits|sitting)\s+down"
    # the people of a channel: "negotiators on climate and arms control"
    r"|negotiators"
    # an investigation with the other side is cooperation: "joint fentanyl investigations
    # with the DEA" (not "its fentanyl investigations")
    r"|investigations?(?=\s+(?:with|between)\b)"
    # a channel named by what is done through it: "the process through which prosecutors
    # exchange evidence", "the arrangement under which ICE flies deportees home"
    r"|(?:process|arrangement)s?(?=\s+(?:through|under|by)\s+which\b)"
    # … and sittings told by what is done at them: "the sessions in which envoys discuss …"
    r"|sessions(?=\s+(?:at|in|during)\s+which\b)"
)
# The other side's name as a topic ("talks with the PLA", "lines to the People's Liberation
# Army"): it names a channel only when no other channel is named in the sentence, since
# the PLA is also the other side of every specific military channel.
COUNTERPART_TOPIC = re.compile(r"(?:the\s+)?(?:pla|people'?s\s+liberation\s+army)", re.IGNORECASE)
# Words that join a dialogue noun to the topic after it: "talks on", "cooperation against".
LINKERS = {
    "on",
    "about",
    "over",
    "regarding",
    "concerning",
    "against",
    "between",
    "with",
    "for",
    "of",
    "in",
    "to",
}

# An anaphor standing for channels named in the one or two sentences before.
ANAPHOR = words(
    r"(?:these|those|such|the|both|all|their|its|this|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:talks|dialogues?|channels?|mechanisms?|exchanges|consultations|contacts|communications"
    r"|co-?operation|working\s+groups?|groups?|calls|meetings|lines?|tracks?|programs|programmes|flights)"
    # (discussions only with a demonstrative: "Those discussions have since fallen into
    # abeyance"; "the discussions" may be any)
    r"|(?:these|those|such)\s+(?:[\w-]+\s+){0,2}?(?:discussions|negotiations)"
    r"|(?:dialogues?|talks|channels?|co-?operation|working\s+groups?|consultations|contacts)\s+on\s+(?:these|those|both|the\s+two)\s+(?:issues|fronts|areas|topics|matters)"
    r"|(?:the\s+)?(?:pair|both|all|each|two)\s+of\s+them|the\s+former|the\s+latter|the\s+pair"
    # "the first", "the second" standing alone as a subject: the former and the latter
    r"|the\s+(?:first|second)(?=\s+(?:was|were|has|had|is|remains?|remained)\b)"
    r"|both(?=\s*(?:[.,;:]|$|(?:were|was|have|had|are|remain|on|in|within|after|at|by|last|this|again)\b))"
    # a number standing alone for the channels counted: "All three were canceled", "revive
    # the two." (not "the two sides")
    r"|(?:all|the)\s+(?:two|three|four|five|six|seven|eight)(?=\s*(?:[.,;:]|$|(?:were|was|have|had|are|remain)\b))"
    # … or as an object before an adjunct: "agreed to resume all three on the basis of …",
    # "cancelled all three anyway" (only with "all": "the two on Monday" may be two people)
    r"|all\s+(?:two|three|four|five|six|seven|eight)(?=\s+(?:on|in|at|after|by|with|within|from|this|last|again"
    r"|anyway|regardless|nonetheless|nevertheless|outright|altogether|instead)\b)"
    # "each" standing alone for the channels listed: "Each was suspended", "each has now
    # been restored"
    r"|each(?=\s+(?:was|were|has|had|is|remains?|remained)\b)"
    # a channel called by its kind with a demonstrative: "That forum has since fallen …"
    r"|(?:this|that)\s+forum"
    r"|both(?=\s+(?:resum|restor|reviv|restart|re-?open|reconven|re-?establish|relaunch|suspend|froze|halt|cancel)\w*)"
    # … or ending, as an object, a subject that a singular verb follows: "Beijing's decision
    # to cut off both leaves dozens of cases in limbo" ("both" itself would take a plural)
    r"|both(?=\s+(?:is|has|leaves|left|means|meant|marks|marked|hurts|costs|deprives|deprived"
    r"|removes|removed|shows|showed|signals|signall?ed|drew|draws)\b)"
    r"|them|it|they"
)
FORMER = words(r"the\s+former|the\s+first(?=\s+(?:was|were|has|had|is|remains?|remained)\b)")
LATTER = words(r"the\s+latter|the\s+second(?=\s+(?:was|were|has|had|is|remains?|remained)\b)")
DUAL = words(r"both|(?:the\s+)?(?:pair|two)\s+of\s+them|the\s+pair")
# A reporting frame: the cues of "X says" do not reach into what is said.
REPORTING = words(r"(?:says?|said|reported|confirm(?:s|ed)?|announced|told\s+[\w.]+)(?:\s+that)?")

# Cues that make a trigger something other than a report of fact, by kind.
BLOCKERS: dict[str, re.Pattern[str]] = {
    "negation": words(
        r"not|never|no\s+longer|yet\s+to(?!\s+(?:the|a|an|this|that|these|those|its|their|his|her|our)\b)|(?:fail|refus|declin)(?:ed|es|ing|e|s)?\s+to|without|nor|neither"
        r"|\w+n't|cannot|no\s+(?:sign|plans?|date|progress|timeline|move)s?|den(?:y|ies|ied|ying)"
        r"|(?:reject|dismiss)(?:s|ed|ing)?\s+(?:the\s+|a\s+|an\s+|any\s+)?(?:idea|proposals?|calls?|requests?|offers?|reports|claims)"
        r"|in\s+no\s+way|hardly|no\s+one|nobody|none\s+of|refrain\w*|h[eo]ld\s+off|rather\s+than|instead\s+of|far\s+from|stopp(?:ed|ing)\s+short\s+of"
        r"|nothing|at\s+no\s+(?:point|time|stage)|no\s+question\s+of|no\s+(?:interest|evidence|indication|intention|agreement|deal|consensus|decision|breakthrough|truth|basis)"
    ),
    "modal": words(
        r"could|might|would|will|shall|can|(?<!for\s)(?<!in\s)(?<!on\s)(?<!since\s)(?<!until\s)(?<!by\s)(?<!from\s)(?<!early\s)(?<!late\s)(?<!mid-)may(?!\s+(?:\d|of\b))|'ll|likely|unlikely|probably|possibly|perhaps|risk(?:s|ed|ing)?"
        r"|conceivabl[ey]|possible|imaginable|plausibl[ey]|rumou?red|alleged(?:ly)?|purported(?:ly)?"
    ),
    "recommendation": words(
        r"should|must|ought\s+to|need(?:s|ed)?\s+to|urg(?:e|es|ed|ing)|(?:calls|called|calling)\s+(?:for|on)|call\s+for"
        r"|recommend\w*|press(?:es|ed|ing)?\s+for|push(?:es|ed|ing)?\s+for|it\s+is\s+time|demand\w*"
        r"|advocat\w*|encourag\w*|appeal\w*|insist\w*|wiser|best\s+course"
        r"|sensible|(?:first|next|best|obvious|logical)\s+step|case\s+for|(?:is|are)\s+needed|needed\s+is"
        r"|(?<!has\s)(?<!have\s)(?<!had\s)let\s+(?:the|us|both)|let's|interests?\s+(?:lies?|lie)|in\s+(?:both\s+countries'|their|our)\s+(?:mutual\s+)?interest"
        r"|in\s+the\s+(?:mutual\s+)?interests?\s+of|what\s+(?:[\w'’-]+\s+){1,4}?needs?|overdue|deserv(?:e|es|ed|ing)|(?:high|past)\s+time"
        r"|(?:obvious|natural)\s+(?:place|starting\s+point)|(?:a|an)\s+(?:early|speedy|prompt|quick|swift)\s*$|the\s+sooner|smart|(?:see|sees|saw)\s+(?:\w+\s+)?value\s+in"
        r"|would\s+do\s+well|makes\s+sense|most\s+useful|priority|deliverable|worth\s+\w+ing|argu(?:e|es|ed|ing|ment)"
    ),
    "hope_plan": words(
        r"hop(?:e|es|ed|ing)|plan(?:s|ned|ning)?|seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|intend\w*"
        r"|want(?:s|ed|ing)?|weigh(?:s|ed|ing)?|expect\w*|set\s+(?:to|for)|pursu\w*|efforts?\s+to|propos\w*|prepar\w+\s+to"
        r"|look(?:s|ed|ing)?\s+forward|wish\w*|eager|tr(?:y|ies|ying|ied)\s+to|attempt\w*|willing"
        r"|ready\s+to|consider\w*|explor\w*|scheduled|slated|due\s+to|pledg\w*|promis\w*|vow\w*|offer\w*\s+to|keen"
        r"|work(?:s|ed|ing)?\s+toward|toward(?:s)?|aimed\s+at|in\s+order\s+to|poised|interest\s+in|favou?r(?:s|ed|ing)?|request\w*(?!\s*(?:,|and\b|or\b))|goal|intent\s+on|eye(?:s|d|ing)|pencil?l(?:ed|ing)?\s+in"
        r"|(?:talks|discussions)\s+on\s*$"
        r"|(?:discuss\w*|float\w*|lobb\w+\s+for|count\w*\s+on|bank\w*\s+on)\s+(?:a|an|the|any)\s+(?:[\w-]+\s+)?$"
        r"|merit\s+in|on\s+the\s+(?:agenda|table)|open\s+to|openness|readiness"
    ),
    "conditional": words(
        r"if|unless|whether|in\s+case|provided\s+that|until|lest|assuming|suppos(?:e|ing)|imagin(?:e|ing)"
        r"|once(?!\s+(?:\w+ed|\w+en|again|more|a\s+\w+|every|regular|formal|routine|close|active|the\s+[\w-]+\s+of)\b)"
    ),
    "generic": words(
        r"track\s+record|tend(?:s|ed)?\s+to|typically|usually|often|routinely|habitually|whenever"
        r"|every\s+time|each\s+time|as\s+a\s+rule|history\s+of|pattern(?<!fit\sa\spattern)(?<!fits\sa\spattern)(?<!fitted\sa\spattern)(?<!fit\sinto\sa\spattern)(?<!fits\sinto\sa\spattern)\s+of|habit\s+of"
        r"|sporadically|at\s+the\s+slightest|invariably|periodically|repeatedly|again\s+and\s+again"
        r"|time\s+and\s+again|always(?!\s+(?:going|bound)\s+to\b)|episodic\w*|(?:grown|grow|gotten|get)\s+used\s+to|(?<!had\s)(?<!has\s)(?<!have\s)(?<!was\s)(?<!were\s)(?<!been\s)(?<!is\s)(?<!are\s)used\s+to"
        r"|(?:nearly\s+|almost\s+)?every\s+(?:new\s+)?(?:crisis|downturn|dispute|flare-up|time|year|round|spat)"
        r"|pattern(?<!fit\sa\spattern)(?<!fits\sa\spattern)(?<!fitted\sa\spattern)(?<!fit\sinto\sa\spattern)(?<!fits\sinto\sa\spattern)|playbook|reflex\w*|bargaining\s+chip|familiar(?!\s+with\s+(?:the|these|those)\s+(?:matter|matters|talks|discussions|decision|plans?|situation|deliberations|thinking|issue|negotiations|exchanges?|arrangements?))|the\s+usual|more\s+often\s+than\s+not"
        r"|time\s+after\s+time|more\s+than\s+once|(?:two|three|four|five|several|many|\d+)\s+times"
        r"|sooner\s+or\s+later|each\s+round|rises\s+and\s+falls|in\s+(?:good|bad)\s+(?:years|times)|truism|equivalent\s+of|lurch\w*"
        r"|at\s+the\s+first\s+(?:hint|sign)|most\s+years|at\s+least\s+once|frequently|accustomed"
        r"|as\s+a\s+(?:[\w-]+\s+)?(?:tool|lever|weapon|card|signal|instrument|punishment|reward|cudgel|form|means|way|penalty)|predictabl\w*"
        # … or as favours, a kind of thing: "treat channels like the MMCA as favors to be
        # granted and withdrawn" (not one favour: "restored the talks as a favor to Biden")
        r"|as\s+(?:[\w-]+\s+)?favou?rs"
        r"|in\s+cycles|(?:chinese|china's|beijing's)\s+practice|as\s+(?:[\w-]+\s+){1,4}?shows"
        r"|rarely|seldom|(?:off|on)\s+and\s+(?:on|off)|lives\s+and\s+dies|ebbs\s+and\s+flows|waxes\s+and\s+wanes"
        r"|in\s+(?:warm|cold|good|bad|lean|calm)\s+(?:spells|times|years|periods|seasons)|in\s+(?:a|any|every)\s+crisis|in\s+crises|in\s+others"
        r"|as\s+readily\s+as|reach(?:es|ing)?\s+for|is\s+what\s+(?:[\w-]+\s+){1,3}does"
        r"|(?:in|during|after|at)\s+(?:a|any|every|each)\s+(?:[\w-]+\s+)?(?:downturn|dispute|standoff|row|spat|flare-up|provocation|confrontation)"
        # (not "any further provocation": the one still to come, that a threat is about)
        r"|(?:each|every|any(?!\s+further\b))\s+(?:new\s+)?(?:[\w.'-]+\s+){0,3}?(?:package|sale|visit|transit|provocation|incident)"
        r"|(?:a|the)\s+way\s+of|tendency|prone\s+to|vulnerable\s+to|liable\s+to|susceptible\s+to"
        r"|standard\s+(?:reply|response|move|practice|tool|tactic)"
        r"|historically|(?:one|two|three)\s+(?:years?|times?|rounds?)\s+in\s+(?:two|three|four|five|ten)"
        r"|in\s+(?:past|previous|earlier)\s+(?:crises|downturns|disputes|episodes|standoffs|rows)"
        r"|(?:each|every)\s+(?:new\s+|such\s+)?(?:suspension|freeze|cancell?ation|cut-off|resumption|restoration|revival|thaw)"
        r"|(?:experience|history|the\s+record)\s+(?:shows|suggests|teaches|says)"
        # a change that has become a role: "has become Beijing's go-to response"
        r"|(?:has|have|had)\s+become\s+(?:[\w'’-]+\s+){0,3}?(?:response|reflex|reply|tool|tactic|move|weapon|lever|signal|punishment|default)"
    ),
}
# A report of the change denied anywhere in the sentence: "reports that … proved false".
DENIAL = words(
    r"(?:proved|proven|turned\s+out\s+to\s+be|were|was|are|is)\s+(?:false|untrue|unfounded|baseless|inaccurate|mistaken)"
    r"|never\s+materiali[sz]ed|not\s+true|no\s+truth|false\s+(?:reports?|claims?|rumou?rs?)"
    r"|wrong\s+to\s+(?:say|claim|suggest|report)"
)
# What follows a head that does not vouch for it is no report of fact: a rumour's content
# ("Rumours swirled that …", "Unconfirmed reports suggested …") or a report that is
# denied ("disputed accounts that …", "dismissed as fabrication a report that …").
# The head must take the clause: "Amid rumours of a coup, Beijing suspended …" reports.
_CONTENT = r"(?:[\w'’,.-]+\s+){0,5}?(?:that|suggest\w*|indicat\w*|had\s+it|claim\w*|said|says)\b"
HEARSAY = words(
    r"(?:rumou?rs?|speculation|gossip|whispers|hearsay|word|(?:unconfirmed|unverified|uncorroborated|unsourced)\s+(?:[\w-]+\s+)?(?:reports?|accounts?|claims?|stor(?:y|ies)))"
    r"\s+(?:(?:swirl|circulat|spread|mount|grew|grow|persist|went\s+around|got\s+around|ran|run)\w*\s+)?"
    + _CONTENT
    + r"|(?:den(?:y|ies|ied|ying)|disput\w+|rebut\w*|refut\w+|contradict\w*|dismiss\w*|reject\w*|scotch\w*|quash\w*|debunk\w*)"
    r"\s+(?:[\w'’,.-]+\s+){0,6}?that"
)
# "By the time the talks resume, …": a clause of time in the present tense is still to come.
TIME_CLAUSE = words(r"(?:by\s+the\s+time|as\s+soon\s+as)\s+[^,;:.—–]+")
TIME_CLAUSE_NEEDS = ("time", "soon")  # (where a text holds neither, it is not searched)
# A change one must make: "Resuming the MMCA talks is essential", "call the revival urgent".
NECESSARY = r"(?:essential|imperative|vital|crucial|critical|urgent|paramount|indispensable|necessary|a\s+must|a\s+necessity|non-negotiable)"
NECESSITY = re.compile(
    r"\b(?:is|are|remains?|seems?|looks?|appears?|(?:would|will)\s+be|becomes?|has\s+become)\s+"
    r"(?:[\w-]+ly\s+|still\s+|now\s+|all\s+the\s+more\s+|both\s+)?" + NECESSARY + r"\b"
    # the object's complement: "call the revival of the climate talks urgent."
    r"|\s" + NECESSARY + r"\W*$",
    re.IGNORECASE,
)
# "When" with a clause in the present tense tells a habit or a condition, not an event:
# "switched off when relations cool". A past verb or a year makes it a story.
WHEN_CLAUSE = words(
    # ("when Adm. Paparo held a call": an abbreviation's stop does not end the clause)
    r"(?:when|whenever)\s+(?!it\s+comes\s+to)(?:[^,;:.—–]|(?:(?<=Adm)|(?<=Gen)|(?<=Sen)|(?<=Col)|(?<=Rep)|(?<=Dr)|(?<=\b[A-Z]))\.)+"
)
WHEN_CLAUSE_NEEDS = ("when",)
PAST = words(
    r"was|were|had|did|(?<!is\s)(?<!are\s)(?<!be\s)(?<!been\s)(?<!being\s)(?<!get\s)(?<!gets\s)[\w-]+ed"
    r"|froze|broke|cut|went|came|began|met|held|took|made|sent|shut|set|put|said|told|saw|gave|left"
    r"|fell|rose|struck|ran|spoke|sat|stood|chose|drew|flew|grew|knew|led|paid|sold|thought|wrote|(?:19|20)\d\d"
)
# A session of a running channel picking up again after a day or a break, or a regular
# round of it: routine, not news.
# A round of measures is no sitting: "a second round of tariffs", "a new round of sanctions".
_NO_SITTING = (
    r"(?!\s+of\s+(?:[\w-]+\s+)?(?:tariffs|sanctions|duties|levies|export\s+controls|controls|curbs"
    r"|restrictions|drills|exercises|tests|strikes|arms\s+sales|layoffs|purges|cuts|hikes)\b)"
)
ROUTINE = words(
    r"(?:the|its|their)\s+(?:second|third|fourth|final|last|next)\s+(?:day|morning)|(?:first|second|opening)\s+day's"
    r"|after\s+(?:a\s+)?(?:lunch|recess|(?:morning|lunch|coffee|short)\s+break)"
    r"|broke\s+for\s+(?:the\s+night|lunch)|(?:after|following)\s+(?:a|the)\s+(?:day|weekend)\b|final\s+session|on\s+day\s+(?:two|three|four|\d)|(?:their|its)\s+(?:[\w-]+\s+)?(?:discussions?|deliberations|agenda)|as\s+(?:planned|scheduled|usual)"
    # a pause inside one meeting: a recess, an adjournment, a break of hours
    r"|recess|adjournment|(?:lunch|coffee|tea|holiday|new\s+year)\s+break|over\s+lunch|opening\s+(?:ceremony|remarks|session)"
    r"|(?:morning|afternoon|evening)\s+session|(?:second|third|final|last)\s+day\s+of|into\s+a\s+(?:second|third)\s+day"
    r"|(?:its|their|the)\s+first\s+day\b|the\s+day\s+before"
    r"|left\s+(?:it\s+)?(?:off|unfinished)|within\s+the\s+hour|resum\w*\s+work"
    r"|(?:short|brief|\d+-minute|hour-long|overnight)\s+(?:pause|break|recess|suspension)|pause\s+for|broke\s+for"
    r"|paus(?:ed|ing)\s+(?:briefly|for)|technical\s+(?:fault|glitch|problem)"
    # a line down by a fault, not by a decision: "a technical outage", "a cable fault"
    r"|outages?|(?:cable|power|line|network|equipment|software|hardware)\s+(?:fault|failure|glitch|problem|outage)s?|malfunction\w*"
    r"|(?:an?|one|two|three|\d+)\s+(?:hour|hours|minutes)\s+later|for\s+the\s+(?:night|evening)"
    r"|opening\s+(?:statements?|plenary|address)|(?:after|following)\s+the\s+plenary|breakout"
    r"|(?:after|over|during)\s+(?:a\s+|the\s+)?(?:working\s+)?(?:lunch|dinner|breakfast)"
    r"|(?:second|third|final|last|next)\s+(?:afternoon|evening)"
    r"|(?:another|latest|new)\s+(?:round|session|plenary|meeting)"
    + _NO_SITTING
    # (after an ordinal a word that says what kind of sitting may stand between: "its fourth
    # regular session"; not any word: "the third tariff round" is no sitting of a channel)
    + r"|(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
    r"(?:(?:regular|plenary|annual|formal|ministerial|working|full|official|technical|high-level|expert-level)\s+)?"
    r"(?:round|session|plenary|meeting)"
    + _NO_SITTING
    + r"|(?:spring|summer|fall|autumn|winter|year-end|mid-year)\s+(?:session|meeting|round|plenary)"
    # a sitting told as a custom: "as they do each spring", "as it has done every year"
    r"|as\s+(?:they|it)\s+(?:do|does|did|have\s+done|has\s+done)\s+(?:each|every)\s+"
    r"(?:year|spring|summer|fall|autumn|winter|quarter|month)"
    r"|(?:once|twice|three\s+times)\s+(?:a|per|every)\s+(?:year|month|quarter)|every\s+(?:three|six)\s+months|as\s+normal"
    r"|(?:after|following)\s+the\s+(?:[\w-]+\s+){0,2}?(?:holiday|holidays|festival)"
    r"|(?:after|following)\s+(?:the|its|their|[\w]+'s)\s+(?:[\w-]+\s+)?session"
    # a round on the calendar
    r"|(?:its|their|the)\s+regular\s+(?:[\w-]+\s+)?(?:meeting|session|round|schedule|exchanges?|call|review|work)"
    # one sitting picking up again, not the channel: "resumed their meeting", "working sessions"
    r"|(?:resum|reconven|restart)\w*\s+(?:its|their|the)\s+(?:[\w-]+\s+)?(?:session|meeting|sitting)"
    r"|working\s+sessions?|to\s+continue|continuing\s+(?:its|their)"
    # (a yearly document is no sitting: "its annual inventory of engagements")
    r"|(?:quarterly|monthly|weekly|annual|yearly|biennial|semiannual|twice-yearly)"
    r"(?!\s+(?:reports?|inventor(?:y|ies)|budgets?|surveys?|lists?|rankings?|index|assessments?|filings?)\b)"
    r"|on\s+schedule|usual"
    r"|\d+(?:st|nd|rd|th)\s+(?:round|session|meeting|plenary)" + _NO_SITTING
)
# A gap of months or years, a date the gap runs from, or a suspension named: a channel
# coming back after that is news even if its meetings are regular.
GAP = words(
    r"(?<!once\s)(?<!twice\s)(?<!times\s)(?<!every\s)(?<!per\s)(?<!each\s)"
    r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|several|many)[\s-]+(?:years?|months?|decades?)(?!\s+(?:ago|later|earlier))"
    r"|since\s+(?:[\w.]+\s+){0,2}?(?:19|20)\d\d|(?:until|before)\s+(?:19|20)\d\d"
    r"|suspen\w+|froze|frozen|freeze|halted|cancell?ed|cut\s+off|in\s+abeyance"
)
# A decision reports a fact even in the infinitive: "agreed to resume".
AGREED = words(
    r"agree[sd]?|agreeing|agreement|understanding|consent(?:s|ed)|decided|decides|decision|moved|voted|began|started|resolved|announced"
)
PSEUDO_NEGATION = words(
    r"not\s+only|not\s+just|no\s+sooner|not\s+least|not\s+long\s+after|nothing\s+less"
    # a manner, not a denial: "cancelled without ceremony", "halted without warning"
    r"|without\s+(?:much\s+|any\s+|a\s+|prior\s+|public\s+)?(?:ceremony|fanfare|notice|warning|explanation|comment|announcement|publicity)"
)
NO_LONGER = words(r"no\s+longer")
# "risk" as the noun a change lowered is no hedge: "the revival … has lowered the risk of an
# accident" reports the revival.
LOWERED_RISK = words(
    r"(?:lower|reduc|cut|eas|curb|limit|diminish|minimi[sz]|shr[iau]nk|narrow|contain)\w*\s+"
    r"(?:the\s+)?(?:[\w-]+\s+)?risks?"
)
STILL_STATE = words(r"remain(?:s|ed|ing)?|still|continu(?:e|es|ed)\s+to\s+be|stay(?:s|ed)?")
# "Had the two sides restored …", "Were Beijing to freeze …": a condition, inverted.
INVERTED_CONDITION = re.compile(r"^\s*(?:had|were|should)\s+\w+", re.IGNORECASE)

# Clause boundaries: a cue does not reach across these. (An en dash between two numbers
# is a range, "April 3–4", "2019–2021", inside one clause.) Each mark opens on one of a
# few characters, said first so that the engine skips to them; a bare conjunction is
# looked for only where the text holds one (`clause_boundaries`).
_CLAUSE_MARKS = (
    r"[;:—–\s,](?:(?<=[;:—])|(?<=–)(?<!\d–)|(?<=–)(?!\d)|(?<=\s)-\s"
    r"|(?<=,)\s+(?:but|while|whereas|although|though|even\s+as|and(?!\s+to\b)|yet|so)\b)"
)
_CONJUNCTIONS = ("but", "while", "whereas", "though")  # ("although" holds "though")
CLAUSE_MARKS = re.compile(_CLAUSE_MARKS, re.IGNORECASE)
CLAUSE = re.compile(_CLAUSE_MARKS + r"|\b(?:" + "|".join(_CONJUNCTIONS) + r"|although)\b", re.I)


def clause_boundaries(text: str) -> Iterator[re.Match[str]]:
    """`CLAUSE.finditer(text)`, without the search for conjunctions the text cannot hold."""
    return (CLAUSE if holds_any(_CONJUNCTIONS, text) else CLAUSE_MARKS).finditer(text)


# Background is introduced by an appositive right after the channel's name ("the talks,
# suspended in 2022, …"), a relative clause ("that China called off") or an earlier "had".
APPOSITIVE = re.compile(
    r"\s*[,–—]\s*(?:(?:which|that|who)\s+(?:[\w.'’-]+\s+){0,4}?)?"
    r"(?:(?:was|were|had\s+been|has\s+been|have\s+been|had|been)\s+)?",
    re.IGNORECASE,
)
RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:which|that)\s+(?:[\w.'’-]+\s+){0,4}?(?:had\s+|has\s+|have\s+)?(?:been\s+)?"
    r"|\b(?:after|(?<!have\s)(?<!has\s)(?<!had\s)since|when|once)\s+(?!the\s|a\s|its\s|their\s)(?:[\w.'’-]+\s+){0,3}?(?:had\s+|has\s+)?(?:been\s+)?)$",
    re.IGNORECASE,
)


# A sentence that names another country beside one of the two is about another pair.
# Either side's name may close a compound: "China-U.S. cooperation", "U.S.-China talks".
def _side(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)", re.IGNORECASE)


US_SIDE = _side(
    r"united\s+states|u\.s\.?|us|usa|america|american|washington|pentagon|state\s+department|treasury|white\s+house|biden|trump|blinken|yellen|austin|kerry|hegseth|rubio|indo-pacific\s+command|indopacom"
)
CN_SIDE = _side(
    r"china|chinese|beijing|prc|pla|xi|wang\s+yi|li\s+qiang|he\s+lifeng|xie\s+zhenhua|dong\s+jun|sino"
)
OTHER_COUNTRY = words(
    r"russia|russian|moscow|kremlin|japan|japanese|india|indian|germany|german|philippines|philippine"
    r"|manila|australia|australian|south\s+korea|north\s+korea|pyongyang|iran|iranian|vietnam|vietnamese"
    r"|britain|british|united\s+kingdom|european\s+union|eu|uk|u\.k\.|canada|new\s+zealand|france|tokyo|seoul|thailand|italy"
    r"|lithuania|vilnius|canberra|ottawa|brussels|mexico|brazil|argentina|indonesia|indonesian|pakistan|pakistani"
    r"|ukraine|ukrainian|kyiv|poland|netherlands|dutch|spain|turkey|saudi\s+arabia|israel|south\s+africa|nigeria|kenya"
    # where deportation flights from the U.S. go
    r"|venezuela|caracas|honduras|guatemala|el\s+salvador|colombia|haiti|cuba|ecuador|nicaragua|peru"
)
# A forum of many: a session there resuming is not a bilateral channel resuming.
MULTILATERAL = words(
    r"g-?20|g-?7|apec|asean|united\s+nations|u\.n\.|un|cop\s?\d+|cop|bonn|wto|imf|world\s+bank|nato"
    r"|six-party|conference\s+on\s+disarmament|summit\s+of|plenary|multilateral"
    r"|east\s+asia\s+summit|imo|financial\s+stability\s+board|human\s+rights\s+council"
    r"|p-?5|unfccc|major\s+economies\s+forum|asia-pacific\s+economic\s+cooperation|nuclear-weapon\s+states"
    r"|trilateral|track\s+(?:ii|2|two|1\.5)|shangri-la|arf|asean\s+regional\s+forum|inter-?sessional|admm(?:-plus)?"
    r"|major\s+(?:emitters|economies)|nuclear\s+powers|permanent\s+members|the\s+(?:great|five)\s+powers|\d+\s+(?:delegations|countries|nations|member\s+states|parties)"
    r"|group\s+of\s+(?:20|twenty|7|seven)|general\s+assembly|unga|(?<!national\s)security\s+council|iaea|oecd|brics|boao|xiangshan"
    r"|world\s+(?:health|economic)\s+(?:assembly|organization|forum)|davos|npt|review\s+conference|conference\s+of\s+the\s+parties"
    r"|montreal\s+protocol|arctic\s+council|munich\s+security\s+conference|wassenaar|nuclear\s+suppliers\s+group|mtcr"
    r"|unodc|commission\s+on\s+narcotic\s+drugs|incb|interpol"
    # three parties or more: "among American, Chinese and Japanese scholars"
    r"|(?:among|between)\s+(?:the\s+)?[\w.-]+,\s+(?:[\w.-]+,\s+)*[\w.-]+,?\s+and"
)

# Parties counted by the dozen: "with delegations from forty countries", "some 40 states".
COUNTED_PARTIES = words(
    r"(?:\d{2,}|dozens\s+of|scores\s+of|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred)(?:-\w+)?)"
    r"\s+(?:delegations|countries|nations|states|member\s+states|parties|governments)"
)
# A forum by its proper name, which no bilateral channel bears: "the Pacific Islands
# Forum", "the Global Coalition to Address Synthetic Drug Threats", "the Universal
# Periodic Review". (Not "Council" or "Commission": the State Council, the Central
# Military Commission are one side's.)
FORUM_NOUNS = (
    r"Forum|Coalition|Conference|Review|Summit|Alliance|Initiative"
    r"|Partnership|Convention|Assembly|Organi[sz]ation"
)
FORUM_NAME = (
    r"(?:[A-Z][\w-]*\s+){0,3}(?:" + FORUM_NOUNS + r")(?:\s+(?:to|on|for|of)\s+(?:[A-Z][\w-]*\s*)+)?"
)
# The two and others in one list: "negotiators from the U.S., China and the EU".
_US = r"(?:the\s+)?(?:u\.s\.|us|united\s+states|american|washington)"
_CN = r"(?:china|chinese|beijing)"
MANY_PARTIES = words(
    rf"(?:{_US},\s+{_CN}|{_CN},\s+{_US})(?:,\s+(?:the\s+)?[\w.'-]+(?:\s+[\w.'-]+)?)*,?\s+and"
)

# "Thanks to the reopening of …": a preposition that takes the change as given.
PRESUPPOSING = re.compile(
    r"\b(?:thanks\s+to|because\s+of|owing\s+to|due\s+to|following|after|since|despite|with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A sentence opening with a subordinate clause: its first comma closes it.
SUBORDINATE_OPENING = re.compile(
    r"^\W*(?:although|though|while|whereas|even\s+if|as|whatever)\b", re.IGNORECASE
)
# So does an opening phrase of motive or manner, with no verb of its own before the comma:
# "Eager to show goodwill, Beijing restored …", "Not wanting to appear weak, China cut …".
ADJUNCT_OPENING = re.compile(
    r"^\W*(?:despite|in\s+spite\s+of|without|eager|keen|anxious|determined|unwilling|reluctant"
    r"|(?:not\s+)?(?!(?:nothing|something|anything|everything|during|bring|thing|beijing|chongqing|nanjing)\b)\w+ing)\b"
    r"(?![^,]*\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|did|does)\b)",
    re.IGNORECASE,
)
# "a planned meeting", "the meeting scheduled for May": a plan that names a meeting, not
# the clause's own plan.
ATTRIBUTIVE_PLAN = words(
    r"(?:a|an|the|its|their|this|next)\s+(?:planned|scheduled|proposed)|as\s+(?:planned|scheduled|expected)"
    r"|(?<!is\s)(?<!are\s)(?<!was\s)(?<!were\s)(?<!be\s)(?<!been\s)(?:scheduled|set|planned)(?=\s+for\b)"
)
# "Nonetheless", "this time": one instance set against the habit just told.
INSTANCE = words(r"nonetheless|nevertheless|this\s+time|duly|for\s+once")
# A habit told in an aside and bounded in the past: "the talks, held every year until 2022,".
PAST_HABIT_ASIDE = re.compile(
    r",[^,;]*\b(?:until|before|till)\s+(?:[\w.]+\s+)?(?:19|20)\d\d[^,;]*,", re.IGNORECASE
)

# A relative clause has its own predicate: cues before ", which" do not reach into it.
RELATIVE_START = re.compile(r",\s*(?:which|who)\b", re.IGNORECASE)


# How the patterns are read fast. Nothing below changes what any pattern matches:
# tests/test_matching.py holds each fast form to its plain pattern.

# Letters IGNORECASE reads unlike their lowercase: the Turkish İ (two characters in
# lowercase) and ı, and the long ſ. Text without them reads the same lowercased by a
# pattern without IGNORECASE (tests/test_matching.py checks every code point), and
# the engine runs such a pattern about twice as fast.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f]")
# What keeps a pattern from having a lowercase twin: an uppercase letter, a letter
# written as a code, or an inline flag.
_CASED_PATTERN = re.compile(r"[A-Z]|\\[xuUN0-9]|\(\?[aiLmsux-]")


# Each pattern with its twin, by identity: a pattern's own hash reads all its code.
_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def lowercase_twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """`rx` without IGNORECASE, to read lowercased text, if its letters are all lowercase."""
    known = _TWINS.get(id(rx))
    if known is None:
        # \W, \S and the like are no letters, nor is the P of a named group.
        pattern = re.sub(r"\\[^xuUN0-9]|\(\?P<", "", rx.pattern)
        cased = not rx.flags & re.IGNORECASE or _CASED_PATTERN.search(pattern)
        twin = None if cased else re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)
        known = _TWINS[id(rx)] = (rx, twin)  # keeping `rx` keeps its id from being reused
    return known[1]


def found(rx: re.Pattern[str], text: str, start: int = 0, end: int = sys.maxsize) -> bool:
    """Whether `rx` matches in `text[start:end]` (`rx.search(text, start, end)`), read
    lowercase if it can be, and by first letter if `rx` is a list of `words()`."""
    _, fast, after_a_gap = _fast_form(rx)
    if fast is None or not reads_the_same_lowercased(text):
        return rx.search(text, start, end) is not None
    if after_a_gap:  # the pattern opens on the character before a word: a space stands first
        return fast.search(" " + text.lower(), start, min(end, len(text)) + 1) is not None
    return fast.search(text.lower(), start, end) is not None


# Each pattern with the fastest form `found` may read it by, and whether that form opens
# on the gap before a word; by identity, as a pattern's own hash reads all its code.
_FAST: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None, bool]] = {}


def _fast_form(rx: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str] | None, bool]:
    known = _FAST.get(id(rx))
    if known is None:
        twin = lowercase_twin(rx)
        words_only = rx.pattern.startswith(WORD_START + "(?:") and rx.pattern.endswith(_WORD_END)
        tree = _any_after_a_gap(_inner(rx)) if twin is not None and words_only else None
        known = _FAST[id(rx)] = (rx, tree or twin, tree is not None)
    return known


def holds_any(words: tuple[str, ...], text: str) -> bool:
    """Whether `text` holds one of `words` (lowercase), case aside: a pattern that needs one
    of them cannot match where this is False, and the look is much cheaper than a search."""
    if not reads_the_same_lowercased(text):
        return True  # a case trap ("ſ" for "s") could spell a word no lowercasing shows
    lowered = text.lower()
    return any(word in lowered for word in words)


def reads_the_same_lowercased(text: str) -> bool:
    """Whether IGNORECASE patterns match `text.lower()` where they match `text`."""
    return text.isascii() or not _CASE_TRAPS.search(text)


# What could see the space put before the text: the start of the text, or a lookbehind
# that could match it. One that is a plain run of letters, spaces, hyphens and "\s"
# opening on a letter ("(?<!had\s)", "(?<!mid-)") needs that letter where the space
# is, so it cannot; anything else in it (a group, "|", a class, a quantifier) might.
_LOOKS_BEFORE = re.compile(r"\(\?<[=!](?![a-z](?:[a-z -]|\\s)*\))|\^|\\A")


def _alternatives(pattern: str) -> tuple[list[str], str]:
    """The top-level alternatives of a pattern's source, up to a ")" that closes a group
    it is inside of, and what follows that ")": "a|b(?:c|d))?e" -> ["a", "b(?:c|d)"], "?e"."""
    found, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1  # the escaped character is no syntax
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)  # "[]a]": a "]" first is a character
        elif c == "(":
            depth += 1
        elif c == ")" and depth == 0:
            return [*found, pattern[start:i]], pattern[i + 1 :]
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            found.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*found, pattern[start:]], ""


def _by_first_letter(alternative: str) -> list[tuple[str, str]] | None:
    """(first letter, the rest) for each way `alternative` can start, in the order the
    engine tries them; None when it starts with something else than a letter or a
    group of such alternatives, optional or not."""
    head, after = alternative[:1], alternative[1:2]
    if head.isascii() and head.islower() and after not in ("?", "*", "+", "{"):
        return [(head, alternative[1:])]
    if not alternative.startswith("(?:"):
        return None
    group, rest = _alternatives(alternative[3:])
    if rest[:1] == "?" and rest[1:2] not in ("?", "+"):
        # A greedy optional group is tried first, then skipped.
        options = [option + rest[1:] for option in group] + [rest[1:]]
    elif rest[:1] in ("?", "*", "+", "{"):
        return None
    else:
        options = [option + rest for option in group]
    starts = [_by_first_letter(option) for option in options]
    return None if None in starts else [start for found in starts if found for start in found]


def _first_letter_tree(kinds: dict[str, str]) -> re.Pattern[str] | None:
    """One pattern for every kind's alternatives, grouped under their first letter.

    At each position the engine then tests one letter per group instead of every
    alternative, and within a letter tries the same alternatives in the same order:
    the matches are the same. Each kind closes with an empty group named after it."""
    tree: dict[str, dict[str, list[str]]] = {}
    for kind, pattern in kinds.items():
        if _LOOKS_BEFORE.search(pattern):
            return None  # it could see the space put before the text
        for alternative in _alternatives(pattern)[0]:
            starts = _by_first_letter(alternative)
            if starts is None:
                return None
            for letter, rest in starts:
                tree.setdefault(letter, {}).setdefault(kind, []).append(rest)
    branches = [
        letter
        + "(?:"
        + "|".join(
            f"(?:{'|'.join(rests)})(?![\\w-])(?P<{kind}_{letter}>)"
            for kind, rests in by_kind.items()
        )
        + ")"
        for letter, by_kind in tree.items()
    ]
    return re.compile(r"[^\w-](?:" + "|".join(branches) + ")")


def _any_after_a_gap(pattern: str) -> re.Pattern[str] | None:
    """`words(pattern)` for a yes-or-no search, opening on the gap before a word, with
    its alternatives grouped by first letter (the order they are tried in then does not
    matter); for a lowercased text after a space. None if `pattern` is no list of words."""
    alternatives, rest = _alternatives(pattern)
    if rest or _LOOKS_BEFORE.search(pattern):
        return None  # "a)|(?:b" is not one group; a look before the word may see the space
    tree: dict[str, list[str]] = {}
    others = []
    for alternative in alternatives:
        starts = _by_first_letter(alternative)
        if starts is None:
            others.append(alternative)  # "\w+n't": tried at every gap
        for letter, after in starts or []:
            tree.setdefault(letter, []).append(after)
    branches = [f"{letter}(?:{'|'.join(afters)})" for letter, afters in tree.items()] + others
    return re.compile(r"[^\w-](?:" + "|".join(branches) + _WORD_END)


def _inner(rx: re.Pattern[str]) -> str:
    """What `words()` wrapped: the alternatives between the word boundaries."""
    return rx.pattern.removeprefix(WORD_START + "(?:").removesuffix(_WORD_END)


# The same matches as ANY_TRIGGER's, found from the character before a word (the engine
# skips to one in C) and by first letter: run it on " " + the lowercased text. It takes
# a third of the time. Should a trigger ever be written so that the tree cannot be
# built, each kind is tried whole after the gap (60% of the time).
AFTER_A_GAP = _first_letter_tree({kind: _inner(rx) for kind, rx in TRIGGERS.items()}) or re.compile(
    r"[^\w-](?:"
    + "|".join(f"(?:{_inner(rx)})(?![\\w-])(?P<{kind}_>)" for kind, rx in TRIGGERS.items())
    + ")"
)

# Any blocker at all: the text before most triggers holds none, and then one search
# answers for every kind.
ANY_BLOCKER = words("|".join(_inner(rx) for rx in BLOCKERS.values()))
