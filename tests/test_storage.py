"""State folding (pure) and the tables (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, select

import storage
from matching import Detector
from matching import Event as Detected
from storage import Alert, Article, ChannelState, Report, Transition, fold

REPO = Path(__file__).resolve().parents[1]


def test_first_report_sets_the_state() -> None:
    folded = fold("unknown", None, [Report("suspended", "2022-08", "e1")])
    assert (folded.state, folded.since, folded.evidence, folded.changed) == (
        "suspended",
        "2022-08",
        "e1",
        True,
    )


def test_older_report_is_history_and_does_not_flip_a_newer_state() -> None:
    folded = fold(
        "active", "2023-11-15", [Report("suspended", "2022-08-05", "old")], evidence="current"
    )
    assert (folded.state, folded.since, folded.evidence, folded.changed) == (
        "active",
        "2023-11-15",
        "current",
        False,
    )


def test_one_article_folds_to_one_net_change_in_time_order() -> None:
    reports = [Report("resumed", "2023-11", "r"), Report("suspended", "2022-08", "s")]
    folded = fold("unknown", None, reports)
    assert (folded.previous, folded.state, folded.since, folded.evidence) == (
        "unknown",
        "active",
        "2023-11",
        "r",
    )
    back_and_forth = fold("active", "2021", reports)
    assert not back_and_forth.changed  # active before and after: no alert
    assert back_and_forth.since == "2023-11"  # but active since the latest resumption


def test_the_surest_report_of_a_day_stands_as_evidence() -> None:
    reports = [
        Report("resumed", "2023-11-14", "explicit", 0.9),
        Report("resumed", "2023-11-14", "topic", 0.85),
    ]
    assert fold("suspended", "2022-08", reports).evidence == "explicit"
    tied = [
        Report("resumed", "2023-11-14", "lede", 0.9),
        Report("resumed", "2023-11-14", "later", 0.9),
    ]
    assert fold("suspended", "2022-08", tied).evidence == "lede"


def test_the_report_that_made_the_change_stays_its_evidence() -> None:
    reports = [
        Report("resumed", "2023-11-14", "restarted", 0.9),
        Report("resumed", "2023-11-20", "later detail", 0.9),
    ]
    folded = fold("suspended", "2022-08", reports)
    assert (folded.since, folded.evidence) == ("2023-11-14", "restarted")


def test_same_state_report_refreshes_evidence_without_a_change() -> None:
    folded = fold(
        "suspended", "2022-08", [Report("suspended", "2023-01", "newer")], evidence="older"
    )
    assert not folded.changed and folded.evidence == "newer" and folded.since == "2022-08"


# --- database -------------------------------------------------------------------------


def test_migrations_build_exactly_the_models_schema(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert "alembic_version" in inspect(engine).get_table_names()
    storage.open_database(db_url)  # a second open is a no-op upgrade


def event(channel: str, kind: str, occurred: str | None = None) -> Detected:
    cues = (f"alias '{channel}'", f"trigger '{kind}'")
    return Detected(
        channel, kind, f"{channel} was {kind}.", 0, 10, 0.9, occurred, f"{kind}:verb", cues
    )


def add(session: Session, key: str, published: datetime) -> Article:
    article = storage.add_article(
        session,
        Article(source_id="s", entry_key=key, url=f"https://x/{key}", published_at=published),
    )
    session.flush()
    return article


def test_detection_writes_transitions_and_their_alerts_together(db_url: str) -> None:
    engine = storage.open_database(db_url)
    routes = {"climate": ["email", "slack"], "mil_mil": ["email"]}
    with Session(engine) as session:
        first = add(session, "a1", datetime(2022, 8, 5, tzinfo=UTC))
        made = storage.apply_detection(
            session, first, [event("climate", "suspended"), event("mil_mil", "suspended")], routes
        )
        session.commit()
        assert [(t.channel, t.from_state, t.to_state, t.since) for t in made] == [
            ("climate", "unknown", "suspended", "2022-08-05"),
            ("mil_mil", "unknown", "suspended", "2022-08-05"),
        ]
        assert sorted((a.route, a.status) for a in session.exec(select(Alert))) == [
            ("email", "pending"),
            ("email", "pending"),
            ("slack", "pending"),
        ]
        assert storage.articles_to_detect(session) == []
        stored = session.exec(select(storage.Event).where(storage.Event.channel == "climate")).one()
        assert (stored.rule, stored.cues) == (
            "suspended:verb",
            ["alias 'climate'", "trigger 'suspended'"],
        )

        # A later article re-telling the 2022 suspension changes nothing, alerts nothing.
        later = add(session, "a2", datetime(2023, 1, 1, tzinfo=UTC))
        assert (
            storage.apply_detection(
                session, later, [event("climate", "suspended", "2022-08")], routes
            )
            == []
        )
        # A resumption does.
        third = add(session, "a3", datetime(2023, 11, 15, tzinfo=UTC))
        [resumed] = storage.apply_detection(session, third, [event("climate", "resumed")], routes)
        session.commit()
        assert (resumed.from_state, resumed.to_state) == ("suspended", "active")
        assert len(session.exec(select(Alert)).all()) == 5
        state = session.get(ChannelState, "climate")
        assert state is not None and (state.state, state.since) == ("active", "2023-11-15")


def test_an_agreement_to_resume_next_year_does_not_hide_a_suspension_before_then(
    db_url: str, detector: Detector
) -> None:
    """A passage dates what it reports by when it was done, never by a plan: read as
    "next year", the agreement would make the suspension three weeks later look older
    than it, and that suspension would never be alerted."""
    engine = storage.open_database(db_url)
    routes = {"climate": ["email"]}
    with Session(engine) as session:
        for key, day, text in (
            (
                "c1",
                datetime(2026, 12, 2, tzinfo=UTC),
                "The two sides agreed on Monday to resume the climate talks next year.",
            ),
            (
                "c2",
                datetime(2026, 12, 22, tzinfo=UTC),
                "China suspended the climate talks on Monday.",
            ),
        ):
            article = add(session, key, day)
            storage.apply_detection(session, article, detector.detect(text, day.date()), routes)
            session.commit()
        changes = session.exec(select(Transition).order_by(Transition.id)).all()
        assert [(t.to_state, t.since) for t in changes] == [
            ("active", "2026-11-30"),
            ("suspended", "2026-12-21"),
        ]
        assert len(session.exec(select(Alert)).all()) == 2


def test_baseline_records_transitions_without_alerts(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        article = add(session, "b1", datetime(2022, 8, 5, tzinfo=UTC))
        [t] = storage.apply_detection(
            session, article, [event("climate", "suspended")], {"climate": ["email"]}, baseline=True
        )
        session.commit()
        assert t.baseline
        assert session.exec(select(Alert)).all() == []
        assert session.exec(select(Transition)).one().to_state == "suspended"


def test_each_attempt_is_logged_and_a_failure_backs_off_until_given_up(db_url: str) -> None:
    engine = storage.open_database(db_url)
    retry = storage.RetryPolicy(max_attempts=3, first_wait=timedelta(minutes=5))
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with Session(engine) as session:
        article = add(session, "c1", datetime(2022, 8, 5, tzinfo=UTC))
        storage.apply_detection(
            session, article, [event("climate", "suspended")], {"climate": ["email", "slack"]}
        )
        session.commit()
        [email] = storage.outbox.due_alerts(session, "email", now)
        [slack] = storage.outbox.due_alerts(session, "slack", now)
        assert [
            (b.event.sentence, b.article.url) for b in storage.backing(session, email.transition_id)
        ] == [("climate was suspended.", "https://x/c1")]
        storage.outbox.record_attempt(session, [email], None, now=now, retry=retry)
        storage.outbox.record_attempt(session, [slack], "HTTP 500", now=now, retry=retry)
        session.commit()
        assert storage.outbox.due_alerts(session, "email", now) == []
        # Not due again until its wait is over: 5 minutes, then 10.
        assert storage.outbox.due_alerts(session, "slack", now + timedelta(minutes=4)) == []
        [again] = storage.outbox.due_alerts(session, "slack", now + timedelta(minutes=5))
        storage.outbox.record_attempt(
            session, [again], "HTTP 500", now=now + timedelta(minutes=5), retry=retry
        )
        assert again.next_attempt_at == now + timedelta(minutes=15)
        storage.outbox.record_attempt(
            session, [again], "HTTP 502", now=now + timedelta(minutes=15), retry=retry
        )
        session.commit()
        assert (again.status, again.attempts, again.last_error) == ("failed", 3, "HTTP 502")
        assert storage.outbox.due_alerts(session, "slack", now + timedelta(days=9)) == []
        log = session.exec(select(storage.Delivery).order_by(storage.Delivery.id)).all()
        assert [(d.route, d.outcome) for d in log] == [
            ("email", "delivered"),
            ("slack", "failed"),
            ("slack", "failed"),
            ("slack", "failed"),
        ]
        assert (
            log[-1].detail == "HTTP 502 (last try)" and log[-1].transition_id == slack.transition_id
        )
        # An operator sends it again: a fresh set of tries, due at once.
        assert storage.outbox.retry_failed(session) == [again]
        assert storage.outbox.due_alerts(session, "slack", now + timedelta(days=9)) == [again]


def test_poll_state_keeps_validators_and_counts_errors(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        state = storage.source_state(session, "s", "https://x/feed")
        storage.record_poll(
            session,
            state,
            status=200,
            error=None,
            etag='"v1"',
            last_modified="Fri, 05 Aug 2022 14:00:00 GMT",
        )
        session.commit()
        state = storage.source_state(session, "s", "https://x/feed")
        storage.record_poll(session, state, status=None, error="timed out")
        session.commit()
        state = storage.source_state(session, "s", "https://x/feed")
        assert (state.etag, state.consecutive_errors, state.last_error) == ('"v1"', 1, "timed out")
        moved = storage.source_state(session, "s", "https://y/feed")
        assert moved.etag is None  # validators belong to the old URL


def test_a_late_page_replaces_the_feed_text_and_adds_only_new_events(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        article = add(session, "p1", datetime(2022, 8, 5, tzinfo=UTC))
        storage.apply_detection(
            session, article, [event("climate", "suspended")], {"climate": ["email"]}
        )
        session.commit()
        storage.record_page(session, article.id, text="The whole page.", title="T", author="A")  # type: ignore[arg-type]
        session.commit()
        [again] = storage.articles_to_detect(session)
        assert (again.text, again.text_origin, again.author) == ("The whole page.", "page", "A")
        more = [event("climate", "suspended"), event("mil_mil", "suspended")]
        storage.apply_detection(session, again, more, {"climate": ["email"], "mil_mil": ["email"]})
        session.commit()
        events = session.exec(select(storage.Event).order_by(storage.Event.id)).all()
        assert [e.channel for e in events] == ["climate", "mil_mil"]  # climate's not stored twice
        assert len(session.exec(select(Alert)).all()) == 2


def test_a_history_article_moves_states_without_alerting(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        old = storage.add_article(
            session,
            Article(
                source_id="s",
                entry_key="h1",
                url="https://x/h1",
                history=True,
                published_at=datetime(2023, 11, 15, tzinfo=UTC),
            ),
        )
        session.flush()
        [t] = storage.apply_detection(
            session, old, [event("climate", "resumed")], {"climate": ["email"]}
        )
        session.commit()
        assert t.baseline and session.exec(select(Alert)).all() == []
        assert session.get_one(ChannelState, "climate").state == "active"


def test_feed_health_alerts_once_per_outage_and_once_on_recovery(db_url: str) -> None:
    engine = storage.open_database(db_url)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    day = timedelta(days=1)

    def poll(at: datetime, error: str | None) -> list[str]:
        with Session(engine) as session:
            state = storage.source_state(session, "s", "https://x/feed")
            storage.record_poll(session, state, status=503 if error else 200, error=error, now=at)
            changes = storage.raise_health_alerts(
                session, ["s"], ["email", "slack"], failing_for=day, now=at
            )
            session.commit()
            return [c.kind for c in changes]

    assert poll(start, "HTTP 503") == []
    assert poll(start + day / 2, "HTTP 503") == []
    assert poll(start + day, "HTTP 503") == ["feed_failing"]
    assert poll(start + 2 * day, "HTTP 503") == []  # not again for the same outage
    assert poll(start + 3 * day, None) == ["feed_recovered"]
    assert poll(start + 4 * day, None) == []
    with Session(engine) as session:
        email = storage.outbox.due_alerts(session, "email", start + 5 * day)
        assert [(a.kind, a.source_id) for a in email] == [
            ("feed_failing", "s"),
            ("feed_recovered", "s"),
        ]
        assert (
            email[0].detail
            and "failing since 2026-11-01 00:00 UTC (3 failed polls in a row)" in email[0].detail
        )
        assert len(storage.outbox.due_alerts(session, "slack", start + 5 * day)) == 2


def test_one_cycle_at_a_time_per_database(db_url: str) -> None:
    engine = storage.open_database(db_url)
    other = storage.open_database(db_url)  # another process's engine, as far as locks go
    with (
        storage.cycle_lock(engine),
        pytest.raises(storage.CycleRunning, match="another cycle is running"),
        storage.cycle_lock(other),
    ):
        pass
    with (  # a migration waits for the lock, but not for ever
        storage.cycle_lock(engine),
        pytest.raises(storage.CycleRunning, match="another cycle is running"),
        storage.cycle_lock(other, wait=0.3),
    ):
        pass
    with storage.cycle_lock(other):  # released when the holder's cycle ends
        pass
    engine.dispose()
    other.dispose()


def test_two_processes_starting_at_once_on_postgresql_migrate_once(
    postgres_url: str, postgres_server: str
) -> None:
    """Both find an empty database and wait for the lock; when it is free, one migrates and
    the other finds the schema up to date. Neither fails on the other's tables."""
    holder = create_engine(postgres_url)  # a cycle of an older release, say, holds the lock
    start = [
        sys.executable,
        "-c",
        "import logging, sys; logging.basicConfig(level=logging.INFO, format='%(message)s');"
        "import storage; storage.open_database(sys.argv[1]).dispose()",
        postgres_url,
    ]
    with storage.cycle_lock(holder):
        starting = [
            subprocess.Popen(start, cwd=REPO, stderr=subprocess.PIPE, text=True) for _ in range(2)
        ]
        assert wait_until(
            lambda: (
                waiting_for_the_lock(postgres_server, postgres_url) == 2
                or any(p.poll() is not None for p in starting)
            )
        )
        assert all(p.poll() is None for p in starting), "a process did not wait for the lock"
    logs = [p.communicate(timeout=120)[1] for p in starting]
    assert [p.returncode for p in starting] == [0, 0], logs
    upgraded = [log for log in logs if "database schema upgraded from empty to" in log]
    assert len(upgraded) == 1, logs
    with holder.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
    holder.dispose()


def waiting_for_the_lock(dsn: str, url: str) -> int:
    """Connections to the database at `url` waiting for an advisory lock."""
    with psycopg.connect(dsn, autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
            " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s",
            (make_url(url).database,),
        ).fetchone()
    return row[0] if row else 0


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
