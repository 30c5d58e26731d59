"""Delivering the outbox to real servers: aiosmtpd (plain, and STARTTLS with a login) and
a local Slack-style webhook receiver that fails, rate-limits or dies mid-request."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import func
from sqlmodel import Session, col, select

import storage
from alerts import DeliveryReport, Senders, deliver, plan_routes
from channelwatch.cli import main
from channelwatch.config import Config, parse_config
from channelwatch.settings import Settings
from flows.monitor import delivery_has_work
from matching import Event as Detected
from storage import Alert, Article
from tests.conftest import REPO
from tests.servers import (
    REPO_CONFIG,
    WebhookReceiver,
    answer_all,
    body_text,
    free_port,
    smtp_server,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PASSWORD = "s3cret-smtp-password"
HOSTILE = (
    "China suspended its climate talks with the United States <!channel> "
    "<script>alert(1)</script> <http://evil.example|click here> & more."
)


def catalog(**alerts: Any) -> Config:
    """The shipped channels, one publisher, and routes as a test needs them."""
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"] = [{"id": "ppi", "name": "Pacific Policy Institute", "url": "http://x/feed"}]
    data["alerts"] = {"routes": [], **alerts}
    return parse_config(yaml.safe_dump(data))


def settings(smtp_port: int | None = None, slack_url: str | None = None, **extra: Any) -> Settings:
    values: dict[str, Any] = {}
    if smtp_port:
        values |= {
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port,
            "email_from": "channelwatch@example.org",
            "email_to": ["desk@example.org"],
        }
    if slack_url:
        values["slack_webhook_url"] = slack_url
    return Settings(**values, **extra)


class Newsroom:
    """A database articles are read into, and delivery passes over it."""

    def __init__(self, db_url: str, config: Config, settings: Settings) -> None:
        self.engine = storage.open_database(db_url)
        self.config, self.settings = config, settings
        self.routing = plan_routes(config, settings)

    def read(self, published: str, *events: tuple[str, str, str], confidence: float = 0.9) -> None:
        """An article telling `events` as (channel, kind, sentence)."""
        with Session(self.engine) as session:
            number = session.exec(select(func.count(col(Article.id)))).one() + 1
            article = Article(
                source_id="ppi",
                entry_key=f"e{number}",
                url=f"https://ppi.example/analysis/{number}",
                title=f"Analysis {number} | Pacific Policy",
                published_at=dt.datetime.fromisoformat(published).replace(tzinfo=UTC),
                issues=[{"issue": "climate", "mentions": 2, "per_thousand_words": 4.0}],
            )
            session.add(article)
            session.flush()
            detected = [
                Detected(c, k, s, 0, len(s), confidence, None, f"{k}:verb", ())
                for c, k, s in events
            ]
            storage.apply_detection(
                session, article, detected, self.routing.for_channels(self.config)
            )
            session.commit()

    def deliver(self, now: dt.datetime = NOW) -> list[DeliveryReport]:
        with httpx.Client() as client, Session(self.engine) as session:
            senders = Senders.from_settings(self.settings, client)
            return deliver(session, self.config, self.routing, senders, now=now, run_url=None)

    def alerts(self) -> list[Alert]:
        with Session(self.engine) as session:
            return list(session.exec(select(Alert).order_by(Alert.id)))

    def log(self) -> list[tuple[str, str]]:
        with Session(self.engine) as session:
            rows = session.exec(select(storage.Delivery).order_by(storage.Delivery.id))
            return [(d.route, d.outcome) for d in rows]


def as_the_user_sets_it(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, config: Config, **settings: str
) -> Path:
    """The catalog written to the working folder and the settings in the environment,
    as a user of the command has them. Returns the catalog's path."""
    path = workdir / "sources.yaml"
    path.write_text(yaml.safe_dump(config.model_dump(mode="json", exclude_none=True)))
    for name, value in {"CONFIG": str(path), **settings}.items():
        monkeypatch.setenv(f"CHANNELWATCH_{name}", value)
    return path


COUNTERMEASURES = [
    ("climate", "suspended", "China suspended climate talks and counternarcotics cooperation."),
    (
        "counternarcotics",
        "suspended",
        "China suspended climate talks and counternarcotics cooperation.",
    ),
    (
        "mil_mil",
        "suspended",
        "Beijing cancelled the theater commanders talks and military dialogues.",
    ),
]


def test_one_article_that_changes_three_channels_is_one_message_per_route(db_url: str) -> None:
    with smtp_server() as (smtp, mailbox), WebhookReceiver() as slack:
        room = Newsroom(db_url, catalog(), settings(smtp.port, slack.url))
        room.read("2022-08-05", *COUNTERMEASURES)
        reports = room.deliver()
    assert [(r.route, r.delivered) for r in reports] == [("email", True), ("slack", True)]
    [email] = mailbox.messages
    assert email["Subject"] == (
        "[channelwatch] 3 channels SUSPENDED: Climate change talks and working group; "
        "Counternarcotics cooperation and working group; Military-to-military communications"
    )
    text = body_text(email)
    assert text.count("(previously unknown)") == 3
    assert "https://ppi.example/analysis/1" in text
    assert "Analysis 1 | Pacific Policy — Pacific Policy Institute, 2022-08-05" in text
    [post] = slack.posts
    assert [b["type"] for b in post["blocks"]] == [
        "header",
        "section",
        "section",
        "section",
        "actions",
    ]
    # Every alert row went out in that one message and is marked so.
    assert {(a.route, a.status) for a in room.alerts()} == {("email", "sent"), ("slack", "sent")}
    assert room.log().count(("email", "delivered")) == 3


def test_ten_articles_on_one_change_give_one_alert_quoting_all_ten(db_url: str) -> None:
    with smtp_server() as (smtp, mailbox):
        room = Newsroom(db_url, catalog(), settings(smtp.port))
        for day in range(10):
            sentence = f"Report {day}: China suspended its climate talks with the United States."
            room.read(f"2022-08-{5 + day:02d}", ("climate", "suspended", sentence))
        room.deliver()
        assert room.deliver(NOW + dt.timedelta(days=1)) == []  # and nothing more, ever
    [email] = mailbox.messages
    text = body_text(email)
    assert all(f"Report {day}: China suspended" in text for day in range(10))
    assert email["Subject"] == "[channelwatch] Climate change talks and working group SUSPENDED"


def test_article_text_cannot_ping_forge_links_or_inject_html_in_either_transport(
    db_url: str,
) -> None:
    with smtp_server() as (smtp, mailbox), WebhookReceiver() as slack:
        room = Newsroom(db_url, catalog(), settings(smtp.port, slack.url))
        room.read("2022-08-05", ("climate", "suspended", HOSTILE))
        room.deliver()
    [email], [post] = mailbox.messages, slack.posts
    html = email.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE in body_text(email)  # plain text carries it as written
    payload = json.dumps(post, ensure_ascii=False)
    assert "<!channel>" not in payload and "&lt;!channel&gt;" in payload
    assert "<http://evil.example|click here>" not in payload
    assert "&lt;http://evil.example|click here&gt;" in payload and "&amp; more" in payload
    # The article's own title, with its "|", stays one link label.
    assert "|Analysis 1 / Pacific Policy — Pacific Policy Institute, 2022-08-05>" in payload


def test_mail_server_down_for_a_cycle_delivers_in_the_next(db_url: str) -> None:
    port = free_port()
    room = Newsroom(db_url, catalog(), settings(port))
    room.read("2022-08-05", *COUNTERMEASURES[:1])
    [down] = room.deliver()
    assert not down.delivered and down.outcome == "failed"
    assert f"SMTP 127.0.0.1:{port}" in (down.error or "")
    assert room.deliver(NOW + dt.timedelta(minutes=1)) == []  # backing off: not due yet
    with smtp_server(port=port) as (_, mailbox):
        [up] = room.deliver(NOW + dt.timedelta(minutes=5))
    assert up.delivered and len(mailbox.messages) == 1
    assert room.log() == [("email", "failed"), ("email", "delivered")]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as a private mail relay might have."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime.now(UTC) - dt.timedelta(days=1))
        .not_valid_after(dt.datetime.now(UTC) + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "relay.pem", folder / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_a_relay_requiring_starttls_and_a_login_gets_the_alert(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this relay's certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == PASSWORD.encode(), handled=False)

    options = {
        "tls_context": tls,
        "require_starttls": True,
        "authenticator": authenticate,
        "auth_required": True,
    }
    with smtp_server(**options) as (smtp, mailbox):
        good = settings(smtp.port, smtp_starttls=True, smtp_username="cw", smtp_password=PASSWORD)
        room = Newsroom(db_url, catalog(), good)
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        [sent] = room.deliver()
        assert sent.delivered and len(mailbox.messages) == 1
        assert logins == [(b"cw", PASSWORD.encode())]

        wrong = Newsroom(
            db_url,
            catalog(),
            settings(smtp.port, smtp_starttls=True, smtp_username="cw", smtp_password="wrong-one"),
        )
        wrong.read("2023-11-15", ("climate", "resumed", "China and the US resumed climate talks."))
        [refused] = wrong.deliver()
    assert not refused.delivered and "refused the login" in (refused.error or "")
    assert "wrong-one" not in (refused.error or "")


def test_slack_rate_limit_is_waited_out_and_never_sends_twice(db_url: str) -> None:
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, catalog(), settings(slack_url=slack.url))
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        slack.replies = [(429, {"Retry-After": "0"})]
        [report] = room.deliver()
        assert report.delivered and len(slack.posts) == 1

        # A long wait is not spent inside the cycle: the alert is deferred, not failed.
        room.read("2023-11-15", ("mil_mil", "resumed", "The two militaries resumed talks."))
        slack.replies = [(429, {"Retry-After": "600"})]
        [deferred] = room.deliver()
        assert deferred.outcome == "deferred" and len(slack.posts) == 1
        assert room.deliver(NOW + dt.timedelta(minutes=5)) == []  # still asked to wait
        [later] = room.deliver(NOW + dt.timedelta(minutes=10))
        assert later.delivered and len(slack.posts) == 2
    alerts = room.alerts()
    assert [a.attempts for a in alerts] == [1, 1]  # a rate limit is not a failed try
    assert room.log() == [("slack", "delivered"), ("slack", "deferred"), ("slack", "delivered")]


def test_failing_webhook_is_retried_with_backoff_then_given_up_and_resent_by_hand(
    db_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = catalog(max_attempts=3, retry_minutes=1)
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, config, settings(slack_url=slack.url))
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        slack.fail_next = 3
        outcomes = [
            [r.outcome for r in room.deliver(NOW + dt.timedelta(minutes=m))]
            for m in (0, 1, 2, 3, 60)
        ]
        assert outcomes == [["failed"], ["failed"], [], ["given up"], []]
        assert slack.posts == []

        as_the_user_sets_it(
            workdir, monkeypatch, config, DB_URL=db_url, SLACK_WEBHOOK_URL=slack.url
        )
        assert main(["status"]) == 0
        shown = capsys.readouterr().out
        assert "Alerts not delivered" in shown and "GIVEN UP after 3 tries" in shown
        assert "HTTP 500" in shown and slack.url not in shown

        assert main(["alerts", "retry"]) == 0
        assert len(slack.posts) == 1
        assert "1 alerts given up on are queued again" in capsys.readouterr().out
        assert main(["alerts", "retry"]) == 0  # nothing given up on, nothing due: nothing sent
        assert len(slack.posts) == 1


def test_quiet_hours_hold_alerts_and_flush_them_as_one_digest(db_url: str) -> None:
    quiet = {"start": "22:00", "end": "07:00", "timezone": "America/New_York"}
    config = catalog(routes=[{"name": "desk", "transport": "slack", "quiet_hours": quiet}])
    night = dt.datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 23:00 in New York
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, config, settings(slack_url=slack.url))
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        assert [r.outcome for r in room.deliver(night)] == ["held"]
        room.read("2023-11-15", ("mil_mil", "resumed", "The two militaries resumed talks."))
        room.deliver(night + dt.timedelta(hours=3))
        assert slack.posts == []
        [flush] = room.deliver(night + dt.timedelta(hours=8, minutes=30))  # 07:30 in New York
        assert flush.delivered
    [post] = slack.posts
    assert post["blocks"][0]["text"]["text"] == "Held during quiet hours: 2 alerts"
    assert "Climate change talks" in json.dumps(post) and "Military-to-military" in json.dumps(post)
    # Evaluation went on during the night; each alert was logged as held once.
    assert room.log() == [
        ("desk", "deferred"),
        ("desk", "deferred"),
        ("desk", "delivered"),
        ("desk", "delivered"),
    ]


def test_daily_digest_lists_the_days_changes_and_new_articles_once_a_day(db_url: str) -> None:
    now = dt.datetime.now(UTC).replace(second=0, microsecond=0)
    hour_ago = now - dt.timedelta(hours=1)
    digest = {"at": f"{hour_ago:%H:%M}", "timezone": "UTC"}
    config = catalog(routes=[{"name": "morning", "transport": "email", "daily_digest": digest}])
    with smtp_server() as (smtp, mailbox):
        room = Newsroom(db_url, config, settings(smtp.port))
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        room.deliver(now)  # the alert, and the digest of the day before (nothing then)
        tomorrow = now + dt.timedelta(days=1)
        room.deliver(tomorrow)
        room.deliver(tomorrow + dt.timedelta(hours=2))  # not twice the same day
    subjects = [m["Subject"] for m in mailbox.messages]
    assert subjects == [
        "[channelwatch] Climate change talks and working group SUSPENDED",
        f"[channelwatch] Daily digest {hour_ago:%Y-%m-%d}: 0 state changes, 0 new articles",
        f"[channelwatch] Daily digest {tomorrow - dt.timedelta(hours=1):%Y-%m-%d}: 1 state changes, 1 new articles",
    ]
    text = body_text(mailbox.messages[-1])
    assert "Climate change talks and working group SUSPENDED since 2022-08-05" in text
    assert "New articles on Climate change" in text and "https://ppi.example/analysis/1" in text
    assert "No channel changed state." in body_text(mailbox.messages[1])


def test_the_flow_skips_delivery_only_when_a_pass_could_do_nothing(db_url: str) -> None:
    """The flow starts no `deliver` task run when no alert waits and no route has a
    daily digest to queue; anything else, and the pass runs."""
    room = Newsroom(db_url, catalog(routes=[{"name": "desk", "transport": "email"}]), settings(25))
    assert not delivery_has_work(room.engine, room.routing)
    morning = {"name": "morning", "transport": "email", "daily_digest": {"at": "07:00"}}
    with_digest = plan_routes(catalog(routes=[morning]), settings(25))
    assert delivery_has_work(room.engine, with_digest)
    room.read("2022-08-05", *COUNTERMEASURES[:1])
    assert delivery_has_work(room.engine, room.routing)  # an alert waits


def test_a_correction_reaches_every_route_told_and_history_keeps_it(
    db_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with smtp_server() as (smtp, mailbox), WebhookReceiver() as slack:
        config = catalog()
        as_the_user_sets_it(
            workdir,
            monkeypatch,
            config,
            DB_URL=db_url,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(smtp.port),
            EMAIL_FROM="cw@example.org",
            EMAIL_TO="desk@example.org",
            SLACK_WEBHOOK_URL=slack.url,
        )
        room = Newsroom(db_url, config, Settings())
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        room.read(
            "2023-11-15", ("climate", "resumed", "Officials say climate talks resumed quietly.")
        )
        room.deliver()
        assert len(mailbox.messages) == 2 and len(slack.posts) == 2

        assert main(["history", "climate", "--json"]) == 0
        [_, wrong] = json.loads(capsys.readouterr().out)
        assert main(["correct", str(wrong["id"]), "--reject", "--note", "a rumour"]) == 0
        said = capsys.readouterr().out
        assert "correction notice queued for email, slack" in said
        assert len(mailbox.messages) == 3 and len(slack.posts) == 3
        correction = mailbox.messages[-1]
        assert (
            correction["Subject"]
            == "[channelwatch] Correction: Climate change talks and working group RESUMED — report rejected"
        )
        assert "rejected this reported change (a rumour)" in body_text(correction)
        assert "now suspended since 2022-08-05" in body_text(correction)

        assert main(["status", "--json"]) == 0
        climate = next(r for r in json.loads(capsys.readouterr().out) if r["channel"] == "climate")
        assert (climate["state"], climate["since"]) == ("suspended", "2022-08-05")
        assert main(["correct", str(wrong["id"]), "--reject"]) == 2  # once is enough
        assert "rejected already" in capsys.readouterr().err

        assert main(["history", "--csv"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("id,recorded,channel,from,to,since,status")
        assert any(",climate,suspended,active,2023-11-15,rejected," in line for line in lines)
        # The Atom file: every transition an entry with a stable id, the correction in it.
        atom = (workdir / "data" / "transitions.atom").read_text()
        assert f"tag:channelwatch,2026:transition/{wrong['id']}</id>" in atom
        assert "(rejected)" in atom and atom.count("<entry>") == 2


def _delivering_child(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "channelwatch.cli", "alerts", "retry"],
        cwd=env["CWD"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("kill_at", [4])  # the first Slack post, after both emails went out
def test_sigkill_mid_delivery_then_a_rerun_delivers_every_alert_exactly_once(
    kill_at: int, db_url: str, workdir: Path
) -> None:
    """The sender dies in the middle of a request (the receiver kills it before it
    answers, so that message was not accepted); the next run sends what is left."""
    config = catalog()
    path = workdir / "sources.yaml"
    path.write_text(yaml.safe_dump(config.model_dump(mode="json", exclude_none=True)))
    with smtp_server() as (smtp, mailbox), WebhookReceiver() as slack:
        env = {
            **os.environ,
            "CWD": str(workdir),
            "PYTHONPATH": str(REPO),
            "CHANNELWATCH_CONFIG": str(path),
            "CHANNELWATCH_DB_URL": db_url,
            "CHANNELWATCH_SMTP_HOST": "127.0.0.1",
            "CHANNELWATCH_SMTP_PORT": str(smtp.port),
            "CHANNELWATCH_EMAIL_FROM": "cw@example.org",
            "CHANNELWATCH_EMAIL_TO": "desk@example.org",
            "CHANNELWATCH_SLACK_WEBHOOK_URL": slack.url,
        }
        room = Newsroom(
            db_url,
            config,
            Settings(
                smtp_host="127.0.0.1",
                smtp_port=smtp.port,
                email_from="cw@example.org",
                email_to=["desk@example.org"],
                slack_webhook_url=slack.url,
            ),
        )
        for day, (channel, kind) in enumerate(
            [("climate", "suspended"), ("mil_mil", "suspended"), ("counternarcotics", "suspended")]
        ):
            room.read(
                f"2022-08-{5 + day:02d}", (channel, kind, f"China {kind} the {channel} channel.")
            )
        child: list[subprocess.Popen[bytes]] = []
        seen = {"n": 0}
        lock = threading.Lock()

        def die_at_kth_request(request: str) -> bool:
            """Admit every request but the k-th: during that one the sender is killed."""
            with lock:
                seen["n"] += 1
                if seen["n"] != kill_at:
                    return True
            child[0].send_signal(signal.SIGKILL)
            child[0].wait()
            return False

        slack.admit = mailbox.admit = die_at_kth_request  # type: ignore[method-assign]
        child.append(_delivering_child(env))
        assert child[0].wait(timeout=120) == -signal.SIGKILL
        slack.admit = mailbox.admit = answer_all  # type: ignore[method-assign]
        rerun = _delivering_child(env)
        assert rerun.wait(timeout=120) == 0
    emails = sorted(m["Subject"] for m in mailbox.messages)
    posts = sorted(p["blocks"][0]["text"]["text"] for p in slack.posts)
    assert len(emails) == len(set(emails)) == 3
    assert len(posts) == len(set(posts)) == 3
    assert all(a.status == "sent" for a in room.alerts())


def test_an_apprise_route_gets_only_the_channels_it_asks_for(db_url: str) -> None:
    with WebhookReceiver(path="/hook") as hook:
        url = hook.base.replace("http://", "json://") + "/hook"
        routes = [{"name": "ops", "transport": "apprise", "url": url, "channels": ["mil_mil"]}]
        room = Newsroom(db_url, catalog(routes=routes), settings())
        room.read("2022-08-05", *COUNTERMEASURES)
        [report] = room.deliver()
    assert report.delivered and report.channel == "mil_mil"
    [post] = hook.posts
    assert post["title"] == "[channelwatch] Military-to-military communications SUSPENDED"
    assert "Beijing cancelled the theater commanders talks" in post["message"]
    assert "Climate" not in post["message"]


def test_route_timing_mistakes_are_named_with_their_fix() -> None:
    from channelwatch.config import ConfigError

    data = yaml.safe_load(REPO_CONFIG.read_text())
    route = data["alerts"]["routes"][0]
    route["daily_digest"] = {"at": "25:00"}
    route["quiet_hours"] = {"start": "22:00", "end": "07:00", "timezone": "Mars/Olympus"}
    text = yaml.safe_dump(data).replace("start: '22:00'", "start: 22:00")  # as a user types it
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    problems = "\n".join(caught.value.problems)
    assert 'alerts.routes[0].quiet_hours.start: write the time in quotes, as "22:00"' in problems
    assert "alerts.routes[0].quiet_hours.timezone: is not a time zone" in problems
    assert "alerts.routes[0].daily_digest.at:" in problems and "hour value" in problems


def test_more_changes_than_a_slack_message_holds_go_out_in_several(db_url: str) -> None:
    """A quiet-hours flush after a busy night: every change is shown in some message."""
    quiet = {"start": "00:00", "end": "06:00", "timezone": "UTC"}
    config = catalog(routes=[{"name": "desk", "transport": "slack", "quiet_hours": quiet}])
    night = dt.datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    channels = [c.id for c in config.channels]
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, config, settings(slack_url=slack.url))
        for day in range(45):  # 45 changes: each channel suspended, then resumed, and on
            channel = channels[day % len(channels)]
            kind = "suspended" if (day // len(channels)) % 2 == 0 else "resumed"
            when = dt.date(2020, 1, 1) + dt.timedelta(days=30 * day)
            room.read(when.isoformat(), (channel, kind, f"China {kind} the {channel} channel."))
        room.deliver(night)
        reports = room.deliver(night + dt.timedelta(hours=4))
    assert [r.delivered for r in reports] == [True, True]
    assert all(len(post["blocks"]) <= 50 for post in slack.posts)
    shown = "".join(json.dumps(post) for post in slack.posts)
    assert shown.count("(previously") == 45
    assert {a.status for a in room.alerts()} == {"sent"}


def test_alerts_for_a_route_that_is_gone_are_given_up_visibly(db_url: str) -> None:
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, catalog(), settings(slack_url=slack.url))
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        room.settings = settings()  # the webhook URL is no longer set
        room.routing = plan_routes(room.config, room.settings)
        [report] = room.deliver()
    assert (report.route, report.outcome) == ("slack", "given up")
    assert "route 'slack' is not live" in (report.error or "")
    assert [a.status for a in room.alerts()] == ["failed"]


def test_quiet_hours_that_never_end_are_refused() -> None:
    from channelwatch.config import ConfigError

    quiet = {"start": "08:00", "end": "08:00"}
    with pytest.raises(ConfigError) as caught:
        catalog(routes=[{"name": "desk", "transport": "slack", "quiet_hours": quiet}])
    assert "quiet hours would never end" in "\n".join(caught.value.problems)


def test_unconfirmed_then_confirmed_and_unstable_notices_read_as_they_should(db_url: str) -> None:
    with smtp_server() as (smtp, mailbox):
        room = Newsroom(db_url, catalog(), settings(smtp.port))
        # An anaphoric, unsure report: provisional, then a second publisher confirms it.
        room.read(
            "2023-11-15",
            ("mil_mil", "resumed", "Those talks resumed on Wednesday."),
            confidence=0.65,
        )
        room.deliver()
        with Session(room.engine) as session:
            second = Article(
                source_id="cfr",
                entry_key="cfr-1",
                url="https://cfr.example/1",
                title="Talks are back",
                published_at=dt.datetime(2023, 11, 16, tzinfo=UTC),
            )
            session.add(second)
            session.flush()
            sentence = "The two militaries resumed their dialogue this week."
            storage.apply_detection(
                session,
                second,
                [Detected("mil_mil", "resumed", sentence, 0, 9, 0.7, None, "resumed:verb", ())],
                room.routing.for_channels(room.config),
            )
            session.commit()
        room.deliver(NOW + dt.timedelta(minutes=1))
        # Reversed three days later: one UNSTABLE notice quoting both reports.
        room.read(
            "2023-11-19", ("mil_mil", "suspended", "Beijing suspended the military talks again.")
        )
        room.deliver(NOW + dt.timedelta(minutes=2))
    first, confirmed, unstable = mailbox.messages
    assert (
        first["Subject"]
        == "[channelwatch] Military-to-military communications RESUMED (unconfirmed)"
    )
    assert "one report so far, not yet corroborated" in body_text(first)
    assert (
        confirmed["Subject"]
        == "[channelwatch] Military-to-military communications RESUMED — confirmed"
    )
    text = body_text(confirmed)
    assert "Now confirmed: 2 publishers" in text and "The two militaries resumed" in text
    assert unstable["Subject"] == (
        "[channelwatch] Military-to-military communications UNSTABLE (now SUSPENDED)"
    )
    text = body_text(unstable)
    assert "reported resumed since 2023-11-15 only days before it was reported suspended" in text
    assert (
        "Those talks resumed on Wednesday." in text and "suspended the military talks again" in text
    )


def test_a_failing_route_costs_one_try_a_cycle_not_one_per_alert(db_url: str) -> None:
    with WebhookReceiver() as slack:
        room = Newsroom(db_url, catalog(), settings(slack_url=slack.url))
        for day, (channel, kind, sentence) in enumerate(COUNTERMEASURES):
            room.read(f"2022-08-{5 + day:02d}", (channel, kind, sentence))
        slack.fail_next = 1
        failed, *waiting = room.deliver()
        assert failed.outcome == "failed" and slack.posts == []
        assert [r.outcome for r in waiting] == ["waiting", "waiting"]
        assert [a.attempts for a in room.alerts()] == [1, 0, 0]  # the others were not tried
        reports = room.deliver(NOW + dt.timedelta(minutes=5))
    assert [r.delivered for r in reports] == [True, True, True] and len(slack.posts) == 3


def test_a_delivery_by_hand_while_a_cycle_runs_leaves_the_sending_to_the_cycle(
    db_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = catalog()
    with WebhookReceiver() as slack:
        as_the_user_sets_it(
            workdir, monkeypatch, config, DB_URL=db_url, SLACK_WEBHOOK_URL=slack.url
        )
        room = Newsroom(db_url, config, Settings())
        room.read("2022-08-05", *COUNTERMEASURES[:1])
        with storage.cycle_lock(storage.open_database(db_url)):  # a cycle is running
            assert main(["alerts", "retry"]) == 0
        assert "a cycle is running" in capsys.readouterr().out and slack.posts == []
        assert main(["alerts", "retry"]) == 0  # once it is over, the alert goes out once
        assert len(slack.posts) == 1
