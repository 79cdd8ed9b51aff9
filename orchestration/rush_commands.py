"""``omniops rush``: rush-order proposals from a terminal or a script (``decisions.rush_loop``).

``propose`` runs the what-if on the published plan, holding the proposals approved since it was made
(deterministic: the same request on the same plan and store gives the same result), and saves the
proposal with its result; ``approve``
and ``reject`` are PMC's, ``acknowledge`` production's. Same rules as ``omniops warnings``: ``--user``
checked with its role, refusals exit non-zero with the reason, ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse

from orchestration.decision_commands import action_parser, guarded, open_store, print_json

LIST_COLUMNS = ("id", "state", "sku", "quantity", "due_at", "planned_completion", "on_time", "version")
DUE_HOUR_LOCAL = 18  # a due date without a time means the end of that plant day


def due_utc(text: str):
    """``YYYY-MM-DD`` (18:00) or ``YYYY-MM-DDTHH:MM`` in the company's time zone, as naive UTC."""
    import pandas as pd

    from core.settings import COMPANY_TIME_ZONE
    from decisions.errors import BadInput

    try:
        moment = pd.Timestamp(text)
    except ValueError:
        raise BadInput(f"due {text!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (company time)") from None
    if len(text) == 10:
        moment += pd.Timedelta(hours=DUE_HOUR_LOCAL)
    return moment.tz_localize(COMPANY_TIME_ZONE).tz_convert("UTC").tz_localize(None).to_pydatetime()


def _propose(store, user, args: argparse.Namespace) -> dict:
    import duckdb

    from core.settings import get_paths
    from decisions import rush_loop
    from decisions.errors import StoreNotUpgraded

    published = get_paths().published_db
    if not published.exists():
        raise StoreNotUpgraded(f"no published plan at {published}: run `omniops run` first")
    due = due_utc(args.due)
    frozen = int(args.frozen_hours * 60)
    with duckdb.connect(str(published), read_only=True) as warehouse:
        evaluation = rush_loop.evaluate(
            warehouse,
            args.sku,
            args.quantity,
            due,
            args.tier,
            frozen,
            args.time_limit,
            held=rush_loop.held_proposals(store),
        )
    return rush_loop.propose(
        store,
        user,
        sku=args.sku,
        quantity=args.quantity,
        due_at=due,
        tier=args.tier,
        frozen_minutes=frozen,
        evaluation=evaluation,
        customer=args.customer,
        customer_order=args.order,
    )


@guarded
def cmd_rush(args: argparse.Namespace) -> int:
    from decisions import rush_loop
    from decisions.people import actor

    store = open_store()
    user = actor(args.user)
    command = args.rush_command
    if command == "list":
        rows = rush_loop.list_proposals(store, args.state)
        if args.json:
            print_json(rows)
        else:
            print("\t".join(LIST_COLUMNS))
            for row in rows:
                print("\t".join("" if row[c] is None else str(row[c]) for c in LIST_COLUMNS))
        return 0
    if command == "propose":
        row = _propose(store, user, args)
    elif command == "approve":
        row = rush_loop.approve(store, user, args.id, comment=args.comment, version=args.version)
    elif command == "reject":
        row = rush_loop.reject(store, user, args.id, comment=args.comment, version=args.version)
    else:
        row = rush_loop.acknowledge(store, user, args.id, comment=args.comment, version=args.version)
    if args.json:
        print_json(row)
    else:
        print(f"[omniops] rush proposal {row['id']} is {row['state']} (version {row['version']})")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    rush = sub.add_parser("rush", help="rush-order proposals: propose, approve, reject, acknowledge, list")
    actions = rush.add_subparsers(dest="rush_command", required=True)

    def action(name: str, help_text: str, with_id: bool = True) -> argparse.ArgumentParser:
        return action_parser(
            actions, name, help_text, "the proposal id, e.g. RUSH-00001" if with_id else None
        )

    propose = action("propose", "evaluate a rush order on the published plan and save the proposal", False)
    propose.add_argument("--sku", required=True)
    propose.add_argument("--quantity", type=int, required=True)
    propose.add_argument("--due", required=True, help="YYYY-MM-DD (18:00) or YYYY-MM-DDTHH:MM, company time")
    propose.add_argument("--tier", choices=["A", "B", "C"], default="A")
    propose.add_argument("--frozen-hours", type=float, default=8.0, help="plant hours kept as planned (8)")
    propose.add_argument("--customer", help="the customer, if any")
    propose.add_argument("--order", help="the customer's order, if any (required for cs_agent)")
    propose.add_argument("--time-limit", type=float, default=4.0, help="solver seconds per what-if (4)")
    for name, help_text in (("approve", "PMC approves"), ("reject", "PMC rejects")):
        action(name, help_text).add_argument("--comment", required=True)
    action("acknowledge", "production acknowledges an approved proposal").add_argument("--comment")
    action("list", "proposals with their state", False).add_argument("--state", action="append")
    rush.set_defaults(func=cmd_rush)
