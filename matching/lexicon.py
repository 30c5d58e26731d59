"""The words the detector reads by: triggers, the nouns that make a channel, and cues.

Language lives here; the catalog (which channels exist, their aliases and topics) lives
in sources.yaml. Each pattern is a regular expression fragment matched case-insensitively
on word boundaries.
"""

from __future__ import annotations

import re

SUSPENDED, RESUMED = "suspended", "resumed"


def words(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE)


# State-change triggers. A trigger is "nominal" when it is a noun ("the suspension of").
TRIGGERS = {
    SUSPENDED: words(
        r"suspend(?:ed|s|ing)?|suspensions?|cancel(?:l?ed|s|l?ing)?|cancell?ations?"
        r"|halt(?:ed|s|ing)?|froze|frozen|freez(?:e|es|ing)|scrap(?:ped|s|ping)?"
        r"|discontinu(?:e|ed|es|ing)|(?:put|placed)\s+on\s+(?:hold|ice)|on\s+ice"
        r"|cut(?:s|ting)?\s+(?:(?:it|them|those|these|that|this)\s+)?off|cut-off"
        r"|call(?:s|ed|ing)?\s+(?:(?:it|them)\s+)?off|bro(?:ke|ken)\s+(?:(?:it|them)\s+)?off|break(?:s|ing)?\s+off"
        r"|sever(?:ed|s|ing)?|(?:fallen|fell|falls|fall)\s+into\s+abeyance|in\s+abeyance"
        r"|terminat(?:ed|es|e|ing)|shut\s+down"
        r"|cut(?=\s+(?:\w+\s+){0,3}(?:channels?|talks|dialogues?|contacts|communications|cooperation|ties)\b)"
    ),
    RESUMED: words(
        r"resum(?:e|ed|es|ing|ption)|restart(?:ed|s|ing)?|re-start(?:ed)?"
        r"|restor(?:e|ed|es|ing|ation)|reviv(?:e|ed|es|ing|al)|re-?open(?:ed|s|ing)?"
        r"|re-?establish(?:ed|es|ing|ment)?|re-?launch(?:ed|es|ing)?|launch(?:ed|es|ing)?"
        r"|establish(?:ed|es|ing|ment)?|set\s+up|back\s+on\s+track|reinstat(?:e|ed|es|ing)"
        r"|reactivat(?:e|ed|es|ing)|re-?engag(?:e|ed|es|ing|ement)|unfroze|unfrozen|thaw(?:ed)?"
        r"|(?:for\s+)?the\s+first\s+(?:[\w'’-]+\s+){0,7}?since"
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
    r"talks?|dialogues?|channels?|cooperation|working\s+groups?|consultations?|meetings?|exchanges?"
    r"|contacts?|communications?|mechanisms?|calls?|conversations?|negotiations?|discussions?|met"
)
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
}

# An anaphor standing for channels named in the one or two sentences before.
ANAPHOR = words(
    r"(?:these|those|such|the|both|all|their|its|this|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:talks|dialogues?|channels?|mechanisms?|exchanges|consultations|contacts|communications"
    r"|cooperation|working\s+groups?|calls|meetings|lines?)"
    r"|(?:dialogues?|talks|channels?|cooperation|working\s+groups?)\s+on\s+(?:these|those|both|the\s+two)\s+(?:issues|fronts|areas|topics|matters)"
    r"|both(?=\s+(?:were|was|have|had|are|remain))|them|it|they"
)

# Cues that make a trigger something other than a report of fact, by kind.
BLOCKERS: dict[str, re.Pattern[str]] = {
    "negation": words(
        r"not|never|no\s+longer|yet\s+to|(?:fail|refus|declin)(?:ed|es|ing|e|s)?\s+to|without|nor|neither"
        r"|\w+n't|cannot|no\s+(?:sign|plans?|date|progress|timeline|move)s?|den(?:y|ies|ied|ying)"
        r"|rejected\s+(?:reports|claims)|rather\s+than|instead\s+of|far\s+from|stopp(?:ed|ing)\s+short\s+of"
    ),
    "modal": words(
        r"could|might|would|will|shall|can|may(?!\s+(?:\d|of\b))|'ll|likely|unlikely|probably|possibly|perhaps"
    ),
    "recommendation": words(
        r"should|must|ought\s+to|need(?:s|ed)?\s+to|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:for|on)"
        r"|recommend\w*|press(?:es|ed|ing)?\s+for|push(?:es|ed|ing)?\s+for|it\s+is\s+time|demand\w*"
        r"|advocat\w*|encourag\w*|appeal\w*|insist\w*|wiser|best\s+course"
    ),
    "hope_plan": words(
        r"hop(?:e|es|ed|ing)|plan(?:s|ned|ning)?|seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|intend\w*"
        r"|want(?:s|ed|ing)?|expect\w*|set\s+to|efforts?\s+to|propos\w*|prepar\w+\s+to"
        r"|look(?:s|ed|ing)?\s+forward|wish\w*|eager|tr(?:y|ies|ying|ied)\s+to|attempt\w*|willing"
        r"|ready\s+to|consider\w*|explor\w*|scheduled|slated|due\s+to|pledg\w*|promis\w*|vow\w*|offer\w*\s+to|keen"
        r"|work(?:s|ed|ing)?\s+toward|toward(?:s)?|aimed\s+at|in\s+order\s+to"
    ),
    "conditional": words(r"if|unless|whether|in\s+case|provided\s+that|once|until|lest"),
    "generic": words(
        r"track\s+record|tend(?:s|ed)?\s+to|typically|usually|often|routinely|habitually|whenever"
        r"|every\s+time|each\s+time|as\s+a\s+rule|history\s+of|pattern\s+of|habit\s+of"
    ),
}
# A decision reports a fact even in the infinitive: "agreed to resume".
AGREED = words(r"agree[sd]?|agreeing|decided|decides|moved|voted|began|started|resolved|announced")
PSEUDO_NEGATION = words(
    r"not\s+only|not\s+just|no\s+sooner|not\s+least|not\s+long\s+after|nothing\s+less"
)
NO_LONGER = words(r"no\s+longer")
STILL_STATE = words(r"remain(?:s|ed|ing)?|still|continu(?:e|es|ed)\s+to\s+be|stay(?:s|ed)?")
# "Had the two sides restored …", "Were Beijing to freeze …": a condition, inverted.
INVERTED_CONDITION = re.compile(r"^\s*(?:had|were|should)\s+\w+", re.IGNORECASE)

# Clause boundaries: a cue does not reach across these.
CLAUSE = re.compile(
    r";|:|—|–|\s-\s|,\s+(?:but|while|whereas|although|though|and|yet|so)\b|\b(?:but|while|whereas|although|though)\b",
    re.IGNORECASE,
)
# Background is introduced by an appositive right after the channel's name ("the talks,
# suspended in 2022, …"), a relative clause ("that China called off") or an earlier "had".
APPOSITIVE = re.compile(
    r"\s*,\s*(?:(?:which|that|who)\s+(?:[\w.'’-]+\s+){0,4}?)?"
    r"(?:(?:was|were|had\s+been|has\s+been|have\s+been|had|been)\s+)?",
    re.IGNORECASE,
)
RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:which|that)\s+(?:[\w.'’-]+\s+){0,4}?(?:had\s+|has\s+|have\s+)?(?:been\s+)?"
    r"|\bafter\s+(?:[\w.'’-]+\s+){0,3}?had\s+(?:been\s+)?)$",
    re.IGNORECASE,
)
# A relative clause has its own predicate: cues before ", which" do not reach into it.
RELATIVE_START = re.compile(r",\s*(?:which|who)\b", re.IGNORECASE)
