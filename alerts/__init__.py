"""Alerts: rendering transitions into messages and sending them down routes."""

from alerts.message import HealthNotice, Message, Notice, render, render_health, slack_escape
from alerts.routes import LiveRoute, Routing, Senders, plan_routes
from alerts.transports import DeliveryError, SmtpServer, post_slack, send_apprise, send_email

__all__ = [
    "DeliveryError",
    "HealthNotice",
    "LiveRoute",
    "Message",
    "Notice",
    "Routing",
    "Senders",
    "SmtpServer",
    "plan_routes",
    "post_slack",
    "render",
    "render_health",
    "send_apprise",
    "send_email",
    "slack_escape",
]
