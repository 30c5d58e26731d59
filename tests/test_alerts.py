"""Rendering and sending alerts: real SMTP (aiosmtpd), a real webhook receiver."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from alerts import (
    Change,
    DeliveryError,
    HealthNotice,
    Quote,
    SmtpServer,
    plan_routes,
    post_slack,
    render,
    render_health,
    send_email,
)
from channelwatch.config import load_config
from channelwatch.settings import Settings
from tests.servers import REPO_CONFIG, WebhookReceiver, body_text, free_port, smtp_server

HOSTILE = "Beijing suspended climate talks <!channel> <script>alert(1)</script> <http://evil.example|click> & more"


def change(sentence: str = "China suspended its climate talks with the United States.") -> Change:
    quote = Quote(
        sentence=sentence,
        title="Beijing Retaliates",
        url="https://think.example/analysis/beijing",
        publisher="Pacific Policy Institute",
        published=datetime(2022, 8, 5, tzinfo=UTC),
    )
    return Change(
        channel_name="Climate change talks",
        from_state="active",
        from_since="2021-04-15",
        to_state="suspended",
        since="2022-08-05",
        quotes=(quote,),
    )


def notice(
    sentence: str = "China suspended its climate talks with the United States.",
) -> list[Change]:
    return [change(sentence)]


def test_message_names_the_change_and_quotes_the_evidence_with_its_link() -> None:
    message = render(notice())
    assert message.subject == "[channelwatch] Climate change talks SUSPENDED"
    assert "since 2022-08-05 (previously active since 2021-04-15)" in message.text
    assert "China suspended its climate talks with the United States." in message.text
    assert "https://think.example/analysis/beijing" in message.text
    assert "Pacific Policy Institute, 2022-08-05" in message.text


def test_article_text_is_escaped_in_html_and_slack() -> None:
    message = render(notice(HOSTILE))
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    payload = json.dumps(message.slack)
    assert "<!channel>" not in payload and "&lt;!channel&gt;" in payload
    assert "<http://evil.example|click>" not in payload
    assert "&amp; more" in payload


def test_email_goes_out_as_multipart_text_and_html() -> None:
    with smtp_server() as (controller, mailbox):
        server = SmtpServer(controller.hostname, controller.port, "cw@example.org")
        send_email(server, ["desk@example.org"], render(notice(HOSTILE)))
    [received] = mailbox.messages
    assert received["Subject"] == "[channelwatch] Climate change talks SUSPENDED"
    assert received["To"] == "desk@example.org"
    assert HOSTILE in body_text(received)  # plain text carries it verbatim
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_feed_health_messages_name_the_feed_not_a_channel() -> None:
    failing = render_health(
        HealthNotice(
            "feed_failing",
            "CSIS <Analysis>",
            "https://csis.example/feed",
            "failing since 2026-11-20 10:00 UTC (9 failed polls in a row); last error: HTTP 503",
        )
    )
    assert failing.subject == "[channelwatch] Feed CSIS <Analysis> FAILING"
    assert "HTTP 503" in failing.text and "https://csis.example/feed" in failing.text
    assert "&lt;Analysis&gt;" in failing.html and "<Analysis>" not in failing.html
    assert "&lt;Analysis&gt;" in failing.slack["text"]
    recovered = render_health(
        HealthNotice("feed_recovered", "CSIS", "https://csis.example/feed", "ok")
    )
    assert recovered.subject == "[channelwatch] Feed CSIS RECOVERED"


def test_a_down_mail_server_is_a_delivery_error_without_the_password() -> None:
    server = SmtpServer(
        "127.0.0.1", free_port(), "cw@example.org", "user", "hunter2-secret", timeout=5
    )
    with pytest.raises(DeliveryError) as caught:
        send_email(server, ["desk@example.org"], render(notice()))
    assert "SMTP 127.0.0.1" in str(caught.value)
    assert "hunter2-secret" not in str(caught.value)


def test_slack_webhook_receives_block_kit_and_failures_hide_the_url() -> None:
    with WebhookReceiver() as receiver, httpx.Client() as client:
        post_slack(client, receiver.url, render(notice()))
        receiver.fail_next = 1
        with pytest.raises(DeliveryError) as caught:
            post_slack(client, receiver.url, render(notice()))
    [post] = receiver.posts
    assert [b["type"] for b in post["blocks"]] == ["header", "section", "actions"]
    assert post["blocks"][-1]["elements"][0]["url"] == "https://think.example/analysis/beijing"
    assert "HTTP 500" in str(caught.value)
    assert receiver.path not in str(caught.value)


def test_unreachable_webhook_error_hides_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/services/SECRET-PATH"
    with httpx.Client() as client, pytest.raises(DeliveryError) as caught:
        post_slack(client, url, render(notice()))
    assert "SECRET-PATH" not in str(caught.value)


def test_routes_are_live_only_when_their_transport_is_configured() -> None:
    config = load_config(REPO_CONFIG)
    off = plan_routes(config, Settings(_env_file=None))
    assert off.live == [] and len(off.inactive) == 2

    on = plan_routes(
        config,
        Settings(
            _env_file=None,
            smtp_host="127.0.0.1",
            email_from="cw@example.org",
            email_to="a@example.org, b@example.org",  # type: ignore[arg-type]
            slack_webhook_url="http://127.0.0.1:9/hook",  # type: ignore[arg-type]
        ),
    )
    # The configured routes send to the settings' addresses, so no extra routes appear.
    assert [(r.name, r.route.transport) for r in on.live] == [
        ("analysts-email", "email"),
        ("team-slack", "slack"),
    ]
    assert on.live[0].recipients == ("a@example.org", "b@example.org")
    assert set(on.for_channels(config)["climate"]) == {"analysts-email", "team-slack"}


def test_settings_alone_make_routes_when_the_config_has_none() -> None:
    config = load_config(REPO_CONFIG).model_copy(
        update={"alerts": load_config(REPO_CONFIG).alerts.model_copy(update={"routes": []})}
    )
    routing = plan_routes(
        config, Settings(_env_file=None, slack_webhook_url="http://127.0.0.1:9/hook")
    )  # type: ignore[arg-type]
    assert [(r.name, r.route.transport) for r in routing.live] == [("slack", "slack")]


def test_settings_never_print_secrets() -> None:
    settings = Settings(
        _env_file=None,
        smtp_password="hunter2-secret",
        slack_webhook_url="https://hooks.example/T/B/SECRET",
    )  # type: ignore[arg-type]
    assert "hunter2-secret" not in repr(settings) and "SECRET" not in str(settings)
