"""The whole cycle, for real: a local think-tank site, SMTP, a Slack webhook, Prefect."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

import storage
from channelwatch.cli import main
from storage import SourceState
from tests.servers import REPO_CONFIG, Site, WebhookReceiver, body_text, smtp_server

pytestmark = pytest.mark.flow

SUSPENSION = (
    "On Friday, China suspended its climate talks with the United States "
    "and halted counternarcotics cooperation with Washington."
)
RESUMPTION = (
    "The United States and China resumed military-to-military communications this week, "
    "when Gen. Charles Q. Brown Jr. held a video call with Gen. Liu Zhenli."
)
RESTART = "Washington and Beijing restarted their climate talks on Tuesday after a pause of more than a year."


def write_config(folder: Path, feed_url: str) -> Path:
    """The shipped catalog, with one source: the local site's feed."""
    config = yaml.safe_load(REPO_CONFIG.read_text())
    config["sources"] = [{"id": "ppi", "name": "Pacific Policy Institute", "url": feed_url}]
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def make_due(db_url: str) -> None:
    """Time passes: every source's next poll has come (the feed's <ttl> asks for an hour)."""
    engine = storage.open_database(db_url)
    with Session(engine) as session:
        for state in session.exec(select(SourceState)):
            state.next_poll_at = storage.utcnow()
            session.add(state)
        session.commit()
    engine.dispose()


def last_tuesday() -> str:
    """What "on Tuesday" means in an article published today."""
    today = datetime.now(UTC).date()
    return (today - timedelta(days=(today.weekday() - 1) % 7)).isoformat()


def status(capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    capsys.readouterr()  # drop what earlier commands printed
    assert main(["status", "--json"]) == 0
    return {row["channel"]: row for row in json.loads(capsys.readouterr().out)}


def test_cycle_alerts_each_change_once_with_evidence(
    prefect_harness: str,
    workdir: Path,
    site: Site,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    with smtp_server() as (smtp, mailbox), WebhookReceiver() as slack:
        for name, value in {
            "CONFIG": str(config),
            "DB_URL": db_url,
            "SMTP_HOST": smtp.hostname,
            "SMTP_PORT": str(smtp.port),
            "EMAIL_FROM": "channelwatch@example.org",
            "EMAIL_TO": "desk@example.org, analyst@example.org",
            "SLACK_WEBHOOK_URL": slack.url,
        }.items():
            monkeypatch.setenv(f"CHANNELWATCH_{name}", value)

        assert main(["run"]) == 0

        states = status(capsys)
        assert {c: r["state"] for c, r in states.items() if r["state"] != "unknown"} == {
            "climate": "suspended",
            "counternarcotics": "suspended",
            "mil_mil": "active",
        }
        assert states["climate"]["since"] == "2022-08-05"  # "On Friday", published Fri 5 Aug 2022
        assert states["climate"]["evidence"]["sentence"] == SUSPENSION
        assert states["mil_mil"]["evidence"]["url"] == site.url(
            "analysis/military-channels-restored"
        )
        # Each article keeps the tracked issues it touches; each event its rule and cues.
        engine = storage.open_database(db_url)
        with Session(engine) as session:
            pelosi = session.exec(
                select(storage.Article).where(storage.Article.url.endswith("pelosi"))
            ).one()
            assert pelosi.issues[0]["issue"] == "taiwan"
            climate = session.exec(
                select(storage.Event).where(storage.Event.channel == "climate")
            ).one()
            assert climate.rule == "suspended:verb" and "trigger 'suspended'" in climate.cues
        engine.dispose()
        # Urging and hoping are not events: the commentary changed nothing.
        assert states["human_rights"]["state"] == "unknown"
        assert states["arms_control_nonproliferation"]["state"] == "unknown"

        # One email and one Slack message per article: Beijing's countermeasures are one
        # message listing both channels, each with the sentence and the link.
        subjects = sorted(m["Subject"] for m in mailbox.messages)
        assert subjects == [
            "[channelwatch] 2 channels SUSPENDED: Climate change talks and working group; "
            "Counternarcotics cooperation and working group",
            "[channelwatch] Military-to-military communications RESUMED",
        ]
        for message in mailbox.messages:
            assert message["To"] == "desk@example.org, analyst@example.org"
            assert message.get_body(preferencelist=("html",)) is not None
        texts = [body_text(m) for m in mailbox.messages]
        [grouped] = [t for t in texts if SUSPENSION in t]
        assert grouped.count(SUSPENSION) == 2  # quoted under each channel it suspended
        assert sum(RESUMPTION in t for t in texts) == 1
        assert all(site.url("analysis/") in t for t in texts)

        assert len(slack.posts) == 2
        buttons = [
            element["url"]
            for post in slack.posts
            for block in post["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
        ]
        assert site.url("analysis/beijing-countermeasures-pelosi") in buttons
        assert sum(RESUMPTION in json.dumps(post) for post in slack.posts) == 1

        # A second cycle, once the feed is due: it answers 304 and nothing is sent again.
        make_due(db_url)
        assert main(["run"]) == 0
        feed_hits = site.hits_for("/feed.xml")
        assert [h.status for h in feed_hits] == [200, 304]
        assert feed_hits[1].headers.get("If-None-Match")
        assert len(mailbox.messages) == 2 and len(slack.posts) == 2

        # The publisher adds an article: only that change is alerted.
        site.aliases["/feed.xml"] = "feed_updated.xml"
        make_due(db_url)
        assert main(["run"]) == 0
        assert len(mailbox.messages) == 3 and len(slack.posts) == 3
        assert RESTART in body_text(mailbox.messages[-1])
        assert "RESUMED" in mailbox.messages[-1]["Subject"]
        states = status(capsys)
        assert states["climate"]["state"] == "active"
        assert states["climate"]["since"] == last_tuesday()
        # Every change is an entry of the Atom file the cycle keeps, newest first.
        atom = (workdir / "data" / "transitions.atom").read_text()
        assert atom.count("<entry>") == 4 and atom.index("RESUMED since") < atom.index("SUSPENDED")


def test_baseline_records_states_without_alerting(
    prefect_harness: str,
    workdir: Path,
    site: Site,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    with WebhookReceiver() as slack:
        monkeypatch.setenv("CHANNELWATCH_CONFIG", str(config))
        monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", slack.url)
        assert main(["run", "--baseline"]) == 0
        assert slack.posts == []
        assert status(capsys)["climate"]["state"] == "suspended"
        assert (workdir / "data" / "channelwatch.db").exists()  # the default SQLite file

        site.aliases["/feed.xml"] = "feed_updated.xml"
        make_due(f"sqlite:///{workdir / 'data' / 'channelwatch.db'}")
        assert main(["run"]) == 0
        assert len(slack.posts) == 1  # only the change after the baseline
        assert RESTART in json.dumps(slack.posts[0])


def test_rematch_finds_what_a_narrower_catalog_missed_and_alerts_once(
    prefect_harness: str,
    workdir: Path,
    site: Site,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(workdir, site.url("feed.xml"))
    narrow = yaml.safe_load(config.read_text())
    climate = next(c for c in narrow["channels"] if c["id"] == "climate")
    climate["aliases"], climate["topics"] = ["climate negotiation track"], []
    narrow_path = workdir / "narrow.yaml"
    narrow_path.write_text(yaml.safe_dump(narrow))
    with WebhookReceiver() as slack:
        monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", slack.url)
        assert main(["run", "--config", str(narrow_path)]) == 0
        assert status(capsys)["climate"]["state"] == "unknown"
        posts = len(slack.posts)

        assert main(["rematch", "--config", str(config), "--since", "2022-01-01"]) == 0
        assert status(capsys)["climate"]["state"] == "suspended"
        new_posts = slack.posts[posts:]
        assert len(new_posts) == 1 and SUSPENSION in json.dumps(new_posts[0])

        assert main(["rematch", "--config", str(config)]) == 0  # nothing new the second time
        assert len(slack.posts) == posts + 1
