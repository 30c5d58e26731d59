"""The history of channel states as a product: rows for JSON and CSV, and an Atom feed
in which every transition is an entry of its own, with an id that never changes."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlmodel import Session

from alerts.message import HEADLINE
from channelwatch.config import Config
from storage import HistoryRow, history, utcnow

ATOM = "http://www.w3.org/2005/Atom"
CSV_FIELDS = [
    "id",
    "recorded",
    "channel",
    "from",
    "to",
    "since",
    "status",
    "unstable",
    "alerted",
    "publishers",
    "confidence",
    "sentence",
    "url",
]


def history_rows(rows: list[HistoryRow], config: Config) -> list[dict[str, Any]]:
    """One plain dict per transition, oldest first, evidence and corrections included."""
    names = {c.id: c.name for c in config.channels}
    publishers = {s.id: s.name for s in config.sources}
    return [
        {
            "id": row.transition.id,
            "recorded": row.transition.created_at.isoformat(timespec="seconds"),
            "channel": row.transition.channel,
            "name": names.get(row.transition.channel, row.transition.channel),
            "from": row.transition.from_state,
            "from_since": row.transition.from_since,
            "to": row.transition.to_state,
            "since": row.transition.since,
            "status": row.transition.status,
            "unstable": row.transition.unstable,
            "alerted": row.told,
            "publishers": row.transition.publishers,
            "confidence": row.transition.confidence,
            "evidence": [
                {
                    "sentence": b.event.sentence,
                    "url": b.article.url,
                    "title": b.article.title,
                    "publisher": publishers.get(b.article.source_id, b.article.source_id),
                    "published": b.article.published_at.date().isoformat()
                    if b.article.published_at
                    else None,
                }
                for b in row.backing
            ],
            "corrections": [
                {
                    "action": c.action,
                    "before": c.before,
                    "after": c.after,
                    "by": c.by,
                    "note": c.note,
                    "at": c.at.isoformat(timespec="seconds"),
                }
                for c in row.corrections
            ],
        }
        for row in rows
    ]


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    first = row["evidence"][0] if row["evidence"] else {}
    return {
        **{k: row[k] for k in CSV_FIELDS if k in row},
        "alerted": "; ".join(row["alerted"]),
        "sentence": first.get("sentence"),
        "url": first.get("url"),
    }


def atom_feed(rows: list[dict[str, Any]], now: datetime | None = None) -> str:
    """An Atom feed of transitions, newest first. A correction updates its entry."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", "channelwatch: US–China dialogue channels")
    _text(feed, "id", "tag:channelwatch,2026:transitions")
    _text(feed, "updated", _stamp(now or utcnow()))
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "channelwatch")
    for row in reversed(rows):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        word = HEADLINE.get(row["to"], row["to"].upper())
        flags = [row["status"]] if row["status"] != "confirmed" else []
        flags += ["unstable"] if row["unstable"] else []
        since = f" since {row['since']}" if row["since"] else ""
        title = f"{row['name']} {word}{since}" + (f" ({', '.join(flags)})" if flags else "")
        _text(entry, "title", title)
        _text(entry, "id", f"tag:channelwatch,2026:transition/{row['id']}")
        updated = row["corrections"][-1]["at"] if row["corrections"] else row["recorded"]
        _text(entry, "updated", updated)
        _text(entry, "published", row["recorded"])
        if row["evidence"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=row["evidence"][0]["url"])
        lines = [f"{row['name']}: {row['from']} -> {row['to']}{since}."]
        lines += [
            f"“{e['sentence']}” — {e['title']}, {e['publisher']} ({e['url']})"
            for e in row["evidence"]
        ]
        lines += [
            f"Correction by {c['by']}: {c['action']} {c['before']} -> {c['after']}"
            for c in row["corrections"]
        ]
        _text(entry, "content", "\n".join(lines)).set("type", "text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def write_atom(path: str | Path, xml: str) -> None:
    """Replace the feed file whole, so a reader never sees half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(xml)
    os.chmod(tmp, 0o644)  # a feed is for readers: mkstemp's 0600 would hide it
    os.replace(tmp, path)


def publish_atom(session: Session, config: Config) -> Path | None:
    """Rewrite the configured Atom file from the stored history (None: no file set)."""
    if not config.alerts.atom_file:
        return None
    write_atom(config.alerts.atom_file, atom_feed(history_rows(history(session), config)))
    return Path(config.alerts.atom_file)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
