"""Alerts: rendering transitions into messages and sending them down routes."""

from alerts.message import Message, Notice, render, slack_escape
from alerts.routes import LiveRoute, Routing, Senders, plan_routes
from alerts.transports import DeliveryError, SmtpServer, post_slack, send_apprise, send_email

__all__ = [
    "DeliveryError",
    "LiveRoute",
    "Message",
    "Notice",
    "Routing",
    "Senders",
    "SmtpServer",
    "plan_routes",
    "post_slack",
    "render",
    "send_apprise",
    "send_email",
    "slack_escape",
]
