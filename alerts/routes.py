"""Which routes are live, and sending a message down one.

Routes come from `sources.yaml`; a route is live when its transport is configured (the
SMTP settings for email, the webhook URL for Slack). The email and Slack settings also
make a route of their own ("email", "slack", every channel) unless a configured route
already sends to the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from alerts.message import Message
from alerts.transports import SmtpServer, post_slack, send_apprise, send_email
from channelwatch.config import Config, Route
from channelwatch.settings import Settings


@dataclass(frozen=True)
class LiveRoute:
    route: Route
    recipients: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.route.name


@dataclass(frozen=True)
class Routing:
    live: list[LiveRoute]
    inactive: list[str] = field(default_factory=list)  # one line per route that can't send

    def for_channels(self, config: Config) -> dict[str, list[str]]:
        """Channel id -> names of the live routes that want it."""
        return {c.id: [r.name for r in self.live if r.route.wants(c)] for c in config.channels}

    def get(self, name: str) -> LiveRoute | None:
        return next((r for r in self.live if r.name == name), None)


def plan_routes(config: Config, settings: Settings) -> Routing:
    live: list[LiveRoute] = []
    inactive: list[str] = []
    for route in config.alerts.routes:
        if route.transport == "email":
            recipients = tuple(route.to or settings.email_to)
            if settings.smtp_host and settings.email_from and recipients:
                live.append(LiveRoute(route, recipients))
            else:
                inactive.append(
                    f"route '{route.name}' (email) is off: set CHANNELWATCH_SMTP_HOST, "
                    "CHANNELWATCH_EMAIL_FROM and CHANNELWATCH_EMAIL_TO"
                )
        elif route.transport == "slack":
            if settings.slack_enabled:
                live.append(LiveRoute(route))
            else:
                inactive.append(
                    f"route '{route.name}' (slack) is off: set CHANNELWATCH_SLACK_WEBHOOK_URL"
                )
        else:
            live.append(LiveRoute(route))
    names = {r.name for r in live}
    if settings.email_enabled and not any(
        r.route.transport == "email" and set(r.recipients) == set(settings.email_to) for r in live
    ):
        live.append(
            LiveRoute(
                Route(name=_free("email", names), transport="email"), tuple(settings.email_to)
            )
        )
    if settings.slack_enabled and not any(r.route.transport == "slack" for r in live):
        live.append(LiveRoute(Route(name=_free("slack", names), transport="slack")))
    return Routing(live, inactive)


def _free(name: str, taken: set[str]) -> str:
    return name if name not in taken else f"{name}-settings"


@dataclass
class Senders:
    """The credentials and clients to send with; built at the edge from settings."""

    client: httpx.Client
    smtp: SmtpServer | None = None
    slack_webhook_url: str | None = field(default=None, repr=False)  # a secret: never printed

    @classmethod
    def from_settings(cls, settings: Settings, client: httpx.Client) -> Senders:
        smtp = None
        if settings.smtp_host and settings.email_from:
            smtp = SmtpServer(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.email_from,
                username=settings.smtp_username,
                password=settings.smtp_password.get_secret_value()
                if settings.smtp_password
                else None,
                starttls=settings.smtp_starttls,
            )
        slack = (
            settings.slack_webhook_url.get_secret_value() if settings.slack_webhook_url else None
        )
        return cls(client, smtp, slack or None)

    def send(self, route: LiveRoute, message: Message) -> None:
        transport = route.route.transport
        if transport == "email":
            assert self.smtp is not None, "email route without SMTP settings"
            send_email(self.smtp, route.recipients, message)
        elif transport == "slack":
            assert self.slack_webhook_url, "slack route without a webhook URL"
            post_slack(self.client, self.slack_webhook_url, message)
        else:
            assert route.route.url
            send_apprise(route.route.url, message)
