"""sources.yaml: the shipped catalog is valid, and every mistake gets a clear message."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from channelwatch.cli import main
from channelwatch.config import Config, ConfigError, load_config, parse_config
from tests.servers import REPO_CONFIG, Site

CATALOG_IDS = {
    "mil_mil",
    "defense_policy_coordination",
    "mmca",
    "theater_commanders",
    "climate",
    "counternarcotics",
    "transnational_crime",
    "illegal_immigrant_repatriation",
    "criminal_legal_assistance",
    "arms_control_nonproliferation",
    "economic_financial",
    "human_rights",
}
TRACKED_ISSUES = {
    "taiwan",
    "russia_ukraine",
    "trade_technology",
    "climate",
    "nonproliferation_north_korea",
    "counternarcotics_fentanyl",
    "transnational_crime",
    "human_rights",
    "detained_citizens",
    "military_risk",
    "economy_finance",
}


def test_shipped_catalog_is_valid_and_complete() -> None:
    config = load_config(REPO_CONFIG)
    assert len(config.sources) >= 12
    assert all(s.url.startswith("https://") for s in config.sources)
    assert {c.id for c in config.channels} == CATALOG_IDS
    assert {i.id for i in config.issues} == TRACKED_ISSUES
    assert all(c.parties == ["US", "CN"] for c in config.channels)
    assert {r.transport for r in config.alerts.routes} >= {"email", "slack"}


def test_no_alias_is_a_bare_generic_word() -> None:
    config = load_config(REPO_CONFIG)
    generic = {
        "dialogue",
        "dialogues",
        "talks",
        "cooperation",
        "working group",
        "channel",
        "channels",
    }
    assert not [a for c in config.channels for a in c.aliases if a.lower() in generic]


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, name="sources.yaml")
    return caught.value.problems


def catalog_with(**changes: object) -> str:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False)


def test_unknown_key_names_file_line_path_and_the_fix() -> None:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["channels"][2]["aliasses"] = data["channels"][2].pop("aliases")
    found = problems(yaml.safe_dump(data, sort_keys=False))
    [problem] = [p for p in found if "aliasses" in p]
    assert problem.startswith("sources.yaml:")
    assert "channels[2].aliasses" in problem
    assert any("channels[2].aliases" in p and "required key is missing" in p for p in found)
    assert "did you mean 'aliases'?" in problem
    line = int(problem.split(":")[1])
    assert "aliasses" in yaml.safe_dump(data, sort_keys=False).splitlines()[line - 1]


def test_every_mistake_is_reported_at_once() -> None:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"][1]["id"] = data["sources"][0]["id"]
    data["channels"][0]["issue"] = "militray_risk"
    data["alerts"]["routes"][0]["channels"] = ["climat"]
    found = problems(yaml.safe_dump(data, sort_keys=False))
    assert len(found) == 3
    assert any("sources[1].id" in p and "duplicate id" in p for p in found)
    assert any("channels[0].issue" in p and "did you mean 'military_risk'?" in p for p in found)
    assert any(
        "alerts.routes[0].channels[0]" in p and "did you mean 'climate'?" in p for p in found
    )


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (
            lambda d: d["sources"][0].update(url="ftp://example.org/feed"),
            "sources[0].url",
            "http:// or https://",
        ),
        (lambda d: d["sources"][0].update(id="Bad Id"), "sources[0].id", "not a valid id"),
        (lambda d: d["sources"][0].pop("url"), "sources[0].url", "required key is missing"),
        (
            lambda d: d["channels"][0].update(aliases="climate talks"),
            "channels[0].aliases",
            "expected a list",
        ),
        (
            lambda d: d["alerts"]["routes"][0].update(transport="pager"),
            "alerts.routes[0].transport",
            "'email', 'slack' or 'apprise'",
        ),
        (
            lambda d: d["schedule"].update(interval_minutes="often"),
            "schedule.interval_minutes",
            "a whole number",
        ),
        (
            lambda d: d["alerts"]["routes"][0].update(transport="apprise"),
            "alerts.routes[0]",
            "needs url",
        ),
        (
            lambda d: d.setdefault("polling", {}).update(per_host=0),
            "polling.per_host",
            "greater than or equal to 1",
        ),
        (
            lambda d: d.setdefault("polling", {}).update(contact="the ops team"),
            "polling.contact",
            "an email address or an http(s) URL",
        ),
        (
            lambda d: d.setdefault("polling", {}).update(timeouts={"totl": 30}),
            "polling.timeouts.totl",
            "did you mean 'total'?",
        ),
        (
            lambda d: d["sources"][0].update(interval_minutes=0),
            "sources[0].interval_minutes",
            "greater than or equal to 1",
        ),
    ],
)
def test_wrong_values_name_the_key_and_what_to_write(mutate, path: str, words: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(REPO_CONFIG.read_text())
    mutate(data)
    found = problems(yaml.safe_dump(data, sort_keys=False))
    assert any(path in p and words in p for p in found), found


def test_polling_defaults_and_overrides() -> None:
    config = load_config(REPO_CONFIG)
    assert config.polling.per_host >= 1 and config.polling.health_alert_hours > 0
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data.pop("polling", None)  # the section is optional
    data["sources"][0]["interval_minutes"] = 120
    custom = parse_config(yaml.safe_dump(data))
    assert custom.polling.contact is None and custom.polling.interval_minutes is None
    assert custom.sources[0].interval_minutes == 120


def test_yaml_syntax_error_points_at_the_line() -> None:
    [problem] = problems("sources:\n  - id: a\n    name: [unclosed\n")
    assert problem.startswith("sources.yaml:4:1:")  # where the parser gave up
    assert "not valid YAML" in problem


def test_missing_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert "file not found" in str(caught.value) and "--config" in str(caught.value)


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(REPO_CONFIG)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "12 channels" in out
    assert "CHANNELWATCH_SMTP_HOST" in out  # the email route is off until SMTP is set
    assert "set polling.contact" in out  # publishers should be able to reach us

    bad = tmp_path / "sources.yaml"
    bad.write_text(catalog_with(sourcez=[]))
    assert main(["check", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "sourcez" in err and "did you mean 'sources'?" in err


# Every key of sources.yaml, wrong in turn. The test below fails when a key is added to
# the models without a line here, so each new key gets its message checked.
WRONG: dict[str, object] = {
    "schedule": 5,
    "schedule.interval_minutes": "often",
    "schedule.cron": "every day at nine",
    "polling": "fast",
    "polling.contact": "the ops team",
    "polling.interval_minutes": 0,
    "polling.max_connections": "many",
    "polling.per_host": 0,
    "polling.timeouts": 30,
    "polling.timeouts.connect": "slow",
    "polling.timeouts.read": -1,
    "polling.timeouts.total": 0,
    "polling.max_body_mb": 1000,
    "polling.health_alert_hours": "daily",
    "sources": {"id": "a"},
    "sources[0].id": "Bad Id",
    "sources[0].name": "",
    "sources[0].url": "ftp://example.org/feed",
    "sources[0].homepage": "www.example.org",
    "sources[0].interval_minutes": 0.5,
    "issues": "taiwan",
    "issues[0].id": "Taiwan!",
    "issues[0].name": ["a", "list"],
    "issues[0].keywords": [],
    "channels": [],
    "channels[0].id": 7,
    "channels[0].name": None,
    "channels[0].issue": "no_such_issue",
    "channels[0].parties": ["US"],
    "channels[0].aliases": "climate talks",
    "channels[0].topics": "climate",
    "alerts": ["analysts-email"],
    "alerts.routes": {"name": "x"},
    "alerts.routes[0].name": "my route!",
    "alerts.routes[0].transport": "pager",
    "alerts.routes[0].channels": ["climat"],
    "alerts.routes[0].issues": ["taiwn"],
    "alerts.routes[0].to": "desk@example.org",
    "alerts.routes[0].url": "tgram://bot/chat",
    "alerts.routes[0].quiet_hours": "nights",
    "alerts.routes[0].quiet_hours.start": 1320,  # what YAML makes of an unquoted 22:00
    "alerts.routes[0].quiet_hours.end": "25:00",
    "alerts.routes[0].quiet_hours.timezone": "Mars/Olympus",
    "alerts.routes[0].daily_digest": "mornings",
    "alerts.routes[0].daily_digest.at": "eight o'clock",
    "alerts.routes[0].daily_digest.timezone": "Nowhere",
    "alerts.confirmation": "strict",
    "alerts.confirmation.min_confidence": 1.5,
    "alerts.confirmation.min_publishers": 0,
    "alerts.corroboration_days": -1,
    "alerts.flap_days": "a week",
    "alerts.max_attempts": 0,
    "alerts.retry_minutes": 0,
    "alerts.atom_file": ["a", "list"],
    "scale": "big",
    "scale.task_runner": "spark",
    "scale.dask_address": "dask-scheduler:8786",
    "scale.workers": 0,
}
# Optional sections the shipped catalog leaves out: a key inside one is made wrong in a
# section that is otherwise right.
FILLED: dict[str, dict[str, str]] = {
    "alerts.routes[0].quiet_hours": {"start": "22:00", "end": "07:00"},
    "alerts.routes[0].daily_digest": {"at": "08:00"},
}
FIX_WORDS = re.compile(
    r"expected|should be|must be|is not (a|allowed)|write|keep|add|did you mean|needs|is for"
)


def key_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            listed = typing.get_origin(annotation) is list
            yield from key_paths(inner, f"{path}[0]." if listed else f"{path}.")


def set_path(data: dict, path: str, value: object) -> None:
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    node: Any = data
    for part in parts[:-1]:
        node = node.setdefault(part, {}) if isinstance(node, dict) else node[part]
    node[parts[-1]] = value


def test_every_key_is_in_the_table_below() -> None:
    assert set(key_paths(Config)) == set(WRONG)


@pytest.mark.parametrize("path", list(WRONG))
def test_each_key_wrong_in_turn_is_one_message_with_file_line_path_and_fix(path: str) -> None:
    data = yaml.load(REPO_CONFIG.read_text(), Loader=yaml.CSafeLoader)
    for section, filled in FILLED.items():
        if path.startswith(section + "."):
            set_path(data, section, dict(filled))
    set_path(data, path, WRONG[path])
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    [problem] = problems(text)
    found = re.match(rf"sources\.yaml:(\d+): {re.escape(path)}(\[\d+\])?: (.+)$", problem)
    assert found, problem  # the file, the line and the key path, as written in the file
    line, message = int(found.group(1)), found.group(3)
    key = path.rsplit(".", 1)[-1].split("[")[0]
    assert key in text.splitlines()[line - 1] or found.group(2)  # the key's line, or the item's
    assert FIX_WORDS.search(message), problem
    assert "Input should" not in message and "instance of" not in message  # our words


def test_a_key_written_twice_is_a_mistake_not_a_silent_choice() -> None:
    text = REPO_CONFIG.read_text().replace("  name: ", "  name: First name\n    name: ", 1)
    [problem] = problems(text)
    assert re.match(
        r"sources.yaml:\d+: sources\[0\].name: written twice \(lines \d+ and \d+\)", problem
    )


def test_a_wrong_setting_names_the_variable_and_never_shows_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHANNELWATCH_SMTP_PORT", "twenty-five")
    monkeypatch.setenv("CHANNELWATCH_SMTP_STARTTLS", "maybe")
    monkeypatch.setenv("CHANNELWATCH_SMTP_PASSWORD", "hunter2-secret")
    assert main(["check", "--config", str(REPO_CONFIG)]) == 2
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert len(lines) == 2 and "Traceback" not in out.err
    assert lines[0].startswith("CHANNELWATCH_SMTP_PORT: ") and "'twenty-five'" in lines[0]
    assert lines[1].startswith("CHANNELWATCH_SMTP_STARTTLS: ")
    assert "hunter2" not in out.err + out.out


@pytest.mark.parametrize("command", ["run", "serve", "rematch", "check"])
def test_nothing_starts_half_configured(
    command: str, workdir: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(REPO_CONFIG.read_text())
    data["sources"] = [{"id": "ppi", "name": "PPI", "url": site.url("feed.xml")}]
    data["channels"][0]["issue"] = "no_such_issue"
    bad = workdir / "sources.yaml"
    bad.write_text(yaml.safe_dump(data))
    assert main([command, "--config", str(bad)]) == 2
    assert "channels[0].issue: unknown issue" in capsys.readouterr().err
    assert list(workdir.iterdir()) == [bad]  # no database, no data folder
    assert site.hits == []  # and no request to any source
