"""Stated dates ("in August 2022", "last November", "on Aug. 5") resolved to ISO.

The result keeps the precision the text gives: "2022", "2022-08" or "2022-08-05".
Relative expressions are resolved against the article's published date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from matching.lexicon import lowercase_twin, reads_the_same_lowercased

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = [
    (
        "day",
        re.compile(
            _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I
        ),
    ),
    ("month", re.compile(r"\b" + _MONTH + r"\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("last_month", re.compile(r"\blast\s+" + _MONTH + r"\b", re.I)),
    ("in_month", re.compile(r"\b(?:in|since|during)\s+" + _MONTH + r"(?!\s+\d)\b", re.I)),
    # a timeline's entry headed by a month: "August: Beijing freezes …"
    ("head_month", re.compile(r"^\W*" + _MONTH + r"(?=\s*:)", re.I)),
    ("year", re.compile(r"\b(?:in|since|during)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier|later)\s+this\s+month\b|\bthis\s+month\b", re.I)),
    ("last_month_rel", re.compile(r"\blast\s+month\b", re.I)),
    ("next", re.compile(r"\bnext\s+(?P<unit>week|month|year)\b", re.I)),
    ("next_weekday", re.compile(r"\bnext\s+(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)),
    ("this_week", re.compile(r"\b(?:this|last)\s+week\b|\btoday\b|\byesterday\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)),
    ("this_year", re.compile(r"\b(?:earlier\s+)?this\s+year\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
]

# Words each kind cannot match without one of: most sentences name no date, and a look
# for a word is much cheaper than a pattern's search. The kinds that read a month need
# one of the months' first three letters.
_NEEDS = {
    "year": ("19", "20"),
    "this_week": ("week", "day"),  # "today", "yesterday" too
    "next": ("next",),
    "next_weekday": ("next",),
    "weekday": ("day",),
    "this_month": ("month",),
    "last_month_rel": ("month",),
    "this_year": ("year",),
    "last_year": ("year",),
}
_MONTH_STEMS = tuple(sorted({name[:3] for name in MONTHS}))
# In lowercase text, with the words each kind needs one of (None: a month's).
_LOWERCASE_PATTERNS = [
    (
        kind,
        lowercase_twin(pattern) or pattern,
        None if "month" in pattern.groupindex else _NEEDS[kind],
    )
    for kind, pattern in _PATTERNS
]


def period_start(when: str) -> date:
    """The first day a partial ISO date can mean: "2022-08" -> 2022-08-01."""
    parts = [int(p) for p in when.split("-")]
    parts += [1] * (3 - len(parts))
    return date(parts[0], parts[1], parts[2])


def find_dates(text: str, published: date | None) -> list[tuple[int, int, str]]:
    """Every date expression in `text` as (start, end, iso), first match per position."""
    found: list[tuple[int, int, str]] = []
    taken: list[range] = []
    patterns = _PATTERNS
    if reads_the_same_lowercased(text):  # the same dates, found twice as fast
        text = text.lower()
        month = any(stem in text for stem in _MONTH_STEMS)
        patterns = [
            (kind, pattern)
            for kind, pattern, words in _LOWERCASE_PATTERNS
            if (month if words is None else any(word in text for word in words))
        ]
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            if any(match.start() in span or match.end() - 1 in span for span in taken):
                continue
            iso = _resolve(kind, match, published)
            if iso:
                found.append((match.start(), match.end(), iso))
                taken.append(range(match.start(), match.end()))
    return sorted(found)


def _resolve(kind: str, match: re.Match[str], published: date | None) -> str | None:
    groups = match.groupdict()
    month = MONTHS.get(_plain(groups.get("month") or "").rstrip("."))
    if kind == "day":
        year = int(groups["year"]) if groups.get("year") else _year_before(published, month)
        if year is None or month is None:
            return None
        try:
            return date(year, month, int(groups["day"])).isoformat()
        except ValueError:
            return None
    if kind == "month":
        return f"{int(groups['year']):04d}-{month:02d}"
    if kind == "year":
        return groups["year"]
    if published is None:
        return None
    if kind in ("last_month", "in_month", "head_month"):
        year = _year_before(published, month, strictly=kind == "last_month")
        return f"{year:04d}-{month:02d}" if year and month else None
    if kind == "this_month":
        return f"{published:%Y-%m}"
    if kind == "last_month_rel":
        first = published.replace(day=1) - timedelta(days=1)
        return f"{first:%Y-%m}"
    if kind == "next":
        unit = groups["unit"].lower()
        if unit == "week":
            return (published + timedelta(days=7)).isoformat()
        if unit == "month":
            following = published.replace(day=28) + timedelta(days=4)
            return f"{following:%Y-%m}"
        return f"{published.year + 1:04d}"
    if kind == "this_week":
        return published.isoformat()
    if kind == "next_weekday":  # "next Monday": the first one after the published day
        ahead = (WEEKDAYS.index(_plain(groups["weekday"])) - published.weekday() - 1) % 7 + 1
        return (published + timedelta(days=ahead)).isoformat()
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(_plain(groups["weekday"]))) % 7
        return (published - timedelta(days=back)).isoformat()
    if kind == "this_year":
        return f"{published.year:04d}"
    if kind == "last_year":
        return f"{published.year - 1:04d}"
    return None


def _plain(word: str) -> str:
    """A month's or weekday's name as the lists spell it. IGNORECASE also matches "ſ" for
    "s", "ı" and "İ" for "i", which lowercasing alone keeps ("Tueſday" is a Tuesday)."""
    return word.lower().replace("ſ", "s").replace("ı", "i").replace("i\u0307", "i")


def _year_before(published: date | None, month: int | None, strictly: bool = False) -> int | None:
    """The year of the most recent `month` on or before the published date."""
    if published is None or month is None:
        return None
    if month < published.month or (month == published.month and not strictly):
        return published.year
    return published.year - 1
