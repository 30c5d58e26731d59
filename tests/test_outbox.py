"""What a report becomes: corroboration, confirmation, flapping, corrections, and the
outbox rows that carry them (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

import storage
from matching import Event as Detected
from storage import Alert, Article, ChannelState, Policy, Transition
from storage.folding import combined, days_apart

ROUTES = {"climate": ["email", "slack"], "mil_mil": ["email", "slack"]}
POLICY = Policy(min_confidence=0.85, min_publishers=2, corroboration_days=14, flap_days=7)


def report(
    channel: str, kind: str, confidence: float = 0.9, occurred: str | None = None
) -> Detected:
    return Detected(
        channel,
        kind,
        f"{channel} was {kind} ({confidence}).",
        0,
        10,
        confidence,
        occurred,
        f"{kind}:verb",
        (f"alias '{channel}'",),
    )


class Desk:
    """Articles arriving from publishers, read into one database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0

    def read(
        self, publisher: str, published: str, *events: Detected, baseline: bool = False
    ) -> list[Transition]:
        self.count += 1
        article = Article(
            source_id=publisher,
            entry_key=f"e{self.count}",
            url=f"https://{publisher}.example/{self.count}",
            title=f"Article {self.count}",
            published_at=datetime.fromisoformat(published).replace(tzinfo=UTC),
        )
        self.session.add(article)
        self.session.flush()
        made = storage.apply_detection(
            self.session, article, events, ROUTES, baseline=baseline, policy=POLICY
        )
        self.session.commit()
        return made

    def alerts(self, **where: object) -> list[tuple[str, str, str]]:
        rows = self.session.exec(select(Alert).order_by(Alert.id)).all()
        return [
            (a.kind, a.route, a.status)
            for a in rows
            if all(getattr(a, k) == v for k, v in where.items())
        ]

    def deliver_all(self) -> None:
        for alert in self.session.exec(select(Alert).where(Alert.status == "pending")):
            storage.outbox.record_attempt(self.session, [alert], None)
        self.session.commit()


def test_dates_compare_as_the_periods_they_can_mean() -> None:
    assert days_apart("2022-08", "2022-08-05") == 0
    assert days_apart("2022-08-05", "2022-08-19") == 14
    assert days_apart("2022", "2023-01-10") == 10
    assert combined([("a", 0.9), ("a", 0.6), ("b", 0.5)]) == (0.95, 2)


def test_ten_articles_on_one_change_are_one_alert_with_ten_pieces_of_evidence(
    db_url: str,
) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read("usip", "2022-08-05", report("climate", "suspended"))
        publishers = [
            "csis",
            "cfr",
            "brookings",
            "carnegie",
            "usip",
            "csis",
            "rand",
            "wilson",
            "cfr",
        ]
        for publisher in publishers:
            assert desk.read(publisher, "2022-08-06", report("climate", "suspended", 0.8)) == []
        assert desk.alerts() == [("channel", "email", "pending"), ("channel", "slack", "pending")]
        backing = storage.backing(session, change.id)
        assert len(backing) == 10
        assert session.get_one(Transition, change.id).publishers == 7
        # Each article backs the change once, however many times it tells it.
        desk.read(
            "rand",
            "2022-08-07",
            report("climate", "suspended"),
            report("climate", "suspended", 0.7),
        )
        assert len(storage.backing(session, change.id)) == 11


def test_a_report_of_a_long_standing_state_is_not_corroboration(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read("usip", "2022-08-05", report("climate", "suspended"))
        desk.read("csis", "2023-03-01", report("climate", "suspended"))  # "remain suspended"
        assert len(storage.backing(session, change.id)) == 1
        assert desk.alerts() == [("channel", "email", "pending"), ("channel", "slack", "pending")]


def test_a_provisional_change_is_confirmed_by_a_second_publisher_once(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read("usip", "2023-11-15", report("mil_mil", "resumed", 0.65))
        assert change.status == "provisional"
        desk.deliver_all()  # told as unconfirmed
        # The same publisher again is not independent: still provisional.
        desk.read("usip", "2023-11-16", report("mil_mil", "resumed", 0.65))
        assert session.get_one(Transition, change.id).status == "provisional"
        desk.read("csis", "2023-11-16", report("mil_mil", "resumed", 0.7))
        confirmed = session.get_one(Transition, change.id)
        assert (confirmed.status, confirmed.publishers) == ("confirmed", 2)
        assert desk.alerts(kind="confirmed") == [
            ("confirmed", "email", "pending"),
            ("confirmed", "slack", "pending"),
        ]
        desk.read("cfr", "2023-11-17", report("mil_mil", "resumed"))
        assert len(desk.alerts(kind="confirmed")) == 2  # confirmed once


def test_a_change_corroborated_before_its_alert_went_out_needs_no_second_message(
    db_url: str,
) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read("usip", "2023-11-15", report("mil_mil", "resumed", 0.65))
        desk.read("csis", "2023-11-15", report("mil_mil", "resumed", 0.65))
        assert session.get_one(Transition, change.id).status == "confirmed"
        assert desk.alerts() == [("channel", "email", "pending"), ("channel", "slack", "pending")]


def test_a_quick_reversal_is_one_unstable_notice_not_alternating_alerts(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        desk.read("usip", "2023-01-10", report("climate", "suspended"))
        desk.deliver_all()
        [resumed] = desk.read("csis", "2023-11-15", report("climate", "resumed"))
        assert not resumed.unstable
        [again] = desk.read("cfr", "2023-11-18", report("climate", "suspended"))
        assert again.unstable
        # The resumption's alerts had not gone out: the one notice stands for both.
        assert desk.alerts(transition_id=resumed.id) == [
            ("channel", "email", "superseded"),
            ("channel", "slack", "superseded"),
        ]
        assert desk.alerts(transition_id=again.id) == [
            ("unstable", "email", "pending"),
            ("unstable", "slack", "pending"),
        ]
        [third] = desk.read("rand", "2023-11-20", report("climate", "resumed"))
        assert third.unstable and desk.alerts(transition_id=third.id) == []
        assert session.get_one(ChannelState, "climate").state == "active"  # folding goes on
        # Once it holds past the window, a change is news again.
        [settled] = desk.read("wilson", "2024-02-01", report("climate", "suspended"))
        assert not settled.unstable
        assert [a[0] for a in desk.alerts(transition_id=settled.id)] == ["channel", "channel"]


def test_baseline_changes_are_corroborated_but_never_alerted(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read(
            "usip", "2022-08-05", report("climate", "suspended", 0.65), baseline=True
        )
        desk.read("csis", "2022-08-06", report("climate", "suspended", 0.65))
        assert session.get_one(Transition, change.id).status == "confirmed"
        assert desk.alerts() == []


def test_a_rejected_change_restores_the_state_and_tells_only_the_routes_told(
    db_url: str,
) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        desk.read("usip", "2022-08-05", report("climate", "suspended"))
        desk.deliver_all()
        [wrong] = desk.read("csis", "2023-11-15", report("climate", "resumed"))
        email = session.exec(
            select(Alert).where(Alert.transition_id == wrong.id, Alert.route == "email")
        ).one()
        storage.outbox.record_attempt(session, [email], None)  # slack has not had it yet
        correction = storage.correct_transition(
            session, wrong.id, "reject", by="analyst", note="misread a hope as a fact"
        )
        session.commit()
        assert (correction.before, correction.after, correction.by) == (
            "confirmed",
            "rejected",
            "analyst",
        )
        state = session.get_one(ChannelState, "climate")
        assert (state.state, state.since) == ("suspended", "2022-08-05")
        assert desk.alerts(kind="correction") == [("correction", "email", "pending")]
        # A later resumption folds against the restored state.
        [real] = desk.read("cfr", "2024-01-09", report("climate", "resumed"))
        assert (real.from_state, real.from_since) == ("suspended", "2022-08-05")
        with pytest.raises(storage.CorrectionError):
            storage.correct_transition(session, wrong.id, "reject", by="analyst")


def test_rejecting_a_change_not_yet_sent_cancels_it_and_its_repeats_stay_quiet(
    db_url: str,
) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        desk.read("usip", "2022-08-05", report("climate", "suspended"))
        desk.deliver_all()
        [rumour] = desk.read("csis", "2023-11-15", report("climate", "resumed"))
        storage.correct_transition(session, rumour.id, "reject", by="analyst")
        session.commit()
        # No route had it yet: it is never sent, and no correction is owed to anyone.
        assert desk.alerts(transition_id=rumour.id) == [
            ("channel", "email", "superseded"),
            ("channel", "slack", "superseded"),
        ]
        # Another outlet repeats the rumour: the rejection stands, the report is kept.
        assert desk.read("cfr", "2023-11-16", report("climate", "resumed")) == []
        assert len(storage.backing(session, rumour.id)) == 2
        assert session.get_one(ChannelState, "climate").state == "suspended"
        # A resumption reported months later is news.
        [real] = desk.read("rand", "2024-03-01", report("climate", "resumed"))
        assert real.status == "confirmed"


def test_dates_known_only_to_the_year_or_month_never_make_a_flap(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        desk.read("usip", "2022-12-01", report("climate", "suspended", occurred="2022"))
        [resumed] = desk.read(
            "csis", "2022-12-02", report("climate", "resumed", occurred="2022-11-30")
        )
        assert not resumed.unstable
        assert [a[0] for a in desk.alerts(transition_id=resumed.id)] == ["channel", "channel"]


def test_a_corrected_date_moves_the_state_and_is_audited(db_url: str) -> None:
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        desk = Desk(session)
        [change] = desk.read("usip", "2022-08-05", report("climate", "suspended", 0.65))
        desk.deliver_all()
        storage.correct_transition(session, change.id, "date", by="analyst", when="2022-08-04")
        storage.correct_transition(session, change.id, "confirm", by="analyst")
        session.commit()
        assert session.get_one(ChannelState, "climate").since == "2022-08-04"
        assert session.get_one(Transition, change.id).status == "confirmed"
        [row] = storage.history(session, "climate")
        assert [(c.action, c.before, c.after) for c in row.corrections] == [
            ("date", "2022-08-05", "2022-08-04"),
            ("confirm", "provisional", "confirmed"),
        ]
        assert len(desk.alerts(kind="correction")) == 4  # two corrections, two routes each


def test_the_outbox_upgrade_keeps_every_alert_and_backs_every_change(db_url: str) -> None:
    """A database from before migration 0004 keeps its alerts, each under a key, and
    each transition gets the report that made it as evidence."""
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    storage.migrate(engine, "0003")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO article (id, source_id, entry_key, url, title, fetched_at, text,"
                " text_origin, page_attempts, history, issues)"
                " VALUES (1, 'usip', 'k', 'https://x/1', 't', '2022-08-05', '', 'page', 0,"
                " false, '[]')"
            )
        )
        db.execute(
            text(
                'INSERT INTO event (id, article_id, channel, kind, sentence, start, "end",'
                " confidence, rule, cues) VALUES (1, 1, 'climate', 'suspended', 's', 0, 1,"
                " 0.9, 'r', '[]')"
            )
        )
        db.execute(
            text(
                "INSERT INTO transition (id, channel, from_state, to_state, since, event_id,"
                " article_id, baseline, created_at) VALUES (1, 'climate', 'unknown',"
                " 'suspended', '2022-08-05', 1, 1, false, '2022-08-05')"
            )
        )
        db.execute(
            text(
                "INSERT INTO alert (id, kind, transition_id, route, status, attempts, created_at)"
                " VALUES (1, 'channel', 1, 'email', 'sent', 1, '2022-08-05'),"
                " (2, 'channel', 1, 'slack', 'pending', 2, '2022-08-05')"
            )
        )
    storage.migrate(engine)
    with Session(engine) as session:
        alerts = session.exec(select(Alert).order_by(Alert.id)).all()
        assert [(a.key, a.status) for a in alerts] == [
            ("channel:1::email", "sent"),
            ("channel:1::slack", "pending"),
        ]
        [backing] = storage.backing(session, 1)
        assert backing.event.id == 1 and session.get_one(Transition, 1).confidence == 0.9
        # New alerts get ids after the old ones.
        assert storage.outbox.queue_alert(session, "x:1:email", "email", kind="digest") is not None
        session.commit()
        assert session.exec(select(Alert.id).where(Alert.key == "x:1:email")).one() == 3
    if engine.dialect.name == "postgresql":  # the rebuilt table owns the usual names
        assert inspect(engine).get_pk_constraint("alert")["name"] == "alert_pkey"
        with engine.connect() as db:
            assert (
                db.execute(text("SELECT pg_get_serial_sequence('alert', 'id')")).scalar()
                == "public.alert_id_seq"
            )
    engine.dispose()
