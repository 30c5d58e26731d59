"""Sending a rendered message: SMTP email, a Slack incoming webhook, an Apprise URL.

Each transport raises `DeliveryError` with a reason that is safe to log: it never holds
the SMTP password or the webhook URL, which are secrets.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import httpx

from alerts.message import Message


class DeliveryError(Exception):
    """A message was not delivered; the text says why, without secrets."""


class RateLimited(DeliveryError):
    """The service asked us to wait `retry_after` seconds; the message was not accepted."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # a secret: never printed
    starttls: bool = False
    timeout: float = 30.0


def send_email(server: SmtpServer, recipients: Sequence[str], message: Message) -> None:
    # Long subjects would otherwise be folded before their first word, which some
    # mail clients show as a leading blank; RFC 5322 allows lines of up to 998.
    email = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    email["Subject"] = message.subject
    email["From"] = server.sender
    email["To"] = ", ".join(recipients)
    domain = server.sender.rpartition("@")[2] or "channelwatch"
    email["Message-ID"] = f"<{message.ref}@{domain}>" if message.ref else make_msgid(domain=domain)
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.username and server.password:
                smtp.login(server.username, server.password)
            smtp.send_message(email)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"SMTP {server.host}:{server.port} refused the login (code {exc.smtp_code})"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = _without(str(exc) or type(exc).__name__, server.password)
        raise DeliveryError(f"SMTP {server.host}:{server.port}: {reason}") from None


def post_slack(client: httpx.Client, webhook_url: str, message: Message) -> None:
    try:
        response = client.post(webhook_url, json=message.slack)
    except httpx.HTTPError as exc:
        reason = _without(str(exc) or type(exc).__name__, webhook_url)
        raise DeliveryError(f"Slack webhook unreachable ({type(exc).__name__}: {reason})") from None
    if response.status_code == 429:
        wait = _seconds(response.headers.get("Retry-After"))
        raise RateLimited(f"Slack webhook is rate limited (retry after {wait:g} s)", wait)
    if response.status_code >= 300:
        body = _without(response.text[:200], webhook_url)
        raise DeliveryError(f"Slack webhook answered HTTP {response.status_code}: {body}")


def send_apprise(url: str, message: Message) -> None:
    import apprise  # imported here: it is slow to import and only apprise routes need it

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("the Apprise URL of this route is not valid")
    if not notifier.notify(title=message.subject, body=message.text):
        raise DeliveryError("the Apprise service did not accept the notification")


def _seconds(retry_after: str | None) -> float:
    """Retry-After in seconds (Slack sends a number); a minute when absent or unreadable."""
    try:
        wait = float(retry_after or "60")
    except ValueError:
        return 60.0
    return min(max(0.0, wait), 24 * 3600.0) if wait == wait else 60.0  # NaN is no wait


def _without(text: str, secret: str | None) -> str:
    return text.replace(secret, "<secret>") if secret else text
