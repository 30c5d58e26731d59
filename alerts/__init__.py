"""Alerts: rendering changes into messages, sending them down routes, delivering the outbox."""

from alerts.delivery import DeliveryReport, deliver, describe_alert
from alerts.message import (
    Change,
    HealthNotice,
    Message,
    Quote,
    render,
    render_health,
    slack_escape,
)
from alerts.routes import LiveRoute, Routing, Senders, plan_routes
from alerts.transports import (
    DeliveryError,
    RateLimited,
    SmtpServer,
    post_slack,
    send_apprise,
    send_email,
)

__all__ = [
    "Change",
    "DeliveryError",
    "DeliveryReport",
    "HealthNotice",
    "LiveRoute",
    "Message",
    "Quote",
    "RateLimited",
    "Routing",
    "Senders",
    "SmtpServer",
    "deliver",
    "describe_alert",
    "plan_routes",
    "post_slack",
    "render",
    "render_health",
    "send_apprise",
    "send_email",
    "slack_escape",
]
