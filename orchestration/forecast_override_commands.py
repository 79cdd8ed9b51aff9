"""``omniops forecast override``: a planner's number for a series × period, with the reason.

``set`` stores it in the operational store as ``--user`` (planner or manager); ``remove`` deletes one
(audited); ``list`` shows them. Exit codes as the other store commands (``orchestration.decision_commands``):
1 refused, 2 bad input, 3 store not upgraded or unreachable. The next forecast run applies them on top
of the consensus.
"""

from __future__ import annotations

import argparse
from datetime import date

from orchestration.decision_commands import guarded, open_store, print_json

COLUMNS = ("unique_id", "freq", "ds", "quantity", "reason", "set_by", "set_at", "version")


@guarded
def cmd_override(args: argparse.Namespace) -> int:
    from decisions import forecast_overrides
    from decisions.errors import BadInput
    from decisions.people import actor

    store = open_store()
    if args.override_command == "list":
        rows = forecast_overrides.list_overrides(store, args.freq)
        if args.json:
            print_json(rows)
        else:
            print("\t".join(COLUMNS))
            for row in rows:
                print("\t".join(str(row[c]) for c in COLUMNS))
        return 0
    try:
        period = date.fromisoformat(args.period)
    except ValueError as error:
        raise BadInput(f"--period {args.period!r} is not a date YYYY-MM-DD") from error
    if args.override_command == "remove":
        key = forecast_overrides.override_id(args.series, args.freq, period)
        row = forecast_overrides.remove_override(store, actor(args.user), key)
        if args.json:
            print_json(row)
        else:
            print(f"[omniops] override {key} removed (was {row['quantity']:g}, set by {row['set_by']})")
        return 0
    row = forecast_overrides.set_override(
        store, actor(args.user), args.series, args.freq, period, args.quantity, args.reason
    )
    if args.json:
        print_json(row)
    else:
        print(f"[omniops] override {row['id']} = {row['quantity']:g} (version {row['version']})")
    return 0


def _series_period(parser: argparse.ArgumentParser, who: str) -> None:
    """The arguments naming one override: who acts, and the series × period."""
    parser.add_argument("--user", required=True, help=f"who {who} it (a planner or manager)")
    parser.add_argument("--series", required=True, help="the series, sku|channel")
    parser.add_argument("--period", required=True, help="the period's first day, YYYY-MM-DD")
    parser.add_argument("--freq", choices=["D", "W", "MS"], default="MS", help="default MS (month)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def add_override_parser(forecast: argparse.ArgumentParser) -> None:
    """``override set|remove|list`` under the ``forecast`` command."""
    sub = forecast.add_subparsers(dest="forecast_command")
    override = sub.add_parser("override", help="planner overrides of the forecast: set, remove, list")
    actions = override.add_subparsers(dest="override_command", required=True)
    setting = actions.add_parser("set", help="set (or replace) the number for a series × period")
    _series_period(setting, "sets")
    setting.add_argument("--quantity", type=float, required=True, help="the planner's number (units)")
    setting.add_argument("--reason", required=True, help="why (scored and read by others)")
    _series_period(actions.add_parser("remove", help="remove the override of a series × period"), "removes")
    listing = actions.add_parser("list", help="the stored overrides")
    listing.add_argument("--freq", choices=["D", "W", "MS"], help="only this frequency")
    listing.add_argument("--json", action="store_true", help="print JSON")
    override.set_defaults(func=cmd_override)
