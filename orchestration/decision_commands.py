"""``omniops db`` and ``omniops warnings``: the operational store's commands, for people and scripts.

Every action names its user (``--user``, checked against the users file and the role's rights in
``decisions.roles``); a refused action prints the reason and exits non-zero: 1 refused (role, state, or
changed meanwhile), 2 bad input, 3 store not upgraded or unreachable. ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime

from core.settings import export_environment


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def print_json(value) -> None:
    print(json.dumps(value, default=_json_default, ensure_ascii=False), flush=True)


def guarded(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a store command; turn a refusal or an unreachable store into its message and exit code."""

    def run(args: argparse.Namespace) -> int:
        import sqlalchemy as sa

        from decisions.errors import DecisionError

        export_environment()
        try:
            return action(args)
        except DecisionError as error:
            if getattr(args, "json", False):
                print_json({"error": type(error).__name__, "reason": str(error)})
            print(f"[omniops] refused: {error}", file=sys.stderr, flush=True)
            return error.exit_code
        except sa.exc.OperationalError as error:
            print(
                f"[omniops] the operational store is unavailable: {error.orig}", file=sys.stderr, flush=True
            )
            return 3

    return run


def open_store():
    from decisions.store import Store

    store = Store()
    store.require_current()
    return store


@guarded
def cmd_db(args: argparse.Namespace) -> int:
    from decisions.store import Store

    store = Store()
    if args.db_command == "upgrade":
        before, after = store.upgrade()
        print(f"[omniops] operational store {store.where}: revision {before or '(empty)'} → {after}")
    else:
        current, head = store.revision(), store.head()
        state = "up to date" if current == head else "run `omniops db upgrade`"
        print(f"[omniops] store {store.where}: revision {current or '(empty)'}, code {head}: {state}")
    return 0


WARNING_COLUMNS = ("id", "state", "level", "owner", "production_order_id", "work_center", "due_at", "version")


@guarded
def cmd_warnings(args: argparse.Namespace) -> int:
    from decisions import t3_loop
    from decisions.notify import deliver_pending
    from decisions.people import actor

    store = open_store()
    if args.warnings_command == "escalate":
        now = datetime.fromisoformat(args.now) if args.now else None
        climbs = t3_loop.escalate(store, now=now)
        sent = deliver_pending(store)
        if args.json:
            print_json({"climbed": climbs, "delivered": sent})
        else:
            print(f"[omniops] {len(climbs)} climb(s); notifications sent {sent}")
        return 0
    user = actor(args.user)
    if args.warnings_command == "list":
        rows = t3_loop.list_warnings(store, args.state, owner=user.username if args.mine else None)
        if args.json:
            print_json(rows)
        else:
            print("\t".join(WARNING_COLUMNS))
            for row in rows:
                print("\t".join("" if row[c] is None else str(row[c]) for c in WARNING_COLUMNS))
        return 0
    if args.warnings_command == "ack":
        row = t3_loop.acknowledge(
            store,
            user,
            args.id,
            countermeasure=args.countermeasure,
            expected_recovery=args.recovery_date,
            action_owner=args.owner,
            version=args.version,
        )
    elif args.warnings_command == "resolve":
        row = t3_loop.resolve(
            store, user, args.id, action_taken=args.action, root_cause=args.root_cause, version=args.version
        )
    else:
        row = t3_loop.cancel(store, user, args.id, reason=args.reason, version=args.version)
    if args.json:
        print_json(row)
    else:
        print(f"[omniops] T-3 warning {row['id']} is {row['state']} (version {row['version']})")
    return 0


def action_parser(
    actions: argparse._SubParsersAction, name: str, help_text: str, id_help: str | None = None
) -> argparse.ArgumentParser:
    """A subcommand that acts as ``--user`` (and on the item ``id`` with its ``--version``)."""
    parser = actions.add_parser(name, help=help_text)
    if id_help:
        parser.add_argument("id", help=id_help)
        parser.add_argument("--version", type=int, help="the version you saw; refused if it changed since")
    parser.add_argument("--user", required=True, help="who acts (a user of `omniops users list`)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def add_parsers(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="the operational store: `db upgrade` applies migrations, `db current`")
    db.add_argument("db_command", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)

    warnings = sub.add_parser("warnings", help="T-3 warnings: list, ack, resolve, cancel, escalate")
    actions = warnings.add_subparsers(dest="warnings_command", required=True)

    warning = "the warning id, e.g. T3-00001"

    def action(name: str, help_text: str, with_id: bool = True) -> argparse.ArgumentParser:
        return action_parser(actions, name, help_text, warning if with_id else None)

    listing = action("list", "warnings with their state (every state unless --state)", with_id=False)
    listing.add_argument("--state", action="append", help="only this state (repeatable)")
    listing.add_argument("--mine", action="store_true", help="only the warnings the user owns")
    ack = action("ack", "acknowledge: the countermeasure and the expected recovery date")
    ack.add_argument("--countermeasure", required=True)
    ack.add_argument("--recovery-date", required=True, help="YYYY-MM-DD")
    ack.add_argument("--owner", help="who owns the countermeasure (default: --user)")
    resolve = action("resolve", "resolve an acknowledged warning: the action taken and its root cause")
    resolve.add_argument("--action", required=True, help="what was done")
    resolve.add_argument("--root-cause", required=True, help="a code of dbt_project/seeds/t3_root_causes.csv")
    cancel = action("cancel", "cancel an open or acknowledged warning, with the reason")
    cancel.add_argument("--reason", required=True)
    escalate = actions.add_parser("escalate", help="climb the warnings not acknowledged in time; notify")
    escalate.add_argument("--now", help="the moment to check at (ISO, UTC; default now)")
    escalate.add_argument("--json", action="store_true")
    warnings.set_defaults(func=cmd_warnings)
