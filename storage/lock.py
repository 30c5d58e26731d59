"""One cycle at a time per database, across processes and machines.

A cycle that starts while another runs on the same database is turned away at once
rather than made to wait: the running cycle is already polling the same feeds, so a
waiting one would only repeat its work, and the next scheduled cycle comes soon
anyway. A schema migration does wait for the lock (storage/db.py): two processes
starting at once must not both migrate, nor may one migrate under a running cycle.
The lock dies with its holder (a closed connection, a closed file), so a crashed
cycle never blocks the ones after it.

- PostgreSQL: a session-level advisory lock, held on a connection of its own for the
  whole cycle; every process and machine using the database sees it.
- SQLite: an exclusive `flock` on a file beside the database; every process on the
  machine sees it (SQLite is one machine's database anyway).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

# Any fixed 64-bit number; it names "the channelwatch cycle" among the database's locks.
ADVISORY_KEY = 0x63_77_63_79_63_6C_65  # "cwcycle"
POLL = 0.2  # seconds between tries while waiting for the lock


class CycleRunning(Exception):
    """Another cycle holds the lock on this database."""


@contextmanager
def cycle_lock(engine: Engine, wait: float = 0) -> Iterator[None]:
    """Hold the cycle lock for the `with` block. If it is taken, wait up to `wait`
    seconds for it, then raise CycleRunning."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        with _advisory_lock(engine, wait):
            yield
    elif backend == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(engine.url.database), wait):
            yield
    else:  # an in-memory database belongs to one process: nothing can overlap
        yield


@contextmanager
def _advisory_lock(engine: Engine, wait: float) -> Iterator[None]:
    # Autocommit, so holding the lock for a long cycle leaves no transaction open.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not _take_advisory_lock(connection, wait):
            raise CycleRunning(
                f"another cycle is running on database {engine.url.database!r} "
                "(it holds the channelwatch advisory lock); this cycle did nothing"
            )
        try:
            yield
        finally:
            connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})


def _take_advisory_lock(connection: Connection, wait: float) -> bool:
    if not wait:
        return bool(
            connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        )
    # PostgreSQL waits for the lock itself, up to lock_timeout.
    connection.execute(text(f"SET lock_timeout = {int(wait * 1000)}"))
    try:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == "55P03":  # lock_not_available
            return False
        raise
    finally:
        connection.execute(text("RESET lock_timeout"))  # the connection goes back to the pool
    return True


@contextmanager
def _file_lock(database: Path, wait: float) -> Iterator[None]:
    path = database.with_name(database.name + ".cycle-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _take_file_lock(descriptor, deadline=time.monotonic() + wait):
            raise CycleRunning(
                f"another cycle is running on {database} "
                f"(it holds {path.name}); this cycle did nothing"
            )
        yield  # closing the descriptor releases the lock, here or when the process dies
    finally:
        os.close(descriptor)


def _take_file_lock(descriptor: int, deadline: float) -> bool:
    # flock itself waits without a time limit, so tries are repeated until the deadline.
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
