"""Forecast page, inventory sections: stock-out risk, overstock and proposals; turnover by category."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts import forecast as charts
from dashboards.i18n import t
from dashboards.queries import forecast as q
from dashboards.sections.forecast_demand import ALL, all_or, fmt_units

# Lists are capped; a planner works from the top of each.
LIST_LIMIT = 500


def proposal_types() -> dict[str, str]:
    """The inventory plan's proposal types (planning/inventory_plan.py), in the user's language."""
    return {"purchase": t("purchase"), "production": t("production")}


def band_names() -> dict[str, str]:
    return {
        "below": t("below the band"),
        "within": t("within the band"),
        "above": t("above the band"),
        "unknown": t("no status"),
    }


def cover_text(days, demand) -> str:
    """Days of cover as the planner reads it: whole days, or "no demand" (never "None")."""
    if pd.isna(days):
        return t("no demand") if pd.isna(demand) or demand == 0 else ""
    return f"{days:,.0f}"


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Proposal types in the user's language, days of cover as text, a negative ATP shown as 0 with
    its shortage beside it (units owed to open orders, not stock)."""
    words = proposal_types()
    out = frame.copy()
    if "proposal_type" in out:
        out["proposal_type"] = out["proposal_type"].map(lambda v: words.get(v, v))
    if "days_of_cover" in out:
        demand = out.get("forecast_daily_demand", pd.Series(0.0, index=out.index))
        out["days_of_cover"] = [cover_text(d, m) for d, m in zip(out["days_of_cover"], demand, strict=True)]
    if "atp" in out:
        out["atp"] = out["atp"].clip(lower=0)
    if "note" in out:
        out["note"] = out["note"].map(lambda v: "" if pd.isna(v) else t(v))
    return out


def plan_columns() -> dict:
    return {
        "warehouse_code": st.column_config.TextColumn(t("Warehouse")),
        "sku": st.column_config.TextColumn("SKU"),
        "product_name": st.column_config.TextColumn(t("Product")),
        "product_category": st.column_config.TextColumn(t("Category")),
        "atp": st.column_config.NumberColumn(t("ATP"), format="%.0f"),
        "shortage": st.column_config.NumberColumn(t("Shortage"), format="%.0f"),
        "note": st.column_config.TextColumn(t("Why")),
        "forecast_daily_demand": st.column_config.NumberColumn(t("Demand / day"), format="%.2f"),
        "days_of_cover": st.column_config.TextColumn(t("Days of cover")),
        "stockout_date": st.column_config.DateColumn(t("Stock-out date"), format="YYYY-MM-DD"),
        "lead_time_days": st.column_config.NumberColumn(t("Lead time (days)"), format="%d"),
        "safety_stock": st.column_config.NumberColumn(t("Safety stock"), format="%.0f"),
        "reorder_point": st.column_config.NumberColumn(t("Reorder point"), format="%.0f"),
        "forecast_28d": st.column_config.NumberColumn(t("Forecast 28 days"), format="%.0f"),
        "proposal_type": st.column_config.TextColumn(t("Proposal")),
        "proposal_qty": st.column_config.NumberColumn(t("Qty"), format="%.0f"),
        "proposal_date": st.column_config.DateColumn(t("Order by"), format="YYYY-MM-DD"),
    }


def plan_section() -> None:
    """The section under "Inventory: stock-out risk and overstock"."""
    plan_as_of = q.newest_as_of("inventory_plan")
    warehouses = q.plan_warehouses(plan_as_of)
    categories = q.plan_categories(plan_as_of)
    filters = st.columns(2)
    warehouse = filters[0].selectbox(
        t("Warehouse"), [ALL, *warehouses], format_func=all_or(), key="inv_warehouse"
    )
    category = filters[1].selectbox(
        t("Category"), [ALL, *categories], format_func=all_or(), key="inv_category"
    )
    plan = q.Plan(plan_as_of, warehouse, category)
    counts = plan.counts()
    cards = st.columns(5)
    cards[0].metric(t("Stock-out risk"), f"{counts['at_risk']:,}")
    cards[1].metric(t("Short now"), f"{counts['short']:,}")
    cards[2].metric(t("Overstocked"), f"{counts['overstocked']:,}")
    cards[3].metric(t("Proposals"), f"{counts['proposals']:,}")
    cards[4].metric(t("Proposed quantity"), fmt_units(counts["proposal_units"]))
    if plan_as_of is not None:
        st.caption(
            t(
                "Plan as of {as_of} over {n} SKU × warehouse positions. "
                "ATP = on hand − reserved + inbound; below 0 it is a shortage (units open orders need beyond "
                "stock and inbound), shown as ATP 0 with its shortage. Days of cover = ATP ÷ forecast daily "
                "demand. Overstocked: the stock above the safety stock lasts longer than the policy's limit, "
                "or nothing sells it; an overstocked position gets a proposal only with its reason.",
                as_of=f"{plan_as_of:%Y-%m-%d}",
                n=f"{counts['positions']:,}",
            )
        )
    columns = plan_columns()

    st.markdown(t("**Stock-out risk** (soonest first)"))
    at_risk = plan.at_risk(LIST_LIMIT)
    if at_risk.empty:
        st.success(t("No SKU is at risk of a stock-out within its lead time for this selection."))
    else:
        st.dataframe(readable(at_risk), hide_index=True, width="stretch", column_config=columns)

    st.markdown(t("**Overstock** (most days of cover first)"))
    overstock = plan.overstock(LIST_LIMIT)
    if overstock.empty:
        st.success(t("No overstocked SKU for this selection."))
    else:
        st.dataframe(readable(overstock), hide_index=True, width="stretch", column_config=columns)
        st.caption(t('Days of cover "no demand": no demand is expected, the stock is not selling.'))

    st.markdown(t("**Replenishment and production proposals** (by order date)"))
    proposals = plan.proposals(LIST_LIMIT)
    if proposals.empty:
        st.success(t("Nothing to order or produce for this selection: every ATP is above its reorder point."))
    else:
        st.dataframe(readable(proposals), hide_index=True, width="stretch", column_config=columns)
    if max(counts["at_risk"], counts["overstocked"], counts["proposals"]) > LIST_LIMIT:
        st.caption(t("Each list shows its first {n} rows.", n=LIST_LIMIT))


def turnover_section() -> None:
    """The section under "Inventory turnover by category"."""
    turnover, start, end = q.category_turnover()
    if turnover.empty:
        st.info(t("No category turnover in this warehouse (no cost of goods sold in the last 365 days)."))
        return
    st.plotly_chart(charts.turnover(turnover, band_names()), width="stretch", key="fc_turnover")
    st.caption(
        t(
            "Days of stock held from {start} to {end}, per category, computed as the overview's inventory "
            "days (same query): set the overview to these dates to see the same figures. The black marker "
            "is the industry benchmark and its whiskers the target band: above the band ties up cash, below "
            "it risks stock-outs.",
            start=f"{start:%Y-%m-%d}",
            end=f"{end:%Y-%m-%d}",
        )
    )
