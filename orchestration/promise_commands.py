"""``omniops promise``: the earliest date a quantity of a SKU can ship (``planning.promise``), on the
published warehouse. Exit 0 with an answer (also "cannot promise"), 2 on bad input, 3 without a published
warehouse; ``--json`` prints one object (``JSON_KEYS``)."""

from __future__ import annotations

import argparse
import sys

from orchestration.decision_commands import print_json

JSON_KEYS = (
    "sku", "quantity", "channel", "source", "ship_date", "warehouse", "reason", "as_of", "from_stock",
    "to_make", "planned_completion", "atp_on_ship_date", "detail",
)  # fmt: skip


def cmd_promise(args: argparse.Namespace) -> int:
    import duckdb

    from core.settings import COMPANY_TIME_ZONE, export_environment, get_paths
    from planning.promise_answer import PromiseInputError, promise

    export_environment()
    published = get_paths().published_db
    if not published.exists():
        print(f"[omniops] no published warehouse at {published}: run `omniops run` first", file=sys.stderr)
        return 3
    with duckdb.connect(str(published), read_only=True) as conn:
        try:
            answer = promise(conn, args.sku, args.qty, COMPANY_TIME_ZONE, args.channel, args.warehouse)
        except PromiseInputError as error:
            if args.json:
                print_json({"error": "BadInput", "reason": str(error)})
            print(f"[omniops] promise: {error}", file=sys.stderr)
            return 2
        except FileNotFoundError as error:  # a warehouse published before the ATP mart existed
            print(f"[omniops] promise: {error}", file=sys.stderr)
            return 3
    result = answer.as_dict()
    if args.json:
        print_json({key: result[key] for key in JSON_KEYS})
        return 0
    if answer.ship_date is None:
        print(f"cannot promise {answer.quantity} × {answer.sku}: {answer.reason}")
    else:
        when = f"{answer.ship_date:%Y-%m-%d}"
        print(f"{answer.quantity} × {answer.sku} can ship on {when} from {answer.source}")
        print(f"  {answer.reason}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promise", help="earliest date a quantity of a SKU can ship, from stock or production")
    p.add_argument("--sku", required=True)
    p.add_argument("--qty", type=int, required=True, help="units to promise")
    p.add_argument("--channel", help="the selling channel (checked; ATP is shared by every channel)")
    p.add_argument("--warehouse", help="only this warehouse's stock")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_promise)
