"""The `channelwatch` command as users and scripts call it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session

import storage
from channelwatch.cli import main
from channelwatch.settings import Settings
from tests.servers import REPO_CONFIG, Site, WebhookReceiver, free_port

TEXT = (
    "Relations worsened after the Pelosi visit. On Friday, China suspended its climate talks "
    "with the United States. Both governments should revive their human rights dialogue."
)


def test_detect_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT)
    assert (
        main(
            [
                "detect",
                "--json",
                "--config",
                str(REPO_CONFIG),
                "--published",
                "2022-08-05",
                str(article),
            ]
        )
        == 0
    )
    [event] = json.loads(capsys.readouterr().out)
    assert list(event) == ["channel", "event", "sentence", "start", "end", "confidence", "occurred"]
    assert (event["channel"], event["event"], event["occurred"]) == (
        "climate",
        "suspended",
        "2022-08-05",
    )
    assert TEXT[event["start"] : event["end"]] == event["sentence"]
    assert 0 < event["confidence"] <= 1


def test_eval_scores_a_labelled_file_by_kind_and_keeps_its_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user scoring the detector on passages of their own sees what it found, what
    it missed and where: recall by kind of event, false fires by kind of non-event.
    Two labels are wrong on purpose: "b" has nothing to refer to (a miss), and "d"
    reports a halt but is labelled as a negation (a false fire)."""
    passages = [
        (
            "a",
            "On Friday, China suspended its climate talks with the United States.",
            "plain",
            [("climate", "suspended")],
        ),
        ("b", "They stopped after that.", "anaphora", [("mil_mil", "suspended")]),
        ("c", "Both governments should revive their human rights dialogue.", "recommendation", []),
        ("d", "Beijing halted the counternarcotics working group in August.", "negation", []),
    ]
    corpus = tmp_path / "mine.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": i,
                    "text": t,
                    "published": "2022-08-05",
                    "kind": k,
                    "expected": [{"channel": c, "event": e} for c, e in expected],
                }
            )
            for i, t, k, expected in passages
        )
    )
    assert main(["eval", "--config", str(REPO_CONFIG), str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "4 passages: 1 true positives, 1 false positives, 1 missed" in out
    assert re.search(r"plain\s+1/1\s+100.0%", out) and re.search(r"anaphora\s+0/1\s+0.0%", out)
    assert re.search(r"negation\s+1/1\s+100.0%", out)
    assert re.search(r"recommendation\s+0/1\s+0.0%", out)

    assert main(["eval", "--json", "--config", str(REPO_CONFIG), str(corpus)]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == {"precision", "recall", "f1", "tp", "fp", "fn", "passages"}
    assert (scores["tp"], scores["fp"], scores["fn"], scores["passages"]) == (1, 1, 1, 4)

    corpus.write_text(corpus.read_text() + '\n{"id": "e", "text": "no labels"}\n')
    assert main(["eval", "--config", str(REPO_CONFIG), str(corpus)]) == 2
    assert "mine.jsonl:5: not a labelled passage" in capsys.readouterr().err


def test_detect_reads_stdin_and_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(TEXT))
    monkeypatch.setenv("CHANNELWATCH_CONFIG", str(REPO_CONFIG))
    assert main(["detect", "--explain", "-"]) == 0
    out = capsys.readouterr().out
    assert "EVENT climate suspended" in out
    assert "revive: blocked by recommendation" in out


def test_status_json_lists_every_channel(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--json", "--config", str(REPO_CONFIG)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 12
    assert all(list(r) == ["channel", "name", "state", "since", "evidence"] for r in rows)
    assert {r["state"] for r in rows} == {"unknown"}


def test_status_shows_each_sources_health_apart_from_the_channels(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = storage.open_database(Settings().db_url)
    with Session(engine) as session:
        usip = storage.source_state(session, "usip", "https://www.usip.org/rss.xml")
        storage.record_poll(session, usip, status=503, error="HTTP 503 Service Unavailable")
        session.commit()
    engine.dispose()
    assert main(["status", "--config", str(REPO_CONFIG)]) == 0
    out = capsys.readouterr().out
    [line] = [ln for ln in out.splitlines() if ln.startswith("usip ")]
    assert "FAILING since" in line and "1 failed poll: HTTP 503 Service Unavailable" in line
    assert any(ln.startswith("csis ") and ln.endswith("not polled yet") for ln in out.splitlines())


def test_bad_config_stops_run_before_any_flow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources: []\nchannels: []\n")
    assert main(["run", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "sources" in err and "Traceback" not in err


def run_cli(
    args: list[str], cwd: Path, api_url: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """The installed command in a subprocess, as a user runs it."""
    full_env = {**os.environ, "PREFECT_API_URL": api_url, **env}
    return subprocess.run(
        [str(Path(sys.executable).with_name("channelwatch")), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def offline_config(folder: Path, urls: list[str]) -> Path:
    config = yaml.safe_load(REPO_CONFIG.read_text())
    config["sources"] = [
        {"id": f"src{i}", "name": f"Source {i}", "url": url} for i, url in enumerate(urls)
    ]
    config["polling"] = {"health_alert_hours": 0.001}  # a feed-health alert after 3.6 s
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.flow
def test_offline_run_reports_each_source_in_one_line_and_fails_only_if_all_failed(
    prefect_harness: str, tmp_path: Path, site: Site
) -> None:
    dead = [f"http://127.0.0.1:{free_port()}/feed.xml" for _ in range(3)]
    config = offline_config(tmp_path, dead)
    with WebhookReceiver() as slack:
        env = {"CHANNELWATCH_SLACK_WEBHOOK_URL": slack.url}
        result = run_cli(["run", "--config", str(config)], tmp_path, prefect_harness, env)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        for i in range(3):
            [line] = [ln for ln in output.splitlines() if f"source src{i}: FAILED" in ln]
            assert "cannot connect to 127.0.0.1" in line
        assert "cycle failed: every source failed" in result.stderr
        assert slack.posts == []  # failing for less than polling.health_alert_hours

        # Straight away again: nothing is due, but every source is still failing, and
        # the run says so rather than passing as a quiet cycle.
        again = run_cli(["run", "--config", str(config)], tmp_path, prefect_harness, env)
        assert again.returncode == 1, again.stdout + again.stderr
        assert "cycle failed: every source failed (3 sources failing)" in again.stderr

        # One live source is enough for the cycle to count as done. The dead ones back
        # off: not due yet, so not failed this cycle; but failing for long enough now.
        config = offline_config(tmp_path, [*dead, site.url("feed.xml")])
        result = run_cli(["run", "--config", str(config)], tmp_path, prefect_harness, env)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "3 state changes" in result.stdout
        for i in range(3):
            [line] = [ln for ln in output.splitlines() if f"source src{i}: not due until" in ln]
            assert "backing off after 1 failed poll: cannot connect to 127.0.0.1" in line
        headers = [post["blocks"][0]["text"]["text"] for post in slack.posts]
        assert sorted(h for h in headers if "FAILING" in h) == [
            f"Feed Source {i} FAILING" for i in range(3)
        ]
        assert len(headers) == 5  # and the three state changes, in one message per article
    assert slack.path not in output  # the webhook URL is a secret
