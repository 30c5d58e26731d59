"""The dxf round: a channel beside a state word that is no event of it, and the
punctuation and objects that tell which."""

from __future__ import annotations

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
