"""Figure of the data-quality page: unexpected values per raw table, coloured by severity."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboards.i18n import t


def failed_expectations(failed: pd.DataFrame, kinds: dict[bool, str]) -> go.Figure:
    """Unexpected values per raw table; critical failures red, warnings amber."""
    chart = failed.assign(
        kind=failed["critical"].map(kinds), unexpected_count=failed["unexpected_count"].fillna(0)
    )
    figure = px.bar(
        chart,
        x="raw_table",
        y="unexpected_count",
        color="kind",
        hover_data=["expectation", "column", "example_values"],
        color_discrete_map={kinds[True]: "#cf222e", kinds[False]: "#bf8700"},
        labels={
            "raw_table": t("raw table"),
            "unexpected_count": t("unexpected values"),
            "kind": t("Severity"),
            "expectation": t("Expectation"),
            "column": t("Column"),
            "example_values": t("Examples"),
        },
        height=320,
    )
    figure.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return figure
