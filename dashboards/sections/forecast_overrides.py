"""Forecast page, planner overrides: a planner's number for one SKU × channel and month with the reason;
the overrides with who, when, why, the number each replaced and, once its month is over, how it scored.

Read and written through ``decisions.forecast_overrides`` only (the store checks the role again on
save). The next forecast run (``omniops run``) applies an override on top of the consensus.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.auth import SignedIn
from dashboards.decision_store import StoreAccess, act, flash, open_store
from dashboards.formatting import escape_markdown, fmt_number, fmt_percent, is_missing, model_name
from dashboards.i18n import t
from dashboards.queries import forecast_overrides as oq
from dashboards.sections.decision_tables import when
from dashboards.sections.forecast_accuracy import fmt_points
from decisions import forecast_overrides as store_overrides
from decisions.roles import may

FREQ = "MS"  # the page overrides the monthly plan, the level the cascade reconciles the others to


def month_label(ds: object) -> str:
    return f"{pd.Timestamp(ds):%Y-%m}"


def series_label(unique_id: str) -> str:
    return unique_id.replace("|", " · ")


def override_gain(override: pd.Series, replaced: pd.Series, actual: pd.Series) -> pd.Series:
    """Units by which each override came closer to the actual than the number it replaced:
    ``|replaced − actual| − |override − actual|``; positive means the override helped."""
    return (replaced - actual).abs() - (override - actual).abs()


def overrides_section(user: SignedIn, as_of: date, has_fva: bool) -> None:
    """The part under "Planner overrides"; ``as_of``: the published forecast's; ``has_fva``: whether
    the warehouse has the stair-step (``forecasting.forecast_fva``) that scores the override layer."""
    access = open_store()
    if not access.can_act:
        st.warning(
            t(
                "Actions are unavailable: the operational store cannot be reached ({reason}). The "
                "planners' overrides cannot be listed or changed now; the forecast above includes those "
                "the last run applied (model “override”).",
                reason=escape_markdown(access.problem or ""),
            ),
            icon="⛔",
        )
        return
    flash()
    st.caption(
        t(
            "A planner's number replaces the monthly forecast of one SKU × channel and month. It takes "
            "effect at the next forecast run (`omniops run`): until then the forecast above is the "
            "published one. Overrides are scored like every other layer once their month is over."
        )
    )
    forecast = oq.monthly_forecast(as_of)
    rows = pd.DataFrame(store_overrides.list_overrides(access.store, FREQ))
    if may(user.role, "forecast.override"):
        if forecast.empty:
            st.info(t("No monthly forecast in this warehouse to override."))
        else:
            override_form(access, user, forecast, rows)
    else:
        st.info(t("Read only: planners and managers override the forecast."))
    if rows.empty:
        st.info(t("No planner override yet."))
        return
    overrides_table(rows, as_of, has_fva)
    if may(user.role, "forecast.override"):
        remove_form(access, user, rows)


def override_form(access: StoreAccess, user: SignedIn, forecast: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Pick a series and a month of the published forecast, see its number and band, set yours."""
    st.markdown(t("**Override the forecast** of one SKU × channel and month"))
    c = st.columns([1.6, 1.2, 1.0])
    sku = c[0].selectbox(t("SKU"), sorted(forecast["sku"].unique()), key="fo_sku")
    of_sku = forecast[forecast["sku"] == sku]
    channel = c[1].selectbox(t("Channel"), sorted(of_sku["channel"].unique()), key="fo_channel")
    of_series = of_sku[of_sku["channel"] == channel].assign(month=lambda f: f["ds"].map(month_label))
    month = c[2].selectbox(t("Month"), list(of_series["month"]), key="fo_month")
    row = of_series[of_series["month"] == month].iloc[0]
    ds = pd.Timestamp(row["ds"]).date()

    cards = st.columns(3)
    cards[0].metric(t("Published forecast"), fmt_number(row["yhat"], 0, t("units")))
    cards[1].metric(t("Published band"), f"{fmt_number(row['yhat_lower'])} – {fmt_number(row['yhat_upper'])}")
    cards[2].metric(t("Forecast by"), model_name(row["model"]), help=str(row["model"]))
    key = store_overrides.override_id(row["unique_id"], FREQ, ds)
    current = rows[rows["id"] == key] if not rows.empty else rows
    if len(current):
        now = current.iloc[0]
        st.info(
            t(
                "This month already has an override: {quantity} units by {who} at {at} (“{reason}”). "
                "Saving replaces it; removing it (below) gives the month back to the forecast.",
                quantity=fmt_number(now["quantity"]),
                who=escape_markdown(str(now["set_by"])),
                at=when(now["set_at"]),
                reason=escape_markdown(str(now["reason"])),
            )
        )
    with st.form("fo_form"):
        c = st.columns([1, 3])
        quantity = c[0].number_input(
            t("Your number (units)"), min_value=0.0, value=None, step=1.0, format="%.0f", key="fo_qty"
        )
        reason = c[1].text_input(t("Reason (required: it is read and scored)"), key="fo_reason")
        if not st.form_submit_button(t("Save override"), key="fo_save"):
            return
    if quantity is None:
        st.error(t("Not saved: enter your number."), icon="🚫")
        return
    act(
        access,
        user,
        store_overrides.set_override,
        row["unique_id"],
        FREQ,
        ds,
        float(quantity),
        reason,
        replaced=None if row["model"] == "override" else float(row["yhat"]),
        done=t(
            "Override saved: {series}, {month} = {quantity} units. It takes effect at the next forecast "
            "run (`omniops run`).",
            series=series_label(row["unique_id"]),
            month=month,
            quantity=fmt_number(quantity),
        ),
    )


def scored(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The overrides with the number each replaced and, for months over by ``as_of``, the actual and the
    errors (a series without a sale that month sold 0)."""
    frame = rows.assign(ds=pd.to_datetime(rows["ds"]))
    # the number kept with the override (saved on the page); else the newest forecast vintage before it
    published = oq.replaced_numbers().assign(ds=lambda f: pd.to_datetime(f["ds"]))
    published = published.rename(columns={"replaced": "published"})
    frame = frame.merge(published, on=["unique_id", "ds"], how="left")
    stored = frame["replaced"] if "replaced" in frame else pd.Series(float("nan"), index=frame.index)
    frame["replaced"] = stored.astype(float).fillna(frame.pop("published"))
    over = frame["ds"] < pd.Timestamp(as_of).replace(day=1)
    frame["actual"] = float("nan")
    if over.any():
        actuals = oq.monthly_actuals(frame.loc[over, "ds"].min().date(), as_of)
        actuals = actuals.assign(ds=pd.to_datetime(actuals["ds"])).set_index(["unique_id", "ds"])["actual"]
        keys = pd.MultiIndex.from_frame(frame.loc[over, ["unique_id", "ds"]])
        frame.loc[over, "actual"] = actuals.reindex(keys).fillna(0.0).to_numpy()
    frame["override_error"] = (frame["quantity"] - frame["actual"]).abs()
    frame["replaced_error"] = (frame["replaced"] - frame["actual"]).abs()
    frame["gain"] = override_gain(frame["quantity"], frame["replaced"], frame["actual"])
    return frame


def overrides_table(rows: pd.DataFrame, as_of: date, has_fva: bool) -> None:
    frame = scored(rows, as_of)
    shown = frame.assign(
        series=frame["unique_id"].map(series_label),
        month=frame["ds"].map(month_label),
        set_at=frame["set_at"].map(when),
    )
    columns = ["series", "month", "quantity", "replaced", "set_by", "set_at", "reason", "actual"]
    columns += ["override_error", "replaced_error", "gain"]
    number = st.column_config.NumberColumn
    st.dataframe(
        shown[columns],
        hide_index=True,
        width="stretch",
        column_config={
            "series": st.column_config.TextColumn(t("SKU · channel")),
            "month": st.column_config.TextColumn(t("Month")),
            "quantity": number(t("Override (units)"), format="%,.0f"),
            "replaced": number(
                t("Replaced (units)"),
                format="%,.0f",
                help=t(
                    "The newest published forecast of that month that was not an override (empty when "
                    "none is kept: a re-run on the same as-of date replaces that date's forecast)."
                ),
            ),
            "set_by": st.column_config.TextColumn(t("Set by")),
            "set_at": st.column_config.TextColumn(t("Set at")),
            "reason": st.column_config.TextColumn(t("Reason")),
            "actual": number(t("Actual (units)"), format="%,.0f", help=t("Only for months that are over.")),
            "override_error": number(t("Override off by"), format="%,.0f"),
            "replaced_error": number(t("Replaced off by"), format="%,.0f"),
            "gain": number(
                t("Units closer"),
                format="%+,.0f",
                help=t("|replaced − actual| − |override − actual|: positive means the override helped."),
            ),
        },
    )
    done = frame[frame["actual"].notna() & frame["replaced"].notna()]
    notes = []
    if len(done):
        notes.append(
            t(
                "Over the {n} overridden months that are over, the overrides came {gain} units closer to "
                "the actuals than the forecasts they replaced (negative: further away).",
                n=len(done),
                gain=f"{done['gain'].sum():+,.0f}",
            )
        )
    if has_fva:
        notes.append(layer_note())
    st.caption(" ".join(note for note in notes if note))


def layer_note() -> str:
    """The stair-step's word on the override layer of the newest run."""
    layers = oq.override_layer().set_index("layer")
    if not {"consensus", "override"} <= set(layers.index) or is_missing(layers.at["override", "wape"]):
        return ""
    if layers.at["override", "wape"] == layers.at["consensus", "wape"]:
        return ""  # no override fell in the months the stair-step scores: nothing to say yet
    return t(
        "Out of sample (the stair-step above), the forecast with the overrides had a WAPE of {override} "
        "against {consensus} for the consensus ({fva} of value added).",
        override=fmt_percent(layers.at["override", "wape"]),
        consensus=fmt_percent(layers.at["consensus", "wape"]),
        fva=fmt_points(layers.at["override", "fva_vs_below"]),
    )


def remove_form(access: StoreAccess, user: SignedIn, rows: pd.DataFrame) -> None:
    labels = {
        row.id: f"{series_label(row.unique_id)} · {month_label(row.ds)} = {fmt_number(row.quantity)}"
        for row in rows.itertuples()
    }
    with st.form("fo_remove_form"):
        st.markdown(
            t(
                "**Remove an override**: its month goes back to the forecast at the next run. To replace "
                "one, save a new number for the same SKU, channel and month above."
            )
        )
        key = st.selectbox(t("Override"), list(labels), format_func=labels.get, key="fo_pick")
        if not st.form_submit_button(t("Remove override"), key="fo_remove"):
            return
    version = int(rows.loc[rows["id"] == key, "version"].iloc[0])
    act(
        access,
        user,
        store_overrides.remove_override,
        key,
        version=version,
        done=t(
            "Override removed: {item}. The next forecast run (`omniops run`) uses the forecast again.",
            item=labels[key],
        ),
    )
