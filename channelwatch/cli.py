"""The `channelwatch` command. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import select

from channelwatch.config import Config, ConfigError, load_config
from channelwatch.settings import Settings, settings_problems


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.command(args) or 0)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    except ValidationError as exc:  # raised by Settings(): a wrong environment variable
        print("\n".join(settings_problems(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`channelwatch history | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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

    past = commands.add_parser(
        "history", help="every state change, oldest first, with its evidence and corrections"
    )
    past.add_argument("channel", nargs="?", help="only this channel (its id)")
    past.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    form = past.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print CSV")
    form.add_argument("--atom", action="store_true", help="print the Atom feed of transitions")
    past.set_defaults(command=cmd_history)

    correct = commands.add_parser(
        "correct",
        help="correct a state change: reject it, confirm it, or set its date; "
        "every route told of it gets a correction notice",
    )
    correct.add_argument("transition", type=int, help="the transition's id (see `history`)")
    action = correct.add_mutually_exclusive_group(required=True)
    action.add_argument("--reject", action="store_true", help="it did not happen")
    action.add_argument("--confirm", action="store_true", help="it did happen")
    action.add_argument("--date", metavar="DATE", type=_iso_date, help="it happened on DATE")
    correct.add_argument("--note", help="why, for the audit trail and the notice")
    correct.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    correct.set_defaults(command=cmd_correct)

    alerts = commands.add_parser("alerts", help="alerts that are not delivered yet")
    alerts_commands = alerts.add_subparsers(required=True, metavar="ACTION")
    pending = alerts_commands.add_parser("list", help="alerts waiting, failing or given up")
    pending.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    pending.set_defaults(command=cmd_alerts_list)
    retry = alerts_commands.add_parser(
        "retry", help="send what is due now, and the alerts given up on, again"
    )
    retry.add_argument("ids", nargs="*", type=int, help="only these alerts (default: all failed)")
    retry.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    retry.set_defaults(command=cmd_alerts_retry)

    check = commands.add_parser("check", help="validate the configuration")
    check.add_argument("--config", help="path to sources.yaml (default: CHANNELWATCH_CONFIG)")
    check.set_defaults(command=cmd_check)
    return parser


def _iso_date(value: str) -> str:
    """A date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
        )
    date.fromisoformat((value + "-01-01")[:10])  # a real month and day
    return value


def _config(args: argparse.Namespace, settings: Settings) -> tuple[str, Config]:
    path = args.config or settings.config
    return path, load_config(path)


def _database(args: argparse.Namespace) -> tuple[Settings, Config, Any]:
    """The settings, the catalog, and the database brought up to date (an Engine)."""
    import storage

    settings = Settings()
    _, config = _config(args, settings)
    return settings, config, storage.open_database(settings.db_url)


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

    settings, config, engine = _database(args)
    with Session(engine) as session:
        board = storage.channel_board(session, [c.id for c in config.channels])
        rows = [_status_row(row, config) for row in board]
        sources = storage.source_states(session, {s.id: s.url for s in config.sources})
        # Waiting for its first try is normal; a failed try or a given-up alert is not.
        troubled = [
            a for a in storage.outbox.undelivered(session) if a.status == "failed" or a.attempts
        ]
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
    if troubled:
        from alerts import describe_alert

        print("\nAlerts not delivered (`channelwatch alerts retry` sends those given up on again):")
        for alert in troubled:
            print(describe_alert(alert))
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


def cmd_history(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    import storage
    from alerts.history import CSV_FIELDS, atom_feed, csv_row, history_rows

    _, config, engine = _database(args)
    if args.channel and args.channel not in {c.id for c in config.channels}:
        print(
            f"channelwatch: unknown channel {args.channel!r}; `channelwatch status` lists them",
            file=sys.stderr,
        )
        return 2
    with Session(engine) as session:
        rows = history_rows(storage.history(session, args.channel), config)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_row(row) for row in rows)
    elif args.atom:
        sys.stdout.write(atom_feed(rows))
    else:
        for row in rows:
            flags = [] if row["status"] == "confirmed" else [row["status"]]
            flags += (["unstable"] if row["unstable"] else []) + (
                [] if row["alerted"] else ["not alerted"]
            )
            evidence = row["evidence"][0] if row["evidence"] else {}
            print(
                f"#{row['id']:<4} {row['recorded'][:16]}  {row['name']}: {row['from']} -> {row['to']}"
                f" since {row['since'] or '?'}"
                + (f" [{', '.join(flags)}]" if flags else "")
                + f"; {row['publishers']} publisher(s), {len(row['evidence'])} report(s)"
            )
            if evidence:
                print(f"      “{evidence['sentence']}” {evidence['url']}")
            for c in row["corrections"]:
                print(
                    f"      corrected by {c['by']} at {c['at'][:16]}: {c['action']} {c['before']} -> {c['after']}"
                )
    engine.dispose()
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    import getpass

    from sqlmodel import Session

    import storage

    settings, config, engine = _database(args)
    action = "reject" if args.reject else "confirm" if args.confirm else "date"
    with Session(engine) as session:
        try:
            correction = storage.correct_transition(
                session,
                args.transition,
                action,
                by=getpass.getuser(),
                when=args.date,
                note=args.note,
            )
        except storage.CorrectionError as exc:
            print(f"channelwatch: {exc}", file=sys.stderr)
            return 2
        session.commit()
        told = session.exec(
            select(storage.Alert.route).where(storage.Alert.correction_id == correction.id)
        ).all()
        print(
            f"transition {args.transition}: {action} recorded ({correction.before} -> {correction.after}); "
            + (
                f"correction notice queued for {', '.join(told)}"
                if told
                else "no route had been told of it"
            )
        )
    return _deliver_now(config, settings, engine)


def cmd_alerts_list(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    import storage
    from alerts import describe_alert

    _, _, engine = _database(args)
    with Session(engine) as session:
        waiting = storage.outbox.undelivered(session)
        for alert in waiting:
            print(describe_alert(alert))
    if not waiting:
        print("every alert has been delivered")
    engine.dispose()
    return 0


def cmd_alerts_retry(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    import storage

    settings, config, engine = _database(args)
    with Session(engine) as session:
        again = storage.outbox.retry_failed(session, args.ids)
        session.commit()
    if again:
        print(f"channelwatch: {len(again)} alerts given up on are queued again")
    elif args.ids:
        print(f"channelwatch: none of {args.ids} was given up on")
    return _deliver_now(config, settings, engine)


def _deliver_now(config: Config, settings: Settings, engine: Any) -> int:
    """Deliver what is due now, outside a cycle (a correction, a retry); say how it went.

    It takes the cycle lock, as a cycle does: two deliveries at once would both send
    what is due. When a cycle is running, that cycle delivers it."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    import feeds
    import storage
    from alerts import Senders, deliver, plan_routes
    from alerts.history import publish_atom

    routing = plan_routes(config, settings)
    try:
        with (
            storage.cycle_lock(engine),
            feeds.make_client() as client,
            Session(engine) as session,
        ):
            senders = Senders.from_settings(settings, client)
            reports = deliver(session, config, routing, senders, now=datetime.now(UTC))
            publish_atom(session, config)
    except storage.CycleRunning:
        print("channelwatch: a cycle is running; it, or the next one, delivers what is due")
        return 0
    finally:
        engine.dispose()
    if not reports:
        print("channelwatch: no alert is due")
    for report in reports:
        outcome = "delivered" if report.delivered else f"{report.outcome}: {report.error}"
        print(f"{report.route}: {report.channel}: {outcome}")
    return 0 if all(r.delivered or r.outcome in ("held", "deferred") for r in reports) else 1


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
    if scores.positives:
        print("recall on passages that report events, by kind:")
        for kind, (found, of, rate) in scores.recall_by_kind().items():
            print(f"  {kind:<16} {found:>3}/{of:<3} {rate:6.1%}")
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
    # The temporary local server needs more than Prefect's 20 s on a busy small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


if __name__ == "__main__":
    sys.exit(main())
