"""Forecast page, stair-step section: does each layer of the monthly forecast earn its place?

Reads ``forecasting.forecast_fva`` (``forecasting.fva``): naive → model → sales team → consensus →
planner override, out of sample, and says in a sentence per channel or category who was more accurate
and how much of the sales team's number the consensus takes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.formatting import fmt_percent, is_missing
from dashboards.i18n import t
from dashboards.queries import forecast as q


def layer_names() -> dict[str, str]:
    return {
        "naive": t("Naive (last value)"),
        "statistical": t("Model (champion)"),
        "sales_team": t("Sales team"),
        "consensus": t("Consensus (model + sales team)"),
        "override": t("With planner overrides"),
    }


def verdict(name: str, rows: pd.DataFrame) -> str:
    """One sentence for a manager about one channel or category (``rows``: its layers, indexed by layer)."""
    model, team = rows.at["statistical", "wape"], rows.at["sales_team", "wape"]
    consensus, weight = rows.at["consensus", "wape"], rows.at["consensus", "team_weight"]
    if is_missing(team) or is_missing(model) or is_missing(consensus):
        return ""
    if is_missing(weight) or weight == 0:
        return t("For {name} the sales team gave no forecast; the model stands alone.", name=name)
    if team < model:
        first = t(
            "For {name} the sales team was more accurate than the model (missed {team} vs {model}); "
            "the consensus takes {share} of theirs",
            name=name, team=fmt_percent(team, 0), model=fmt_percent(model, 0), share=fmt_percent(weight, 0),
        )  # fmt: skip
    else:
        first = t(
            "For {name} the model was more accurate than the sales team (missed {model} vs {team}); "
            "the consensus takes only {share} of the sales team's number",
            name=name, team=fmt_percent(team, 0), model=fmt_percent(model, 0), share=fmt_percent(weight, 0),
        )  # fmt: skip
    if consensus < min(model, team):
        second = t("and beats both (missed {c}).", c=fmt_percent(consensus, 0))
    else:
        second = t("and misses {c}.", c=fmt_percent(consensus, 0))
    return f"{first} {second}"


def fva_section() -> None:
    """The stair-step table for all series and the per channel / category sentences (monthly)."""
    table = q.fva_table(q.newest_as_of("forecast_fva"))
    if table.empty:
        st.info(t("No out-of-sample comparison of the forecast layers in this warehouse."))
        return
    names = layer_names()
    overall = table[table["scope"] == "all"].copy()
    overall["layer_label"] = overall["layer"].map(names)
    overall["order"] = overall["layer"].map({layer: i for i, layer in enumerate(names)})
    for column in ("wape", "bias", "fva_vs_below"):
        overall[f"{column}_pct"] = 100 * overall[column]
    st.dataframe(
        overall.sort_values("order")[["layer_label", "wape_pct", "bias_pct", "fva_vs_below_pct"]],
        hide_index=True,
        width="stretch",
        column_config={
            "layer_label": st.column_config.TextColumn(t("Layer")),
            "wape_pct": st.column_config.NumberColumn(t("WAPE (revenue-weighted)"), format="%.1f %%"),
            "bias_pct": st.column_config.NumberColumn(t("Bias"), format="%+.1f %%"),
            "fva_vs_below_pct": st.column_config.NumberColumn(
                t("FVA vs the previous layer (pts)"), format="%+.1f"
            ),
        },
    )
    st.caption(
        t(
            "Monthly forecast, out of sample: the model was chosen and the consensus weights learned on the "
            "earlier backtest months, and all layers are scored on the later ones ({series} series). "
            "Each layer starts from the previous one; FVA = its WAPE gain over that layer (positive: it "
            "made the forecast better).",
            series=int(overall["series"].max()),
        )
    )
    for scope, label in (("channel", t("By channel")), ("category", t("By category"))):
        sentences = [
            verdict(str(value), rows.set_index("layer"))
            for value, rows in table[table["scope"] == scope].groupby("scope_value", sort=True)
        ]
        sentences = [s for s in sentences if s]
        if sentences:
            st.markdown(f"**{label}**\n\n" + "\n".join(f"- {s}" for s in sentences))
