"""Storage: tables, the database engine and migrations, and channel-state folding."""

from storage.db import migrate, open_database
from storage.folding import Folded, Report, fold, period_start
from storage.models import Alert, Article, ChannelState, Event, SourceState, Transition, utcnow
from storage.repo import (
    BoardRow,
    PendingAlert,
    add_article,
    apply_detection,
    articles_since,
    articles_to_detect,
    channel_board,
    event_keys,
    pending_alerts,
    record_delivery,
    record_poll,
    source_state,
    unseen_keys,
)

__all__ = [
    "Alert",
    "Article",
    "BoardRow",
    "ChannelState",
    "Event",
    "Folded",
    "PendingAlert",
    "Report",
    "SourceState",
    "Transition",
    "add_article",
    "apply_detection",
    "articles_since",
    "articles_to_detect",
    "channel_board",
    "event_keys",
    "fold",
    "migrate",
    "open_database",
    "pending_alerts",
    "period_start",
    "record_delivery",
    "record_poll",
    "source_state",
    "unseen_keys",
    "utcnow",
]
