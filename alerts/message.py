"""What an alert says: pure rendering of a transition and its evidence."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

HEADLINE = {"suspended": "SUSPENDED", "active": "RESUMED"}


@dataclass(frozen=True)
class Notice:
    """Everything an alert needs, already looked up."""

    channel_name: str
    from_state: str
    to_state: str
    since: str | None
    sentence: str
    article_title: str
    article_url: str
    publisher: str
    published: datetime | None
    run_url: str | None = None

    @property
    def headline(self) -> str:
        return f"{self.channel_name} {HEADLINE.get(self.to_state, self.to_state.upper())}"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    slack: dict[str, Any]


def render(notice: Notice) -> Message:
    published = f"{notice.published:%Y-%m-%d}" if notice.published else "date unknown"
    since = f" since {notice.since}" if notice.since else ""
    status = f"{notice.headline}{since} (previously {notice.from_state})"
    source = f"{notice.article_title} — {notice.publisher}, {published}"
    lines = [status, "", f"“{notice.sentence}”", f"    {source}", f"    {notice.article_url}"]
    if notice.run_url:
        lines += ["", f"Flow run: {notice.run_url}"]
    text = "\n".join(lines) + "\n"
    return Message(
        subject=f"[channelwatch] {notice.headline}",
        text=text,
        html=_html(notice, status, source),
        slack=_slack(notice, status, source),
    )


def _html(notice: Notice, status: str, source: str) -> str:
    e = html.escape
    run = f'<p><a href="{e(notice.run_url)}">Flow run</a></p>' if notice.run_url else ""
    return (
        f"<html><body><p><strong>{e(status)}</strong></p>"
        f"<blockquote>{e(notice.sentence)}</blockquote>"
        f'<p><a href="{e(notice.article_url)}">{e(source)}</a></p>{run}</body></html>'
    )


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters, so article text can't ping or forge links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack(notice: Notice, status: str, source: str) -> dict[str, Any]:
    quote = "\n".join(f"> {line}" for line in slack_escape(notice.sentence).splitlines())
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": notice.headline[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{slack_escape(status)}\n{quote}"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(source)}]},
    ]
    buttons = [_button("Read the article", notice.article_url)]
    if notice.run_url:
        buttons.append(_button("Flow run", notice.run_url))
    blocks.append({"type": "actions", "elements": buttons})
    fallback = f"{slack_escape(status)}: {slack_escape(notice.sentence)} {notice.article_url}"
    return {"text": fallback, "blocks": blocks}


def _button(label: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "url": url}


@dataclass(frozen=True)
class HealthNotice:
    """A feed that has been failing too long, or has recovered."""

    kind: str  # "feed_failing" or "feed_recovered"
    source_name: str
    feed_url: str
    detail: str
    run_url: str | None = None

    @property
    def headline(self) -> str:
        state = "FAILING" if self.kind == "feed_failing" else "RECOVERED"
        return f"Feed {self.source_name} {state}"


def render_health(notice: HealthNotice) -> Message:
    """A feed-health alert. It is about the source, not about any channel."""
    after = (
        "channelwatch keeps retrying it, less often the longer it fails; the entries still in "
        "the feed when it answers again are collected then."
        if notice.kind == "feed_failing"
        else "The entries published during the outage are collected now."
    )
    lines = [notice.headline, "", notice.detail, f"    {notice.feed_url}", "", after]
    if notice.run_url:
        lines += ["", f"Flow run: {notice.run_url}"]
    e = html.escape
    run = f'<p><a href="{e(notice.run_url)}">Flow run</a></p>' if notice.run_url else ""
    body = (
        f"<html><body><p><strong>{e(notice.headline)}</strong></p><p>{e(notice.detail)}</p>"
        f'<p><a href="{e(notice.feed_url)}">{e(notice.feed_url)}</a></p><p>{e(after)}</p>{run}'
        "</body></html>"
    )
    text = f"{slack_escape(notice.detail)}\n{slack_escape(notice.feed_url)}\n{slack_escape(after)}"
    slack: dict[str, Any] = {
        "text": f"{slack_escape(notice.headline)}: {slack_escape(notice.detail)}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": notice.headline[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        ],
    }
    return Message(f"[channelwatch] {notice.headline}", "\n".join(lines) + "\n", body, slack)
