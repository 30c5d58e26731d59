"""Which tracked issues an article touches, and how strongly.

An issue's keywords are matched as whole phrases, case-insensitively, hyphens and spaces
alike. Strength is the number of keyword mentions per thousand words, so a passing
reference in a long piece weighs less than the subject of a short one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from matching.mentions import PhraseIndex, tokenize


class IssueLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def keywords(self) -> list[str]: ...


@dataclass(frozen=True)
class IssueTag:
    issue: str
    mentions: int
    per_thousand_words: float


class IssueTagger:
    def __init__(self, issues: Sequence[IssueLike]) -> None:
        self._keywords = PhraseIndex()
        for issue in issues:
            for keyword in issue.keywords:
                self._keywords.add(keyword, issue.id)

    def tag(self, text: str, minimum: int = 1) -> list[IssueTag]:
        """Issues with at least `minimum` keyword mentions, strongest first."""
        tokens = tokenize(text)
        counts = Counter(label for _, _, label in self._keywords.scan(text, tokens))
        words = max(1, sum(1 for t in tokens if t.word.isalnum()))
        tags = [
            IssueTag(issue, n, round(1000 * n / words, 1))
            for issue, n in counts.items()
            if n >= minimum
        ]
        return sorted(tags, key=lambda t: (-t.mentions, t.issue))
