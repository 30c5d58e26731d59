"""What an alert says: pure rendering of a transition and its evidence."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

HEADLINE = {"suspended": "SUSPENDED", "active": "RESUMED", "unknown": "UNKNOWN"}
CORRECTED = {"reject": "report rejected", "confirm": "report confirmed", "date": "date corrected"}


@dataclass(frozen=True)
class Quote:
    """One piece of evidence: the sentence, and the article it stands in."""

    sentence: str
    title: str
    url: str
    publisher: str
    published: datetime | None

    @property
    def source(self) -> str:
        published = f"{self.published:%Y-%m-%d}" if self.published else "date unknown"
        return f"{self.title or 'untitled'} — {self.publisher}, {published}"


@dataclass(frozen=True)
class Change:
    """One channel's change as an alert tells it, with everything already looked up.

    `kind` is what the alert is about: the change itself ("channel"), a reversal of a
    recent change ("unstable"), a provisional change now confirmed ("confirmed"), or an
    analyst's correction ("correction"). `note` says what the last two kinds add.
    """

    channel_name: str
    from_state: str
    from_since: str | None
    to_state: str
    since: str | None
    quotes: tuple[Quote, ...]
    status: str = "confirmed"  # provisional, confirmed, rejected
    publishers: int = 1
    kind: str = "channel"
    note: str | None = None
    correction: str | None = None  # for a correction: reject, confirm or date

    @property
    def word(self) -> str:
        return HEADLINE.get(self.to_state, self.to_state.upper())

    @property
    def headline(self) -> str:
        if self.kind == "unstable":
            return f"{self.channel_name} UNSTABLE (now {self.word})"
        if self.kind == "confirmed":
            return f"{self.channel_name} {self.word} — confirmed"
        if self.kind == "correction":
            what = CORRECTED.get(self.correction or "", "corrected")
            return f"Correction: {self.channel_name} {self.word} — {what}"
        unsure = " (unconfirmed)" if self.status == "provisional" else ""
        return f"{self.channel_name} {self.word}{unsure}"

    @property
    def status_line(self) -> str:
        since = f" since {self.since}" if self.since else ""
        before = f" since {self.from_since}" if self.from_since else ""
        line = f"{self.headline}{since} (previously {self.from_state}{before})"
        if self.status == "provisional" and self.kind != "correction":
            line += "; one report so far, not yet corroborated"
        if self.publishers > 1:
            line += f"; reported by {self.publishers} publishers"
        return line


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    slack: dict[str, Any]
    # Names what is told (the alerts it carries); a resend after a crash keeps it, so
    # mail clients fold the copies into one (it becomes the email's Message-ID).
    ref: str | None = None


def subject_for(changes: Sequence[Change]) -> str:
    if len(changes) == 1:
        return changes[0].headline
    words = {c.word for c in changes}
    kinds = {c.kind for c in changes}
    names = "; ".join(c.channel_name for c in changes)
    if len(words) == 1 and kinds == {"channel"}:
        return f"{len(changes)} channels {words.pop()}: {names}"
    return f"{len(changes)} channel changes: {names}"


def render(
    changes: Sequence[Change],
    run_url: str | None = None,
    *,
    title: str | None = None,
    articles: Mapping[str, Sequence[Quote]] | None = None,
) -> Message:
    """One message telling one or several changes (one article's, or a digest's), with
    every piece of evidence quoted and linked, and for a digest the new articles per
    tracked issue. Article text is escaped for each medium."""
    heading = title or subject_for(changes)
    return Message(
        subject=f"[channelwatch] {heading}",
        text=_text(changes, run_url, title, articles or {}),
        html=_html(changes, run_url, heading, articles or {}),
        slack=_slack(changes, run_url, heading, articles or {}),
    )


def _text(
    changes: Sequence[Change],
    run_url: str | None,
    title: str | None,
    articles: Mapping[str, Sequence[Quote]],
) -> str:
    lines = [title, ""] if title else []
    if title and not changes:
        lines += ["No channel changed state.", ""]
    for change in changes:
        lines.append(change.status_line)
        if change.note:
            lines.append(change.note)
        lines.append("")
        for quote in change.quotes:
            lines += [f"“{quote.sentence}”", f"    {quote.source}", f"    {quote.url}", ""]
    for issue, quotes in articles.items():
        lines.append(f"New articles on {issue}:")
        lines += [f"  - {q.source}\n    {q.url}" for q in quotes]
        lines.append("")
    if run_url:
        lines.append(f"Flow run: {run_url}")
    return "\n".join(lines).rstrip() + "\n"


def _html(
    changes: Sequence[Change],
    run_url: str | None,
    heading: str,
    articles: Mapping[str, Sequence[Quote]],
) -> str:
    e = html.escape
    parts = [f"<html><body><h2>{e(heading)}</h2>"]
    for change in changes:
        parts.append(f"<p><strong>{e(change.status_line)}</strong></p>")
        if change.note:
            parts.append(f"<p>{e(change.note)}</p>")
        for quote in change.quotes:
            parts.append(
                f"<blockquote>{e(quote.sentence)}</blockquote>"
                f'<p><a href="{e(quote.url)}">{e(quote.source)}</a></p>'
            )
    for issue, quotes in articles.items():
        items = "".join(f'<li><a href="{e(q.url)}">{e(q.source)}</a></li>' for q in quotes)
        parts.append(f"<h3>New articles on {e(issue)}</h3><ul>{items}</ul>")
    if run_url:
        parts.append(f'<p><a href="{e(run_url)}">Flow run</a></p>')
    return "".join(parts) + "</body></html>"


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters, so article text can't ping or forge links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, label: str) -> str:
    # Inside <url|label> a "|" ends the URL: titles lose theirs, URLs get it encoded.
    return f"<{slack_escape(url.replace('|', '%7C'))}|{slack_escape(label.replace('|', '/'))}>"


SLACK_TEXT_LIMIT = 2900  # a section's text may hold 3,000 characters
SLACK_CHANGES = 40  # sections for changes; a message holds 50 blocks in all
SLACK_ISSUES = 5  # sections for a digest's new articles


def _slack(
    changes: Sequence[Change],
    run_url: str | None,
    heading: str,
    articles: Mapping[str, Sequence[Quote]],
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": heading[:150]}}
    ]
    buttons: dict[str, dict[str, Any]] = {}
    shown = changes if len(changes) <= SLACK_CHANGES else changes[: SLACK_CHANGES - 1]
    for change in shown:
        lines = [slack_escape(change.status_line)]
        if change.note:
            lines.append(slack_escape(change.note))
        for quote in change.quotes:
            quoted = "\n".join(f"> {line}" for line in slack_escape(quote.sentence).splitlines())
            lines += [quoted, _slack_link(quote.url, quote.source)]
            if quote.url.startswith(("http://", "https://")):  # Slack refuses other buttons
                buttons.setdefault(quote.url, _button("Read the article", quote.url))
        text = "\n".join(lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _fit(text)}})
    if len(shown) < len(changes):
        more = f"…and {len(changes) - len(shown)} more changes: see the email, or `channelwatch history`."
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": more}})
    for issue, quotes in list(articles.items())[:SLACK_ISSUES]:
        lines = [f"*New articles on {slack_escape(issue)}*"]
        lines += [f"• {_slack_link(q.url, q.source)}" for q in quotes]
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _fit("\n".join(lines))}}
        )
    actions = list(buttons.values())[:4]
    if run_url:
        actions.append(_button("Flow run", run_url))
    if actions:
        blocks.append({"type": "actions", "elements": actions})
    first = changes[0].quotes[0].sentence if changes and changes[0].quotes else ""
    fallback = slack_escape(f"{heading}: {first}" if first else heading)
    return {"text": fallback[:SLACK_TEXT_LIMIT], "blocks": blocks[:50]}


def _fit(text: str) -> str:
    """Whole lines up to a section's limit, so no link or escape is cut in half."""
    if len(text) <= SLACK_TEXT_LIMIT:
        return text
    kept: list[str] = []
    for line in text.splitlines():
        if sum(len(k) + 1 for k in kept) + len(line) > SLACK_TEXT_LIMIT - 40:
            break
        kept.append(line)
    dropped = len(text.splitlines()) - len(kept)
    return "\n".join(kept) + f"\n…and {dropped} more lines (the email has them all)"


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
