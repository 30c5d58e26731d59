"""Secrets never leave the process: not in the run log, the artifacts, the database, the
CLI's output or an error's text — when delivery works, and when it fails in every way a
transport can (login refused, the webhook answering an error that echoes its own URL,
the webhook unreachable)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

import storage
from channelwatch.cli import main
from tests.servers import REPO_CONFIG, Site, WebhookReceiver, free_port, smtp_server

pytestmark = pytest.mark.flow

PASSWORD = "hunter2-Zq8-smtp-password"
HOOK_PATH = "/services/T0SECRET/B0SECRET/xoxb-SECRET-webhook-token"


class EchoingReceiver(WebhookReceiver):
    """A webhook that fails, quoting the URL it was called on (as some proxies do)."""

    def _handler(self):  # type: ignore[no-untyped-def]
        base = super()._handler()
        receiver = self

        class Echo(base):  # type: ignore[valid-type,misc]
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = f"no route to {receiver.url}".encode()
                self.send_response(502)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        return Echo


def secrets_in(found: str, webhook_url: str) -> list[str]:
    secrets = [PASSWORD, webhook_url, HOOK_PATH, HOOK_PATH.rsplit("/", 1)[-1]]
    return [s for s in secrets if s in found]


def everything_recorded(db_url: str) -> str:
    """The run logs and artifacts on the Prefect API, and every row of the database."""
    from prefect.client.orchestration import get_client
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # the run's logs reach the API in batches, in the background
    from prefect.client.schemas.filters import ArtifactFilter, FlowRunFilter, TaskRunFilter
    from prefect.client.schemas.sorting import ArtifactSort, FlowRunSort

    with get_client(sync_client=True) as client:
        logs = [log.message for log in _every(client.read_logs)]
        every_artifact = partial(
            client.read_artifacts,
            artifact_filter=ArtifactFilter(),
            flow_run_filter=FlowRunFilter(),
            task_run_filter=TaskRunFilter(),
            sort=ArtifactSort.CREATED_DESC,
        )
        artifacts = [
            json.dumps(a.data, default=str) + str(a.description) for a in _every(every_artifact)
        ]
        every_run = partial(client.read_flow_runs, sort=FlowRunSort.ID_DESC)
        runs = [f"{r.name} {r.state.message if r.state else ''}" for r in _every(every_run)]
    engine = storage.open_database(db_url)
    with engine.connect() as db:
        tables = [
            row[0] for row in db.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        ]
        rows = [str(list(db.execute(text(f'SELECT * FROM "{t}"')))) for t in tables]
    engine.dispose()
    return "\n".join(logs + artifacts + runs + rows)


def _every(read: Any) -> list[Any]:
    """All of a Prefect API listing, a page at a time."""
    found: list[Any] = []
    while page := read(limit=200, offset=len(found)):
        found += page
    return found


@pytest.fixture
def configured(workdir: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"] = [
        {"id": "ppi", "name": "Pacific Policy Institute", "url": site.url("feed.xml")}
    ]
    data["alerts"] = {"routes": []}
    (workdir / "sources.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setenv("CHANNELWATCH_EMAIL_FROM", "channelwatch@example.org")
    monkeypatch.setenv("CHANNELWATCH_EMAIL_TO", "desk@example.org")
    monkeypatch.setenv("CHANNELWATCH_SMTP_USERNAME", "channelwatch")
    monkeypatch.setenv("CHANNELWATCH_SMTP_PASSWORD", PASSWORD)
    yield workdir


@pytest.mark.parametrize("outcome", ["delivered", "refused", "unreachable"])
def test_no_secret_in_logs_artifacts_database_or_output(
    outcome: str,
    prefect_harness: str,
    configured: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    smtp_password = PASSWORD if outcome == "delivered" else "another-password"
    receiver = WebhookReceiver(HOOK_PATH) if outcome == "delivered" else EchoingReceiver(HOOK_PATH)
    with smtp_server(password=smtp_password) as (smtp, mailbox), receiver as slack:
        webhook = (
            slack.url if outcome != "unreachable" else f"http://127.0.0.1:{free_port()}{HOOK_PATH}"
        )
        monkeypatch.setenv("CHANNELWATCH_SMTP_HOST", smtp.hostname)
        monkeypatch.setenv("CHANNELWATCH_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", webhook)
        assert main(["run"]) == 0
        assert main(["check"]) == 0
        assert main(["status"]) == 0
    if outcome == "delivered":
        # The secrets were used: one message per article (Beijing's two channels are one).
        assert len(mailbox.messages) == 2 and len(slack.posts) == 2
    else:
        assert mailbox.messages == [] and slack.posts == []
    printed = capfd.readouterr()
    recorded = everything_recorded(f"sqlite:///{configured / 'data' / 'channelwatch.db'}")
    if outcome != "delivered":
        # The failure is told; a failing route is tried once a cycle, not once per alert.
        assert "0/4 alert messages delivered" in printed.out
        assert "not delivered" in recorded  # in the run's log too
    assert secrets_in(printed.out + printed.err, webhook) == []
    assert secrets_in(recorded, webhook) == []


def test_settings_never_print_their_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from channelwatch.settings import Settings

    monkeypatch.setenv("CHANNELWATCH_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("CHANNELWATCH_SLACK_WEBHOOK_URL", "https://hooks.example" + HOOK_PATH)
    settings = Settings()
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert secrets_in(shown, "https://hooks.example" + HOOK_PATH) == []
