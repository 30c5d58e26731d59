"""The `channelwatch` command. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from channelwatch.config import Config, ConfigError, load_config
from channelwatch.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.command(args) or 0)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="channelwatch",
        description="Watch think-tank feeds for US–China dialogue channels reported suspended or resumed.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run one monitoring cycle as a Prefect flow run")
    run.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    run.add_argument(
        "--baseline", action="store_true", help="record channel states without alerting"
    )
    run.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="DATE",
        help="first install: take entries back to DATE (YYYY-MM-DD) as history, without alerting",
    )
    run.set_defaults(command=cmd_run)

    serve = commands.add_parser(
        "serve", help="run cycles on the schedule in the config, as a Prefect deployment"
    )
    serve.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    serve.set_defaults(command=cmd_serve)

    status = commands.add_parser(
        "status", help="every channel's state, since when, and the evidence"
    )
    status.add_argument("--config", help=argparse.SUPPRESS)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(command=cmd_status)

    detect = commands.add_parser("detect", help="the events found in a text")
    detect.add_argument("file", nargs="?", default="-", help="a text file, or - for standard input")
    detect.add_argument("--config", help=argparse.SUPPRESS)
    detect.add_argument(
        "--published", type=date.fromisoformat, help="the text's publication date (YYYY-MM-DD)"
    )
    detect.add_argument("--json", action="store_true", help="print JSON")
    detect.add_argument(
        "--explain",
        action="store_true",
        help="show, per sentence, why an event did or did not fire",
    )
    detect.set_defaults(command=cmd_detect)

    rematch = commands.add_parser(
        "rematch", help="re-detect stored articles with the current rules and catalog"
    )
    rematch.add_argument(
        "--since", type=date.fromisoformat, help="only articles published since (YYYY-MM-DD)"
    )
    rematch.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    rematch.set_defaults(command=cmd_rematch)

    evaluate = commands.add_parser(
        "eval", help="precision, recall and F1 of the detector on labelled passages"
    )
    evaluate.add_argument("file", help="labelled passages, one JSON object per line")
    evaluate.add_argument("--config", help=argparse.SUPPRESS)
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument(
        "--misses", action="store_true", help="list every passage the detector got wrong"
    )
    evaluate.set_defaults(command=cmd_eval)

    check = commands.add_parser("check", help="validate the configuration")
    check.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    check.set_defaults(command=cmd_check)
    return parser


def _config(args: argparse.Namespace, settings: Settings) -> tuple[str, Config]:
    path = args.config or settings.config
    return path, load_config(path)


def cmd_check(args: argparse.Namespace) -> int:
    from alerts import plan_routes

    settings = Settings()
    path, config = _config(args, settings)
    routing = plan_routes(config, settings)
    print(
        f"{path}: OK — {len(config.sources)} sources, {len(config.issues)} issues, "
        f"{len(config.channels)} channels, {len(config.alerts.routes)} routes "
        f"({len(routing.live)} live: {', '.join(r.name for r in routing.live) or 'none'})"
    )
    for line in routing.inactive:
        print(f"note: {line}")
    if config.polling.contact is None:
        print("note: set polling.contact (an email or URL), so publishers can reach you")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings()
    path, _ = _config(args, settings)  # a bad config stops here, before any flow run
    _quiet_prefect_defaults()
    from flows.monitor import run_cycle

    state = run_cycle(path, baseline=args.baseline, since=args.since)
    if state.is_cancelled():  # another cycle is running: nothing went wrong, nothing was done
        print(f"channelwatch: {state.message}", file=sys.stderr)
        return 0
    if state.is_failed():
        print(f"channelwatch: cycle failed: {state.message}", file=sys.stderr)
        return 1
    print(f"channelwatch: {state.message}")
    return 0


def cmd_rematch(args: argparse.Namespace) -> int:
    settings = Settings()
    path, _ = _config(args, settings)
    _quiet_prefect_defaults()
    from flows.rematch import rematch_flow

    state = rematch_flow(path, args.since, return_state=True)
    print(f"channelwatch: {state.message}")
    return 1 if state.is_failed() else 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings()
    path, config = _config(args, settings)
    _quiet_prefect_defaults()
    from flows.monitor import serve_cycles

    serve_cycles(str(Path(path).resolve()), config)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    import storage

    settings = Settings()
    _, config = _config(args, settings)
    engine = storage.open_database(settings.db_url)
    with Session(engine) as session:
        board = storage.channel_board(session, [c.id for c in config.channels])
        rows = [_status_row(row, config) for row in board]
        sources = storage.source_states(session, {s.id: s.url for s in config.sources})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['state']:<9}  {r['since'] or '':<10}  {(r['evidence'] or {}).get('sentence', '')}"
        )
    print("\nSources (a channel may be quiet for months; a source should not fail):")
    width = max(len(s.source_id) for s in sources)
    for state in sources:
        print(f"{state.source_id:<{width}}  {_health(state)}")
    return 0


def _health(state: Any) -> str:
    """One source's health in a line: ok or failing, since when, and what comes next."""

    def when(moment: Any) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"

    if state.last_polled_at is None:
        return "not polled yet"
    if state.failing_since is not None:
        polls = "poll" if state.consecutive_errors == 1 else "polls"
        health = (
            f"FAILING since {when(state.failing_since)} ({state.consecutive_errors} failed {polls}: "
            f"{state.last_error}); last success {when(state.last_success_at)}"
        )
    else:
        health = f"ok, last success {when(state.last_success_at)}"
    moved = f"; moved to {state.feed_url}" if state.feed_url else ""
    return f"{health}; next poll {when(state.next_poll_at)} UTC{moved}"


def _status_row(row: Any, config: Config) -> dict[str, Any]:
    evidence = None
    if row.event is not None and row.article is not None:
        published = row.article.published_at
        evidence = {
            "sentence": row.event.sentence,
            "url": row.article.url,
            "title": row.article.title,
            "published": published.date().isoformat() if published else None,
        }
    return {
        "channel": row.channel,
        "name": config.channel(row.channel).name,
        "state": row.state,
        "since": row.since,
        "evidence": evidence,
    }


def cmd_detect(args: argparse.Namespace) -> int:
    from matching import Detector

    settings = Settings()
    _, config = _config(args, settings)
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    detector = Detector(config.channels)
    if args.explain:
        for trace in detector.explain(text, args.published):
            if not (trace.mentions or trace.triggers):
                continue
            print(f"[{trace.sentence.start}:{trace.sentence.end}] {trace.sentence.text}")
            print(f"    mentions: {', '.join(f'{c} ({t!r})' for c, t in trace.mentions) or '-'}")
            print(f"    triggers: {', '.join(trace.triggers) or '-'}")
            for cue in trace.cues:
                print(f"    cue: {cue}")
            for e in trace.events:
                print(f"    EVENT {e.channel} {e.event} occurred={e.occurred} rule={e.rule}")
        return 0
    events = detector.detect(text, args.published)
    if args.json:
        keys = ("channel", "event", "sentence", "start", "end", "confidence", "occurred")
        print(
            json.dumps(
                [{k: asdict(e)[k] for k in keys} for e in events], indent=2, ensure_ascii=False
            )
        )
        return 0
    for e in events:
        print(f"{e.channel}\t{e.event}\t{e.occurred or '-'}\t{e.sentence}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from matching import Detector
    from matching.evaluate import CorpusError, evaluate, load_passages, wilson_interval

    settings = Settings()
    _, config = _config(args, settings)
    try:
        passages = load_passages(args.file)
    except (OSError, CorpusError) as exc:
        print(f"channelwatch: {exc}", file=sys.stderr)
        return 2
    scores = evaluate(Detector(config.channels), passages)
    if args.json:
        print(json.dumps(scores.as_json()))
        return 0
    p_low, p_high = wilson_interval(scores.tp, scores.tp + scores.fp)
    r_low, r_high = wilson_interval(scores.tp, scores.tp + scores.fn)
    print(
        f"{scores.passages} passages: {scores.tp} true positives, {scores.fp} false positives, {scores.fn} missed"
    )
    print(f"precision {scores.precision:.3f}  (95% CI {p_low:.3f}–{p_high:.3f})")
    print(f"recall    {scores.recall:.3f}  (95% CI {r_low:.3f}–{r_high:.3f})")
    print(f"F1        {scores.f1:.3f}")
    if scores.negatives:
        print("false fires on passages that report nothing, by kind:")
        for kind, (fired, of, rate) in scores.false_fire_rates().items():
            print(f"  {kind:<16} {fired:>3}/{of:<3} {rate:6.1%}")
    if args.misses:
        for miss in scores.misses:
            extra = ", ".join(f"+{c}:{e}" for c, e in sorted(miss.false_positives))
            missing = ", ".join(f"-{c}:{e}" for c, e in sorted(miss.false_negatives))
            print(
                f"\n{miss.passage.id} [{miss.passage.kind}] {extra} {missing}\n  {miss.passage.text}"
            )
    return 0


def _quiet_prefect_defaults() -> None:
    """Defaults for a local run; an operator's own Prefect settings still win."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


if __name__ == "__main__":
    sys.exit(main())
