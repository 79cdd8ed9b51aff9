"""Figure of the order lookup: the order's timeline, a lane for the order, each shipment and each ticket."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go

from dashboards.components import to_company_time
from dashboards.i18n import t

TIME_FORMAT = "%Y-%m-%d %H:%M"
LANE_COLOURS = {"order": "#0969da", "shipment": "#1a7f37", "ticket": "#bf8700"}


LABEL_GAP = 0.12  # labels of two points closer than this share of the time axis would overlap


def label_positions(times: list[pd.Timestamp], start: pd.Timestamp, end: pd.Timestamp) -> list[str | None]:
    """Where each point of one lane (in time order) prints its label: above, below (when the point before
    is too close), or not at all (hover only) when the points on both sides are too close: labels never
    print on top of each other."""
    gap = LABEL_GAP * max((end - start).total_seconds(), 60.0)
    last = {"top center": None, "bottom center": None}
    positions: list[str | None] = []
    for at in times:
        for side in ("top center", "bottom center"):
            if last[side] is None or (at - last[side]).total_seconds() >= gap:
                last[side] = at
                positions.append(side)
                break
        else:
            positions.append(None)
    return positions


def timeline(events: pd.DataFrame, labels: dict[str, str], zone: ZoneInfo) -> go.Figure:
    """One lane for the order, one per shipment and one per ticket; each event a labelled marker."""
    timed = events.dropna(subset=["event_at_utc"]).copy()
    timed["at"] = to_company_time(timed["event_at_utc"], zone)
    timed["lane_kind"] = "order"
    timed.loc[timed["shipment_id"].notna(), "lane_kind"] = "shipment"
    timed.loc[timed["ticket_id"].notna(), "lane_kind"] = "ticket"
    timed["lane"] = t("Order")
    timed.loc[timed["lane_kind"] == "shipment", "lane"] = (
        t("Shipment") + " " + timed["shipment_id"].astype(str)
    )
    timed.loc[timed["lane_kind"] == "ticket", "lane"] = t("Ticket") + " " + timed["ticket_id"].astype(str)
    timed["label"] = [labels.get(kind, kind) for kind in timed["event_type"]]
    # events of a lane in the same minute (placed, confirmed and paid at checkout) share one marker
    timed["minute"] = timed["at"].dt.floor("min")
    points = (
        timed.groupby(["lane", "minute"], sort=False)
        .agg(
            lane_kind=("lane_kind", "first"),
            label=("label", " · ".join),
            detail=("detail", lambda details: "<br>".join(d for d in details if d)),
        )
        .reset_index()
    )
    figure = go.Figure()
    start, end = points["minute"].min(), points["minute"].max()
    for lane, rows in points.groupby("lane", sort=False):
        rows = rows.sort_values("minute")
        colour = LANE_COLOURS[rows["lane_kind"].iloc[0]]
        positions = label_positions(list(rows["minute"]), start, end)
        figure.add_trace(
            go.Scatter(
                x=rows["minute"],
                y=[lane] * len(rows),
                mode="lines+markers+text",
                text=[label if at else "" for label, at in zip(rows["label"], positions, strict=True)],
                textposition=[at or "top center" for at in positions],
                cliponaxis=False,
                customdata=rows["label"],
                hovertext=rows["detail"],
                hovertemplate="%{customdata}<br>%{x|" + TIME_FORMAT + "}<br>%{hovertext}<extra></extra>",
                marker={"size": 11, "color": colour},
                line={"color": colour, "width": 2},
                name=lane,
            )
        )
    figure.update_layout(
        height=150 + 70 * points["lane"].nunique(),
        margin={"l": 10, "r": 40, "t": 40, "b": 10},
        showlegend=False,
        xaxis_title=t("Time ({zone})", zone=zone.key),
        yaxis={"autorange": "reversed"},
    )
    return figure
