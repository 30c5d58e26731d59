"""The catalog in `sources.yaml`: sources, tracked issues, channels and alert routes.

Loading is strict: an unknown key, a wrong type, a duplicate id or a reference to
something that does not exist is a `ConfigError` whose lines each name the file, the
key path (and line) and what to write instead. Nothing starts half-configured.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

SLUG = r"^[a-z0-9][a-z0-9_]*$"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: 15x faster


class ConfigError(Exception):
    """The configuration is invalid; `problems` holds one readable line per mistake."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Schedule(_Strict):
    interval_minutes: int = Field(30, ge=1, le=7 * 24 * 60)
    # Five cron fields, or a nickname such as @hourly; the scheduler checks the rest.
    cron: str | None = Field(None, pattern=r"^(@\w+|[\w*/,?#-]+(\s+[\w*/,?#-]+){4,5})$")


class Scale(_Strict):
    """Where a cycle's text extraction and detection run: threads in the cycle's own
    process, or the workers of a Dask cluster (`dask_address`, or else a local one of
    `workers`). Each stage's articles are split into one batch per worker, so `workers`
    is also the size of the cluster at `dask_address`."""

    task_runner: Literal["threads", "dask"] = "threads"
    dask_address: str | None = Field(None, pattern=r"^(tcp|tls|inproc)://\S+$")
    workers: int = Field(2, ge=1, le=256)


class Timeouts(_Strict):
    """Seconds allowed for one HTTP response; `total` covers headers to last byte."""

    connect: float = Field(10, gt=0, le=120)
    read: float = Field(20, gt=0, le=300)
    total: float = Field(60, gt=0, le=900)


class Polling(_Strict):
    """How politely and how often feeds are polled (every key has a default)."""

    contact: str | None = None  # an email or URL in our User-Agent, for publishers to reach us
    interval_minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)  # None: every cycle
    max_connections: int = Field(50, ge=1, le=500)
    per_host: int = Field(2, ge=1, le=10)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    max_body_mb: int = Field(10, ge=1, le=200)
    health_alert_hours: float = Field(24, gt=0, le=24 * 90)

    @field_validator("contact")
    @classmethod
    def _reachable(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^([^@\s()]+@[^@\s()]+\.\w+|https?://[^\s()]+)$", value
        ):
            raise ValueError(
                "must be an email address or an http(s) URL where publishers can reach you"
            )
        return value


class Source(_Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    url: str
    homepage: str | None = None
    interval_minutes: int | None = Field(
        None, ge=1, le=7 * 24 * 60
    )  # else polling.interval_minutes

    @field_validator("url", "homepage")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value


class Issue(_Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)


class Channel(_Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    issue: str
    parties: list[str] = Field(default_factory=lambda: ["US", "CN"], min_length=2)
    aliases: list[str] = Field(min_length=1)
    # Words that name the channel when joined to "talks", "dialogue", "cooperation", …
    topics: list[str] = Field(default_factory=list)


class _Clock(_Strict):
    """A time zone for the times of day it holds."""

    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                "is not a time zone; write an IANA name such as 'UTC' or 'America/New_York'"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _quoted_time(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 22:00 as the number 1320, which would pass as a time
    # 22 minutes after midnight.
    if isinstance(value, int):
        raise ValueError(
            'write the time in quotes, as "22:00" (unquoted, YAML reads it as a number)'
        )
    return value


class QuietHours(_Clock):
    """Alerts wait from `start` to `end` (local time) and then go out as one digest."""

    start: time
    end: time

    _quoted = field_validator("start", "end", mode="before")(_quoted_time)

    @model_validator(mode="after")
    def _some_hours(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("start and end are the same time: quiet hours would never end")
        return self


class DailyDigest(_Clock):
    """Once a day at `at` (local time): the day's state changes and new articles per issue."""

    at: time

    _quoted = field_validator("at", mode="before")(_quoted_time)


class Route(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    transport: Literal["email", "slack", "apprise"]
    channels: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    issues: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    to: list[str] | None = None  # email only: recipients instead of CHANNELWATCH_EMAIL_TO
    url: str | None = None  # apprise only: the Apprise URL of the service
    quiet_hours: QuietHours | None = None
    daily_digest: DailyDigest | None = None

    def wants(self, channel: Channel) -> bool:
        return ("*" in self.channels or channel.id in self.channels) and (
            "*" in self.issues or channel.issue in self.issues
        )

    def wants_issue(self, issue: str) -> bool:
        return "*" in self.issues or issue in self.issues


class Confirmation(_Strict):
    """When a reported change is confirmed rather than provisional: one report at least
    this sure, or reports from at least this many independent publishers."""

    min_confidence: float = Field(0.85, ge=0, le=1)
    min_publishers: int = Field(2, ge=1, le=20)


class Alerts(_Strict):
    routes: list[Route] = Field(default_factory=list)
    confirmation: Confirmation = Field(default_factory=Confirmation)
    # A later report of the same change (same channel, same state, dated within this many
    # days of it) is corroboration, not news.
    corroboration_days: int = Field(14, ge=0, le=365)
    # A reversal within this many days of a change is one "unstable" notice, not an alert.
    flap_days: int = Field(7, ge=0, le=365)
    max_attempts: int = Field(8, ge=1, le=50)  # sends tried before an alert is marked failed
    retry_minutes: float = Field(5, gt=0, le=24 * 60)  # the first wait; it doubles
    atom_file: str | None = "data/transitions.atom"  # every transition, one entry each


class Config(_Strict):
    schedule: Schedule = Field(default_factory=Schedule)
    polling: Polling = Field(default_factory=Polling)
    scale: Scale = Field(default_factory=Scale)
    sources: list[Source] = Field(min_length=1)
    issues: list[Issue] = Field(default_factory=list)
    channels: list[Channel] = Field(min_length=1)
    alerts: Alerts = Field(default_factory=Alerts)

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)


def load_config(path: str | Path) -> Config:
    """Read and validate a `sources.yaml`; raise `ConfigError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: file not found; pass --config PATH or set CHANNELWATCH_CONFIG"]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read ({exc})"]) from None
    return parse_config(text, name=str(path))


def parse_config(text: str, name: str = "sources.yaml") -> Config:
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: not valid YAML ({problem})"]) from None
    if not isinstance(data, dict):
        raise ConfigError(
            [f"{name}: expected a mapping with keys sources, issues, channels, alerts"]
        )
    repeated = [f"{_where(name, root, loc)}: {msg}" for loc, msg in _repeated_keys(root)]
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            repeated + [_describe(name, root, err) for err in exc.errors(include_url=False)]
        ) from None
    problems = [f"{_where(name, root, loc)}: {msg}" for loc, msg in _cross_check(config)]
    if repeated or problems:
        raise ConfigError(repeated + problems)
    return config


def _repeated_keys(
    node: yaml.Node | None, path: tuple[Any, ...] = ()
) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Keys written twice in one mapping: YAML keeps the last silently, so one is lost."""
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if key.value in first:
                yield (
                    (*path, key.value),
                    f"written twice (lines {first[key.value]} and {line}); keep one of them",
                )
            first.setdefault(key.value, line)
            yield from _repeated_keys(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _repeated_keys(item, (*path, i))


def _cross_check(config: Config) -> Iterable[tuple[tuple[Any, ...], str]]:
    """References and uniqueness, which pydantic cannot see field by field."""
    for section in ("sources", "issues", "channels"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(config, section)):
            if item.id in seen:
                yield (
                    (section, i, "id"),
                    (
                        f"duplicate id '{item.id}' (already used by {section}[{seen[item.id]}]); "
                        "give each entry its own id"
                    ),
                )
            seen.setdefault(item.id, i)
    issue_ids = [issue.id for issue in config.issues]
    channel_ids = [channel.id for channel in config.channels]
    for i, channel in enumerate(config.channels):
        if channel.issue not in issue_ids:
            yield ("channels", i, "issue"), _unknown("issue", channel.issue, issue_ids)
    route_names: dict[str, int] = {}
    for i, route in enumerate(config.alerts.routes):
        where = ("alerts", "routes", i)
        if route.name in route_names:
            yield (
                (*where, "name"),
                f"duplicate route name '{route.name}'; give each route its own name",
            )
        route_names.setdefault(route.name, i)
        for j, ref in enumerate(route.channels):
            if ref != "*" and ref not in channel_ids:
                yield (*where, "channels", j), _unknown("channel", ref, [*channel_ids, "*"])
        for j, ref in enumerate(route.issues):
            if ref != "*" and ref not in issue_ids:
                yield (*where, "issues", j), _unknown("issue", ref, [*issue_ids, "*"])
        if route.transport == "apprise" and not route.url:
            yield (*where,), "an apprise route needs url: (an Apprise URL such as 'tgram://…')"
        if route.transport != "apprise" and route.url:
            yield (
                (*where, "url"),
                f"url: is for apprise routes; a {route.transport} route takes its address from the settings",
            )
        if route.transport != "email" and route.to:
            yield (*where, "to"), "to: is for email routes only"


def _unknown(kind: str, value: str, known: list[str]) -> str:
    hint = difflib.get_close_matches(value, known, n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"unknown {kind} '{value}'{suggestion}; write one of: {', '.join(known)}"


def _describe(name: str, root: yaml.Node | None, err: Any) -> str:
    loc = tuple(err["loc"])
    where = _where(name, root, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        suggestion = f"did you mean '{hint[0]}'? " if hint else ""
        return f"{where}: unknown key; {suggestion}allowed keys here: {', '.join(allowed)}"
    if kind == "missing":
        return f"{where}: required key is missing; add {loc[-1]}: …"
    if kind == "string_pattern_mismatch":
        return f"{where}: '{err['input']}' is not {_PATTERNS.get(loc[-1], _PATTERNS['id'])}"
    if kind == "literal_error":
        return f"{where}: '{err['input']}' is not allowed; {err['msg'].lower()}"
    got = f"got {_shown(err['input'])}"
    if kind in ("model_type", "dict_type"):
        return f"{where}: expected a mapping with the keys {', '.join(_allowed_keys(loc))}; {got}"
    if kind in ("list_type", "too_short"):
        fewest = err.get("ctx", {}).get("min_length", 0)
        least = f" of at least {fewest} item{'s' if fewest != 1 else ''}" if fewest else ""
        return f"{where}: expected a list{least}, one '- item' per line; {got}"
    if kind in _EXPECTED:
        return f"{where}: expected {_EXPECTED[kind]}; {got}"
    message = err["msg"].removeprefix("Value error, ").removeprefix("Input ")
    return f"{where}: {message[0].lower()}{message[1:]} ({got})"


_PATTERNS = {
    "id": "a valid id; use lowercase letters, digits and _",
    "name": "a valid route name; use letters, digits, '.', '_' and '-'",
    "cron": "a cron schedule; write five fields such as '*/30 * * * *', or '@hourly'",
}
_EXPECTED = {
    "string_type": "text",
    "string_too_short": "some text, not an empty string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
}


def _shown(value: Any) -> str:
    """A wrong value as the user wrote it, cut short: the file may be long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(parent: tuple[Any, ...]) -> list[str]:
    model: Any = Config
    for part in parent:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = getattr(annotation, "__args__", (annotation,))[0]
    return list(model.model_fields)


def _where(name: str, root: yaml.Node | None, loc: tuple[Any, ...]) -> str:
    """`file:line: key.path[3].key`, the line found by walking the YAML node tree."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    path = path.lstrip(".") or "(top level)"
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == part]
            if not match:
                break
            line, node = match[0][0].start_mark.line + 1, match[0][1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return f"{name}:{line}: {path}" if line else f"{name}: {path}"
