"""A per-input deadline for property tests, counted in CPU time rather than on the clock.

What the deadline is for, a hang or a pathological regex, spins the CPU: it shows in
the test thread's CPU time on any machine. A machine busy with other work only stretches
the wall clock, which hypothesis's own `deadline` reads: an input taking 7 ms once took
3.9 s under load and failed the suite. Like hypothesis's, this deadline judges an input
once it has run; it does not interrupt one.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec

P = ParamSpec("P")


def cpu_deadline(seconds: float) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Fail the test for any input that takes more than `seconds` of its thread's CPU.
    Goes under `@given`, with hypothesis's own deadline off (`deadline=None`)."""

    def decorate(test: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(test)
        def timed(*args: P.args, **kwargs: P.kwargs) -> None:
            start = time.thread_time()
            test(*args, **kwargs)
            used = time.thread_time() - start
            assert used <= seconds, f"{used:.2f} s of CPU for one input, over {seconds} s"

        return timed

    return decorate
