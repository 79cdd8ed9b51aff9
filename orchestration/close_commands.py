"""``omniops close``: the daily close sign-off from a terminal or a scheduler (``decisions.close_loop``).

Same rules as ``omniops warnings`` (orchestration/decision_commands.py): ``--user`` is checked against
the users file and its role, a refusal prints the reason and exits non-zero, ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse
from datetime import date

from orchestration.decision_commands import action_parser, guarded, open_store, print_json

DAY_COLUMNS = ("id", "state", "revision", "owner", "signed_by", "version")


def _print_days(days: list[dict]) -> None:
    for record in days:
        print("\t".join(str(record[c] or "") for c in DAY_COLUMNS))
        for v in record["variances"]:
            explained = v["reason_code"] or "-"
            print(f"  {v['id']}\t{v['variance']:+g}\t{v['system_reason'] or ''}\t{explained}")


def _print_pending(view: dict) -> None:
    unsigned, overdue = view["unsigned"], view["overdue_actions"]
    print(f"{len(unsigned)} unsigned day(s), {len(overdue)} overdue corrective action(s)")
    for record in unsigned:
        print(f"  unsigned {record['id']} (owner {record['owner']})")
    for v in overdue:
        print(f"  overdue {v['id']}: {v['corrective_action']} (due {v['action_due']}, {v['action_owner']})")


def _act(store, user, args: argparse.Namespace) -> dict:
    from decisions import close_loop

    if args.close_command == "reason":
        return close_loop.explain(
            store,
            user,
            args.id,
            reason_code=args.code,
            comment=args.comment,
            corrective_action=args.action,
            action_owner=args.action_owner,
            action_due=args.action_due,
            version=args.version,
        )
    if args.close_command == "sign":
        return close_loop.sign(store, user, args.id, version=args.version)
    if args.close_command == "reopen":
        return close_loop.reopen(store, user, args.id, reason=args.reason, version=args.version)
    return close_loop.action_done(store, user, args.id, version=args.version)


@guarded
def cmd_close(args: argparse.Namespace) -> int:
    from decisions import close_loop
    from decisions.people import actor

    store = open_store()
    user = actor(args.user)
    if args.close_command == "show":
        day = date.fromisoformat(args.day) if args.day else None
        result = close_loop.show(store, day, args.work_center)
        show = _print_days
    elif args.close_command == "pending":
        result = close_loop.pending(store, date.fromisoformat(args.today) if args.today else date.today())
        show = _print_pending
    else:
        result = _act(store, user, args)
        done = {"reason": "explained", "done": "corrective action done"}.get(args.close_command)

        def show(row: dict) -> None:
            print(f"[omniops] {row['id']}: {done or row['state']} (version {row['version']})")

    if args.json:
        print_json(result)
    else:
        show(result)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    close = sub.add_parser("close", help="daily close: show, reason, sign, reopen, done, pending")
    actions = close.add_subparsers(dest="close_command", required=True)

    def action(name: str, help_text: str, id_help: str | None = None) -> argparse.ArgumentParser:
        return action_parser(actions, name, help_text, id_help)

    show = action("show", "close records with their variances (newest first)")
    show.add_argument("--day", help="YYYY-MM-DD")
    show.add_argument("--work-center", help="e.g. SEW")
    variance = "a variance id, e.g. 2026-11-21/SEW/PO-1/20"
    reason = action("reason", "give a variance its reason code, comment and corrective action", variance)
    reason.add_argument("--code", required=True, help="a code of dbt_project/seeds/daily_close_reasons.csv")
    reason.add_argument("--comment", required=True)
    reason.add_argument("--action", required=True, help="the corrective action")
    reason.add_argument("--action-owner", help="who carries it out (default: --user)")
    reason.add_argument("--action-due", help="YYYY-MM-DD")
    action(
        "sign", "sign a day of a work centre (refused while a variance has no reason)", "e.g. 2026-11-21/SEW"
    )
    reopen = action("reopen", "reopen a signed day as a new revision", "e.g. 2026-11-21/SEW")
    reopen.add_argument("--reason", required=True)
    action("done", "mark a variance's corrective action done", variance)
    pending = action("pending", "unsigned days and overdue corrective actions (the manager's view)")
    pending.add_argument("--today", help="YYYY-MM-DD (default: today)")
    close.set_defaults(func=cmd_close)
