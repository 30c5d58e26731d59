"""sources.yaml: the shipped catalog is valid, and every mistake gets a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from channelwatch.cli import main
from channelwatch.config import ConfigError, load_config, parse_config
from tests.servers import REPO_CONFIG

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
            "valid list",
        ),
        (
            lambda d: d["alerts"]["routes"][0].update(transport="pager"),
            "alerts.routes[0].transport",
            "'email', 'slack' or 'apprise'",
        ),
        (
            lambda d: d["schedule"].update(interval_minutes="often"),
            "schedule.interval_minutes",
            "integer",
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
