"""ERP extracts (Odoo-style full snapshots): master data, the sales team's forecast, the plant's setup and
production orders, and exchange rates.

The sales forecast is biased on purpose, team by team (the Tmall team is optimistic, social commerce
sandbags), so forecast accuracy has something to measure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import Catalog
from .customers import People, cn_phone
from .demand import ChannelOrders, intensity
from .output import Output, fmt_local, fmt_money
from .plant import MACHINES, downtime_frame, machines_frame, shift_calendar, work_centers_frame
from .production import PlantResult
from .window import Window, month_day, rng_for

FORECAST_MONTHS_AHEAD = 6
# channel: (sales team, bias)
SALES_TEAMS = {
    "shopify": ("Global E-commerce", 1.12),
    "amazon": ("Global E-commerce", 1.1),
    "tmall": ("Tmall Team", 1.17),
    "social": ("Social Commerce", 0.86),
    "stores": ("Retail Stores", 0.88),
}


def write_master_data(out: Output, catalog: Catalog, people: People) -> None:
    p = catalog.products
    out.csv(
        "erp",
        "products.csv",
        pd.DataFrame(
            {
                "Internal Reference": p["sku"],
                "Name": p["name"],
                "Product Category": p["category"],
                "Product Type": "Storable Product",
                "Barcode": p["barcode"],
                "Sales Price": fmt_money(p["price_cny"].to_numpy()),
                "Cost": fmt_money(p["cost_cny"].to_numpy()),
                "Currency": "CNY",
                "Customer Lead Time": 3,
                "Manufacturing Lead Time": p["mfg_lead_days"],
                "Vendor Lead Time": p["vendor_lead_days"],
                "Route": p["route"],
                "Active": "True",
            }
        ),
    )
    e = people.erp
    person = people.cn.iloc[e["person"].to_numpy()].reset_index(drop=True)
    out.csv(
        "erp",
        "customers.csv",
        pd.DataFrame(
            {
                "Reference": e["ref"].to_numpy(),
                "Name": person["name"].to_numpy(),
                "Email": person["email"].to_numpy(),
                "Phone": cn_phone(person["phone"], "intl"),
                "Company": e["company"].to_numpy(),
                "Customer Tier": e["tier"].to_numpy(),
                "Channel": e["channel"].to_numpy(),
                "City": person["city_en"].to_numpy(),
                "Country": "CN",
                "Created on": np.datetime_as_string(
                    e["created_on"].to_numpy().astype("datetime64[D]"), unit="D"
                ),
            }
        ),
    )
    rows = []
    for channel, column, mask in (
        ("amazon", "amazon_sku", p["on_amazon"]),
        ("shopify", "old_sku", None),
        ("stores", "barcode", None),
        ("tmall", "tmall_code", p["on_tmall"]),
    ):
        sel = p if mask is None else p.loc[mask]
        rows.append(
            pd.DataFrame({"Channel": channel, "Channel SKU": sel[column], "Internal Reference": sel["sku"]})
        )
    out.csv("erp", "sku_aliases.csv", pd.concat(rows, ignore_index=True))
    out.csv("erp", "bom.csv", catalog.bom)


def write_plant(out: Output, window: Window, catalog: Catalog, plant: PlantResult) -> None:
    out.csv("erp", "work_centers.csv", work_centers_frame())
    out.csv("erp", "machines.csv", machines_frame(plant.ict))
    out.csv("erp", "shift_calendar.csv", shift_calendar(window))
    out.csv("erp", "machine_downtime.csv", downtime_frame(plant.downtime))
    out.csv(
        "erp",
        "routings.csv",
        plant.routings[
            [
                "Product",
                "Sequence",
                "Operation",
                "Work Center",
                "Setup Time (min)",
                "Time per Unit (min)",
                "Eligible Machines",
            ]
        ],
    )
    m = plant.mos
    scheduled = np.where(
        m["started"].isna(),
        m["release"].to_numpy(dtype="datetime64[s]"),
        m["started"].to_numpy(dtype="datetime64[s]"),
    )
    out.csv(
        "erp",
        "production_orders.csv",
        pd.DataFrame(
            {
                "Reference": m["ref"].to_numpy(),
                "Product": catalog.products["sku"].to_numpy()[m["sku"].to_numpy().astype(np.int64)],
                "Quantity To Produce": m["qty"].to_numpy(),
                "Quantity Produced": m["produced"].to_numpy(),
                "Scheduled Date": fmt_local(scheduled),
                "Deadline": fmt_local(m["deadline"].to_numpy(dtype="datetime64[s]")),
                "State": m["state"].to_numpy(),
                "Source": m["source"].to_numpy(),
                "Customer Tier": m["tier"].to_numpy(),
                "Margin": np.char.mod("%.3f", m["margin"].to_numpy(dtype=float)),
            }
        ),
    )
    out.say(
        f"erp: {len(m):,} production orders, {len(MACHINES)} machines, "
        f"ideal cycle times {', '.join(f'{k} {v}s' for k, v in plant.ict.items())}"
    )


def write_exchange_rates(out: Output, seed: int, window: Window) -> None:
    """USD→CNY on the first day of each month of the history (a bounded random walk), plus CNY = 1."""
    rng = rng_for(seed, "fx")
    months = np.arange(window.start_day.astype("datetime64[M]"), window.end_day.astype("datetime64[M]") + 1)
    rate = np.clip(7.2 + np.cumsum(rng.normal(0, 0.025, len(months))), 7.1, 7.3)
    days = np.datetime_as_string(months.astype("datetime64[D]"), unit="D")
    frame = pd.DataFrame(
        {
            "Date": np.concatenate([days, days]),
            "Currency": ["USD"] * len(days) + ["CNY"] * len(days),
            "Rate": np.concatenate([np.char.mod("%.4f", rate), np.full(len(days), "1.0000")]),
        }
    )
    out.csv("erp", "exchange_rates.csv", frame.sort_values(["Date", "Currency"], kind="stable"))


def write_forecast(
    out: Output, seed: int, window: Window, catalog: Catalog, channels: list[ChannelOrders], pos: pd.DataFrame
) -> None:
    """Monthly forecast per SKU x channel for the history months and the next six months.

    Each SKU's realised yearly volume in a channel is spread over days with the channel's intensity and the
    category's seasonality, summed per calendar month, then biased by the team and blurred by noise.
    """
    rng = rng_for(seed, "forecast")
    n_sku = catalog.n
    units: dict[str, np.ndarray] = {}
    for co in channels:
        u = np.zeros(n_sku)
        np.add.at(u, co.lines["sku"].to_numpy(), co.lines["qty"].to_numpy())
        units[co.channel] = units.get(co.channel, np.zeros(n_sku)) + u
    sold = pos["qty"].to_numpy() > 0
    u = np.zeros(n_sku)
    np.add.at(u, pos["sku"].to_numpy()[sold], pos["qty"].to_numpy()[sold])
    units["stores"] = units.get("stores", np.zeros(n_sku)) + u

    first = window.start_day.astype("datetime64[M]")
    last = window.end_day.astype("datetime64[M]") + FORECAST_MONTHS_AHEAD
    days = np.arange(first.astype("datetime64[D]"), (last + 1).astype("datetime64[D]"))
    in_window = (days >= window.start_day) & (days <= window.end_day)
    month_no, _ = month_day(days)
    season = catalog.season_factor(month_no)  # days x sku
    month_of_day = days.astype("datetime64[M]")
    months = np.unique(month_of_day)
    as_of_month = str(np.datetime64(window.as_of, "M"))
    frames = []
    for channel in ("shopify", "amazon", "tmall", "social", "stores"):
        team, bias = SALES_TEAMS[channel]
        lam = intensity(days, "stores_pos" if channel == "stores" else channel, window)[:, None] * season
        total = lam[in_window].sum(axis=0)
        # Smooth the realised mix a little: planners do not chase every one-off bulk order.
        mix = 0.7 * units[channel] + 0.3 * units[channel].sum() * catalog.products["popularity"].to_numpy()
        rate = lam * (mix / np.where(total > 0, total, 1))[None, :]
        per_month = np.stack([rate[month_of_day == m].sum(axis=0) for m in months])  # months x sku
        noise = rng.normal(1.0, 0.07, (len(months), 1)) * rng.lognormal(0, 0.18, per_month.shape)
        qty = np.round(per_month * bias * noise).astype(np.int64)
        mi, si = np.nonzero(qty > 0)
        month_str = np.datetime_as_string(months, unit="M")
        version = np.where(
            months[mi] > np.datetime64(as_of_month, "M"),
            as_of_month,
            np.datetime_as_string(months[mi] - 1, unit="M"),
        )
        frames.append(
            pd.DataFrame(
                {
                    "Month": month_str[mi],
                    "Internal Reference": catalog.products["sku"].to_numpy()[si],
                    "Channel": channel,
                    "Forecast Quantity": qty[mi, si],
                    "Sales Team": team,
                    "Version": version,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True).sort_values(
        ["Month", "Channel", "Internal Reference"], kind="stable"
    )
    out.csv("erp", "sales_forecast.csv", frame)
