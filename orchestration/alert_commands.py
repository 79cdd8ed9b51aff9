"""``omniops alerts``: a user's KPI alert subscriptions (``decisions.kpi_alerts``).

``subscribe`` and ``unsubscribe`` name the user (``--user``, checked against the users file) and the KPI
(``--kpi``: otd_rate, oee, cs_first_response); ``list`` shows the user's subscriptions, or everyone's with
``--all``. Same exit codes and ``--json`` as ``omniops warnings``.
"""

from __future__ import annotations

import argparse

from orchestration.decision_commands import action_parser, guarded, open_store, print_json


@guarded
def cmd_alerts(args: argparse.Namespace) -> int:
    from decisions import kpi_alerts
    from decisions.people import actor

    store = open_store()
    user = actor(args.user)
    if args.alerts_command == "list":
        rows = kpi_alerts.subscriptions(store, None if args.all else user.username)
        if args.json:
            print_json(rows)
        else:
            print("user\tkpi\tsubscribed_at")
            for row in rows:
                print(f"{row['username']}\t{row['kpi']}\t{row['subscribed_at']:%Y-%m-%d %H:%M}")
        return 0
    change = kpi_alerts.subscribe if args.alerts_command == "subscribe" else kpi_alerts.unsubscribe
    row = change(store, user, args.kpi)
    if args.json:
        print_json({**row, "subscribed": args.alerts_command == "subscribe"})
    else:
        verb = "subscribed to" if args.alerts_command == "subscribe" else "unsubscribed from"
        print(f"[omniops] {user.username} {verb} the {args.kpi} alert")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    alerts = sub.add_parser(
        "alerts", help="KPI alerts (OTD, OEE, first response): subscribe, unsubscribe, list"
    )
    actions = alerts.add_subparsers(dest="alerts_command", required=True)
    for name, help_text in (
        ("subscribe", "be told when the KPI crosses its target (inbox, webhook, e-mail)"),
        ("unsubscribe", "stop the KPI's alerts"),
    ):
        action_parser(actions, name, help_text).add_argument(
            "--kpi", required=True, help="otd_rate, oee or cs_first_response"
        )
    action_parser(actions, "list", "the user's subscriptions").add_argument(
        "--all", action="store_true", help="every user's subscriptions"
    )
    alerts.set_defaults(func=cmd_alerts)
